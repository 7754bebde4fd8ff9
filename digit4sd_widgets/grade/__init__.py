"""The instructor's grading pipeline: ``digit4sd grade ACTION``, over nbgrader.

From the project root (the folder with ``nbgrader_config.py`` and ``course/``)::

    digit4sd grade release [ASSIGNMENT]        course/release/ and dist/release/<a>.zip
    digit4sd grade collect ASSIGNMENT PATH     zips or folders per learner -> course/submitted/
    digit4sd grade autograde ASSIGNMENT        every submission, in parallel -> gradebook
    digit4sd grade feedback ASSIGNMENT         course/feedback/ and dist/feedback/<a>/<id>.zip
    digit4sd grade export [--to FILE]          dist/grades.csv and a summary table

Everything stays in nbgrader's layout (``source/``, ``release/``, ``submitted/``,
``autograded/``, ``feedback/``), so nbgrader's own commands and the formgrader in JupyterLab
(manual grading of the written answers) work on the same course. The gradebook is the one
nbgrader itself uses: ``CourseDirectory.db_url`` of the project's ``nbgrader_config.py``
(PostgreSQL on a JupyterHub, for instance), else SQLite in ``course/gradebook.db``.
Files meant to be handed out or kept (zips, grade tables) go to ``dist/``, which is never
committed: it holds learners' work and grades. ``docs/grading.md`` is the instructor's guide.

Public face: ``digit4sd grade`` (:mod:`.commands`); :mod:`.synthetic` for trying it.

- :mod:`.common`: the project, nbgrader's configuration, the gradebook, ``dist/``;
- :mod:`.release`, :mod:`.collect`, :mod:`.autograde` (its workers: :mod:`.worker`),
  :mod:`.feedback`, :mod:`.export`: one module per action;
- :mod:`.plugins`: the nbgrader preprocessors that ``nbgrader_config.py`` names;
- :mod:`.synthetic`: synthetic learners' submissions (perfect, partial, empty, tampered).

May import: the shared pieces at the package root (workbook, examples, atomic) and the
course (its map and the release). Never serving, packs or the Hub.
"""
