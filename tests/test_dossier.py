"""The printable dossier and the workbook export."""

from __future__ import annotations

import re

from digit4sd_widgets.dossier import Dossier, dossier_entries, dossier_html, export_dossier
from digit4sd_widgets.exercises import EXERCISES
from digit4sd_widgets.exercises.stakeholders import StakeholderMatrixModel
from digit4sd_widgets.workbook import Workbook


def filled_workbook(path=None):
    wb = Workbook.open(path) if path else Workbook.in_memory()
    wb.set_learner_name("Amina <Official>")
    wb.set_case(country="BGD", target_area="Online birth registration & <b>more</b>",
                sdg_targets=["16.9"])
    m = StakeholderMatrixModel().with_added(name="<script>alert('x')</script>",
                                            kind="government", influence=5, interest=5,
                                            role="sponsor")
    wb.set("3.2/stakeholder_matrix", m.kind, m.to_dict())
    return wb


def test_every_exercise_appears_filled_or_blank():
    wb = filled_workbook()
    entries = dossier_entries(wb)
    kinds = [e["model"].kind for e in entries]
    assert set(kinds) == set(EXERCISES)
    filled = [e for e in entries if e["filled"]]
    assert [e["key"] for e in filled] == ["3.2/stakeholder_matrix"]
    subs = [tuple(int(p) for p in e["submodule"].split(".")) for e in entries]
    assert subs == sorted(subs)  # course order


def test_dossier_is_self_contained_and_escapes_learner_text():
    page = dossier_html(filled_workbook())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Online birth registration &amp; &lt;b&gt;more&lt;/b&gt;" in page
    assert "Amina &lt;Official&gt;" in page
    assert "Bangladesh" in page
    assert "Blank template" in page


def test_a_damaged_answer_is_reported_not_fatal():
    wb = Workbook.in_memory()
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": "nonsense"})
    page = dossier_html(wb)
    assert "could not be read" in page


def test_export_writes_the_file(tmp_path):
    out = export_dossier(filled_workbook(tmp_path / "wb.json"), tmp_path / "out" / "d.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_dossier_widget_offers_downloads(tmp_path):
    wb = filled_workbook(tmp_path / "wb.json")
    view = Dossier(workbook=wb)
    assert view.links.value == ""  # drawn on request, not on opening
    view.prepare_button.click()
    assert 'download="digit4sd_dossier.html"' in view.links.value
    assert 'download="digit4sd_workbook.json"' in view.links.value
    assert "Stakeholder matrix" in view.summary.value


def test_blank_templates_and_gathering(tmp_path):
    blank = Dossier(blank=True)
    blank.prepare_button.click()
    assert 'download="digit4sd_templates.html"' in blank.links.value
    assert "blank template" in blank.summary.value
    # gathering saves the learner's merged workbook into this module's folder
    course = tmp_path / "course"
    (course / "m3").mkdir(parents=True)
    (course / "m6").mkdir()
    filled_workbook(course / "m3" / "digit4sd_workbook.json")
    view = Dossier(workbook=Workbook.open(course / "m6" / "digit4sd_workbook.json"))
    assert not (course / "m6" / "digit4sd_workbook.json").exists()
    view.gather_button.click()
    saved = Workbook.open(course / "m6" / "digit4sd_workbook.json", siblings=False)
    assert saved.get("3.2/stakeholder_matrix") is not None


def english_left(page: str, *files: str) -> list[str]:
    """Pieces of the English texts of ``files`` (the parts between placeholders and
    markup, 12 characters or more) still found in ``page``."""
    import html

    from digit4sd_widgets.catalogues import template

    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    left = []
    for m in template("digit4sd"):
        if not m.id or not any(loc[0] in files for loc in m.locations):
            continue
        for english in [m.id] if isinstance(m.id, str) else m.id:
            for piece in re.split(r"\{[^}]*\}|<[^>]+>", english):
                piece = piece.strip(" .:;,()")
                if len(piece) >= 12 and piece in text:
                    left.append(piece)
    return left


def test_the_dossier_in_french():
    from digit4sd_widgets import i18n

    wb = filled_workbook()
    with i18n.language("fr"):
        page = dossier_html(wb)
        view = Dossier(workbook=wb)
        view.prepare()
        blank = Dossier(blank=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr" dir="ltr">')
    assert "<title>Mon dossier DIGIT4SD</title>" in page
    for french in ("<dt>Pays</dt><dd>Bangladesh</dd>", "<dt>Domaine cible</dt>",
                   "<dt>Cibles des ODD</dt>", "<dt>Exercices remplis</dt><dd>1 sur ",
                   "Modèle vierge\u00a0: à remplir à la main.", "(vierge)"):
        assert french in page, french
    assert re.search(r"Amina &lt;Official&gt; · \d{1,2} [a-zéû]+ \d{4}", page), "a French date"
    assert english_left(page, "digit4sd_widgets/dossier.py") == []
    widget = view.summary.value + view.links.value + view.message.value + blank.summary.value
    assert "Sous-module" in widget and "Télécharger mon dossier" in widget
    assert "modèle vierge" in blank.summary.value
    assert view.prepare_button.description == "Préparer mes téléchargements"
    assert english_left(widget, "digit4sd_widgets/dossier.py") == []
    with i18n.language("fr"):
        ethiopia = Workbook.in_memory()
        ethiopia.set_case(country="ETH")
        assert "<dd>Éthiopie</dd>" in dossier_html(ethiopia)
