"""Charts as PNG images, drawn with matplotlib's Agg renderer.

A PNG needs no script, font or map from the internet: it shows the same in JupyterLab, in a
Voila app, in a static HTML export and on paper. Figures are drawn with the object API
(no pyplot, no global state), so this works in any kernel and under any backend.

>>> png = line_chart({"Bangladesh": ([2020, 2022, 2024], [0.52, 0.56, 0.66])}, title="EGDI")
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import base64
import io
import math
import re
import warnings
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from .i18n import SOURCE, _, get_language, pgettext
from .i18n import number as _local_number

PALETTE = ("#1f5fa8", "#e07b00", "#2e8540", "#8e3fa8", "#b00020", "#5f6b73", "#00838f")
DPI = 80
SIZE = (6.4, 3.2)


# Room around the axes, in inches, whatever the figure's size: the widest tick label ("1.00",
# "100") with the y label on the left, half a tick label ("2025") on the right, one line of
# tick labels below. Fixed margins: a layout engine would double the drawing time.
MARGINS = {"left": 0.72, "right": 0.32, "top": 0.4, "bottom": 0.42}
TICK_LINE = 0.17  # inches for each further line of a tick label ("Technology\n(not rated)")
LEGEND_FONT = 8
LEGEND_ROW = 0.19  # inches per row of a legend below the axes


def _fit(fig: Figure, legend_rows: int = 0, tick_lines: int = 1) -> None:
    """Size the figure and its margins so that nothing is clipped: the plot keeps its size,
    the figure grows downwards for tick labels of several lines and for a legend below."""
    width, height = fig._d4_size  # type: ignore[attr-defined]
    ticks = max(tick_lines - 1, 0) * TICK_LINE
    legend = legend_rows * LEGEND_ROW + 0.08 if legend_rows else 0.0
    height += ticks + legend
    if tuple(fig.get_size_inches()) != (width, height):
        fig.set_size_inches(width, height)
    fig.subplots_adjust(left=MARGINS["left"] / width, right=1 - MARGINS["right"] / width,
                        top=1 - MARGINS["top"] / height,
                        bottom=(MARGINS["bottom"] + ticks + legend) / height)
    fig._d4_legend_top = legend / height  # type: ignore[attr-defined]


_DECIMAL = re.compile(r"\d+\.\d+")


class TickFormatter(ScalarFormatter):
    """matplotlib's tick labels, with the decimals in the reader's form ("0,25" in French)
    when the chart is drawn; whole numbers (years) stay as they are.

    >>> from digit4sd_widgets.i18n import language
    >>> fig, ax = _figure(); ticks = ax.set_yticks([0, 0.25, 0.5]); lim = ax.set_ylim(0, 0.5)
    >>> with language("fr"):
    ...     fig.canvas.draw(); [label.get_text() for label in ax.get_yticklabels()]
    ['0,00', '0,25', '0,50']
    """

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        if get_language() == SOURCE or "." not in label:
            return label
        return _DECIMAL.sub(
            lambda m: _local_number(float(m[0]), len(m[0].partition(".")[2])), label)


def _figure(size: tuple[float, float] = SIZE) -> tuple[Figure, object]:
    fig = Figure(figsize=size, dpi=DPI)
    fig._d4_size = tuple(size)  # type: ignore[attr-defined]
    _fit(fig)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.xaxis.set_major_formatter(TickFormatter())
    ax.yaxis.set_major_formatter(TickFormatter())
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


def _legend_shape(fig: Figure, labels: Sequence[str]) -> tuple[int, int]:
    """(columns, rows) of a legend below the axes that fits the figure's width."""
    if len(labels) < 2:
        return 0, 0
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=LEGEND_FONT)
    em = LEGEND_FONT * fig.dpi / 72
    # handle (2 em), gap to the text (0.8 em) and space to the next column (2 em)
    widest = max(renderer.get_text_width_height_descent(str(label), prop, ismath=False)[0]
                 for label in labels) + 4.8 * em
    room = (fig.get_size_inches()[0] - MARGINS["left"] + 0.2) * fig.dpi
    columns = max(1, min(len(labels), int(room // widest)))
    return columns, math.ceil(len(labels) / columns)


def _legend_below(ax, columns: int):
    """A legend under the tick labels, outside the plot: it never covers a line or a bar."""
    fig = ax.figure
    return ax.legend(fontsize=LEGEND_FONT, frameon=False, loc="upper left", ncol=columns,
                     bbox_to_anchor=(MARGINS["left"] / fig.get_size_inches()[0] - 0.01,
                                     fig._d4_legend_top),
                     bbox_transform=fig.transFigure, borderaxespad=0, borderpad=0,
                     columnspacing=2.0)


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # names in scripts the bundled font lacks (Bengali, Amharic...) draw as boxes;
        # the table next to each chart shows them properly
        warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
        # light compression: encoding at the default level costs more than drawing the chart
        fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _clean(xs: Sequence[float], ys: Sequence[float]) -> tuple[list[float], list[float]]:
    """Missing values become NaN and stay in place, so the line shows a gap there rather
    than a straight bridge over editions with no figure."""
    return list(xs), [math.nan if y is None else float(y) for y in ys]


def line_chart(series: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
               title: str = "", ylabel: str = "", ylim: tuple[float, float] | None = None,
               dashed: Sequence[str] = (), markers: bool = True,
               hline: float | None = None) -> bytes:
    """One line per named series; missing values are skipped. Returns PNG bytes."""
    fig, ax = _figure()
    for i, (label, (xs, ys)) in enumerate(series.items()):
        xs, ys = _clean(xs, ys)
        ax.plot(xs, ys, label=label, color=PALETTE[i % len(PALETTE)],
                linestyle="--" if label in dashed else "-", marker="o" if markers else None,
                markersize=4, linewidth=2 if i == 0 else 1.4)
    if hline is not None:
        ax.axhline(hline, color="#5f6b73", linewidth=0.8, linestyle=":")
    _finish(ax, title, ylabel, ylim, legend=len(series) > 1)
    return to_png(fig)


def bar_chart(labels: Sequence[str], groups: Mapping[str, Sequence[float]], *,
              title: str = "", ylabel: str = "", ylim: tuple[float, float] | None = (0, 1),
              highlight: str | None = None) -> bytes:
    """Grouped bars: one group of bars per label, one colour per named group."""
    fig, ax = _figure()
    n = max(len(groups), 1)
    width = 0.8 / n
    for i, (name, values) in enumerate(groups.items()):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(labels))]
        vals = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else v
                for v in values]
        bars = ax.bar(xs, vals, width=width * 0.95, label=name,
                      color=PALETTE[i % len(PALETTE)])
        if highlight is not None:
            for label, bar in zip(labels, bars, strict=True):
                if label == highlight:
                    bar.set_edgecolor("#000000")
                    bar.set_linewidth(1.5)
    ax.set_xticks(range(len(labels)), labels)
    fig._d4_tick_lines = max([1, *(str(label).count("\n") + 1 for label in labels)])
    _finish(ax, title, ylabel, ylim, legend=len(groups) > 1)
    return to_png(fig)


def _finish(ax, title: str, ylabel: str, ylim, legend: bool) -> None:
    if title:
        # a fixed title position: matplotlib otherwise measures every tick label to place it
        ax.set_title(title, fontsize=11, loc="left", y=1.0, pad=6)
    if ylabel:
        ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
        if ylim == (0, 1):
            ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    fig = ax.figure
    # an x label takes one more line below the tick labels
    tick_lines = getattr(fig, "_d4_tick_lines", 1) + (1 if ax.get_xlabel() else 0)
    if legend and hasattr(fig, "_d4_size"):
        labels = [h for h in ax.get_legend_handles_labels()[1] if not h.startswith("_")]
        columns, rows = _legend_shape(fig, labels)
        _fit(fig, rows, tick_lines)
        if rows:
            _legend_below(ax, columns)
    elif legend:
        ax.legend(fontsize=LEGEND_FONT, frameon=False, loc="upper left")
    elif tick_lines > 1 and hasattr(fig, "_d4_size"):
        _fit(fig, 0, tick_lines)


def png_width(png: bytes) -> str:
    """A PNG's own width in CSS pixels, read from its header (shown at its own size: a
    stretched PNG blurs; narrower screens shrink it).

    >>> png_width(line_chart({"Nepal": ([2003, 2024], [0.2, 0.5])}))
    '512px'
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return f"{int(SIZE[0] * DPI)}px"
    return f"{int.from_bytes(png[16:20], 'big')}px"


def _number(value: float | None, digits: int) -> str:
    """A figure in the reader's form ("0.50", "0,50"); whole numbers from 10 up and figures
    with no decimals (years, counts) as they are, never grouped ("2026", not "2,026")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("no data")
    value = float(value)
    if value.is_integer() and abs(value) >= 10:
        return str(int(value))
    return f"{value:.0f}" if digits <= 0 else _local_number(value, digits)


def describe_lines(series: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
                   title: str = "", digits: int = 2) -> str:
    """What a line chart shows, in words for a screen reader: each line's first and last
    value and the change between them.

    >>> describe_lines({"Nepal": ([2003, 2024], [0.2, 0.5])}, title="EGDI")
    'Line chart: EGDI. Nepal: 0.20 in 2003, 0.50 in 2024 (up 0.30).'
    """
    parts = [_("Line chart: {title}.").format(title=title) if title else _("Line chart.")]
    for name, (xs, ys) in series.items():
        points = [(x, float(y)) for x, y in zip(xs, ys, strict=False)
                  if y is not None and not (isinstance(y, float) and math.isnan(y))]
        if not points:
            parts.append(_("{name}: no data.").format(name=name))
            continue
        (x0, y0), (x1, y1) = points[0], points[-1]
        if len(points) == 1:
            parts.append(_("{name}: {value} in {year}.").format(
                name=name, value=_number(y0, digits), year=_number(x0, 0)))
            continue
        change = y1 - y0
        shown = _number(abs(change), digits)
        trend = (_("no change") if round(change, digits) == 0 else
                 _("up {change}").format(change=shown) if change > 0 else
                 _("down {change}").format(change=shown))
        parts.append(_("{name}: {first} in {first_year}, {last} in {last_year} ({trend}).")
                     .format(name=name, first=_number(y0, digits), first_year=_number(x0, 0),
                             last=_number(y1, digits), last_year=_number(x1, 0),
                             trend=trend))
    return " ".join(parts)


def lines_table(series: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
                x_label: str | None = None, digits: int = 3
                ) -> tuple[list[str], list[list[str]]]:
    """The numbers of a line chart as (columns, rows): one row per x, one column per line
    (``x_label`` heads the first column: "Year" unless said)."""
    xs = sorted({x for x_values, _y in series.values() for x in x_values})
    values = {name: dict(zip(x_values, y_values, strict=False))
              for name, (x_values, y_values) in series.items()}
    rows = [[_number(x, 0), *(_number(values[name].get(x), digits) for name in series)]
            for x in xs]
    return [_("Year") if x_label is None else x_label, *series], rows


def describe_bars(labels: Sequence[str], groups: Mapping[str, Sequence[float | None]], *,
                  title: str = "", digits: int = 2) -> str:
    """What a bar chart shows, in words: every bar's value.

    >>> describe_bars(["OSI", "HCI"], {"Nepal": [0.5, 0.6]}, title="Components")
    'Bar chart: Components. Nepal: OSI 0.50, HCI 0.60.'
    """
    parts = [_("Bar chart: {title}.").format(title=title) if title else _("Bar chart.")]
    # Translators: between two bars' values in a chart's description ("OSI 0.50, HCI 0.60")
    between = pgettext("between bars", ", ")
    for name, values in groups.items():
        shown = between.join(_("{label} {value}").format(label=label,
                                                         value=_number(v, digits))
                             for label, v in zip(labels, values, strict=False))
        parts.append(_("{name}: {values}.").format(name=name, values=shown))
    return " ".join(parts)


def bars_table(labels: Sequence[str], groups: Mapping[str, Sequence[float | None]], *,
               label: str = "", digits: int = 3) -> tuple[list[str], list[list[str]]]:
    """The numbers of a bar chart as (columns, rows): one row per label, one column per
    group."""
    rows = [[str(name), *(_number(values[j] if j < len(values) else None, digits)
                          for values in groups.values())]
            for j, name in enumerate(labels)]
    return [label or _("Measure"), *groups], rows


def numbers_html(columns: Sequence[str], rows: Sequence[Sequence[str]], *,
                 summary: str | None = None) -> str:
    """A chart's numbers as a real table behind a "show" control (escaped)."""
    import html as _html

    if not rows:
        return ""
    if summary is None:
        summary = _("The numbers in this chart")
    labels = [_html.escape(str(c)) for c in columns]
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    def cell(i: int, value: object) -> str:
        if i == 0:
            return f'<th scope="row">{_html.escape(str(value))}</th>'
        label = labels[i] if i < len(labels) else ""
        opening = f'<td data-label="{label}">' if label else "<td>"
        return f"{opening}{_html.escape(str(value))}</td>"

    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    return (f'<details class="d4-numbers"><summary>{_html.escape(summary)}</summary>'
            f'<table class="d4-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            "</table></details>")


class Chart(widgets.VBox):
    """A chart that everyone can read: the picture, alternative text that says what it
    shows (the country, the figure, the trend), and its numbers one step away as a real
    table. With no picture, nothing is shown (never a broken image).

    >>> chart = Chart()
    >>> chart.lines({"Nepal": ([2003, 2024], [0.2, 0.5])}, title="EGDI")
    >>> chart.value[:4] == b"\\x89PNG", chart.alt
    (True, 'Line chart: EGDI. Nepal: 0.20 in 2003, 0.50 in 2024 (up 0.30).')
    """

    def __init__(self, png: bytes = b"", alt: str = "", *, width: str | None = None):
        # the picture is an <img> with its alternative text: ipywidgets' Image has no alt,
        # and its front end fails to draw an Image that has a tooltip
        self.image = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        self.width = width
        self.numbers = widgets.HTML()
        super().__init__([self.image, self.numbers])
        self.add_class("d4-chart")
        self.alt = ""
        self._png = b""
        self.show(png, alt)

    @property
    def value(self) -> bytes:
        """The PNG shown now (``b""`` when none)."""
        return self._png

    def show(self, png: bytes, alt: str, columns: Sequence[str] = (),
             rows: Sequence[Sequence[str]] = ()) -> None:
        """Show ``png`` described by ``alt``, with its numbers as a table when given."""
        import html as _html

        self._png = bytes(png or b"")
        self.alt = alt if png else ""
        self.image.value = (
            f'<img class="d4-chart-img" alt="{_html.escape(self.alt)}" '
            f'src="data:image/png;base64,{base64.b64encode(self._png).decode("ascii")}" '
            f'style="width:{self.width or png_width(self._png)};max-width:100%;height:auto">'
            if png else "")
        self.image.layout.display = None if png else "none"
        self.numbers.value = numbers_html(columns, rows) if png else ""

    def lines(self, series: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
              title: str = "", digits: int = 2, png: bytes | None = None,
              x_label: str | None = None, **kwargs) -> None:
        """Draw a line chart (or show ``png`` drawn from the same series) and describe it."""
        if png is None:
            png = line_chart(series, title=title, **kwargs)
        self.show(png, describe_lines(series, title=title, digits=digits),
                  *lines_table(series, x_label=x_label, digits=max(digits, 3)))

    def bars(self, labels: Sequence[str], groups: Mapping[str, Sequence[float | None]], *,
             title: str = "", digits: int = 2, png: bytes | None = None, label: str = "",
             **kwargs) -> None:
        """Draw a grouped bar chart (or show ``png``) and describe it; ``label`` heads the
        table's first column (what the bars are: "Component", "Layer"...)."""
        if png is None:
            png = bar_chart(labels, groups, title=title, **kwargs)
        self.show(png, describe_bars(labels, groups, title=title, digits=digits),
                  *bars_table(labels, groups, label=label, digits=max(digits, 3)))


def html_bars(labels: Sequence[str], groups: Mapping[str, Sequence[float | None]], *,
              title: str = "", scale: float = 1.0, digits: int = 3) -> str:
    """Grouped horizontal bars drawn with plain HTML (no image, no script): instant to
    redraw, sharp at any zoom, and readable by screen readers. Every text is escaped.

    >>> "width:50.0%" in html_bars(["OSI"], {"Nepal": [0.5]})
    True
    """
    import html as _html

    legend = "".join(
        f'<span style="margin-right:12px"><span style="display:inline-block;width:10px;'
        f'height:10px;background:{PALETTE[i % len(PALETTE)]};margin-right:4px"></span>'
        f"{_html.escape(name)}</span>"
        for i, name in enumerate(groups))
    rows = []
    for j, label in enumerate(labels):
        rows.append(f'<div style="font-weight:bold;margin-top:6px">{_html.escape(label)}</div>')
        for i, (name, values) in enumerate(groups.items()):
            v = values[j]
            missing = v is None or (isinstance(v, float) and math.isnan(v))
            pct = 0.0 if missing else max(0.0, min(100.0, 100.0 * float(v) / scale))
            shown = _("no data") if missing else _local_number(float(v), digits)
            rows.append(
                '<div style="display:flex;align-items:center;gap:6px;font-size:12px">'
                f'<span style="width:9em;overflow:hidden;white-space:nowrap">'
                f"{_html.escape(name)}</span>"
                '<span style="flex:1;background:#eef1f4;height:12px">'
                f'<span style="display:block;height:12px;width:{pct:.1f}%;'
                f'background:{PALETTE[i % len(PALETTE)]}"></span></span>'
                f'<span style="width:4.5em;text-align:right">{shown}</span></div>')
    head = (f'<div style="font-size:14px;margin-bottom:4px">{_html.escape(title)}</div>'
            if title else "")
    return (f'<div class="d4-bars" style="min-width:280px;max-width:520px">{head}'
            f'<div style="font-size:12px">{legend}</div>{"".join(rows)}</div>')


class LineChart:
    """A line chart kept between redraws, drawn by blitting.

    The axes, ticks and grid are drawn once into a background; a redraw restores that
    background and draws only the lines, the title and the legend, then encodes the PNG.
    Drawing text is most of matplotlib's cost, so this is several times faster than
    :func:`line_chart`. One instance per view; not shared between threads.

    >>> chart = LineChart(xlim=(2002, 2025), ylim=(0, 1), xticks=[2003, 2014, 2024])
    >>> chart.render({"Nepal": ([2003, 2024], [0.2, 0.5])}, title="EGDI")[:4] == b"\\x89PNG"
    True
    """

    def __init__(self, *, xlim: tuple[float, float], ylim: tuple[float, float],
                 xticks: Sequence[float] | None = None, yticks: Sequence[float] | None = None,
                 ylabel: str = "", size: tuple[float, float] = SIZE):
        self.fig, self.ax = _figure(size)
        self.canvas = self.fig.canvas
        self.ax.set_xlim(*xlim)
        self.ax.set_ylim(*ylim)
        if xticks is not None:
            self.ax.set_xticks(list(xticks), [str(int(x)) for x in xticks])
        if yticks is not None:
            self.ax.set_yticks(list(yticks))
        elif ylim == (0, 1):
            self.ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        if ylabel:
            self.ax.set_ylabel(ylabel)
        self.title = self.ax.set_title("", fontsize=11, loc="left", y=1.0, pad=6)
        self.lines: list = []
        self.legend = None
        self._legend_styles: tuple = ()
        self._legend_rows = 0
        self._shapes: dict[tuple[str, ...], tuple[int, int]] = {}
        self._background = None
        self._language = get_language()

    def _set_limits(self, xlim, ylim, xticks) -> None:
        changed = False
        if xlim is not None and tuple(self.ax.get_xlim()) != tuple(xlim):
            self.ax.set_xlim(*xlim)
            changed = True
        if xticks is not None and list(self.ax.get_xticks()) != list(xticks):
            self.ax.set_xticks(list(xticks), [str(int(x)) for x in xticks])
            changed = True
        if ylim is not None and tuple(self.ax.get_ylim()) != tuple(ylim):
            self.ax.set_ylim(*ylim)
            self.ax.set_yticks([ylim[0] + (ylim[1] - ylim[0]) * k / 4 for k in range(5)])
            changed = True
        if changed:
            self._background = None

    def _draw_background(self) -> None:
        for artist in (*self.lines, self.title, self.legend):
            if artist is not None:
                artist.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.title.set_visible(True)

    def render(self, series: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
               title: str = "", dashed: Sequence[str] = (),
               xlim: tuple[float, float] | None = None, ylim: tuple[float, float] | None = None,
               xticks: Sequence[float] | None = None) -> bytes:
        """Redraw with new data; limits and ticks change only when given and different."""
        self._set_limits(xlim, ylim, xticks)
        if self._language != get_language():  # the tick labels' decimals change form
            self._language = get_language()
            self._background = None
        labels = tuple(str(label) for label in series)
        if labels not in self._shapes:
            if len(self._shapes) > 64:
                self._shapes.clear()
            self._shapes[labels] = _legend_shape(self.fig, labels)
        columns, rows = self._shapes[labels]
        if rows != self._legend_rows:
            # the legend sits below the axes: the figure grows by its rows, and the axes,
            # ticks and grid are drawn again at the new size
            _fit(self.fig, rows)
            self._legend_rows = rows
            self._background = None
            if self.legend is not None:
                self.legend.remove()
                self.legend = None
        while len(self.lines) < len(series):
            i = len(self.lines)
            (line,) = self.ax.plot([], [], color=PALETTE[i % len(PALETTE)], marker="o",
                                   markersize=4, linewidth=2 if i == 0 else 1.4,
                                   clip_on=True)
            self.lines.append(line)
        if self._background is None:
            self._draw_background()
        self.canvas.restore_region(self._background)
        items = list(series.items())
        for i, line in enumerate(self.lines):
            if i < len(items):
                label, (xs, ys) = items[i]
                xs, ys = _clean(xs, ys)
                line.set_data(xs, ys)
                line.set_label(label)
                line.set_linestyle("--" if label in dashed else "-")
                line.set_visible(True)
                self.ax.draw_artist(line)
            else:
                line.set_visible(False)
                line.set_label("_hidden")
        self.title.set_text(title)
        self.title.set_visible(True)
        self.ax.draw_artist(self.title)
        shape = (tuple(label in dashed for label, _xy in items), columns)
        if self.legend is not None and self._legend_styles == shape:
            # same entries, same line styles, same columns: only the words change
            for text, (label, _xy) in zip(self.legend.get_texts(), items, strict=True):
                text.set_text(label)
        else:
            if self.legend is not None:
                self.legend.remove()
            self.legend = _legend_below(self.ax, columns) if rows else None
            self._legend_styles = shape
        if self.legend is not None:
            self.legend.set_visible(True)
            self.ax.draw_artist(self.legend)
        return self._encode()

    def _encode(self) -> bytes:
        from PIL import Image

        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(),
                                 "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()
