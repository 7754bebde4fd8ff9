"""The course on JupyterHub: ``digit4sd hub setup`` and the Hub's configuration.

Public face: ``digit4sd hub setup``; :func:`configure` and :func:`load_plan`, which
``deploy/jupyterhub/jupyterhub_config.py`` calls.

- :mod:`.deploy`: the plan (``hub.json``), setup as root (accounts with closed homes,
  nbgrader's exchange, the grader account and its gradebook address, the learners' server
  config, the apps), and ``configure()``, the plan as JupyterHub settings;
- :mod:`.exchange`: nbgrader's collect that refuses a submission handed in under another
  learner's name (named in the learners' nbgrader config).

May import: the shared pieces at the package root and the course (the apps and their
template). Never serving, grading or packs.
"""

from __future__ import annotations

from .deploy import configure, load_plan

__all__ = ["configure", "load_plan"]
