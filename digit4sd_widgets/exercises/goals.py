"""Your goals (submodule 1.2): what the learner wants from the course and the toolkit, and the
Sustainable Development Goals they care about most.

The learner gives their role and organisation, up to five goals of their own, and picks one to
five of the 17 SDGs. Goals are added and removed one at a time and saved at once; the role,
the organisation and the SDGs are saved together with "Save".

>>> m = GoalsFormModel().with_goal("Plan a digital birth registry")
>>> m = m.with_profile(role="Policy officer", organisation="Ministry of ICT", sdgs=[16, 9])
>>> m.to_dict()["sdgs"], m.completeness().missing
([9, 16], ['at least two goals'])
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, ngettext
from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
    integer,
    mapping,
    message_label,
    sequence,
    show_message,
    text,
)
from .stakeholders import progress_text

SDGS: dict[int, str] = {
    1: N_("No poverty"),
    2: N_("Zero hunger"),
    3: N_("Good health and well-being"),
    4: N_("Quality education"),
    5: N_("Gender equality"),
    6: N_("Clean water and sanitation"),
    7: N_("Affordable and clean energy"),
    8: N_("Decent work and economic growth"),
    9: N_("Industry, innovation and infrastructure"),
    10: N_("Reduced inequalities"),
    11: N_("Sustainable cities and communities"),
    12: N_("Responsible consumption and production"),
    13: N_("Climate action"),
    14: N_("Life below water"),
    15: N_("Life on land"),
    16: N_("Peace, justice and strong institutions"),
    17: N_("Partnerships for the goals"),
}
MAX_GOALS = 5
MAX_GOAL = 200
MAX_SDGS = 5
FIELDS = ("role", "organisation", "goals", "sdgs")


def sdg_name(number: int) -> str:
    """The Goal's short name in the reader's language."""
    return _(SDGS[number])


def sdg_label(number: int) -> str:
    """``"16 Peace, justice and strong institutions"``."""
    return f"{number} {sdg_name(number)}"


def _goal(value: Any) -> str:
    return text(value, _("A goal"), required=True, max_len=MAX_GOAL, field="goals")


def _sdg(value: Any) -> int:
    if isinstance(value, str) and value.strip().casefold().startswith(("sdg", "odd")):
        value = value.strip()[3:]
    return integer(value, _("An SDG"), lo=1, hi=17, field="sdgs")


def _goals(values: Iterable[Any]) -> tuple[str, ...]:
    goals = tuple(_goal(g) for g in values)
    if len(goals) > MAX_GOALS:
        raise ValidationError(_("At most {n} goals: keep the ones that matter most.")
                              .format(n=MAX_GOALS), "goals")
    folded = [g.casefold() for g in goals]
    if len(set(folded)) != len(folded):
        raise ValidationError(_("Each goal needs to be different."), "goals")
    return goals


def _sdgs(values: Iterable[Any]) -> tuple[int, ...]:
    sdgs = [_sdg(v) for v in values]
    if len(set(sdgs)) != len(sdgs):
        raise ValidationError(_("Each SDG can be picked only once."), "sdgs")
    if len(sdgs) > MAX_SDGS:
        raise ValidationError(_("Pick at most {most} SDGs (you picked {n}): keep the ones you "
                                "care about most.").format(most=MAX_SDGS, n=len(sdgs)),
                              "sdgs")
    return tuple(sorted(sdgs))


class GoalsFormModel(ExerciseModel):
    """The learner's role, organisation, goals (up to five) and SDGs (up to five).

    >>> m = GoalsFormModel(goals=["Learn to read the EGDI"])
    >>> try:
    ...     m.with_goal("learn to read the egdi")
    ... except ValidationError as exc:
    ...     print(exc)
    'learn to read the egdi' is already in your list.
    """

    kind: ClassVar[str] = "goals"
    title: ClassVar[str] = N_("Your goals for this course")
    submodule: ClassVar[str] = "1.2"

    def __init__(self, role: Any = "", organisation: Any = "", goals: Any = (),
                 sdgs: Any = ()):
        self.role = text(role, _("Your role"), max_len=MAX_NAME, field="role")
        self.organisation = text(organisation, _("Your organisation"), max_len=MAX_NAME,
                                 field="organisation")
        self.goals: tuple[str, ...] = _goals(sequence(goals, _("Goals"), max_len=50))
        self.sdgs: tuple[int, ...] = _sdgs(sequence(sdgs, _("SDGs"), max_len=50))

    # -- changes (each returns a new model or raises ValidationError)
    def _with(self, **changes: Any) -> GoalsFormModel:
        fields = {"role": self.role, "organisation": self.organisation, "goals": self.goals,
                  "sdgs": self.sdgs}
        fields.update(changes)
        return GoalsFormModel(**fields)

    def with_goal(self, goal: Any) -> GoalsFormModel:
        """Add one goal at the end of the list."""
        new = _goal(goal)
        if any(g.casefold() == new.casefold() for g in self.goals):
            raise ValidationError(_("{goal!r} is already in your list.").format(goal=new),
                                  "goals")
        if len(self.goals) >= MAX_GOALS:
            raise ValidationError(_("You already have {n} goals: remove one to add another.")
                                  .format(n=MAX_GOALS), "goals")
        return self._with(goals=(*self.goals, new))

    def without_goal(self, goal: Any) -> GoalsFormModel:
        key = str(goal).strip().casefold()
        kept = tuple(g for g in self.goals if g.casefold() != key)
        if len(kept) == len(self.goals):
            raise ValidationError(_("Pick a goal in your list first."), "goals")
        return self._with(goals=kept)

    def with_profile(self, role: Any = None, organisation: Any = None,
                     sdgs: Any = None) -> GoalsFormModel:
        """Role, organisation and SDGs as saved with the form's button. Unlike a stored
        answer, the form needs one to five SDGs."""
        new = self._with(role=self.role if role is None else role,
                         organisation=self.organisation if organisation is None
                         else organisation,
                         sdgs=self.sdgs if sdgs is None else sdgs)
        if not new.sdgs:
            raise ValidationError(_("Tick at least one SDG (up to five), then save."),
                                  "sdgs")
        return new

    # -- reading
    def sdg_labels(self) -> list[str]:
        return [sdg_label(n) for n in self.sdgs]

    def completeness(self) -> Completeness:
        checks = {
            _("your role"): bool(self.role),
            _("at least two goals"): len(self.goals) >= 2,
            _("at least one SDG"): bool(self.sdgs),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        return [
            Block("fields", _("About me"), items=[(_("Role"), self.role or "–"),
                                                 (_("Organisation"),
                                                  self.organisation or "–")]),
            Block("table", _("What I want from this course"), columns=["#", _("Goal")],
                  rows=[[str(i), g] for i, g in enumerate(self.goals, 1)]),
            Block("table", _("The SDGs I care about most"), columns=[_("SDG"), _("Name")],
                  rows=[[str(n), sdg_name(n)] for n in self.sdgs]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "organisation": self.organisation,
                "goals": list(self.goals), "sdgs": list(self.sdgs)}

    @classmethod
    def from_dict(cls, data: Any) -> GoalsFormModel:
        data = mapping(data, _("Your goals"))
        return cls(**{k: data[k] for k in FIELDS if k in data and data[k] is not None})

    @classmethod
    def starter(cls, workbook: Workbook) -> GoalsFormModel:
        """An empty form; the SDGs of the learner's case targets (such as 16.9) are ticked."""
        picked: list[int] = []
        targets = workbook.case.get("sdg_targets") or []
        if isinstance(targets, list):
            for target in targets:
                head = str(target).strip().split(".")[0]
                if head.isdigit() and 1 <= int(head) <= 17 and int(head) not in picked:
                    picked.append(int(head))
        try:
            return cls(sdgs=picked[:MAX_SDGS])
        except ValidationError:
            return cls()


# ------------------------------------------------------------------------------- view
class GoalsForm(ExerciseView):
    """Your goals: role, organisation, up to five goals and one to five SDGs.

    >>> view = GoalsForm(workbook=Workbook.in_memory())
    >>> view.goal.value = "Plan better online services"; view.add_button.click()
    >>> view.model.goals
    ('Plan better online services',)
    """

    model_class = GoalsFormModel
    model: GoalsFormModel

    def _build(self) -> list[widgets.Widget]:
        m = self.model
        style = {"description_width": "110px"}
        wide = widgets.Layout(width="520px")
        self._shown: tuple[str, str, tuple[int, ...]] = (m.role, m.organisation, m.sdgs)
        self.role = widgets.Text(description=_("Your role"), value=m.role, style=style,
                                 placeholder=_("e.g. Director of e-services"), layout=wide)
        self.organisation = widgets.Text(description=_("Organisation"), value=m.organisation,
                                         style=style, layout=wide,
                                         placeholder=_("e.g. Ministry of ICT"))
        self.goal = widgets.Text(description=_("A goal"), style=style, layout=wide,
                                 placeholder=_("e.g. Set KPIs for our online services"))
        self.add_button = widgets.Button(description=_("Add goal"), icon="plus",
                                         button_style="primary")
        self.listing = widgets.Select(description=_("My goals"), options=[], rows=5,
                                      style=style, layout=wide)
        self.remove_button = widgets.Button(description=_("Remove selected"), icon="trash")
        self.goal_message = message_label()
        self.goals_table = widgets.HTML()
        self.checks: dict[int, widgets.Checkbox] = {
            n: widgets.Checkbox(value=n in m.sdgs, description=sdg_label(n), indent=False,
                                layout=widgets.Layout(width="300px"))
            for n in SDGS}
        self.count = widgets.HTML()
        self.save_button = widgets.Button(description=_("Save"), icon="save",
                                          button_style="primary")
        self.form_message = message_label()
        self.progress = widgets.HTML()

        self.add_button.on_click(self._guard(self._add, self.goal_message))
        self.remove_button.on_click(self._guard(self._remove, self.goal_message))
        self.save_button.on_click(self._guard(self._save, self.form_message))
        for box in self.checks.values():
            box.observe(self._guard(self._count, self.form_message), names="value")
        grid = widgets.GridBox(list(self.checks.values()), layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, minmax(300px, 1fr))"))
        return [
            widgets.HTML("<p>" + html.escape(_("Say who you are and what you want from this "
                                               "course. Goals are saved as you add them."))
                         + "</p>"),
            self.role, self.organisation,
            widgets.HTML("<b>" + html.escape(_("What do you want from the course and the "
                                               "toolkit?")) + "</b> "
                         + html.escape(_("(up to {n} goals)").format(n=MAX_GOALS))),
            widgets.HBox([self.goal, self.add_button]),
            widgets.HBox([self.listing, self.remove_button]), self.goal_message,
            self.goals_table,
            widgets.HTML("<b>" + html.escape(_("Which SDGs do you care about most?"))
                         + "</b> " + html.escape(_(
                             "Tick one to five. Digital government helps every Goal; it "
                             "serves 16, 17, 9, 4 and 5 most directly."))),
            grid, self.count, widgets.HBox([self.save_button, self.progress]),
            self.form_message,
        ]

    def _ticked(self) -> list[int]:
        return [n for n, box in self.checks.items() if box.value]

    # -- callbacks
    def _add(self, _button: Any = None) -> None:
        self.commit(self.model.with_goal(self.goal.value))
        self.goal.value = ""

    def _remove(self, _button: Any = None) -> None:
        if self.listing.value is None:
            raise ValidationError(_("Pick a goal in your list first."))
        self.commit(self.model.without_goal(self.listing.value))

    def _save(self, _button: Any = None) -> None:
        ticked = self._ticked()
        if len(ticked) > MAX_SDGS:
            raise ValidationError(_("You ticked {n} SDGs: keep at most {most}, then save.")
                                  .format(n=len(ticked), most=MAX_SDGS), "sdgs")
        self.commit(self.model.with_profile(self.role.value, self.organisation.value, ticked))

    def _count(self, _button: Any = None) -> None:
        n = len(self._ticked())
        level = "error" if n > MAX_SDGS else "info"
        if n > MAX_SDGS:
            words = _("{n} of at most {most} ticked — at most {most}, please untick some.")
        else:
            words = ngettext("{n} of at most {most} ticked.", "{n} of at most {most} ticked.",
                             n)
        show_message(self.count, words.format(n=n, most=MAX_SDGS), level)

    # -- display
    def refresh(self) -> None:
        m = self.model
        if (m.role, m.organisation, m.sdgs) != self._shown:
            # only a saved change is shown here: typing not yet saved is kept
            self.role.value, self.organisation.value = m.role, m.organisation
            for n, box in self.checks.items():
                box.value = n in m.sdgs
            self._shown = (m.role, m.organisation, m.sdgs)
        goals = list(m.goals)
        if list(self.listing.options) != goals:
            self.listing.options = goals
        self.goals_table.value = html_table(
            ["#", _("Goal")], [[i, g] for i, g in enumerate(goals, 1)]) if goals else ""
        self._count()
        done = m.completeness()
        show_message(self.progress, progress_text(done), "ok" if done.complete else "info")


__all__ = ["MAX_GOALS", "MAX_SDGS", "SDGS", "GoalsForm", "GoalsFormModel", "Workbook",
           "sdg_label", "sdg_name"]
