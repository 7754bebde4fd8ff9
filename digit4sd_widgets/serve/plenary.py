"""The plenary: a group's or a participant's work as a picture for the projector.

Each kind of work has a view made for a room reading a wall at a distance, in one screen
(1280 x 720 and up) with nothing to scroll:

- the **stakeholder matrix** as a real 2 x 2 plot: interest across, influence up, each
  stakeholder placed at its scores, coloured by kind, the four strategies named in their
  quadrants (:func:`stakeholder_svg`);
- the **implementation canvas** as one page of thirteen blocks, its text made as large as the
  screen allows (:func:`canvas_html`);
- the **KPIs** as large charts, up to four a screen, each with its baseline and target
  (:func:`kpi_html`).

The host steps through every group's and participant's work with "Next" and "Previous" (or
the arrow keys, as a presenter's remote sends), and the page takes in new saves by itself.
Everything a participant typed is escaped.

>>> from digit4sd_widgets.exercises import StakeholderMatrixModel
>>> m = StakeholderMatrixModel().with_added(name="<script>x</script>", kind="government",
...                                         influence=5, interest=5)
>>> svg = stakeholder_svg(m, "Group 1")
>>> "<script>" in svg, "&lt;script&gt;" in svg
(False, True)
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import i18n
from ..i18n import N_, _, ngettext
from .language import clock_attributes
from .workshop import Workshop, breakout_title, group_path, participant_files, read_doc

#: the kinds of work the projector views are made for, with their titles (shown through
#: ``_()``)
KINDS: dict[str, str] = {
    "stakeholder_matrix": N_("Stakeholder matrix"),
    "implementation_canvas": N_("Implementation canvas"),
    "kpi_builder": N_("Key performance indicators"),
}
KPIS_A_SCREEN = 4
REFRESH_SECONDS = 10

__all__ = ["KINDS", "Slide", "canvas_html", "kpi_html", "projector_html", "slides",
           "stakeholder_svg"]


# ------------------------------------------------------------------- the stakeholder plot
KIND_COLOURS = {"government": "#1f5fa8", "private sector": "#b45309",
                "civil society": "#2e8540", "academia": "#8e3fa8",
                "international partner": "#b00020"}
#: quadrant backgrounds light enough for dark text on a projector
QUADRANTS = {"keep satisfied": "#fdf3c4", "manage closely": "#fbd9c9",
             "monitor": "#eef1f3", "keep informed": "#dbe8f7"}
W, H = 1200, 640
LEFT, RIGHT, TOP, BOTTOM = 96, 12, 12, 112  # margins of the plot (axes, ticks, legend)
CELL_W = (W - LEFT - RIGHT) / 5
PLOT_H = H - TOP - BOTTOM
NAME_PX = 18
LINE_PX = 23
MIN_LINE_PX = 16  # 12.5 px type: the smallest a room reads on a projected 720 p screen
LABEL_PX = 30  # the strategy's name at the top of its quadrant
MIN_ROW = 48
#: characters of a name on one line of a cell (18 px type, about 0.62 em a character)
NAME_CHARS = int((CELL_W - 34) / (NAME_PX * 0.62))
#: the cell of each quadrant that carries the strategy's name: (influence, interest)
LABELLED = {(5, 1): "keep satisfied", (5, 4): "manage closely", (3, 1): "monitor",
            (3, 4): "keep informed"}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _x(interest: float) -> float:
    return LEFT + (interest - 0.5) * CELL_W


def _short(name: str, chars: int = NAME_CHARS) -> str:
    name = " ".join(name.split())
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def _lines(name: str, most: int, chars: int = NAME_CHARS) -> list[str]:
    """A name on at most ``most`` lines of ``chars``, broken between words; what does not
    fit ends in "…".

    >>> _lines("Ministry of Home Affairs and Civil Registration", 2, 19)
    ['Ministry of Home', 'Affairs and Civil…']
    """
    words, lines = " ".join(name.split()).split(" "), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if len(joined) <= chars or not lines[-1]:
            lines[-1] = joined
        elif len(lines) < most:
            lines.append(word)
        else:
            lines[-1] = lines[-1] + " " + word
            break
    shown = lines[:most]
    rest = " ".join(words)
    if " ".join(shown) != rest or len(shown[-1]) > chars:
        shown[-1] = _short(shown[-1] + " …", chars)
    return [_short(line, chars) for line in shown]


def _wanted(people: list) -> int:
    """Lines the names of a cell take at full size (a long name on two)."""
    return sum(1 if len(" ".join(s.name.split())) <= NAME_CHARS else 2 for s in people)


def _rows(cells: dict[tuple[int, int], list]) -> dict[int, tuple[float, float]]:
    """Influence score -> (top, height) of its row: each row as tall as its fullest cell
    needs, the room left shared out; when the names need more than the plot has, every row
    shrinks alike (and so does the type)."""
    need = {}
    for influence in range(1, 6):
        lines = [_wanted(cells.get((influence, i), [])) * LINE_PX
                 + (LABEL_PX if (influence, i) in LABELLED else 0) + 10 for i in range(1, 6)]
        need[influence] = max(MIN_ROW, *lines)
    total = sum(need.values())
    if total <= PLOT_H:
        extra = (PLOT_H - total) / 5
        heights = {k: v + extra for k, v in need.items()}
    else:
        heights = {k: v * PLOT_H / total for k, v in need.items()}
    rows, y = {}, TOP
    for influence in range(5, 0, -1):
        rows[influence] = (y, heights[influence])
        y += heights[influence]
    return rows


def stakeholder_svg(model, owner: str) -> str:
    """The stakeholder matrix as an SVG plot: interest (1-5) across, influence (1-5) up,
    each stakeholder a dot and its name in the cell of its scores; the strategies' quadrants
    split at 4 ("high"), as the exercise counts them. A row with many names is taller than
    an empty one: the scores keep their order, and every name stays readable."""
    from ..exercises.stakeholders import HIGH, kind_label, strategy_label
    from ..exercises.stakeholders import KINDS as STAKEHOLDER_KINDS

    e = html.escape
    cells: dict[tuple[int, int], list] = {}
    for s in model.stakeholders:
        cells.setdefault((s.influence, s.interest), []).append(s)
    rows = _rows(cells)
    right, bottom = W - RIGHT, H - BOTTOM
    split_x = _x(HIGH - 0.5)
    split_y = rows[HIGH - 1][0]  # the top of the highest "lower influence" row
    parts = [f'<svg class="d4-plot" viewBox="0 0 {W} {H}" role="img" '
             'aria-labelledby="d4-plot-title d4-plot-desc" preserveAspectRatio="xMidYMid meet" '
             'xmlns="http://www.w3.org/2000/svg">']
    def about(s) -> str:
        return _("{name}: influence {influence}, interest {interest}, {strategy}").format(
            name=s.name, influence=s.influence, interest=s.interest,
            strategy=strategy_label(s.strategy))

    words = "; ".join(about(s) for s in model.stakeholders) or _("no stakeholder yet")
    title = _("Stakeholder matrix of {owner}: influence by interest").format(owner=owner)
    parts.append(f'<title id="d4-plot-title">{e(title)}</title>'
                 f'<desc id="d4-plot-desc">{e(words)}.</desc>')
    boxes = (("keep satisfied", LEFT, TOP, split_x - LEFT, split_y - TOP),
             ("manage closely", split_x, TOP, right - split_x, split_y - TOP),
             ("monitor", LEFT, split_y, split_x - LEFT, bottom - split_y),
             ("keep informed", split_x, split_y, right - split_x, bottom - split_y))
    for strategy, x, y, w, h in boxes:
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                     f'fill="{QUADRANTS[strategy]}"/>')
    for i in range(1, 5):  # the grid between scores
        parts.append(f'<line x1="{_x(i + 0.5):.1f}" y1="{TOP}" x2="{_x(i + 0.5):.1f}" '
                     f'y2="{bottom}" stroke="#ffffff" stroke-width="2"/>')
        y = rows[i][0]
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                     'stroke="#ffffff" stroke-width="2"/>')
    parts.append(f'<line x1="{split_x:.1f}" y1="{TOP}" x2="{split_x:.1f}" y2="{bottom}" '
                 'stroke="#4b5563" stroke-width="3"/>'
                 f'<line x1="{LEFT}" y1="{split_y:.1f}" x2="{right}" y2="{split_y:.1f}" '
                 'stroke="#4b5563" stroke-width="3"/>'
                 f'<rect x="{LEFT}" y="{TOP}" width="{right - LEFT}" height="{bottom - TOP}" '
                 'fill="none" stroke="#4b5563" stroke-width="2"/>')
    # the scores on both axes, and what the axes are
    for score in range(1, 6):
        top, height = rows[score]
        parts.append(f'<text x="{_x(score):.1f}" y="{bottom + 28}" class="tick">{score}</text>'
                     f'<text x="{LEFT - 14}" y="{top + height / 2 + 7:.1f}" class="tick" '
                     f'text-anchor="end">{score}</text>')
    parts.append(f'<text x="{(LEFT + right) / 2:.1f}" y="{bottom + 58}" class="axis">'
                 + e(_("Interest")) + ' →</text>'
                 f'<text transform="translate(30 {(TOP + bottom) / 2:.1f}) rotate(-90)" '
                 'class="axis">' + e(_("Influence")) + ' →</text>')
    for (influence, interest), strategy in LABELLED.items():
        parts.append(f'<text x="{_x(interest - 0.5) + 10:.1f}" '
                     f'y="{rows[influence][0] + 24:.1f}" class="quad">'
                     f"{e(_capital(strategy_label(strategy)))}</text>")
    for (influence, interest), people in sorted(cells.items()):
        x0 = _x(interest - 0.5) + 8
        row_top, row_height = rows[influence]
        top = row_top + (LABEL_PX if (influence, interest) in LABELLED else 4)
        height = row_top + row_height - top - 4  # what the cell has for names
        # one line a name at the largest type that fits (13 px at least), a long name on
        # two while the cell has lines to spare; else the first names and how many more
        line = min(LINE_PX, height / len(people))
        shown = people
        if line < MIN_LINE_PX:
            line = MIN_LINE_PX
            shown = people[: max(int(height // line) - 1, 1)]
        size = line * NAME_PX / LINE_PX
        chars = int((CELL_W - 34) / (size * 0.62))
        spare = int(height // line) - len(shown)
        y = top + line * 0.8
        for s in shown:
            colour = KIND_COLOURS.get(s.kind, "#5f6b73")
            each = 2 if spare > 0 and len(" ".join(s.name.split())) > chars else 1
            spare -= each - 1
            words = _lines(s.name, each, chars)
            spans = "".join(f'<tspan x="{x0 + 22:.1f}" dy="{0 if n == 0 else line:.1f}">'
                            f"{e(text)}</tspan>" for n, text in enumerate(words))
            tip = _("{name} ({kind}): influence {influence}, interest {interest}, "
                    "{strategy}").format(name=s.name, kind=kind_label(s.kind),
                                         influence=s.influence, interest=s.interest,
                                         strategy=strategy_label(s.strategy))
            parts.append(f'<g><title>{e(tip)}</title>'
                         f'<circle cx="{x0 + 8:.1f}" cy="{y - size / 3:.1f}" '
                         f'r="{min(8.0, size / 2.4):.1f}" fill="{colour}"/>'
                         f'<text x="{x0 + 22:.1f}" y="{y:.1f}" class="name" '
                         f'font-size="{size:.1f}">{spans}</text></g>')
            y += line * len(words)
        if len(shown) < len(people):
            more = len(people) - len(shown)
            parts.append(f'<text x="{x0 + 22:.1f}" y="{y:.1f}" class="more" '
                         f'font-size="{size:.1f}">'
                         + e(ngettext("and {n} more", "and {n} more", more).format(n=more))
                         + "</text>")
    # the kinds' colours, below the plot
    x = LEFT
    for kind in STAKEHOLDER_KINDS:
        label = kind_label(kind)
        parts.append(f'<circle cx="{x + 8}" cy="{H - 20}" r="8" fill="{KIND_COLOURS[kind]}"/>'
                     f'<text x="{x + 22}" y="{H - 14}" class="legend">{e(label)}</text>')
        x += 44 + sum(6 if ch in "ilt fjr" else 11 for ch in label)
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------------------ canvas
#: the canvas blocks on a grid four wide, in reading order; the KPIs take the last row
CANVAS_ORDER = ("sdg_target", "problem", "users", "stakeholders", "activities",
                "services_channels", "data_infrastructure", "legal_policy",
                "resources_funding", "privacy_security", "leadership_change", "risks", "kpis")


def canvas_html(model) -> str:
    """The canvas as one page of blocks (the text of each escaped, its lines kept)."""
    from ..exercises.canvas import BLOCK_LABELS

    cells = []
    empty = html.escape(_("not filled in"))
    more = html.escape(_("… more in the dossier"))
    for n, key in enumerate(CANVAS_ORDER):
        text = model.blocks.get(key, "")
        body = html.escape(text) if text.strip() else f'<span class="empty">{empty}</span>'
        wide = " wide" if key == "kpis" else ""
        label = html.escape(_(BLOCK_LABELS[key]))
        cells.append(f'<section class="block{wide}" data-row="{n // 4}" aria-label="{label}" '
                     f'data-more="{more}">'
                     f"<h2>{label}</h2>"
                     f'<div class="text">{body}</div></section>')
    return '<div class="d4-canvas-grid">' + "".join(cells) + "</div>"


# -------------------------------------------------------------------------------- KPIs
PALETTE = ("#1f5fa8", "#e07b00", "#2e8540", "#8e3fa8", "#b00020")
#: the lines a KPI chart draws dashed: what is planned or projected, not measured (named
#: in the reader's language by the KPI's chart)
PROJECTED = (N_("Path to the target"), N_("Own past pace"), N_("Planned path"))
CW, CH = 820, 290
C_LEFT, C_RIGHT, C_TOP, C_BOTTOM = 78, 30, 14, 78


def _value(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _nice_top(value: float) -> float:
    """A round top for a value axis: 1, 2, 2.5, 5 or 10 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def _number(value: float, top: float) -> str:
    if top <= 1:
        return i18n.number(value, 2)
    return i18n.number(value, 0 if value == int(value) else 1)


def line_svg(columns: list[str], rows: list[list[str]], *, label: str, top: float | None
             ) -> str:
    """A line chart as SVG, drawn large for a projector from a chart's table of numbers
    (``columns``: the x label, then one name per line; ``rows``: one per x). ``label`` is
    what the chart shows, in words; ``top``: the top of the value axis (None: from the
    values)."""
    e = html.escape
    names = columns[1:]
    xs = [_value(r[0]) for r in rows]
    series = {n: [(x, _value(r[i + 1])) for x, r in zip(xs, rows, strict=True)
                  if x is not None and _value(r[i + 1]) is not None]
              for i, n in enumerate(names)}
    values = [v for points in series.values() for _, v in points]
    years = [x for x in xs if x is not None]
    if not values or not years:
        return '<p class="d4-empty">' + e(_("No figures to draw yet.")) + '</p>'
    projected = {_(name) for name in PROJECTED} | set(PROJECTED)
    top = top if top is not None else _nice_top(max(values))
    top = max(top, max(values))
    x0, x1 = min(years), max(years)
    span = max(x1 - x0, 1)
    left, right, bottom = C_LEFT, CW - C_RIGHT, CH - C_BOTTOM

    def px(x: float) -> float:
        return left + (x - x0) / span * (right - left)

    def py(v: float) -> float:
        return bottom - v / top * (bottom - C_TOP)

    parts = [f'<svg class="d4-chart" viewBox="0 0 {CW} {CH}" role="img" aria-label="{e(label)}" '
             'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        v = top * i / 4
        parts.append(f'<line x1="{left}" x2="{right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                     f'stroke="{"#6b7280" if i == 0 else "#e5e7eb"}" stroke-width="1.5"/>'
                     f'<text x="{left - 8}" y="{py(v) + 7:.1f}" class="c-tick" '
                     f'text-anchor="end">{_number(v, top)}</text>')
    step = next(k for k in (1, 2, 5, 10, 20) if span / k <= 6)
    first = math.ceil(x0 / step) * step
    for year in range(int(first), int(x1) + 1, step):
        parts.append(f'<text x="{px(year):.1f}" y="{bottom + 27}" class="c-tick" '
                     f'text-anchor="middle">{year}</text>')
    legend_x = left
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        dash = ' stroke-dasharray="9 6"' if name in projected else ""
        if points:
            path = " ".join(f"{px(x):.1f},{py(v):.1f}" for x, v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="{4 if n == 0 else 3}"{dash}/>')
            parts += [f'<circle cx="{px(x):.1f}" cy="{py(v):.1f}" r="4.5" fill="{colour}"/>'
                      for x, v in points]
        if len(series) > 1 or name in projected:
            parts.append(f'<line x1="{legend_x}" x2="{legend_x + 34}" y1="{CH - 14}" '
                         f'y2="{CH - 14}" stroke="{colour}" stroke-width="4"{dash}/>'
                         f'<text x="{legend_x + 42}" y="{CH - 7}" class="c-legend">'
                         f"{e(name)}</text>")
            legend_x += 64 + len(name) * 10.5
    parts.append("</svg>")
    return "".join(parts)


def kpi_html(model, page: int = 1) -> str:
    """Up to :data:`KPIS_A_SCREEN` KPIs of the list (screen ``page``) as large charts, each
    with its baseline, target and the pace it needs."""
    from ..exercises.kpi import is_percent, kpi_words, upper_bound

    kpis = list(model.kpis)[(page - 1) * KPIS_A_SCREEN: page * KPIS_A_SCREEN]
    cards = []
    for k in kpis:
        try:
            alt, columns, rows = kpi_words(k)
            top = (upper_bound(k.indicator) if not k.is_project
                   else 100.0 if is_percent(k.unit) else None)
            chart = line_svg(columns, rows, label=alt, top=top)
        except Exception:  # a chart that cannot be drawn: the figures still show
            chart = ""
        figures = html.escape(_("{baseline} in {baseline_year} → {target} by {target_year}")
                              ).format(baseline=html.escape(k.show(k.baseline)),
                                       baseline_year=k.baseline_year,
                                       target=f"<b>{html.escape(k.show(k.target))}</b>",
                                       target_year=k.target_year)
        cards.append(
            f'<section class="kpi"><h2>{html.escape(k.name)}</h2>'
            f'<p class="figures">{figures}'
            f' <span class="pace">({html.escape(k.show_change(k.required_change))})'
            f"</span></p>{chart}</section>")
    return f'<div class="d4-kpis n{len(kpis)}">' + "".join(cards) + "</div>"


# ------------------------------------------------------------------------- the slides
@dataclass(frozen=True)
class Slide:
    """One screen of the plenary: whose work (``"g"`` a group, ``"p"`` a participant), of
    which kind, which screen of it."""

    kind: str
    owner: str  # "g" or "p"
    id: str  # group id or participant code
    label: str  # "Group 2" or the participant's code
    page: int = 1
    pages: int = 1

    @property
    def url(self) -> str:
        tail = f"/{self.page}" if self.page > 1 else ""
        return f"/host/plenary/{self.kind}/{self.owner}/{self.id}{tail}"


def _model(doc: dict[str, Any] | None, kind: str):
    """The newest saved answer of ``kind`` in a workbook, as its model (``None``: no work
    of that kind, or none that can be read)."""
    from ..exercises import EXERCISES

    if not doc or not isinstance(doc.get("answers"), dict) or kind not in EXERCISES:
        return None
    entries = [e for e in doc["answers"].values()
               if isinstance(e, dict) and e.get("kind") == kind]
    if not entries:
        return None
    newest = max(entries, key=lambda e: str(e.get("saved", "")))
    try:
        model = EXERCISES[kind][0].from_dict(newest.get("data"))
    except Exception:
        return None
    filled = {"stakeholder_matrix": lambda m: bool(m.stakeholders),
              "implementation_canvas": lambda m: bool(m.filled() or m.name.strip()),
              "kpi_builder": lambda m: bool(m.kpis)}
    return model if filled.get(kind, lambda m: True)(model) else None


def _pages(kind: str, model) -> int:
    if kind == "kpi_builder":
        return max(1, math.ceil(len(model.kpis) / KPIS_A_SCREEN))
    return 1


def slides(room: Path, kind: str) -> list[Slide]:
    """Every screen of work of ``kind`` in the room: the groups (the current breakout's
    first), then the participants, by code."""
    room = Path(room)
    out: list[Slide] = []
    workshop = Workshop.load(room)
    for _module, group in workshop.all_groups():
        model = _model(read_doc(group_path(room, group.id)), kind)
        if model is not None:
            pages = _pages(kind, model)
            out += [Slide(kind, "g", group.id, group.name, n, pages) for n in range(1, pages + 1)]
    for path in participant_files(room):
        model = _model(read_doc(path), kind)
        if model is not None:
            pages = _pages(kind, model)
            out += [Slide(kind, "p", path.stem, path.stem, n, pages)
                    for n in range(1, pages + 1)]
    return out


_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
       sans-serif; color: #111827; background: #fff; display: flex; flex-direction: column;
       overflow: hidden; }
header.bar { display: flex; align-items: center; gap: 8px 20px; flex-wrap: wrap;
             padding: 6px 16px; background: #1f4e79; color: #fff; }
header.bar h1 { font-size: 24px; margin: 0; }
header.bar p { margin: 0; font-size: 16px; }
header.bar .who { flex: 1 1 24rem; min-width: 0; }
header.bar nav { display: flex; gap: 12px; align-items: center; font-size: 18px; }
header.bar a { color: #fff; padding: 6px 4px; }
header.bar a:focus-visible, header.bar button:focus-visible { outline: 3px solid #fbbf24;
  outline-offset: 2px; }
header.bar button { font-size: 16px; padding: 4px 10px; }
.d4-clock { font-size: 20px; font-weight: bold; background: #fff; color: #1f4e79;
            border-radius: 4px; padding: 2px 10px; }
.d4-clock[hidden] { display: none; }
main { flex: 1 1 auto; min-height: 0; padding: 8px 16px 12px; display: flex;
       flex-direction: column; }
main > * { flex: 1 1 auto; min-height: 0; }
.d4-plot { width: 100%; height: 100%; display: block; }
/* the plots' geometry runs left to right in every language */
.d4-plot, .d4-chart { direction: ltr; }
.d4-plot text { font-family: inherit; fill: #111827; }
.d4-plot .tick { font-size: 20px; text-anchor: middle; }
.d4-plot .axis { font-size: 22px; font-weight: bold; text-anchor: middle; }
.d4-plot .quad { font-size: 22px; font-weight: bold; fill: #374151; }
.d4-plot .more { font-style: italic; }
.d4-plot .legend { font-size: 18px; }
.d4-canvas-grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr));
                  grid-template-rows: repeat(4, minmax(0, 1fr)); gap: 6px; height: 100%; }
.d4-canvas-grid .block { border: 2px solid #9ca3af; border-radius: 4px; padding: 4px 8px;
                         overflow: hidden; min-height: 0; min-width: 0; }
.d4-canvas-grid .block.wide { grid-column: 1 / -1; }
.d4-canvas-grid h2 { font-size: 18px; margin: 0 0 2px; color: #1f4e79; }
.d4-canvas-grid .text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.25; }
.d4-canvas-grid .empty { color: #4b5563; font-style: italic; }
.d4-canvas-grid .block { position: relative; }
.d4-canvas-grid .block.cut::after { content: attr(data-more); position: absolute;
  inset-inline: 0; bottom: 0; padding: 2px 8px; text-align: end; font-size: 14px;
  font-style: italic; background: linear-gradient(to bottom, rgba(255,255,255,0.6), #fff 40%); }
.d4-kpis { display: grid; gap: 10px; height: 100%; grid-template-columns: 1fr; }
.d4-kpis.n2, .d4-kpis.n3, .d4-kpis.n4 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.d4-kpis.n3, .d4-kpis.n4 { grid-template-rows: repeat(2, minmax(0, 1fr)); }
.d4-kpis .kpi { display: flex; flex-direction: column; min-height: 0; min-width: 0;
                border: 2px solid #d1d5db; border-radius: 6px; padding: 6px 10px; }
.d4-kpis h2 { font-size: 22px; margin: 0; }
.d4-kpis .figures { font-size: 20px; margin: 2px 0 4px; }
.d4-kpis .pace { color: #374151; font-size: 17px; }
.d4-kpis .d4-chart { flex: 1 1 auto; min-height: 0; width: 100%; display: block; }
.d4-chart text { font-family: inherit; fill: #111827; }
.d4-chart .c-tick { font-size: 21px; }
.d4-chart .c-legend { font-size: 20px; }
.d4-empty { font-size: 24px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
           clip: rect(0 0 0 0); white-space: nowrap; }
/* a phone or a small window: the page scrolls, one column */
@media (max-width: 900px), (max-height: 480px) {
  body { overflow: auto; height: auto; display: block; }
  main { display: block; }
  .d4-plot { height: auto; }
  .d4-canvas-grid { display: block; height: auto; }
  .d4-canvas-grid .block { margin-bottom: 6px; }
  .d4-kpis, .d4-kpis.n2, .d4-kpis.n3, .d4-kpis.n4 { display: block; height: auto; }
  .d4-kpis .kpi { margin-bottom: 8px; }
  .d4-kpis .d4-chart { height: auto; }
  header.bar nav a { display: inline-block; padding: 10px 4px; }
}
"""

_SCRIPT = """
(function () {
  'use strict';
  var REFRESH = %(refresh)d * 1000;
  function fit() {
    // the canvas: each row of blocks as tall as its text needs, then each block's text as
    // large as the block allows with all of it shown
    var grid = document.querySelector('.d4-canvas-grid');
    if (!grid) { return; }
    var blocks = Array.prototype.slice.call(grid.querySelectorAll('.block'));
    if (getComputedStyle(grid).display !== 'grid') {
      grid.style.gridTemplateRows = '';
      blocks.forEach(function (b) { b.querySelector('.text').style.fontSize = ''; });
      return;
    }
    function over(block) { return block.scrollHeight > block.clientHeight + 1; }
    // what each row needs at a common size: measured with the rows as tall as the text
    var rows = 1;
    blocks.forEach(function (b) {
      rows = Math.max(rows, parseInt(b.getAttribute('data-row'), 10) + 1);
    });
    grid.style.gridTemplateRows = 'repeat(' + rows + ', max-content)';
    var need = [];
    for (var r = 0; r < rows; r += 1) { need.push(0); }
    blocks.forEach(function (block) {
      block.querySelector('.text').style.fontSize = '18px';
      var row = parseInt(block.getAttribute('data-row'), 10);
      need[row] = Math.max(need[row], block.scrollHeight);
    });
    var total = need.reduce(function (a, b) { return a + b; }, 0);
    grid.style.gridTemplateRows = need.map(function (n) {
      return 'minmax(0, ' + Math.max(n, total / (2 * rows)) + 'fr)';
    }).join(' ');
    var smallest = 99;
    blocks.forEach(function (block) {
      var text = block.querySelector('.text'), size = 22;
      text.style.fontSize = size + 'px';
      while (over(block) && size > 10) { size -= 1; text.style.fontSize = size + 'px'; }
      block.setAttribute('data-font', String(size));
      // text too long for any readable size: the block says so (the dossier has it all)
      block.classList.toggle('cut', over(block));
      smallest = Math.min(smallest, size);
    });
    grid.setAttribute('data-font', String(smallest));
  }
  function go(rel) {
    var a = document.querySelector('a[rel="' + rel + '"]');
    if (a) { location.href = a.href; }
  }
  // right to left: the arrow that points ahead is the left one
  var rtl = document.documentElement.dir === 'rtl';
  var ahead = rtl ? 'ArrowLeft' : 'ArrowRight', back = rtl ? 'ArrowRight' : 'ArrowLeft';
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if ([ahead, 'PageDown', ' '].indexOf(ev.key) >= 0) { ev.preventDefault(); go('next'); }
    if ([back, 'PageUp'].indexOf(ev.key) >= 0) { ev.preventDefault(); go('prev'); }
    if (ev.key === 'f' && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  });
  function refresh() {
    fetch(location.href, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (!text) { return; }
        var fresh = new DOMParser().parseFromString(text, 'text/html');
        ['main', 'header.bar .who', 'header.bar nav'].forEach(function (sel) {
          var now = document.querySelector(sel), then = fresh.querySelector(sel);
          if (now && then && now.innerHTML !== then.innerHTML) {
            now.innerHTML = then.innerHTML;
          }
        });
        fit();
      })
      .catch(function () { /* the server is busy: next time */ });
  }
  window.addEventListener('resize', fit);
  window.addEventListener('load', fit);
  fit();
  setInterval(refresh, REFRESH);
  window.d4_fit = fit;
})();
"""


def _members_line(room: Path, slide: Slide) -> str:
    if slide.owner != "g":
        doc = read_doc(Path(room) / "participants" / f"{slide.id}.json")
        case = (doc or {}).get("case") or {}
        area = case.get("target_area") if isinstance(case, dict) else ""
        if not (isinstance(area, str) and area):
            return ""
        return "<p>{}</p>".format(html.escape(_("Target area: {area}").format(area=area)))
    workshop = Workshop.load(room)
    found = next(((m, g) for m, g in workshop.all_groups() if g.id == slide.id), None)
    if found is None:
        return ""
    module, group = found
    parts = [breakout_title(module),
             _("Members: {names}").format(names=", ".join(group.members))]
    if group.moderator:
        parts.append(_("Moderator: {name}").format(name=group.moderator))
    return "<p>{}</p>".format(html.escape(" · ".join(parts)))


def projector_html(room: Path, kind: str, owner: str, owner_id: str, page: int = 1,
                   *, clock_js: str = "") -> str | None:
    """The plenary screen of one group's or participant's work (``None``: no such work)."""
    if kind not in KINDS:
        return None
    every = slides(room, kind)
    here = next((i for i, s in enumerate(every)
                 if (s.owner, s.id, s.page) == (owner, owner_id, page)), None)
    if here is None:
        return None
    slide = every[here]
    path = (group_path(room, owner_id) if owner == "g"
            else Path(room) / "participants" / f"{owner_id}.json")
    model = _model(read_doc(path), kind)
    if model is None:
        return None
    if kind == "stakeholder_matrix":
        body = stakeholder_svg(model, slide.label)
    elif kind == "implementation_canvas":
        body = canvas_html(model)
    else:
        body = kpi_html(model, page)
    e = html.escape
    title = _(KINDS[kind])
    if kind == "implementation_canvas" and model.name.strip():
        title = _("{title}: {name}").format(title=title, name=model.name.strip())
    heading = _("{owner}: {work}").format(owner=slide.label, work=title)
    if slide.pages > 1:
        heading = _("{title} ({screen} of {screens})").format(title=heading, screen=slide.page,
                                                             screens=slide.pages)
    lang, direction = i18n.get_language(), i18n.direction()
    back, forward = ("←", "→") if direction == "ltr" else ("→", "←")
    prev = every[here - 1] if here > 0 else None
    nxt = every[here + 1] if here + 1 < len(every) else None
    nav = ((f'<a rel="prev" href="{prev.url}">{back} ' + e(_("Previous")) + '</a>' if prev else "")
           + "<span>{}</span>".format(e(_("{number} of {count}").format(number=here + 1,
                                                                        count=len(every))))
           + (f'<a rel="next" href="{nxt.url}">' + e(_("Next")) + f' {forward}</a>' if nxt else "")
           + '<a href="/host/plenary">' + e(_("All work")) + '</a>')
    head = (f'<header class="bar"><div class="who"><h1>{e(heading)}</h1>'
            f"{_members_line(room, slide)}</div>"
            f'<div id="d4-clock" class="d4-clock" role="timer" hidden data-base="/" '
            f"{clock_attributes()}></div>"
            '<nav aria-label="' + e(_("Plenary")) + f'">{nav}</nav></header>')
    page_title = _("{owner}: {work}").format(owner=slide.label, work=_(KINDS[kind]))
    return (f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(page_title)}</title>"
            f"<style>{_CSS}</style></head><body>{head}<main>{body}</main>"
            f"<script>{_SCRIPT % {'refresh': REFRESH_SECONDS}}</script>"
            f"<script>{clock_js}</script></body></html>")


def plenary_index(room: Path) -> str:
    """The links to every screen of work, by kind (HTML for a room page)."""
    e = html.escape
    parts = []
    for kind, title in KINDS.items():
        every = [s for s in slides(room, kind) if s.page == 1]
        groups = [s for s in every if s.owner == "g"]
        people = [s for s in every if s.owner == "p"]
        links = []
        for label, items in ((_("Groups:"), groups), (_("Participants:"), people)):
            if items:
                links.append(f"<p><b>{e(label)}</b> " + " · ".join(
                    f'<a href="{s.url}">{e(s.label)}</a>' for s in items) + "</p>")
        parts.append("<h2>" + e(_(title)) + "</h2>"
                     + ("".join(links) or "<p>" + e(_('Nothing saved yet.')) + "</p>"))
    return "".join(parts)
