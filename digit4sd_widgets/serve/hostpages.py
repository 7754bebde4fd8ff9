"""The host's view of the workshop: the breakouts (groups, moderators, countdown), the groups
placed by hand, and every participant's progress per module. HTML pieces for the host page;
every name, code and text a participant or host typed is escaped.

>>> "&lt;b&gt;" in progress_html([{"code": "<b>", "modules": {1: (1, 2)}}])
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..course import MODULES
from .workshop import (
    CORE,
    GROUP_WORK,
    GROUP_WORK_TITLES,
    Profile,
    Workshop,
    app_exercises,
    breakout_title,
    group_path,
    participant_files,
    progress,
    read_doc,
)

DEFAULT_GROUP_SIZE = 6
NOTHING = "nothing saved yet"
DEFAULT_MINUTES = 30

__all__ = ["breakouts_html", "by_hand_html", "group_done", "progress_html", "progress_rows"]


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def group_done(room: Path, group_id: str, kind: str) -> str:
    """How complete a group's work is, in words ("3 of 4 complete", "nothing saved yet")."""
    from ..exercises import EXERCISES

    doc = read_doc(group_path(room, group_id))
    answers = (doc or {}).get("answers") or {}
    entries = [e for e in answers.values() if isinstance(e, dict) and e.get("kind") == kind]
    if not entries:
        return NOTHING
    newest = max(entries, key=lambda e: str(e.get("saved", "")))
    try:
        return str(EXERCISES[kind][0].from_dict(newest.get("data")).completeness())
    except Exception:
        return "saved work that cannot be read"


def _who(code: str, people: Mapping[str, Profile]) -> str:
    p = people.get(code)
    about = ", ".join(x for x in ((p.country_name, p.field) if p else ()) if x)
    return html.escape(code) + (f" ({html.escape(about)})" if about else "")


def breakouts_html(workshop: Workshop, people: Sequence[Profile], *, now: float | None = None
                   ) -> str:
    """The host's breakouts: for each core module its groups, how they were made, their
    moderators and work, and the forms that make groups and start the countdown."""
    by_code = {p.code: p for p in people}
    clock = workshop.clock(now)
    cards = []
    suggested = max(1, round(len(people) / DEFAULT_GROUP_SIZE)) if people else 1
    for module in CORE:
        sub, kind = GROUP_WORK[module]
        groups = workshop.groups(module)
        action = f"/host/breakout/{module}"
        status = (f"{len(groups)} groups, {html.escape(workshop.how(module))}."
                  if groups else "No groups yet.")
        if clock.get("running") and clock.get("module") == module:
            left = clock["remaining"]
            status += (f" <b>Countdown: {_minutes(left)} left.</b>" if left
                       else " <b>The countdown has ended.</b>")
        current = " (the room is in this breakout now)" if workshop.current == module else ""
        forms = [
            f'<form method="post" action="{action}"><input type="hidden" name="action" '
            f'value="mix"><label>Groups <input name="count" type="number" min="1" max="30" '
            f'value="{suggested}"></label> <button type="submit">Mix the room into groups'
            "</button></form>"]
        for earlier in workshop.formed():
            if earlier != module:
                forms.append(
                    f'<form method="post" action="{action}"><input type="hidden" '
                    f'name="action" value="keep"><input type="hidden" name="source" '
                    f'value="{earlier}"><button type="submit">Keep the groups of module '
                    f"{earlier}</button></form>")
        forms.append(f'<a href="/host/groups/{module}">Place people by hand</a>')
        running = clock.get("running") and clock.get("module") == module
        timer = [f'<form method="post" action="{action}"><input type="hidden" name="action" '
                 f'value="start"><label>Minutes <input name="minutes" type="number" min="1" '
                 f'max="240" value="{DEFAULT_MINUTES}"></label> <button type="submit">'
                 f"{'Start again' if running else 'Start the countdown'}</button></form>"]
        if running:
            timer.append(f'<form method="post" action="{action}"><input type="hidden" '
                         'name="action" value="more"><button type="submit">5 more minutes'
                         "</button></form>"
                         f'<form method="post" action="{action}"><input type="hidden" '
                         'name="action" value="stop"><button type="submit">Stop the '
                         "countdown</button></form>")
        rows = []
        for g in groups:
            members = ", ".join(_who(c, by_code) for c in g.members)
            done = group_done(workshop.room, g.id, kind)
            show = (f'<a href="/host/plenary/{kind}/g/{g.id}">show {html.escape(g.name)}</a>'
                    if done != NOTHING else "–")
            rows.append(
                f'<tr><td data-label="group">{html.escape(g.name)}</td>'
                f'<td data-label="moderator">{html.escape(g.moderator) or "–"}</td>'
                f'<td data-label="members">{members}</td>'
                f'<td data-label="work">{html.escape(done)}</td>'
                f'<td data-label="plenary">{show}</td></tr>')
        table = ('<table class="d4-table"><thead><tr><th scope="col">group</th>'
                 '<th scope="col">moderator</th><th scope="col">members (country, field)'
                 '</th><th scope="col">work</th><th scope="col">plenary</th></tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table>") if rows else ""
        cards.append(
            f'<section class="breakout" id="breakout-{module}" aria-labelledby="bt-{module}">'
            f'<h3 id="bt-{module}">{html.escape(breakout_title(module))}{current}</h3>'
            f"<p>Each group works on {GROUP_WORK_TITLES[kind]} ({sub}) together, from the "
            "Group work page. " + status + "</p>"
            f'<div class="actions">{"".join(forms)}</div>'
            f'<div class="actions">{"".join(timer)}</div>{table}</section>')
    return ('<h2 id="breakouts">Breakout groups</h2><p>Groups are mixed by the case country '
            "each participant chose and by their organisation or role (from 1.2), so that "
            "each group meets other countries and fields. Participants open their group's "
            "work from the start page or from the bar at the top of every page, where the "
            "countdown shows too. <a href=\"/host/plenary\">Show work in plenary</a></p>"
            + "".join(cards))


def by_hand_html(workshop: Workshop, module: int, people: Sequence[Profile]) -> str:
    """The form that places each participant in a group of the breakout, and names each
    group's moderator."""
    groups = workshop.groups(module)
    place = {code: g.id for g in groups for code in g.members}
    rows = []
    for p in people:
        options = [("", "No group"), *((g.id, g.name) for g in groups), ("new", "A new group")]
        chosen = place.get(p.code, "")
        opts = "".join(f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>'
                       f"{html.escape(label)}</option>" for v, label in options)
        field_id = f"place-{p.code}"
        rows.append(f'<tr><td data-label="participant"><label for="{field_id}">'
                    f"{html.escape(p.code)}</label></td>"
                    f'<td data-label="country">{html.escape(p.country_name) or "–"}</td>'
                    f'<td data-label="field">{html.escape(p.field) or "–"}</td>'
                    f'<td data-label="group"><select id="{field_id}" name="place:{p.code}">'
                    f"{opts}</select></td></tr>")
    moderators = "".join(
        f'<p><label>{html.escape(g.name)}: moderator <input name="moderator:{g.id}" '
        f'value="{html.escape(g.moderator)}" maxlength="80"></label></p>' for g in groups)
    moderators += ('<p><label>A new group: moderator <input name="moderator:new" '
                   'maxlength="80"></label></p>')
    table = ('<table class="d4-table"><thead><tr><th scope="col">participant</th>'
             '<th scope="col">country</th><th scope="col">field</th><th scope="col">group</th>'
             f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
             if rows else "<p>Nobody has joined yet.</p>")
    return (f"<h2>{html.escape(breakout_title(module))}</h2>"
            "<p>Choose a group for each participant. Everyone placed in \"A new group\" forms "
            "one new group. A group that keeps nobody leaves this breakout; its work is "
            "kept.</p>"
            f'<form method="post" action="/host/breakout/{module}">'
            '<input type="hidden" name="action" value="hand">'
            f"{table}<h3>Moderators</h3>{moderators}"
            '<p><button type="submit">Save the groups</button> · '
            f'<a href="/host#breakout-{module}">Back to the host page</a></p></form>')


def progress_rows(room: Path) -> list[dict[str, Any]]:
    """Per participant: module number -> (exercises completed, exercises in its apps)."""
    exercises = app_exercises(Path(room) / "apps")
    return [{"code": path.stem, "modules": progress(read_doc(path), exercises)}
            for path in participant_files(room)]


def progress_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """A table: for each participant, the exercises completed in each module."""
    if not rows:
        return ""
    heads = "".join(f'<th scope="col">{m.number}. {html.escape(m.title)}</th>' for m in MODULES)
    body = []
    room_done = {m.number: 0 for m in MODULES}
    for row in rows:
        cells = []
        for m in MODULES:
            done, total = row["modules"].get(m.number, (0, 0))
            room_done[m.number] += int(bool(total) and done >= total)
            full = " class=\"done\"" if total and done >= total else ""
            cells.append(f'<td data-label="module {m.number}"{full}>{done} of {total}</td>')
        body.append(f'<tr><th scope="row" data-label="participant">'
                    f'{html.escape(str(row["code"]))}</th>{"".join(cells)}</tr>')
    summary = ", ".join(f"module {n}: {k}" for n, k in room_done.items())
    return ('<h2 id="progress">Progress</h2><p>Exercises each participant has completed, by '
            "module (an exercise counts when every part of it is done). Participants who "
            f"completed a whole module: {summary}.</p>"
            '<table class="d4-table d4-progress"><thead><tr><th scope="col">participant</th>'
            f"{heads}</tr></thead><tbody>{''.join(body)}</tbody></table>")
