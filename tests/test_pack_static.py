"""Static copies of widgets: every exercise as plain HTML, no script, nothing from outside."""

from __future__ import annotations

import base64
import inspect
import re

import ipywidgets as widgets
import pytest

from digit4sd_widgets.dossier import Dossier
from digit4sd_widgets.exercises import VIEWS
from digit4sd_widgets.static import register, widget_html
from digit4sd_widgets.workbook import Workbook

OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def view_for(view_class, country="FJI"):
    wb = Workbook.in_memory()
    wb.set_case(country=country)
    kwargs = {"workbook": wb}
    if "country" in inspect.signature(view_class.__init__).parameters:
        kwargs["country"] = country
    return view_class(**kwargs)


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda v: v.__name__)
def test_every_exercise_has_a_static_copy(view_class):
    view = view_for(view_class)
    page = widget_html(view)
    assert view.page_title() in page.replace("&#x27;", "'")
    assert "<script" not in page.lower()
    assert not OUTSIDE.search(page)
    for uri in re.findall(r'src="data:image/png;base64,([^"]+)"', page):
        assert base64.b64decode(uri)[:4] == b"\x89PNG"


def test_country_views_show_the_country_and_their_charts():
    from digit4sd_widgets.exercises import CountryExplorer

    page = widget_html(view_for(CountryExplorer, "MNG"))
    assert "Mongolia" in page
    assert page.count("data:image/png;base64,") >= 1


def test_state_is_shown_as_chosen():
    box = widgets.VBox([
        widgets.RadioButtons(options=["one", "two"], value="two"),
        widgets.Checkbox(description="ticked", value=True),
        widgets.Text(description="Name", value="<b>Amina</b>"),
        widgets.Dropdown(description="Country", options=[str(i) for i in range(100)],
                         value="42"),
        widgets.HTML("hidden", layout=widgets.Layout(display="none")),
        widgets.Accordion(children=[widgets.HTML("inside")], titles=("Show the numbers",)),
    ])
    page = widget_html(box)
    assert re.search(r"checked> two", page) and not re.search(r"checked> one", page)
    assert "checked> ticked" in page
    assert "&lt;b&gt;Amina&lt;/b&gt;" in page, "learner text is escaped"
    assert ">42<" in page and ">41<" not in page, "a long list shows only the choice"
    assert "hidden" not in page
    assert "<details><summary" in page and "Show the numbers" in page


def test_the_dossier_widget_has_a_static_copy():
    wb = Workbook.in_memory()
    page = widget_html(Dossier(workbook=wb))
    assert "My dossier" in page and "<table" in page


def test_register_adds_html_to_widget_outputs():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert register(shell)
    try:
        bundle, _ = shell.display_formatter.format(widgets.HTML("<i>hello</i>"))
    finally:
        shell.display_formatter.formatters["text/html"].pop(widgets.Widget)
    assert "application/vnd.jupyter.widget-view+json" in bundle, "the live widget stays"
    assert "<i>hello</i>" in bundle["text/html"]


def test_a_copy_in_french_says_so_and_writes_numbers_the_french_way():
    from digit4sd_widgets import i18n

    box = widgets.VBox([widgets.FloatSlider(description="Poids", value=0.75, min=0, max=1),
                        widgets.FloatText(value=1234.5),
                        widgets.IntProgress(value=3, max=5),
                        widgets.Tab(children=[widgets.HTML("a")]),
                        widgets.Image(value=b"\x89PNG", format="png")])
    with i18n.language("fr"):
        page = widget_html(box)
    assert "Une copie à lire et à imprimer" in page and "A copy to read" not in page
    assert "<b>0,75</b>" in page and "1234,5" in page
    assert "3 sur 5" in page and "Partie 1" in page and 'alt="Graphique"' in page
    english = widget_html(box)
    assert "<b>0.75</b>" in english and "1234.5" in english and "3 of 5" in english
