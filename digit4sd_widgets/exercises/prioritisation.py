"""Prioritisation matrix (submodule 3.1): score candidate target areas against weighted
criteria; the top-ranked area becomes the learner's case.

Each area gets a score from 1 (poor) to 5 (very good) on every criterion. Its weighted score
is ``sum(weight * score) / sum(weights)``, so it stays on the same 1-5 scale. For the cost
criterion a higher score means *cheaper*: 5 is affordable with the means at hand.

>>> m = PrioritisationMatrixModel().with_area("Digital birth registration",
...                                           sdg_targets="16.9, 17.8")
>>> m = m.with_area("Online business licences", scores={"Feasibility": 5})
>>> [(rank, area.name) for rank, area, _ in m.ranking()]
[(1, 'Online business licences'), (2, 'Digital birth registration')]
>>> parse_sdg_targets("16.6, 16.9")
['16.6', '16.9']
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts
from ..i18n import N_, _
from ..i18n import number as shown_figure
from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    _fmt,
    chart_block,
    html_table,
    integer,
    mapping,
    message_label,
    number,
    semicolons,
    sequence,
    show_message,
    text,
)

#: the criteria a matrix starts with; their names are stored in English (the learner's
#: own criteria as typed) and shown through :func:`criterion_label`
DEFAULT_CRITERIA: tuple[tuple[str, float], ...] = (
    (N_("Impact on the SDGs"), 3.0),
    (N_("Feasibility"), 2.0),
    (N_("Cost"), 2.0),
    (N_("SDG alignment"), 2.0),
    (N_("Urgency"), 1.0),
)
CRITERIA_HELP = {
    "Impact on the SDGs": N_("how much it would move your country towards the SDGs"),
    "Feasibility": N_("how realistic it is with today's skills, systems and rules"),
    "Cost": N_("a higher score means cheaper: 5 = affordable with what you have, "
               "1 = very expensive"),
    "SDG alignment": N_("how closely it fits the SDG targets and national plans"),
    "Urgency": N_("how soon people need it"),
}
_DEFAULT_NAMES = frozenset(n for n, _w in DEFAULT_CRITERIA)
MAX_CRITERIA = 10
MAX_AREAS = 12
MAX_CRITERION_NAME = 60
MAX_WEIGHT = 100.0
MAX_SDG_TEXT = 200
DEFAULT_SCORE = 3
ZERO_WEIGHTS = N_("Give at least one criterion a weight above zero.")

_TARGET = re.compile(r"^(?:1[0-7]|[1-9])\.(?:\d{1,2}|[a-z])$")
_NOISE = re.compile(r"\b(?:sdgs?|targets?|goal)\b", re.IGNORECASE)


def criterion_label(name: str) -> str:
    """A criterion's name as the reader reads it: a default criterion in the reader's
    language, the learner's own as typed."""
    return _(name) if name in _DEFAULT_NAMES else name


def parse_sdg_targets(value: Any) -> list[str]:
    """SDG targets written as text, as a list: ``"16.6, 16.9"`` -> ``['16.6', '16.9']``.

    Separators may be commas, semicolons, slashes or spaces; words such as "SDG" or "target"
    are ignored. Anything that is not a target (goal 1 to 17, then a number or a letter) is
    refused with a :class:`ValidationError`.

    >>> parse_sdg_targets("SDG 16.9; 9.C")
    ['16.9', '9.c']
    """
    raw = text(value, _("SDG targets"), max_len=MAX_SDG_TEXT, field="sdg_targets")
    out: list[str] = []
    for token in re.split(r"[\s,;/]+", _NOISE.sub(" ", raw)):
        token = token.strip().rstrip(".").lower()
        if not token:
            continue
        if not _TARGET.match(token):
            raise ValidationError(
                _("{typed} is not an SDG target. Write targets as numbers such as 16.6 or "
                  "9.c, separated by commas.").format(typed=repr(token[:20])), "sdg_targets")
        if token not in out:
            out.append(token)
    return out


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float

    @classmethod
    def parse(cls, data: Any) -> Criterion:
        data = mapping(data, _("A criterion"))
        return cls(
            name=text(data.get("name"), _("The criterion's name"), required=True,
                      max_len=MAX_CRITERION_NAME, field="criterion"),
            weight=number(data.get("weight"), _("The weight"), lo=0, hi=MAX_WEIGHT,
                          field="weight"),
        )

    def to_dict(self) -> dict[str, Any]:
        weight = int(self.weight) if float(self.weight).is_integer() else self.weight
        return {"name": self.name, "weight": weight}


@dataclass(frozen=True)
class Area:
    name: str
    sdg_targets: str
    scores: tuple[tuple[str, int], ...]  # (criterion name, 1-5), in criteria order

    @property
    def targets(self) -> list[str]:
        return parse_sdg_targets(self.sdg_targets)

    def score(self, criterion: str) -> int:
        return dict(self.scores)[criterion]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sdg_targets": self.sdg_targets,
                "scores": dict(self.scores)}


def _parse_area(data: Any, criteria: tuple[Criterion, ...]) -> Area:
    data = mapping(data, _("A target area"))
    name = text(data.get("name"), _("The area's name"), required=True, max_len=MAX_NAME,
                field="area")
    sdg = text(data.get("sdg_targets", ""), _("SDG targets"), max_len=MAX_SDG_TEXT,
               field="sdg_targets")
    parse_sdg_targets(sdg)
    raw_scores = data.get("scores")
    given = mapping({} if raw_scores is None else raw_scores, _("The scores"))
    known = {c.name for c in criteria}
    for key in given:
        if key not in known:
            raise ValidationError(_("A score is given for '{name}', which is not one of the "
                                    "criteria.").format(name=str(key)[:40]), "scores")
    scores = tuple(
        (c.name, integer(given.get(c.name, DEFAULT_SCORE),
                         _("The score for {criterion}").format(
                             criterion=criterion_label(c.name)),
                         lo=1, hi=5, field="scores"))
        for c in criteria)
    return Area(name, sdg, scores)


class PrioritisationMatrixModel(ExerciseModel):
    """Weighted criteria and candidate target areas, ranked by weighted score.

    >>> m = PrioritisationMatrixModel().with_weight("Urgency", "0,5")
    >>> m.weights()["Urgency"]
    0.5
    """

    kind: ClassVar[str] = "prioritisation_matrix"
    title: ClassVar[str] = N_("Prioritisation matrix")
    submodule: ClassVar[str] = "3.1"

    def __init__(self, criteria: tuple[Criterion, ...] | None = None,
                 areas: tuple[Area, ...] = ()):
        if criteria is None:
            criteria = tuple(Criterion(n, w) for n, w in DEFAULT_CRITERIA)
        criteria = tuple(criteria)
        if not criteria:
            raise ValidationError(_("Keep at least one criterion."), "criterion")
        if len(criteria) > MAX_CRITERIA:
            raise ValidationError(_("At most {count} criteria.").format(count=MAX_CRITERIA),
                                  "criterion")
        names = [c.name.casefold() for c in criteria]
        if len(set(names)) != len(names):
            raise ValidationError(_("Each criterion needs a different name."), "criterion")
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(_(ZERO_WEIGHTS), "weight")
        areas = tuple(areas)
        if len(areas) > MAX_AREAS:
            raise ValidationError(_("At most {count} candidate areas: remove one first.")
                                  .format(count=MAX_AREAS), "area")
        area_names = [a.name.casefold() for a in areas]
        if len(set(area_names)) != len(area_names):
            raise ValidationError(_("Each candidate area needs a different name."), "area")
        order = [c.name for c in criteria]
        for a in areas:
            if [k for k, _score in a.scores] != order:
                raise ValidationError(_("'{area}' needs one score for each criterion.").format(
                    area=a.name), "scores")
        self.criteria = criteria
        self.areas = areas

    # -- changes to the criteria (each returns a new model or raises ValidationError)
    def with_weights(self, weights: Mapping[str, Any]) -> PrioritisationMatrixModel:
        """New weights for some or all criteria (numbers >= 0, also typed as text)."""
        new = []
        for c in self.criteria:
            if c.name in weights:
                label = _("The weight of {criterion}").format(criterion=criterion_label(c.name))
                new.append(Criterion(c.name, number(weights[c.name], label,
                                                    lo=0, hi=MAX_WEIGHT, field="weight")))
            else:
                new.append(c)
        unknown = [k for k in weights if k not in {c.name for c in self.criteria}]
        if unknown:
            raise ValidationError(_("There is no criterion called '{name}'.").format(
                name=str(unknown[0])), "criterion")
        return PrioritisationMatrixModel(tuple(new), self.areas)

    def with_weight(self, name: str, weight: Any) -> PrioritisationMatrixModel:
        return self.with_weights({self._criterion(name).name: weight})

    def with_criterion(self, name: Any, weight: Any = 1) -> PrioritisationMatrixModel:
        """Add a criterion; every area starts with the middle score (3) on it."""
        new = Criterion.parse({"name": name, "weight": weight})
        if any(new.name.casefold() in (c.name.casefold(), criterion_label(c.name).casefold())
               for c in self.criteria):
            raise ValidationError(_("There is already a criterion called '{name}'.").format(
                name=new.name), "criterion")
        if len(self.criteria) >= MAX_CRITERIA:
            raise ValidationError(_("At most {count} criteria: remove one first.").format(
                count=MAX_CRITERIA), "criterion")
        areas = tuple(Area(a.name, a.sdg_targets, (*a.scores, (new.name, DEFAULT_SCORE)))
                      for a in self.areas)
        return PrioritisationMatrixModel((*self.criteria, new), areas)

    def without_criterion(self, name: str) -> PrioritisationMatrixModel:
        gone = self._criterion(name)
        if len(self.criteria) == 1:
            raise ValidationError(_("Keep at least one criterion."), "criterion")
        criteria = tuple(c for c in self.criteria if c is not gone)
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(" ".join([
                _("Without '{name}' no criterion would count.").format(
                    name=criterion_label(gone.name)), _(ZERO_WEIGHTS)]), "weight")
        areas = tuple(Area(a.name, a.sdg_targets,
                           tuple(p for p in a.scores if p[0] != gone.name))
                      for a in self.areas)
        return PrioritisationMatrixModel(criteria, areas)

    def _criterion(self, name: Any) -> Criterion:
        key = str(name).strip().casefold()
        for c in self.criteria:
            if c.name.casefold() == key:
                return c
        for c in self.criteria:  # a default criterion by the name the reader reads
            if criterion_label(c.name).casefold() == key:
                return c
        raise ValidationError(_("There is no criterion called '{name}'.").format(
            name=str(name)[:40]), "criterion")

    # -- changes to the areas
    def with_area(self, name: Any, sdg_targets: Any = "",
                  scores: Mapping[str, Any] | None = None) -> PrioritisationMatrixModel:
        """Add a candidate area; scores missing from ``scores`` start at 3."""
        new = _parse_area({"name": name, "sdg_targets": sdg_targets, "scores": scores or {}},
                          self.criteria)
        if any(a.name.casefold() == new.name.casefold() for a in self.areas):
            raise ValidationError(_("'{area}' is already in the list: pick it to change it.")
                                  .format(area=new.name), "area")
        if len(self.areas) >= MAX_AREAS:
            raise ValidationError(_("At most {count} candidate areas: remove one first.")
                                  .format(count=MAX_AREAS), "area")
        return PrioritisationMatrixModel(self.criteria, (*self.areas, new))

    def with_area_updated(self, old_name: str, **fields: Any) -> PrioritisationMatrixModel:
        """Change an area's name, SDG targets or (some of) its scores."""
        index = self._area_index(old_name)
        current = self.areas[index].to_dict()
        raw_scores = fields.get("scores")
        scores = {**current["scores"],
                  **dict(mapping({} if raw_scores is None else raw_scores, _("The scores")))}
        merged = {**current, **fields, "scores": scores}
        new = _parse_area(merged, self.criteria)
        if any(a.name.casefold() == new.name.casefold()
               for i, a in enumerate(self.areas) if i != index):
            raise ValidationError(_("Another area is already called '{area}'.").format(
                area=new.name), "area")
        areas = list(self.areas)
        areas[index] = new
        return PrioritisationMatrixModel(self.criteria, tuple(areas))

    def without_area(self, name: str) -> PrioritisationMatrixModel:
        index = self._area_index(name)
        return PrioritisationMatrixModel(
            self.criteria, tuple(a for i, a in enumerate(self.areas) if i != index))

    def _area_index(self, name: Any) -> int:
        key = str(name).strip().casefold()
        for i, a in enumerate(self.areas):
            if a.name.casefold() == key:
                return i
        raise ValidationError(_("There is no candidate area called '{area}'.").format(
            area=str(name)[:40]), "area")

    # -- reading
    def criterion_names(self) -> list[str]:
        return [c.name for c in self.criteria]

    def area_names(self) -> list[str]:
        return [a.name for a in self.areas]

    def weights(self) -> dict[str, float]:
        return {c.name: c.weight for c in self.criteria}

    def weighted_score(self, area: Area) -> float:
        """``sum(weight * score) / sum(weights)``, on the 1-5 scale."""
        total = sum(c.weight for c in self.criteria)
        return sum(c.weight * area.score(c.name) for c in self.criteria) / total

    def ranking(self) -> list[tuple[int, Area, float]]:
        """(rank, area, weighted score), best first; equal scores share a rank (1, 1, 3)."""
        scored = [(a, self.weighted_score(a)) for a in self.areas]
        scored.sort(key=lambda p: -round(p[1], 9))  # stable: ties keep the entry order
        out: list[tuple[int, Area, float]] = []
        previous = None
        rank = 0
        for i, (area, score) in enumerate(scored):
            if round(score, 9) != previous:
                rank, previous = i + 1, round(score, 9)
            out.append((rank, area, score))
        return out

    def top(self) -> Area | None:
        """The first-ranked area (on a tie: the one entered first)."""
        ranked = self.ranking()
        return ranked[0][1] if ranked else None

    def tied_for_first(self) -> list[str]:
        ranked = self.ranking()
        firsts = [a.name for rank, a, _score in ranked if rank == 1]
        return firsts if len(firsts) > 1 else []

    def case_fields(self) -> dict[str, Any] | None:
        """What the learner's case becomes: the top area and its SDG targets."""
        top = self.top()
        if top is None:
            return None
        return {"target_area": top.name, "sdg_targets": top.targets}

    def completeness(self) -> Completeness:
        top = self.top()
        checks = {
            _("at least three candidate areas"): len(self.areas) >= 3,
            _("SDG targets for the top-ranked area"): top is not None and bool(top.targets),
            _("one clear winner (no tie for first place)"): top is not None
            and not self.tied_for_first(),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        names = self.criterion_names()
        rows = [[str(rank), a.name, a.sdg_targets or "–", shown_figure(score, 2),
                 *[str(a.score(n)) for n in names]] for rank, a, score in self.ranking()]
        blocks = [
            Block("fields", _("Criteria and weights"),
                  items=[(criterion_label(c.name), _fmt(c.weight)) for c in self.criteria]),
            Block("table", _("Ranking of candidate target areas"),
                  columns=ranking_columns(self), rows=rows),
        ]
        if self.areas:
            blocks.append(chart_block(_("Weighted scores (1-5)"),
                                      lambda chart: show_ranking_chart(chart, self)))
        top = self.top()
        blocks.append(Block("note", _("Your case"), text=(
            _("Top-ranked area: {area}.").format(area=top.name) if top
            else _("No candidate area yet."))))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"criteria": [c.to_dict() for c in self.criteria],
                "areas": [a.to_dict() for a in self.areas]}

    @classmethod
    def from_dict(cls, data: Any) -> PrioritisationMatrixModel:
        data = mapping(data, _("A prioritisation matrix"))
        if data.get("criteria") is None:
            criteria = None
        else:
            criteria = tuple(Criterion.parse(c) for c in
                             sequence(data["criteria"], _("Criteria"), max_len=MAX_CRITERIA))
        model = cls(criteria)
        raw_areas = data.get("areas")
        items = sequence([] if raw_areas is None else raw_areas, _("Candidate areas"),
                         max_len=MAX_AREAS)
        return cls(model.criteria, tuple(_parse_area(a, model.criteria) for a in items))


# ------------------------------------------------------------------------------- view
def ranking_columns(model: PrioritisationMatrixModel) -> list[str]:
    """The headers of the ranking table, in the reader's language."""
    return [_("Rank"), _("Area"), _("SDG targets"), _("Weighted score"),
            *(criterion_label(n) for n in model.criterion_names())]


def _short(label: str, size: int = 14) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def ranking_chart(model: PrioritisationMatrixModel) -> bytes:
    """Bar chart of the weighted scores, best first, the top area outlined."""
    ranked = model.ranking()
    labels = [_short("".join(ch for ch in a.name if ch.isprintable()))
              for _rank, a, _score in ranked]
    top = labels[0] if labels else None
    with warnings.catch_warnings():  # a name in a script the chart font lacks: boxes, no noise
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        return charts.bar_chart(labels,
                                {_("Weighted score"): [s for _rank, _area, s in ranked]},
                                title=_(CHART_TITLE), ylim=(0, 5), highlight=top)


CHART_TITLE = N_("Weighted score of each candidate area")


def show_ranking_chart(chart: charts.Chart, model: PrioritisationMatrixModel) -> None:
    """The ranking chart with words and numbers for a screen reader: every area's weighted
    score, best first, with its full name. Nothing while there is no area."""
    ranked = model.ranking()
    if not ranked:
        chart.show(b"", "")
        return
    names = [a.name for _rank, a, _score in ranked]
    groups = {_("Weighted score"): [s for _rank, _area, s in ranked]}
    alt = " ".join([charts.describe_bars(names, groups, title=_(
        "Weighted score of each candidate area (1 to 5), best first")),
                    _("Top area: {area}.").format(area=names[0])])
    chart.show(ranking_chart(model), alt, *charts.bars_table(names, groups, label=_("Area"),
                                                             digits=2))


class PrioritisationMatrix(ExerciseView):
    """Prioritisation matrix: weigh the criteria, score the candidate areas, see the ranking.

    >>> view = PrioritisationMatrix(workbook=Workbook.in_memory())
    >>> view.area_name.value = "Digital birth registration"; view.add_area_button.click()
    >>> view.workbook.case["target_area"]
    'Digital birth registration'
    """

    model_class = PrioritisationMatrixModel
    model: PrioritisationMatrixModel

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "150px"}
        self._shown_criteria: tuple[tuple[str, float], ...] | None = None
        self._chart_key: tuple | None = None
        self.weight_boxes: dict[str, widgets.Text] = {}
        self.score_sliders: dict[str, widgets.IntSlider] = {}

        # criteria
        self.criteria_rows = widgets.VBox()
        self.apply_weights_button = widgets.Button(description=_("Use these weights"),
                                                   button_style="primary", icon="check")
        self.new_criterion = widgets.Text(description=_("New criterion"),
                                          placeholder=_("e.g. Public demand"), style=style)
        self.new_weight = widgets.Text(description=_("Its weight"), value="1", style=style)
        self.add_criterion_button = widgets.Button(description=_("Add criterion"), icon="plus")
        self.remove_criterion = widgets.Dropdown(description=_("Criterion"), options=[],
                                                 style=style)
        self.remove_criterion_button = widgets.Button(description=_("Remove criterion"),
                                                      icon="trash")
        self.criteria_message = message_label()
        self.apply_weights_button.on_click(self._guard(self._apply_weights,
                                                       self.criteria_message))
        self.add_criterion_button.on_click(self._guard(self._add_criterion,
                                                       self.criteria_message))
        self.remove_criterion_button.on_click(self._guard(self._remove_criterion,
                                                          self.criteria_message))
        criteria_box = widgets.VBox([
            widgets.HTML(_("<b>1. Criteria and their weights</b> (higher weights count more; "
                           "a weight of 0 leaves a criterion out). For <b>{cost}</b>, a higher "
                           "score means cheaper.").format(cost=html.escape(_("Cost")))),
            self.criteria_rows, self.apply_weights_button,
            widgets.HBox([self.new_criterion, self.new_weight, self.add_criterion_button]),
            widgets.HBox([self.remove_criterion, self.remove_criterion_button]),
            self.criteria_message])

        # areas
        self.area_name = widgets.Text(description=_("Target area"),
                                      placeholder=_("e.g. Digital birth registration"),
                                      style=style)
        self.area_sdg = widgets.Text(description=_("SDG target(s)"),
                                     placeholder=_("e.g. 16.9, 17.8"), style=style)
        self.slider_box = widgets.VBox()
        self.criteria_help = widgets.HTML()
        self.add_area_button = widgets.Button(description=_("Add area"),
                                              button_style="primary", icon="plus")
        self.update_area_button = widgets.Button(description=_("Update selected"),
                                                 icon="pencil")
        self.remove_area_button = widgets.Button(description=_("Remove selected"), icon="trash")
        self.area_list = widgets.Select(description=_("Candidate areas"), options=[], rows=6,
                                        style=style)
        self.area_message = message_label()
        self.add_area_button.on_click(self._guard(self._add_area, self.area_message))
        self.update_area_button.on_click(self._guard(self._update_area, self.area_message))
        self.remove_area_button.on_click(self._guard(self._remove_area, self.area_message))
        self.area_list.observe(self._guard(self._select_area, self.area_message),
                               names="value")
        form = widgets.VBox([
            self.area_name, self.area_sdg,
            widgets.HTML(html.escape(_("Score each criterion from 1 (poor) to 5 (very "
                                       "good):"))),
            self.slider_box, self.criteria_help,
            widgets.HBox([self.add_area_button, self.update_area_button,
                           self.remove_area_button]),
            self.area_message])
        areas_box = widgets.VBox([
            widgets.HTML("<b>" + html.escape(_("2. Candidate target areas")) + "</b>"),
            # on a narrow screen the list goes below the form rather than squeezing it
            widgets.HBox([form, self.area_list],
                         layout=widgets.Layout(flex_flow="row wrap"))])

        # results
        self.table = widgets.HTML()
        self.chart = charts.Chart()
        self.case_button = widgets.Button(description=_("Make the top area my case"),
                                          icon="flag", layout=widgets.Layout(width="auto"))
        self.case_message = message_label()  # refusals
        self.case_note = message_label()  # what became the case
        self.progress = widgets.HTML()
        self.case_button.on_click(self._guard(self._make_case, self.case_message))
        results = widgets.VBox([widgets.HTML("<b>" + html.escape(_("3. Ranking")) + "</b>"),
                                self.table, self.chart,
                                widgets.HBox([self.case_button]), self.case_message,
                                self.case_note, self.progress])
        return [criteria_box, areas_box, results]

    # -- callbacks
    def _apply_weights(self, _button=None) -> None:
        typed = {name: box.value for name, box in self.weight_boxes.items()}
        self.commit(self.model.with_weights(typed))

    def _add_criterion(self, _button=None) -> None:
        self.commit(self.model.with_criterion(self.new_criterion.value, self.new_weight.value))
        self.new_criterion.value = ""
        self.new_weight.value = "1"

    def _remove_criterion(self, _button=None) -> None:
        if not self.remove_criterion.value:
            raise ValidationError(_("Pick a criterion to remove first."))
        self.commit(self.model.without_criterion(self.remove_criterion.value))

    def _scores(self) -> dict[str, int]:
        return {name: slider.value for name, slider in self.score_sliders.items()}

    def _add_area(self, _button=None) -> None:
        self.commit(self.model.with_area(self.area_name.value, self.area_sdg.value,
                                         self._scores()))
        self.area_name.value = ""
        self.area_sdg.value = ""

    def _update_area(self, _button=None) -> None:
        if not self.area_list.value:
            raise ValidationError(_("Pick an area in the list first."))
        self.commit(self.model.with_area_updated(
            self.area_list.value, name=self.area_name.value, sdg_targets=self.area_sdg.value,
            scores=self._scores()))

    def _remove_area(self, _button=None) -> None:
        if not self.area_list.value:
            raise ValidationError(_("Pick an area in the list first."))
        self.commit(self.model.without_area(self.area_list.value))

    def _select_area(self, change) -> None:
        for a in self.model.areas:
            if a.name == change["new"]:
                self.area_name.value, self.area_sdg.value = a.name, a.sdg_targets
                for name, value in a.scores:
                    if name in self.score_sliders:
                        self.score_sliders[name].value = value

    def _make_case(self, _button=None) -> None:
        if self._sync_case(force=True) is None:
            raise ValidationError(_("Add at least one candidate area first."))

    def commit(self, model: ExerciseModel) -> None:
        """Save, then make the top-ranked area the learner's case."""
        super().commit(model)
        self._sync_case()

    def _sync_case(self, force: bool = False) -> dict[str, Any] | None:
        fields = self.model.case_fields()
        if fields is None:
            return None
        case = self.workbook.case
        changed = (case.get("target_area") != fields["target_area"]
                   or case.get("sdg_targets") != fields["sdg_targets"])
        if changed or force:
            self.workbook.set_case(**fields)
            targets = ", ".join(fields["sdg_targets"]) or _("none given yet")
            show_message(self.case_note, _("Your case is now: {area} (SDG targets: "
                                           "{targets}).").format(area=fields["target_area"],
                                                                 targets=targets), "ok")
        return fields

    # -- showing the model
    def refresh(self) -> None:
        shown = tuple((c.name, c.weight) for c in self.model.criteria)
        if shown != self._shown_criteria:
            self._show_criteria()
            self._shown_criteria = shown
        names = self.model.area_names()
        if list(self.area_list.options) != names:
            self.area_list.options = names
        ranked = self.model.ranking()
        rows = [[rank, a.name, a.sdg_targets or "–", shown_figure(score, 2),
                 *[a.score(n) for n in self.model.criterion_names()]]
                for rank, a, score in ranked]
        self.table.value = html_table(ranking_columns(self.model), rows) if rows else (
            "<i>" + html.escape(_("Add candidate areas to see the ranking.")) + "</i>")
        key = tuple((a.name, round(s, 9)) for _rank, a, s in ranked)
        if key != self._chart_key:
            show_ranking_chart(self.chart, self.model)
            self.chart.layout.display = "" if ranked else "none"
            self._chart_key = key
        if not ranked:
            show_message(self.case_note, "")
        tied = self.model.tied_for_first()
        done = self.model.completeness()
        todo = semicolons(done.missing)
        note = _("{progress} — still needed: {todo}").format(progress=done, todo=todo) \
            if todo else str(done)
        if tied:
            note += ". " + _("{areas} share first place; the one entered first counts as "
                             "your case until a score breaks the tie").format(
                areas=", ".join(tied))
        show_message(self.progress, note, "ok" if done.complete else "info")

    def _show_criteria(self) -> None:
        old = {name: s.value for name, s in self.score_sliders.items()}
        self.weight_boxes = {}
        self.score_sliders = {}
        rows = []
        for c in self.model.criteria:
            label = criterion_label(c.name)
            box = widgets.Text(value=_fmt(c.weight), description=_short(label, 28),
                               style={"description_width": "190px"},
                               layout=widgets.Layout(width="260px"))
            self.weight_boxes[c.name] = box
            rows.append(box)
            self.score_sliders[c.name] = widgets.IntSlider(
                description=_short(label, 22), min=1, max=5,
                value=old.get(c.name, DEFAULT_SCORE), style={"description_width": "150px"},
                # the track gets about 250px after the 150px name and the number
                layout=widgets.Layout(width="460px", max_width="100%"))
        self.criteria_rows.children = rows
        self.slider_box.children = list(self.score_sliders.values())
        self.remove_criterion.options = [(criterion_label(n), n)
                                         for n in self.model.criterion_names()]
        helps = [f"<li><b>{html.escape(criterion_label(c.name))}</b>: "
                 f"{html.escape(_(CRITERIA_HELP[c.name]))}</li>"
                 for c in self.model.criteria if c.name in CRITERIA_HELP]
        self.criteria_help.value = (f"<ul style='margin:0;font-size:90%'>{''.join(helps)}</ul>"
                                    if helps else "")


__all__ = ["CRITERIA_HELP", "DEFAULT_CRITERIA", "Area", "Criterion", "PrioritisationMatrix",
           "PrioritisationMatrixModel", "Workbook", "parse_sdg_targets"]
