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
import warnings
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PALETTE = ("#1f5fa8", "#e07b00", "#2e8540", "#8e3fa8", "#b00020", "#5f6b73", "#00838f")
DPI = 80
SIZE = (6.4, 3.2)


def _figure(size: tuple[float, float] = SIZE) -> tuple[Figure, object]:
    # fixed margins: a layout engine would double the drawing time
    fig = Figure(figsize=size, dpi=DPI)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.12)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


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
    if legend:
        ax.legend(fontsize=8, frameon=False, loc="upper left")


def image_widget(png: bytes = b"") -> widgets.Image:
    """A widget that shows PNG bytes; set ``.value`` to new bytes to redraw."""
    # shown at its own size (stretching a PNG blurs it), narrower screens shrink it
    width = f"{int(SIZE[0] * DPI)}px"
    return widgets.Image(value=png, format="png",
                         layout=widgets.Layout(width=width, max_width="100%", height="auto"))


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
            shown = "no data" if missing else f"{float(v):.{digits}f}"
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
        self._legend_styles: tuple[bool, ...] = ()
        self._background = None

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
        styles = tuple(label in dashed for label, _ in items)
        if self.legend is not None and self._legend_styles == styles:
            # same entries, same line styles: only the words change
            for text, (label, _) in zip(self.legend.get_texts(), items, strict=True):
                text.set_text(label)
        else:
            if self.legend is not None:
                self.legend.remove()
            self.legend = (self.ax.legend(fontsize=8, frameon=False, loc="upper left")
                           if len(items) > 1 else None)
            self._legend_styles = styles
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
