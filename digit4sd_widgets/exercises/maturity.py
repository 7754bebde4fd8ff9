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

from ..i18n import N_, _, pgettext
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
)
from .data_audit import show_score

# the stored stages stay English ("emerging", ...); what they mean, shown through _()
STAGES: dict[str, str] = {
    "emerging": N_("Basic facts online: addresses, opening hours, documents to print."),
    "enhanced": N_("More content and some interaction: search, news, forms to fill on "
                   "screen, contact by e-mail."),
    "transactional": N_("The whole service can be done online, both ways: apply, pay, file, "
                        "with identity checks."),
    "connected": N_("Agencies share data and act as one government; services come to "
                    "people, who also help shape them."),
}


def stage_label(stage: str) -> str:
    """A stage's name in the reader's language (the stored answer stays ``"emerging"``,
    ...)."""
    return {
        "emerging": pgettext("service stage", "emerging"),
        "enhanced": pgettext("service stage", "enhanced"),
        "transactional": pgettext("service stage", "transactional"),
        "connected": pgettext("service stage", "connected"),
    }.get(stage, stage)


def stage_meaning(stage: str) -> str:
    """What a stage means, in the reader's language."""
    return _(STAGES[stage])


@dataclass(frozen=True)
class Item:
    id: str
    text: str  # English, marked with N_: shown through shown()
    stage: str
    why: str  # English, marked with N_: shown through explained()

    def shown(self) -> str:
        return _(self.text)

    def explained(self) -> str:
        return _(self.why)


ITEMS: tuple[Item, ...] = (
    Item("ministry_page", N_("A ministry page with the office address and a PDF form to "
                             "print"),
         "emerging", N_("It only gives information; everything else happens on paper.")),
    Item("tax", N_("Pay property tax online with a card"), "transactional",
         N_("The whole payment is done online, from bill to receipt.")),
    Item("newborn", N_("One login, data shared between agencies so a newborn's family gets "
                       "benefits without applying"), "connected",
         N_("Agencies share data and the service reaches the family without a request.")),
    Item("health_news", N_("A health ministry site with news updates, a search box and a "
                           "form you fill on screen and send by e-mail"), "enhanced",
         N_("There is some interaction, but the request is still handled outside the "
            "site.")),
    Item("town_hall", N_("A town hall web page with its opening hours and phone number"),
         "emerging", N_("Static information only: nothing can be done on the page.")),
    Item("licence", N_("Renew a driving licence online: upload a photo, pay the fee, get the "
                       "card by post"), "transactional",
         N_("Application, identity check and payment all happen online.")),
    Item("tax_guides", N_("A tax office site with downloadable guides, a searchable archive "
                          "and a newsletter to subscribe to"), "enhanced",
         N_("Richer content and tools, but no transaction can be completed.")),
    Item("business_once", N_("A firm registers once and the tax, social security and "
                             "statistics offices all receive its details automatically"),
         "connected",
         N_("Data given once is reused across agencies (the once-only principle).")),
)
ITEM_IDS = tuple(i.id for i in ITEMS)


def _item(item_id: Any) -> Item:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise ValidationError(_("There is no service {item!r} in this exercise.").format(
        item=str(item_id)[:40]), "answers")


class ServiceMaturityClassifierModel(ExerciseModel):
    """The learner's stage for each service description."""

    kind: ClassVar[str] = "service_maturity"
    title: ClassVar[str] = N_("Stages of online services")
    submodule: ClassVar[str] = "2.2"

    def __init__(self, answers: dict[str, str] | None = None):
        checked: dict[str, str] = {}
        given = dict(answers or {})
        for item_id in given:
            _item(item_id)
        for item in ITEMS:
            if item.id in given:
                checked[item.id] = choice(given[item.id], _("The stage"), STAGES,
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
        missing = [_("a stage for service {n}").format(n=n) for n, i in enumerate(ITEMS, 1)
                   if i.id not in self.answers]
        return Completeness(len(self.answers), len(ITEMS), missing)

    def report(self) -> list[Block]:
        verdict = {True: pgettext("answer", "yes"), False: pgettext("answer", "no"),
                   None: "–"}
        rows = [[i.shown(), stage_label(self.answers.get(i.id, "–")), stage_label(i.stage),
                 verdict[self.is_right(i.id)]] for i in ITEMS]
        return [
            Block("fields", _("Score"),
                  items=[(pgettext("answer", "Right"),
                          _("{n} of {total}").format(n=self.score(), total=len(ITEMS)))]),
            Block("table", _("Services by stage"),
                  columns=[_("Service"), _("Your stage"), _("Stage"),
                           pgettext("answer", "Right")], rows=rows),
            Block("table", _("The four stages"), columns=[_("Stage"), _("What it means")],
                  rows=[[stage_label(s), stage_meaning(s)] for s in STAGES]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"answers": dict(self.answers)}

    @classmethod
    def from_dict(cls, data: Any) -> ServiceMaturityClassifierModel:
        data = mapping(data, _("A classification"))
        answers = data.get("answers")
        answers = mapping({} if answers is None else answers, _("Answers"))
        return cls(dict(answers))


# ------------------------------------------------------------------------------- view
def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def stages_html() -> str:
    """The four stages and what each means, in the reader's language."""
    e = html.escape
    rows = "".join("<li>" + e(_("{stage}: {meaning}")).format(
        stage=f"<b>{e(_cap(stage_label(s)))}</b>", meaning=e(stage_meaning(s))) + "</li>"
        for s in STAGES)
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
        # the services and the stages in the reader's language (the values stay)
        stages = [(_("(choose)"), "")] + [(stage_label(s), s) for s in STAGES]
        for n, item in enumerate(ITEMS, 1):
            self.dropdowns[item.id].description = f"{n}. {item.shown()}"
            self.dropdowns[item.id].options = stages
            self.dropdowns[item.id].value = ""
        return [widgets.HTML(stages_html()), *rows, self.item_message,
                widgets.HBox([self.check_button]), self.score_label]

    def _changed_for(self, item_id: str):
        def changed(change) -> None:
            if self._refreshing:
                return
            self.commit(self.model.with_answer(item_id, change["new"]))
        return changed

    def _check(self, _button=None) -> None:
        if not self.model.answers:
            raise ValidationError(_("Pick a stage for at least one service first."))
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
                        "<span style='color:#1b5e20'>✓ "
                        + html.escape(_("Right. {why}").format(why=item.explained()))
                        + "</span>")
                else:
                    self.feedback[item.id].value = (
                        "<span style='color:#b00020'>✗ "
                        + html.escape(_("Not quite: this service is {stage}. {why}")).format(
                            stage=f"<b>{html.escape(stage_label(item.stage))}</b>",
                            why=html.escape(item.explained()))
                        + "</span>")
        finally:
            self._refreshing = False
        show_score(self.score_label, self.checked, self.model.score(),
                   len(self.model.answers), len(ITEMS))


__all__ = ["ITEMS", "STAGES", "Item", "ServiceMaturityClassifier",
           "ServiceMaturityClassifierModel", "Workbook", "stage_label", "stage_meaning",
           "stages_html"]
