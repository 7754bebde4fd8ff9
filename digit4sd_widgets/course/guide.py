"""The facilitator's guide (``docs/facilitator.md``) as a page to print: ``digit4sd guide``.

One self-contained HTML file (no script, nothing from the internet), laid out for A4 paper:
tables kept on one page where they fit, headings kept with what follows them.

``digit4sd guide --lang fr`` writes it in another language of the course: each paragraph
of the guide is looked up in the ``guide`` catalogue (a paragraph not translated yet stays
English), and the page says its language.

>>> "<h1>" in guide_html("# Title\\n\\nText.") and "@page" in guide_html("# T")
True
"""

from __future__ import annotations

import html
from pathlib import Path

from .. import i18n
from ..atomic import shared_mode, write_atomic
from ..i18n import _
from .map import project_root

__all__ = ["GUIDE", "guide_html", "guide_markdown", "write_guide"]

#: the catalogue context of every paragraph of the guide
CONTEXT = "facilitator"

#: the guide's source, in the project's docs
GUIDE = Path("docs") / "facilitator.md"

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
       "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.45; color: #111;
       max-width: 46em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; margin-top: 1.4em; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; break-inside: avoid;
        page-break-inside: avoid; }
th, td { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
pre { background: #f4f6f8; padding: 6px 8px; white-space: pre-wrap; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def guide_html(markdown: str, title: str | None = None) -> str:
    """The guide's Markdown as one printable HTML page, its ``lang`` and ``dir`` those of
    the current language (``title``: "Facilitator's guide" in it when not given)."""
    import mistune

    title = title or _("Facilitator's guide")
    lang = i18n.get_language()
    body = mistune.create_markdown(escape=True, plugins=["table"])(markdown)
    return (f'<!DOCTYPE html><html lang="{lang}" dir="{i18n.direction(lang)}"><head>'
            '<meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style></head>"
            f"<body><main>{body}</main></body></html>")


def guide_markdown(markdown: str, lang: str | None = None) -> str:
    """The guide's Markdown in ``lang`` (default: the current language), paragraph by
    paragraph from the ``guide`` catalogue."""
    from ..i18n import translate_markdown

    def translate(context: str, piece: str) -> str:
        # the catalogue holds each paragraph without the line breaks around it (the last
        # paragraph of the file ends with one)
        text = piece.strip("\n")
        start = piece.index(text) if text else 0
        return piece[:start] + i18n.pgettext(context, text) + piece[start + len(text):]

    with i18n.language(lang or i18n.get_language()):
        return translate_markdown(markdown, CONTEXT, translate)


def write_guide(out: str | Path, root: Path | None = None, *,
                lang: str | None = None) -> Path:
    """Write the printable guide to ``out`` in ``lang`` (default English); return its
    path."""
    code = i18n.normalise(lang or i18n.SOURCE)
    if code is None:
        raise ValueError(f"The course is not offered in the language {lang!r}. Choose one "
                         f"of: {', '.join(i18n.languages())}.")
    source = (root or project_root()) / GUIDE
    if not source.is_file():
        raise FileNotFoundError(f"The guide {GUIDE} is not here: run this in the course's "
                                "folder (the one with docs/ and course/).")
    with i18n.language(code):
        page = guide_html(guide_markdown(source.read_text(encoding="utf-8"), code))
    target = Path(out)
    write_atomic(target, page.encode("utf-8"), mode=shared_mode())
    return target
