"""The learner's workbook: one JSON file with the learner's case and every exercise answer.

Where the file lives
--------------------
``DIGIT4SD_WORKBOOK`` (an environment variable) names the file when it is set: the classroom
server sets it for each participant. Otherwise the workbook is ``digit4sd_workbook.json`` in
the current folder, which for a notebook is its assignment folder, so the answers travel with
the submitted assignment and nbgrader can grade them on the instructor's machine.

A learner moves from module to module, that is from folder to folder. A workbook opened in a
folder also takes in the newer answers the same learner saved in sibling folders (same
``learner_id``), so the stakeholders entered in module 3 appear in module 4's canvas.

Whose workbook it is
--------------------
A workbook's learner is decided once, by the place, never by the object that opens it: every
view, notebook, window or kernel that opens the same path is the same learner. In a room the
participant is their code (the server sets ``DIGIT4SD_LEARNER``); in a module folder with the
learner's earlier work it is that work's learner; otherwise it is whoever owns the folder. A
workbook started fresh takes the identity of a file that another window saved meanwhile.

Safety
------
Every accepted change is written at once, atomically (temporary file, fsync, rename) under a
lock, after re-reading the file, and merged with it: concurrent savers (threads, processes,
kernels) each keep all their answers, the newest save of one answer wins, and each field of
the case is merged the same way. A file that is damaged, or that belongs to another learner
(a folder copied by mistake), is set aside under a new name, never overwritten, and reported
in ``Workbook.problems`` in plain words, with the name it was kept under.

The learner's language
----------------------
``lang`` at the top of the file is the language the learner reads the course in (absent:
English); :func:`digit4sd_widgets.i18n.workbook_language` reads it, so a French copy of the
course, and nbgrader grading it, speak French. It is set with :meth:`Workbook.set_language`
and merged like a field of the case: the newest choice wins.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "wb.json"
>>> wb = Workbook.open(path)
>>> wb.set_case(country="BGD", target_area="Digital birth registration")
>>> Workbook.open(path).case["target_area"]
'Digital birth registration'
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import pwd
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import i18n
from .atomic import write_atomic
from .i18n import _

_ONE_MICROSECOND = timedelta(microseconds=1)

try:  # POSIX advisory locks; elsewhere saves still are atomic, just not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

FORMAT = "digit4sd-workbook"
VERSION = 1
FILENAME = "digit4sd_workbook.json"
ENV_VAR = "DIGIT4SD_WORKBOOK"
LEARNER_ENV = "DIGIT4SD_LEARNER"
CASE_FIELDS = ("country", "target_area", "sdg_targets")
#: the learner's language (a code of :func:`digit4sd_widgets.i18n.languages`; absent: English)
LANG_FIELD = "lang"
#: when the language was last chosen (for merging two copies: the newest choice wins)
LANG_STAMP = "lang_updated"
#: how files set aside are named: ``<stem>.<reason>-<UTC time>.json``
SET_ASIDE = {"damaged": "unreadable", "foreign": "another-learner"}

__all__ = ["ENV_VAR", "FILENAME", "LEARNER_ENV", "Workbook", "WorkbookError", "is_set_aside",
           "place_identity"]


class WorkbookError(RuntimeError):
    """The workbook could not be saved; the last good file is unchanged."""


_clock = threading.Lock()
_last_stamp = ""


def _now() -> str:
    """A UTC time stamp, strictly later than the previous one of this process."""
    global _last_stamp
    with _clock:
        now = datetime.now(UTC)
        stamp = now.isoformat(timespec="microseconds")
        if stamp <= _last_stamp:  # same microsecond, or the clock stepped back
            last = datetime.fromisoformat(_last_stamp)
            stamp = (last + _ONE_MICROSECOND).isoformat(timespec="microseconds")
        _last_stamp = stamp
        return stamp


def _owner(path: Path) -> str:
    """The account that owns the nearest existing folder of ``path``."""
    folder = path.parent
    while True:
        try:
            uid = folder.stat().st_uid
            break
        except OSError:
            if folder.parent == folder:
                uid = os.getuid()
                break
            folder = folder.parent
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def place_identity(path: Path | None) -> str:
    """The learner of a workbook started at ``path``: the same for every object that opens it.

    ``$DIGIT4SD_LEARNER`` when set (a room sets it to the participant's code), else the
    account that owns the folder.
    """
    env = os.environ.get(LEARNER_ENV, "").strip()
    if env:
        return env
    if path is None:
        return "in-memory"
    return f"user:{_owner(Path(path))}"


def is_set_aside(path: Path) -> bool:
    """Whether a file is a workbook that was set aside (damaged or another learner's)."""
    return any(f".{tag}-" in path.name for tag in SET_ASIDE.values())


def _empty(learner_id: str | None = None) -> dict[str, Any]:
    stamp = _now()
    return {
        "format": FORMAT,
        "version": VERSION,
        "learner_id": learner_id or "in-memory",
        "learner_name": "",
        "created": stamp,
        "updated": stamp,
        "case": {"country": None, "target_area": "", "sdg_targets": [], "updated": ""},
        "answers": {},
    }


MAX_DEPTH = 64  # a workbook nests a few levels; far deeper is not one
MAX_FILE_BYTES = 32 * 1024 * 1024


def parse_json(data: bytes | str) -> Any:
    """JSON from a file a person or a program may have damaged: a UTF-8 byte-order mark is
    allowed; anything nested deeper than :data:`MAX_DEPTH` is refused (it would exhaust
    Python's recursion later). Raises ValueError with the reason in plain words."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(_("not UTF-8 text")) from None
    text = data.removeprefix("\ufeff")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ValueError(_("nested too deeply")) from None
    except ValueError:
        raise ValueError(_("not valid JSON")) from None
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(_("nested too deeply"))
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return doc


class _Foreign(ValueError):
    """The file exists but is not a readable workbook; its text says why, as a clause that
    follows the file's name ("it is damaged (not valid JSON)")."""


def _read(path: Path) -> dict[str, Any] | None:
    """Return the workbook stored at ``path``, None if absent; raise _Foreign if damaged."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _Foreign(_("it is too large to be a workbook (over {size} MB)").format(
                size=MAX_FILE_BYTES >> 20))
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Foreign(_("it cannot be read ({error})").format(
            error=exc.__class__.__name__)) from exc
    try:
        doc = parse_json(data)
    except ValueError as exc:
        raise _Foreign(_("it is damaged ({reason})").format(reason=exc)) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Foreign(_("it is not a DIGIT4SD workbook"))
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise _Foreign(_("it was written by a newer version of the course"))
    if not isinstance(doc.get("answers"), dict) or not isinstance(doc.get("case"), dict):
        raise _Foreign(_("it is damaged (answers or case missing)"))
    if not isinstance(doc.get("learner_id"), str):
        raise _Foreign(_("it is damaged (no learner id)"))
    base = _empty(doc["learner_id"])
    base.update(doc)
    base["case"] = _clean_case(doc["case"])
    if LANG_FIELD in base and not (isinstance(base[LANG_FIELD], str)
                                   and 0 < len(base[LANG_FIELD]) <= 35):
        base.pop(LANG_FIELD)  # hand-edited into something that is no language code
    if not isinstance(base.get(LANG_STAMP, ""), str):
        base.pop(LANG_STAMP)
    for key, entry in list(base["answers"].items()):
        if not (isinstance(entry, dict) and isinstance(entry.get("saved"), str)
                and isinstance(entry.get("kind"), str) and "data" in entry):
            del base["answers"][key]
    return base


def _clean_case(case: dict[str, Any]) -> dict[str, Any]:
    """The case with each field of the type the course expects (a damaged or hand-edited
    field is dropped: the learner chooses it again)."""
    clean = _empty()["case"]
    extra = {k: v for k, v in case.items() if k not in clean}
    country = case.get("country")
    if country is None or (isinstance(country, str) and len(country) <= 100):
        clean["country"] = country
    if isinstance(case.get("target_area"), str):
        clean["target_area"] = case["target_area"][:2000]
    targets = case.get("sdg_targets")
    if isinstance(targets, list) and all(isinstance(t, str) for t in targets):
        clean["sdg_targets"] = targets[:200]
    if isinstance(case.get("updated"), str):
        clean["updated"] = case["updated"]
    return {**extra, **clean}


def _case_stamps(doc: dict[str, Any]) -> dict[str, str]:
    """When each field of the case was last set (files of earlier versions: the case's
    one ``updated`` stamp for every field)."""
    stamps = doc.get("case_stamps")
    stamps = stamps if isinstance(stamps, dict) else {}
    whole = str(doc["case"].get("updated") or "")
    return {f: str(stamps.get(f) or whole) for f in CASE_FIELDS}


def _merge_newer(into: dict[str, Any], other: dict[str, Any]) -> bool:
    """Take from ``other`` every answer, and every field of the case, saved later than in
    ``into`` (on a tie, ``other``'s: it is the copy already written)."""
    changed = False
    for key, entry in other["answers"].items():
        mine = into["answers"].get(key)
        if mine is None or (entry["saved"] >= mine["saved"] and entry != mine):
            into["answers"][key] = copy.deepcopy(entry)
            changed = True
    mine_stamps, their_stamps = _case_stamps(into), _case_stamps(other)
    for name in CASE_FIELDS:
        theirs = their_stamps[name]
        if theirs and theirs >= mine_stamps[name] and \
                other["case"].get(name) != into["case"].get(name):
            into["case"][name] = copy.deepcopy(other["case"].get(name))
            mine_stamps[name] = theirs
            changed = True
        elif theirs > mine_stamps[name]:
            mine_stamps[name] = theirs
    into["case_stamps"] = mine_stamps
    theirs = str(other.get(LANG_STAMP) or "")
    if LANG_FIELD in other and theirs >= str(into.get(LANG_STAMP) or "") and \
            other[LANG_FIELD] != into.get(LANG_FIELD):
        into[LANG_FIELD] = other[LANG_FIELD]
        into[LANG_STAMP] = theirs
        changed = True
    into["case"]["updated"] = max([str(into["case"].get("updated") or ""),
                                   *mine_stamps.values()])
    if not into.get("learner_name") and other.get("learner_name"):
        into["learner_name"] = other["learner_name"]
    return changed


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Workbook:
    """A learner's case and answers, saved to one JSON file at every accepted change."""

    def __init__(self, path: Path | None, doc: dict[str, Any], problems: list[str],
                 *, claimed: bool = True):
        self.path = Path(path) if path is not None else None
        self._doc = doc
        self.problems = problems
        #: whether this object's learner is the file's: False for a workbook started fresh
        #: and not saved yet, which takes the identity of whatever another window saved
        self._claimed = claimed

    # ----------------------------------------------------------------- opening
    @staticmethod
    def default_path() -> Path:
        """``$DIGIT4SD_WORKBOOK`` if set, else ``digit4sd_workbook.json`` in this folder."""
        env = os.environ.get(ENV_VAR, "").strip()
        return Path(env) if env else Path.cwd() / FILENAME

    @classmethod
    def in_memory(cls) -> Workbook:
        """A workbook that is never written to disk (for previews and tests)."""
        return cls(None, _empty("in-memory"), [])

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, siblings: bool | None = None
             ) -> Workbook:
        """Open (or start) the workbook at ``path`` (default: :meth:`default_path`).

        ``siblings``: take in newer answers from workbooks of the same learner in sibling
        folders (default: only when the path was not given by ``DIGIT4SD_WORKBOOK``).
        """
        explicit_env = path is None and bool(os.environ.get(ENV_VAR, "").strip())
        target = Path(path) if path is not None else cls.default_path()
        if siblings is None:
            siblings = not explicit_env
        problems: list[str] = []
        try:
            doc = _read(target)  # saves are atomic renames: a read sees a whole file
        except _Foreign as exc:
            kept = cls._set_aside(target, "damaged")
            problems.append(cls._damaged_message(target, str(exc), kept))
            doc = None
        claimed = doc is not None
        # only the standard file name takes part in carrying work between module folders
        found_siblings = (cls._sibling_docs(target)
                          if siblings and target.name == FILENAME else [])
        if doc is None:
            learners = {d["learner_id"] for d in found_siblings}
            if len(learners) == 1:
                # a new module folder: carry over the learner's work from the other folders
                newest = max(found_siblings, key=lambda d: d["updated"])
                doc = copy.deepcopy(newest)
            else:  # none, or several learners' files side by side: never guess whose
                doc = _empty(place_identity(target))
        # a file of its own says whose it is; a fresh one among several learners never guesses
        if claimed or len({d["learner_id"] for d in found_siblings}) == 1:
            for other in found_siblings:
                if other["learner_id"] == doc["learner_id"]:
                    _merge_newer(doc, other)
        return cls(target, doc, problems, claimed=claimed)

    @staticmethod
    def _set_aside(path: Path, reason: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        kept = path.with_name(f"{path.stem}.{SET_ASIDE[reason]}-{stamp}{path.suffix}")
        os.replace(path, kept)
        return kept

    @staticmethod
    def _damaged_message(path: Path, what: str, kept: Path) -> str:
        return _("Your workbook file {name} could not be used: {reason}. It was kept, "
                 "unchanged, as {kept} in the folder {folder}. Your answers from now on are "
                 "saved in a new workbook; ask your instructor or host if you need what was "
                 "in the old one.").format(name=path.name, reason=what, kept=kept.name,
                                           folder=kept.parent)

    @staticmethod
    def _foreign_message(path: Path, kept: Path) -> str:
        return _("The workbook file {name} belonged to another learner (it was probably "
                 "copied here by mistake). It was kept, unchanged, as {kept} in the folder "
                 "{folder}, and your own answers are saved in {name}. Tell your instructor or "
                 "host.").format(name=path.name, kept=kept.name, folder=kept.parent)

    @staticmethod
    def _sibling_docs(path: Path) -> list[dict[str, Any]]:
        docs = []
        parent = path.resolve().parent
        for candidate in sorted(parent.parent.glob(f"*/{path.name}")):
            if candidate.resolve() == path.resolve():
                continue
            try:
                doc = _read(candidate)
            except _Foreign:
                continue
            if doc is not None:
                docs.append(doc)
        return docs

    # ----------------------------------------------------------------- reading
    @property
    def learner_id(self) -> str:
        return self._doc["learner_id"]

    @property
    def learner_name(self) -> str:
        return self._doc.get("learner_name") or ""

    @property
    def case(self) -> dict[str, Any]:
        """The learner's case: ``country`` (ISO3 or None), ``target_area``, ``sdg_targets``."""
        return copy.deepcopy(self._doc["case"])

    @property
    def country(self) -> str | None:
        return self._doc["case"].get("country")

    def language(self) -> str:
        """The language the learner reads the course in (``"en"`` when none was chosen, or
        when the chosen one is not offered by this version of the course)."""
        return i18n.normalise(self._doc.get(LANG_FIELD)) or i18n.SOURCE

    def keys(self) -> list[str]:
        return sorted(self._doc["answers"])

    def get(self, key: str) -> dict[str, Any] | None:
        """The saved data of one exercise (a copy), or None."""
        entry = self._doc["answers"].get(key)
        return copy.deepcopy(entry["data"]) if entry else None

    def entry(self, key: str) -> dict[str, Any] | None:
        entry = self._doc["answers"].get(key)
        return copy.deepcopy(entry) if entry else None

    def latest(self, kind: str) -> dict[str, Any] | None:
        """The most recently saved answer of an exercise kind, wherever it was saved."""
        entries = [e for e in self._doc["answers"].values() if e["kind"] == kind]
        if not entries:
            return None
        return copy.deepcopy(max(entries, key=lambda e: e["saved"])["data"])

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._doc)

    def to_json(self) -> str:
        return json.dumps(self._doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    # ----------------------------------------------------------------- writing
    def set(self, key: str, kind: str, data: Mapping[str, Any]) -> None:
        """Store one exercise's answer and save the workbook at once."""
        json.dumps(data)  # refuse what cannot be stored before touching anything
        stored = copy.deepcopy(dict(data))

        def apply(doc: dict[str, Any]) -> None:  # stamped under the lock: the newest save wins
            doc["answers"][key] = {"kind": kind, "saved": _now(), "data": stored}

        self._save(apply)

    def update(self, key: str, kind: str, change) -> dict[str, Any]:
        """Store ``change(saved)`` as the answer ``key``, where ``saved`` is that answer as it
        is on disk now (a copy, or None), read under the lock: for work that several people
        change at the same time (a workshop group's). Returns what was stored."""
        stored: dict[str, Any] = {}

        def apply(doc: dict[str, Any]) -> None:
            entry = doc["answers"].get(key)
            data = change(copy.deepcopy(entry["data"]) if entry else None)
            json.dumps(data)  # refuse what cannot be stored before writing anything
            stored.update(copy.deepcopy(dict(data)))
            doc["answers"][key] = {"kind": kind, "saved": _now(), "data": copy.deepcopy(stored)}

        self._save(apply)
        return copy.deepcopy(stored)

    def merge_from(self, path: str | os.PathLike) -> list[str]:
        """Take in every answer, and every field of the case, that the workbook file at
        ``path`` saved later than this one (a copy downloaded from a workshop room, say);
        nothing newer here is replaced and the file at ``path`` is only read. Returns the
        keys of the answers taken in. ``ValueError`` with a plain message when ``path`` is
        not a workbook that can be read."""
        source = Path(path)
        try:
            other = _read(source)
        except _Foreign as exc:
            raise ValueError(_("The file {name} cannot be used: {reason}.").format(
                name=source.name, reason=exc)) from None
        if other is None:
            raise ValueError(_("There is no file {name}.").format(name=source.name))
        taken: list[str] = []

        def apply(doc: dict[str, Any]) -> None:
            before = {k: e["saved"] for k, e in doc["answers"].items()}
            _merge_newer(doc, other)
            taken.extend(k for k, e in sorted(doc["answers"].items())
                         if before.get(k) != e["saved"])

        self._save(apply)
        return taken

    def set_case(self, **fields: Any) -> None:
        """Update the learner's case (``country``, ``target_area``, ``sdg_targets``)."""
        unknown = set(fields) - set(CASE_FIELDS)
        if unknown:
            raise KeyError(f"not part of the case: {sorted(unknown)}")

        def apply(doc: dict[str, Any]) -> None:
            stamp = _now()
            stamps = _case_stamps(doc)
            doc["case"].update(copy.deepcopy(fields))
            stamps.update({name: stamp for name in fields})
            doc["case_stamps"] = stamps
            doc["case"]["updated"] = stamp

        self._save(apply)

    def set_language(self, lang: str) -> None:
        """Choose the language the learner reads the course in (a code of
        :func:`digit4sd_widgets.i18n.languages`, such as ``"fr"``; ``"fr-FR"`` is taken as
        ``"fr"``); saved at once. ``ValueError`` for a language the course does not offer."""
        code = i18n.normalise(lang)
        if code is None:
            raise ValueError(_("The course is not offered in the language {lang}. Choose one of: "
                               "{offered}.").format(lang=lang,
                                                    offered=", ".join(i18n.languages())))

        def apply(doc: dict[str, Any]) -> None:
            doc[LANG_FIELD] = code
            doc[LANG_STAMP] = _now()

        self._save(apply)

    def set_learner_name(self, name: str) -> None:
        self._save(lambda doc: doc.__setitem__("learner_name", str(name).strip()[:200]))

    def _save(self, change) -> None:
        if self.path is None:
            change(self._doc)
            self._doc["updated"] = _now()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path):
                try:
                    on_disk = _read(self.path)
                except _Foreign as exc:
                    kept = self._set_aside(self.path, "damaged")
                    self.problems.append(self._damaged_message(self.path, str(exc), kept))
                    on_disk = None
                doc = copy.deepcopy(self._doc)
                if on_disk is not None and not self._claimed and \
                        on_disk["learner_id"] != doc["learner_id"]:
                    # started fresh while another window of this learner saved first: the
                    # file's identity is this learner's
                    doc["learner_id"] = on_disk["learner_id"]
                    doc["created"] = on_disk.get("created", doc["created"])
                if on_disk is not None and on_disk["learner_id"] == doc["learner_id"]:
                    _merge_newer(doc, on_disk)  # keep what another window saved meanwhile
                elif on_disk is not None:
                    kept = self._set_aside(self.path, "foreign")
                    self.problems.append(self._foreign_message(self.path, kept))
                change(doc)
                doc["updated"] = _now()
                write_atomic(self.path, json.dumps(doc, indent=2, ensure_ascii=False,
                                                    sort_keys=True) + "\n")
        except OSError as exc:
            raise WorkbookError(
                _("Your work could not be saved ({error}). The last saved version is kept; "
                  "try again, or download your workbook.").format(
                      error=exc.strerror or exc)) from exc
        self._doc = doc
        self._claimed = True

    def export_json(self, path: str | os.PathLike) -> Path:
        """Write the whole workbook to ``path`` (atomically) and return the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, self.to_json())
        return target
