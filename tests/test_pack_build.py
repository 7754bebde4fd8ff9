"""``digit4sd pack``: country packs that open offline, hold no instructor material, report
their sizes, and go on when one notebook fails.

Packs are built once per module: every notebook for an LDC (Bangladesh), two notebooks each
for a SIDS (Fiji) and an LLDC (Mongolia); the profile pages themselves are checked figure by
figure in ``test_profile.py``."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.release import LEAK_MARKERS, leaks
from digit4sd_widgets.pack import build as pack
from digit4sd_widgets.pack.build import (
    PackError,
    build_packs,
    external_references,
    reading_copy,
    resolve_countries,
    select_notebooks,
)

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "course" / "release"
WIDGET = "application/vnd.jupyter.widget-view+json"
# written independently of the package's own check: any script, stylesheet, image or frame
# whose address names another host
OUTSIDE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE)
SUBSET = ["2.3", "3.1"]


# ------------------------------------------------------------------------ fast checks
def test_countries_by_code_name_and_group():
    assert resolve_countries(["bgd", "Ethiopia", "BGD"]) == ["BGD", "ETH"]
    ldc = resolve_countries(["LDC"])
    assert len(ldc) == int(data.load_countries()["ldc"].sum()) == 44
    assert {"BGD", "ETH", "SSD"} <= set(ldc)
    assert len(resolve_countries(["sids"])) == 37 and len(resolve_countries(["LLDCs"])) == 32
    assert resolve_countries(["NPL", "LLDC"])[0] == "NPL", "order kept, no repeats"
    assert len(set(resolve_countries(["NPL", "LLDC"]))) == 32


def test_an_unknown_country_is_refused_with_suggestions():
    with pytest.raises(PackError, match=r"Did you mean: Bangladesh \(BGD\)"):
        resolve_countries(["BGD", "Bangldesh"])
    with pytest.raises(PackError, match="Name at least one country"):
        resolve_countries([])


def test_notebook_selection():
    assert len(select_notebooks(None)) == 19
    assert [s.id for s in select_notebooks(["3.1,2.3", "2.3"])] == ["2.3", "3.1"]
    assert select_notebooks(["none"]) == [] and select_notebooks("none") == []
    with pytest.raises(PackError, match=r"No submodule '9\.9'"):
        select_notebooks(["9.9"])


@pytest.mark.parametrize("sub", SUBMODULES, ids=lambda s: s.id)
def test_reading_copy_leaves_out_tasks_and_checks(sub):
    nb = nbformat.read(RELEASE / sub.path, as_version=4)
    reading = reading_copy(nb)
    text = json.dumps(reading)
    assert "NotImplementedError" not in text and "YOUR CODE HERE" not in text
    assert not any(m in text for m in LEAK_MARKERS)
    assert "load_answer(" not in text and "data_answer(" not in text, "checks left out"
    assert "take(globals())" not in text, "the code route is for Lab"
    assert pack.SETUP_TAG in reading.cells[0].metadata["tags"]
    assert any("parameters" in c.metadata.get("tags", []) for c in reading.cells)
    assert all("nbgrader" not in c.metadata for c in reading.cells)
    kept = [c.source for c in nb.cells if c.cell_type == "markdown"
            and "lab-only" not in c.metadata.get("tags", [])]
    assert all(any(k == c.source for c in reading.cells) for k in kept), "all text kept"
    lab = [c.source for c in nb.cells if "lab-only" in c.metadata.get("tags", [])]
    assert not any(c.source in lab for c in reading.cells), "text about code left out"
    nbformat.validate(reading)


def test_the_reference_check_finds_what_would_load_from_outside():
    assert external_references('<script src="https://cdn.example/x.js"></script>')
    assert external_references("<link rel=stylesheet href='//cdn.example/x.css'>")
    assert external_references("<style>@import url(http://cdn.example/x.css);</style>")
    assert not external_references('<img src="data:image/png;base64,AAAA">'
                                   '<a href="https://un.org">a link to read</a>')


# ------------------------------------------------------------------------ built packs
@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> tuple[Path, list]:
    out = tmp_path_factory.mktemp("packs")
    full = build_packs(["BGD"], out, jobs=2, progress=False)
    subset = build_packs(["Fiji", "MNG"], out, jobs=2, notebooks=SUBSET, progress=False)
    return out, [*full.packs, *subset.packs]


@pytest.mark.slow
def test_packs_are_complete(packs):
    out, built = packs
    assert [p.iso3 for p in built] == ["BGD", "FJI", "MNG"]
    assert not [p.failures for p in built if p.failures]
    expected = {"BGD": [s.id for s in SUBMODULES], "FJI": SUBSET, "MNG": SUBSET}
    for p in built:
        folder = out / p.iso3
        manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
        subs = [page["sub_id"] for page in manifest["pages"] if page["kind"] == "notebook"]
        assert subs == expected[p.iso3]
        assert (folder / "profile.html").is_file()
        index = (folder / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+)"', index)
        assert "profile.html" in links and len(links) == 1 + 2 * len(subs)
        assert all((folder / link).is_file() for link in links)
    assert not list(out.glob(".*")), "no staging folder left behind"


@pytest.mark.slow
def test_no_page_references_the_internet(packs):
    out, _ = packs
    pages = list(out.rglob("*.html"))
    assert len(pages) == 3 + 3 + 19 + 2 * len(SUBSET)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not OUTSIDE.search(text), page
        assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", text), page
        scripts = re.findall(r"<script\b[^>]*>", text, re.IGNORECASE)
        assert all("src=" not in s for s in scripts), page


@pytest.mark.slow
def test_no_solutions_hidden_tests_or_errors(packs):
    out, _ = packs
    assert leaks(out) == []
    for path in out.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert "widgets" not in nb.metadata
        assert "static import register" not in nb.cells[0].source + nb.cells[1].source
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), path
        for cell in nb.cells:
            assert "nbgrader" not in cell.metadata
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", path
                assert WIDGET not in output.get("data", {}), path
        text = path.read_text(encoding="utf-8")
        assert "NotImplementedError" not in text and "Traceback" not in text, path
    for page in out.rglob("pages/*.html"):
        text = page.read_text(encoding="utf-8")
        assert "NotImplementedError" not in text and "Loading widget" not in text


@pytest.mark.slow
def test_widgets_are_shown_by_their_static_copy_for_the_country(packs):
    out, _ = packs
    names = {"BGD": "Bangladesh", "FJI": "Fiji", "MNG": "Mongolia"}
    for iso3, name in names.items():
        page = (out / iso3 / "pages" / "2_3_egov_survey.html").read_text(encoding="utf-8")
        assert page.count('class="d4-static"') >= 3  # world map, explorer, quiz
        assert f"<b>{name}</b>, 2024: EGDI" in page, "the explorer is on the pack's country"
        assert page.count("data:image/png;base64,") >= 2
    for sub in SUBMODULES:
        page = (out / "BGD" / "pages" / f"{sub.notebook}.html").read_text(encoding="utf-8")
        assert 'class="d4-static"' in page, sub.id


@pytest.mark.slow
def test_sizes_are_within_target_and_reported(packs):
    out, built = packs
    for p in built:
        for page in p.pages:
            on_disk = (out / p.iso3 / page.html).stat().st_size
            assert page.size == on_disk
            assert not page.over and page.size < page.limit
    report = pack.PackReport(built, 1.0, 2)
    lines = report.size_lines()
    assert any("Country profile" in line and "kB" in line for line in lines)
    assert lines[-1].startswith("3 pack(s), 26 pages, 0 failed")


@pytest.mark.slow
def test_one_failing_notebook_is_reported_and_the_rest_goes_on(tmp_path, monkeypatch, capsys):
    release = tmp_path / "release"
    shutil.copytree(RELEASE, release)
    broken = release / "m1_getting_started" / "1_2_objectives.ipynb"
    nb = nbformat.read(broken, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("broken on purpose")'))
    nbformat.write(nb, broken)
    monkeypatch.setattr(pack, "release_folder", lambda: release)
    # the host's own workbook (another country) is neither read nor written
    host = tmp_path / "host" / "digit4sd_workbook.json"
    from digit4sd_widgets.workbook import Workbook

    Workbook.open(host).set_case(country="NOR")
    before = host.read_bytes()
    monkeypatch.setenv("DIGIT4SD_WORKBOOK", str(host))
    args = argparse.Namespace(countries=["SSD"], out=str(tmp_path / "out"), jobs=2,
                              notebooks=["1.2,2.3"], no_progress=True, timeout=120,
                              all_sizes=False)
    assert pack.main(args) == 1
    captured = capsys.readouterr()
    assert "FAILED SSD 1.2 Objectives: cell" in captured.err
    assert "RuntimeError: broken on purpose" in captured.err
    assert "Traceback" not in captured.err
    folder = tmp_path / "out" / "SSD"
    assert (folder / "pages" / "2_3_egov_survey.html").is_file()
    assert not (folder / "pages" / "1_2_objectives.html").exists()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "not available" in index and "broken on purpose" in index
    # South Sudan has no figures before 2012: the pack says so instead of failing
    assert "2003-2010" in index
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["missing_editions"] == [2003, 2004, 2005, 2008, 2010]
    assert "2003-2010" in (folder / "profile.html").read_text(encoding="utf-8")
    explorer = (folder / "pages" / "2_3_egov_survey.html").read_text(encoding="utf-8")
    assert "<b>South Sudan</b>, 2024" in explorer and "Norway" not in explorer
    assert host.read_bytes() == before


@pytest.mark.slow
def test_the_command_line_makes_a_pack_and_refuses_unknown_countries(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "pack", *args],
                              capture_output=True, text=True, timeout=600, cwd=tmp_path)

    bad = run("BGD", "Etiopia")
    assert bad.returncode == 2
    assert "Did you mean: Ethiopia (ETH)" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "packs").exists(), "nothing made before every name is known"
    ok = run("NPL", "--notebooks", "none", "--jobs", "1")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "packs" / "NPL" / "profile.html").is_file()
    assert "NPL Nepal:" in ok.stdout and "Country profile" in ok.stdout
    again = run("NPL", "--notebooks", "none", "--jobs", "1")
    assert again.returncode == 0 and sorted(p.name for p in (tmp_path / "packs").iterdir()) \
        == ["NPL"], "a new pack replaces the old one, nothing left over"


@pytest.mark.slow
def test_a_pack_in_french(tmp_path):
    """``--lang fr``: the pack goes next to the English one, every page says it is French,
    and the pack's own words (index, navigation, notes, profile, static copies) are
    French."""
    import html as html_lib

    from digit4sd_widgets.catalogues import template

    args = argparse.Namespace(countries=["NPL"], out=str(tmp_path), jobs=2,
                              notebooks=["2.3"], no_progress=True, timeout=120,
                              all_sizes=False, lang="fr")
    assert pack.main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["NPL-fr"], "English paths unchanged"
    folder = tmp_path / "NPL-fr"
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["lang"] == "fr"
    nb = nbformat.read(folder / "notebooks" / "m2_fundamentals" / "2_3_egov_survey.ipynb",
                       as_version=4)
    assert nb.metadata["digit4sd"]["lang"] == "fr"
    pages = {name: (folder / name).read_text(encoding="utf-8")
             for name in ("index.html", "profile.html", "pages/2_3_egov_survey.html")}
    for name, page in pages.items():
        assert re.search(r'<html lang="fr" dir="ltr">', page), name
    index = html_lib.unescape(pages["index.html"])
    assert "<h1>Dossier pays du cours DIGIT4SD\u00a0: Népal</h1>" in index
    assert "Profil du pays (une page, à imprimer)" in index and "fichier du carnet" in index
    notebook = html_lib.unescape(pages["pages/2_3_egov_survey.html"])
    assert "Sommaire de ce dossier pays" in notebook
    assert "Une copie à lire et à imprimer" in notebook, "the kernel's widgets speak French"
    assert "Répondre avec du code" in notebook or "Vérification." in notebook
    assert "<h2>Toutes les éditions de l'Étude</h2>" in html_lib.unescape(pages["profile.html"])
    # none of the pack's own English is left (the notebook pages also hold the exercises'
    # own words, which are not the pack's)
    build, profile, static = ("digit4sd_widgets/pack/build.py",
                              "digit4sd_widgets/pack/profile.py", "digit4sd_widgets/static.py")
    catalogue = template("digit4sd")

    def english(files):
        pieces = set()
        for m in catalogue:
            if m.id and any(loc[0] in files for loc in m.locations):
                for text in [m.id] if isinstance(m.id, str) else m.id:
                    pieces.update(p.strip(" .:;,()>*") for p in
                                  re.split(r"\{[^}]*\}|<[^>]+>|\*\*", text))
        return {p for p in pieces if len(p) >= 12}

    for name, files in (("index.html", (build, profile)), ("profile.html", (build, profile)),
                        ("pages/2_3_egov_survey.html", (build, static))):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_lib.unescape(pages[name])))
        assert sorted(p for p in english(files) if p in text) == [], name
