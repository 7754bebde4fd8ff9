"""nbgrader configuration for the DIGIT4SD course.

One root configuration: the course lives in ``course/`` (``source/`` is what instructors
edit, ``release/`` is generated from it and committed).
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.root = "course"
c.CourseDirectory.course_id = "digit4sd"
