"""Stakeholder matrix (submodule 3.2): influence by interest, the four strategies, kinds of
stakeholder and partnership roles.

>>> m = StakeholderMatrixModel().with_added(name="Ministry of ICT", kind="government",
...                                         influence=5, interest=5, role="sponsor")
>>> m.stakeholders[0].strategy
'manage closely'
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, pgettext
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
    "sponsor": N_("owns the initiative politically and clears the way"),
    "funder": N_("pays for part of it"),
    "implementer": N_("builds or runs part of it"),
    "regulator": N_("sets or enforces rules it must follow"),
    "technical partner": N_("brings expertise or technology"),
    "data provider": N_("holds data the initiative needs"),
    "user representative": N_("speaks for the people who will use the service"),
    "advocate": N_("promotes it and mobilises support"),
}
STRATEGIES: tuple[str, ...] = ("manage closely", "keep satisfied", "keep informed", "monitor")
HIGH = 4  # on the 1-5 scale, 4 and 5 count as high
MAX_STAKEHOLDERS = 40


# the stored kinds, roles and strategies stay English; these are the words shown for them
def kind_label(kind: str) -> str:
    """A kind of stakeholder in the reader's language (``"government"`` stays the stored
    value)."""
    return {
        "government": pgettext("stakeholder kind", "government"),
        "private sector": pgettext("stakeholder kind", "private sector"),
        "civil society": pgettext("stakeholder kind", "civil society"),
        "academia": pgettext("stakeholder kind", "academia"),
        "international partner": pgettext("stakeholder kind", "international partner"),
    }.get(kind, kind)


def role_label(role: str) -> str:
    """A partnership role in the reader's language."""
    return {
        "sponsor": pgettext("stakeholder role", "sponsor"),
        "funder": pgettext("stakeholder role", "funder"),
        "implementer": pgettext("stakeholder role", "implementer"),
        "regulator": pgettext("stakeholder role", "regulator"),
        "technical partner": pgettext("stakeholder role", "technical partner"),
        "data provider": pgettext("stakeholder role", "data provider"),
        "user representative": pgettext("stakeholder role", "user representative"),
        "advocate": pgettext("stakeholder role", "advocate"),
    }.get(role, role)


def strategy_label(strategy: str) -> str:
    """An engagement strategy in the reader's language."""
    return {
        "manage closely": pgettext("stakeholder strategy", "manage closely"),
        "keep satisfied": pgettext("stakeholder strategy", "keep satisfied"),
        "keep informed": pgettext("stakeholder strategy", "keep informed"),
        "monitor": pgettext("stakeholder strategy", "monitor"),
    }.get(strategy, strategy)


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
        data = mapping(data, _("A stakeholder"))
        return cls(
            name=text(data.get("name"), _("The stakeholder's name"), required=True,
                      max_len=MAX_NAME, field="name"),
            kind=choice(data.get("kind"), _("Kind"), KINDS, field="kind"),
            influence=integer(data.get("influence"), _("Influence"), lo=1, hi=5,
                              field="influence"),
            interest=integer(data.get("interest"), _("Interest"), lo=1, hi=5,
                             field="interest"),
            role=choice(data.get("role", "") or "", _("Role"), ROLES, field="role"),
            notes=text(data.get("notes", ""), _("Notes"), max_len=500, field="notes"),
        )


class StakeholderMatrixModel(ExerciseModel):
    kind: ClassVar[str] = "stakeholder_matrix"
    title: ClassVar[str] = N_("Stakeholder matrix")
    submodule: ClassVar[str] = "3.2"

    def __init__(self, stakeholders: tuple[Stakeholder, ...] = ()):
        require_unique_names(stakeholders, _("Each stakeholder needs a different name."))
        if len(stakeholders) > MAX_STAKEHOLDERS:
            raise ValidationError(_("At most {n} stakeholders.").format(n=MAX_STAKEHOLDERS),
                                  "name")
        self.stakeholders = tuple(stakeholders)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> StakeholderMatrixModel:
        new = Stakeholder.parse(fields)
        if any(s.name.casefold() == new.name.casefold() for s in self.stakeholders):
            raise ValidationError(_("{name!r} is already in the matrix: pick it in the list "
                                    "to change it.").format(name=new.name), "name")
        return StakeholderMatrixModel((*self.stakeholders, new))

    def with_updated(self, current: str, /, **fields: Any) -> StakeholderMatrixModel:
        """Change the stakeholder now called ``current`` (fields may include a new name)."""
        index = self._index(current)
        merged = {**asdict(self.stakeholders[index]), **fields}
        new = Stakeholder.parse(merged)
        others = [s for i, s in enumerate(self.stakeholders) if i != index]
        if any(s.name.casefold() == new.name.casefold() for s in others):
            raise ValidationError(_("Another stakeholder is already called {name!r}.")
                                  .format(name=new.name), "name")
        items = list(self.stakeholders)
        items[index] = new
        return StakeholderMatrixModel(tuple(items))

    def without(self, name: str) -> StakeholderMatrixModel:
        index = self._index(name)
        return StakeholderMatrixModel(tuple(s for i, s in enumerate(self.stakeholders)
                                            if i != index))

    def _index(self, name: str) -> int:
        return index_by_name(self.stakeholders, name, _("stakeholder"))

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
            _("at least four stakeholders"): len(self.stakeholders) >= 4,
            _("at least three kinds of stakeholder"):
                len({s.kind for s in self.stakeholders}) >= 3,
            _("a partnership role for everyone"): bool(self.stakeholders)
            and all(s.role for s in self.stakeholders),
            _("someone to manage closely"): bool(self.by_strategy()["manage closely"]),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        rows = [[s.name, kind_label(s.kind), str(s.influence), str(s.interest),
                 strategy_label(s.strategy), role_label(s.role) or "–", s.notes]
                for s in self.stakeholders]
        grid = [[strategy_label(strategy), ", ".join(s.name for s in people) or "–"]
                for strategy, people in self.by_strategy().items()]
        return [
            Block("table", _("Stakeholders"),
                  columns=[_("Name"), _("Kind"), _("Influence"), _("Interest"), _("Strategy"),
                           _("Role"), _("Notes")],
                  rows=rows),
            Block("table", _("Engagement strategies"),
                  columns=[_("Strategy"), _("Stakeholders")], rows=grid),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"stakeholders": [asdict(s) for s in self.stakeholders]}

    @classmethod
    def from_dict(cls, data: Any) -> StakeholderMatrixModel:
        data = mapping(data, _("A stakeholder matrix"))
        items = sequence(data.get("stakeholders", []), _("Stakeholders"),
                         max_len=MAX_STAKEHOLDERS)
        return cls(tuple(Stakeholder.parse(item) for item in items))


# ------------------------------------------------------------------------------- view
QUADRANTS = (("keep satisfied", N_("High influence, lower interest")),
             ("manage closely", N_("High influence, high interest")),
             ("monitor", N_("Lower influence, lower interest")),
             ("keep informed", N_("Lower influence, high interest")))


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def quadrant_html(model: StakeholderMatrixModel) -> str:
    """The 2 x 2 grid with every name escaped."""
    groups = model.by_strategy()
    cells = []
    for strategy, caption in QUADRANTS:
        names = "".join(f"<li>{html.escape(s.name)}</li>" for s in groups[strategy])
        cells.append(
            f"<div class='d4-quad'><b>{html.escape(_cap(strategy_label(strategy)))}</b>"
            f"<div class='d4-cap'>{html.escape(_(caption))}</div>"
            f"<ul>{names or '<li>–</li>'}</ul></div>")
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
        self.name = widgets.Text(description=_("Name"),
                                 placeholder=_("e.g. Ministry of Health"), style=style)
        self.kind = widgets.Dropdown(description=_("Kind"),
                                     options=[(kind_label(k), k) for k in KINDS], style=style)
        self.influence = widgets.IntSlider(description=_("Influence"), min=1, max=5, value=3,
                                           style=style)
        self.interest = widgets.IntSlider(description=_("Interest"), min=1, max=5, value=3,
                                          style=style)
        self.role = widgets.Dropdown(
            description=_("Role"), style=style,
            options=[(_("(choose)"), "")]
            + [(_("{role}: {what}").format(role=role_label(r), what=_(ROLE_HELP[r])), r)
               for r in ROLES if r])
        self.notes = widgets.Text(description=_("Notes"), style=style)
        self.form_message = message_label()
        self.add_button = widgets.Button(description=_("Add"), button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description=_("Update selected"), icon="pencil")
        self.remove_button = widgets.Button(description=_("Remove selected"), icon="trash")
        self.listing = widgets.Select(description=_("In the matrix"), options=[], rows=6,
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

    def _add(self, _button=None) -> None:
        self.commit(self.model.with_added(**self._fields()))
        self.name.value = ""
        self.notes.value = ""

    def _update(self, _button=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a stakeholder in the list first."))
        self.commit(self.model.with_updated(self.listing.value, **self._fields()))

    def _remove(self, _button=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a stakeholder in the list first."))
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
        rows = [[s.name, kind_label(s.kind), s.influence, s.interest,
                 strategy_label(s.strategy), role_label(s.role) or "–"]
                for s in self.model.stakeholders]
        self.table.value = html_table([_("Name"), _("Kind"), _("Influence"), _("Interest"),
                                       _("Strategy"), _("Role")], rows) if rows else ""
        done = self.model.completeness()
        show_message(self.progress, progress_text(done), "ok" if done.complete else "info")


def listing(items: Iterable[str]) -> str:
    """Items of a list in a sentence, between semicolons in the reader's typography
    (``"a; b"``, ``"a ; b"``)."""
    # Translators: between the items of a list in a sentence ("a; b; c")
    return pgettext("between list items", "; ").join(items)


def progress_text(done: Completeness) -> str:
    """``"2 of 4 complete — still needed: ..."``, in the reader's language."""
    if not done.missing:
        return str(done)
    return _("{done} — still needed: {todo}").format(done=done, todo=listing(done.missing))


__all__ = ["KINDS", "ROLES", "STRATEGIES", "Stakeholder", "StakeholderMatrix",
           "StakeholderMatrixModel", "Workbook", "kind_label", "listing", "progress_text",
           "role_label", "strategy_for",
           "strategy_label"]
