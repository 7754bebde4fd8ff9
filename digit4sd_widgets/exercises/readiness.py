"""Readiness checklist (submodule 6.3): rate yourself against the learning objectives of the
six modules, see a score and what to revisit. Some items are compared with the work saved in
the learner's workbook; a disagreement shows as a note, it never blocks the rating.

>>> m = ReadinessChecklistModel().with_rating("stakeholders", "partly")
>>> m.ratings["stakeholders"], m.revisit()
(1, ['3.2'])
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, ngettext, percent, pgettext
from ..workbook import Workbook
from . import maturity
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    integer,
    mapping,
    message_label,
)
from .quiz import QuizModel
from .sdg_mapper import SERVICES, SDGTargetMapperModel
from .stakeholders import StakeholderMatrixModel

RATINGS: dict[int, str] = {0: "not yet", 1: "partly", 2: "yes"}
MODULES: dict[str, str] = {
    "1": "Getting Started", "2": "Fundamentals", "3": "Planning & Analysis",
    "4": "Design & Implementation", "5": "Monitoring & Review", "6": "Moving Forward",
}
SUBMODULE_TITLES: dict[str, str] = {
    "1.1": "Background", "1.2": "Objectives", "1.3": "Overview", "2.1": "SDGs",
    "2.2": "Digital government fundamentals", "2.3": "The E-Government Survey",
    "2.4": "Data", "2.5": "E-Participation", "3.1": "Identification of target areas",
    "3.2": "Stakeholders & partnerships", "3.3": "Performance indicators",
    "4.1": "Implementation canvas", "4.2": "Integration & interoperability",
    "4.3": "Implementation at local level", "5.1": "Monitors & trackers",
    "5.2": "Evaluation & audit", "6.1": "Case studies", "6.2": "Templates",
    "6.3": "Checklist",
}
COURSE_ORDER: tuple[str, ...] = tuple(SUBMODULE_TITLES)
OTHERWISE = "Your workbook says otherwise: "


# the names above stay English (the keys, the stored answers); these are the words shown
def rating_label(rating: int) -> str:
    """A rating ("not yet", "partly", "yes") in the reader's language."""
    return {0: pgettext("readiness rating", "not yet"),
            1: pgettext("readiness rating", "partly"),
            2: pgettext("readiness rating", "yes")}.get(rating, "–")


def module_name(number: str) -> str:
    """A module's short name in the reader's language."""
    return {
        "1": pgettext("course module", "Getting Started"),
        "2": pgettext("course module", "Fundamentals"),
        "3": pgettext("course module", "Planning & Analysis"),
        "4": pgettext("course module", "Design & Implementation"),
        "5": pgettext("course module", "Monitoring & Review"),
        "6": pgettext("course module", "Moving Forward"),
    }.get(number, number)


def submodule_title(sub: str) -> str:
    """A submodule's short title in the reader's language."""
    return {
        "1.1": pgettext("course submodule", "Background"),
        "1.2": pgettext("course submodule", "Objectives"),
        "1.3": pgettext("course submodule", "Overview"),
        "2.1": pgettext("course submodule", "SDGs"),
        "2.2": pgettext("course submodule", "Digital government fundamentals"),
        "2.3": pgettext("course submodule", "The E-Government Survey"),
        "2.4": pgettext("course submodule", "Data"),
        "2.5": pgettext("course submodule", "E-Participation"),
        "3.1": pgettext("course submodule", "Identification of target areas"),
        "3.2": pgettext("course submodule", "Stakeholders & partnerships"),
        "3.3": pgettext("course submodule", "Performance indicators"),
        "4.1": pgettext("course submodule", "Implementation canvas"),
        "4.2": pgettext("course submodule", "Integration & interoperability"),
        "4.3": pgettext("course submodule", "Implementation at local level"),
        "5.1": pgettext("course submodule", "Monitors & trackers"),
        "5.2": pgettext("course submodule", "Evaluation & audit"),
        "6.1": pgettext("course submodule", "Case studies"),
        "6.2": pgettext("course submodule", "Templates"),
        "6.3": pgettext("course submodule", "Checklist"),
    }.get(sub, sub)


def submodule_label(sub: str) -> str:
    """``"3.2 Stakeholders & partnerships"``, in the reader's language."""
    return f"{sub} {submodule_title(sub)}"

Check = Callable[[Workbook], str | None]


# ------------------------------------------------------------------ workbook evidence
def _stakeholders(wb: Workbook) -> str | None:
    saved = wb.latest(StakeholderMatrixModel.kind)
    if saved is None:
        return _("Your workbook says otherwise: there is no stakeholder matrix in it yet "
                 "(submodule 3.2).")
    try:
        count = len(StakeholderMatrixModel.from_dict(saved).stakeholders)
    except ValidationError:
        return _("Your workbook says otherwise: your stakeholder matrix could not be read.")
    if count < 4:
        return ngettext("Your workbook says otherwise: your stakeholder matrix has {n} "
                        "stakeholder; aim for at least 4.",
                        "Your workbook says otherwise: your stakeholder matrix has {n} "
                        "stakeholders; aim for at least 4.", count).format(n=count)
    return None


def _sdg_mapping(wb: Workbook) -> str | None:
    saved = wb.latest(SDGTargetMapperModel.kind)
    if saved is None:
        return None
    try:
        model = SDGTargetMapperModel.from_dict(saved)
    except ValidationError:
        return None
    mapped = sum(s in model.mapping for s in SERVICES)
    if mapped < 6:
        return _("Your workbook says otherwise: you linked {n} of the {total} services in 2.1 "
                 "to SDG targets.").format(n=mapped, total=len(SERVICES))
    return None


def _maturity(wb: Workbook) -> str | None:
    saved = wb.latest(maturity.ServiceMaturityClassifierModel.kind)
    if saved is None:
        return None
    try:
        model = maturity.ServiceMaturityClassifierModel.from_dict(saved)
    except ValidationError:
        return None
    total = len(maturity.ITEMS)
    if len(model.answers) == total and model.score() < 6:
        return _("Your workbook says otherwise: you placed {n} of {total} services at the "
                 "right stage in 2.2.").format(n=model.score(), total=total)
    return None


def _country(wb: Workbook) -> str | None:
    if not wb.country:
        return _("Your workbook says otherwise: no country is chosen in it yet (submodule "
                 "1.1 or 3.1).")
    return None


def _target_area(wb: Workbook) -> str | None:
    case = wb.case
    if not str(case.get("target_area") or "").strip():
        return _("Your workbook says otherwise: no target area is saved in it yet "
                 "(submodule 3.1).")
    return None


def _quiz(submodule: str) -> Check:
    def check(wb: Workbook) -> str | None:
        saved = wb.get(f"{submodule}/quiz")
        if not isinstance(saved, dict):
            return None
        try:
            model = QuizModel.from_dict({"submodule": submodule, **saved})
        except ValidationError:
            return None
        wrong = [q for q in model.questions if model.is_right(q.id) is False]
        if wrong:
            return ngettext("Your workbook says otherwise: {n} answer in the knowledge check "
                            "of {submodule} is not right yet.",
                            "Your workbook says otherwise: {n} answers in the knowledge check "
                            "of {submodule} are not right yet.", len(wrong)).format(
                n=len(wrong), submodule=submodule)
        return None
    return check


@dataclass(frozen=True)
class Item:
    """A learning objective to rate; ``text`` and ``short`` are English, shown in the
    reader's language by :meth:`shown` and :meth:`short_shown`."""

    id: str
    module: str
    text: str
    short: str
    links: tuple[str, ...]
    check: Check | None = None

    def shown(self) -> str:
        return _(self.text)

    def short_shown(self) -> str:
        return _(self.short)


ITEMS: tuple[Item, ...] = (
    Item("groups", "1", N_("I can say which country groups (LDC, LLDC, SIDS) my country "
                           "belongs to and the barriers they share."),
         N_("country groups"), ("1.1",)),
    Item("goals", "1", N_("I have written down what I want from this course and the SDGs I "
                          "care about most."), N_("my goals"), ("1.2",)),
    Item("path", "1", N_("I know which modules matter most for my work."), N_("my path"),
         ("1.3",)),
    Item("targets", "2", N_("I can link digital services to SDG targets such as 16.6 and "
                            "16.9."),
         N_("services and SDG targets"), ("2.1",), _sdg_mapping),
    Item("stages", "2", N_("I can tell the four stages of online services apart."),
         N_("service stages"), ("2.2",), _maturity),
    Item("survey", "2", N_("I can read my country's survey results: the EGDI, its three "
                           "components and the E-Participation Index."),
         N_("survey results"), ("2.3", "2.5"), _quiz("2.5")),
    Item("data", "2", N_("I can check survey data for gaps and join sources on country "
                         "codes."), N_("data checks"), ("2.4",)),
    Item("weakest", "3", N_("I can say which of my country's EGDI components is weakest and "
                            "by how much."), N_("weakest component"), ("2.3", "3.1"),
         _country),
    Item("target_area", "3", N_("I have chosen a target area for my country and linked it to "
                                "an SDG target."), N_("target area"), ("3.1",), _target_area),
    Item("stakeholders", "3", N_("I have a stakeholder matrix with a strategy for each "
                                 "stakeholder."), N_("stakeholder matrix"), ("3.2",),
         _stakeholders),
    Item("kpi", "3", N_("I have at least one SMART KPI for my project, with its own baseline "
                        "and source, a target and a year."), N_("SMART KPI"), ("3.3",)),
    Item("canvas", "4", N_("I have filled in the implementation canvas for my initiative."),
         N_("canvas"), ("4.1",)),
    Item("layers", "4", N_("I can name the four layers of interoperability and say where my "
                           "initiative is weakest."), N_("interoperability"), ("4.2",),
         _quiz("4.2")),
    Item("local", "4", N_("I know what a good local online service offers."),
         N_("local services"), ("4.3",)),
    Item("tracking", "5", N_("I track my KPIs over time and can say which are on track."),
         N_("KPI tracking"), ("5.1",)),
    Item("criteria", "5", N_("I can evaluate an initiative with the six criteria, from "
                             "relevance to sustainability."), N_("evaluation criteria"),
         ("5.2",), _quiz("5.2")),
    Item("group_change", "5", N_("I can compare my country's change with its group's "
                                 "change."), N_("change against the group"), ("5.2",),
         _country),
    Item("lessons", "6", N_("I can name lessons from a case study that apply to my country."),
         N_("lessons from cases"), ("6.1",)),
    Item("dossier", "6", N_("I have my dossier, with my work filled in, saved or printed."),
         N_("dossier"), ("6.2",)),
    Item("next_steps", "6", N_("I know my next steps back at work and whom to involve first."),
         N_("next steps"), ("3.2", "4.1")),
)
ITEM_IDS = tuple(i.id for i in ITEMS)


def _item(item_id: Any) -> Item:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise ValidationError(_("There is no checklist item {item!r}.").format(
        item=str(item_id)[:40]), "ratings")


def _rating(value: Any) -> int:
    if isinstance(value, str):
        typed = value.strip().casefold()
        for k, v in RATINGS.items():  # the English word or the reader's
            if typed in (v, rating_label(k).casefold()):
                return k
    return integer(value, _("A rating"), lo=0, hi=2, field="ratings")


def in_course_order(submodules: set[str]) -> list[str]:
    return [s for s in COURSE_ORDER if s in submodules]


class ReadinessChecklistModel(ExerciseModel):
    """Ratings 0 (not yet), 1 (partly) or 2 (yes) for each learning objective."""

    kind: ClassVar[str] = "readiness_checklist"
    title: ClassVar[str] = N_("Readiness checklist")
    submodule: ClassVar[str] = "6.3"

    def __init__(self, ratings: Mapping[str, Any] | None = None):
        given = dict(ratings or {})
        for item_id in given:
            _item(item_id)
        self.ratings: dict[str, int] = {i.id: _rating(given[i.id]) for i in ITEMS
                                        if i.id in given}

    # -- changes
    def with_rating(self, item_id: str, rating: int | str | None) -> ReadinessChecklistModel:
        """A new model with one item rated (None clears the rating)."""
        item = _item(item_id)
        rest = {k: v for k, v in self.ratings.items() if k != item.id}
        if rating is None:
            return ReadinessChecklistModel(rest)
        return ReadinessChecklistModel({**rest, item.id: _rating(rating)})

    # -- reading
    def score_percent(self) -> int:
        """Points out of the maximum (every item "yes"), as a whole percentage."""
        return round(100 * sum(self.ratings.values()) / (2 * len(ITEMS)))

    def readiness(self, workbook: Workbook) -> dict[str, str]:
        """Notes for items rated "yes" that the work saved in ``workbook`` does not bear out.

        >>> notes = ReadinessChecklistModel({"stakeholders": 2}).readiness(Workbook.in_memory())
        >>> notes["stakeholders"]
        'Your workbook says otherwise: there is no stakeholder matrix in it yet (submodule 3.2).'
        """
        notes = {}
        for item in ITEMS:
            if item.check is None or self.ratings.get(item.id) != 2:
                continue
            try:
                note = item.check(workbook)
            except Exception:  # evidence is a hint; a broken check must not break the list
                note = None
            if note:
                notes[item.id] = note
        return notes

    def revisit(self, workbook: Workbook | None = None) -> list[str]:
        """Submodules linked to items rated "not yet" or "partly" (and, with a workbook, to
        "yes" items it does not bear out), in course order. Unrated items are left out:
        :meth:`completeness` lists them."""
        items = {i for i, r in self.ratings.items() if r < 2}
        if workbook is not None:
            items |= set(self.readiness(workbook))
        return in_course_order({s for i in ITEMS if i.id in items for s in i.links})

    def completeness(self) -> Completeness:
        missing = [_("rate: {topic}").format(topic=i.short_shown()) for i in ITEMS
                   if i.id not in self.ratings]
        return Completeness(len(self.ratings), len(ITEMS), missing)

    def report(self) -> list[Block]:
        revisit = self.revisit()
        rows = [[module_name(i.module), i.shown(),
                 rating_label(self.ratings.get(i.id, -1)), ", ".join(i.links)] for i in ITEMS]
        return [
            Block("fields", _("Readiness"), items=[
                (_("Score"), percent(self.score_percent() / 100)),
                (_("Rated"), _("{n} of {total}").format(n=len(self.ratings), total=len(ITEMS))),
                (_("To revisit"), ", ".join(submodule_label(s) for s in revisit) or "–")]),
            Block("table", _("Checklist"),
                  columns=[_("Module"), _("Item"), _("Rating"), _("Submodules")], rows=rows),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"ratings": dict(self.ratings)}

    @classmethod
    def from_dict(cls, data: Any) -> ReadinessChecklistModel:
        data = mapping(data, _("A checklist"))
        ratings = data.get("ratings")
        ratings = mapping({} if ratings is None else ratings, _("Ratings"))
        return cls(dict(ratings))


# ------------------------------------------------------------------------------- view
class ReadinessChecklist(ExerciseView):
    """Rate each item "not yet", "partly" or "yes"; the score and the list of submodules to
    revisit update at once.

    >>> view = ReadinessChecklist(workbook=Workbook.in_memory())
    >>> view.toggles["kpi"].value = 1
    >>> view.model.revisit()
    ['3.3']
    """

    model_class = ReadinessChecklistModel
    model: ReadinessChecklistModel

    def _build(self) -> list[widgets.Widget]:
        self._refreshing = False
        self.toggles: dict[str, widgets.ToggleButtons] = {}
        self.notes: dict[str, widgets.HTML] = {}
        self.item_message = message_label()
        parts: list[widgets.Widget] = [widgets.HTML("<p>" + html.escape(_(
            "For each statement, choose how ready you feel. Be honest: the result tells you "
            "what to revisit.")) + "</p>")]
        for number in MODULES:
            heading = _("Module {number}: {name}").format(number=number,
                                                          name=module_name(number))
            parts.append(widgets.HTML(f"<h4>{html.escape(heading)}</h4>"))
            for item in (i for i in ITEMS if i.module == number):
                toggle = widgets.ToggleButtons(
                    options=[(rating_label(value), value) for value in RATINGS], value=None,
                    style={"button_width": "80px"})
                toggle.observe(self._guard(self._rated_for(item.id), self.item_message),
                               names="value")
                self.toggles[item.id] = toggle
                self.notes[item.id] = widgets.HTML()
                parts.append(widgets.VBox([
                    widgets.HBox([widgets.HTML(html.escape(item.shown()),
                                               layout=widgets.Layout(width="460px")),
                                   toggle]),
                    self.notes[item.id]]))
        self.score_bar = widgets.IntProgress(min=0, max=100, value=0,
                                             description=_("Ready"))
        self.summary = widgets.HTML()
        return [*parts, self.item_message, self.score_bar, self.summary]

    def _rated_for(self, item_id: str):
        def rated(change) -> None:
            if self._refreshing:
                return
            self.commit(self.model.with_rating(item_id, change["new"]))
        return rated

    def refresh(self) -> None:
        notes = self.model.readiness(self.workbook)
        self._refreshing = True
        try:
            for item in ITEMS:
                rating = self.model.ratings.get(item.id)
                if self.toggles[item.id].value != rating:
                    self.toggles[item.id].value = rating
                note = notes.get(item.id, "")
                self.notes[item.id].value = (
                    f"<span class='d4-note' style='color:#8a5300'>ⓘ {html.escape(note)}</span>"
                    if note else "")
        finally:
            self._refreshing = False
        score = self.model.score_percent()
        self.score_bar.value = score
        revisit = self.model.revisit(self.workbook)
        done = self.model.completeness()
        head = html.escape(_("Score: {score}")).format(score=html.escape(percent(score / 100)))
        rated = ngettext("({done} of {total} items rated)", "({done} of {total} items rated)",
                         done.done).format(done=done.done, total=done.total)
        lines = [f"<b>{head}</b> {html.escape(rated)}"]
        if revisit:
            lines.append(html.escape(_("What to revisit:")) + " <ul>" + "".join(
                f"<li>{html.escape(submodule_label(s))}</li>" for s in revisit) + "</ul>")
        elif done.complete:
            lines.append(html.escape(_("Nothing to revisit: well done!")))
        self.summary.value = "<div class='d4-summary'>" + "<br>".join(lines) + "</div>"


__all__ = ["ITEMS", "MODULES", "RATINGS", "SUBMODULE_TITLES", "Item", "ReadinessChecklist",
           "ReadinessChecklistModel", "Workbook", "module_name", "rating_label",
           "submodule_label", "submodule_title"]
