"""``digit4sd lab``: the learner's own copy of the release, never overwritten."""

from __future__ import annotations

from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.lab import README_NAME, lab_command, prepare_copy, release_source


def test_first_use_copies_the_release(tmp_path):
    copied = prepare_copy(tmp_path / "mine")
    names = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in copied)
    assert names == sorted(s.path for s in SUBMODULES)
    assert (tmp_path / "mine" / README_NAME).is_file()


def test_later_use_never_overwrites_the_learners_work(tmp_path):
    target = tmp_path / "mine"
    prepare_copy(target)
    mine = target / SUBMODULES[0].path
    mine.write_text("my own edits", encoding="utf-8")
    (target / "m1_getting_started" / "digit4sd_workbook.json").write_text("{}", "utf-8")
    gone = target / SUBMODULES[1].path
    gone.unlink()
    copied = prepare_copy(target)
    assert copied == [gone]  # only what is missing comes back
    assert mine.read_text(encoding="utf-8") == "my own edits"
    assert (target / "m1_getting_started" / "digit4sd_workbook.json").read_text("utf-8") == "{}"


def test_lab_command_opens_the_copy(tmp_path):
    cmd = lab_command(tmp_path, port=9999, no_browser=True)
    assert "jupyterlab" in cmd and f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--port=9999" in cmd and "--no-browser" in cmd
    assert release_source().is_dir()


def test_a_french_copy_speaks_french_in_its_notebooks_workbook_and_lab(tmp_path):
    """``digit4sd lab --lang fr``: the same notebooks (cells, grade ids, code), their text in
    French; the workbook of each module says French, so the widgets and the checks speak it
    and nbgrader's feedback follows; JupyterLab's own menus in French (its language pack)."""
    import json

    import nbformat

    from digit4sd_widgets import i18n
    from digit4sd_widgets.course.lab import (
        default_copy,
        lab_settings,
        set_copy_language,
    )
    from digit4sd_widgets.workbook import Workbook

    assert default_copy("fr").name == "digit4sd-course-fr" and default_copy().name == \
        "digit4sd-course"
    target = tmp_path / "cours"
    prepare_copy(target, lang="fr")
    set_copy_language(target, "fr", Workbook)
    sub = next(s for s in SUBMODULES if s.id == "3.1")
    fr = nbformat.read(target / sub.path, as_version=4)
    en = nbformat.read(release_source() / sub.path, as_version=4)
    assert fr.metadata["digit4sd"]["lang"] == "fr"
    assert [c.get("id") for c in fr.cells] == [c.get("id") for c in en.cells]
    assert fr.cells[0].source.startswith("# 3.1 Identifier les domaines cibles")
    assert "Votre cours DIGIT4SD" in (target / README_NAME).read_text(encoding="utf-8")
    book = json.loads((target / sub.path).parent.joinpath("digit4sd_workbook.json")
                      .read_text(encoding="utf-8"))
    assert book["lang"] == "fr"
    settings = lab_settings(target, "fr")
    plugin = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    assert json.loads(plugin.read_text(encoding="utf-8")) == {"locale": "fr_FR"}
    # the language pack that setting asks for is installed with the package
    from importlib.metadata import distribution
    assert distribution("jupyterlab-language-pack-fr-FR")
    assert "fr" in i18n.shipped_languages()
