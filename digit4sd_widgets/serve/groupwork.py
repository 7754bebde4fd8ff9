"""A breakout group's shared work: one workbook that every member edits from their own laptop.

The room serves one more app besides the course's: "Group work" (``group_work.ipynb``, made by
the server). Its page shows the participant's group for the breakout (its members, their
countries, its moderator) and the exercise the group does together: the stakeholder matrix
after module 3, the implementation canvas after module 4, the KPIs after module 5. The
exercises are the course's own views, given the group's workbook
(``<room>/groups/<id>.json``) instead of the participant's: nothing in the exercises changes.

Members save at the same time. The workbook keeps every save (locked, merged by answer), but
one answer is one piece of work: two members who each add a stakeholder to the same matrix
save two versions of it. So a group's save is a three-way merge (:func:`merge3`) of what this
member's page started from, what it has now and what the group has saved meanwhile: items
are matched by name (stakeholders, KPIs), fields and blocks one by one; where two members
changed the very same thing, the later save wins. The page then shows the merged work.

>>> base = {"stakeholders": [{"name": "Ministry of ICT", "influence": 5}]}
>>> amina = {"stakeholders": [*base["stakeholders"], {"name": "Telecom regulator"}]}
>>> tomas = {"stakeholders": [*base["stakeholders"], {"name": "Women's network"}]}
>>> [s["name"] for s in merge3(base, tomas, amina)["stakeholders"]]
['Ministry of ICT', "Women's network", 'Telecom regulator']
"""

from __future__ import annotations

import copy
import html
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..i18n import N_, _
from ..workbook import Workbook
from .room import ROOM_ENV, participant_code
from .workshop import (
    GROUP_WORK,
    GROUP_WORK_TITLES,
    Workshop,
    breakout_title,
    country_names,
    open_group,
    profile_of,
    read_doc,
)

log = logging.getLogger("digit4sd_widgets")

#: the app the room adds to the course's, at the top of its apps folder
GROUP_APP = "group_work.ipynb"
GROUP_APP_SOURCE = ("from digit4sd_widgets.serve.groupwork import GroupWork\n\n"
                    "GroupWork(participant)")

__all__ = ["GROUP_APP", "GroupWork", "GroupWorkbook", "group_view", "merge3"]

#: the two buttons of the page, named in its messages too
LOOK = N_("Show the group's latest work")
AGAIN = N_("Look for my group")

_MISSING = object()


# ---------------------------------------------------------------------------- merging
def _named(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in value)


def _name(item: Mapping[str, Any]) -> str:
    return " ".join(item["name"].split()).casefold()


def _merge_named(base: list, mine: list, theirs: list) -> list:
    """Lists of named items (stakeholders, KPIs): matched by name, each merged; an item one
    side removed stays removed unless the other side changed it."""
    b = {_name(i): i for i in base}
    m = {_name(i): i for i in mine}
    t = {_name(i): i for i in theirs}
    out = []
    for item in mine:
        k = _name(item)
        if k in t:
            out.append(merge3(b.get(k), item, t[k]))
        elif not (k in b and item == b[k]):  # else: they removed it and I did not change it
            out.append(copy.deepcopy(item))
    for item in theirs:
        k = _name(item)
        if k not in m and not (k in b and item == b[k]):  # else: I removed it, unchanged
            out.append(copy.deepcopy(item))
    return out


def merge3(base: Any, mine: Any, theirs: Any) -> Any:
    """``mine`` and ``theirs``, two changes of ``base``, merged: what only one side changed
    is taken from that side; where both changed the same field, ``mine`` (the later save).

    >>> merge3({"risks": "", "users": ""}, {"risks": "", "users": "Farmers"},
    ...        {"risks": "Power cuts", "users": ""})
    {'risks': 'Power cuts', 'users': 'Farmers'}
    """
    if mine == theirs or theirs == base:
        return copy.deepcopy(mine)
    if mine == base:
        return copy.deepcopy(theirs)
    if isinstance(mine, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        out = {}
        for key in [*mine, *(k for k in theirs if k not in mine)]:
            b, m, t = old.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING)
            if m is _MISSING:
                if not (b is not _MISSING and t == b):  # else: I removed it, they kept it as is
                    out[key] = copy.deepcopy(t)
            elif t is _MISSING:
                if not (b is not _MISSING and m == b):
                    out[key] = copy.deepcopy(m)
            else:
                out[key] = merge3(None if b is _MISSING else b, m, t)
        return out
    if _named(mine) and _named(theirs):
        return _merge_named(base if _named(base) else [], mine, theirs)
    return copy.deepcopy(mine)


class GroupWorkbook(Workbook):
    """A group's workbook: every save merges this page's change into what the group saved
    meanwhile (:func:`merge3`), under the workbook's lock.

    ``seen(key, data)`` tells it what the page shows (the base of the page's next change);
    ``stored(key)`` is what the last save of ``key`` wrote, others' changes included.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._seen: dict[str, Any] = {}
        self._stored: dict[str, Any] = {}

    def seen(self, key: str, data: Any) -> None:
        self._seen[key] = copy.deepcopy(data)

    def stored(self, key: str) -> Any:
        return copy.deepcopy(self._stored.get(key))

    def set(self, key: str, kind: str, data: Mapping[str, Any]) -> None:
        from ..exercises import EXERCISES, ValidationError

        json.dumps(data)
        mine = copy.deepcopy(dict(data))
        base = self._seen[key] if key in self._seen else self.get(key)

        def change(theirs: Any) -> Any:
            if theirs is None or theirs == mine:
                return mine
            merged = merge3(base, mine, theirs)
            if merged != mine and kind in EXERCISES:
                try:
                    EXERCISES[kind][0].from_dict(merged)
                except ValidationError as exc:
                    raise ValidationError(
                        _("Someone in your group changed this at the same time, and the two "
                          "changes do not fit together ({reason}) Press \"{button}\" and try "
                          "again.").format(reason=exc, button=_(LOOK))) from None
            return merged

        self._stored[key] = self.update(key, kind, change)
        self._seen[key] = mine


_GROUP_VIEWS: dict[type, type] = {}


def _say(where: widgets.HTML, message: str) -> None:
    """A confirmation in the exercises' own style (the text escaped)."""
    where.value = (f'<span class="d4-msg d4-ok" style="color:#1b5e20">'
                   f"{html.escape('✓ ' + message)}</span>")


def group_view(view_class: type) -> type:
    """The course's exercise view ``view_class``, saving into a group's workbook and showing
    what the group saved meanwhile after each change."""
    if view_class in _GROUP_VIEWS:
        return _GROUP_VIEWS[view_class]

    class GroupView(view_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            if isinstance(self.workbook, GroupWorkbook):
                self.workbook.seen(self.key, self.model.to_dict())

        def commit(self, model):
            super().commit(model)
            wb = self.workbook
            if not isinstance(wb, GroupWorkbook):
                return
            stored = wb.stored(self.key)
            others = stored is not None and stored != model.to_dict()
            if others:
                try:
                    self.model = self.model_class.from_workbook(wb, self.key)
                    self.refresh()
                except Exception:  # the save is done; the page shows it on its next look
                    log.exception("showing the group's merged work failed")
            wb.seen(self.key, self.model.to_dict())
            _say(self.status, _("Saved in your group's work, together with what others in "
                                "your group saved meanwhile.") if others
                 else _("Saved in your group's work."))

    GroupView.__name__ = GroupView.__qualname__ = f"Group{view_class.__name__}"
    _GROUP_VIEWS[view_class] = GroupView
    return GroupView


# ----------------------------------------------------------------------------- the page
def _members_html(room: Path, members: list[str]) -> str:
    names = country_names()
    items = []
    for code in members:
        p = profile_of(code, read_doc(Path(room) / "participants" / f"{code}.json"), names)
        about = ", ".join(x for x in (p.country_name, p.field) if x)
        items.append(f"<li><b>{html.escape(code)}</b>"
                     + (f" ({html.escape(about)})" if about else "") + "</li>")
    return "<ul class='d4-members'>" + "".join(items) + "</ul>"


class GroupWork(widgets.VBox):
    """The participant's breakout group and the work it does together.

    Outside a workshop room, or for someone in no group yet, it says so in plain words.
    """

    def __init__(self, participant: str | None = None, *, room: str | os.PathLike | None = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class("d4-group-work")
        where = room if room is not None else os.environ.get(ROOM_ENV)
        self.room = Path(where) if where else None
        try:
            self.participant = participant_code(participant) if participant else None
        except ValueError:
            self.participant = None
        self.message = widgets.HTML()
        self.choice = widgets.ToggleButtons(description=_("Breakout"), options=[],
                                            style={"description_width": "initial"})
        self.choice.layout.display = "none"
        self.body = widgets.VBox()
        self.look_button = widgets.Button(description=_(LOOK), icon="refresh",
                                          layout=widgets.Layout(width="auto"))
        self.look_button.on_click(lambda _b: self._safe(self.show))
        self.again_button = widgets.Button(description=_(AGAIN), icon="refresh",
                                           layout=widgets.Layout(width="auto"))
        self.again_button.on_click(lambda _b: self._safe(self.show))
        self._busy = False
        self.choice.observe(lambda _c: None if self._busy else self._safe(self._draw),
                            names="value")
        self.views: list[widgets.Widget] = []
        self.children = [self.message, self.choice, self.body]
        self._safe(self.show)

    # -- wiring
    def _safe(self, action) -> None:
        try:
            action()
        except Exception:  # never a traceback on the page
            log.exception("group work: unexpected error")
            self.message.value = "<p>{}</p>".format(html.escape(_(
                "Something went wrong while showing your group's work. Your group's saved "
                "work is safe: reload the page.")))

    def show(self) -> None:
        """Read the room's groups again and draw the participant's group work."""
        e = html.escape
        if self.room is None or self.participant is None:
            self.message.value = "<p><b>{}</b> {}</p>".format(
                e(_("Group work is part of a workshop room.")),
                e(_("Join the room on its start page, then open this page again.")))
            self.body.children = []
            return
        workshop = Workshop.load(self.room)
        mine = workshop.breakouts_of(self.participant)
        if not mine:
            self.message.value = "<p><b>{}</b> {}</p>".format(
                e(_("You are not in a group yet.")),
                e(_("Your host puts the room into groups for each breakout. When your host "
                    "says the groups are ready, press \"{button}\".").format(button=_(AGAIN))))
            self.choice.layout.display = "none"
            self.body.children = [widgets.HBox([self.again_button])]
            return
        self.message.value = ""
        options = [(_("After module {number}").format(number=m), m) for m, _group in mine]
        keep = self.choice.value if self.choice.value in dict(options).values() else mine[0][0]
        self._mine = dict(mine)
        self._busy = True  # the choice is being set: no drawing until it is
        try:
            self.choice.options = options
            self.choice.value = keep
        finally:
            self._busy = False
        self.choice.layout.display = None if len(options) > 1 else "none"
        self._draw()

    def _draw(self) -> None:
        from ..exercises import EXERCISES

        module = self.choice.value
        group = getattr(self, "_mine", {}).get(module)
        if group is None:
            return
        sub, kind = GROUP_WORK[module]
        book = open_group(self.room, group.id, GroupWorkbook)
        view_class = group_view(EXERCISES[kind][1])
        view = view_class(workbook=book, key=f"{sub}/{kind}")
        self.views = [view]
        e = html.escape
        moderator = ("<p>{}</p>".format(e(_("Moderator: {name}")).replace(
            "{name}", f"<b>{e(group.moderator)}</b>")) if group.moderator else "")
        title = _("{group}: {breakout}").format(group=group.name,
                                                 breakout=breakout_title(module))
        text = _("You work on {work} together, each from your own computer. Everything anyone "
                 "in the group saves is kept, and each time you save, this page shows what the "
                 "others saved too. To see their latest changes without saving, press "
                 "\"{button}\". Your own work in the course stays your own.").format(
                     work=_(GROUP_WORK_TITLES[kind]), button=_(LOOK))
        head = widgets.HTML(
            f"<h2 class='d4-group-title'>{e(title)}</h2><p>{e(text)}</p>{moderator}"
            "<p><b>" + e(_('In your group:')) + "</b></p>"
            + _members_html(self.room, group.members))
        self.body.children = [head, widgets.HBox([self.look_button]), view]


def group_app_cells() -> list:
    """The cells of the Group work app: the room's join, then the page."""
    import nbformat

    from ..course.apps import JOIN_SOURCE

    text = "# {}\n\n{}".format(_("Group work"), _("The work your breakout group does together, "
                                                 "saved for the whole group."))
    return [nbformat.v4.new_code_cell(JOIN_SOURCE, id="d4-join"),
            nbformat.v4.new_markdown_cell(text, id="d4-group-text"),
            nbformat.v4.new_code_cell(GROUP_APP_SOURCE, id="d4-group")]
