"""The room's languages: each participant reads the room, and their apps, in the language
they choose.

- **The choice.** The start page offers every language of
  :func:`digit4sd_widgets.i18n.languages` (:func:`choice_html`). The choice is kept in a
  plain cookie (:data:`COOKIE`), checked against the offered languages wherever it is read,
  and in the participant's workbook (its ``lang``), so that the same code on another computer
  finds the same language.
- **A request's language** (:func:`choose`): the cookie, else the participant's workbook,
  else the room's own (``digit4sd serve --lang``), else English. Each room page is drawn
  inside ``i18n.language(...)`` for it: the course map's titles, the room's words, numbers
  and dates follow.
- **The apps of each language**: English at the top of the room's apps folder, every other
  language in a folder of its own (:func:`app_path`): ``<apps>/fr/m3_planning_analysis/...``.
  A participant is always sent to the apps of their language.
- **The kernel** of an app speaks the participant's language:
  :func:`digit4sd_widgets.serve.room.join` reads the same cookie (the page's request
  headers), else the workbook, and calls ``i18n.set_language``.
- **The template's words** (:func:`app_texts`) are written into each app's metadata, in the
  app's language, so that the page's bar, its "Preparing your exercise..." and the countdown
  of ``clock.js`` are in that language too; nothing in the page's scripts is English.

>>> app_path("m1_getting_started/1_1_background.ipynb", "fr")
'fr/m1_getting_started/1_1_background.ipynb'
>>> split_app_path("fr/m1_getting_started/1_1_background.ipynb")
('fr', 'm1_getting_started/1_1_background.ipynb')
>>> split_app_path("group_work.ipynb")
('en', 'group_work.ipynb')
>>> checked("fr-FR"), checked("xx"), checked(None)
('fr', None, None)
"""

from __future__ import annotations

import html
from http.cookies import CookieError, SimpleCookie

from .. import i18n
from ..course.apps import app_texts, clock_texts
from ..i18n import _

#: the participant's language, as a plain cookie (not a secret: checked wherever it is read)
COOKIE = "d4_lang"
COOKIE_DAYS = 365
#: the room's own language, for the kernels it starts (``digit4sd serve --lang``)
ROOM_LANG_ENV = "DIGIT4SD_ROOM_LANG"

__all__ = ["COOKIE", "ROOM_LANG_ENV", "app_path", "app_texts", "checked", "choice_html",
           "choose", "clock_attributes", "from_cookie_header", "offered", "split_app_path"]


def offered() -> list[str]:
    """The languages of the room: English first, then each translated one."""
    return i18n.languages()


def checked(value: object) -> str | None:
    """``value`` as an offered language code (``"fr-FR"`` -> ``"fr"``), else ``None``."""
    if not isinstance(value, str) or not value or len(value) > 35:
        return None
    code = i18n.normalise(value)
    return code if code in offered() else None


def choose(*candidates: object, default: str | None = None) -> str:
    """The first offered language among ``candidates`` (the cookie, the workbook...), else
    ``default``, else English."""
    for value in candidates:
        code = checked(value)
        if code:
            return code
    return checked(default) or i18n.SOURCE


def cookie_value(header: str | None, name: str) -> str | None:
    """The value of the cookie ``name`` in a ``Cookie:`` header, as sent (a header that is
    not one gives ``None``)."""
    if not header:
        return None
    try:
        jar = SimpleCookie(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def from_cookie_header(header: str | None) -> str | None:
    """The language chosen in a ``Cookie:`` header (checked), else ``None``."""
    return checked(cookie_value(header, COOKIE))


# ------------------------------------------------------------------------------ the apps
def app_path(path: str, lang: str) -> str:
    """The path of an app (``m1_getting_started/1_1_background.ipynb``) in ``lang``'s apps."""
    return path if lang == i18n.SOURCE else f"{lang}/{path}"


def split_app_path(path: str) -> tuple[str, str]:
    """``(language, the app's path in English)`` of an app path under the apps folder."""
    head, sep, rest = path.partition("/")
    if sep and head != i18n.SOURCE and head in offered():
        return head, rest
    return i18n.SOURCE, path


# --------------------------------------------------------------------- the page's words
def _preview_note(lang: str) -> str:
    """Says that a language is a preview, in that language when it is translated."""
    with i18n.language(lang):
        return _("preview: not complete")


#: the pages a language choice may return to
BACK = ("/", "/host")


def choice_html(current: str, *, action: str = "/lang", back: str = "/") -> str:
    """The language choice: a form with one button per offered language, each named in
    its own language; the current one is marked, not a button. Keyboard and screen-reader
    friendly (each name carries its ``lang``). ``back``: the page shown after the choice
    (one of :data:`BACK`). Empty when the room has one language."""
    langs = offered()
    if len(langs) < 2:
        return ""
    previews = set(i18n.preview_languages())
    items = []
    for lang in langs:
        name = html.escape(i18n.language_name(lang))
        if lang in previews:
            name += f" ({html.escape(_preview_note(lang))})"
        attrs = f'lang="{lang}" dir="{i18n.direction(lang)}"'
        if lang == current:
            items.append(f'<b class="d4-lang-now" aria-current="true" {attrs}>{name}</b>')
        else:
            # no type attribute: the join form keeps the page's one "submit" button
            items.append(f'<button name="lang" value="{lang}" {attrs}>{name}</button>')
    label = html.escape(_("Language:"))
    hidden = (f'<input type="hidden" name="back" value="{html.escape(back)}">'
              if back != "/" else "")
    return (f'<form class="d4-lang" method="post" action="{html.escape(action)}" '
            f'aria-labelledby="d4-lang-label">{hidden}<span id="d4-lang-label">{label}</span> '
            + " ".join(items) + "</form>")


def clock_attributes() -> str:
    """The countdown's words as ``data-t-*`` attributes of its element (escaped)."""
    return " ".join(f'data-t-{key}="{html.escape(text)}"'
                    for key, text in clock_texts().items())
