"""Course content that speaks the reader's language: read a text, get it translated.

The content modules (the course map, the case studies, the topics, the data questions, the
quiz banks) are plain data written in English. The code that shows them reads their fields
as usual (``case.why``, ``sub.title``, ``question["prompt"]``) and gets the text in the
reader's language, looked up in the ``content`` catalogue with a stable context:

- a frozen dataclass takes the :class:`Localised` mixin and names its translatable fields
  (``translate=("title",)``) and, if it has an id of its own, its context
  (``context="sub:{id}"``); an object without an id takes the context of the object that
  holds it (a case's facts: ``case:ETH``), or one given by :func:`place` (``task:1.1/
  sids_above``, ``example:3.1``). A field may be a text, a tuple of texts (lessons,
  paragraphs) or a tuple of pairs whose first item is the text (``(label, value)`` choices,
  ``(text, sources)`` examples): only the texts are translated, never the values.
  Equality and hashing read the English, so they never depend on the language;
- a quiz bank (:func:`quiz_banks`) holds :class:`LocalisedDict` questions and options:
  dicts equal to the plain ones, whose text keys are translated when read; the answers are
  option indexes, so nothing stored changes.

Contexts, as a translator sees them in the catalogue: ``quiz:<submodule>:<question id>``
(the prompt, and each option's text and feedback), ``module:<n>``, ``sub:<id>``,
``path:<name>`` (a workshop path and its steps' reasons), ``case:<ISO3>`` (a case and its
facts), ``example:<submodule>``, ``topic:<id>``, ``task:<submodule>/<id>``.

:func:`content_messages` walks the content modules for the catalogues (``digit4sd i18n
update``): every translatable text with its context and the file (and line) it is written in.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Thing(Localised, translate=("title",), context="thing:{id}"):
...     id: str
...     title: str
>>> t = Thing("a", "Title")
>>> t.title, context_of(t), list(t.l10n_messages())
('Title', 'thing:a', [('Title', 'thing:a')])
>>> t == Thing("a", "Title") and hash(t) == hash(("a", "Title"))
True
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..i18n import SOURCE, get_language, translations

__all__ = ["Localised", "LocalisedDict", "content_messages", "context_of", "place",
           "place_all", "quiz_banks"]

_CONTEXT = "_l10n_context"


# --- translating one value ----------------------------------------------------------------

def _translate(context: str, value: Any, lang: str) -> Any:
    """``value`` (a text, a tuple of texts, or a tuple of pairs whose first item is a text)
    with its texts translated for ``context``."""
    if lang == SOURCE or not context:
        return value
    tr = translations(lang)
    if isinstance(value, str):
        return tr.pgettext(context, value) if value else value
    if isinstance(value, tuple | list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(tr.pgettext(context, item) if item else item)
            elif isinstance(item, tuple) and item and isinstance(item[0], str) and item[0]:
                out.append((tr.pgettext(context, item[0]), *item[1:]))
            else:
                out.append(item)
        return type(value)(out)
    return value


def _texts(value: Any) -> Iterator[str]:
    """The English texts of a field's value, in the shapes :func:`_translate` knows."""
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, tuple | list):
        for item in value:
            if isinstance(item, str) and item:
                yield item
            elif isinstance(item, tuple) and item and isinstance(item[0], str) and item[0]:
                yield item[0]


# --- frozen dataclasses ---------------------------------------------------------------------

def _raw(obj: Any) -> tuple:
    """The fields' values as written (English), for equality and hashing."""
    return tuple(object.__getattribute__(obj, f.name) for f in dataclasses.fields(obj))


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _raw(self) == _raw(other)


def _hash(self: Any) -> int:
    return hash(_raw(self))


class Localised:
    """Mixin for a frozen dataclass whose ``translate`` fields come back in the reader's
    language, looked up with the object's context (``context``: a format string over its
    fields, e.g. ``"sub:{id}"``; without one, the context comes from the object holding it,
    or from :func:`place`). Nothing stored changes: the fields keep the English."""

    _l10n_fields: ClassVar[tuple[str, ...]] = ()
    _l10n_key: ClassVar[str | None] = None

    def __init_subclass__(cls, translate: Iterable[str] | None = None,
                          context: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if translate is not None:
            cls._l10n_fields = tuple(translate)
        if context is not None:
            cls._l10n_key = context
        # written into the class before @dataclass runs, which then keeps them: equality
        # and hashing of the English, whatever the language
        cls.__eq__ = _eq  # type: ignore[method-assign]
        cls.__hash__ = _hash  # type: ignore[method-assign]

    def __post_init__(self) -> None:
        key = type(self)._l10n_key
        if key is not None:
            raw = {f.name: object.__getattribute__(self, f.name)
                   for f in dataclasses.fields(self)}
            object.__setattr__(self, _CONTEXT, key.format(**raw))
        context = object.__getattribute__(self, "__dict__").get(_CONTEXT)
        if context:
            for f in dataclasses.fields(self):
                _adopt(object.__getattribute__(self, f.name), context)

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in type(self)._l10n_fields:
            lang = get_language()
            if lang != SOURCE:
                context = object.__getattribute__(self, "__dict__").get(_CONTEXT, "")
                return _translate(context, value, lang)
        return value

    def l10n_messages(self) -> Iterator[tuple[str, str]]:
        """``(English, context)`` of every translatable text of this object itself."""
        context = context_of(self)
        if not context:
            return
        for name in type(self)._l10n_fields:
            for text in _texts(object.__getattribute__(self, name)):
                yield text, context


def _adopt(value: Any, context: str) -> None:
    """Give ``context`` to the objects without an id of their own inside ``value``."""
    if isinstance(value, Localised):
        if type(value)._l10n_key is None and not context_of(value):
            place(value, context)
    elif isinstance(value, tuple | list):
        for item in value:
            _adopt(item, context)


def place(obj: Localised, context: str) -> Localised:
    """Give ``obj`` (and the objects without an id inside it) its context; returns ``obj``."""
    object.__setattr__(obj, _CONTEXT, context)
    for f in dataclasses.fields(obj):
        _adopt(object.__getattribute__(obj, f.name), context)
    return obj


def place_all(objects: Mapping[str, Localised], prefix: str) -> None:
    """Give each object of a mapping the context ``<prefix>:<its key>``."""
    for key, obj in objects.items():
        place(obj, f"{prefix}:{key}")


def context_of(obj: Any) -> str:
    """The context an object's texts are translated with ("" if it has none)."""
    if isinstance(obj, LocalisedDict):
        return obj.l10n_context
    try:
        return object.__getattribute__(obj, "__dict__").get(_CONTEXT, "")
    except AttributeError:
        return ""


# --- quiz banks: dicts ----------------------------------------------------------------------

class LocalisedDict(dict):
    """A dict (a quiz question or option) whose ``keys`` are read in the reader's language
    with the context ``l10n_context``. It equals the plain dict, serialises as one (in the
    language it is read in) and stores nothing new."""

    __slots__ = ("l10n_context", "l10n_keys")

    def __init__(self, data: Mapping[str, Any], context: str, keys: Iterable[str]):
        super().__init__(data)
        self.l10n_context = context
        self.l10n_keys = tuple(keys)

    def _local(self, key: Any, value: Any) -> Any:
        if key in self.l10n_keys:
            lang = get_language()
            if lang != SOURCE:
                return _translate(self.l10n_context, value, lang)
        return value

    def __getitem__(self, key: Any) -> Any:
        return self._local(key, dict.__getitem__(self, key))

    def get(self, key: Any, default: Any = None) -> Any:
        return self._local(key, dict.get(self, key, default))

    def __iter__(self):  # a Python-level iterator: dict(d) and {**d} then read d[key]
        return dict.__iter__(self)

    def values(self):  # type: ignore[override]
        return [self[k] for k in self]

    def items(self):  # type: ignore[override]
        return [(k, self[k]) for k in self]

    def copy(self) -> dict[str, Any]:  # a plain dict, in the language it is read in
        return dict(self.items())

    def __reduce__(self):
        return (LocalisedDict, (dict(dict.items(self)), self.l10n_context, self.l10n_keys))

    def __copy__(self) -> LocalisedDict:
        return LocalisedDict(dict(dict.items(self)), self.l10n_context, self.l10n_keys)

    def __deepcopy__(self, memo: dict) -> LocalisedDict:
        import copy
        return LocalisedDict(copy.deepcopy(dict(dict.items(self)), memo), self.l10n_context,
                             self.l10n_keys)

    def __repr__(self) -> str:
        return dict.__repr__(self)

    def l10n_messages(self) -> Iterator[tuple[str, str]]:
        for key in self.l10n_keys:
            if key in self:
                for text in _texts(dict.__getitem__(self, key)):
                    yield text, self.l10n_context


QUESTION_TEXTS = ("prompt",)
OPTION_TEXTS = ("text", "feedback")


def quiz_banks(banks: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The banks with each question and option read in the reader's language: the context
    of a question, its options and their feedback is ``quiz:<submodule>:<question id>``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for sub, questions in banks.items():
        bank = []
        for q in questions:
            context = f"quiz:{sub}:{q['id']}"
            options = [LocalisedDict(o, context, OPTION_TEXTS) for o in q.get("options", [])]
            bank.append(LocalisedDict({**q, "options": options}, context, QUESTION_TEXTS))
        out[sub] = bank
    return out


# --- extraction -------------------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent
#: the content modules, in the order their objects are placed: an object found again in a
#: later module (``data_tasks.TASKS`` gathers ``m1`` ... ``m6``) keeps its first file
CONTENT_MODULES = ("quizzes", "map", "cases", "topics", "data_tasks.m1", "data_tasks.m2",
                   "data_tasks.m3", "data_tasks.m4", "data_tasks.m5", "data_tasks.m6",
                   "data_tasks")


def _walk(value: Any, seen: set[int]) -> Iterator[tuple[str, str]]:
    if id(value) in seen:
        return
    if isinstance(value, Localised | LocalisedDict):
        seen.add(id(value))
        yield from value.l10n_messages()
        children = (list(dict.values(value)) if isinstance(value, LocalisedDict) else
                    [object.__getattribute__(value, f.name)
                     for f in dataclasses.fields(value)])
    elif isinstance(value, dict):
        seen.add(id(value))
        children = list(value.values())
    elif isinstance(value, tuple | list):
        seen.add(id(value))
        children = list(value)
    else:
        return
    for child in children:
        if isinstance(child, Localised | LocalisedDict | dict | tuple | list):
            yield from _walk(child, seen)


def _line(source: list[str], text: str) -> int | None:
    """The line a text starts on in its file (its first words, as written), if found."""
    first = text.split("\n", 1)[0]
    for size in (40, 20, 10):
        probe = first[:size]
        if len(probe) < min(size, len(first)) or not probe.strip():
            continue
        for n, line in enumerate(source, 1):
            if probe in line:
                return n
    return None


def content_messages() -> Iterator[tuple[str, str, str, list[str]]]:
    """Every translatable text of the content as ``(English, context, location, comments)``:
    the location is the file the text is written in, with its line where found."""
    seen: set[int] = set()
    for name in CONTENT_MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        path = Path(module.__file__ or "")
        rel = path.relative_to(PACKAGE.parent).as_posix()
        source = path.read_text(encoding="utf-8").splitlines()
        found = []
        for attr, value in vars(module).items():
            if attr.startswith("__") or not isinstance(
                    value, Localised | LocalisedDict | dict | tuple | list):
                continue
            for text, context in _walk(value, seen):
                found.append((_line(source, text), text, context))
        # in the order of the file, for a translator who reads it alongside
        found.sort(key=lambda m: m[0] if m[0] is not None else len(source) + 1)
        for line, text, context in found:
            yield text, context, f"{rel}:{line}" if line else rel, []
