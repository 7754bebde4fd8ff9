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

AREAS: tuple[tuple[str, str], ...] = (
    ("institutional", "Institutional framework"),
    ("content", "Content"),
    ("services", "Services"),
    ("participation", "Participation and engagement"),
    ("technology", "Technology"),
)
AREA_NAMES = dict(AREAS)
CHECKLIST: dict[str, tuple[tuple[str, str], ...]] = {
    "institutional": (
        ("inst_owner", "A named city office is in charge of the portal and keeps it up to "
                       "date."),
        ("inst_plan", "The city has a written plan for its online services."),
        ("inst_contacts", "The portal lists opening hours and contacts of city offices."),
        ("inst_privacy", "A privacy notice says how residents' personal data is used."),
        ("inst_national", "The portal links to the national government portal and its "
                          "services."),
    ),
    "content": (
        ("content_news", "News and notices carry a date, and the newest is less than a month "
                         "old."),
        ("content_budget", "The city's budget, council decisions and meeting minutes are "
                           "published."),
        ("content_howto", "Each service has a page saying what to bring, what it costs and "
                          "how long it takes."),
        ("content_language", "Information is available in the local language(s) residents "
                             "speak."),
        ("content_plain", "Texts use plain words that residents understand."),
    ),
    "services": (
        ("svc_forms", "Forms can be downloaded or filled in online."),
        ("svc_apply", "A resident can apply for a permit or certificate online."),
        ("svc_pay", "A resident can pay a local fee online."),
        ("svc_track", "A resident can follow the status of a request online."),
        ("svc_book", "A resident can book an appointment with a city office online."),
    ),
    "participation": (
        ("part_report", "Residents can report a problem (for example a broken street light) "
                        "or complain online."),
        ("part_consult", "The city asks residents for their views online before big "
                         "decisions."),
        ("part_reply", "The portal says how soon residents will get an answer, and the city "
                       "keeps to it."),
        ("part_reach", "The city also reaches residents by social media or SMS."),
        ("part_results", "The city shows what it did with residents' comments."),
    ),
    "technology": (
        ("tech_mobile", "The site works on a mobile phone."),
        ("tech_light", "Pages load quickly on a slow connection."),
        ("tech_secure", "The site uses a secure connection (the address starts with https)."),
        ("tech_access", "People with disabilities can use the site, for example with a screen "
                        "reader."),
        ("tech_search", "A search box finds what residents look for."),
    ),
}
ITEM_TEXT = {item_id: words for area, _ in AREAS for item_id, words in CHECKLIST[area]}
ITEM_AREA = {item_id: area for area, _ in AREAS for item_id, _ in CHECKLIST[area]}
ITEM_ORDER = tuple(ITEM_TEXT)
MAX_PORTAL = 300
IMPROVE_FIRST = 3


#: a town with no portal yet plans at least this many items for its first one
PLAN_ITEMS = 5


class LocalServiceChecklistModel(ExerciseModel):
    """A municipality, its portal's address and the checklist items its portal meets; or,
    for a town with no portal yet (``no_portal``), the items its first portal must offer.

    >>> m = LocalServiceChecklistModel().with_checked_items(["tech_mobile", "svc_forms"])
    >>> m.improve_first()
    ['Institutional framework', 'Content', 'Participation and engagement']
    """

    kind: ClassVar[str] = "local_service_checklist"
    title: ClassVar[str] = "Local service checklist"
    submodule: ClassVar[str] = "4.3"

    def __init__(self, municipality: str = "", portal: str = "",
                 checked: Iterable[str] = (), no_portal: bool = False):
        checked = set(checked)
        unknown = sorted(checked - set(ITEM_TEXT))
        if unknown:
            raise ValidationError(f"{unknown[0][:40]!r} is not an item of the checklist.",
                                  "checked")
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
            raise ValidationError("Say yes or no: does the town have a portal?", "no_portal")
        return LocalServiceChecklistModel(
            text(municipality, "The municipality's name", max_len=MAX_NAME,
                 field="municipality"),
            _portal(portal), self.checked, no_portal)

    def with_checked(self, item_id: Any, ticked: bool = True) -> LocalServiceChecklistModel:
        if not isinstance(item_id, str) or item_id not in ITEM_TEXT:
            raise ValidationError(f"{str(item_id)[:40]!r} is not an item of the checklist.",
                                  "checked")
        rest = set(self.checked) - {item_id}
        return LocalServiceChecklistModel(self.municipality, self.portal,
                                          rest | ({item_id} if ticked else set()),
                                          self.no_portal)

    def with_checked_items(self, item_ids: Iterable[str]) -> LocalServiceChecklistModel:
        ids = list(item_ids)
        for item_id in ids:
            if not isinstance(item_id, str):
                raise ValidationError("Checklist items are named by text ids.", "checked")
        return LocalServiceChecklistModel(self.municipality, self.portal, ids, self.no_portal)

    # -- reading
    def area_score(self, area: str) -> float:
        """Share of the area's items ticked, in %."""
        items = CHECKLIST[area]
        return 100 * sum(i in self.checked for i, _ in items) / len(items)

    def scores(self) -> dict[str, float]:
        return {area: self.area_score(area) for area, _ in AREAS}

    def total(self) -> float:
        """Share of all items ticked, in %."""
        return 100 * len(self.checked) / len(ITEM_TEXT)

    def improve_first(self, n: int = IMPROVE_FIRST) -> list[str]:
        """The names of the (up to) n areas with the lowest scores, below 100%."""
        ranked = sorted(((s, i, area) for i, (area, s) in enumerate(self.scores().items())
                         if s < 100))
        return [AREA_NAMES[area] for _, _, area in ranked[:n]]

    def build_first(self, n: int = IMPROVE_FIRST) -> list[str]:
        """For a town with no portal: the (up to) n areas with the most items planned."""
        counts = {area: sum(i in self.checked for i, _ in CHECKLIST[area]) for area, _ in AREAS}
        ranked = sorted((-c, i, area) for i, (area, c) in enumerate(counts.items()) if c)
        return [AREA_NAMES[area] for _, _, area in ranked[:n]]

    def completeness(self) -> Completeness:
        if self.no_portal:
            checks = {
                "the municipality's name": bool(self.municipality),
                "no portal yet: a plan for the first one": True,
                f"at least {PLAN_ITEMS} items the first portal must offer":
                    len(self.checked) >= PLAN_ITEMS,
            }
        else:
            checks = {
                "the municipality's name": bool(self.municipality),
                "the portal's address": bool(self.portal),
                "at least one item ticked": bool(self.checked),
            }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        rows = [[AREA_NAMES[area], ITEM_TEXT[item], "yes" if item in self.checked else "no"]
                for area, _ in AREAS for item, _ in CHECKLIST[area]]
        if self.no_portal:
            first = self.build_first()
            return [
                Block("fields", "Portal", items=[
                    ("Municipality", self.municipality or "–"),
                    ("Portal address", "none yet: a plan for the first portal"),
                    ("Items planned", f"{len(self.checked)} of {len(ITEM_TEXT)}")]),
                Block("table", "Planned per area", columns=["Area", "Planned"],
                      rows=score_rows(self)),
                Block("note", "Build first",
                      text=", ".join(first) + "." if first else "Nothing planned yet."),
                Block("table", "Checklist", columns=["Area", "Item", "Planned"], rows=rows),
            ]
        improve = self.improve_first()
        return [
            Block("fields", "Portal", items=[("Municipality", self.municipality or "–"),
                                             ("Portal address", self.portal or "–"),
                                             ("Total score", f"{self.total():.0f}%")]),
            Block("table", "Score per area", columns=["Area", "Score"],
                  rows=score_rows(self)),
            chart_block("Score per area (%)", lambda chart: show_area_chart(chart, self)),
            Block("note", "Improve first",
                  text=", ".join(improve) + "." if improve else "Every item is met."),
            Block("table", "Checklist", columns=["Area", "Item", "Met"], rows=rows),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"municipality": self.municipality, "portal": self.portal,
                "no_portal": self.no_portal, "checked": list(self.checked)}

    @classmethod
    def from_dict(cls, data: Any) -> LocalServiceChecklistModel:
        data = mapping(data, "A local service checklist")
        raw = data.get("checked")
        items = sequence([] if raw is None else raw, "The ticked items",
                         max_len=len(ITEM_TEXT) * 2)
        return cls().with_details(data.get("municipality", ""), data.get("portal", ""),
                                  data.get("no_portal", False)).with_checked_items(items)


def _portal(value: Any) -> str:
    """The portal's address, kept as plain text (it is never turned into a link)."""
    return " ".join(text(value, "The portal's address", max_len=MAX_PORTAL,
                         field="portal").split())


def score_rows(model: LocalServiceChecklistModel) -> list[list[str]]:
    rows = [[AREA_NAMES[area], f"{score:.0f}%"] for area, score in model.scores().items()]
    rows.append(["Total", f"{model.total():.0f}%"])
    return rows


CHART_LABELS = ["Institutional", "Content", "Services", "Participation", "Technology"]
CHART_TITLE = "Score per area (% of items met)"


def area_chart(model: LocalServiceChecklistModel) -> bytes:
    return charts.bar_chart(CHART_LABELS, {"Score (%)": list(model.scores().values())},
                            title=CHART_TITLE, ylim=(0, 100))


def show_area_chart(chart: charts.Chart, model: LocalServiceChecklistModel) -> None:
    """The area chart with words and numbers for a screen reader: whose portal, each area's
    score and the total. Nothing until an item is ticked."""
    if not model.checked:
        chart.show(b"", "")
        return
    labels = [AREA_NAMES[area] for area, _ in AREAS]
    groups = {"Score (%)": list(model.scores().values())}
    whose = f", portal of {model.municipality}" if model.municipality else ""
    alt = (charts.describe_bars(labels, groups, title=CHART_TITLE + whose, digits=0)
           + f" Total: {model.total():.0f}%.")
    chart.show(area_chart(model), alt, *charts.bars_table(labels, groups, label="Area",
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
        self.municipality = widgets.Text(description="Municipality",
                                         placeholder="e.g. the city you work with",
                                         style=style)
        self.portal = widgets.Text(description="Portal address",
                                   placeholder="e.g. www.mycity.gov", style=style)
        self.no_portal = widgets.Checkbox(
            value=False, indent=False, layout=widgets.Layout(width="auto"),
            description="This town has no portal yet: I plan what its first portal must offer")
        self.details_button = widgets.Button(description="Save", button_style="primary",
                                             icon="save")
        self.details_message = message_label()
        self.details_button.on_click(self._guard(self._save_details, self.details_message))
        self.no_portal.observe(self._guard(self._switch_portal, self.details_message),
                               names="value")

        self.boxes: dict[str, widgets.Checkbox] = {}
        self.checklist_message = message_label()
        sections = []
        for area, name in AREAS:
            rows: list[widgets.Widget] = [widgets.HTML(f"<b>{html.escape(name)}</b>")]
            for item_id, words in CHECKLIST[area]:
                box = widgets.Checkbox(value=False, description=words, indent=False,
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
                widgets.HTML("<b>Results</b>"), self.summary, self.chart, self.progress]

    def _save_details(self, _=None) -> None:
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
            self.instruction.value = (
                f"Tick what the first portal of the town must offer: at least {PLAN_ITEMS} "
                "items. Start with what residents need most.")
            self._refresh_plan()
            return
        self.instruction.value = "Tick each statement that is true for the portal today."
        about = []
        if self.model.municipality:
            about.append(f"<p>Portal of <b>{html.escape(self.model.municipality)}</b>"
                         + (f": <code>{html.escape(self.model.portal)}</code>"
                            if self.model.portal else "") + "</p>")
        improve = self.model.improve_first()
        about.append(html_table(["Area", "Score"], score_rows(self.model)))
        about.append("<p>Improve first: <b>" + html.escape(", ".join(improve)) + "</b></p>"
                     if improve else "<p>Every item is met.</p>")
        self.summary.value = "".join(about)
        key = (*self.model.scores().values(), self.model.municipality)
        if key != self._chart_key:  # nothing ticked yet: no chart of five empty bars
            show_area_chart(self.chart, self.model)
            self.chart.layout.display = "" if self.model.checked else "none"
            self._chart_key = key
        self._show_progress()

    def _refresh_plan(self) -> None:
        first = self.model.build_first()
        name = html.escape(self.model.municipality or "the town")
        self.summary.value = (
            f"<p>A plan for the first portal of <b>{name}</b>: {len(self.model.checked)} of "
            f"{len(ITEM_TEXT)} items.</p>"
            + html_table(["Area", "Planned"], score_rows(self.model))
            + ("<p>Build first: <b>" + html.escape(", ".join(first)) + "</b></p>"
               if first else ""))
        self.chart.show(b"", "")
        self._chart_key = None
        self._show_progress()

    def _show_progress(self) -> None:
        done = self.model.completeness()
        todo = "; ".join(done.missing)
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")


__all__ = ["AREAS", "CHECKLIST", "ITEM_TEXT", "LocalServiceChecklist",
           "LocalServiceChecklistModel", "Workbook"]
