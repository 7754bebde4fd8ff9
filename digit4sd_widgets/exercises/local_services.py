"""Local service checklist (submodule 4.3): score a municipal portal.

The learner names a municipality and its portal's address, then ticks the yes/no items the
portal meets, in five areas. Each area's score is the share of its items ticked; the areas
with the lowest scores are the ones to improve first.

>>> m = LocalServiceChecklistModel().with_details("Thimphu", "www.thimphucity.bt")
>>> m = m.with_checked("svc_pay", True)
>>> round(m.area_score("services"))
20
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts
from ..i18n import N_, _, ngettext, percent, pgettext
from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    chart_block,
    html_table,
    mapping,
    message_label,
    sequence,
    show_message,
    text,
)
from .stakeholders import progress_text

AREAS: tuple[tuple[str, str], ...] = (
    ("institutional", N_("Institutional framework")),
    ("content", N_("Content")),
    ("services", N_("Services")),
    ("participation", N_("Participation and engagement")),
    ("technology", N_("Technology")),
)
AREA_NAMES = dict(AREAS)
CHECKLIST: dict[str, tuple[tuple[str, str], ...]] = {
    "institutional": (
        ("inst_owner", N_("A named city office is in charge of the portal and keeps it up to "
                          "date.")),
        ("inst_plan", N_("The city has a written plan for its online services.")),
        ("inst_contacts", N_("The portal lists opening hours and contacts of city offices.")),
        ("inst_privacy", N_("A privacy notice says how residents' personal data is used.")),
        ("inst_national", N_("The portal links to the national government portal and its "
                             "services.")),
    ),
    "content": (
        ("content_news", N_("News and notices carry a date, and the newest is less than a month "
                            "old.")),
        ("content_budget", N_("The city's budget, council decisions and meeting minutes are "
                              "published.")),
        ("content_howto", N_("Each service has a page saying what to bring, what it costs and "
                             "how long it takes.")),
        ("content_language", N_("Information is available in the local language(s) residents "
                                "speak.")),
        ("content_plain", N_("Texts use plain words that residents understand.")),
    ),
    "services": (
        ("svc_forms", N_("Forms can be downloaded or filled in online.")),
        ("svc_apply", N_("A resident can apply for a permit or certificate online.")),
        ("svc_pay", N_("A resident can pay a local fee online.")),
        ("svc_track", N_("A resident can follow the status of a request online.")),
        ("svc_book", N_("A resident can book an appointment with a city office online.")),
    ),
    "participation": (
        ("part_report", N_("Residents can report a problem (for example a broken street light) "
                           "or complain online.")),
        ("part_consult", N_("The city asks residents for their views online before big "
                            "decisions.")),
        ("part_reply", N_("The portal says how soon residents will get an answer, and the city "
                          "keeps to it.")),
        ("part_reach", N_("The city also reaches residents by social media or SMS.")),
        ("part_results", N_("The city shows what it did with residents' comments.")),
    ),
    "technology": (
        ("tech_mobile", N_("The site works on a mobile phone.")),
        ("tech_light", N_("Pages load quickly on a slow connection.")),
        ("tech_secure", N_("The site uses a secure connection (the address starts with https).")),
        ("tech_access", N_("People with disabilities can use the site, for example with a screen "
                           "reader.")),
        ("tech_search", N_("A search box finds what residents look for.")),
    ),
}
ITEM_TEXT = {item_id: words for area, _name in AREAS for item_id, words in CHECKLIST[area]}
ITEM_AREA = {item_id: area for area, _name in AREAS for item_id, _words in CHECKLIST[area]}
ITEM_ORDER = tuple(ITEM_TEXT)
MAX_PORTAL = 300
IMPROVE_FIRST = 3


#: a town with no portal yet plans at least this many items for its first one
PLAN_ITEMS = 5


def area_name(area: str) -> str:
    """An area's name in the reader's language."""
    return _(AREA_NAMES[area])


def item_text(item_id: str) -> str:
    """A checklist item's statement in the reader's language."""
    return _(ITEM_TEXT[item_id])


def _pct(score: float) -> str:
    """A score in % (0-100) as people read it: ``"40%"``, ``"40 %"``."""
    return percent(score / 100)


class LocalServiceChecklistModel(ExerciseModel):
    """A municipality, its portal's address and the checklist items its portal meets; or,
    for a town with no portal yet (``no_portal``), the items its first portal must offer.

    >>> m = LocalServiceChecklistModel().with_checked_items(["tech_mobile", "svc_forms"])
    >>> m.improve_first()
    ['Institutional framework', 'Content', 'Participation and engagement']
    """

    kind: ClassVar[str] = "local_service_checklist"
    title: ClassVar[str] = N_("Local service checklist")
    submodule: ClassVar[str] = "4.3"

    def __init__(self, municipality: str = "", portal: str = "",
                 checked: Iterable[str] = (), no_portal: bool = False):
        checked = set(checked)
        unknown = sorted(checked - set(ITEM_TEXT))
        if unknown:
            raise ValidationError(_("{item!r} is not an item of the checklist.").format(
                item=unknown[0][:40]), "checked")
        self.municipality = municipality
        self.no_portal = bool(no_portal)
        # kept while "no portal yet" is ticked, so that a tick by mistake loses nothing
        self.portal = portal
        self.checked: tuple[str, ...] = tuple(i for i in ITEM_ORDER if i in checked)

    # -- changes
    def with_details(self, municipality: Any, portal: Any, no_portal: Any = None
                     ) -> LocalServiceChecklistModel:
        """New details; ``no_portal`` True: the town has no portal yet, and the ticked items
        become what its first portal must offer (None keeps the present choice)."""
        if no_portal is None:
            no_portal = self.no_portal
        if not isinstance(no_portal, bool):
            raise ValidationError(_("Say yes or no: does the town have a portal?"),
                                  "no_portal")
        return LocalServiceChecklistModel(
            text(municipality, _("The municipality's name"), max_len=MAX_NAME,
                 field="municipality"),
            _portal(portal), self.checked, no_portal)

    def with_checked(self, item_id: Any, ticked: bool = True) -> LocalServiceChecklistModel:
        if not isinstance(item_id, str) or item_id not in ITEM_TEXT:
            raise ValidationError(_("{item!r} is not an item of the checklist.").format(
                item=str(item_id)[:40]), "checked")
        rest = set(self.checked) - {item_id}
        return LocalServiceChecklistModel(self.municipality, self.portal,
                                          rest | ({item_id} if ticked else set()),
                                          self.no_portal)

    def with_checked_items(self, item_ids: Iterable[str]) -> LocalServiceChecklistModel:
        ids = list(item_ids)
        for item_id in ids:
            if not isinstance(item_id, str):
                raise ValidationError(_("Checklist items are named by text ids."), "checked")
        return LocalServiceChecklistModel(self.municipality, self.portal, ids, self.no_portal)

    # -- reading
    def area_score(self, area: str) -> float:
        """Share of the area's items ticked, in %."""
        items = CHECKLIST[area]
        return 100 * sum(i in self.checked for i, _words in items) / len(items)

    def scores(self) -> dict[str, float]:
        return {area: self.area_score(area) for area, _name in AREAS}

    def total(self) -> float:
        """Share of all items ticked, in %."""
        return 100 * len(self.checked) / len(ITEM_TEXT)

    def improve_first(self, n: int = IMPROVE_FIRST) -> list[str]:
        """The names of the (up to) n areas with the lowest scores, below 100%."""
        ranked = sorted(((s, i, area) for i, (area, s) in enumerate(self.scores().items())
                         if s < 100))
        return [area_name(area) for _score, _i, area in ranked[:n]]

    def build_first(self, n: int = IMPROVE_FIRST) -> list[str]:
        """For a town with no portal: the (up to) n areas with the most items planned."""
        counts = {area: sum(i in self.checked for i, _words in CHECKLIST[area])
                  for area, _name in AREAS}
        ranked = sorted((-c, i, area) for i, (area, c) in enumerate(counts.items()) if c)
        return [area_name(area) for _count, _i, area in ranked[:n]]

    def completeness(self) -> Completeness:
        if self.no_portal:
            checks = {
                _("the municipality's name"): bool(self.municipality),
                _("no portal yet: a plan for the first one"): True,
                _("at least {n} items the first portal must offer").format(n=PLAN_ITEMS):
                    len(self.checked) >= PLAN_ITEMS,
            }
        else:
            checks = {
                _("the municipality's name"): bool(self.municipality),
                _("the portal's address"): bool(self.portal),
                _("at least one item ticked"): bool(self.checked),
            }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        yes, no = pgettext("answer", "yes"), pgettext("answer", "no")
        rows = [[area_name(area), item_text(item), yes if item in self.checked else no]
                for area, _name in AREAS for item, _words in CHECKLIST[area]]
        if self.no_portal:
            first = self.build_first()
            return [
                Block("fields", _("Portal"), items=[
                    (_("Municipality"), self.municipality or "–"),
                    (_("Portal address"), _("none yet: a plan for the first portal")),
                    (_("Items planned"), _("{n} of {total}").format(n=len(self.checked),
                                                                    total=len(ITEM_TEXT)))]),
                Block("table", _("Planned per area"), columns=[_("Area"), _("Planned")],
                      rows=score_rows(self)),
                Block("note", _("Build first"),
                      text=_("{areas}.").format(areas=", ".join(first)) if first
                      else _("Nothing planned yet.")),
                Block("table", _("Checklist"), columns=[_("Area"), _("Item"), _("Planned")],
                      rows=rows),
            ]
        improve = self.improve_first()
        return [
            Block("fields", _("Portal"), items=[(_("Municipality"), self.municipality or "–"),
                                                (_("Portal address"), self.portal or "–"),
                                                (_("Total score"), _pct(self.total()))]),
            Block("table", _("Score per area"), columns=[_("Area"), _("Score")],
                  rows=score_rows(self)),
            chart_block(_("Score per area (%)"), lambda chart: show_area_chart(chart, self)),
            Block("note", _("Improve first"),
                  text=_("{areas}.").format(areas=", ".join(improve)) if improve
                  else _("Every item is met.")),
            Block("table", _("Checklist"), columns=[_("Area"), _("Item"), _("Met")],
                  rows=rows),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"municipality": self.municipality, "portal": self.portal,
                "no_portal": self.no_portal, "checked": list(self.checked)}

    @classmethod
    def from_dict(cls, data: Any) -> LocalServiceChecklistModel:
        data = mapping(data, _("A local service checklist"))
        raw = data.get("checked")
        items = sequence([] if raw is None else raw, _("The ticked items"),
                         max_len=len(ITEM_TEXT) * 2)
        return cls().with_details(data.get("municipality", ""), data.get("portal", ""),
                                  data.get("no_portal", False)).with_checked_items(items)


def _portal(value: Any) -> str:
    """The portal's address, kept as plain text (it is never turned into a link)."""
    return " ".join(text(value, _("The portal's address"), max_len=MAX_PORTAL,
                         field="portal").split())


def score_rows(model: LocalServiceChecklistModel) -> list[list[str]]:
    rows = [[area_name(area), _pct(score)] for area, score in model.scores().items()]
    rows.append([_("Total"), _pct(model.total())])
    return rows


#: the areas' short names under the chart's bars
CHART_LABELS = [N_("Institutional"), N_("Content"), N_("Services"), N_("Participation"),
                N_("Technology")]
CHART_TITLE = N_("Score per area (% of items met)")


def area_chart(model: LocalServiceChecklistModel) -> bytes:
    return charts.bar_chart([_(label) for label in CHART_LABELS],
                            {_("Score (%)"): list(model.scores().values())},
                            title=_(CHART_TITLE), ylim=(0, 100))


def show_area_chart(chart: charts.Chart, model: LocalServiceChecklistModel) -> None:
    """The area chart with words and numbers for a screen reader: whose portal, each area's
    score and the total. Nothing until an item is ticked."""
    if not model.checked:
        chart.show(b"", "")
        return
    labels = [area_name(area) for area, _name in AREAS]
    groups = {_("Score (%)"): list(model.scores().values())}
    title = (_("Score per area (% of items met), portal of {municipality}").format(
        municipality=model.municipality) if model.municipality else _(CHART_TITLE))
    alt = (charts.describe_bars(labels, groups, title=title, digits=0) + " "
           + _("Total: {score}.").format(score=_pct(model.total())))
    chart.show(area_chart(model), alt, *charts.bars_table(labels, groups, label=_("Area"),
                                                          digits=1))


# ------------------------------------------------------------------------------- view
class LocalServiceChecklist(ExerciseView):
    """Local service checklist: tick what the municipal portal offers.

    >>> view = LocalServiceChecklist(workbook=Workbook.in_memory())
    >>> view.boxes["tech_mobile"].value = True
    >>> view.model.checked
    ('tech_mobile',)
    """

    model_class = LocalServiceChecklistModel
    model: LocalServiceChecklistModel

    def _build(self) -> list[widgets.Widget]:
        self._syncing = False
        self._chart_key: tuple | None = None
        self._shown_details: tuple[str, str] | None = None
        style = {"description_width": "130px"}
        self.municipality = widgets.Text(description=_("Municipality"),
                                         placeholder=_("e.g. the city you work with"),
                                         style=style)
        self.portal = widgets.Text(description=_("Portal address"),
                                   placeholder=_("e.g. www.mycity.gov"), style=style)
        self.no_portal = widgets.Checkbox(
            value=False, indent=False, layout=widgets.Layout(width="auto"),
            description=_("This town has no portal yet: I plan what its first portal must "
                          "offer"))
        self.details_button = widgets.Button(description=_("Save"), button_style="primary",
                                             icon="save")
        self.details_message = message_label()
        self.details_button.on_click(self._guard(self._save_details, self.details_message))
        self.no_portal.observe(self._guard(self._switch_portal, self.details_message),
                               names="value")

        self.boxes: dict[str, widgets.Checkbox] = {}
        self.checklist_message = message_label()
        sections = []
        for area, _name in AREAS:
            rows: list[widgets.Widget] = [widgets.HTML(f"<b>{html.escape(area_name(area))}</b>")]
            for item_id, _words in CHECKLIST[area]:
                box = widgets.Checkbox(value=False, description=item_text(item_id), indent=False,
                                       layout=widgets.Layout(width="auto"))
                box.observe(self._guard(self._make_ticker(item_id), self.checklist_message),
                            names="value")
                self.boxes[item_id] = box
                rows.append(box)
            sections.append(widgets.VBox(rows))
        self.summary = widgets.HTML()
        self.chart = charts.Chart()
        self.progress = widgets.HTML()
        self.instruction = widgets.HTML()
        return [widgets.HBox([widgets.VBox([self.municipality, self.portal, self.no_portal]),
                              self.details_button]),
                self.details_message,
                self.instruction,
                *sections, self.checklist_message,
                widgets.HTML("<b>" + html.escape(_("Results")) + "</b>"), self.summary,
                self.chart, self.progress]

    def _save_details(self, _button=None) -> None:
        self.commit(self.model.with_details(self.municipality.value, self.portal.value,
                                            self.no_portal.value))

    def _switch_portal(self, _change=None) -> None:
        if not self._syncing:
            self._save_details()

    def _make_ticker(self, item_id: str):
        def tick(change) -> None:
            if self._syncing:
                return
            new = self.model.with_checked(item_id, bool(change["new"]))
            if new != self.model:
                self.commit(new)
        return tick

    def refresh(self) -> None:
        self._syncing = True
        try:
            for item_id, box in self.boxes.items():
                ticked = item_id in self.model.checked
                if box.value != ticked:
                    box.value = ticked
            details = (self.model.municipality, self.model.portal)
            if details != self._shown_details:  # keep what is typed but not yet saved
                self.municipality.value, self.portal.value = details
                self._shown_details = details
            self.no_portal.value = self.model.no_portal
            self.portal.disabled = self.model.no_portal
        finally:
            self._syncing = False
        if self.model.no_portal:
            self.instruction.value = html.escape(_(
                "Tick what the first portal of the town must offer: at least {n} items. "
                "Start with what residents need most.").format(n=PLAN_ITEMS))
            self._refresh_plan()
            return
        self.instruction.value = html.escape(
            _("Tick each statement that is true for the portal today."))
        about = []
        if self.model.municipality:
            name = f"<b>{html.escape(self.model.municipality)}</b>"
            if self.model.portal:
                words = html.escape(_("Portal of {municipality}: {address}")).format(
                    municipality=name,
                    address=f"<code>{html.escape(self.model.portal)}</code>")
            else:
                words = html.escape(_("Portal of {municipality}")).format(municipality=name)
            about.append(f"<p>{words}</p>")
        improve = self.model.improve_first()
        about.append(html_table([_("Area"), _("Score")], score_rows(self.model)))
        if improve:
            words = html.escape(_("Improve first: {areas}")).format(
                areas="<b>" + html.escape(", ".join(improve)) + "</b>")
        else:
            words = html.escape(_("Every item is met."))
        about.append(f"<p>{words}</p>")
        self.summary.value = "".join(about)
        key = (*self.model.scores().values(), self.model.municipality)
        if key != self._chart_key:  # nothing ticked yet: no chart of five empty bars
            show_area_chart(self.chart, self.model)
            self.chart.layout.display = "" if self.model.checked else "none"
            self._chart_key = key
        self._show_progress()

    def _refresh_plan(self) -> None:
        first = self.model.build_first()
        name = "<b>" + html.escape(self.model.municipality or _("the town")) + "</b>"
        plan = html.escape(ngettext(
            "A plan for the first portal of {municipality}: {n} of {total} items.",
            "A plan for the first portal of {municipality}: {n} of {total} items.",
            len(self.model.checked))).format(municipality=name, n=len(self.model.checked),
                                    total=len(ITEM_TEXT))
        self.summary.value = (
            f"<p>{plan}</p>"
            + html_table([_("Area"), _("Planned")], score_rows(self.model))
            + ("<p>" + html.escape(_("Build first: {areas}")).format(
                areas="<b>" + html.escape(", ".join(first)) + "</b>") + "</p>"
               if first else ""))
        self.chart.show(b"", "")
        self._chart_key = None
        self._show_progress()

    def _show_progress(self) -> None:
        done = self.model.completeness()
        show_message(self.progress, progress_text(done), "ok" if done.complete else "info")


__all__ = ["AREAS", "CHECKLIST", "ITEM_TEXT", "LocalServiceChecklist",
           "LocalServiceChecklistModel", "Workbook", "area_name", "item_text"]
