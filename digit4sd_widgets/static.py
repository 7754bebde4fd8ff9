"""A static HTML snapshot of any widget: what the learner would see, with no script.

A live widget needs a running kernel and a widget manager in the page. A snapshot needs
neither: it is plain HTML with the widget's current state (texts, tables, chosen options,
charts as embedded PNG), so it shows the same in an exported HTML page, offline, and on
paper. Controls appear disabled, as a reminder that the page is a copy to read.

In a kernel, :func:`register` adds the snapshot as a ``text/html`` entry to the output of
every widget shown from then on (the live widget is still there for JupyterLab and Voila).

>>> import ipywidgets as widgets
>>> page = widget_html(widgets.VBox([widgets.HTML("<b>Hello</b>"),
...                                  widgets.Dropdown(options=["a", "b"], value="b")]))
>>> "<b>Hello</b>" in page and ">b<" in page and "<script" not in page
True
"""

from __future__ import annotations

import base64
import html
import logging
import math
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from .i18n import N_, SOURCE, _, get_language

log = logging.getLogger("digit4sd_widgets")

#: the line above each copy (translated when the copy is drawn)
NOTE = N_("A copy to read and print. Open this notebook in JupyterLab to work on the "
          "exercise.")
MAX_OPTIONS = 40  # longer option lists (countries...) show only the chosen one
BUTTON_COLOURS = {"primary": "#1f5fa8", "success": "#2e8540", "info": "#00838f",
                  "warning": "#e07b00", "danger": "#b00020"}

CHOICES = (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons, widgets.Select,
           widgets.SelectMultiple, widgets.SelectionSlider)

__all__ = ["register", "widget_html"]


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _shown(value: Any) -> str:
    """A widget's value as the reader writes a decimal number (``0,75`` in French; digits
    as the widget holds them); any other value as its text."""
    if isinstance(value, float) and math.isfinite(value):
        lang = get_language()
        text = str(value)
        if lang != SOURCE and "e" not in text:
            from babel.numbers import get_decimal_symbol

            text = text.replace(".", get_decimal_symbol(lang))
        return text
    return "" if value is None else str(value)


def _style(layout: widgets.Layout | None, extra: str = "", *, image: bool = False) -> str:
    """Inline CSS from the parts of a widget's layout that matter on a static page (heights
    are left out: a scroll box would cut the content on paper)."""
    parts = [extra] if extra else []
    if layout is not None:
        for name in ("width", "min_width", "max_width", "margin", "padding", "border",
                     "grid_template_columns", "grid_gap", "flex", "align_items",
                     "justify_content"):
            value = getattr(layout, name, None)
            if value:
                parts.append(f"{name.replace('_', '-')}:{value}")
        if image and layout.height:
            parts.append(f"height:{layout.height}")
    if any(p.startswith("width:") for p in parts):
        parts.append("max-width:100%")
    return html.escape(";".join(parts), quote=True)


def _hidden(widget: widgets.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _label(widget: widgets.Widget) -> str:
    text = getattr(widget, "description", "") or ""
    if not text:
        return ""
    shown = text if getattr(widget, "description_allow_html", False) else _esc(text)
    return f'<span style="margin-right:6px;font-weight:bold">{shown}</span>'


def _box(kind: str, layout, children: Iterable[widgets.Widget]) -> str:
    styles = {"hbox": "display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start",
              "vbox": "display:flex;flex-direction:column;gap:4px",
              "grid": "display:grid;gap:4px"}
    inner = "".join(_render(c) for c in children)
    return f'<div style="{_style(layout, styles[kind])}">{inner}</div>'


def _options(widget) -> list[str]:
    return [str(label) for label in getattr(widget, "_options_labels", ())]


def _chosen(widget) -> set[int]:
    index = getattr(widget, "index", None)
    if index is None:
        return set()
    if isinstance(index, (tuple, list)):
        return set(index)
    return {index}


def _field(text: str) -> str:
    return ('<span style="display:inline-block;min-width:6em;border:1px solid #b8c0c6;'
            f'padding:1px 6px;background:#f6f8fa">{text or "&nbsp;"}</span>')


def _choice(widget) -> str:
    labels, chosen = _options(widget), _chosen(widget)
    if isinstance(widget, (widgets.RadioButtons, widgets.ToggleButtons)) \
            and len(labels) <= MAX_OPTIONS:
        if isinstance(widget, widgets.ToggleButtons):
            items = "".join(
                f'<span style="border:1px solid #b8c0c6;padding:2px 8px;'
                f'{"background:#1f5fa8;color:#fff" if i in chosen else "background:#f6f8fa"}">'
                f"{_esc(label)}</span>" for i, label in enumerate(labels))
            return f'<div>{_label(widget)}<span style="display:inline-flex">{items}</span></div>'
        items = "".join(
            f'<label style="display:block"><input type="radio" disabled'
            f'{" checked" if i in chosen else ""}> {_esc(label)}</label>'
            for i, label in enumerate(labels))
        return f"<div>{_label(widget)}{items}</div>"
    if isinstance(widget, (widgets.Select, widgets.SelectMultiple)) \
            and len(labels) <= MAX_OPTIONS:
        items = "".join(
            f'<li style="{"font-weight:bold;background:#e8eef5" if i in chosen else ""}">'
            f"{_esc(label)}</li>" for i, label in enumerate(labels))
        return (f'<div>{_label(widget)}<ul style="margin:2px 0;padding-left:1.2em">'
                f"{items}</ul></div>")
    shown = ", ".join(labels[i] for i in sorted(chosen) if i < len(labels))
    return f"<div>{_label(widget)}{_field(_esc(shown))}</div>"


def _image(widget: widgets.Image) -> str:
    if not widget.value or widget.layout.display == "none":
        return ""
    alt = _esc(widget.tooltip or _("Chart"))
    fmt = widget.format or "png"
    mime = "image/svg+xml" if fmt in ("svg", "svg+xml") else f"image/{fmt}"
    data = base64.b64encode(bytes(widget.value)).decode("ascii")
    return (f'<img alt="{alt}" src="data:{mime};base64,{data}" '
            f'style="{_style(widget.layout, "height:auto", image=True)}">')


def _output(widget: widgets.Output) -> str:
    parts = []
    for out in widget.outputs:
        bundle = out.get("data", {})
        if "text/html" in bundle:
            parts.append(str(bundle["text/html"]))
        elif "image/png" in bundle:
            alt = _esc(_("Chart"))
            parts.append(f'<img alt="{alt}" src="data:image/png;base64,{bundle["image/png"]}">')
        elif "text/plain" in bundle or "text" in out:
            parts.append(f"<pre>{_esc(bundle.get('text/plain', out.get('text', '')))}</pre>")
    return f"<div>{''.join(parts)}</div>"


def _render(widget: Any) -> str:
    if not isinstance(widget, widgets.Widget) or _hidden(widget):
        return ""
    style = _style(getattr(widget, "layout", None))
    if isinstance(widget, (widgets.Accordion, widgets.Tab)):
        titles = list(widget.titles)
        parts = []
        for i, child in enumerate(widget.children):
            title = _esc(titles[i] if i < len(titles) and titles[i]
                         else _("Part {n}").format(n=i + 1))
            if isinstance(widget, widgets.Tab):
                parts.append(f"<h4 style='margin:6px 0 2px'>{title}</h4>{_render(child)}")
            else:
                opened = " open" if widget.selected_index == i else ""
                parts.append(f"<details{opened}><summary style='cursor:pointer'>{title}"
                             f"</summary>{_render(child)}</details>")
        return f'<div style="{style}">{"".join(parts)}</div>'
    if isinstance(widget, widgets.GridBox):
        return _box("grid", widget.layout, widget.children)
    if isinstance(widget, widgets.HBox):
        return _box("hbox", widget.layout, widget.children)
    if isinstance(widget, widgets.Box):  # VBox and any other box
        return _box("vbox", widget.layout, widget.children)
    if isinstance(widget, (widgets.HTML, widgets.HTMLMath)):
        return f'<div style="{style}">{_label(widget)}{widget.value}</div>'
    if isinstance(widget, widgets.Label):
        return f'<div style="{style}">{_esc(widget.value)}</div>'
    if isinstance(widget, widgets.Image):
        return _image(widget)
    if isinstance(widget, widgets.Button):
        colour = BUTTON_COLOURS.get(widget.button_style, "")
        look = (f"background:{colour};color:#fff;border:1px solid {colour}" if colour
                else "background:#eef1f4;color:#1d2327;border:1px solid #b8c0c6")
        return (f'<button disabled style="{look};padding:2px 10px;opacity:0.85">'
                f"{_esc(widget.description)}</button>")
    if isinstance(widget, widgets.ToggleButton):  # its words, never "True" or "False"
        look = ("background:#1f4e79;color:#fff;border:1px solid #1f4e79" if widget.value
                else "background:#eef1f4;color:#1d2327;border:1px solid #b8c0c6")
        return (f'<button disabled aria-pressed="{"true" if widget.value else "false"}" '
                f'style="{look};padding:2px 10px;opacity:0.85">'
                f"{_esc(widget.description)}</button>")
    if isinstance(widget, widgets.Checkbox):
        return (f'<label style="display:block;{style}"><input type="checkbox" disabled'
                f'{" checked" if widget.value else ""}> {_esc(widget.description)}</label>')
    if isinstance(widget, widgets.Textarea):
        text = widget.value or widget.placeholder or ""
        rows = max(2, min(12, text.count("\n") + 2))
        return (f'<div style="{style}">{_label(widget)}<textarea disabled rows="{rows}" '
                f'style="width:100%;box-sizing:border-box">{_esc(text)}</textarea></div>')
    if isinstance(widget, CHOICES):
        return f'<div style="{style}">{_choice(widget)}</div>'
    if isinstance(widget, (widgets.IntProgress, widgets.FloatProgress)):
        done = _("{value} of {total}").format(value=_shown(widget.value),
                                              total=_shown(widget.max))
        return (f'<div style="{style}">{_label(widget)}<progress max="{widget.max}" '
                f'value="{widget.value}"></progress> {_esc(done)}</div>')
    if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider)):
        return (f'<div style="{style}">{_label(widget)}<input type="range" disabled '
                f'min="{widget.min}" max="{widget.max}" value="{widget.value}"> '
                f"<b>{_esc(_shown(widget.value))}</b></div>")
    if isinstance(widget, widgets.Output):
        return _output(widget)
    if hasattr(widget, "value"):  # Text, Combobox, number fields and other value widgets
        text = _shown(widget.value)
        if not text and getattr(widget, "placeholder", ""):
            text = f'<span style="color:#8a939a">{_esc(widget.placeholder)}</span>'
        else:
            text = _esc(text)
        return f'<div style="{style}">{_label(widget)}{_field(text)}</div>'
    return ""


def widget_html(widget: widgets.Widget, *, note: str | None = NOTE) -> str:
    """The widget and everything in it as one static HTML fragment (no script)."""
    body = _render(widget)
    text = _esc(_(note)) if note else ""
    head = (f'<p style="margin:0 0 4px;font-size:0.85em;color:#5f6b73"><i>{text}</i></p>'
            if note else "")
    return f'<div class="d4-static">{head}{body}</div>'


def _format(widget: widgets.Widget) -> str | None:
    try:
        return widget_html(widget)
    except Exception:  # a snapshot must never break the live widget's display
        log.exception("static copy of %s failed", type(widget).__name__)
        return None


def register(shell: Any = None) -> bool:
    """Show a static copy (``text/html``) with every widget displayed in this kernel from
    now on. Returns False outside IPython."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/html"].for_type(widgets.Widget, _format)
    return True
