"""Interoperability self-assessment (submodule 4.2): the legal, organisational, semantic and
technical layers; and the matching tool for country names (:func:`reconcile_names`), whose
proposals the learner judges in :mod:`.name_matching`.

Each statement about the learner's administration is rated from 0 (not started) to 4 (fully
in place), or left unrated (``None``, which is not the same as 0). A layer's score is the
mean of its rated statements as a percentage of 4; the overall score is the mean of the
rated layers' scores, each layer counting the same.

>>> m = InteroperabilityAssessmentModel().with_rating("semantic", "semantic_1", 1)
>>> m.layer_score("semantic"), m.layer_score("legal")
(25.0, None)
>>> reconcile_names(["Lao PDR"])[["iso3", "method"]].values.tolist()
[['LAO', 'fuzzy']]
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import charts, data
from ..i18n import N_, _, ngettext, percent, pgettext
from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    chart_block,
    html_table,
    integer,
    mapping,
    message_label,
    show_message,
    text,
)
from .stakeholders import listing

LAYERS: tuple[str, ...] = ("legal", "organisational", "semantic", "technical")
LAYER_HELP = {
    "legal": N_("the laws and rules that let agencies share and reuse information"),
    "organisational": N_("how agencies agree on goals, roles and joint work"),
    "semantic": N_("whether shared data means the same thing to everyone who uses it"),
    "technical": N_("the systems, networks and interfaces that move data between agencies"),
}
STATEMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "legal": (
        ("legal_1", N_("A law or decree allows agencies to share data with each other.")),
        ("legal_2", N_("Data protection rules say clearly when personal data may be shared "
                       "and reused.")),
        ("legal_3", N_("Electronic documents and signatures count as much as paper ones.")),
        ("legal_4", N_("New laws and rules are checked to see if they can work digitally "
                       "before they are adopted.")),
    ),
    "organisational": (
        ("organisational_1", N_("One body coordinates digital government across ministries.")),
        ("organisational_2", N_("Agencies that serve the same people agree in writing who does "
                                "what.")),
        ("organisational_3", N_("Services are organised around people's life events, not around "
                                "agency boundaries.")),
        ("organisational_4", N_("People give a piece of information once; agencies get it from "
                                "each other instead of asking again.")),
    ),
    "semantic": (
        ("semantic_1", N_("Agencies use the same codes for places, people and organisations.")),
        ("semantic_2", N_("For data that is shared, there is a published description of what "
                          "each field means.")),
        ("semantic_3", N_("Key registers (people, businesses, land) are kept up to date and "
                          "everyone treats them as the reference.")),
        ("semantic_4", N_("Dates, names and addresses are written in the same agreed formats "
                          "everywhere.")),
    ),
    "technical": (
        ("technical_1", N_("Agencies' systems can exchange data securely through a shared "
                           "platform or network.")),
        ("technical_2", N_("Systems offer documented interfaces (APIs) that other agencies can "
                           "use.")),
        ("technical_3", N_("Open standards are preferred when systems are bought or built.")),
        ("technical_4", N_("One digital identity lets people sign in to many public services.")),
    ),
}
STATEMENT_TEXT = {sid: words for layer in LAYERS for sid, words in STATEMENTS[layer]}
SUGGESTIONS = {
    "legal": N_("First list the rules that block data sharing and propose one decree that "
                "allows it, with data protection safeguards."),
    "organisational": N_("First name one body to lead, and get two agencies that serve the "
                         "same people to sign a simple agreement."),
    "semantic": N_("First agree one shared code list (for example for places) and publish "
                   "what each shared data field means."),
    "technical": N_("First connect two key registers through one secure, documented "
                    "interface built on open standards."),
}
RATINGS = {0: N_("not started"), 1: N_("just beginning"), 2: N_("partly in place"),
           3: N_("mostly in place"), 4: N_("fully in place")}
WEAK = 50.0  # below this percentage a layer gets a suggestion


def layer_name(layer: str) -> str:
    """A layer's name in the reader's language ("Legal", "Juridique")."""
    return {
        "legal": pgettext("interoperability layer", "Legal"),
        "organisational": pgettext("interoperability layer", "Organisational"),
        "semantic": pgettext("interoperability layer", "Semantic"),
        "technical": pgettext("interoperability layer", "Technical"),
    }.get(layer, layer)


def statement_text(statement: str) -> str:
    """A statement in the reader's language."""
    return _(STATEMENT_TEXT[statement])


def rating_label(rating: int) -> str:
    """``"2 – partly in place"`` in the reader's language."""
    return f"{rating} – {_(RATINGS[rating])}"


def _pct(score: float) -> str:
    return percent(score / 100)


# --------------------------------------------------------------------------- model
class InteroperabilityAssessmentModel(ExerciseModel):
    """Ratings (0-4 or None) of statements in four layers, and free notes.

    >>> m = InteroperabilityAssessmentModel().with_rating("legal", "legal_1", "4")
    >>> m.weakest_layer(), m.overall()
    ('legal', 100.0)
    """

    kind: ClassVar[str] = "interoperability_assessment"
    title: ClassVar[str] = N_("Interoperability self-assessment")
    submodule: ClassVar[str] = "4.2"

    def __init__(self, ratings: Mapping[str, Mapping[str, int | None]] | None = None,
                 notes: str = ""):
        ratings = ratings or {}
        self.ratings: dict[str, dict[str, int | None]] = {
            layer: {sid: (ratings.get(layer) or {}).get(sid) for sid, _ in STATEMENTS[layer]}
            for layer in LAYERS}
        self.notes = notes

    # -- changes
    def with_rating(self, layer: Any, statement: Any, value: Any
                    ) -> InteroperabilityAssessmentModel:
        """Rate one statement 0-4 (also typed as text); ``None`` or "" clears the rating."""
        layer, statement = self._check(layer, statement)
        rating = _rating(value, statement)
        ratings = {k: dict(v) for k, v in self.ratings.items()}
        ratings[layer][statement] = rating
        return InteroperabilityAssessmentModel(ratings, self.notes)

    def with_notes(self, notes: Any) -> InteroperabilityAssessmentModel:
        return InteroperabilityAssessmentModel(self.ratings, text(notes, _("Notes"),
                                                                   field="notes"))

    @staticmethod
    def _check(layer: Any, statement: Any) -> tuple[str, str]:
        if not isinstance(layer, str) or layer not in STATEMENTS:
            raise ValidationError(_("There is no layer called {layer!r}; the layers are "
                                    "{layers}.").format(layer=str(layer)[:40],
                                                        layers=", ".join(LAYERS)), "ratings")
        if not isinstance(statement, str) or statement not in {sid for sid, _words in
                                                                STATEMENTS[layer]}:
            raise ValidationError(_("The {layer} layer has no statement {statement!r}.")
                                  .format(layer=layer, statement=str(statement)[:40]),
                                  "ratings")
        return layer, statement

    # -- reading
    def layer_score(self, layer: str) -> float | None:
        """Mean of the rated statements as a percentage of 4; None when none is rated."""
        rated = [r for r in self.ratings[layer].values() if r is not None]
        return sum(rated) / len(rated) / 4 * 100 if rated else None

    def scores(self) -> dict[str, float | None]:
        return {layer: self.layer_score(layer) for layer in LAYERS}

    def overall(self) -> float | None:
        """Mean of the rated layers' scores (each layer counts the same)."""
        rated = [s for s in self.scores().values() if s is not None]
        return sum(rated) / len(rated) if rated else None

    def weakest_layer(self) -> str | None:
        """The rated layer with the lowest score (on a tie, the first in layer order)."""
        rated = [(s, i, layer) for i, (layer, s) in enumerate(self.scores().items())
                 if s is not None]
        return min(rated)[2] if rated else None

    def weakest_layer_label(self) -> str:
        """The weakest layer's name in the reader's language ("Legal", "Juridique"); "–"
        when no layer is rated."""
        layer = self.weakest_layer()
        return "–" if layer is None else layer_name(layer)

    def suggestions(self) -> dict[str, str]:
        """What to do first, for each rated layer scoring under 50%."""
        return {layer: _(SUGGESTIONS[layer]) for layer, s in self.scores().items()
                if s is not None and s < WEAK}

    def unrated(self, layer: str) -> list[str]:
        return [sid for sid, r in self.ratings[layer].items() if r is None]

    def completeness(self) -> Completeness:
        missing = []
        for layer in LAYERS:
            n = len(self.unrated(layer))
            if n:
                missing.append(ngettext("{n} {layer} statement to rate",
                                        "{n} {layer} statements to rate", n)
                               .format(n=n, layer=layer_name(layer).lower()))
        return Completeness(len(LAYERS) - len(missing), len(LAYERS), missing)

    def report(self) -> list[Block]:
        rows = []
        for layer in LAYERS:
            for sid, _words in STATEMENTS[layer]:
                r = self.ratings[layer][sid]
                rows.append([layer_name(layer), statement_text(sid),
                             _("not rated") if r is None else rating_label(r)])
        blocks = [
            Block("table", _("Layer scores"),
                  columns=[_("Layer"), _("Score"), _("What to do first")],
                  rows=summary_rows(self)),
            Block("table", _("Ratings"), columns=[_("Layer"), _("Statement"), _("Rating")],
                  rows=rows),
        ]
        if self.overall() is not None:
            blocks.append(chart_block(_("Score per layer (%)"),
                                      lambda chart: show_layer_chart(chart, self)))
        weakest = self.weakest_layer()
        blocks.append(Block("note", _("Weakest layer"), text=(
            _("{layer} ({score}).").format(layer=layer_name(weakest),
                                           score=_pct(self.layer_score(weakest) or 0))
            if weakest else _("No statement rated yet."))))
        if self.notes:
            blocks.append(Block("note", _("Notes"), text=self.notes))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"ratings": {k: dict(v) for k, v in self.ratings.items()}, "notes": self.notes}

    @classmethod
    def from_dict(cls, data: Any) -> InteroperabilityAssessmentModel:
        data = mapping(data, _("An interoperability assessment"))
        raw = data.get("ratings")
        given = mapping({} if raw is None else raw, _("The ratings"))
        ratings: dict[str, dict[str, int | None]] = {}
        for layer, values in given.items():
            if not isinstance(layer, str) or layer not in STATEMENTS:
                raise ValidationError(_("There is no layer called {layer!r}.").format(
                    layer=str(layer)[:40]), "ratings")
            values = mapping({} if values is None else values,
                             _("The ratings of the {layer} layer").format(layer=layer))
            ratings[layer] = {}
            for sid, value in values.items():
                cls._check(layer, sid)
                ratings[layer][sid] = _rating(value, sid)
        return cls(ratings, text(data.get("notes", ""), _("Notes"), field="notes"))


def _rating(value: Any, statement: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return integer(value, _("A rating"), lo=0, hi=4, field=statement)


def summary_rows(model: InteroperabilityAssessmentModel) -> list[list[str]]:
    tips = model.suggestions()
    rows = []
    for layer, score in model.scores().items():
        rows.append([layer_name(layer), _("not rated") if score is None else _pct(score),
                     tips.get(layer, "–")])
    overall = model.overall()
    rows.append([_("Overall"), _("not rated") if overall is None else _pct(overall), ""])
    return rows


CHART_TITLE = N_("Interoperability score per layer (%)")


def layer_chart(model: InteroperabilityAssessmentModel) -> bytes:
    scores = model.scores()
    labels = [layer_name(k) + ("\n" + _("(not rated)") if s is None else "")
              for k, s in scores.items()]
    weakest = model.weakest_layer()
    return charts.bar_chart(labels, {_("Score (%)"): [s or 0.0 for s in scores.values()]},
                            title=_(CHART_TITLE), ylim=(0, 100),
                            highlight=layer_name(weakest) if weakest else None)


def show_layer_chart(chart: charts.Chart, model: InteroperabilityAssessmentModel) -> None:
    """The layer chart with words and numbers for a screen reader: each layer's score
    ("no data" when not rated) and the weakest layer. Nothing when nothing is rated."""
    if model.overall() is None:
        chart.show(b"", "")
        return
    labels = [layer_name(k) for k in LAYERS]
    groups = {_("Score (%)"): list(model.scores().values())}
    alt = charts.describe_bars(labels, groups, title=_(CHART_TITLE), digits=0)
    weakest = model.weakest_layer()
    if weakest:
        alt += " " + _("Weakest layer: {layer} ({score}).").format(
            layer=layer_name(weakest), score=_pct(model.layer_score(weakest) or 0))
    chart.show(layer_chart(model), alt, *charts.bars_table(labels, groups, label=_("Layer"),
                                                           digits=1))


# --------------------------------------------------------------------------- names to codes
_ABBREVIATIONS = {
    "dem": "democratic", "rep": "republic", "pdr": "peoples democratic republic",
    "dpr": "democratic peoples republic", "dr": "democratic republic", "st": "saint",
    "fed": "federated", "sts": "states", "is": "islands", "isl": "islands",
    "fyr": "former yugoslav republic",
}
_FILLER = frozenset({"of", "the", "and", "republic", "arab", "s"})


def normalise_name(value: str) -> str:
    """A country name reduced for matching: no accents, case, punctuation, filler words or
    word order; common abbreviations written out.

    >>> normalise_name("Congo, Dem. Rep."), normalise_name("Democratic Republic of the Congo")
    ('congo democratic', 'congo democratic')
    """
    plain = unicodedata.normalize("NFKD", str(value))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’`´]", "", plain)  # people's -> peoples, d'ivoire -> divoire
    plain = plain.replace("&", " and ")
    words = []
    for word in re.split(r"[^0-9a-z]+", plain):
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(sorted({w for w in words if w and w not in _FILLER}))


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised name -> ISO3, ISO3 -> official name) over name and m49_name."""
    countries = data.load_countries()
    index: dict[str, str] = {}
    official: dict[str, str] = {}
    for iso3, name, m49 in zip(countries["iso3"], countries["name"], countries["m49_name"],
                               strict=True):
        official[str(iso3)] = str(name)
        for label in (name, m49):
            if isinstance(label, str) and label:
                index.setdefault(normalise_name(label), str(iso3))
    return index, official


def _token_match(asked: str, known: str) -> bool:
    if asked == known:
        return True
    if min(len(asked), len(known)) >= 4 and (known.startswith(asked)
                                             or asked.startswith(known)):
        return True
    return difflib.SequenceMatcher(None, asked, known).ratio() >= 0.85


def _fuzzy(key: str) -> str | None:
    index, _ = _name_index()
    if not key:
        return None
    if key in index:
        return index[key]
    words = key.split()
    # every word asked for is (nearly) a word of exactly one country's name
    hits = {iso for known, iso in index.items()
            if all(any(_token_match(w, k) for k in known.split()) for w in words)}
    if len(hits) == 1:
        return hits.pop()
    close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.8)
    return index[close[0]] if close else None


def reconcile_names(names: Iterable[Any]) -> pd.DataFrame:
    """Match free-text country names to ISO3 codes.

    First :func:`digit4sd_widgets.data.find_country` (exact names and codes), then a fuzzy
    match (:mod:`difflib`) with accents, case, punctuation, filler words and word order
    ignored and common abbreviations written out ("Dem. Rep.", "PDR", "St."), against the
    ``name`` and ``m49_name`` of the 193 UN Member States. What cannot be matched gets
    ``None``: check those by hand rather than guess.

    Parameters
    ----------
    names : iterable of str
        Country names as a source writes them. Empty entries and non-text get "none".

    Returns
    -------
    pandas.DataFrame
        One row per name, in order, with object columns ``name`` (as given), ``iso3``
        (ISO3 code or None), ``matched_name`` (the official name, or None) and ``method``
        ("exact", "fuzzy" or "none").

    >>> table = reconcile_names(["Turkey", "Cote d'Ivoire", "Atlantis"])
    >>> table["iso3"].tolist(), table["method"].tolist()
    (['TUR', 'CIV', None], ['exact', 'fuzzy', 'none'])
    """
    _, official = _name_index()
    rows = []
    for raw in names:
        asked = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        iso3, method = None, "none"
        if asked.strip():
            try:
                iso3, method = data.find_country(asked), "exact"
            except ValueError:
                iso3 = _fuzzy(normalise_name(asked))
                method = "fuzzy" if iso3 else "none"
        rows.append({"name": raw, "iso3": iso3,
                     "matched_name": official.get(iso3) if iso3 else None,
                     "method": method})
    return pd.DataFrame(rows, columns=["name", "iso3", "matched_name", "method"],
                        dtype=object)


# ------------------------------------------------------------------------------- view
def rating_options() -> list[tuple[str, int]]:
    """The choices of a rating, in the reader's language (-1: not rated)."""
    return [(_("not rated"), -1)] + [(rating_label(k), k) for k in RATINGS]


class InteroperabilityAssessment(ExerciseView):
    """Interoperability self-assessment: rate each statement, see the weakest layer.

    >>> view = InteroperabilityAssessment(workbook=Workbook.in_memory())
    >>> view.rating_boxes["semantic_1"].value = 1
    >>> view.model.layer_score("semantic")
    25.0
    """

    model_class = InteroperabilityAssessmentModel
    model: InteroperabilityAssessmentModel

    def _build(self) -> list[widgets.Widget]:
        self._syncing = False
        self._chart_key: tuple | None = None
        self._shown_notes: str | None = None
        self.rating_boxes: dict[str, widgets.Dropdown] = {}
        self.rating_message = message_label()
        sections = []
        for layer in LAYERS:
            rows: list[widgets.Widget] = [widgets.HTML(
                f"<b>{html.escape(layer_name(layer))}</b> <span style='color:#5f6b73'>— "
                f"{html.escape(_(LAYER_HELP[layer]))}</span>")]
            for sid, _words in STATEMENTS[layer]:
                # the statement is the dropdown's own label: read with it, above it on a phone
                box = widgets.Dropdown(description=statement_text(sid),
                                       options=rating_options(), value=-1,
                                       style={"description_width": "460px"},
                                       layout=widgets.Layout(width="calc(460px + 190px)"))
                box.observe(self._guard(self._make_rater(layer, sid), self.rating_message),
                            names="value")
                self.rating_boxes[sid] = box
                row = widgets.HBox([box])
                row.add_class("d4-choice-row")
                rows.append(row)
            sections.append(widgets.VBox(rows))
        self.notes_box = widgets.Textarea(placeholder=_("Anything to remember: who to talk "
                                                        "to, what you are unsure about…"),
                                          rows=3, layout=widgets.Layout(width="95%"))
        self.notes_button = widgets.Button(description=_("Save notes"), icon="save")
        self.notes_message = message_label()
        self.notes_button.on_click(self._guard(self._save_notes, self.notes_message))

        self.summary = widgets.HTML()
        self.chart = charts.Chart()
        self.progress = widgets.HTML()
        return [widgets.HTML(html.escape(_(
                    "Rate each statement for your administration, from 0 (not started) to 4 "
                    "(fully in place). Leave it “not rated” if you do not know."))),
                *sections, self.rating_message,
                widgets.HTML("<b>" + html.escape(_("Notes")) + "</b>"), self.notes_box,
                self.notes_button, self.notes_message,
                widgets.HTML("<b>" + html.escape(_("Results")) + "</b>"), self.summary,
                self.chart, self.progress]

    def _make_rater(self, layer: str, sid: str):
        def rate(change) -> None:
            if self._syncing:
                return
            value = None if change["new"] in (-1, None) else change["new"]
            new = self.model.with_rating(layer, sid, value)
            if new != self.model:
                self.commit(new)
        return rate

    def _save_notes(self, _button=None) -> None:
        self.commit(self.model.with_notes(self.notes_box.value))

    def refresh(self) -> None:
        self._syncing = True
        try:
            for layer in LAYERS:
                for sid, rating in self.model.ratings[layer].items():
                    value = -1 if rating is None else rating
                    if self.rating_boxes[sid].value != value:
                        self.rating_boxes[sid].value = value
            if self.model.notes != self._shown_notes:  # keep notes typed but not saved
                self.notes_box.value = self._shown_notes = self.model.notes
        finally:
            self._syncing = False
        parts = [html_table([_("Layer"), _("Score"), _("What to do first")],
                            summary_rows(self.model))]
        weakest = self.model.weakest_layer()
        if weakest:
            words = html.escape(_("Weakest layer: {layer} ({score}).")).format(
                layer=f"<b>{html.escape(layer_name(weakest))}</b>",
                score=html.escape(_pct(self.model.layer_score(weakest) or 0)))
            parts.append(f"<p>{words}</p>")
        self.summary.value = "".join(parts)
        key = tuple(self.model.scores().items())
        if key != self._chart_key:
            rated = self.model.overall() is not None
            show_layer_chart(self.chart, self.model)
            self.chart.layout.display = "" if rated else "none"
            self._chart_key = key
        done = self.model.completeness()
        words = ngettext("{done} of {total} layers fully rated",
                         "{done} of {total} layers fully rated", done.done).format(
            done=done.done, total=done.total)
        if done.missing:
            words = _("{done} — still: {todo}").format(done=words, todo=listing(done.missing))
        show_message(self.progress, words, "ok" if done.complete else "info")


__all__ = ["LAYERS", "STATEMENTS", "SUGGESTIONS", "InteroperabilityAssessment",
           "InteroperabilityAssessmentModel", "Workbook", "layer_name", "normalise_name",
           "rating_label", "reconcile_names", "statement_text"]
