"""The course's languages: every word a learner or host reads goes through here.

English is the one source of truth, written in the code, the content modules and the
notebooks. Each other language is a set of gettext catalogues under ``locale/<lang>/
LC_MESSAGES/``: ``digit4sd`` (the package's interface), ``content`` (quiz banks, data
questions, case studies, topics, the course map), ``m1`` ... ``m6`` (each module's notebook
text and the messages of its checks) and ``guide`` (the facilitator's guide). A language is
offered as soon as its folder holds compiled catalogues; a folder that also holds a file named
``INCOMPLETE`` is offered as a preview and is not held to completeness
(:mod:`digit4sd_widgets.catalogues` makes, checks and compiles the catalogues).

Which language a text is shown in, first match wins:

1. :func:`set_language` (the room sets it for a participant's page);
2. the ``DIGIT4SD_LANG`` environment variable;
3. the language of the notebook the kernel runs (Jupyter names it in ``JPY_SESSION_NAME``;
   a translated notebook says its language in ``metadata.digit4sd.lang``);
4. the ``lang`` of the learner's workbook (``$DIGIT4SD_WORKBOOK``, else
   ``digit4sd_workbook.json`` in the working folder), so that a French copy of the course,
   and nbgrader grading it, speak French;
5. English.

>>> with language("fr"):
...     number(0.75), date(datetime.date(2026, 12, 2)), country_name("ETH")
('0,75', '2 décembre 2026', 'Éthiopie')
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import gettext as _gettext
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "ENV",
    "LOCALE_DIR",
    "N_",
    "SOURCE",
    "_",
    "country_name",
    "date",
    "direction",
    "get_language",
    "gettext",
    "language",
    "language_name",
    "languages",
    "ngettext",
    "npgettext",
    "number",
    "percent",
    "pgettext",
    "preview_languages",
    "set_language",
    "shipped_languages",
]

SOURCE = "en"
ENV = "DIGIT4SD_LANG"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: a file in a language's folder that marks it as a preview, not held to completeness
INCOMPLETE = "INCOMPLETE"

_explicit: str | None = None
#: a ``with language(...)`` block: its own to each thread and asyncio task, so two pages drawn
#: at once by one server for two participants never lend each other their language
_block: contextvars.ContextVar[str | None] = contextvars.ContextVar("digit4sd_lang",
                                                                   default=None)


# --- which languages exist ------------------------------------------------------------------

def languages() -> list[str]:
    """Every language offered: English first, then each one with compiled catalogues."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.mo"))
    return [SOURCE, *dict.fromkeys(found)]


def shipped_languages() -> list[str]:
    """The translated languages held to completeness (no ``INCOMPLETE`` marker)."""
    return [lang for lang in languages()[1:] if not (LOCALE_DIR / lang / INCOMPLETE).exists()]


def preview_languages() -> list[str]:
    return [lang for lang in languages()[1:] if lang not in shipped_languages()]


def normalise(lang: str | None) -> str | None:
    """``"fr-FR"``, ``"fr_FR"`` or ``"FR"`` -> ``"fr"`` if offered, else ``None``."""
    if not lang:
        return None
    lang = str(lang).strip().replace("-", "_")
    offered = languages()
    if lang in offered:
        return lang
    base = lang.split("_")[0].lower()
    return base if base in offered else None


@functools.cache
def _locale(lang: str):
    from babel import Locale
    return Locale.parse(lang)


def language_name(lang: str) -> str:
    """The language's name in itself ("Français", "العربية"), from CLDR through Babel."""
    name = _locale(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def direction(lang: str | None = None) -> str:
    """``"rtl"`` for a right-to-left language, else ``"ltr"``."""
    order = _locale(lang or get_language()).character_order
    return "rtl" if order == "right-to-left" else "ltr"


# --- the current language -------------------------------------------------------------------

def set_language(lang: str | None) -> None:
    """Speak ``lang`` from now on in this process (``None``: back to the usual rules)."""
    global _explicit
    _explicit = normalise(lang) if lang else None


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` inside a ``with`` block (a page drawn for one participant); the block
    holds for its own thread or asyncio task only."""
    token = _block.set(normalise(lang) or SOURCE)
    try:
        yield
    finally:
        _block.reset(token)


@functools.lru_cache(maxsize=32)
def _workbook_lang(path: str, mtime: float) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError, RecursionError):  # a damaged or hostile file: no language
        return None
    return data.get("lang") if isinstance(data, dict) else None


def workbook_language() -> str | None:
    path = os.environ.get("DIGIT4SD_WORKBOOK") or "digit4sd_workbook.json"
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    return normalise(_workbook_lang(os.path.abspath(path), mtime))


@functools.lru_cache(maxsize=32)
def _notebook_lang(path: str, mtime: float) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            meta = json.load(fh).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    lang = meta.get("digit4sd", {}).get("lang") if isinstance(meta, dict) else None
    return lang if isinstance(lang, str) else None


def notebook_language() -> str | None:
    """The language the running notebook declares (a translated copy of the course)."""
    path = os.environ.get("JPY_SESSION_NAME", "")
    if not path.endswith(".ipynb"):
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    return normalise(_notebook_lang(os.path.abspath(path), mtime))


def get_language() -> str:
    return (_block.get() or _explicit or normalise(os.environ.get(ENV)) or notebook_language()
            or workbook_language() or SOURCE)


# --- translating ----------------------------------------------------------------------------

@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """Every catalogue of ``lang`` chained into one (English: no translation at all)."""
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    if lang == SOURCE:
        return chain
    first: _gettext.NullTranslations | None = None
    for mo in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.mo")):
        with open(mo, "rb") as fh:
            cat = _gettext.GNUTranslations(fh)
        if first is None:
            first = cat
        else:
            first.add_fallback(cat)
    if first is None:
        return chain
    first.add_fallback(chain)
    return first


def gettext(message: str) -> str:
    """``message`` in the current language (itself where no translation exists)."""
    if not message:
        return message
    lang = get_language()
    return message if lang == SOURCE else translations(lang).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the current language's own plural rule."""
    lang = get_language()
    if lang == SOURCE:
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as translated for ``context`` (a stable id: a quiz question, a cell)."""
    if not message:
        return message
    lang = get_language()
    return message if lang == SOURCE else translations(lang).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    lang = get_language()
    if lang == SOURCE:
        return singular if n == 1 else plural
    return translations(lang).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues without translating it yet (module constants,
    content): the code that shows it calls :func:`gettext` on it."""
    return message


# --- numbers, dates and names in the reader's forms --------------------------------------------

def number(value: float, digits: int = 2, *, lang: str | None = None) -> str:
    """``0.75`` as ``"0.75"`` or ``"0,75"``; ``digits`` decimals, always shown."""
    from babel.numbers import format_decimal
    fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    # rounded as Python rounds the float (as f"{x:.4f}" does), then only written by Babel
    value = float(f"{value:.{max(digits, 0)}f}")
    return format_decimal(value, format=fmt, locale=lang or get_language())


def percent(value: float, digits: int = 0, *, lang: str | None = None) -> str:
    """A share (``0.42``) as ``"42%"`` or ``"42 %"``."""
    from babel.numbers import format_percent
    lang = lang or get_language()
    pattern = _locale(lang).percent_formats[None].pattern
    if digits > 0:  # "#,##0%" or "#,##0\u00a0%": decimals after the last digit
        import re
        pattern = re.sub(r"0(?=[^0-9]*%)", "0." + "0" * digits, pattern, count=1)
    return format_percent(value, format=pattern, locale=lang)


def date(value: datetime.date | datetime.datetime, *, lang: str | None = None) -> str:
    """``"2 December 2026"``, ``"2 décembre 2026"``."""
    from babel.dates import format_date
    lang = lang or get_language()
    if lang == SOURCE:
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return format_date(value, format="long", locale=lang)


@functools.lru_cache(maxsize=1)
def _iso2() -> dict[str, str]:
    import csv
    from importlib import resources
    path = Path(str(resources.files("digit4sd_widgets").joinpath("datasets", "countries.csv")))
    if not path.is_file():  # a checkout: the dataset at the top of the repository
        path = Path(__file__).resolve().parent.parent / "datasets" / "countries.csv"
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return {row["iso3"]: row["iso2"] for row in csv.DictReader(fh) if row.get("iso2")}
    except OSError:
        return {}


def country_name(iso3: str, english: str | None = None, *, lang: str | None = None) -> str:
    """A country's name in the reader's language, from CLDR (Babel's territory names); the
    Survey's English name where the language is English or CLDR has none."""
    lang = lang or get_language()
    if lang != SOURCE:
        iso2 = _iso2().get(str(iso3).upper())
        if iso2:
            name = _locale(lang).territories.get(iso2)
            if name:
                return name
    return english if english is not None else str(iso3)


# --- text of notebooks and guides, paragraph by paragraph -------------------------------------

#: a paragraph of a notebook or the guide that is not text to translate: nbgrader's markers,
#: code blocks, rules
_MARKER = re.compile(r"^\s*(=== (BEGIN|END) MARK SCHEME ===|-{3,}|\*{3,})\s*$")
_SPLIT = re.compile(r"(\n[ \t]*\n+)")


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut at blank lines into ``(piece, translatable)``; joined back, the pieces
    are ``text`` exactly. A fenced code block stays whole and is not translated."""
    pieces = _SPLIT.split(text)
    out: list[tuple[str, bool]] = []
    fence: list[str] | None = None
    for i, piece in enumerate(pieces):
        if i % 2:  # a separator
            if fence is not None:
                fence.append(piece)
            else:
                out.append((piece, False))
            continue
        if fence is not None:
            fence.append(piece)
            if piece.count("```") % 2:
                out.append(("".join(fence), False))
                fence = None
            continue
        if piece.count("```") % 2:
            fence = [piece]
            continue
        translatable = bool(piece.strip()) and "```" not in piece and not _MARKER.match(piece) \
            and bool(re.search(r"[^\W\d_]", piece))
        out.append((piece, translatable))
    if fence is not None:
        out.append(("".join(fence), False))
    return out


def translate_markdown(text: str, context: str, translate) -> str:
    """``text`` with each translatable paragraph replaced by ``translate(context, paragraph)``
    (a ``pgettext``)."""
    out = []
    for piece, ok in paragraphs(text):
        if ok:  # the catalogue keys a paragraph without the line breaks around it
            core = piece.strip("\n")
            start = piece.index(core)
            piece = piece[:start] + translate(context, core) + piece[start + len(core):]
        out.append(piece)
    return "".join(out)


def cell_key(cell) -> str:
    """The stable id of a notebook cell: its nbgrader grade id, else its cell id."""
    return cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id") or ""
