"""The translation catalogues: made from the English, checked, filled and compiled.

``digit4sd i18n`` is the translator's command; nothing here runs while the course runs
(:mod:`digit4sd_widgets.i18n` reads the compiled catalogues).

- ``digit4sd i18n update`` reads every English text (the package's ``_()`` and ``N_()``
  calls, each notebook's text paragraph by paragraph, keyed by its cell's grade id, the
  ``_()`` calls of the notebooks' checks, the facilitator's guide) into templates
  (``locale/<domain>.pot``) and brings each language's ``.po`` files up to date: a new
  English text arrives untranslated; a changed one keeps its old translation marked
  *fuzzy* (stale), with the English it was made from, until a translator confirms it.
- ``digit4sd i18n status`` says, per language and catalogue, how many texts are
  translated, untranslated, stale or no longer used, and whether the compiled files are
  current; ``--list`` names them. It exits 1 when a language held to completeness lacks
  anything.
- ``digit4sd i18n compile`` writes the ``.mo`` files the course reads.
- ``digit4sd i18n new pt`` starts a language: its catalogues, every text untranslated,
  marked as a preview until ``INCOMPLETE`` is removed.

Translators edit the ``.po`` files with any PO editor (Poedit, Lokalize, Weblate); the
English of a notebook paragraph is its ``msgid`` and the cell's grade id its ``msgctxt``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import i18n
from .atomic import write_atomic
from .course import localise
from .i18n import INCOMPLETE, cell_key, paragraphs, translate_markdown

__all__ = ["DOMAINS", "cell_key", "fill", "new_language", "paragraphs", "report", "status",
           "template", "translate_markdown", "update", "worksheet"]

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
PROJECT = "DIGIT4SD courseware"
#: the package files whose texts are course content rather than interface
CONTENT = ("course/quizzes.py", "course/cases.py", "course/topics.py", "course/map.py",
           "course/data_tasks/")
MODULES = ("m1", "m2", "m3", "m4", "m5", "m6")
DOMAINS = ("digit4sd", "content", *MODULES, "guide")
GUIDE = ROOT / "docs" / "facilitator.md"
COURSE_SOURCE = ROOT / "course" / "source"

# --- reading the English --------------------------------------------------------------------

KEYWORDS = {**DEFAULT_KEYWORDS, "tr": None}  # tr(): the notebooks' checks
COMMENT_TAGS = ["Translators:"]


def _rel(path: Path) -> str:
    """A file's place in the project, as the catalogues name it."""
    for base in (ROOT, PACKAGE.parent):
        try:
            return Path(path).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return Path(path).name


def _python_messages(path: Path) -> Iterator[tuple[str | tuple, str | None, str, list[str]]]:
    rel = _rel(path)
    for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        yield message, context, f"{rel}:{lineno}", comments


def _code_messages(source: str, where: str) -> Iterator[tuple]:
    from babel.messages.extract import extract
    for lineno, message, comments, context in extract(
            "python", io.BytesIO(source.encode("utf-8")), keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        yield message, context, f"{where}:{lineno}", comments


def notebook_messages(path: Path) -> Iterator[tuple]:
    import nbformat
    nb = nbformat.read(path, as_version=4)
    rel = _rel(path)
    for cell in nb.cells:
        key = cell_key(cell)
        if cell.cell_type == "markdown":
            for piece, ok in paragraphs(cell.source):
                if ok:
                    yield piece.strip("\n"), key, f"{rel}#{key}", []
        elif cell.cell_type == "code":
            yield from _code_messages(cell.source, f"{rel}#{key}")


def guide_messages(path: Path | None = None) -> Iterator[tuple]:
    path = path or GUIDE
    if not path.is_file():
        return
    rel = _rel(path)
    for piece, ok in paragraphs(path.read_text(encoding="utf-8")):
        if ok:
            yield piece.strip("\n"), "facilitator", rel, []


def _domain_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).as_posix()
    return "content" if any(rel == c or rel.startswith(c) for c in CONTENT if c.endswith("/"))\
        or rel in CONTENT else "digit4sd"


def sources(domain: str) -> Iterator[tuple]:
    """Every English text of ``domain`` as ``(message, context, location, comments)``."""
    if domain in ("digit4sd", "content"):
        for path in sorted(PACKAGE.rglob("*.py")):
            if "locale" in path.parts or _domain_of(path) != domain:
                continue
            yield from _python_messages(path)
        if domain == "content":
            # content is plain data: its modules are imported and their objects walked
            # (course/localise.py)
            yield from localise.content_messages()
    elif domain in MODULES:
        for path in sorted(COURSE_SOURCE.glob(f"{domain}_*/*.ipynb")):
            yield from notebook_messages(path)
    elif domain == "guide":
        yield from guide_messages()
    else:
        raise ValueError(f"no catalogue named {domain!r}")


def template(domain: str) -> Catalog:
    """The catalogue of ``domain``'s English texts, as read now."""
    cat = Catalog(project=PROJECT, domain=domain, charset="utf-8")
    for message, context, where, comments in sources(domain):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        path, _, line = where.rpartition(":")
        location = (path, int(line)) if line.isdigit() else (where, None)
        existing = cat.get(message if isinstance(message, str) else message[0], context)
        if existing is not None:
            existing.locations.append(location)
            continue
        cat.add(message, locations=[location], auto_comments=comments, context=context)
    return cat


# --- files ------------------------------------------------------------------------------------

def pot_path(domain: str) -> Path:
    return i18n.LOCALE_DIR / f"{domain}.pot"


def po_path(lang: str, domain: str) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def mo_path(lang: str, domain: str) -> Path:
    return po_path(lang, domain).with_suffix(".mo")


def translated_languages() -> list[str]:
    folder = i18n.LOCALE_DIR
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and (p / "LC_MESSAGES").is_dir()) if folder.is_dir() else []


def is_preview(lang: str) -> bool:
    return (i18n.LOCALE_DIR / lang / INCOMPLETE).exists()


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def _po_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, cat, width=100, sort_output=False, include_previous=True,
             omit_header=False)
    return buf.getvalue()


def _mo_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import hashlib
    import tempfile
    name = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"digit4sd-catalogue-{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_CREATED = re.compile(rb'^"POT-Creation-Date: [^"]*"$', re.M)


def write_catalog(path: Path, cat: Catalog) -> None:
    """Write ``cat`` to ``path``, unless only its creation date would change: a catalogue
    whose texts are the same stays the same file (and its compiled file with it)."""
    data = _po_bytes(cat)
    if path.is_file() and _CREATED.sub(b"", path.read_bytes()) == _CREATED.sub(b"", data):
        return
    write_atomic(path, data, mode=0o644)


def compile_catalog(lang: str, domain: str) -> bool:
    """Write ``domain``'s ``.mo`` for ``lang``; True if it changed."""
    po = po_path(lang, domain)
    if not po.is_file():
        return False
    data = _mo_bytes(read_catalog(po, lang))
    mo = mo_path(lang, domain)
    if mo.is_file() and mo.read_bytes() == data:
        return False
    write_atomic(mo, data, mode=0o644)
    return True


def update(langs: Iterable[str] | None = None, domains: Iterable[str] = DOMAINS) -> None:
    """Templates from the English as it is now; every language's catalogues brought in line."""
    langs = list(langs) if langs is not None else translated_languages()
    for domain in domains:
        pot = template(domain)
        write_catalog(pot_path(domain), pot)
        for lang in langs:
            path = po_path(lang, domain)
            with _locked(path):
                if path.is_file():
                    cat = read_catalog(path, lang)
                else:
                    cat = Catalog(locale=lang, project=PROJECT, domain=domain, charset="utf-8")
                cat.update(pot, no_fuzzy_matching=False, update_header_comment=False)
                cat.obsolete.clear()
                write_catalog(path, cat)
            compile_catalog(lang, domain)


def new_language(lang: str) -> None:
    """Start ``lang``: every catalogue, every text untranslated, marked as a preview."""
    from babel import Locale
    Locale.parse(lang)  # a language CLDR knows, with its plural rule
    (i18n.LOCALE_DIR / lang / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    marker = i18n.LOCALE_DIR / lang / INCOMPLETE
    if not marker.exists():
        marker.write_text("Preview: remove this file when every catalogue is translated and "
                          "reviewed.\n", encoding="utf-8")
    update([lang])


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def plural_forms(value, count: int) -> tuple[str, ...]:
    """A translator's forms as the language's rule wants them: CLDR gives French three
    (one, many: a million and more, other); given ``[singular, plural]``, the plural serves
    for each further form."""
    forms = list(value) if isinstance(value, list | tuple) else [value]
    forms = forms[:count] or [""]
    return tuple(forms + [forms[-1]] * (count - len(forms)))


def fill(lang: str, domain: str, entries, *, overwrite: bool = True) -> tuple[int, list]:
    """Put translations into a catalogue: ``entries`` a list of ``{"id", "str", "ctxt"}``
    (``str`` a list for plural forms) or a mapping ``{english: translation}``. Returns how
    many were set and the entries whose English is not in the catalogue."""
    if isinstance(entries, dict):
        entries = [{"id": k, "str": v} for k, v in entries.items()]
    path = po_path(lang, domain)
    unknown = []
    done = 0
    with _locked(path):
        cat = read_catalog(path, lang)
        index: dict[tuple[str | None, str], object] = {}
        by_id: dict[str, list] = {}
        for m in cat:
            if m.id:
                index[(m.context, _key(m))] = m
                by_id.setdefault(_key(m), []).append(m)
        for entry in entries:
            eid = entry["id"][0] if isinstance(entry["id"], list) else entry["id"]
            ctxt = entry.get("ctxt")
            targets = [index[(ctxt, eid)]] if (ctxt, eid) in index else (
                by_id.get(eid, []) if "ctxt" not in entry else [])
            if not targets:
                unknown.append(entry)
                continue
            for m in targets:
                if m.string and not overwrite and not m.fuzzy:
                    continue
                value = entry["str"]
                if isinstance(m.id, tuple | list):
                    value = plural_forms(value, cat.num_plurals)
                elif isinstance(value, list | tuple):
                    value = value[0]
                m.string = value
                m.flags.discard("fuzzy")
                m.previous_id = []
                done += 1
        write_catalog(path, cat)
    compile_catalog(lang, domain)
    return done, unknown


# --- status ------------------------------------------------------------------------------------

@dataclass
class Status:
    lang: str
    domain: str
    total: int = 0
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)      # fuzzy: the English changed
    missing: list[str] = field(default_factory=list)    # English not yet in the catalogue
    unused: list[str] = field(default_factory=list)     # in the catalogue, no longer English
    placeholders: list[str] = field(default_factory=list)  # {names} that do not match
    compiled: bool = True

    @property
    def problems(self) -> int:
        return (len(self.untranslated) + len(self.stale) + len(self.missing)
                + len(self.unused) + len(self.placeholders) + (not self.compiled))


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?(?:[!:][^{}]*)?\}")
_PERCENT = re.compile(r"%(?:\([a-z_]+\))?[sdfr]")


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text) + _PERCENT.findall(text))


def status(lang: str, domain: str, pot: Catalog | None = None) -> Status:
    pot = pot if pot is not None else template(domain)
    st = Status(lang, domain)
    path = po_path(lang, domain)
    english = {(m.context, _key(m)) for m in pot if m.id}
    st.total = len(english)
    if not path.is_file():
        st.missing = [k[1] for k in english]
        st.compiled = False
        return st
    cat = read_catalog(path, lang)
    have = {}
    for m in cat:
        if m.id:
            have[(m.context, _key(m))] = m
    for key in english:
        m = have.get(key)
        if m is None:
            st.missing.append(key[1])
        elif m.fuzzy:
            st.stale.append(key[1])
        elif not (m.string if isinstance(m.string, str) else all(m.string)):
            st.untranslated.append(key[1])
        else:
            st.translated += 1
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            if any(_fields(s) != _fields(ids[-1 if i else 0]) and _fields(s) != _fields(ids[0])
                   for i, s in enumerate(strings)):
                st.placeholders.append(key[1])
    st.unused = [k[1] for k in have if k not in english]
    mo = mo_path(lang, domain)
    st.compiled = mo.is_file() and mo.read_bytes() == _mo_bytes(cat)
    return st


def report(langs: Iterable[str] | None = None, *, listing: bool = False,
           out=sys.stdout) -> int:
    """Print the status of every catalogue; 1 if a language held to completeness lacks
    anything."""
    langs = list(langs) if langs is not None else translated_languages()
    failed = False
    templates = {d: template(d) for d in DOMAINS}
    for lang in langs:
        preview = is_preview(lang)
        print(f"{lang}{' (preview, not held to completeness)' if preview else ''}", file=out)
        for domain in DOMAINS:
            st = status(lang, domain, templates[domain])
            flag = "ok" if not st.problems else "TO DO"
            print(f"  {domain:9} {st.translated:5}/{st.total:<5} untranslated "
                  f"{len(st.untranslated):4}  stale {len(st.stale):4}  missing "
                  f"{len(st.missing):4}  unused {len(st.unused):3}  placeholders "
                  f"{len(st.placeholders):3}  compiled {'yes' if st.compiled else 'NO'}  "
                  f"{flag}", file=out)
            if listing:
                for label, items in (("untranslated", st.untranslated), ("stale", st.stale),
                                     ("missing", st.missing), ("unused", st.unused),
                                     ("placeholders", st.placeholders)):
                    for item in items:
                        print(f"    {label}: {item[:100]!r}", file=out)
            if st.problems and not preview:
                failed = True
    return 1 if failed else 0


def worksheet(lang: str, domain: str, *, files: Iterable[str] = ()) -> list[dict]:
    """The texts of ``domain`` still to translate (untranslated or stale), optionally only
    those found in ``files`` (paths relative to the project), for :func:`fill`."""
    cat = read_catalog(po_path(lang, domain), lang)
    files = [f.rstrip("/") for f in files]
    out = []
    for m in cat:
        if not m.id:
            continue
        if m.string and (isinstance(m.string, str) or all(m.string)) and not m.fuzzy:
            continue
        if files and not any(loc[0] == f or loc[0].startswith(f + "/") or
                             loc[0].startswith(f + "#") for loc in m.locations for f in files):
            continue
        entry = {"id": m.id if isinstance(m.id, str) else list(m.id), "str": ""}
        if m.context:
            entry["ctxt"] = m.context
        if m.fuzzy and m.string:
            entry["old"] = m.string if isinstance(m.string, str) else list(m.string)
        if isinstance(m.id, tuple | list):
            entry["str"] = ["", ""]
        out.append(entry)
    return out


# --- the command --------------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser("i18n", help="the translation catalogues: update, status, compile")
    s = p.add_subparsers(dest="i18n_command", required=True)
    u = s.add_parser("update", help="read the English anew and bring every catalogue in line")
    u.add_argument("--lang", action="append", help="only this language (repeatable)")
    u.add_argument("--domain", action="append", choices=DOMAINS)
    st = s.add_parser("status", help="what is untranslated, stale or unused, per catalogue")
    st.add_argument("--lang", action="append")
    st.add_argument("--list", action="store_true", help="name every text that needs work")
    s.add_parser("compile", help="write the compiled catalogues the course reads")
    n = s.add_parser("new", help="start a language (a preview until it is complete)")
    n.add_argument("lang")
    w = s.add_parser("worksheet", help="the texts still to translate, as JSON")
    w.add_argument("lang")
    w.add_argument("domain", choices=DOMAINS)
    w.add_argument("files", nargs="*", help="only texts found in these files or folders")
    f = s.add_parser("fill", help="take translations from a JSON worksheet")
    f.add_argument("lang")
    f.add_argument("domain", choices=DOMAINS)
    f.add_argument("json", help="a worksheet with its 'str' filled, or {english: translation}")
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    if args.i18n_command == "update":
        update(args.lang, args.domain or DOMAINS)
        return 0
    if args.i18n_command == "status":
        return report(args.lang, listing=args.list)
    if args.i18n_command == "compile":
        for lang in translated_languages():
            for domain in DOMAINS:
                compile_catalog(lang, domain)
        return 0
    if args.i18n_command == "new":
        new_language(args.lang)
        print(f"Started {args.lang}: translate locale/{args.lang}/LC_MESSAGES/*.po, then "
              f"run 'digit4sd i18n compile'.")
        return 0
    if args.i18n_command == "worksheet":
        json.dump(worksheet(args.lang, args.domain, files=args.files), sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    if args.i18n_command == "fill":
        entries = json.loads(Path(args.json).read_text(encoding="utf-8"))
        if isinstance(entries, list):
            entries = [e for e in entries if e.get("str") and (
                isinstance(e["str"], str) or all(e["str"]))]
        done, unknown = fill(args.lang, args.domain, entries)
        print(f"{done} translations set; {len(unknown)} not in the catalogue")
        for entry in unknown[:20]:
            print(f"  not found: {str(entry.get('id'))[:90]!r}")
        return 0 if not unknown else 1
    return 2


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(prog="digit4sd")
    add_parser(parser.add_subparsers())
    ns = parser.parse_args(["i18n", *sys.argv[1:]])
    sys.exit(ns.func(ns))
