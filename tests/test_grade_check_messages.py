"""What the graded checks print, as a learner reads it in their feedback: whole sentences in
the learner's language, never English words glued between translated pieces.

Every graded check of the 19 notebooks that prints is run, in French, on a complete
learner's workbook (the example case, Ethiopia), each notebook's imports first, as nbgrader
runs them. The printed text must hold no English text of the catalogues whose French
differs, nor a country's English name: no kind of gap, layer or status left as its stored
English key. The raw country names of 4.2's partner list are that exercise's data."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets import catalogues, data, i18n
from digit4sd_widgets.examples import example_workbook
from digit4sd_widgets.exercises.name_matching import NAME_TEXTS
from digit4sd_widgets.workbook import FILENAME, Workbook

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "course" / "source"
NOTEBOOKS = sorted(SOURCE.glob("*/*.ipynb"))

pytestmark = pytest.mark.skipif("fr" not in i18n.languages(), reason="no French catalogues")


def graded_checks(nb) -> list[tuple[str, str, str]]:
    """``(grade id, imports so far, visible code)`` of each graded check that prints; the
    imports are every import statement of the notebook's code cells up to that cell."""
    imports: list[str] = []
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        imports += [ast.unparse(node) for node in tree.body
                    if isinstance(node, ast.Import | ast.ImportFrom)]
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and "print(" in cell.source:
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            out.append((meta["grade_id"], "\n".join(imports), visible))
    return out


def english_texts() -> set[str]:
    """Every English text of the interface and content catalogues whose French differs."""
    found = set()
    with i18n.language("fr"):
        for domain in ("digit4sd", "content"):
            for message in catalogues.template(domain):
                if not isinstance(message.id, str) or not message.id.strip():
                    continue
                french = (i18n.pgettext(message.context, message.id) if message.context
                          else i18n.gettext(message.id))
                if french.strip() != message.id.strip():
                    found.add(message.id.strip())
        countries = data.load_countries()
        for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
            if i18n.country_name(str(iso3), str(name)) != str(name):
                found.add(str(name))  # the Survey's English name of a country
    return found


def fragments(text: str) -> set[str]:
    """The pieces of printed text between its separators, as a reader takes them in."""
    pieces = re.split(r"[:;,()«»\n]|\.(?:\s|$)|\s-\s", text)
    return {p.strip(" .\u00a0\u202f") for p in pieces} - {""}


def _is_text(node: ast.AST) -> bool:
    """``tr("...")`` or ``tr("...").format(...)``: a translated text of its own."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tr"


def answer_every_data_question(wb: Workbook) -> None:
    """A value of the right form for every data question (what the visible checks read;
    whether it is right is the hidden tests' business, not run here)."""
    from digit4sd_widgets.course.data_tasks import TASKS
    from digit4sd_widgets.exercises.data_tasks import DataTasksModel

    given = {"number": 0.5, "count": 3, "country": "ETH", "year": 2024}
    for sub, tasks in TASKS.items():
        model = DataTasksModel(sub)
        for task in tasks:
            value = task.choices[0][0] if task.answer == "choice" else given[task.answer]
            model = model.with_answer(task.id, value)
        wb.set(model.default_key_for(sub), model.kind, model.to_dict())


def test_a_check_prints_one_sentence_per_message():
    """A message made of pieces ("Right:", 6, "of 8") cannot be put in another language's
    order: each print has one translated text, first, with its figures as {placeholders}."""
    glued = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print"):
                    continue
                pieces = [a for a in node.args if _is_text(a)]
                if len(pieces) > 1 or (pieces and pieces[0] is not node.args[0]):
                    glued.append(f"{path.name}: {ast.unparse(node)[:90]}")
    assert not glued, "\n".join(glued)


@pytest.mark.slow
def test_what_the_checks_print_in_french_holds_no_english(tmp_path, monkeypatch):
    folder = tmp_path / "learner"
    folder.mkdir()
    wb = example_workbook(Workbook.open(folder / FILENAME), country="ETH")
    answer_every_data_question(wb)
    wb.set_language("fr")
    monkeypatch.delenv(i18n.ENV, raising=False)
    monkeypatch.chdir(folder)
    english = {t.casefold() for t in english_texts()}
    # 4.2 is about a partner's raw country names ("Congo (Kinshasa)"): they are its data
    partners_names = {f for name in NAME_TEXTS for f in fragments(name)}
    assert {"implementation", "at risk", "legal", "ethiopia"} <= english, "the list must hold them"
    printed: dict[str, str] = {}
    problems = []
    for path in NOTEBOOKS:
        for grade_id, imports, code in graded_checks(nbformat.read(path, as_version=4)):
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(imports + "\n" + code, grade_id, "exec"), {})
            except Exception as exc:  # a complete workbook passes every visible check
                problems.append(f"{grade_id}: {type(exc).__name__}: {exc}")
                continue
            printed[grade_id] = out.getvalue()
            left = sorted(f for f in fragments(out.getvalue())
                          if f.casefold() in english and f not in partners_names)
            if left:
                problems.append(f"{grade_id}: English {left} in {out.getvalue().strip()!r}")
    assert len(printed) >= 19, sorted(printed)
    assert not problems, "\n".join(problems)
    assert "Réponses justes : 8 sur 8." in printed["s2_2-classifier"]
    assert "(Éthiopie, 2024)" in printed["s2_3-explorer-note"]
    assert "Vérifié pour : Éthiopie." in printed["s6_2-level-tests"]
