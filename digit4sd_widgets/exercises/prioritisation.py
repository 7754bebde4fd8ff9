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
    sequence,
    show_message,
    text,
)

DEFAULT_CRITERIA: tuple[tuple[str, float], ...] = (
    ("Impact on the SDGs", 3.0),
    ("Feasibility", 2.0),
    ("Cost", 2.0),
    ("SDG alignment", 2.0),
    ("Urgency", 1.0),
)
CRITERIA_HELP = {
    "Impact on the SDGs": "how much it would move your country towards the SDGs",
    "Feasibility": "how realistic it is with today's skills, systems and rules",
    "Cost": "a higher score means cheaper: 5 = affordable with what you have, "
            "1 = very expensive",
    "SDG alignment": "how closely it fits the SDG targets and national plans",
    "Urgency": "how soon people need it",
}
MAX_CRITERIA = 10
MAX_AREAS = 12
MAX_CRITERION_NAME = 60
MAX_WEIGHT = 100.0
MAX_SDG_TEXT = 200
DEFAULT_SCORE = 3
ZERO_WEIGHTS = "Give at least one criterion a weight above zero."

_TARGET = re.compile(r"^(?:1[0-7]|[1-9])\.(?:\d{1,2}|[a-z])$")
_NOISE = re.compile(r"\b(?:sdgs?|targets?|goal)\b", re.IGNORECASE)


def parse_sdg_targets(value: Any) -> list[str]:
    """SDG targets written as text, as a list: ``"16.6, 16.9"`` -> ``['16.6', '16.9']``.

    Separators may be commas, semicolons, slashes or spaces; words such as "SDG" or "target"
    are ignored. Anything that is not a target (goal 1 to 17, then a number or a letter) is
    refused with a :class:`ValidationError`.

    >>> parse_sdg_targets("SDG 16.9; 9.C")
    ['16.9', '9.c']
    """
    raw = text(value, "SDG targets", max_len=MAX_SDG_TEXT, field="sdg_targets")
    out: list[str] = []
    for token in re.split(r"[\s,;/]+", _NOISE.sub(" ", raw)):
        token = token.strip().rstrip(".").lower()
        if not token:
            continue
        if not _TARGET.match(token):
            raise ValidationError(
                f"{token[:20]!r} is not an SDG target. Write targets as numbers such as 16.6 "
                "or 9.c, separated by commas.", "sdg_targets")
        if token not in out:
            out.append(token)
    return out


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float

    @classmethod
    def parse(cls, data: Any) -> Criterion:
        data = mapping(data, "A criterion")
        return cls(
            name=text(data.get("name"), "The criterion's name", required=True,
                      max_len=MAX_CRITERION_NAME, field="criterion"),
            weight=number(data.get("weight"), "The weight", lo=0, hi=MAX_WEIGHT,
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
    data = mapping(data, "A target area")
    name = text(data.get("name"), "The area's name", required=True, max_len=MAX_NAME,
                field="area")
    sdg = text(data.get("sdg_targets", ""), "SDG targets", max_len=MAX_SDG_TEXT,
               field="sdg_targets")
    parse_sdg_targets(sdg)
    raw_scores = data.get("scores")
    given = mapping({} if raw_scores is None else raw_scores, "The scores")
    known = {c.name for c in criteria}
    for key in given:
        if key not in known:
            raise ValidationError(f"A score is given for {str(key)[:40]!r}, which is not one "
                                  "of the criteria.", "scores")
    scores = tuple(
        (c.name, integer(given.get(c.name, DEFAULT_SCORE), f"The score for {c.name}",
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
    title: ClassVar[str] = "Prioritisation matrix"
    submodule: ClassVar[str] = "3.1"

    def __init__(self, criteria: tuple[Criterion, ...] | None = None,
                 areas: tuple[Area, ...] = ()):
        if criteria is None:
            criteria = tuple(Criterion(n, w) for n, w in DEFAULT_CRITERIA)
        criteria = tuple(criteria)
        if not criteria:
            raise ValidationError("Keep at least one criterion.", "criterion")
        if len(criteria) > MAX_CRITERIA:
            raise ValidationError(f"At most {MAX_CRITERIA} criteria.", "criterion")
        names = [c.name.casefold() for c in criteria]
        if len(set(names)) != len(names):
            raise ValidationError("Each criterion needs a different name.", "criterion")
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(ZERO_WEIGHTS, "weight")
        areas = tuple(areas)
        if len(areas) > MAX_AREAS:
            raise ValidationError(f"At most {MAX_AREAS} candidate areas: remove one first.",
                                  "area")
        area_names = [a.name.casefold() for a in areas]
        if len(set(area_names)) != len(area_names):
            raise ValidationError("Each candidate area needs a different name.", "area")
        order = [c.name for c in criteria]
        for a in areas:
            if [k for k, _ in a.scores] != order:
                raise ValidationError(f"{a.name!r} needs one score for each criterion.",
                                      "scores")
        self.criteria = criteria
        self.areas = areas

    # -- changes to the criteria (each returns a new model or raises ValidationError)
    def with_weights(self, weights: Mapping[str, Any]) -> PrioritisationMatrixModel:
        """New weights for some or all criteria (numbers >= 0, also typed as text)."""
        new = []
        for c in self.criteria:
            if c.name in weights:
                new.append(Criterion(c.name, number(weights[c.name], f"The weight of {c.name}",
                                                    lo=0, hi=MAX_WEIGHT, field="weight")))
            else:
                new.append(c)
        unknown = [k for k in weights if k not in {c.name for c in self.criteria}]
        if unknown:
            raise ValidationError(f"There is no criterion called {str(unknown[0])!r}.",
                                  "criterion")
        return PrioritisationMatrixModel(tuple(new), self.areas)

    def with_weight(self, name: str, weight: Any) -> PrioritisationMatrixModel:
        return self.with_weights({self._criterion(name).name: weight})

    def with_criterion(self, name: Any, weight: Any = 1) -> PrioritisationMatrixModel:
        """Add a criterion; every area starts with the middle score (3) on it."""
        new = Criterion.parse({"name": name, "weight": weight})
        if any(c.name.casefold() == new.name.casefold() for c in self.criteria):
            raise ValidationError(f"There is already a criterion called {new.name!r}.",
                                  "criterion")
        if len(self.criteria) >= MAX_CRITERIA:
            raise ValidationError(f"At most {MAX_CRITERIA} criteria: remove one first.",
                                  "criterion")
        areas = tuple(Area(a.name, a.sdg_targets, (*a.scores, (new.name, DEFAULT_SCORE)))
                      for a in self.areas)
        return PrioritisationMatrixModel((*self.criteria, new), areas)

    def without_criterion(self, name: str) -> PrioritisationMatrixModel:
        gone = self._criterion(name)
        if len(self.criteria) == 1:
            raise ValidationError("Keep at least one criterion.", "criterion")
        criteria = tuple(c for c in self.criteria if c is not gone)
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(f"Without {gone.name!r} no criterion would count. "
                                  + ZERO_WEIGHTS, "weight")
        areas = tuple(Area(a.name, a.sdg_targets,
                           tuple(p for p in a.scores if p[0] != gone.name))
                      for a in self.areas)
        return PrioritisationMatrixModel(criteria, areas)

    def _criterion(self, name: Any) -> Criterion:
        key = str(name).strip().casefold()
        for c in self.criteria:
            if c.name.casefold() == key:
                return c
        raise ValidationError(f"There is no criterion called {str(name)[:40]!r}.",
                              "criterion")

    # -- changes to the areas
    def with_area(self, name: Any, sdg_targets: Any = "",
                  scores: Mapping[str, Any] | None = None) -> PrioritisationMatrixModel:
        """Add a candidate area; scores missing from ``scores`` start at 3."""
        new = _parse_area({"name": name, "sdg_targets": sdg_targets, "scores": scores or {}},
                          self.criteria)
        if any(a.name.casefold() == new.name.casefold() for a in self.areas):
            raise ValidationError(f"{new.name!r} is already in the list: pick it to change "
                                  "it.", "area")
        if len(self.areas) >= MAX_AREAS:
            raise ValidationError(f"At most {MAX_AREAS} candidate areas: remove one first.",
                                  "area")
        return PrioritisationMatrixModel(self.criteria, (*self.areas, new))

    def with_area_updated(self, old_name: str, **fields: Any) -> PrioritisationMatrixModel:
        """Change an area's name, SDG targets or (some of) its scores."""
        index = self._area_index(old_name)
        current = self.areas[index].to_dict()
        raw_scores = fields.get("scores")
        scores = {**current["scores"],
                  **dict(mapping({} if raw_scores is None else raw_scores, "The scores"))}
        merged = {**current, **fields, "scores": scores}
        new = _parse_area(merged, self.criteria)
        if any(a.name.casefold() == new.name.casefold()
               for i, a in enumerate(self.areas) if i != index):
            raise ValidationError(f"Another area is already called {new.name!r}.", "area")
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
        raise ValidationError(f"There is no candidate area called {str(name)[:40]!r}.",
                              "area")

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
        firsts = [a.name for rank, a, _ in ranked if rank == 1]
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
            "at least three candidate areas": len(self.areas) >= 3,
            "SDG targets for the top-ranked area": top is not None and bool(top.targets),
            "one clear winner (no tie for first place)": top is not None
            and not self.tied_for_first(),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        names = self.criterion_names()
        rows = [[str(rank), a.name, a.sdg_targets or "–", f"{score:.2f}",
                 *[str(a.score(n)) for n in names]] for rank, a, score in self.ranking()]
        blocks = [
            Block("fields", "Criteria and weights",
                  items=[(c.name, _fmt(c.weight)) for c in self.criteria]),
            Block("table", "Ranking of candidate target areas",
                  columns=["Rank", "Area", "SDG targets", "Weighted score", *names],
                  rows=rows),
        ]
        if self.areas:
            blocks.append(chart_block("Weighted scores (1-5)",
                                      lambda chart: show_ranking_chart(chart, self)))
        top = self.top()
        blocks.append(Block("note", "Your case", text=(
            f"Top-ranked area: {top.name}." if top else "No candidate area yet.")))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"criteria": [c.to_dict() for c in self.criteria],
                "areas": [a.to_dict() for a in self.areas]}

    @classmethod
    def from_dict(cls, data: Any) -> PrioritisationMatrixModel:
        data = mapping(data, "A prioritisation matrix")
        if data.get("criteria") is None:
            criteria = None
        else:
            criteria = tuple(Criterion.parse(c) for c in
                             sequence(data["criteria"], "Criteria", max_len=MAX_CRITERIA))
        model = cls(criteria)
        raw_areas = data.get("areas")
        items = sequence([] if raw_areas is None else raw_areas, "Candidate areas",
                         max_len=MAX_AREAS)
        return cls(model.criteria, tuple(_parse_area(a, model.criteria) for a in items))


# ------------------------------------------------------------------------------- view
def _short(label: str, size: int = 14) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def ranking_chart(model: PrioritisationMatrixModel) -> bytes:
    """Bar chart of the weighted scores, best first, the top area outlined."""
    ranked = model.ranking()
    labels = [_short("".join(ch for ch in a.name if ch.isprintable())) for _, a, _ in ranked]
    top = labels[0] if labels else None
    with warnings.catch_warnings():  # a name in a script the chart font lacks: boxes, no noise
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        return charts.bar_chart(labels, {"Weighted score": [s for _, _, s in ranked]},
                                title=CHART_TITLE, ylim=(0, 5), highlight=top)


CHART_TITLE = "Weighted score of each candidate area"


def show_ranking_chart(chart: charts.Chart, model: PrioritisationMatrixModel) -> None:
    """The ranking chart with words and numbers for a screen reader: every area's weighted
    score, best first, with its full name. Nothing while there is no area."""
    ranked = model.ranking()
    if not ranked:
        chart.show(b"", "")
        return
    names = [a.name for _, a, _ in ranked]
    groups = {"Weighted score": [s for _, _, s in ranked]}
    alt = (charts.describe_bars(names, groups, title=CHART_TITLE + " (1 to 5), best first")
           + f" Top area: {names[0]}.")
    chart.show(ranking_chart(model), alt, *charts.bars_table(names, groups, label="Area",
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
        self.apply_weights_button = widgets.Button(description="Use these weights",
                                                   button_style="primary", icon="check")
        self.new_criterion = widgets.Text(description="New criterion",
                                          placeholder="e.g. Public demand", style=style)
        self.new_weight = widgets.Text(description="Its weight", value="1", style=style)
        self.add_criterion_button = widgets.Button(description="Add criterion", icon="plus")
        self.remove_criterion = widgets.Dropdown(description="Criterion", options=[],
                                                 style=style)
        self.remove_criterion_button = widgets.Button(description="Remove criterion",
                                                      icon="trash")
        self.criteria_message = message_label()
        self.apply_weights_button.on_click(self._guard(self._apply_weights,
                                                       self.criteria_message))
        self.add_criterion_button.on_click(self._guard(self._add_criterion,
                                                       self.criteria_message))
        self.remove_criterion_button.on_click(self._guard(self._remove_criterion,
                                                          self.criteria_message))
        criteria_box = widgets.VBox([
            widgets.HTML("<b>1. Criteria and their weights</b> (higher weights count "
                         "more; a weight of 0 leaves a criterion out). For <b>Cost</b>, a "
                         "higher score means cheaper."),
            self.criteria_rows, self.apply_weights_button,
            widgets.HBox([self.new_criterion, self.new_weight, self.add_criterion_button]),
            widgets.HBox([self.remove_criterion, self.remove_criterion_button]),
            self.criteria_message])

        # areas
        self.area_name = widgets.Text(description="Target area",
                                      placeholder="e.g. Digital birth registration",
                                      style=style)
        self.area_sdg = widgets.Text(description="SDG target(s)",
                                     placeholder="e.g. 16.9, 17.8", style=style)
        self.slider_box = widgets.VBox()
        self.criteria_help = widgets.HTML()
        self.add_area_button = widgets.Button(description="Add area", button_style="primary",
                                              icon="plus")
        self.update_area_button = widgets.Button(description="Update selected", icon="pencil")
        self.remove_area_button = widgets.Button(description="Remove selected", icon="trash")
        self.area_list = widgets.Select(description="Candidate areas", options=[], rows=6,
                                        style=style)
        self.area_message = message_label()
        self.add_area_button.on_click(self._guard(self._add_area, self.area_message))
        self.update_area_button.on_click(self._guard(self._update_area, self.area_message))
        self.remove_area_button.on_click(self._guard(self._remove_area, self.area_message))
        self.area_list.observe(self._guard(self._select_area, self.area_message),
                               names="value")
        form = widgets.VBox([
            self.area_name, self.area_sdg,
            widgets.HTML("Score each criterion from 1 (poor) to 5 (very good):"),
            self.slider_box, self.criteria_help,
            widgets.HBox([self.add_area_button, self.update_area_button,
                           self.remove_area_button]),
            self.area_message])
        areas_box = widgets.VBox([
            widgets.HTML("<b>2. Candidate target areas</b>"),
            # on a narrow screen the list goes below the form rather than squeezing it
            widgets.HBox([form, self.area_list],
                         layout=widgets.Layout(flex_flow="row wrap"))])

        # results
        self.table = widgets.HTML()
        self.chart = charts.Chart()
        self.case_button = widgets.Button(description="Make the top area my case",
                                          icon="flag", layout=widgets.Layout(width="auto"))
        self.case_message = message_label()  # refusals
        self.case_note = message_label()  # what became the case
        self.progress = widgets.HTML()
        self.case_button.on_click(self._guard(self._make_case, self.case_message))
        results = widgets.VBox([widgets.HTML("<b>3. Ranking</b>"), self.table, self.chart,
                                widgets.HBox([self.case_button]), self.case_message,
                                self.case_note, self.progress])
        return [criteria_box, areas_box, results]

    # -- callbacks
    def _apply_weights(self, _=None) -> None:
        typed = {name: box.value for name, box in self.weight_boxes.items()}
        self.commit(self.model.with_weights(typed))

    def _add_criterion(self, _=None) -> None:
        self.commit(self.model.with_criterion(self.new_criterion.value, self.new_weight.value))
        self.new_criterion.value = ""
        self.new_weight.value = "1"

    def _remove_criterion(self, _=None) -> None:
        if not self.remove_criterion.value:
            raise ValidationError("Pick a criterion to remove first.")
        self.commit(self.model.without_criterion(self.remove_criterion.value))

    def _scores(self) -> dict[str, int]:
        return {name: slider.value for name, slider in self.score_sliders.items()}

    def _add_area(self, _=None) -> None:
        self.commit(self.model.with_area(self.area_name.value, self.area_sdg.value,
                                         self._scores()))
        self.area_name.value = ""
        self.area_sdg.value = ""

    def _update_area(self, _=None) -> None:
        if not self.area_list.value:
            raise ValidationError("Pick an area in the list first.")
        self.commit(self.model.with_area_updated(
            self.area_list.value, name=self.area_name.value, sdg_targets=self.area_sdg.value,
            scores=self._scores()))

    def _remove_area(self, _=None) -> None:
        if not self.area_list.value:
            raise ValidationError("Pick an area in the list first.")
        self.commit(self.model.without_area(self.area_list.value))

    def _select_area(self, change) -> None:
        for a in self.model.areas:
            if a.name == change["new"]:
                self.area_name.value, self.area_sdg.value = a.name, a.sdg_targets
                for name, value in a.scores:
                    if name in self.score_sliders:
                        self.score_sliders[name].value = value

    def _make_case(self, _=None) -> None:
        if self._sync_case(force=True) is None:
            raise ValidationError("Add at least one candidate area first.")

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
            targets = ", ".join(fields["sdg_targets"]) or "none given yet"
            show_message(self.case_note, f"Your case is now: {fields['target_area']} "
                         f"(SDG targets: {targets}).", "ok")
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
        rows = [[rank, a.name, a.sdg_targets or "–", f"{score:.2f}",
                 *[a.score(n) for n in self.model.criterion_names()]]
                for rank, a, score in ranked]
        self.table.value = html_table(
            ["Rank", "Area", "SDG targets", "Weighted score", *self.model.criterion_names()],
            rows) if rows else "<i>Add candidate areas to see the ranking.</i>"
        key = tuple((a.name, round(s, 9)) for _, a, s in ranked)
        if key != self._chart_key:
            show_ranking_chart(self.chart, self.model)
            self.chart.layout.display = "" if ranked else "none"
            self._chart_key = key
        if not ranked:
            show_message(self.case_note, "")
        tied = self.model.tied_for_first()
        done = self.model.completeness()
        todo = "; ".join(done.missing)
        note = f"{done}" + (f" — still needed: {todo}" if todo else "")
        if tied:
            note += (f". {', '.join(tied)} share first place; the one entered first counts "
                     "as your case until a score breaks the tie")
        show_message(self.progress, note, "ok" if done.complete else "info")

    def _show_criteria(self) -> None:
        old = {name: s.value for name, s in self.score_sliders.items()}
        self.weight_boxes = {}
        self.score_sliders = {}
        rows = []
        for c in self.model.criteria:
            box = widgets.Text(value=_fmt(c.weight), description=_short(c.name, 28),
                               style={"description_width": "190px"},
                               layout=widgets.Layout(width="260px"))
            self.weight_boxes[c.name] = box
            rows.append(box)
            self.score_sliders[c.name] = widgets.IntSlider(
                description=_short(c.name, 22), min=1, max=5,
                value=old.get(c.name, DEFAULT_SCORE), style={"description_width": "150px"},
                # the track gets about 250px after the 150px name and the number
                layout=widgets.Layout(width="460px", max_width="100%"))
        self.criteria_rows.children = rows
        self.slider_box.children = list(self.score_sliders.values())
        self.remove_criterion.options = self.model.criterion_names()
        helps = [f"<li><b>{html.escape(c.name)}</b>: {html.escape(CRITERIA_HELP[c.name])}</li>"
                 for c in self.model.criteria if c.name in CRITERIA_HELP]
        self.criteria_help.value = (f"<ul style='margin:0;font-size:90%'>{''.join(helps)}</ul>"
                                    if helps else "")


__all__ = ["CRITERIA_HELP", "DEFAULT_CRITERIA", "Area", "Criterion", "PrioritisationMatrix",
           "PrioritisationMatrixModel", "Workbook", "parse_sdg_targets"]
