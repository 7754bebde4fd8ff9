"""The course room: what the course is and how it becomes the files learners get.

Public face::

    from digit4sd_widgets.course import MODULES, SUBMODULES, module, submodule

- :mod:`.map`: the six modules (nbgrader assignments), their 19 submodule notebooks, the
  two-day path, and where the course lives on disk (re-exported here);
- :mod:`.quizzes`: the knowledge-check question banks, plain data;
- :mod:`.authoring`: ``CourseNotebook``, for writing a notebook of ``course/source/``;
- :mod:`.release`: ``course/source/`` -> ``course/release/`` with nbgrader, tidied and checked
  for leaks;
- :mod:`.apps`: the release made into read-only Voila apps, and their offline template
  (``share/``), for a room and for a Hub;
- :mod:`.lab`: ``digit4sd lab``, a learner's own copy of the release in JupyterLab.

- :mod:`.translate`: a notebook in another language, its text from the catalogues.
- :mod:`.localise`: content (quiz banks, cases, topics, data questions, the map) that answers
  in the reader's language on access.

May import: :mod:`digit4sd_widgets.atomic` and :mod:`digit4sd_widgets.i18n`. The course is content and files: it imports no
exercise, so exercises may read the course map and the question banks.
"""

from __future__ import annotations

from .map import MODULES, SUBMODULES, Module, Submodule, course_dir, module, project_root, submodule

__all__ = ["MODULES", "SUBMODULES", "Module", "Submodule", "course_dir", "module",
           "project_root", "submodule"]
