"""Knowledge check (any submodule): single- and multiple-choice questions with feedback on
every answer option. The questions live in :mod:`digit4sd_widgets.course.quizzes`.

>>> m = QuizModel("2.3").with_answer("levels", [0])
>>> m.is_right("levels"), m.score(), str(m.completeness())
(True, 1, '1 of 3 complete')
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from ..course.quizzes import QUIZZES, SUBMODULES
from ..i18n import N_, _, get_language, ngettext
from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    integer,
    mapping,
    message_label,
    semicolons,
    sequence,
    show_message,
    text,
)

DEFAULT_SUBMODULE = "1.1"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[Option, ...]
    multiple: bool = False

    @property
    def correct(self) -> tuple[int, ...]:
        """Indexes of the correct options."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)

    @classmethod
    def parse(cls, data: Any) -> Question:
        """Check one question of a bank (used for the content, not for learner input)."""
        data = mapping(data, "A question")
        qid = text(data.get("id"), "A question id", required=True, max_len=60)
        multiple = data.get("multiple", False)
        if not isinstance(multiple, bool):
            raise ValidationError(f"Question {qid!r}: 'multiple' must be true or false.")
        options = []
        for item in sequence(data.get("options"), f"Question {qid!r}: options", max_len=12):
            item = mapping(item, f"Question {qid!r}: an option")
            if not isinstance(item.get("correct"), bool):
                raise ValidationError(f"Question {qid!r}: each option needs correct: "
                                      "true or false.")
            options.append(Option(
                text=text(item.get("text"), f"Question {qid!r}: option text", required=True),
                correct=item["correct"],
                feedback=text(item.get("feedback"), f"Question {qid!r}: feedback",
                              required=True)))
        question = cls(qid, text(data.get("prompt"), f"Question {qid!r}: prompt",
                                 required=True), tuple(options), multiple)
        if len(options) < 2:
            raise ValidationError(f"Question {qid!r} needs at least two options.")
        if not multiple and len(question.correct) != 1:
            raise ValidationError(f"Single-choice question {qid!r} needs exactly one correct "
                                  "option.")
        if multiple and not question.correct:
            raise ValidationError(f"Question {qid!r} needs at least one correct option.")
        if len({o.text for o in options}) != len(options):
            raise ValidationError(f"Question {qid!r} has the same option twice.")
        return question


def parse_bank(questions: Any) -> tuple[Question, ...]:
    """Check a whole question bank: every question valid, ids unique.

    >>> len(parse_bank(QUIZZES["3.2"]))
    3
    """
    parsed = tuple(Question.parse(q) for q in sequence(questions, "A question bank"))
    ids = [q.id for q in parsed]
    if len(set(ids)) != len(ids):
        raise ValidationError("Question ids must be unique within a knowledge check.")
    if not parsed:
        raise ValidationError("A knowledge check needs at least one question.")
    return parsed


def bank(submodule: str) -> tuple[Question, ...]:
    """The checked questions of a submodule's knowledge check, in the reader's language
    (the questions are content, which speaks the reader's language when read)."""
    return _bank(submodule, get_language())


@lru_cache(maxsize=64)
def _bank(submodule: str, lang: str) -> tuple[Question, ...]:
    if submodule not in QUIZZES:
        raise ValidationError(_("There is no knowledge check for submodule {submodule}.")
                              .format(submodule=repr(submodule)))
    return parse_bank(QUIZZES[submodule])


bank.cache_clear = _bank.cache_clear  # type: ignore[attr-defined]


class QuizModel(ExerciseModel):
    """A learner's answers to one submodule's knowledge check.

    ``answers`` maps a question id to the chosen option indexes (counted from 0). A question
    counts as answered once the learner has checked an answer.
    """

    kind: ClassVar[str] = "quiz"
    title: ClassVar[str] = N_("Knowledge check")
    submodule: ClassVar[str] = DEFAULT_SUBMODULE  # each instance sets its own, see __init__

    def __init__(self, submodule: str = DEFAULT_SUBMODULE,
                 answers: Mapping[str, Iterable[int]] | None = None):
        if not isinstance(submodule, str) or submodule.strip() not in QUIZZES:
            raise ValidationError(_("There is no knowledge check for submodule {submodule}; "
                                    "choose one of {submodules}.").format(
                submodule=repr(submodule), submodules=", ".join(SUBMODULES)), "submodule")
        # the instance says which submodule it checks (the class default is only for keys)
        self.submodule = submodule.strip()  # type: ignore[misc]
        self.questions = bank(self.submodule)
        answers = dict(answers or {})
        checked: dict[str, tuple[int, ...]] = {}
        for q in self.questions:
            if q.id in answers:
                checked[q.id] = self._checked_answer(q, answers.pop(q.id))
        if answers:
            unknown = next(iter(answers))
            raise ValidationError(_("There is no question {question} in the knowledge check "
                                    "for {submodule}.").format(
                question=repr(unknown), submodule=self.submodule), "answers")
        self.answers = checked

    @staticmethod
    def _checked_answer(q: Question, chosen: Any) -> tuple[int, ...]:
        items = sequence(chosen, _("An answer"), max_len=len(q.options))
        picked = sorted({integer(i, _("An answer"), field="answers") for i in items})
        if not picked:
            raise ValidationError(_("Pick an answer first."), "answers")
        for i in picked:
            if not 0 <= i < len(q.options):
                raise ValidationError(_("This question has no answer number {number}.")
                                      .format(number=i + 1), "answers")
        if not q.multiple and len(picked) > 1:
            raise ValidationError(_("Pick only one answer for this question."), "answers")
        return tuple(picked)

    # -- changes
    def with_answer(self, question_id: str, chosen: Iterable[int] | int) -> QuizModel:
        """A new model with the learner's answer to one question: a list of option indexes
        (counted from 0), or one index."""
        self.question(question_id)
        if isinstance(chosen, int) and not isinstance(chosen, bool):
            chosen = [chosen]
        elif isinstance(chosen, (set, frozenset, range)):
            chosen = sorted(chosen)
        return QuizModel(self.submodule, {**self.answers, question_id: chosen})

    def without_answer(self, question_id: str) -> QuizModel:
        self.question(question_id)
        return QuizModel(self.submodule, {k: v for k, v in self.answers.items()
                                          if k != question_id})

    # -- reading
    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise ValidationError(_("There is no question {question} in this knowledge check.")
                              .format(question=repr(question_id)))

    def is_right(self, question_id: str) -> bool | None:
        """True when fully right, False when not, None when not answered yet."""
        q = self.question(question_id)
        chosen = self.answers.get(question_id)
        return None if chosen is None else chosen == q.correct

    def feedback(self, question_id: str) -> list[tuple[str, bool, str]]:
        """(option text, correct, feedback) for each option the learner chose."""
        q = self.question(question_id)
        return [(q.options[i].text, q.options[i].correct, q.options[i].feedback)
                for i in self.answers.get(question_id, ())]

    def score(self) -> int:
        """How many questions are fully right."""
        return sum(bool(self.is_right(q.id)) for q in self.questions)

    def completeness(self) -> Completeness:
        missing = [_("answer question {number}").format(number=n)
                   for n, q in enumerate(self.questions, 1) if q.id not in self.answers]
        return Completeness(len(self.answers), len(self.questions), missing)

    def report(self) -> list[Block]:
        rows = []
        for n, q in enumerate(self.questions, 1):
            chosen = self.answers.get(q.id)
            picked = semicolons(q.options[i].text for i in chosen) if chosen else "–"
            right = {True: _("yes"), False: _("no"), None: "–"}[self.is_right(q.id)]
            rows.append([str(n), q.prompt, picked, right])
        total = len(self.questions)
        return [
            Block("fields", _("Knowledge check {submodule}").format(submodule=self.submodule),
                  items=[(_("Score"), _("{score} of {total} right").format(
                              score=self.score(), total=total)),
                         (_("Answered"), _("{answered} of {total}").format(
                             answered=len(self.answers), total=total))]),
            Block("table", _("Answers"),
                  columns=["#", _("Question"), _("Your answer"), _("Right")], rows=rows),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"submodule": self.submodule,
                "answers": {k: list(v) for k, v in self.answers.items()}}

    @classmethod
    def from_dict(cls, data: Any) -> QuizModel:
        data = mapping(data, _("A knowledge check"))
        submodule = data.get("submodule", DEFAULT_SUBMODULE)
        answers = data.get("answers")
        answers = mapping({} if answers is None else answers, _("The answers"))
        if any(not isinstance(k, str) for k in answers):
            raise ValidationError(_("Answers must be named by question id."), "answers")
        if isinstance(submodule, str) and submodule.strip() in QUIZZES:
            # a question the bank no longer has was replaced by a new one (with a new id):
            # its old answer is set aside, the learner's other answers stay
            known = {q.id for q in bank(submodule.strip())}
            answers = {k: v for k, v in answers.items() if k in known}
        return cls(submodule, answers)


# ------------------------------------------------------------------------------- view
def feedback_html(model: QuizModel, question_id: str) -> str:
    """Feedback on the chosen options of one answered question, every text escaped."""
    right = model.is_right(question_id)
    if right is None:
        return ""
    q = model.question(question_id)
    lines = [f"<li>{'✓' if ok else '✗'} <b>{html.escape(option)}</b>: {html.escape(note)}</li>"
             for option, ok, note in model.feedback(question_id)]
    e = html.escape
    if right:
        right_words = e(_("Right!"))
        verdict = f"<b style='color:#1b5e20'>{right_words}</b>"
    else:
        chosen = set(model.answers[question_id])
        missed = len(set(q.correct) - chosen)
        wrong = len(chosen - set(q.correct))
        if q.multiple and missed and not wrong:
            more = ngettext("There is one more answer to pick.",
                            "There are {count} more answers to pick.", missed).format(
                count=missed)
            partly = e(_("Partly right:"))
            verdict = f"<b style='color:#8a5300'>{partly}</b> {e(more)}"
        else:
            not_quite, again = e(_("Not quite.")), e(_("Read the notes and try again."))
            verdict = f"<b style='color:#b00020'>{not_quite}</b> {again}"
    return f"<div class='d4-feedback'>{verdict}<ul>{''.join(lines)}</ul></div>"


def option_order(learner: str, submodule: str, question_id: str, count: int) -> list[int]:
    """The order in which one learner sees a question's options: shuffled, so that the
    place of an option says nothing about whether it is right, and the same every time
    that learner opens the question (answers are stored by the bank's own indexes, so the
    grade and the feedback never depend on the order shown).

    >>> option_order("ama", "2.3", "levels", 4) == option_order("ama", "2.3", "levels", 4)
    True
    >>> sorted(option_order("ama", "2.3", "levels", 4))
    [0, 1, 2, 3]
    """
    seed = hashlib.sha256(f"{learner}|{submodule}|{question_id}".encode()).digest()
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return order


class Quiz(ExerciseView):
    """Knowledge check for one submodule; "Check" saves the answer and shows feedback.

    >>> view = Quiz("2.3", workbook=Workbook.in_memory())
    >>> view.choices["levels"].value = 0; view.check_buttons["levels"].click()
    >>> view.model.score(), view.key
    (1, '2.3/quiz')
    """

    model_class = QuizModel
    model: QuizModel

    def __init__(self, submodule: str | None = None, **kwargs: Any):
        problem = ""
        model = kwargs.get("model")
        if isinstance(model, QuizModel):
            chosen = model.submodule
        else:
            chosen = DEFAULT_SUBMODULE if submodule is None else str(submodule).strip()
        if chosen not in QUIZZES:
            problem = _("There is no knowledge check for submodule {submodule}; showing the "
                        "one for {default}.").format(submodule=repr(chosen),
                                                     default=DEFAULT_SUBMODULE)
            chosen = DEFAULT_SUBMODULE
        self.quiz_submodule = chosen
        self._refreshing = False
        kwargs["key"] = kwargs.get("key") or f"{chosen}/quiz"
        super().__init__(**kwargs)
        if problem:
            show_message(self.status, problem, "error")

    def page_title(self) -> str:
        # the notebook's own heading already says "Knowledge check"
        return _("Questions on submodule {submodule}").format(submodule=self.quiz_submodule)

    def _load_model(self) -> QuizModel:
        saved = self.workbook.get(self.key)
        if saved is None:
            return QuizModel(self.quiz_submodule)
        try:
            if isinstance(saved, dict):
                saved = {"submodule": self.quiz_submodule, **saved}
            model = QuizModel.from_dict(saved)
            if model.submodule != self.quiz_submodule:
                raise ValidationError(_("it belongs to submodule {submodule}").format(
                    submodule=model.submodule))
            return model
        except ValidationError as exc:
            self.workbook.problems.append(
                _("Your saved answers could not be restored ({problem}); starting afresh. The "
                  "saved copy is still in your workbook file.").format(problem=exc))
            return QuizModel(self.quiz_submodule)

    def _build(self) -> list[widgets.Widget]:
        self.choices: dict[str, widgets.RadioButtons | tuple[widgets.Checkbox, ...]] = {}
        self.check_buttons: dict[str, widgets.Button] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.messages: dict[str, widgets.HTML] = {}
        intro = widgets.HTML("<p>" + _("Pick your answer, then click <b>Check</b>.") + "</p>")
        parts: list[widgets.Widget] = [intro]
        learner = self.workbook.learner_id
        for n, q in enumerate(self.model.questions, 1):
            hint = (" <i>" + html.escape(_("(pick all that apply)")) + "</i>" if q.multiple
                    else "")
            prompt = widgets.HTML(f"<b>{n}. {html.escape(q.prompt)}</b>{hint}")
            order = option_order(learner, self.quiz_submodule, q.id, len(q.options))
            if q.multiple:
                # kept in the bank's order (an answer is a list of the bank's indexes), shown
                # in the learner's own order
                boxes = tuple(widgets.Checkbox(description=o.text, value=False, indent=False,
                                               layout=widgets.Layout(width="auto"))
                              for o in q.options)
                for box in boxes:
                    box.observe(self._guard(self._changed_for(q.id), None), names="value")
                self.choices[q.id] = boxes
                control: widgets.Widget = widgets.VBox([boxes[i] for i in order])
            else:
                radio = widgets.RadioButtons(options=[(q.options[i].text, i) for i in order],
                                             value=None, layout=widgets.Layout(width="auto"))
                radio.observe(self._guard(self._changed_for(q.id), None), names="value")
                self.choices[q.id] = radio
                control = radio
            self.messages[q.id] = message_label()
            self.feedback[q.id] = widgets.HTML()
            button = widgets.Button(description=_("Check"), icon="check",
                                    button_style="primary")
            button.on_click(self._guard(self._check_for(q.id), self.messages[q.id]))
            self.check_buttons[q.id] = button
            parts.append(widgets.VBox([prompt, control, widgets.HBox([button]),
                                       self.messages[q.id], self.feedback[q.id]]))
        self.score_label = widgets.HTML()
        parts.append(self.score_label)
        return parts

    # -- reading and setting the controls
    def selected(self, question_id: str) -> list[int]:
        """The option indexes currently ticked for a question."""
        control = self.choices[question_id]
        if isinstance(control, tuple):
            return [i for i, box in enumerate(control) if box.value]
        return [] if control.value is None else [control.value]

    def _show_selection(self, question_id: str, chosen: tuple[int, ...]) -> None:
        control = self.choices[question_id]
        if isinstance(control, tuple):
            for i, box in enumerate(control):
                box.value = i in chosen
        else:
            control.value = chosen[0] if chosen else None

    # -- callbacks
    def _changed_for(self, question_id: str):
        def changed(_change=None) -> None:
            if self._refreshing:
                return
            saved = self.model.answers.get(question_id)
            if saved is None or tuple(self.selected(question_id)) != saved:
                self.feedback[question_id].value = ""
            else:
                self.feedback[question_id].value = feedback_html(self.model, question_id)
        return changed

    def _check_for(self, question_id: str):
        def check(_button=None) -> None:
            self.commit(self.model.with_answer(question_id, self.selected(question_id)))
        return check

    def refresh(self) -> None:
        self._refreshing = True
        try:
            for q in self.model.questions:
                saved = self.model.answers.get(q.id)
                if saved is not None:
                    self._show_selection(q.id, saved)
                self.feedback[q.id].value = feedback_html(self.model, q.id)
        finally:
            self._refreshing = False
        total = len(self.model.questions)
        answered = len(self.model.answers)
        level = "ok" if answered == total else "info"
        show_message(self.score_label, _("Score: {score} of {total} right ({answered} of "
                                         "{total} answered).").format(
            score=self.model.score(), total=total, answered=answered), level)


__all__ = ["Option", "Question", "Quiz", "QuizModel", "Workbook", "bank", "feedback_html",
           "parse_bank"]
