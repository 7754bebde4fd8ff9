"""A one-page country profile to print: the country's EGDI and its components in every
edition of the UN E-Government Survey, its rank, its groups and peers, its weakest component
and SDG indicator 17.8.1 (Internet use).

The page is self-contained: styles inline, charts as embedded PNG, no script and no address
outside the page, so it opens offline and prints on one A4 sheet. Editions without figures
for the country are named on the page, not left out silently.

>>> facts = profile_facts("SSD")
>>> facts["name"], facts["missing"][:2], facts["latest"]
('South Sudan', [2003, 2004], 2024)
>>> page = profile_html("BGD")
>>> page.startswith("<!DOCTYPE html>") and "://" not in page
True
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .. import charts, data
from ..data import analysis

COLUMNS = ("egdi", "osi", "hci", "tii", "epi")
LABELS = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI"}
CLOSEST_PEERS = 5

CSS = """
@page { size: A4; margin: 11mm; }
* { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; color: #1d2327;
       font-size: 12px; line-height: 1.35; max-width: 52rem; margin: 1rem auto; padding: 0 1rem; }
h1 { color: #1f5fa8; font-size: 22px; margin: 0; }
h2 { color: #1f5fa8; font-size: 13px; margin: 10px 0 4px; border-bottom: 1px solid #1f5fa8; }
.sub { color: #5f6b73; margin: 2px 0 8px; }
.keys { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; }
.key { border: 1px solid #b8c0c6; border-radius: 4px; padding: 4px 6px; }
.key b { display: block; font-size: 16px; color: #1f5fa8; }
.key span { color: #5f6b73; font-size: 11px; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
th, td { border: 1px solid #d0d6da; padding: 1px 5px; text-align: right; }
th { background: #e8eef5; }
td:first-child, th:first-child { text-align: left; }
tr.missing td { color: #8a5a00; font-style: italic; }
tr.latest td { font-weight: bold; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; margin-top: 6px; }
.charts img { width: 100%; height: auto; }
.note { background: #fff4e0; border-left: 3px solid #e07b00; padding: 3px 6px; margin: 6px 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
ul { margin: 2px 0; padding-left: 1.1rem; }
footer { color: #5f6b73; font-size: 10px; margin-top: 8px; }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 11px; }
               .charts, table, .keys { break-inside: avoid; } }
"""

__all__ = ["profile_facts", "profile_html"]


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def fmt(value: float | None, digits: int = 4) -> str:
    """A figure as shown on the page: ``–`` when missing."""
    return "–" if value is None else f"{value:.{digits}f}"


def _spans(years: list[int]) -> str:
    """Editions as readable runs: ``2003-2010, 2014`` (runs follow the edition calendar)."""
    if not years:
        return ""
    order = list(data.EDITIONS)
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and order.index(y) == order.index(runs[-1][-1]) + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def profile_facts(country: str) -> dict[str, Any]:
    """Every figure of the profile, computed from the dataset (raises ``ValueError`` with
    suggestions for an unknown country)."""
    iso3 = data.find_country(country)
    info = data.load_countries().set_index("iso3").loc[iso3]
    survey = data.load_survey()
    own = survey[survey["iso3"] == iso3].set_index("year")
    ranked = survey.groupby("year")["egdi_rank"].count()
    editions = []
    for year in data.EDITIONS:
        row = own.loc[year]
        rank = row["egdi_rank"]
        editions.append({
            "year": year,
            **{c: _num(row[c]) for c in COLUMNS},
            "rank": None if pd.isna(rank) else int(rank),
            "ranked": int(ranked.get(year, 0)),
            "level": None if pd.isna(row["egdi_level"]) else str(row["egdi_level"]),
            "groups": [g for g in data.GROUPS if bool(row[g])],
        })
    missing = [e["year"] for e in editions if e["egdi"] is None]
    partial = [e["year"] for e in editions
               if e["egdi"] is not None and any(e[c] is None for c in data.COMPONENTS)]
    with_egdi = [e for e in editions if e["egdi"] is not None]
    latest = with_egdi[-1]["year"] if with_egdi else None

    facts: dict[str, Any] = {
        "iso3": iso3, "name": str(info["name"]), "region": str(info["region"]),
        "subregion": str(info["subregion"]),
        "groups_now": [g for g in data.GROUPS if bool(info[g])],
        "group_editions": {g: [e["year"] for e in editions if g in e["groups"]]
                           for g in data.GROUPS},
        "editions": editions, "missing": missing, "partial": partial, "latest": latest,
        "peer_group": None, "peer_label": "", "peers": [], "position": None,
        "peer_mean": {}, "world_mean": {}, "weakest": None, "internet": None,
    }
    if latest is not None:
        code, label = analysis.peer_group(iso3, latest)
        peer_codes = analysis.peer_countries(iso3, latest)
        ed = survey[survey["year"] == latest].set_index("iso3")
        peers = ed.loc[peer_codes]
        facts.update(
            peer_group=code, peer_label=label,
            peers=[{"iso3": str(i), "name": str(r["country"]), "egdi": _num(r["egdi"]),
                    "rank": None if pd.isna(r["egdi_rank"]) else int(r["egdi_rank"])}
                   for i, r in peers.sort_values("egdi", ascending=False).iterrows()],
            peer_mean={c: _num(peers[c].mean()) for c in COLUMNS},
            world_mean={c: _num(ed[c].mean()) for c in COLUMNS},
        )
        own_egdi = ed.loc[iso3, "egdi"]
        facts["position"] = 1 + int((peers["egdi"] > own_egdi).sum())
        try:
            comp, gap = analysis.weakest_component(iso3, latest)
            facts["weakest"] = {"component": comp, "gap": gap,
                                "value": _num(ed.loc[iso3, comp])}
        except ValueError:
            facts["weakest"] = None
    web = data.load_internet_use(countries=iso3).sort_values("year")
    web = web.dropna(subset=["internet_pct"])
    if not web.empty:
        last = web.iloc[-1]
        earlier = web[web["year"] <= int(last["year"]) - 10]
        facts["internet"] = {
            "value": float(last["internet_pct"]), "year": int(last["year"]),
            "note": str(last["note"]), "source": str(last["source"]),
            "earlier": ({"value": float(earlier.iloc[-1]["internet_pct"]),
                         "year": int(earlier.iloc[-1]["year"])} if not earlier.empty else None),
            "series": [(int(y), float(v)) for y, v in zip(web["year"], web["internet_pct"],
                                                            strict=True)],
        }
    return facts


# ---------------------------------------------------------------------------- charts
def _trend_png(facts: dict[str, Any]) -> bytes:
    fig, ax = charts._figure((4.6, 2.7))
    fig.subplots_adjust(left=0.11, right=0.98, top=0.86, bottom=0.13)
    years = [e["year"] for e in facts["editions"]]
    for i, col in enumerate(("egdi", "osi", "hci", "tii")):
        ys = [math.nan if e[col] is None else e[col] for e in facts["editions"]]
        ax.plot(years, ys, label=LABELS[col], color=charts.PALETTE[i], marker="o",
                markersize=3, linewidth=2.2 if col == "egdi" else 1.1)
    ticks = [2003, 2008, 2012, 2016, 2020, 2024]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(2002, 2025)
    charts._finish(ax, "EGDI and its components, every edition", "", (0, 1), legend=False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=4)
    return charts.to_png(fig)


def _bars_png(facts: dict[str, Any]) -> bytes:
    fig, ax = charts._figure((4.6, 2.7))
    fig.subplots_adjust(left=0.11, right=0.98, top=0.86, bottom=0.13)
    cols = ("egdi", "osi", "hci", "tii")
    latest = next(e for e in facts["editions"] if e["year"] == facts["latest"])
    groups = {facts["name"]: [latest[c] for c in cols],
              f"Peers ({_short_peer(facts)}) mean": [facts["peer_mean"].get(c) for c in cols],
              "World mean": [facts["world_mean"].get(c) for c in cols]}
    width = 0.8 / len(groups)
    for i, (name, values) in enumerate(groups.items()):
        xs = [j + (i - 1) * width for j in range(len(cols))]
        ax.bar(xs, [0.0 if v is None else v for v in values], width=width * 0.95,
               label=name, color=charts.PALETTE[i])
    ax.set_xticks(range(len(cols)), [LABELS[c] for c in cols])
    charts._finish(ax, f"{facts['latest']}: against peers and the world", "", (0, 1),
                   legend=False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=3)
    return charts.to_png(fig)


def _short_peer(facts: dict[str, Any]) -> str:
    code = facts["peer_group"]
    return code.upper() if code in data.GROUPS else facts["peer_label"]


# ---------------------------------------------------------------------------- page
def _e(value: Any) -> str:
    return html.escape(str(value))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _group_lines(facts: dict[str, Any]) -> list[str]:
    now = facts["groups_now"]
    lines = [("In the current UN lists: " + ", ".join(data.GROUP_NAMES[g] for g in now))
             if now else "In none of the LDC, LLDC and SIDS lists today."]
    for g in data.GROUPS:
        years = facts["group_editions"][g]
        if years and len(years) < len(data.EDITIONS):
            lines.append(f"{g.upper()} in the Survey editions {_spans(years)}.")
        elif not years and g in now:
            lines.append(f"{g.upper()} only since the last Survey edition.")
    lines.append(f"Region: {facts['region']} ({facts['subregion']}).")
    return lines


def _missing_note(facts: dict[str, Any]) -> str:
    parts = []
    if facts["missing"]:
        some = any(e[c] is not None for e in facts["editions"] if e["year"] in facts["missing"]
                   for c in COLUMNS)
        parts.append(f"No EGDI and no rank for {facts['name']} in {_spans(facts['missing'])} "
                     f"({len(facts['missing'])} of {len(data.EDITIONS)} editions): the Survey "
                     "did not compute the index for the country in those editions"
                     + ("; the component figures it did publish are shown." if some else "."))
    if facts["partial"]:
        parts.append(f"Some component figures are missing in {_spans(facts['partial'])}.")
    if facts["internet"] is None:
        parts.append("No Internet use figure (SDG 17.8.1) has been published for the country.")
    if not parts:
        return ""
    return f'<p class="note" id="missing"><b>Missing figures.</b> {_e(" ".join(parts))}</p>'


def _keys(facts: dict[str, Any]) -> str:
    boxes = []
    latest = next((e for e in facts["editions"] if e["year"] == facts["latest"]), None)
    if latest is not None:
        boxes.append((fmt(latest["egdi"]), f"EGDI {latest['year']}, {latest['level']} level"))
        boxes.append((f"{latest['rank']} of {latest['ranked']}",
                      f"EGDI rank {latest['year']} (1 is best)"))
    else:
        boxes += [("–", "no EGDI in any edition"), ("–", "no rank")]
    weak = facts["weakest"]
    if weak:
        name = analysis.COMPONENT_NAMES[weak["component"]]
        where = "below" if weak["gap"] < 0 else "above"
        boxes.append((f"{LABELS[weak['component']]} {fmt(weak['value'], 3)}",
                      f"weakest: {name}, {abs(weak['gap']):.3f} {where} the peer mean"))
    else:
        boxes.append(("–", "weakest component: no figures"))
    web = facts["internet"]
    if web:
        boxes.append((f"{web['value']:.1f}%", f"use the Internet ({web['year']}), SDG 17.8.1"))
    else:
        boxes.append(("–", "Internet use (SDG 17.8.1): no figure"))
    return '<div class="keys">' + "".join(
        f'<div class="key"><b>{_e(big)}</b><span>{_e(small)}</span></div>'
        for big, small in boxes) + "</div>"


def _table(facts: dict[str, Any]) -> str:
    head = "".join(f"<th>{h}</th>" for h in
                   ("Edition", "EGDI", "OSI", "HCI", "TII", "EPI", "Rank", "Level"))
    rows = []
    for e in facts["editions"]:
        cls = ("missing" if e["egdi"] is None
               else "latest" if e["year"] == facts["latest"] else "")
        rank = f"{e['rank']} of {e['ranked']}" if e["rank"] is not None else "–"
        cells = [f"<td>{e['year']}</td>"]
        cells += [f'<td data-col="{c}">{fmt(e[c])}</td>' for c in COLUMNS]
        cells += [f'<td data-col="rank">{rank}</td>',
                  f'<td data-col="level">{_e(e["level"] or "not ranked")}</td>']
        rows.append(f'<tr data-year="{e["year"]}" class="{cls}">{"".join(cells)}</tr>')
    return (f'<table id="editions"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _peers(facts: dict[str, Any]) -> str:
    if facts["latest"] is None:
        return "<p>No peers: the country has no EGDI in any edition.</p>"
    peers = facts["peers"]
    total = len(peers) + 1
    own = next(e for e in facts["editions"] if e["year"] == facts["latest"])["egdi"]
    closest = sorted(peers, key=lambda p: abs((p["egdi"] or 0) - own))[:CLOSEST_PEERS]
    closest.sort(key=lambda p: -(p["egdi"] or 0))
    items = "".join(f"<li>{_e(p['name'])}: EGDI {fmt(p['egdi'])}, rank {p['rank'] or '–'}</li>"
                    for p in closest)
    best = peers[0] if peers else None
    best_line = (f"<p>Highest in the group: {_e(best['name'])} ({fmt(best['egdi'])}).</p>"
                 if best else "")
    return (f"<p>Compared with <b>{_e(facts['peer_label'])}</b> in {facts['latest']} "
            f"({len(peers)} other countries): {_e(facts['name'])} is "
            f"<b>{_ordinal(facts['position'])} of {total}</b> by EGDI; the group's mean EGDI "
            f"is {fmt(facts['peer_mean'].get('egdi'))}.</p>{best_line}"
            f"<p>Closest in EGDI:</p><ul>{items}</ul>")


def _internet(facts: dict[str, Any]) -> str:
    web = facts["internet"]
    if not web:
        return "<p>No figure published.</p>"
    source = " ".join(x for x in (web["note"], web["source"]) if x)
    text = (f"<p id='sdg1781'><b>{web['value']:.1f}%</b> of individuals used the Internet in "
            f"<b>{web['year']}</b>")
    if web["earlier"]:
        text += f", against {web['earlier']['value']:.1f}% in {web['earlier']['year']}"
    text += f".{(' ' + _e(source)) if source else ''}</p>"
    return text


def _weakest(facts: dict[str, Any]) -> str:
    weak = facts["weakest"]
    if not weak:
        return "<p>No component figures to compare.</p>"
    comp = weak["component"]
    gap = weak["gap"]
    where = "below" if gap < 0 else "above"
    return (f"<p id='weakest'><b>{_e(analysis.COMPONENT_NAMES[comp])} ({LABELS[comp]})</b>: "
            f"{fmt(weak['value'])} in {facts['latest']}, {abs(gap):.4f} {where} the mean of "
            f"{_e(facts['peer_label'])}. It is the component where the country stands "
            f"{'furthest below' if gap < 0 else 'least above'} its peers: a first candidate "
            "for a target area (module 3.1).</p>")


def profile_html(country: str, *, facts: dict[str, Any] | None = None) -> str:
    """The one-page profile as a self-contained HTML page."""
    facts = facts or profile_facts(country)
    name = f"{facts['name']} ({facts['iso3']})"
    charts_html = ""
    if facts["latest"] is not None:
        charts_html = (
            '<div class="charts">'
            f'<img alt="EGDI and components of {_e(facts["name"])} in every edition" '
            f'src="{charts.data_uri(_trend_png(facts))}">'
            f'<img alt="{_e(facts["name"])} against peers and the world" '
            f'src="{charts.data_uri(_bars_png(facts))}"></div>')
    stamp = datetime.now(UTC).strftime("%d %B %Y")
    groups = "".join(f"<li>{_e(line)}</li>" for line in _group_lines(facts))
    body = (
        f"<h1>{_e(name)}</h1>"
        f'<p class="sub">E-government country profile · UN E-Government Survey '
        f"{data.EDITIONS[0]}-{data.LATEST_EDITION} · made {_e(stamp)}</p>"
        f"{_keys(facts)}{_missing_note(facts)}{charts_html}"
        f"<h2>Every edition of the Survey</h2>{_table(facts)}"
        '<div class="cols"><div>'
        f'<h2>Groups</h2><ul id="groups">{groups}</ul>'
        f"<h2>Weakest component</h2>{_weakest(facts)}"
        f"<h2>SDG 17.8.1: Internet use</h2>{_internet(facts)}"
        f'</div><div><h2>Peers</h2><div id="peers">{_peers(facts)}</div></div></div>'
        "<footer>EGDI: E-Government Development Index, the mean of the Online Service Index "
        "(OSI), the Human Capital Index (HCI) and the Telecommunications Infrastructure Index "
        "(TII); EPI: E-Participation Index. Levels: very high above 0.75, high 0.50-0.75, "
        "middle 0.25-0.50, low below 0.25. Sources: UN DESA, UN E-Government Survey; ITU for "
        "SDG indicator 17.8.1. Scales and methods change between editions: compare ranks and "
        "levels rather than raw values across years.</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(name)}: e-government profile</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")
