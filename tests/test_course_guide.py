"""The facilitator's guide as a page to print, in English and in French."""

from __future__ import annotations

import subprocess
import sys

from digit4sd_widgets.catalogues import paragraphs
from digit4sd_widgets.course.guide import GUIDE, guide_markdown, write_guide
from digit4sd_widgets.course.map import project_root

SOURCE = (project_root() / GUIDE).read_text(encoding="utf-8")


def test_the_english_guide_is_the_source_itself():
    assert guide_markdown(SOURCE, "en") == SOURCE


def test_every_paragraph_of_the_guide_is_in_french():
    french = guide_markdown(SOURCE, "fr")
    english = [p.strip("\n") for p, ok in paragraphs(SOURCE) if ok]
    assert len(english) >= 40
    left = [p[:60] for p in english if p in french]
    assert left == [], "paragraphs still in English"
    # what is not text stays as it is: the code block, the commands and the tables' shape
    kept = [p for p, ok in paragraphs(SOURCE) if not ok and "```" in p]
    assert kept and all(p in french for p in kept)
    assert french.count("|---|") == SOURCE.count("|---|")
    assert french.count("`--one-day`") == SOURCE.count("`--one-day`")


def test_the_french_page_to_print(tmp_path):
    out = write_guide(tmp_path / "guide.html", lang="fr")
    page = out.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html><html lang="fr" dir="ltr">')
    assert "<title>Guide de l&#x27;animateur</title>" in page
    for heading in ("Le programme sur deux jours", "L'atelier d'une journée",
                    "La formation des groupes", "Le travail en groupes", "La plénière",
                    "Animer la salle sans internet", "En cas de panne"):
        assert f"<h2>{heading}</h2>" in page, heading
    assert page.count("<table>") >= 3 and "<pre>" in page and "<script" not in page


def test_the_command_writes_the_guide_in_the_language_asked(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "guide", *args],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)

    done = run("--lang", "fr")
    assert done.returncode == 0, done.stderr
    assert '<html lang="fr"' in (tmp_path / "facilitator-fr.html").read_text(encoding="utf-8")
    english = run()
    assert english.returncode == 0, english.stderr
    assert '<html lang="en"' in (tmp_path / "facilitator.html").read_text(encoding="utf-8")
    unknown = run("--lang", "xx")
    assert unknown.returncode == 1 and "not offered" in unknown.stderr
    assert "Traceback" not in unknown.stderr
