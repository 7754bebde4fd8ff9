"""A notebook of the course in another language: the same notebook, its text translated.

Only the text changes. Every cell keeps its id, its nbgrader metadata (grade id, points,
checksum-relevant flags) and its code, so nbgrader grades a French submission with the same
grade ids and the same hidden tests as an English one; the checks print their messages in the
learner's language at run time (``i18n._`` in the test cells, the workbook's ``lang``).

Each paragraph of a text cell is looked up in the module's catalogue (``m1`` ... ``m6``)
with the cell's grade id as its context; a paragraph with no translation, or a stale one,
stays English, so a partly translated language still gives a whole notebook.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
>>> translate_notebook(nb, "en") is nb
True
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .. import i18n
from ..i18n import cell_key, translate_markdown

__all__ = ["LANG_KEY", "notebook_language", "translate_markdown_cell", "translate_notebook",
           "write_translated"]

#: where a translated notebook says its language (``metadata["digit4sd"]["lang"]``)
LANG_KEY = "lang"


def notebook_language(nb: nbformat.NotebookNode) -> str:
    """The language a notebook's text is in (English when it does not say)."""
    return nb.metadata.get("digit4sd", {}).get(LANG_KEY) or i18n.SOURCE


def translate_markdown_cell(source: str, key: str, lang: str) -> str:
    with i18n.language(lang):
        return translate_markdown(source, key, i18n.pgettext)


def translate_notebook(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with its text in ``lang`` (``nb`` itself for English)."""
    lang = i18n.normalise(lang) or i18n.SOURCE
    if lang == i18n.SOURCE:
        return nb
    out = copy.deepcopy(nb)
    with i18n.language(lang):
        for cell in out.cells:
            if cell.cell_type == "markdown":
                cell.source = translate_markdown(cell.source, cell_key(cell), i18n.pgettext)
    out.metadata.setdefault("digit4sd", {})[LANG_KEY] = lang
    out.metadata["language_info"] = {**out.metadata.get("language_info", {}),
                                     "name": "python"}
    return out


def write_translated(src: Path, dest: Path, lang: str) -> Path:
    """Translate the notebook at ``src`` into ``dest`` (atomically)."""
    from ..atomic import write_atomic
    nb = translate_notebook(nbformat.read(src, as_version=4), lang)
    write_atomic(dest, nbformat.writes(nb) + "\n", mode=0o644)
    return dest
