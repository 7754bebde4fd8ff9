"""The course's languages: the forms of numbers, dates and names; the catalogues complete
and current for every shipped language (the CI check: an English text changed without its
translation fails here); a stale translation found as stale; a new language dropped in."""

from __future__ import annotations

import datetime
import glob
import shutil
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets import catalogues, i18n
from digit4sd_widgets.course.translate import translate_notebook

ROOT = Path(__file__).resolve().parent.parent


def test_numbers_dates_and_country_names_take_the_readers_forms():
    day = datetime.date(2026, 12, 2)
    assert (i18n.number(0.75), i18n.date(day), i18n.country_name("CIV", "Cote d'Ivoire")) == \
        ("0.75", "2 December 2026", "Cote d'Ivoire")
    with i18n.language("fr"):
        assert i18n.number(0.75) == "0,75"
        assert i18n.number(1234.5, 1) == "1\u202f234,5"
        assert i18n.date(day) == "2 décembre 2026"
        assert i18n.percent(0.42) == "42\u00a0%"
        # CLDR's French names through Babel, not a list of our own
        assert [i18n.country_name(c) for c in ("ETH", "CIV", "TLS", "FJI")] == \
            ["Éthiopie", "Côte d’Ivoire", "Timor oriental", "Fidji"]
        assert i18n.country_name("XXX", "Nowhere") == "Nowhere"


def test_the_language_comes_from_the_room_the_environment_the_notebook_or_the_workbook(
        tmp_path, monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIGIT4SD_WORKBOOK", str(tmp_path / "wb.json"))
    assert i18n.get_language() == "en"
    (tmp_path / "wb.json").write_text('{"lang": "fr"}', encoding="utf-8")
    assert i18n.get_language() == "fr"
    (tmp_path / "wb.json").write_text('{"lang": "xx"}', encoding="utf-8")
    assert i18n.get_language() == "en"  # a language not offered is no language
    nb = nbformat.v4.new_notebook()
    nb.metadata["digit4sd"] = {"lang": "fr"}
    nbformat.write(nb, tmp_path / "n.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "n.ipynb"))
    assert i18n.get_language() == "fr"
    monkeypatch.setenv(i18n.ENV, "en")
    assert i18n.get_language() == "en"
    with i18n.language("fr-FR"):
        assert i18n.get_language() == "fr"
    assert i18n.get_language() == "en"


def test_paragraphs_cut_every_notebook_text_and_join_back_exactly():
    for path in sorted(glob.glob(str(ROOT / "course" / "source" / "*" / "*.ipynb"))):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                pieces = catalogues.paragraphs(cell.source)
                assert "".join(p for p, _ in pieces) == cell.source
                assert not any(ok and "MARK SCHEME" in p for p, ok in pieces)
    text = "Intro\n\n```python\nx = 1\n\ny = 2\n```\n\n=== BEGIN MARK SCHEME ===\n\nEnd"
    assert [p for p, ok in catalogues.paragraphs(text) if ok] == ["Intro", "End"]


def test_a_translated_notebook_keeps_its_cells_ids_code_and_grading():
    path = ROOT / "course" / "source" / "m3_planning_analysis" / "3_1_target_areas.ipynb"
    en = nbformat.read(path, as_version=4)
    fr = translate_notebook(en, "fr")
    assert fr is not en and fr.metadata["digit4sd"]["lang"] == "fr"
    assert [(c.get("id"), c.cell_type, c.metadata) for c in fr.cells] == \
        [(c.get("id"), c.cell_type, c.metadata) for c in en.cells]
    assert [c.source for c in fr.cells if c.cell_type == "code"] == \
        [c.source for c in en.cells if c.cell_type == "code"]
    assert translate_notebook(en, "en") is en


@pytest.mark.parametrize("lang", i18n.shipped_languages())
def test_every_shipped_language_is_complete_current_and_compiled(lang, capsys):
    """The CI check. When it fails, run ``digit4sd i18n update`` and
    ``digit4sd i18n status --list``: it names each text that is new (untranslated), changed
    in English since it was translated (stale), or whose {placeholders} differ."""
    failed = catalogues.report([lang], listing=True)
    assert failed == 0, capsys.readouterr().out[-4000:]


def test_french_is_shipped_and_arabic_is_a_preview():
    assert "fr" in i18n.shipped_languages()
    assert i18n.languages()[0] == "en"
    if "ar" in i18n.languages():
        assert "ar" in i18n.preview_languages() and i18n.direction("ar") == "rtl"


@pytest.fixture
def scratch_locale(tmp_path, monkeypatch):
    """A copy of the catalogues and a guide of two paragraphs to play with."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    guide = tmp_path / "guide.md"
    guide.write_text("# Running the room\n\nStart the room before the participants arrive.\n",
                     encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(catalogues, "GUIDE", guide)
    monkeypatch.setattr(catalogues, "ROOT", tmp_path)
    i18n.translations.cache_clear()
    yield guide
    i18n.translations.cache_clear()


def test_an_english_change_shows_as_stale_until_translated_again(scratch_locale):
    guide = scratch_locale
    catalogues.update(["fr"], ["guide"])
    done, unknown = catalogues.fill("fr", "guide", {
        "# Running the room": "# Animer la salle",
        "Start the room before the participants arrive.":
            "Lancez la salle avant l'arrivée des participants."})
    assert (done, unknown) == (2, [])
    assert catalogues.status("fr", "guide").problems == 0
    guide.write_text("# Running the room\n\nStart the room before the first participant "
                     "arrives.\n", encoding="utf-8")
    st = catalogues.status("fr", "guide")
    assert st.missing == ["Start the room before the first participant arrives."]
    assert st.problems == 2  # missing, and the old English unused: CI fails until updated
    catalogues.update(["fr"], ["guide"])
    st = catalogues.status("fr", "guide")
    # the old translation is kept, marked stale, and the course shows the English meanwhile
    assert st.stale == ["Start the room before the first participant arrives."]
    assert st.unused == []
    with i18n.language("fr"):
        i18n.translations.cache_clear()
        assert i18n.pgettext("facilitator", "Start the room before the first participant "
                             "arrives.") == "Start the room before the first participant arrives."
        assert i18n.pgettext("facilitator", "# Running the room") == "# Animer la salle"


def test_a_translation_that_loses_a_placeholder_is_reported(scratch_locale):
    catalogues.update(["fr"], ["guide"])
    catalogues.fill("fr", "guide", [{"ctxt": "facilitator", "id": "# Running the room",
                                     "str": "# Animer la salle {room}"}])
    assert catalogues.status("fr", "guide").placeholders == ["# Running the room"]


def test_a_new_language_is_one_catalogue_away(scratch_locale):
    """Portuguese: ``digit4sd i18n new pt``, translate, compile; nothing else changes."""
    assert "pt" not in i18n.languages()
    catalogues.new_language("pt")
    assert "pt" in i18n.languages() and "pt" in i18n.preview_languages()
    catalogues.fill("pt", "guide", {"# Running the room": "# Conduzir a sala"})
    i18n.translations.cache_clear()
    with i18n.language("pt"):
        assert i18n.pgettext("facilitator", "# Running the room") == "# Conduzir a sala"
        assert i18n.number(0.75) == "0,75" and i18n.language_name("pt") == "Português"
    (i18n.LOCALE_DIR / "pt" / i18n.INCOMPLETE).unlink()
    assert "pt" in i18n.shipped_languages()


def test_plural_forms_follow_each_languages_rule(scratch_locale, monkeypatch):
    """French takes the singular for 0 and 1; English the plural for 0."""
    from babel.messages.catalog import Catalog

    cat = Catalog(locale="fr", domain="digit4sd")
    assert cat.num_plurals == 3  # CLDR: one, many (millions), other
    cat.add(("{n} answer saved", "{n} answers saved"), catalogues.plural_forms(
        ["{n} réponse enregistrée", "{n} réponses enregistrées"], cat.num_plurals))
    mo = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "zz-plural.mo"
    mo.write_bytes(catalogues._mo_bytes(cat))
    i18n.translations.cache_clear()
    forms = {n: i18n.ngettext("{n} answer saved", "{n} answers saved", n).format(n=n)
             for n in (0, 1, 2)}
    assert forms == {0: "0 answers saved", 1: "1 answer saved", 2: "2 answers saved"}
    with i18n.language("fr"):
        forms = {n: i18n.ngettext("{n} answer saved", "{n} answers saved", n).format(n=n)
                 for n in (0, 1, 2)}
    assert forms == {0: "0 réponse enregistrée", 1: "1 réponse enregistrée",
                     2: "2 réponses enregistrées"}
