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
from ..i18n import _, ngettext
from .workshop import (
    CORE,
    GROUP_WORK,
    GROUP_WORK_TITLES,
    Profile,
    Workshop,
    app_exercises,
    breakout_title,
    group_path,
    how_text,
    participant_files,
    progress,
    read_doc,
)

DEFAULT_GROUP_SIZE = 6
DEFAULT_MINUTES = 30

__all__ = ["breakouts_html", "by_hand_html", "group_done", "progress_html", "progress_rows"]


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def group_done(room: Path, group_id: str, kind: str) -> str | None:
    """How complete a group's work is, in words ("3 of 4 complete"); ``None``: nothing
    saved yet."""
    from ..exercises import EXERCISES

    doc = read_doc(group_path(room, group_id))
    answers = (doc or {}).get("answers") or {}
    entries = [e for e in answers.values() if isinstance(e, dict) and e.get("kind") == kind]
    if not entries:
        return None
    newest = max(entries, key=lambda e: str(e.get("saved", "")))
    try:
        return str(EXERCISES[kind][0].from_dict(newest.get("data")).completeness())
    except Exception:
        return _("saved work that cannot be read")


def _who(code: str, people: Mapping[str, Profile]) -> str:
    p = people.get(code)
    about = ", ".join(x for x in ((p.country_name, p.field) if p else ()) if x)
    return html.escape(code) + (f" ({html.escape(about)})" if about else "")


def breakouts_html(workshop: Workshop, people: Sequence[Profile], *, now: float | None = None
                   ) -> str:
    """The host's breakouts: for each core module its groups, how they were made, their
    moderators and work, and the forms that make groups and start the countdown."""
    e = html.escape
    by_code = {p.code: p for p in people}
    clock = workshop.clock(now)
    cards = []
    suggested = max(1, round(len(people) / DEFAULT_GROUP_SIZE)) if people else 1
    for module in CORE:
        sub, kind = GROUP_WORK[module]
        groups = workshop.groups(module)
        action = f"/host/breakout/{module}"
        status = e(ngettext("{n} group, {how}.", "{n} groups, {how}.", len(groups)).format(
            n=len(groups), how=how_text(workshop.how(module)))
                   if groups else _("No groups yet."))
        if clock.get("running") and clock.get("module") == module:
            left = clock["remaining"]
            status += " <b>" + e(_("Countdown: {time} left.").format(time=_minutes(left))
                                 if left else _("The countdown has ended.")) + "</b>"
        title = (_("{breakout} (the room is in this breakout now)") if workshop.current
                 == module else "{breakout}").format(breakout=breakout_title(module))
        forms = [
            f'<form method="post" action="{action}"><input type="hidden" name="action" '
            'value="mix"><label>' + e(_("Groups")) + ' <input name="count" type="number" min="1" '
            f'max="30" value="{suggested}"></label> <button type="submit">'
            + e(_("Mix the room into groups")) + '</button></form>']
        for earlier in workshop.formed():
            if earlier != module:
                forms.append(
                    f'<form method="post" action="{action}"><input type="hidden" '
                    f'name="action" value="keep"><input type="hidden" name="source" '
                    f'value="{earlier}"><button type="submit">'
                    + e(_("Keep the groups of module {number}").format(number=earlier))
                    + "</button></form>")
        forms.append(f'<a href="/host/groups/{module}">' + e(_("Place people by hand")) + '</a>')
        running = clock.get("running") and clock.get("module") == module
        timer = [f'<form method="post" action="{action}"><input type="hidden" name="action" '
                 'value="start"><label>' + e(_("Minutes")) + ' <input name="minutes" type="number" '
                 f'min="1" max="240" value="{DEFAULT_MINUTES}"></label> <button type="submit">'
                 + e(_("Start again") if running else _("Start the countdown"))
                 + "</button></form>"]
        if running:
            timer.append(f'<form method="post" action="{action}"><input type="hidden" '
                         'name="action" value="more"><button type="submit">'
                         + e(_("5 more minutes")) + '</button></form>'
                         f'<form method="post" action="{action}"><input type="hidden" '
                         'name="action" value="stop"><button type="submit">'
                         + e(_("Stop the countdown")) + '</button></form>')
        heads = (_("group"), _("moderator"), _("members (country, field)"), _("work"),
                 _("plenary"))
        rows = []
        for g in groups:
            members = ", ".join(_who(c, by_code) for c in g.members)
            done = group_done(workshop.room, g.id, kind)
            show = (f'<a href="/host/plenary/{kind}/g/{g.id}">'
                    + e(_("show {group}").format(group=g.name)) + '</a>'
                    if done is not None else "–")
            cells = (e(g.name), e(g.moderator) or "–", members,
                     e(done if done is not None else _("nothing saved yet")), show)
            rows.append("<tr>" + "".join(f'<td data-label="{e(head)}">{cell}</td>'
                                         for head, cell in zip(heads, cells, strict=True))
                        + "</tr>")
        table = ('<table class="d4-table"><thead><tr>'
                 + "".join(f'<th scope="col">{e(head)}</th>' for head in heads)
                 + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>") if rows else ""
        work = e(_("Each group works on {work} ({id}) together, from the Group work page.")
                 .format(work=_(GROUP_WORK_TITLES[kind]), id=sub))
        cards.append(
            f'<section class="breakout" id="breakout-{module}" aria-labelledby="bt-{module}">'
            f'<h3 id="bt-{module}">{e(title)}</h3>'
            f"<p>{work} {status}</p>"
            f'<div class="actions">{"".join(forms)}</div>'
            f'<div class="actions">{"".join(timer)}</div>{table}</section>')
    return ('<h2 id="breakouts">' + e(_("Breakout groups")) + '</h2><p>'
            + e(_("Groups are mixed by the case country each participant chose and by their "
                  "organisation or role (from 1.2), so that each group meets other countries "
                  "and fields. Participants open their group's work from the start page or "
                  "from the bar at the top of every page, where the countdown shows too."))
            + ' <a href="/host/plenary">' + e(_("Show work in plenary")) + '</a></p>'
            + "".join(cards))


def by_hand_html(workshop: Workshop, module: int, people: Sequence[Profile]) -> str:
    """The form that places each participant in a group of the breakout, and names each
    group's moderator."""
    e = html.escape
    groups = workshop.groups(module)
    place = {code: g.id for g in groups for code in g.members}
    new_group = _("A new group")
    heads = (_("participant"), _("country"), _("field"), _("group"))
    rows = []
    for p in people:
        options = [("", _("No group")), *((g.id, g.name) for g in groups), ("new", new_group)]
        chosen = place.get(p.code, "")
        opts = "".join(f'<option value="{e(v)}"{" selected" if v == chosen else ""}>'
                       f"{e(label)}</option>" for v, label in options)
        field_id = f"place-{p.code}"
        rows.append(f'<tr><td data-label="{e(heads[0])}"><label for="{field_id}">'
                    f"{e(p.code)}</label></td>"
                    f'<td data-label="{e(heads[1])}">{e(p.country_name) or "–"}</td>'
                    f'<td data-label="{e(heads[2])}">{e(p.field) or "–"}</td>'
                    f'<td data-label="{e(heads[3])}"><select id="{field_id}" '
                    f'name="place:{p.code}">{opts}</select></td></tr>')
    moderators = "".join(
        '<p><label>' + e(_("{group}: moderator").format(group=g.name)) + ' '
        f'<input name="moderator:{g.id}" value="{e(g.moderator)}" maxlength="80"></label></p>'
        for g in groups)
    moderators += ('<p><label>' + e(_("{group}: moderator").format(group=new_group)) + ' '
                   '<input name="moderator:new" maxlength="80"></label></p>')
    table = ('<table class="d4-table"><thead><tr>'
             + "".join(f'<th scope="col">{e(head)}</th>' for head in heads)
             + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
             if rows else "<p>" + e(_('Nobody has joined yet.')) + "</p>")
    return (f"<h2>{e(breakout_title(module))}</h2><p>"
            + e(_("Choose a group for each participant. Everyone placed in \"{new}\" forms "
                  "one new group. A group that keeps nobody leaves this breakout; its work is "
                  "kept.").format(new=new_group)) + "</p>"
            f'<form method="post" action="/host/breakout/{module}">'
            '<input type="hidden" name="action" value="hand">'
            f"{table}<h3>" + e(_('Moderators')) + f"</h3>{moderators}"
            '<p><button type="submit">' + e(_("Save the groups")) + '</button> · '
            f'<a href="/host#breakout-{module}">' + e(_("Back to the host page"))
            + "</a></p></form>")


def progress_rows(room: Path) -> list[dict[str, Any]]:
    """Per participant: module number -> (exercises completed, exercises in its apps)."""
    exercises = app_exercises(Path(room) / "apps")
    return [{"code": path.stem, "modules": progress(read_doc(path), exercises)}
            for path in participant_files(room)]


def progress_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """A table: for each participant, the exercises completed in each module."""
    if not rows:
        return ""
    e = html.escape
    heads = "".join(f'<th scope="col">{m.number}. {e(m.title)}</th>' for m in MODULES)
    body = []
    room_done = {m.number: 0 for m in MODULES}
    who = e(_("participant"))
    for row in rows:
        cells = []
        for m in MODULES:
            done, total = row["modules"].get(m.number, (0, 0))
            room_done[m.number] += int(bool(total) and done >= total)
            full = " class=\"done\"" if total and done >= total else ""
            label = e(_("module {number}").format(number=m.number))
            cells.append(f'<td data-label="{label}"{full}>'
                         + e(_("{done} of {total}").format(done=done, total=total)) + "</td>")
        body.append(f'<tr><th scope="row" data-label="{who}">'
                    f'{e(str(row["code"]))}</th>{"".join(cells)}</tr>')
    summary = ", ".join(_("module {number}: {count}").format(number=n, count=k)
                        for n, k in room_done.items())
    return ('<h2 id="progress">' + e(_("Progress")) + '</h2><p>'
            + e(_("Exercises each participant has completed, by module (an exercise counts "
                  "when every part of it is done). Participants who completed a whole module: "
                  "{summary}.").format(summary=summary)) + "</p>"
            f'<table class="d4-table d4-progress"><thead><tr><th scope="col">{who}</th>'
            f"{heads}</tr></thead><tbody>{''.join(body)}</tbody></table>")
