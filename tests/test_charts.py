"""Charts: the words and numbers beside each picture, the empty chart, and drawings that
never clip a tick label or cover a line with the legend."""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

from digit4sd_widgets import charts

PNG = b"\x89PNG"


# ------------------------------------------------------------------------------- words
def test_describe_lines_first_last_and_trend():
    text = charts.describe_lines({"Nepal": ([2003, 2014, 2024], [0.2, None, 0.5]),
                                  "Chad": ([2003, 2024], [0.3, 0.1]),
                                  "Fiji": ([2003, 2024], [0.4, 0.4])}, title="EGDI")
    assert text == ("Line chart: EGDI. Nepal: 0.20 in 2003, 0.50 in 2024 (up 0.30). "
                    "Chad: 0.30 in 2003, 0.10 in 2024 (down 0.20). "
                    "Fiji: 0.40 in 2003, 0.40 in 2024 (no change).")


def test_describe_lines_missing_values_say_no_data():
    text = charts.describe_lines({"Tuvalu": ([2003, 2024], [None, math.nan]),
                                  "Palau": ([2003, 2024], [math.nan, 0.5])})
    assert text == "Line chart. Tuvalu: no data. Palau: 0.50 in 2024."


def test_lines_table_one_row_per_year_no_data_where_missing():
    columns, rows = charts.lines_table({"Nepal": ([2003, 2024], [0.2, 0.5]),
                                        "Chad": ([2024], [np.float64(0.12345)])},
                                       x_label="Edition")
    assert columns == ["Edition", "Nepal", "Chad"]
    assert rows == [["2003", "0.200", "no data"], ["2024", "0.500", "0.123"]]


def test_describe_bars_and_bars_table():
    labels = ["OSI", "HCI"]
    groups = {"Nepal": [0.5, None], "World mean": [0.6, math.nan]}
    assert charts.describe_bars(labels, groups, title="Components") == (
        "Bar chart: Components. Nepal: OSI 0.50, HCI no data. "
        "World mean: OSI 0.60, HCI no data.")
    columns, rows = charts.bars_table(labels, groups, label="Component")
    assert columns == ["Component", "Nepal", "World mean"]
    assert rows == [["OSI", "0.500", "0.600"], ["HCI", "no data", "no data"]]
    assert charts.bars_table(["A", "B"], {"x": [1.0]})[1][1] == ["B", "no data"]  # short
    assert charts.bars_table(["A"], {"x": [42.0]})[0] == ["Measure", "x"]
    assert charts.bars_table(["A"], {"x": [42.0]})[1] == [["A", "42"]]


def test_numbers_html_is_a_real_table_and_escaped():
    out = charts.numbers_html(["Year", "<b>Name</b>"], [["2024", "<i>0.5</i>"]])
    assert "<table" in out and '<th scope="col">Year</th>' in out
    assert '<th scope="row">2024</th>' in out
    assert "<b>" not in out and "&lt;b&gt;Name&lt;/b&gt;" in out
    assert "<i>" not in out and "&lt;i&gt;0.5&lt;/i&gt;" in out
    assert charts.numbers_html(["Year"], []) == ""


# ------------------------------------------------------------------------------- widget
def test_chart_lines_and_bars_set_picture_words_and_table():
    chart = charts.Chart()
    chart.lines({"<b>Nepal</b>": ([2003, 2024], [0.2, 0.5])}, title="EGDI", ylim=(0, 1))
    assert chart.value.startswith(PNG)
    assert chart.alt == "Line chart: EGDI. <b>Nepal</b>: 0.20 in 2003, 0.50 in 2024 (up 0.30)."
    # the picture's alternative text, escaped
    assert 'alt="Line chart: EGDI. &lt;b&gt;Nepal&lt;/b&gt;: 0.20' in chart.image.value
    assert 'src="data:image/png;base64,' in chart.image.value
    assert "<table" in chart.numbers.value and "&lt;b&gt;Nepal" in chart.numbers.value
    assert "<b>Nepal" not in chart.numbers.value
    chart.bars(["OSI"], {"Nepal": [0.5]}, title="Components", label="Component")
    assert chart.alt == "Bar chart: Components. Nepal: OSI 0.50."
    assert '<th scope="col">Component</th>' in chart.numbers.value


def test_chart_given_png_is_shown_as_it_is():
    png = charts.line_chart({"Nepal": ([2003, 2024], [0.2, 0.5])})
    chart = charts.Chart()
    chart.lines({"Nepal": ([2003, 2024], [0.2, 0.5])}, title="EGDI", png=png)
    assert chart.value == png


def test_empty_chart_hides_the_image():
    chart = charts.Chart()
    assert chart.value == b"" and chart.image.layout.display == "none"
    chart.show(charts.line_chart({"Nepal": ([2003], [0.2])}), "A chart", ["a"], [["1"]])
    assert chart.image.layout.display is None and chart.alt == "A chart"
    chart.show(b"", "x")
    assert chart.value == b""
    assert chart.image.layout.display == "none"
    assert chart.alt == "" and chart.image.value == "" and chart.numbers.value == ""


# ------------------------------------------------------------------------------- drawing
def _image(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def _edges_blank(png: bytes, px: int = 3) -> bool:
    """No ink in the outer ``px`` pixels: nothing drawn was cut off at an edge."""
    a = _image(png)
    return bool((a[:px] > 250).all() and (a[-px:] > 250).all()
                and (a[:, :px] > 250).all() and (a[:, -px:] > 250).all())


def test_tick_labels_at_the_axes_ends_are_not_clipped():
    # auto ticks put "2025" at the right end of the axis, "1.00" at the top of the y axis
    png = charts.line_chart({"Bangladesh": ([2003, 2014, 2024], [0.1, 0.35, 0.74]),
                             "Planned": ([2014, 2024], [0.35, 0.8])}, ylim=(0, 1),
                            title="Bangladesh, OSI")
    assert _edges_blank(png)
    chart = charts.LineChart(xlim=(2002, 2025), ylim=(0, 1), xticks=[2003, 2014, 2025])
    assert _edges_blank(chart.render({"Nepal": ([2003, 2025], [0.2, 1.0])}, title="EGDI"))
    bars = charts.bar_chart(["Legal", "Semantic\n(not rated)"], {"Score": [40, 0]},
                            ylim=(0, 100), ylabel="Score (%)")
    assert _edges_blank(bars)


def test_the_legend_sits_below_the_plot():
    series = {name: ([2003, 2024], [0.9, 0.95]) for name in ("Korea", "Bangladesh", "Chad")}
    one = charts.line_chart({"Korea": series["Korea"]}, ylim=(0, 1))
    three = charts.line_chart(series, ylim=(0, 1))
    # the plot keeps its size: the figure grows downwards by the legend's row
    assert _image(three).shape[1] == _image(one).shape[1]
    assert _image(three).shape[0] > _image(one).shape[0]
    chart = charts.LineChart(xlim=(2002, 2025), ylim=(0, 1))
    chart.render(series, title="EGDI")
    renderer = chart.canvas.get_renderer()
    legend = chart.legend.get_window_extent(renderer)
    axes = chart.ax.get_window_extent(renderer)
    assert legend.y1 < axes.y0  # under the axes (display y grows upwards)
    # fewer lines: no legend, back to the plain size, and drawn without error
    assert chart.render({"Korea": series["Korea"]}).startswith(PNG) and chart.legend is None
    assert chart.canvas.get_width_height()[1] == _image(one).shape[0]


# ------------------------------------------------------------------------------- French
def test_words_and_numbers_in_french():
    from digit4sd_widgets.i18n import language

    nb = "\u00a0"
    with language("fr"):
        lines = charts.describe_lines({"Népal": ([2003, 2024], [0.2, 0.5]),
                                       "Tchad": ([2003, 2024], [0.3, None])}, title="EGDI")
        bars = charts.describe_bars(["OSI", "HCI"], {"Népal": [0.5, None]},
                                    title="Composantes")
        columns, rows = charts.lines_table({"Népal": ([2003, 2024], [0.2, None])})
        chart = charts.Chart()
        chart.lines({"Népal": ([2003, 2024], [0.2, 0.5])}, title="EGDI")
    assert lines == (f"Graphique linéaire{nb}: EGDI. Népal{nb}: 0,20 en 2003, 0,50 en 2024 "
                     f"(hausse de 0,30). Tchad{nb}: 0,30 en 2003.")
    assert bars == (f"Graphique à barres{nb}: Composantes. Népal{nb}: OSI{nb}: 0,50{nb}; "
                    f"HCI{nb}: pas de données.")
    assert columns == ["Année", "Népal"] and rows == [["2003", "0,200"], ["2024",
                                                                           "pas de données"]]
    assert chart.alt.startswith("Graphique linéaire") and "0,50 en 2024" in chart.alt
    assert "Les chiffres de ce graphique" in chart.numbers.value
    assert '<th scope="col">Année</th>' in chart.numbers.value
    # English is untouched outside the block
    assert charts.describe_lines({"Nepal": ([2003], [0.2])}) == "Line chart. Nepal: 0.20 in 2003."


def test_tick_labels_take_the_readers_decimal_comma():
    from digit4sd_widgets.i18n import language

    fig, ax = charts._figure()
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlim(2002, 2025)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.00", "0.25", "0.50", "0.75",
                                                            "1.00"]
    with language("fr"):
        fig.canvas.draw()
        assert [t.get_text() for t in ax.get_yticklabels()] == ["0,00", "0,25", "0,50",
                                                                "0,75", "1,00"]
        years = [t.get_text() for t in ax.get_xticklabels()]
    assert years and all("," not in y and " " not in y for y in years)  # years stay whole
    # a kept figure draws its ticks again when the language changes
    chart = charts.LineChart(xlim=(2002, 2025), ylim=(0, 1))
    series = {"Nepal": ([2003, 2024], [0.2, 0.5])}
    english = chart.render(series)
    with language("fr"):
        french = chart.render(series)
    assert english != french and chart.render(series) == english
