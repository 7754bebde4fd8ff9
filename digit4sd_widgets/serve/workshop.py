"""The workshop around the apps: breakout groups after the core modules, each group's shared
workbook, the breakout's countdown, and how far each participant has come.

The workshop puts its participants in breakout workgroups after each core module (3, 4 and
5), each group mixed by country and field, and each led by a moderator. Here that is:

- **Groups per breakout** (:class:`Workshop`): formed by the host, mixed from what the
  participants entered (their case country, and their organisation or role from 1.2 when
  given; :func:`mix`), kept from an earlier breakout, or changed by hand. The whole state is
  one file, ``<room>/workshop.json``, written atomically by the server alone.
- **A group's work** is a workbook of its own, ``<room>/groups/<id>.json``: the same
  :class:`~digit4sd_widgets.workbook.Workbook` as a participant's, so saves are locked and
  merged; each member edits it from their own laptop (:mod:`.groupwork`). A group that is
  kept for the next breakout keeps its workbook: the canvas of module 4 starts from the
  stakeholders the group entered in module 3.
- **The countdown** of a breakout, started by the host; every page of the room shows it
  (:meth:`Workshop.clock`, served as JSON).
- **Progress**: which exercises each participant has completed, per module
  (:func:`app_exercises`, :func:`progress`), from each exercise's ``completeness()``.

>>> people = [Profile("a1", "NPL", "Nepal", "ministry of ict", "Ministry of ICT"),
...           Profile("a2", "NPL", "Nepal", "", ""), Profile("b1", "FJI", "Fiji", "", ""),
...           Profile("b2", "FJI", "Fiji", "", "")]
>>> mix(people, 2)
[['a1', 'b1'], ['a2', 'b2']]
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import math
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..course import MODULES, SUBMODULES
from ..i18n import N_, _, ngettext
from ..workbook import LEARNER_ENV, Workbook, is_set_aside, parse_json
from .room import participant_code

FORMAT = "digit4sd-workshop"
VERSION = 1
FILE = "workshop.json"
GROUPS_DIR = "groups"
#: the core modules, each followed by a breakout workgroup
CORE: tuple[int, ...] = tuple(m.number for m in MODULES if m.core)
#: what a group works on together in the breakout after each core module: (submodule, kind)
GROUP_WORK: dict[int, tuple[str, str]] = {
    3: ("3.2", "stakeholder_matrix"),
    4: ("4.1", "implementation_canvas"),
    5: ("3.3", "kpi_builder"),
}
#: what a group works on, for a sentence ("Each group works on {work} (3.2) together");
#: shown through ``_()``
GROUP_WORK_TITLES = {"stakeholder_matrix": N_("the group's stakeholder matrix"),
                     "implementation_canvas": N_("the group's implementation canvas"),
                     "kpi_builder": N_("the group's key performance indicators")}
#: how a breakout's groups were made, as stored in ``workshop.json`` (language-neutral:
#: English) and shown through :func:`how_text`
MIXED = N_("mixed by country and field")
BY_HAND = N_("placed by hand")
KEPT = "the groups of module {number}"
MAX_GROUPS = 30
MAX_MINUTES = 240
MAX_MODERATOR = 80
_GROUP_ID = re.compile(r"^g[0-9]{1,5}$")

__all__ = ["CORE", "GROUP_WORK", "Group", "Profile", "Workshop", "app_exercises",
           "group_path", "mix", "open_group", "profiles", "progress"]


def module_title(number: int) -> str:
    return next(m.title for m in MODULES if m.number == number)


def breakout_title(number: int) -> str:
    """``Breakout after module 3 (Planning and analysis)``, in the current language."""
    return _("Breakout after module {number} ({title})").format(number=number,
                                                                title=module_title(number))


def how_text(how: str) -> str:
    """How a breakout's groups were made (as stored), in the current language."""
    match = re.fullmatch(KEPT.replace("{number}", "([0-9]+)"), how or "")
    if match:
        return _("the groups of module {number}").format(number=match.group(1))
    return _(how) if how in (MIXED, BY_HAND) else how


def _default_name(group_id: str) -> str:
    """A new group's name as stored (``Group 3``: shown in the reader's language)."""
    return f"Group {group_id[1:]}"


# ----------------------------------------------------------------------- participants
def read_doc(path: Path) -> dict[str, Any] | None:
    """A workbook file as data, read without touching it (``None``: absent or unreadable)."""
    try:
        doc = parse_json(path.read_bytes())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and doc.get("format") == "digit4sd-workbook" else None


def participant_files(room: Path) -> list[Path]:
    """The participants' own workbooks: ``<code>.json``, not the files set aside."""
    files = []
    for path in sorted((Path(room) / "participants").glob("*.json")):
        if is_set_aside(path):
            continue
        try:
            if participant_code(path.stem) == path.stem:
                files.append(path)
        except ValueError:
            continue
    return files


@dataclass(frozen=True)
class Profile:
    """What the mix of a group looks at: a participant's case country and field."""

    code: str
    country: str  # ISO3, or "" when not chosen yet
    country_name: str
    field_key: str  # the field, compared without case and spaces ("" when not given)
    field: str  # the field as the participant typed it (never HTML: escape it to show it)


def _answers_of(doc: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    answers = doc.get("answers") if isinstance(doc.get("answers"), dict) else {}
    found = [e for e in answers.values() if isinstance(e, dict) and e.get("kind") == kind
             and isinstance(e.get("data"), dict)]
    found.sort(key=lambda e: str(e.get("saved", "")), reverse=True)
    return [e["data"] for e in found]


def field_of(doc: Mapping[str, Any] | None) -> str:
    """The participant's field: their organisation (or else their role) from 1.2, or the
    role they gave with the toolkit feedback; ``""`` when they gave none."""
    if not doc:
        return ""
    for data in _answers_of(doc, "goals"):
        for name in ("organisation", "role"):
            value = data.get(name)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:MAX_MODERATOR]
    for data in _answers_of(doc, "toolkit_feedback"):
        value = data.get("role")
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:MAX_MODERATOR]
    return ""


def country_names() -> dict[str, str]:
    """ISO3 -> the country's name in the current language."""
    from ..data import load_countries
    from ..i18n import country_name

    countries = load_countries()
    return {iso3: country_name(iso3, name) for iso3, name in
            zip(countries["iso3"].astype(str), countries["name"].astype(str), strict=True)}


def profile_of(code: str, doc: Mapping[str, Any] | None,
               names: Mapping[str, str] | None = None) -> Profile:
    case = doc.get("case") if doc and isinstance(doc.get("case"), dict) else {}
    country = case.get("country") if isinstance(case.get("country"), str) else ""
    country = country[:3].upper() if country else ""
    names = names if names is not None else country_names()
    shown = field_of(doc)
    return Profile(code, country, names.get(country, country), shown.casefold(), shown)


def profiles(room: Path) -> list[Profile]:
    """Every participant of the room, with their case country and field."""
    names = country_names()
    return [profile_of(path.stem, read_doc(path), names) for path in participant_files(room)]


def mix(people: Sequence[Profile], count: int) -> list[list[str]]:
    """``count`` groups whose sizes differ by one at most, each with as few people of one
    country, then of one field, as the room allows. The same room always gives the same
    groups (the participant codes of each group, sorted)."""
    people = list(people)
    if not people:
        return []
    count = max(1, min(int(count), len(people)))
    small, extra = divmod(len(people), count)
    room_for = [small + 1 if i < extra else small for i in range(count)]
    countries = Counter(p.country for p in people if p.country)
    fields = Counter(p.field_key for p in people if p.field_key)
    # the largest country, then the largest field, first: they are the hardest to spread
    order = sorted(people, key=lambda p: (-countries.get(p.country, 0), p.country or "~",
                                          -fields.get(p.field_key, 0), p.field_key or "~",
                                          p.code))
    groups: list[list[Profile]] = [[] for _ in range(count)]
    for person in order:
        def cost(i: int, person: Profile = person) -> tuple:
            members = groups[i]
            return (sum(1 for q in members if person.country and q.country == person.country),
                    sum(1 for q in members
                        if person.field_key and q.field_key == person.field_key),
                    len(members) / room_for[i], i)

        best = min((i for i in range(count) if len(groups[i]) < room_for[i]), key=cost)
        groups[best].append(person)
    return [sorted(p.code for p in group) for group in groups]


# --------------------------------------------------------------------------- groups
def group_path(room: Path, group_id: str) -> Path:
    if not isinstance(group_id, str) or not _GROUP_ID.match(group_id):
        raise ValueError(_("There is no such group."))
    return Path(room) / GROUPS_DIR / f"{group_id}.json"


def _open_as(path: Path, learner: str, cls: type[Workbook] = Workbook) -> Workbook:
    """The workbook at ``path``, started (if it does not exist yet) as ``learner``'s."""
    before = os.environ.get(LEARNER_ENV)
    os.environ[LEARNER_ENV] = learner
    try:
        return cls.open(path, siblings=False)
    finally:
        if before is None:
            os.environ.pop(LEARNER_ENV, None)
        else:
            os.environ[LEARNER_ENV] = before


def open_group(room: Path, group_id: str, cls: type[Workbook] = Workbook) -> Workbook:
    """The group's workbook (started if it does not exist yet): its learner is the group,
    whoever opens it."""
    return _open_as(group_path(room, group_id), f"group:{group_id}", cls)


def start_participant(room: Path, code: str) -> bool:
    """Start the workbook of a participant who has just joined (named after their code);
    whether it was written (a folder that cannot be written: the first save tries again)."""
    from ..workbook import WorkbookError

    code = participant_code(code)
    try:
        _open_as(Path(room) / "participants" / f"{code}.json",
                 f"participant:{code}").set_learner_name(code)
    except (OSError, WorkbookError):
        return False
    return True


def set_participant_language(room: Path, code: str, lang: str) -> bool:
    """Keep the language a participant chose in their workbook (``lang``); whether it was
    written."""
    from ..workbook import WorkbookError

    code = participant_code(code)
    try:
        _open_as(Path(room) / "participants" / f"{code}.json",
                 f"participant:{code}").set_language(lang)
    except (OSError, ValueError, WorkbookError):
        return False
    return True


@dataclass
class Group:
    """A group in one breakout: its id (and workbook), name, members and moderator."""

    id: str
    name: str
    members: list[str] = field(default_factory=list)
    moderator: str = ""


def clean_moderator(text: Any) -> str:
    """A moderator's name as the host typed it: one line, no control characters."""
    if not isinstance(text, str):
        return ""
    text = "".join(ch for ch in text if ch.isprintable())
    return " ".join(text.split())[:MAX_MODERATOR]


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "names": {}, "next_group": 1,
            "breakouts": {}, "current": None, "timer": None}


def _clean(doc: Any) -> dict[str, Any]:
    """The state with every part of the expected type (a damaged part is dropped)."""
    out = _empty()
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return out
    names = doc.get("names")
    if isinstance(names, dict):
        out["names"] = {k: str(v)[:40] for k, v in names.items()
                        if isinstance(k, str) and _GROUP_ID.match(k)}
    nxt = doc.get("next_group")
    if isinstance(nxt, int) and not isinstance(nxt, bool) and 0 < nxt < 100_000:
        out["next_group"] = nxt
    breakouts = doc.get("breakouts")
    for key, value in (breakouts.items() if isinstance(breakouts, dict) else ()):
        if key not in {str(m) for m in CORE} or not isinstance(value, dict):
            continue
        groups = []
        for g in value.get("groups") or []:
            if not isinstance(g, dict) or not _GROUP_ID.match(str(g.get("id", ""))):
                continue
            members = []
            for code in g.get("members") or []:
                with contextlib.suppress(ValueError, AttributeError, TypeError):
                    members.append(participant_code(code))
            groups.append({"id": g["id"], "members": members,
                           "moderator": clean_moderator(g.get("moderator", ""))})
        out["breakouts"][key] = {"groups": groups, "how": str(value.get("how", ""))[:80],
                                 "formed": str(value.get("formed", ""))[:40]}
    current = doc.get("current")
    out["current"] = current if current in CORE else None
    timer = doc.get("timer")
    if isinstance(timer, dict) and timer.get("module") in CORE:
        try:
            ends, minutes = float(timer["ends"]), float(timer["minutes"])
        except (KeyError, TypeError, ValueError):
            pass
        else:
            if math.isfinite(ends) and math.isfinite(minutes):
                out["timer"] = {"module": timer["module"], "ends": ends, "minutes": minutes}
    return out


class Workshop:
    """The room's breakouts: groups, their moderators, the countdown. Plain data; the server
    is its only writer (:meth:`save`), the app kernels only read it."""

    def __init__(self, room: Path, doc: dict[str, Any] | None = None):
        self.room = Path(room)
        self._doc = _clean(doc) if doc is not None else _empty()

    @classmethod
    def load(cls, room: Path) -> Workshop:
        """The room's state (an empty one when there is none, or the file is damaged)."""
        try:
            doc = parse_json((Path(room) / FILE).read_bytes())
        except (OSError, ValueError):
            doc = None
        return cls(room, doc)

    def save(self) -> None:
        write_atomic(self.room / FILE, json.dumps(self._doc, indent=2, sort_keys=True) + "\n")

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._doc)

    # -- reading
    @property
    def current(self) -> int | None:
        """The breakout the room is in (the last one formed or timed by the host)."""
        return self._doc["current"]

    def formed(self) -> list[int]:
        return [m for m in CORE if str(m) in self._doc["breakouts"]]

    def how(self, module: int) -> str:
        return self._doc["breakouts"].get(str(module), {}).get("how", "")

    def groups(self, module: int) -> list[Group]:
        entry = self._doc["breakouts"].get(str(module))
        if not entry:
            return []
        return [Group(g["id"], self.name(g["id"]), list(g["members"]), g["moderator"])
                for g in entry["groups"]]

    def name(self, group_id: str) -> str:
        """The group's name, in the current language when it is the one it was given."""
        stored = self._doc["names"].get(group_id)
        if not stored or stored == _default_name(group_id):
            return _("Group {number}").format(number=group_id[1:])
        return stored

    def group(self, module: int, group_id: str) -> Group | None:
        return next((g for g in self.groups(module) if g.id == group_id), None)

    def group_of(self, module: int, code: str) -> Group | None:
        return next((g for g in self.groups(module) if code in g.members), None)

    def breakouts_of(self, code: str) -> list[tuple[int, Group]]:
        """The breakouts ``code`` has a group in: the room's current one first."""
        found = [(m, g) for m in self.formed() if (g := self.group_of(m, code))]
        found.sort(key=lambda mg: (mg[0] != self.current, -mg[0]))
        return found

    def all_groups(self) -> list[tuple[int, Group]]:
        """Every group of every breakout, the current breakout's first (a group kept for
        several breakouts is listed once, with the latest)."""
        out: dict[str, tuple[int, Group]] = {}
        order = sorted(self.formed(), key=lambda m: (m != self.current, -m))
        for module in order:
            for g in self.groups(module):
                out.setdefault(g.id, (module, g))
        return list(out.values())

    def clock(self, now: float | None = None) -> dict[str, Any]:
        """The countdown as the room's pages show it."""
        timer = self._doc["timer"]
        if not timer:
            return {"running": False}
        now = time.time() if now is None else now
        left = max(0, round(timer["ends"] - now))
        return {"running": True, "module": timer["module"], "minutes": timer["minutes"],
                "remaining": left,
                "label": _("Breakout after module {number}").format(number=timer["module"])}

    # -- changes (each checks its input; ValueError with a message for the host)
    def _module(self, module: Any) -> int:
        try:
            number = int(module)
        except (TypeError, ValueError):
            number = 0
        if number not in CORE:
            raise ValueError(_("Breakouts follow the core modules: 3, 4 or 5."))
        return number

    def _new_group(self) -> str:
        gid = f"g{self._doc['next_group']}"
        self._doc["next_group"] += 1
        self._doc["names"][gid] = _default_name(gid)
        return gid

    def _set(self, module: int, groups: list[dict[str, Any]], how: str) -> None:
        self._doc["breakouts"][str(module)] = {
            "groups": groups, "how": how,
            "formed": datetime.now(UTC).isoformat(timespec="seconds")}
        self._doc["current"] = module

    def form_mixed(self, module: Any, people: Sequence[Profile], count: Any) -> list[Group]:
        """New groups for the breakout after ``module``, mixed by country and field."""
        module = self._module(module)
        if not people:
            raise ValueError(_("Nobody has joined yet: there is nobody to put in groups."))
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise ValueError(_("Give the number of groups as a number, such as 5.")) from None
        if not 1 <= count <= min(MAX_GROUPS, len(people)):
            raise ValueError(ngettext(
                "Choose between 1 and {most} groups for {n} participant.",
                "Choose between 1 and {most} groups for {n} participants.",
                len(people)).format(most=min(MAX_GROUPS, len(people)), n=len(people)))
        groups = [{"id": self._new_group(), "members": members, "moderator": ""}
                  for members in mix(people, count)]
        self._set(module, groups, MIXED)
        return self.groups(module)

    def keep_groups(self, module: Any, source: Any) -> list[Group]:
        """The groups of an earlier breakout, again (with their work and moderators)."""
        module, source = self._module(module), self._module(source)
        groups = self._doc["breakouts"].get(str(source), {}).get("groups")
        if not groups or source == module:
            raise ValueError(_("There are no groups of module {number} to keep.").format(
                number=source))
        self._set(module, copy.deepcopy(groups), KEPT.format(number=source))
        return self.groups(module)

    def set_by_hand(self, module: Any, places: Mapping[str, str],
                    moderators: Mapping[str, Any], known: Iterable[str]) -> list[Group]:
        """Groups as the host placed each participant: ``places`` maps a participant code to
        a group id of this breakout, ``"new"`` (one new group for all so placed) or ``""``
        (no group); ``moderators`` maps a group id (or ``"new"``) to a name. Codes not in
        ``known`` (the room's participants) are refused."""
        module = self._module(module)
        known = set(known)
        current = {g.id: g for g in self.groups(module)}
        members: dict[str, list[str]] = {gid: [] for gid in current}
        new_members: list[str] = []
        for raw, place in places.items():
            code = participant_code(raw)
            if code not in known:
                raise ValueError(_("There is no participant {code} in this room.").format(
                    code=code))
            if place == "new":
                new_members.append(code)
            elif place in members:
                members[place].append(code)
            elif place:
                raise ValueError(_("That group is not part of this breakout."))
        groups = [{"id": gid, "members": sorted(ms),
                   "moderator": clean_moderator(moderators.get(gid, current[gid].moderator))}
                  for gid, ms in members.items() if ms]
        if new_members:
            groups.append({"id": self._new_group(), "members": sorted(new_members),
                           "moderator": clean_moderator(moderators.get("new", ""))})
        if len(groups) > MAX_GROUPS:
            raise ValueError(_("At most {most} groups.").format(most=MAX_GROUPS))
        self._set(module, groups, BY_HAND)
        return self.groups(module)

    def start_timer(self, module: Any, minutes: Any, now: float | None = None) -> None:
        module = self._module(module)
        try:
            minutes = float(str(minutes).replace(",", "."))
        except ValueError:
            minutes = float("nan")
        if not (math.isfinite(minutes) and 1 <= minutes <= MAX_MINUTES):
            raise ValueError(_("Give the minutes as a number from 1 to {most}.").format(
                most=MAX_MINUTES))
        now = time.time() if now is None else now
        self._doc["timer"] = {"module": module, "ends": now + minutes * 60,
                              "minutes": minutes}
        self._doc["current"] = module

    def add_minutes(self, minutes: float, now: float | None = None) -> None:
        timer = self._doc["timer"]
        if not timer:
            raise ValueError(_("No countdown is running."))
        now = time.time() if now is None else now
        timer["ends"] = max(timer["ends"], now) + minutes * 60
        timer["minutes"] += minutes

    def stop_timer(self) -> None:
        self._doc["timer"] = None

    def new_groups(self) -> list[tuple[str, str]]:
        """(id, name) of every group with no workbook yet."""
        return [(gid, name) for gid, name in self._doc["names"].items()
                if not group_path(self.room, gid).exists()]


def start_group_workbooks(workshop: Workshop) -> None:
    """Give every group of the room its workbook (named after the group)."""
    for gid, name in workshop.new_groups():
        open_group(workshop.room, gid).set_learner_name(name)


# ------------------------------------------------------------------------- progress
_VIEWS_WITH_SUBMODULE = ("quiz", "data_tasks")  # exercises told their submodule when made
_APP_CACHE: dict[tuple, dict[str, list[str]]] = {}


def _keys_in(source: str, sub_id: str, views: Mapping[str, Any]) -> list[str]:
    """The workbook keys of the exercises a cell of an app makes."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    keys = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in views):
            continue
        model = views[node.func.id]
        given = next((k.value.value for k in node.keywords if k.arg == "key"
                      and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)),
                     None)
        if given:
            keys.append(given)
        elif model.kind in _VIEWS_WITH_SUBMODULE:
            first = node.args[0] if node.args else None
            sub = (first.value if isinstance(first, ast.Constant)
                   and isinstance(first.value, str) else sub_id)
            keys.append(f"{sub}/{model.kind}")
        else:
            keys.append(model.default_key())
    return keys


def app_exercises(apps: Path) -> dict[str, list[str]]:
    """Submodule id -> the workbook keys of the exercises its app shows (read from the apps
    the room serves, so that what counts is what participants see)."""
    import nbformat

    from ..exercises import EXERCISES

    apps = Path(apps)
    stamp = tuple((s.id, (apps / s.path).stat().st_mtime_ns if (apps / s.path).exists()
                   else 0) for s in SUBMODULES)
    key = (str(apps), stamp)
    if key in _APP_CACHE:
        return _APP_CACHE[key]
    views = {view.__name__: model for model, view in EXERCISES.values()}
    out: dict[str, list[str]] = {}
    for sub in SUBMODULES:
        keys: list[str] = []
        with contextlib.suppress(OSError, ValueError):
            nb = nbformat.read(apps / sub.path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    keys += [k for k in _keys_in(cell.source, sub.id, views) if k not in keys]
        out[sub.id] = keys
    _APP_CACHE.clear()
    _APP_CACHE[key] = out
    return out


_DONE_CACHE: dict[tuple[str, str, str], bool] = {}


def is_complete(kind: str, data: Any, saved: str = "") -> bool:
    """Whether one saved answer is complete by its exercise's own measure."""
    from ..exercises import EXERCISES

    if kind not in EXERCISES:
        return False
    key = (kind, saved, json.dumps(data, sort_keys=True, default=str)[:20000]) if saved \
        else None
    if key is not None and key in _DONE_CACHE:
        return _DONE_CACHE[key]
    try:
        done = bool(EXERCISES[kind][0].from_dict(data).completeness().complete)
    except Exception:  # an answer that cannot be read is not complete
        done = False
    if key is not None:
        if len(_DONE_CACHE) > 50_000:
            _DONE_CACHE.clear()
        _DONE_CACHE[key] = done
    return done


def progress(doc: Mapping[str, Any] | None, exercises: Mapping[str, list[str]]
             ) -> dict[int, tuple[int, int]]:
    """Module number -> (exercises completed, exercises in its apps) for one workbook."""
    answers = doc.get("answers") if doc and isinstance(doc.get("answers"), dict) else {}
    out: dict[int, tuple[int, int]] = {}
    for m in MODULES:
        done = total = 0
        for sub in m.submodules:
            for key in exercises.get(sub.id, []):
                total += 1
                entry = answers.get(key)
                if isinstance(entry, dict) and is_complete(
                        str(entry.get("kind")), entry.get("data"), str(entry.get("saved"))):
                    done += 1
        out[m.number] = (done, total)
    return out
