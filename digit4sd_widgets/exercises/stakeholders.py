"""Stakeholder matrix (submodule 3.2): influence by interest, the four strategies, kinds of
stakeholder and partnership roles.

>>> m = StakeholderMatrixModel().with_added(name="Ministry of ICT", kind="government",
...                                         influence=5, interest=5, role="sponsor")
>>> m.stakeholders[0].strategy
'manage closely'
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    choice,
    html_table,
    index_by_name,
    integer,
    mapping,
    message_label,
    require_unique_names,
    sequence,
    show_message,
    text,
)

KINDS: tuple[str, ...] = ("government", "private sector", "civil society", "academia",
                          "international partner")
ROLES: tuple[str, ...] = ("sponsor", "funder", "implementer", "regulator", "technical partner",
                          "data provider", "user representative", "advocate", "")
ROLE_HELP = {
    "sponsor": "owns the initiative politically and clears the way",
    "funder": "pays for part of it",
    "implementer": "builds or runs part of it",
    "regulator": "sets or enforces rules it must follow",
    "technical partner": "brings expertise or technology",
    "data provider": "holds data the initiative needs",
    "user representative": "speaks for the people who will use the service",
    "advocate": "promotes it and mobilises support",
}
STRATEGIES: tuple[str, ...] = ("manage closely", "keep satisfied", "keep informed", "monitor")
HIGH = 4  # on the 1-5 scale, 4 and 5 count as high
MAX_STAKEHOLDERS = 40


def strategy_for(influence: int, interest: int) -> str:
    """The engagement strategy for a position on the influence x interest grid.

    >>> strategy_for(5, 2), strategy_for(2, 5), strategy_for(1, 1)
    ('keep satisfied', 'keep informed', 'monitor')
    """
    if influence >= HIGH:
        return "manage closely" if interest >= HIGH else "keep satisfied"
    return "keep informed" if interest >= HIGH else "monitor"


@dataclass(frozen=True)
class Stakeholder:
    name: str
    kind: str
    influence: int
    interest: int
    role: str = ""
    notes: str = ""

    @property
    def strategy(self) -> str:
        return strategy_for(self.influence, self.interest)

    @classmethod
    def parse(cls, data: Any) -> Stakeholder:
        data = mapping(data, "A stakeholder")
        return cls(
            name=text(data.get("name"), "The stakeholder's name", required=True,
                      max_len=MAX_NAME, field="name"),
            kind=choice(data.get("kind"), "Kind", KINDS, field="kind"),
            influence=integer(data.get("influence"), "Influence", lo=1, hi=5,
                              field="influence"),
            interest=integer(data.get("interest"), "Interest", lo=1, hi=5, field="interest"),
            role=choice(data.get("role", "") or "", "Role", ROLES, field="role"),
            notes=text(data.get("notes", ""), "Notes", max_len=500, field="notes"),
        )


class StakeholderMatrixModel(ExerciseModel):
    kind: ClassVar[str] = "stakeholder_matrix"
    title: ClassVar[str] = "Stakeholder matrix"
    submodule: ClassVar[str] = "3.2"

    def __init__(self, stakeholders: tuple[Stakeholder, ...] = ()):
        require_unique_names(stakeholders, "Each stakeholder needs a different name.")
        if len(stakeholders) > MAX_STAKEHOLDERS:
            raise ValidationError(f"At most {MAX_STAKEHOLDERS} stakeholders.", "name")
        self.stakeholders = tuple(stakeholders)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> StakeholderMatrixModel:
        new = Stakeholder.parse(fields)
        if any(s.name.casefold() == new.name.casefold() for s in self.stakeholders):
            raise ValidationError(f"{new.name!r} is already in the matrix: pick it in the list "
                                  "to change it.", "name")
        return StakeholderMatrixModel((*self.stakeholders, new))

    def with_updated(self, current: str, /, **fields: Any) -> StakeholderMatrixModel:
        """Change the stakeholder now called ``current`` (fields may include a new name)."""
        index = self._index(current)
        merged = {**asdict(self.stakeholders[index]), **fields}
        new = Stakeholder.parse(merged)
        others = [s for i, s in enumerate(self.stakeholders) if i != index]
        if any(s.name.casefold() == new.name.casefold() for s in others):
            raise ValidationError(f"Another stakeholder is already called {new.name!r}.", "name")
        items = list(self.stakeholders)
        items[index] = new
        return StakeholderMatrixModel(tuple(items))

    def without(self, name: str) -> StakeholderMatrixModel:
        index = self._index(name)
        return StakeholderMatrixModel(tuple(s for i, s in enumerate(self.stakeholders)
                                            if i != index))

    def _index(self, name: str) -> int:
        return index_by_name(self.stakeholders, name, "stakeholder")

    # -- reading
    def by_strategy(self) -> dict[str, list[Stakeholder]]:
        out: dict[str, list[Stakeholder]] = {s: [] for s in STRATEGIES}
        for s in self.stakeholders:
            out[s.strategy].append(s)
        return out

    def names(self) -> list[str]:
        return [s.name for s in self.stakeholders]

    def completeness(self) -> Completeness:
        checks = {
            "at least four stakeholders": len(self.stakeholders) >= 4,
            "at least three kinds of stakeholder": len({s.kind for s in self.stakeholders}) >= 3,
            "a partnership role for everyone": bool(self.stakeholders)
            and all(s.role for s in self.stakeholders),
            "someone to manage closely": bool(self.by_strategy()["manage closely"]),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        rows = [[s.name, s.kind, str(s.influence), str(s.interest), s.strategy, s.role or "–",
                 s.notes] for s in self.stakeholders]
        grid = [[strategy, ", ".join(s.name for s in people) or "–"]
                for strategy, people in self.by_strategy().items()]
        return [
            Block("table", "Stakeholders",
                  columns=["Name", "Kind", "Influence", "Interest", "Strategy", "Role", "Notes"],
                  rows=rows),
            Block("table", "Engagement strategies", columns=["Strategy", "Stakeholders"],
                  rows=grid),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"stakeholders": [asdict(s) for s in self.stakeholders]}

    @classmethod
    def from_dict(cls, data: Any) -> StakeholderMatrixModel:
        data = mapping(data, "A stakeholder matrix")
        items = sequence(data.get("stakeholders", []), "Stakeholders",
                         max_len=MAX_STAKEHOLDERS)
        return cls(tuple(Stakeholder.parse(item) for item in items))


# ------------------------------------------------------------------------------- view
QUADRANTS = (("keep satisfied", "High influence, lower interest"),
             ("manage closely", "High influence, high interest"),
             ("monitor", "Lower influence, lower interest"),
             ("keep informed", "Lower influence, high interest"))


def quadrant_html(model: StakeholderMatrixModel) -> str:
    """The 2 x 2 grid with every name escaped."""
    groups = model.by_strategy()
    cells = []
    for strategy, caption in QUADRANTS:
        names = "".join(f"<li>{html.escape(s.name)}</li>" for s in groups[strategy])
        cells.append(
            f"<div class='d4-quad'><b>{html.escape(strategy.capitalize())}</b>"
            f"<div class='d4-cap'>{caption}</div><ul>{names or '<li>–</li>'}</ul></div>")
    return ("<div class='d4-grid' style='display:grid;grid-template-columns:1fr 1fr;gap:4px'>"
            + "".join(cells) + "</div>")


class StakeholderMatrix(ExerciseView):
    """Stakeholder matrix: place each stakeholder by influence and interest.

    >>> view = StakeholderMatrix(workbook=Workbook.in_memory())
    >>> view.name.value = "Ministry of Finance"; view.add_button.click()
    >>> view.model.names()
    ['Ministry of Finance']
    """

    model_class = StakeholderMatrixModel
    model: StakeholderMatrixModel

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "110px"}
        self.name = widgets.Text(description="Name", placeholder="e.g. Ministry of Health",
                                 style=style)
        self.kind = widgets.Dropdown(description="Kind", options=KINDS, style=style)
        self.influence = widgets.IntSlider(description="Influence", min=1, max=5, value=3,
                                           style=style)
        self.interest = widgets.IntSlider(description="Interest", min=1, max=5, value=3,
                                          style=style)
        self.role = widgets.Dropdown(
            description="Role", style=style,
            options=[("(choose)", "")] + [(f"{r}: {ROLE_HELP[r]}", r) for r in ROLES if r])
        self.notes = widgets.Text(description="Notes", style=style)
        self.form_message = message_label()
        self.add_button = widgets.Button(description="Add", button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description="Update selected", icon="pencil")
        self.remove_button = widgets.Button(description="Remove selected", icon="trash")
        self.listing = widgets.Select(description="In the matrix", options=[], rows=6,
                                      style=style)
        self.grid = widgets.HTML()
        self.table = widgets.HTML()
        self.progress = widgets.HTML()

        self.add_button.on_click(self._guard(self._add, self.form_message))
        self.update_button.on_click(self._guard(self._update, self.form_message))
        self.remove_button.on_click(self._guard(self._remove, self.form_message))
        self.listing.observe(self._guard(self._select, self.form_message), names="value")
        form = widgets.VBox([self.name, self.kind, self.influence, self.interest, self.role,
                             self.notes,
                             widgets.HBox([self.add_button, self.update_button,
                                           self.remove_button]),
                             self.form_message])
        return [widgets.HBox([form, widgets.VBox([self.listing, self.progress])]), self.grid,
                self.table]

    def _fields(self) -> dict[str, Any]:
        return {"name": self.name.value, "kind": self.kind.value,
                "influence": self.influence.value, "interest": self.interest.value,
                "role": self.role.value, "notes": self.notes.value}

    def _add(self, _=None) -> None:
        self.commit(self.model.with_added(**self._fields()))
        self.name.value = ""
        self.notes.value = ""

    def _update(self, _=None) -> None:
        if not self.listing.value:
            raise ValidationError("Pick a stakeholder in the list first.")
        self.commit(self.model.with_updated(self.listing.value, **self._fields()))

    def _remove(self, _=None) -> None:
        if not self.listing.value:
            raise ValidationError("Pick a stakeholder in the list first.")
        self.commit(self.model.without(self.listing.value))

    def _select(self, change) -> None:
        for s in self.model.stakeholders:
            if s.name == change["new"]:
                self.name.value, self.kind.value = s.name, s.kind
                self.influence.value, self.interest.value = s.influence, s.interest
                self.role.value, self.notes.value = s.role, s.notes

    def refresh(self) -> None:
        names = self.model.names()
        if list(self.listing.options) != names:
            self.listing.options = names
        self.grid.value = quadrant_html(self.model)
        rows = [[s.name, s.kind, s.influence, s.interest, s.strategy, s.role or "–"]
                for s in self.model.stakeholders]
        self.table.value = html_table(["Name", "Kind", "Influence", "Interest", "Strategy",
                                       "Role"], rows) if rows else ""
        done = self.model.completeness()
        todo = "; ".join(done.missing)
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")


__all__ = ["KINDS", "ROLES", "STRATEGIES", "Stakeholder", "StakeholderMatrix",
           "StakeholderMatrixModel", "Workbook", "strategy_for"]
