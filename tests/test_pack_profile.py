"""The one-page country profile: every figure as in the dataset, missing editions named."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.pack.profile import fmt, profile_facts, profile_html

OUTSIDE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
                     re.IGNORECASE)

# an LDC, a SIDS, an LLDC, a country missing early editions, a SIDS with partial early figures
COUNTRIES = ["BGD", "FJI", "MNG", "SSD", "TUV"]


def table_rows(page: str) -> dict[int, dict[str, str]]:
    rows = {}
    for year, body in re.findall(r'<tr data-year="(\d+)"[^>]*>(.*?)</tr>', page):
        rows[int(year)] = {col: html.unescape(text) for col, text in
                           re.findall(r'<td data-col="(\w+)">(.*?)</td>', body)}
    return rows


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {c: profile_html(c) for c in COUNTRIES}


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_every_edition_shows_the_published_figures(pages, iso3):
    page = pages[iso3]
    rows = table_rows(page)
    assert sorted(rows) == list(data.EDITIONS)
    survey = data.load_survey()
    for year in data.EDITIONS:
        row = survey[(survey["iso3"] == iso3) & (survey["year"] == year)].iloc[0]
        shown = rows[year]
        for col in ("egdi", "osi", "hci", "tii", "epi"):
            expected = "–" if pd.isna(row[col]) else f"{row[col]:.4f}"
            assert shown[col] == expected, (iso3, year, col)
        ranked = int(survey[survey["year"] == year]["egdi_rank"].notna().sum())
        rank = "–" if pd.isna(row["egdi_rank"]) else f"{int(row['egdi_rank'])} of {ranked}"
        assert shown["rank"] == rank, (iso3, year)
        level = "not ranked" if pd.isna(row["egdi_level"]) else str(row["egdi_level"])
        assert shown["level"] == level


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_groups_peers_weakest_component_and_internet_use(pages, iso3):
    page = html.unescape(pages[iso3])
    facts = profile_facts(iso3)
    current = data.load_countries().set_index("iso3").loc[iso3]
    for group in data.GROUPS:
        assert (data.GROUP_NAMES[group] in page.split('id="groups"')[1].split("</ul>")[0]) \
            == bool(current[group]), (iso3, group)
    code, label = analysis.peer_group(iso3)
    assert facts["peer_group"] == code and f"<b>{label}</b>" in page
    peers = analysis.peer_countries(iso3)
    assert f"({len(peers)} other countries)" in page
    comp, gap = analysis.weakest_component(iso3)
    assert facts["weakest"]["component"] == comp
    assert f"{abs(gap):.4f}" in page.split("id='weakest'")[1].split("</p>")[0]
    latest = data.load_internet_use(iso3, latest=True).iloc[0]
    sdg = page.split("id='sdg1781'")[1].split("</p>")[0]
    assert f"<b>{latest['internet_pct']:.1f}%</b>" in sdg
    assert f"<b>{int(latest['year'])}</b>" in sdg


def test_missing_editions_are_named_not_hidden(pages):
    page = html.unescape(pages["SSD"])
    note = page.split('id="missing"')[1].split("</p>")[0]
    assert "2003-2010" in note and "5 of 12 editions" in note
    assert profile_facts("SSD")["missing"] == [2003, 2004, 2005, 2008, 2010]
    tuvalu = html.unescape(pages["TUV"]).split('id="missing"')[1].split("</p>")[0]
    assert "2003-2004, 2008-2010" in tuvalu and "component figures" in tuvalu
    assert 'id="missing"' not in pages["BGD"], "nothing missing, no note"


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_page_is_self_contained_small_and_printable(pages, iso3):
    page = pages[iso3]
    assert page.startswith("<!DOCTYPE html>")
    assert not OUTSIDE.search(page)
    assert "<script" not in page.lower()
    assert "@page" in page and "@media print" in page
    assert len(page.encode("utf-8")) < 1_000_000
    assert page.count('src="data:image/png;base64,') == 2


def test_an_unknown_country_suggests_names():
    with pytest.raises(ValueError, match=r"Did you mean: .*Ethiopia \(ETH\)"):
        profile_facts("Etiopia")


def test_figures_are_formatted_as_in_the_table():
    assert fmt(None) == "–" and fmt(0.65696) == "0.6570"


@pytest.fixture(scope="module")
def french() -> dict[str, str]:
    from digit4sd_widgets import i18n

    with i18n.language("fr"):
        return {c: profile_html(c) for c in ("SSD", "TUV", "BGD")}


def test_the_profile_in_french(pages, french):
    from digit4sd_widgets.catalogues import template

    page = french["SSD"]
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr" dir="ltr">')
    text = html.unescape(page)
    for words in ("<h1>Soudan du Sud (SSD)</h1>", "<h2>Toutes les éditions de l'Étude</h2>",
                  "<h2>Composante la plus faible</h2>", "<h2>Pairs</h2>", "<th>Édition</th>",
                  "<th>Rang</th>", "Chiffres manquants.", "5 éditions sur 12",
                  "Région\u00a0: Afrique (Afrique subsaharienne).", "Estimation de l'UIT.",
                  "Pays les moins avancés (PMA)", "non classé"):
        assert words in text, words
    # the same figures as the English page, written with a decimal comma
    english, rows = table_rows(pages["SSD"]), table_rows(page)
    for year, row in english.items():
        for col in ("egdi", "osi", "hci", "tii", "epi"):
            assert rows[year][col] == row[col].replace(".", ","), (year, col)
        assert rows[year]["rank"] == row["rank"].replace(" of ", " sur ")
    assert rows[2024]["level"] == "faible"
    assert re.search(r"\d+e sur \d+", text.split('id="peers"')[1]), "a French ordinal"
    sdg = text.split("id='sdg1781'")[1].split("</p>")[0]
    assert re.search(r"<b>\d+,\d\u00a0%</b> des personnes ont utilisé Internet", sdg)
    assert re.search(r"créé le \d{1,2} [a-zéû]+ \d{4}", text)
    # nothing of the page's own English is left
    ours = "digit4sd_widgets/pack/profile.py"
    pieces = set()
    for m in template("digit4sd"):
        if m.id and any(loc[0] == ours for loc in m.locations):
            for english_text in [m.id] if isinstance(m.id, str) else m.id:
                pieces.update(p.strip(" .:;,()") for p in
                              re.split(r"\{[^}]*\}|<[^>]+>", english_text))
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    for p_ in (french["TUV"], french["BGD"]):
        plain += re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(p_)))
    left = sorted(p for p in pieces if len(p) >= 12 and p in plain)
    assert left == []
