"""Checks shared by the tests of the French interface."""

from __future__ import annotations


def english_left(page: str, *sources: str) -> list[str]:
    """The interface texts of ``sources`` (package files) that ``page``, drawn in French,
    still shows in English: texts whose French differs from the English, found as a whole
    text of the page (a label, a cell, a button), as part of it for a sentence of four words
    or more, or (with placeholders) as their own words in order."""
    import html as html_
    import re

    from digit4sd_widgets import catalogues
    from digit4sd_widgets.i18n import translations

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:[^\"']*", " ", page)
    attributes = re.findall(r'(?:alt|aria-label|title|placeholder|data-label)="([^"]*)"', page)
    texts = {html_.unescape(t).strip() for t in [*re.split(r"<[^>]+>", page), *attributes]}
    texts.discard("")
    joined = "\n".join(texts)
    french = translations("fr")
    left = []
    for source in sources:
        for message, context, _where, _notes in catalogues._python_messages(
                catalogues.ROOT / source):
            forms = list(message) if isinstance(message, tuple) else [message]
            for n, english in enumerate(forms):
                if isinstance(message, tuple):
                    shown = (french.npgettext(context, *message, n + 1) if context
                             else french.ngettext(*message, n + 1))
                else:
                    shown = (french.pgettext(context, english) if context
                             else french.gettext(english))
                if shown == english or "<" in english:
                    continue
                literal = re.split(r"\{\w*(?:![rs])?\}", english)
                if len(literal) == 1:
                    found = english in texts or (len(english.split()) >= 4
                                                 and english in joined)
                else:  # a message with placeholders: its own words, in order
                    words = re.findall(r"[A-Za-z]{2,}", "".join(literal))
                    pattern = ".*?".join(re.escape(part) for part in literal if part.strip())
                    found = len(words) >= 3 and bool(re.search(pattern, joined))
                if found:
                    left.append(english)
    return left
