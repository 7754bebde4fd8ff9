"""Your path through the course (submodule 1.3): a short self-assessment that recommends which
modules to take, skim or skip.

The learner rates ten statements on a three-point scale. Each statement is linked to the
submodules that teach it. From the answers the planner advises, for each module:

- module 1: "take it" (it sets up the learner's case and workbook);
- modules 3, 4 and 5, the core of the course: "take it (core)", with the submodules to spend
  most time on (those linked to statements rated "new to me" or "I know a little");
- modules 2 and 6: "skim it" when every linked statement is answered, none is "new to me"
  and the mean is at least 1.5 on the 0-2 scale; otherwise "take it".

The learner may override the advice for modules 1, 2 and 6 (take, skim or skip). The plan
keeps the course order (each module builds on the ones before), leaves skipped modules out
and estimates the hours: the full estimate for a module taken, half of it for a module
skimmed.

>>> m = ModulePlannerModel().with_answer("egdi", 2).with_answer("sdgs", 2)
>>> m = m.with_answer("maturity", 2).with_answer("data", 1)
>>> m.recommendation()["2"]["advice"]
'skim it'
>>> m.with_override("2", "skip").plan()[1]["module"]
'3'
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, ngettext, pgettext
from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    choice,
    html_table,
    integer,
    mapping,
    message_label,
    show_message,
    shown_number,
)
from .readiness import MODULES, SUBMODULE_TITLES, module_name, submodule_label
from .stakeholders import listing

SCALE: dict[int, str] = {0: "new to me", 1: "I know a little", 2: "I could teach it"}
CORE: tuple[str, ...] = ("3", "4", "5")
OPTIONAL: tuple[str, ...] = ("1", "2", "6")  # the modules whose advice may be overridden
ACTIONS: dict[str, str] = {"take": "take it", "skim": "skim it", "skip": "skip it"}
CORE_ADVICE = "take it (core)"
HOURS: dict[str, float] = {"1": 1.0, "2": 3.0, "3": 3.0, "4": 2.5, "5": 2.0, "6": 1.5}
SKIM_SHARE = 0.5
SKIM_MEAN = 1.5


# the words above stay English (stored answers, the plan's data); these are the words shown
def scale_label(value: int) -> str:
    """An answer on the scale ("new to me" ...) in the reader's language."""
    return {0: pgettext("self-assessment", "new to me"),
            1: pgettext("self-assessment", "I know a little"),
            2: pgettext("self-assessment", "I could teach it")}.get(value, "–")


def action_label(action: str) -> str:
    """What to do with a module ("take it", "skim it", "skip it", "take it (core)", "as
    advised" for no choice) in the reader's language."""
    return {"take": pgettext("module plan", "take it"),
            "skim": pgettext("module plan", "skim it"),
            "skip": pgettext("module plan", "skip it"),
            "core": pgettext("module plan", "take it (core)"),
            "": pgettext("module plan", "as advised")}.get(action, action)


@dataclass(frozen=True)
class Statement:
    """A statement to rate; ``text`` and ``short`` are English, shown in the reader's
    language by :meth:`shown` and :meth:`short_shown`."""

    id: str
    text: str
    short: str
    links: tuple[str, ...]  # submodules, such as "2.3"

    def shown(self) -> str:
        return _(self.text)

    def short_shown(self) -> str:
        return _(self.short)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.split(".")[0] for s in self.links))


STATEMENTS: tuple[Statement, ...] = (
    Statement("sdgs", N_("I can link a digital service to the SDG targets it helps to reach, "
                         "such as 16.9 (legal identity for all)."),
              N_("services and SDG targets"), ("2.1",)),
    Statement("maturity", N_("I can say how far an online service has come, from posting "
                             "information to letting people take part in decisions."),
              N_("online service stages and e-participation"), ("2.2", "2.5")),
    Statement("egdi", N_("I can explain what the EGDI measures and how it is built."),
              N_("the EGDI"), ("2.3",)),
    Statement("data", N_("I have checked a data set for gaps and joined two sources on "
                         "country codes."), N_("data checks and joins"), ("2.4", "4.2")),
    Statement("priorities", N_("I have chosen priority areas for a digital initiative by "
                               "weighing clear criteria."), N_("choosing target areas"),
              ("3.1",)),
    Statement("stakeholders", N_("I have mapped stakeholders for a project before."),
              N_("stakeholder mapping"), ("3.2",)),
    Statement("kpis", N_("I have designed KPIs with a baseline and a target."),
              N_("KPIs with a baseline and a target"), ("3.3", "5.1")),
    Statement("interop", N_("I know the four layers of interoperability."),
              N_("interoperability"), ("4.2",)),
    Statement("evaluation", N_("I have evaluated a public programme against criteria such as "
                               "relevance and impact."), N_("evaluation"), ("5.2",)),
    Statement("cases", N_("I can name lessons from how other countries, LDCs and developed "
                          "countries alike, built their digital government."),
              N_("lessons from other countries"), ("6.1",)),
)
STATEMENT_IDS: tuple[str, ...] = tuple(s.id for s in STATEMENTS)


def _statement(statement_id: Any) -> Statement:
    for s in STATEMENTS:
        if s.id == statement_id:
            return s
    raise ValidationError(_("There is no statement {statement!r}.").format(
        statement=str(statement_id)[:40]), "answers")


def _answer(value: Any, statement: Statement) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        for k, label in SCALE.items():  # the English words or the reader's
            if value.strip().casefold() in (label.casefold(), scale_label(k).casefold()):
                return k
    return integer(value, _("The answer to {topic!r}").format(topic=statement.short_shown()),
                   lo=0, hi=2, field="answers")


def _module(value: Any) -> str:
    module = str(value).strip() if isinstance(value, (str, int)) else ""
    if isinstance(value, bool) or module not in MODULES:
        raise ValidationError(_("There is no module {module!r}; modules are numbered 1 to "
                                "6.").format(module=str(value)[:20]), "overrides")
    if module in CORE:
        raise ValidationError(_("Module {module} ({name}) is part of the core (modules 3, 4 "
                                "and 5): everyone takes it, so it cannot be skimmed or "
                                "skipped.").format(module=module, name=module_name(module)),
                              "overrides")
    return module


def _hours(value: float) -> str:
    return _("{hours} h").format(hours=shown_number(f"{value:g}"))


def _names(statements: list[Statement]) -> str:
    return listing(s.short_shown() for s in statements)


def _titles(submodules: list[str]) -> str:
    return ", ".join(submodule_label(s) for s in submodules)


class ModulePlannerModel(ExerciseModel):
    """Answers (0, 1, 2 or None per statement) and the learner's overrides per module.

    >>> m = ModulePlannerModel({"stakeholders": 0, "kpis": 2})
    >>> r = m.recommendation()["3"]
    >>> r["advice"], r["focus"], r["faster"]
    ('take it (core)', ['3.2'], ['3.3'])
    """

    kind: ClassVar[str] = "module_plan"
    title: ClassVar[str] = N_("Your path through the course")
    submodule: ClassVar[str] = "1.3"

    def __init__(self, answers: Mapping[str, Any] | None = None,
                 overrides: Mapping[str, Any] | None = None):
        given = mapping({} if answers is None else answers, _("The answers"))
        for key in given:
            _statement(key)
        self.answers: dict[str, int | None] = {s.id: _answer(given.get(s.id), s)
                                               for s in STATEMENTS}
        chosen = mapping({} if overrides is None else overrides, _("Your choices"))
        clean: dict[str, str] = {}
        for key, action in chosen.items():
            module = _module(key)
            if action is None or action == "":
                continue
            clean[module] = choice(action, _("Your choice for module {module}").format(
                module=module), ACTIONS, field="overrides")
        self.overrides: dict[str, str] = {m: clean[m] for m in OPTIONAL if m in clean}

    # -- changes (each returns a new model or raises ValidationError)
    def with_answer(self, statement_id: Any, value: Any) -> ModulePlannerModel:
        """A new model with one statement answered (None clears the answer)."""
        s = _statement(statement_id)
        return ModulePlannerModel({**self.answers, s.id: _answer(value, s)}, self.overrides)

    def with_override(self, module: Any, action: Any) -> ModulePlannerModel:
        """Take, skim or skip a module whatever the advice; None or "" follows the advice."""
        module = _module(module)
        rest = {k: v for k, v in self.overrides.items() if k != module}
        if action is not None and action != "":
            rest[module] = action
        return ModulePlannerModel(self.answers, rest)

    # -- reading
    def _linked(self, module: str) -> list[Statement]:
        return [s for s in STATEMENTS if module in s.modules]

    def recommendation(self) -> dict[str, dict[str, Any]]:
        """For each module ("1" ... "6"): ``advice`` ("take it", "skim it" or "take it
        (core)"), ``action`` ("take", "skim" or "core"), a plain ``reason``, and ``focus`` /
        ``faster``: its submodules linked to answers "new to me" or "I know a little" /
        "I could teach it"."""
        out: dict[str, dict[str, Any]] = {}
        for module in MODULES:
            linked = self._linked(module)
            rated = {s.id: self.answers[s.id] for s in linked if self.answers[s.id] is not None}
            focus, faster = self._submodules(module)
            if module == "1":
                action, reason = "take", _("It explains the toolkit and sets up your case and "
                                           "your workbook: a short, useful start.")
            elif module in CORE:
                action, reason = "core", self._core_reason(module, focus, faster, rated)
            else:
                action, reason = self._optional_advice(linked, rated)
            out[module] = {"module": module, "name": module_name(module), "action": action,
                           "advice": action_label(action), "reason": reason, "focus": focus,
                           "faster": faster}
        return out

    def _submodules(self, module: str) -> tuple[list[str], list[str]]:
        lowest: dict[str, int] = {}
        for s in STATEMENTS:
            value = self.answers[s.id]
            if value is None:
                continue
            for sub in s.links:
                if sub.split(".")[0] == module:
                    lowest[sub] = min(value, lowest.get(sub, 2))
        order = [s for s in SUBMODULE_TITLES if s in lowest]
        return [s for s in order if lowest[s] < 2], [s for s in order if lowest[s] == 2]

    @staticmethod
    def _core_reason(module: str, focus: list[str], faster: list[str],
                     rated: dict[str, int | None]) -> str:
        head = _("A core module: everyone takes it.")
        if not rated:
            return " ".join([head, _("Answer the statements above to see where to spend most "
                                     "time.")])
        parts = [head]
        if focus:
            parts.append(_("Spend most time on {submodules}.").format(
                submodules=_titles(focus)))
        if faster:
            parts.append(_("You can go faster through {submodules}.").format(
                submodules=_titles(faster)))
        return " ".join(parts)

    def _optional_advice(self, linked: list[Statement], rated: dict[str, int | None]
                         ) -> tuple[str, str]:
        unanswered = [s for s in linked if s.id not in rated]
        new = [s for s in linked if rated.get(s.id) == 0]
        little = [s for s in linked if rated.get(s.id) == 1]
        teach = [s for s in linked if rated.get(s.id) == 2]
        if not rated:
            return "take", _("You have not answered its statements yet, so take it to be "
                             "safe.")
        if new:
            return "take", _("New to you: {topics}.").format(topics=_names(new))
        if unanswered:
            return "take", _("Not answered yet: {topics}.").format(topics=_names(unanswered))
        mean = sum(v for v in rated.values() if v is not None) / len(rated)
        if mean >= SKIM_MEAN:
            if little:
                return "skim", _("You could teach {teach}; you know a little about {little}. "
                                 "Skim it and stop where something is new.").format(
                    teach=_names(teach), little=_names(little))
            return "skim", _("You could teach {teach}. Skim it and stop where something is "
                             "new.").format(teach=_names(teach))
        if teach:
            return "take", _("You know a little about {little} and could teach {teach}: "
                             "taking it will fill the gaps.").format(little=_names(little),
                                                                     teach=_names(teach))
        return "take", _("You know a little about {little}: taking it will fill the "
                         "gaps.").format(little=_names(little))

    def final_action(self, module: str) -> str:
        """What the plan does with a module: the override if any, else the advice
        ("take", "skim", "skip" or "core")."""
        return self.overrides.get(module) or self.recommendation()[module]["action"]

    def plan(self) -> list[dict[str, Any]]:
        """The modules to go through, in course order (skipped ones left out): ``module``,
        ``name``, ``action`` (take, skim or core), ``hours`` and ``focus`` submodules."""
        rec = self.recommendation()
        steps = []
        for module in MODULES:
            action = self.overrides.get(module) or rec[module]["action"]
            if action == "skip":
                continue
            hours = HOURS[module] * (SKIM_SHARE if action == "skim" else 1.0)
            steps.append({"module": module, "name": module_name(module), "action": action,
                          "hours": hours, "focus": list(rec[module]["focus"])})
        return steps

    def total_hours(self) -> float:
        return sum(step["hours"] for step in self.plan())

    def answered(self) -> int:
        return sum(v is not None for v in self.answers.values())

    def completeness(self) -> Completeness:
        missing = [_("answer: {topic}").format(topic=s.short_shown()) for s in STATEMENTS
                   if self.answers[s.id] is None]
        return Completeness(len(STATEMENTS) - len(missing), len(STATEMENTS), missing)

    def report(self) -> list[Block]:
        rec = self.recommendation()
        return [
            Block("table", _("My self-assessment"),
                  columns=[_("Statement"), _("My answer"), _("Submodules")],
                  rows=[[s.shown(), scale_label(self.answers[s.id]), ", ".join(s.links)]
                        for s in STATEMENTS]),
            Block("table", _("Advice per module"),
                  columns=[_("Module"), _("Advice"), _("Why"), _("My choice")],
                  rows=[[f"{m} {r['name']}", r["advice"], r["reason"],
                         action_label(self.overrides.get(m, ""))]
                        for m, r in rec.items()]),
            Block("table", _("My plan"), columns=[_("Step"), _("Module"), _("How"), _("Hours")],
                  rows=plan_rows(self)),
            Block("fields", _("Time"),
                  items=[(_("Estimated total"), _hours(self.total_hours()))]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"answers": dict(self.answers), "overrides": dict(self.overrides)}

    @classmethod
    def from_dict(cls, data: Any) -> ModulePlannerModel:
        data = mapping(data, _("A module plan"))
        return cls(data.get("answers"), data.get("overrides"))


def how_text(step: dict[str, Any]) -> str:
    """``"take it (core): most time on 3.1, 3.3"``, ``"skim it"``..."""
    word = action_label(step["action"])
    if step["focus"] and step["action"] in ("core", "take"):
        return _("{advice}: most time on {submodules}").format(
            advice=word, submodules=", ".join(step["focus"]))
    return word


def plan_rows(model: ModulePlannerModel) -> list[list[str]]:
    return [[str(i), f"{s['module']} {s['name']}", how_text(s), _hours(s["hours"])]
            for i, s in enumerate(model.plan(), 1)]


# ------------------------------------------------------------------------------- view
OVERRIDE_OPTIONS = [("as advised", ""), ("take it", "take"), ("skim it", "skim"),
                    ("skip it", "skip")]


def override_options() -> list[tuple[str, str]]:
    """The choices for a module whatever the advice, in the reader's language."""
    return [(action_label(value), value) for _label, value in OVERRIDE_OPTIONS]


class ModulePlanner(ExerciseView):
    """Rate the statements; the advice, the plan and the hours update at once. Modules 1, 2
    and 6 can be taken, skimmed or skipped whatever the advice.

    >>> view = ModulePlanner(workbook=Workbook.in_memory())
    >>> view.toggles["interop"].value = 0
    >>> view.model.recommendation()["4"]["focus"]
    ['4.2']
    """

    model_class = ModulePlannerModel
    model: ModulePlannerModel

    def _build(self) -> list[widgets.Widget]:
        self._refreshing = False
        self.answer_message = message_label()
        self.override_message = message_label()
        self.toggles: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        for s in STATEMENTS:
            toggle = widgets.ToggleButtons(
                options=[(scale_label(value), value) for value in SCALE], value=None,
                style={"button_width": "120px"})
            toggle.observe(self._guard(self._answered_for(s.id), self.answer_message),
                           names="value")
            self.toggles[s.id] = toggle
            rows.append(widgets.HBox([
                widgets.HTML(html.escape(s.shown()), layout=widgets.Layout(width="440px")),
                toggle]))
        self.overrides: dict[str, widgets.Dropdown] = {}
        for module in OPTIONAL:
            dropdown = widgets.Dropdown(
                description=f"{module} {module_name(module)}", options=override_options(),
                value="",
                style={"description_width": "180px"}, layout=widgets.Layout(width="330px"))
            dropdown.observe(self._guard(self._override_for(module), self.override_message),
                             names="value")
            self.overrides[module] = dropdown
        self.advice = widgets.HTML()
        self.plan_box = widgets.HTML()
        self.progress = widgets.HTML()
        return [
            widgets.HTML("<p>" + html.escape(_(
                "How well do you know each topic? Answer honestly: the advice below changes "
                "with your answers. You can take every module, or only some.")) + "</p>"),
            *rows, self.answer_message, self.progress,
            widgets.HTML("<h4>" + html.escape(_("Advice per module")) + "</h4>"), self.advice,
            widgets.HTML("<p>" + html.escape(_(
                "{choice} for modules 1, 2 and 6 (modules 3, 4 and 5 are the core: everyone "
                "takes them).")).format(choice="<b>" + html.escape(_("Your choice")) + "</b>")
                + "</p>"),
            widgets.HBox(list(self.overrides.values()),
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.override_message,
            widgets.HTML("<h4>" + html.escape(_("Your plan")) + "</h4>"), self.plan_box,
        ]

    def _answered_for(self, statement_id: str):
        def answered(change: dict[str, Any]) -> None:
            if not self._refreshing:
                self.commit(self.model.with_answer(statement_id, change["new"]))
        return answered

    def _override_for(self, module: str):
        def override(change: dict[str, Any]) -> None:
            if not self._refreshing:
                self.commit(self.model.with_override(module, change["new"]))
        return override

    def refresh(self) -> None:
        m = self.model
        self._refreshing = True
        try:
            for sid, toggle in self.toggles.items():
                if toggle.value != m.answers[sid]:
                    toggle.value = m.answers[sid]
            for module, dropdown in self.overrides.items():
                value = m.overrides.get(module, "")
                if dropdown.value != value:
                    dropdown.value = value
        finally:
            self._refreshing = False
        rec = m.recommendation()
        rows = [[f"{k} {r['name']}", r["advice"], r["reason"],
                 action_label(m.overrides[k]) if m.overrides.get(k) else "–"]
                for k, r in rec.items()]
        self.advice.value = html_table([_("Module"), _("Advice"), _("Why"), _("Your choice")],
                                       rows)
        table = html_table([_("Step"), _("Module"), _("How"), _("Hours")], plan_rows(m))
        about = _("About {hours} in all.").format(hours=_hours(m.total_hours()))
        self.plan_box.value = (
            f"{table}<p><b>{html.escape(about)}</b> " + html.escape(_(
                "Keep this order: each module builds on the ones before it. Skimming means "
                "reading the summaries and doing the knowledge checks.")) + "</p>")
        done = m.completeness()
        show_message(self.progress, ngettext("{done} of {total} statements answered",
                                             "{done} of {total} statements answered",
                                             done.done).format(done=done.done,
                                                               total=done.total),
                     "ok" if done.complete else "info")


__all__ = ["ACTIONS", "CORE", "HOURS", "OPTIONAL", "SCALE", "STATEMENTS", "ModulePlanner",
           "ModulePlannerModel", "Statement", "Workbook", "action_label", "override_options",
           "scale_label"]
