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
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True)
             if y is not None and not (isinstance(y, float) and math.isnan(y))]
    return [p[0] for p in pairs], [p[1] for p in pairs]


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
        ax.set_title(title, fontsize=11, loc="left")
    if ylabel:
        ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if legend:
        ax.legend(fontsize=8, frameon=False, loc="upper left")


def image_widget(png: bytes = b"") -> widgets.Image:
    """A widget that shows PNG bytes; set ``.value`` to new bytes to redraw."""
    return widgets.Image(value=png, format="png", layout=widgets.Layout(max_width="100%"))
