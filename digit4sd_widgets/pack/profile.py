"""A one-page country profile to print: the country's EGDI and its components in every
edition of the UN E-Government Survey, its rank, its groups and peers, its weakest component
and SDG indicator 17.8.1 (Internet use).

The page is self-contained: styles inline, charts as embedded PNG, no script and no address
outside the page, so it opens offline and prints on one A4 sheet. Editions without figures
for the country are named on the page, not left out silently. The page is in the reader's
language (:mod:`digit4sd_widgets.i18n`): words, numbers, dates and country names.

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

from .. import charts, data, i18n
from ..data import analysis
from ..i18n import N_, _, pgettext

COLUMNS = ("egdi", "osi", "hci", "tii", "epi")
LABELS = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI"}
CLOSEST_PEERS = 5
#: names shown on the page (the data keeps the English; each is translated when shown)
COMPONENT_LABELS = {"osi": N_("Online services"), "hci": N_("Human capital"),
                    "tii": N_("Telecom infrastructure")}
GROUP_LABELS = {"ldc": N_("Least developed countries (LDC)"),
                "lldc": N_("Landlocked developing countries (LLDC)"),
                "sids": N_("Small island developing States (SIDS)")}
GROUP_SHORT = {"ldc": N_("LDC"), "lldc": N_("LLDC"), "sids": N_("SIDS")}
#: the UN M49 regions and sub-regions of the dataset, as shown on the page
PLACES = (N_("Africa"), N_("Americas"), N_("Asia"), N_("Europe"), N_("Oceania"),
          N_("Australia and New Zealand"), N_("Central Asia"), N_("Eastern Asia"),
          N_("Eastern Europe"), N_("Latin America and the Caribbean"), N_("Melanesia"),
          N_("Micronesia"), N_("Northern Africa"), N_("Northern America"),
          N_("Northern Europe"), N_("Polynesia"), N_("South-eastern Asia"),
          N_("Southern Asia"), N_("Southern Europe"), N_("Sub-Saharan Africa"),
          N_("Western Asia"), N_("Western Europe"))
#: the most frequent source words of the ITU's Internet use figures
SOURCE_WORDS = (N_("ITU estimate."), N_("ITU Estimate."), N_("Gallup World Poll (estimate)."),
                N_("NSO estimate."))

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
    """A figure as shown on the page, in the reader's way of writing numbers (rounded as
    everywhere in the course, then written with the reader's decimal sign): ``–`` when
    missing."""
    if value is None:
        return "–"
    return i18n.number(float(f"{value:.{digits}f}"), digits)


def _pct(value: float) -> str:
    """A percentage of people (``44.5``) as ``44.5%`` or ``44,5 %``."""
    return _("{value}%").format(value=fmt(value, 1))


def _level(value: str | None) -> str:
    """An EGDI level of the Survey (stored in English) in the reader's language."""
    names = {"low": pgettext("EGDI level", "low"), "middle": pgettext("EGDI level", "middle"),
             "high": pgettext("EGDI level", "high"),
             "very high": pgettext("EGDI level", "very high")}
    return names.get(value or "", value or "")


def _name(iso3: str, english: str) -> str:
    return i18n.country_name(iso3, english)


def _group_label(facts: dict[str, Any]) -> str:
    """The peer group's name: a UN group, or the country's sub-region."""
    code = facts["peer_group"]
    return _(GROUP_LABELS[code]) if code in GROUP_LABELS else _(facts["peer_label"])


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
    charts._finish(ax, _("EGDI and its components, every edition"), "", (0, 1), legend=False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=4)
    return charts.to_png(fig)


def _bars_png(facts: dict[str, Any]) -> bytes:
    fig, ax = charts._figure((4.6, 2.7))
    fig.subplots_adjust(left=0.11, right=0.98, top=0.86, bottom=0.13)
    cols = ("egdi", "osi", "hci", "tii")
    latest = next(e for e in facts["editions"] if e["year"] == facts["latest"])
    groups = {_name(facts["iso3"], facts["name"]): [latest[c] for c in cols],
              _("Peers ({group}) mean").format(group=_short_peer(facts)):
                  [facts["peer_mean"].get(c) for c in cols],
              _("World mean"): [facts["world_mean"].get(c) for c in cols]}
    width = 0.8 / len(groups)
    for i, (name, values) in enumerate(groups.items()):
        xs = [j + (i - 1) * width for j in range(len(cols))]
        ax.bar(xs, [0.0 if v is None else v for v in values], width=width * 0.95,
               label=name, color=charts.PALETTE[i])
    ax.set_xticks(range(len(cols)), [LABELS[c] for c in cols])
    charts._finish(ax, _("{year}: against peers and the world").format(year=facts["latest"]),
                   "", (0, 1), legend=False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=3)
    return charts.to_png(fig)


def _short_peer(facts: dict[str, Any]) -> str:
    code = facts["peer_group"]
    return _(GROUP_SHORT[code]) if code in GROUP_SHORT else _(facts["peer_label"])


# ---------------------------------------------------------------------------- page
def _e(value: Any) -> str:
    return html.escape(str(value))


def _para(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _ordinal(n: int) -> str:
    """``3rd`` / ``3e``: the ordinal form of ``n`` by the reader's language's own rule."""
    form = i18n._locale(i18n.get_language()).ordinal_form(n)
    forms = {"one": pgettext("ordinal: 1st, 21st", "{n}st"),
             "two": pgettext("ordinal: 2nd, 22nd", "{n}nd"),
             "few": pgettext("ordinal: 3rd, 23rd", "{n}rd")}
    return forms.get(form, pgettext("ordinal: 4th, 11th", "{n}th")).format(n=n)


def _group_lines(facts: dict[str, Any]) -> list[str]:
    now = facts["groups_now"]
    lines = [(_("In the current UN lists: {groups}").format(
                 groups=", ".join(_(GROUP_LABELS[g]) for g in now)))
             if now else _("In none of the LDC, LLDC and SIDS lists today.")]
    for g in data.GROUPS:
        years = facts["group_editions"][g]
        if years and len(years) < len(data.EDITIONS):
            lines.append(_("{group} in the Survey editions {years}.").format(
                group=_(GROUP_SHORT[g]), years=_spans(years)))
        elif not years and g in now:
            lines.append(_("{group} only since the last Survey edition.").format(
                group=_(GROUP_SHORT[g])))
    lines.append(_("Region: {region} ({subregion}).").format(
        region=_(facts["region"]), subregion=_(facts["subregion"])))
    return lines


def _missing_note(facts: dict[str, Any]) -> str:
    parts = []
    if facts["missing"]:
        some = any(e[c] is not None for e in facts["editions"] if e["year"] in facts["missing"]
                   for c in COLUMNS)
        values = {"name": _name(facts["iso3"], facts["name"]),
                  "years": _spans(facts["missing"]), "count": len(facts["missing"]),
                  "total": len(data.EDITIONS)}
        if some:
            parts.append(_("No EGDI and no rank for {name} in {years} ({count} of {total} "
                           "editions): the Survey did not compute the index for the country "
                           "in those editions; the component figures it did publish are "
                           "shown.").format(**values))
        else:
            parts.append(_("No EGDI and no rank for {name} in {years} ({count} of {total} "
                           "editions): the Survey did not compute the index for the country "
                           "in those editions.").format(**values))
    if facts["partial"]:
        parts.append(_("Some component figures are missing in {years}.").format(
            years=_spans(facts["partial"])))
    if facts["internet"] is None:
        parts.append(_("No Internet use figure (SDG 17.8.1) has been published for the "
                       "country."))
    if not parts:
        return ""
    label = _e(_("Missing figures."))
    return f'<p class="note" id="missing"><b>{label}</b> {_e(" ".join(parts))}</p>'


def _keys(facts: dict[str, Any]) -> str:
    boxes = []
    latest = next((e for e in facts["editions"] if e["year"] == facts["latest"]), None)
    if latest is not None:
        boxes.append((fmt(latest["egdi"]), _("EGDI {year}, {level} level").format(
            year=latest["year"], level=_level(latest["level"]))))
        boxes.append((_("{rank} of {total}").format(rank=latest["rank"],
                                                    total=latest["ranked"]),
                      _("EGDI rank {year} (1 is best)").format(year=latest["year"])))
    else:
        boxes += [("–", _("no EGDI in any edition")), ("–", _("no rank"))]
    weak = facts["weakest"]
    if weak:
        name = _(COMPONENT_LABELS[weak["component"]])
        values = {"component": name, "gap": fmt(abs(weak["gap"]), 3)}
        boxes.append((f"{LABELS[weak['component']]} {fmt(weak['value'], 3)}",
                      _("weakest: {component}, {gap} below the peer mean").format(**values)
                      if weak["gap"] < 0 else
                      _("weakest: {component}, {gap} above the peer mean").format(**values)))
    else:
        boxes.append(("–", _("weakest component: no figures")))
    web = facts["internet"]
    if web:
        boxes.append((_pct(web["value"]),
                      _("use the Internet ({year}), SDG 17.8.1").format(year=web["year"])))
    else:
        boxes.append(("–", _("Internet use (SDG 17.8.1): no figure")))
    return '<div class="keys">' + "".join(
        f'<div class="key"><b>{_e(big)}</b><span>{_e(small)}</span></div>'
        for big, small in boxes) + "</div>"


def _table(facts: dict[str, Any]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in
                   (_("Edition"), "EGDI", "OSI", "HCI", "TII", "EPI", _("Rank"), _("Level")))
    rows = []
    for e in facts["editions"]:
        cls = ("missing" if e["egdi"] is None
               else "latest" if e["year"] == facts["latest"] else "")
        rank = (_("{rank} of {total}").format(rank=e["rank"], total=e["ranked"])
                if e["rank"] is not None else "–")
        cells = [f"<td>{e['year']}</td>"]
        cells += [f'<td data-col="{c}">{fmt(e[c])}</td>' for c in COLUMNS]
        cells += [f'<td data-col="rank">{_e(rank)}</td>',
                  '<td data-col="level">{}</td>'.format(
                      _e(_level(e["level"]) or _("not ranked")))]
        rows.append(f'<tr data-year="{e["year"]}" class="{cls}">{"".join(cells)}</tr>')
    return (f'<table id="editions"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _peers(facts: dict[str, Any]) -> str:
    if facts["latest"] is None:
        return _para(_("No peers: the country has no EGDI in any edition."))
    peers = facts["peers"]
    total = len(peers) + 1
    own = next(e for e in facts["editions"] if e["year"] == facts["latest"])["egdi"]
    closest = sorted(peers, key=lambda p: abs((p["egdi"] or 0) - own))[:CLOSEST_PEERS]
    closest.sort(key=lambda p: -(p["egdi"] or 0))
    items = "".join("<li>{}</li>".format(_e(_("{name}: EGDI {egdi}, rank {rank}").format(
        name=_name(p["iso3"], p["name"]), egdi=fmt(p["egdi"]), rank=p["rank"] or "–")))
        for p in closest)
    best = peers[0] if peers else None
    best_line = ("<p>{}</p>".format(_e(_("Highest in the group: {name} ({egdi}).").format(
        name=_name(best["iso3"], best["name"]), egdi=fmt(best["egdi"])))) if best else "")
    # markup written here; every value put into it is escaped
    compared = _("Compared with <b>{group}</b> in {year} ({count} other countries): {name} "
                 "is <b>{position} of {total}</b> by EGDI; the group's mean EGDI is "
                 "{mean}.").format(
        group=_e(_group_label(facts)), year=facts["latest"], count=len(peers),
        name=_e(_name(facts["iso3"], facts["name"])), position=_e(_ordinal(facts["position"])),
        total=total, mean=_e(fmt(facts["peer_mean"].get("egdi"))))
    return (f"<p>{compared}</p>{best_line}"
            + _para(_("Closest in EGDI:")) + f"<ul>{items}</ul>")


def _internet(facts: dict[str, Any]) -> str:
    web = facts["internet"]
    if not web:
        return _para(_("No figure published."))
    source = " ".join(_(x) for x in (web["note"], web["source"]) if x)
    earlier = web["earlier"]
    # markup written here; every value put into it is escaped
    if earlier:
        text = _("<b>{share}</b> of individuals used the Internet in <b>{year}</b>, against "
                 "{before} in {before_year}.").format(
            share=_e(_pct(web["value"])), year=web["year"],
            before=_e(_pct(earlier["value"])), before_year=earlier["year"])
    else:
        text = _("<b>{share}</b> of individuals used the Internet in <b>{year}</b>.").format(
            share=_e(_pct(web["value"])), year=web["year"])
    return f"<p id='sdg1781'>{text}{(' ' + _e(source)) if source else ''}</p>"


def _weakest(facts: dict[str, Any]) -> str:
    weak = facts["weakest"]
    if not weak:
        return _para(_("No component figures to compare."))
    comp = weak["component"]
    gap = weak["gap"]
    values = {"component": _e(_(COMPONENT_LABELS[comp])), "abbr": LABELS[comp],
              "value": _e(fmt(weak["value"])), "year": facts["latest"],
              "gap": _e(fmt(abs(gap))), "group": _e(_group_label(facts))}
    # markup written here; every value put into it is escaped
    if gap < 0:
        text = _("<b>{component} ({abbr})</b>: {value} in {year}, {gap} below the mean of "
                 "{group}. It is the component where the country stands furthest below its "
                 "peers: a first candidate for a target area (module 3.1).").format(**values)
    else:
        text = _("<b>{component} ({abbr})</b>: {value} in {year}, {gap} above the mean of "
                 "{group}. It is the component where the country stands least above its "
                 "peers: a first candidate for a target area (module 3.1).").format(**values)
    return f"<p id='weakest'>{text}</p>"


def profile_html(country: str, *, facts: dict[str, Any] | None = None) -> str:
    """The one-page profile as a self-contained HTML page, in the reader's language."""
    facts = facts or profile_facts(country)
    shown = _name(facts["iso3"], facts["name"])
    name = f"{shown} ({facts['iso3']})"
    charts_html = ""
    if facts["latest"] is not None:
        trend_alt = _("EGDI and components of {country} in every edition").format(
            country=shown)
        bars_alt = _("{country} against peers and the world").format(country=shown)
        charts_html = (
            '<div class="charts">'
            f'<img alt="{_e(trend_alt)}" src="{charts.data_uri(_trend_png(facts))}">'
            f'<img alt="{_e(bars_alt)}" src="{charts.data_uri(_bars_png(facts))}"></div>')
    stamp = i18n.date(datetime.now(UTC))
    groups = "".join(f"<li>{_e(line)}</li>" for line in _group_lines(facts))
    subtitle = _("E-government country profile · UN E-Government Survey {first}-{last} · "
                 "made {date}").format(first=data.EDITIONS[0], last=data.LATEST_EDITION,
                                       date=stamp)
    footer = _("EGDI: E-Government Development Index, the mean of the Online Service Index "
               "(OSI), the Human Capital Index (HCI) and the Telecommunications Infrastructure "
               "Index (TII); EPI: E-Participation Index. Levels: very high above 0.75, high "
               "0.50-0.75, middle 0.25-0.50, low below 0.25. Sources: UN DESA, UN "
               "E-Government Survey; ITU for SDG indicator 17.8.1. Scales and methods change "
               "between editions: compare ranks and levels rather than raw values across "
               "years.")
    headings = {"editions": _("Every edition of the Survey"), "groups": _("Groups"),
                "weakest": _("Weakest component"), "internet": _("SDG 17.8.1: Internet use"),
                "peers": _("Peers")}
    h = {key: f"<h2>{_e(text)}</h2>" for key, text in headings.items()}
    body = (
        f"<h1>{_e(name)}</h1>"
        f'<p class="sub">{_e(subtitle)}</p>'
        f"{_keys(facts)}{_missing_note(facts)}{charts_html}"
        f"{h['editions']}{_table(facts)}"
        '<div class="cols"><div>'
        f'{h["groups"]}<ul id="groups">{groups}</ul>'
        f"{h['weakest']}{_weakest(facts)}"
        f"{h['internet']}{_internet(facts)}"
        f'</div><div>{h["peers"]}<div id="peers">{_peers(facts)}</div></div></div>'
        f"<footer>{_e(footer)}</footer>")
    title = _("{country}: e-government profile").format(country=name)
    lang = i18n.get_language()
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{i18n.direction(lang)}"><head>'
            '<meta charset="utf-8">'
            f"<title>{_e(title)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")
