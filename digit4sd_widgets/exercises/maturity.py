"""Online service maturity (submodule 2.2): classify services by the four stages the UN
E-Government Survey uses: emerging, enhanced, transactional, connected.

>>> m = ServiceMaturityClassifierModel().with_answer("tax", "transactional")
>>> m.is_right("tax"), m.score()
(True, 1)
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    choice,
    choice_rows,
    mapping,
    show_message,
)

STAGES: dict[str, str] = {
    "emerging": "Basic facts online: addresses, opening hours, documents to print.",
    "enhanced": "More content and some interaction: search, news, forms to fill on screen, "
                "contact by e-mail.",
    "transactional": "The whole service can be done online, both ways: apply, pay, file, "
                     "with identity checks.",
    "connected": "Agencies share data and act as one government; services come to people, "
                 "who also help shape them.",
}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    stage: str
    why: str


ITEMS: tuple[Item, ...] = (
    Item("ministry_page", "A ministry page with the office address and a PDF form to print",
         "emerging", "It only gives information; everything else happens on paper."),
    Item("tax", "Pay property tax online with a card", "transactional",
         "The whole payment is done online, from bill to receipt."),
    Item("newborn", "One login, data shared between agencies so a newborn's family gets "
         "benefits without applying", "connected",
         "Agencies share data and the service reaches the family without a request."),
    Item("health_news", "A health ministry site with news updates, a search box and a form "
         "you fill on screen and send by e-mail", "enhanced",
         "There is some interaction, but the request is still handled outside the site."),
    Item("town_hall", "A town hall web page with its opening hours and phone number",
         "emerging", "Static information only: nothing can be done on the page."),
    Item("licence", "Renew a driving licence online: upload a photo, pay the fee, get the "
         "card by post", "transactional",
         "Application, identity check and payment all happen online."),
    Item("tax_guides", "A tax office site with downloadable guides, a searchable archive and "
         "a newsletter to subscribe to", "enhanced",
         "Richer content and tools, but no transaction can be completed."),
    Item("business_once", "A firm registers once and the tax, social security and statistics "
         "offices all receive its details automatically", "connected",
         "Data given once is reused across agencies (the once-only principle)."),
)
ITEM_IDS = tuple(i.id for i in ITEMS)


def _item(item_id: Any) -> Item:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise ValidationError(f"There is no service {str(item_id)[:40]!r} in this exercise.",
                          "answers")


class ServiceMaturityClassifierModel(ExerciseModel):
    """The learner's stage for each service description."""

    kind: ClassVar[str] = "service_maturity"
    title: ClassVar[str] = "Stages of online services"
    submodule: ClassVar[str] = "2.2"

    def __init__(self, answers: dict[str, str] | None = None):
        checked: dict[str, str] = {}
        given = dict(answers or {})
        for item_id in given:
            _item(item_id)
        for item in ITEMS:
            if item.id in given:
                checked[item.id] = choice(given[item.id], "The stage", STAGES,
                                          field="answers")
        self.answers = checked

    # -- changes
    def with_answer(self, item_id: str, stage: str | None) -> ServiceMaturityClassifierModel:
        """A new model with ``stage`` for one service (``""`` or None clears it)."""
        item = _item(item_id)
        rest = {k: v for k, v in self.answers.items() if k != item.id}
        if stage in ("", None):
            return ServiceMaturityClassifierModel(rest)
        return ServiceMaturityClassifierModel({**rest, item.id: stage})  # type: ignore[dict-item]

    # -- reading
    def is_right(self, item_id: str) -> bool | None:
        item = _item(item_id)
        given = self.answers.get(item.id)
        return None if given is None else given == item.stage

    def score(self) -> int:
        return sum(bool(self.is_right(i.id)) for i in ITEMS)

    def completeness(self) -> Completeness:
        missing = [f"a stage for service {n}" for n, i in enumerate(ITEMS, 1)
                   if i.id not in self.answers]
        return Completeness(len(self.answers), len(ITEMS), missing)

    def report(self) -> list[Block]:
        rows = [[i.text, self.answers.get(i.id, "–"), i.stage,
                 {True: "yes", False: "no", None: "–"}[self.is_right(i.id)]] for i in ITEMS]
        return [
            Block("fields", "Score", items=[("Right", f"{self.score()} of {len(ITEMS)}")]),
            Block("table", "Services by stage",
                  columns=["Service", "Your stage", "Stage", "Right"], rows=rows),
            Block("table", "The four stages", columns=["Stage", "What it means"],
                  rows=[[s, d] for s, d in STAGES.items()]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"answers": dict(self.answers)}

    @classmethod
    def from_dict(cls, data: Any) -> ServiceMaturityClassifierModel:
        data = mapping(data, "A classification")
        answers = data.get("answers")
        answers = mapping({} if answers is None else answers, "Answers")
        return cls(dict(answers))


# ------------------------------------------------------------------------------- view
def stages_html() -> str:
    rows = "".join(f"<li><b>{html.escape(s.capitalize())}</b>: {html.escape(d)}</li>"
                   for s, d in STAGES.items())
    return f"<ol class='d4-stages'>{rows}</ol>"


class ServiceMaturityClassifier(ExerciseView):
    """Pick a stage for each service, then click "Check".

    >>> view = ServiceMaturityClassifier(workbook=Workbook.in_memory())
    >>> view.dropdowns["tax"].value = "transactional"; view.check_button.click()
    >>> view.model.score()
    1
    """

    model_class = ServiceMaturityClassifierModel
    model: ServiceMaturityClassifierModel

    def _build(self) -> list[widgets.Widget]:
        self.checked = False
        self._refreshing = False
        rows = choice_rows(self, ITEMS, STAGES)
        return [widgets.HTML(stages_html()), *rows, self.item_message,
                widgets.HBox([self.check_button]), self.score_label]

    def _changed_for(self, item_id: str):
        def changed(change) -> None:
            if self._refreshing:
                return
            self.commit(self.model.with_answer(item_id, change["new"]))
        return changed

    def _check(self, _=None) -> None:
        if not self.model.answers:
            raise ValidationError("Pick a stage for at least one service first.")
        self.checked = True
        self._safe_refresh()

    def refresh(self) -> None:
        self._refreshing = True
        try:
            for item in ITEMS:
                given = self.model.answers.get(item.id, "")
                if self.dropdowns[item.id].value != given:
                    self.dropdowns[item.id].value = given
                right = self.model.is_right(item.id)
                if not self.checked or right is None:
                    self.feedback[item.id].value = ""
                elif right:
                    self.feedback[item.id].value = (
                        f"<span style='color:#1b5e20'>✓ Right. {html.escape(item.why)}</span>")
                else:
                    self.feedback[item.id].value = (
                        f"<span style='color:#b00020'>✗ Not quite: this is "
                        f"<b>{html.escape(item.stage)}</b>. {html.escape(item.why)}</span>")
        finally:
            self._refreshing = False
        answered = len(self.model.answers)
        if self.checked:
            show_message(self.score_label, f"Score: {self.model.score()} of {len(ITEMS)} right "
                         f"({answered} of {len(ITEMS)} answered).",
                         "ok" if answered == len(ITEMS) else "info")
        else:
            show_message(self.score_label, f"{answered} of {len(ITEMS)} answered. Click Check "
                         "to see how you did.", "info")


__all__ = ["ITEMS", "STAGES", "Item", "ServiceMaturityClassifier",
           "ServiceMaturityClassifierModel", "Workbook", "stages_html"]
