"""Course content that is plain data, not code: the knowledge-check question banks.

Keeping the words apart from the widgets lets an instructor edit a question without touching
an exercise; ``tests/test_quiz.py`` checks every bank.

>>> from digit4sd_widgets.content import QUIZZES
>>> len(QUIZZES), len(QUIZZES["2.3"])
(19, 3)
"""

from __future__ import annotations

from .quizzes import QUIZZES, SUBMODULES

__all__ = ["QUIZZES", "SUBMODULES"]
