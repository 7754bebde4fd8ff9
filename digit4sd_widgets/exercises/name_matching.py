"""One code for each country (submodule 4.2): a partner's country names matched to ISO3 codes,
with the learner's judgement.

A partner agency sends a list of countries, spelled as its staff typed them. The matching
tool (:func:`digit4sd_widgets.exercises.interop.reconcile_names`) proposes a country for
each name, or none. For each name the learner decides: accept the proposal, choose another
country, or ask the source, because the name alone cannot tell which country is meant (then
the learner writes what they would ask).

The answer is one mapping, name -> ISO3 code, or ``None`` for "ask the source", plus the
questions for those names. The boxes and code (``matching.take(globals())`` with a dict
``matches`` and, for the names to ask about, a dict ``questions``) store the same answer.

>>> m = NameMatchingModel().with_match("Lao PDR", "lao").with_match("Korea", None)
>>> m.matches, m.decision("Lao PDR"), m.decision("Korea")
({'Lao PDR': 'LAO', 'Korea': None}, 'accept', 'ask')
>>> m.with_question("Korea", "Which Korea do you mean?").completeness().done
2
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import data, i18n
from ..i18n import N_, _, get_language, ngettext
from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
    mapping,
    message_label,
    semicolons,
    show_message,
    text,
)
from .interop import reconcile_names


@dataclass(frozen=True)
class Name:
    """A name as the partner wrote it, and the country it stands for (``None``: only the
    sender can say which country is meant)."""

    text: str
    code: str | None


#: the partner's list, in the order it came
NAMES: tuple[Name, ...] = (
    Name("Ivory Coast", "CIV"),
    Name("Lao PDR", "LAO"),
    Name("Congo", None),  # the Republic of the Congo (COG) or the Democratic Republic (COD)
    Name("Swaziland", "SWZ"),
    Name("S. Sudan", "SSD"),
    Name("The Gambia", "GMB"),
    Name("Korea", None),  # the Republic of Korea (KOR) or the Democratic People's Rep. (PRK)
    Name("Burma", "MMR"),
    Name("Cape Verde", "CPV"),
    Name("Eq. Guinea", "GNQ"),
    Name("Congo (Kinshasa)", "COD"),
    Name("Micronesia, Fed. Sts.", "FSM"),
)
NAME_TEXTS: tuple[str, ...] = tuple(n.text for n in NAMES)
MAX_QUESTION = 300
MIN_QUESTION_WORDS = 3
MAX_NAMES = 500  # names at a time in "try your own list"

#: the learner's decisions (the keys are what code and tests read; the words are shown
#: through ``_()``)
DECISIONS = {"accept": N_("Accept the proposal"), "other": N_("Choose another country"),
             "ask": N_("Ask the source")}
METHODS = {"exact": N_("exact name"), "fuzzy": N_("close match"), "none": N_("no match")}


def _name(value: Any) -> str:
    """The partner's name for ``value`` (case and outer spaces ignored)."""
    if isinstance(value, str):
        key = value.strip().casefold()
        for name in NAME_TEXTS:
            if name.casefold() == key:
                return name
    shown = str(value)[:40]
    raise ValidationError(_("There is no name '{name}' in the partner's list; the names are: "
                            "{names}.").format(name=shown, names=", ".join(NAME_TEXTS)),
                          "matches")


@lru_cache(maxsize=1)
def _officials() -> dict[str, str]:
    countries = data.load_countries()
    return {str(i): str(n) for i, n in zip(countries["iso3"], countries["name"], strict=True)}


def country_name(code: str) -> str:
    """A Member State's name, in the reader's language (the code itself if unknown)."""
    official = _officials().get(code)
    return code if official is None else i18n.country_name(code, official)


def _code(value: Any, name: str) -> str:
    """An ISO3 code from a code or a country's name, as :func:`data.find_country` reads it."""
    if not isinstance(value, str):
        raise ValidationError(_("The country for '{name}' must be an ISO3 code as text (such "
                                "as 'CIV'), or None to ask the source.").format(
            name=name), "matches")
    try:
        return data.find_country(value)
    except ValueError:
        raise ValidationError(_("{typed} (for '{name}') is not the ISO3 code of a UN Member "
                                "State, such as 'CIV' for {example}.").format(
            typed=repr(value.strip()[:30]), name=name, example=country_name("CIV")),
            "matches") from None


@lru_cache(maxsize=1)
def proposals() -> dict[str, tuple[str | None, str]]:
    """What the matching tool proposes for each name: (ISO3 code or None, method)."""
    table = reconcile_names(NAME_TEXTS)
    return {str(name): (code if isinstance(code, str) else None, str(method))
            for name, code, method in zip(table["name"], table["iso3"], table["method"],
                                          strict=True)}


def proposal_text(name: str) -> str:
    code, method = proposals()[name]
    if code is None:
        return _("no country found")
    return _("{country} ({code}), {method}").format(country=country_name(code), code=code,
                                                   method=_(METHODS[method]))


def country_options() -> tuple[tuple[str, str], ...]:
    """(label, ISO3) of the 193 UN Member States, by name in the reader's language (accents
    ignored in the order)."""
    return _country_options(get_language())


@lru_cache(maxsize=8)
def _country_options(lang: str) -> tuple[tuple[str, str], ...]:
    def key(item: tuple[str, str]) -> str:
        plain = unicodedata.normalize("NFKD", item[0])
        return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()

    return tuple(sorted(((f"{country_name(c)} ({c})", c) for c in _officials()), key=key))


def _words(question: str) -> int:
    return len(question.split())


# --------------------------------------------------------------------------- model
class NameMatchingModel(ExerciseModel):
    """For each name of the partner's list: an ISO3 code, ``None`` (ask the source) or no
    decision yet; and for the names to ask about, the question to the source."""

    kind: ClassVar[str] = "name_matching"
    title: ClassVar[str] = N_("One code for each country")
    submodule: ClassVar[str] = "4.2"

    def __init__(self, matches: Mapping[str, Any] | None = None,
                 questions: Mapping[str, Any] | None = None):
        given = {_name(k): v for k, v in mapping(matches or {}, _("The matches")).items()}
        self.matches: dict[str, str | None] = {
            name: (None if given[name] is None else _code(given[name], name))
            for name in NAME_TEXTS if name in given}
        asked = {_name(k): v
                 for k, v in mapping(questions or {}, _("The questions")).items()}
        self.questions: dict[str, str] = {}
        for name in NAME_TEXTS:
            if name in asked and name in self.matches and self.matches[name] is None:
                words = text(asked[name], question_label(name),
                             max_len=MAX_QUESTION, field="questions")
                if words:
                    self.questions[name] = words

    # -- changes
    def with_match(self, name: Any, code: Any) -> NameMatchingModel:
        """A code (or a country's name) for one name; ``None`` to ask the source; ``""`` to
        take the decision back."""
        name = _name(name)
        matches = dict(self.matches)
        if isinstance(code, str) and not code.strip():
            matches.pop(name, None)
        else:
            matches[name] = None if code is None else _code(code, name)
        return NameMatchingModel(matches, self.questions)

    def with_question(self, name: Any, question: Any) -> NameMatchingModel:
        """What to ask the source about a name set to "ask the source"."""
        name = _name(name)
        if name not in self.matches or self.matches[name] is not None:
            raise ValidationError(_("Choose “{ask}” for '{name}' first, then write your "
                                    "question.").format(ask=_(DECISIONS["ask"]),
                                                        name=name), "questions")
        question = text(question, question_label(name), max_len=MAX_QUESTION,
                        field="questions")
        questions = {k: v for k, v in self.questions.items() if k != name}
        if question:
            questions[name] = question
        return NameMatchingModel(self.matches, questions)

    def with_answers(self, matches: Any, questions: Any = None) -> NameMatchingModel:
        """Several decisions at once, as code gives them: ``matches`` maps names to codes
        (``None``: ask the source), ``questions`` maps names to questions. Names not given
        keep their earlier decision. All or nothing: one refused value changes nothing."""
        if not isinstance(matches, Mapping):
            raise ValidationError(_("{variable} must be a dict: each name of the list -> its "
                                    "ISO3 code as text, or None to ask the source.").format(
                variable="matches"), "matches")
        if questions is not None and not isinstance(questions, Mapping):
            raise ValidationError(_("{variable} must be a dict: each name you would ask about "
                                    "-> your question, as text.").format(
                variable="questions"), "questions")
        model = self
        for name, code in matches.items():
            model = model.with_match(name, code)
        for name, question in (questions or {}).items():
            model = model.with_question(name, question)
        return model

    # -- reading
    def decision(self, name: str) -> str | None:
        """"accept" (the tool's proposal), "other" (another country), "ask" or None."""
        name = _name(name)
        if name not in self.matches:
            return None
        code = self.matches[name]
        if code is None:
            return "ask"
        return "accept" if code == proposals()[name][0] else "other"

    def counts(self) -> dict[str, int]:
        found = [self.decision(n) for n in NAME_TEXTS]
        return {d: found.count(d) for d in DECISIONS}

    def completeness(self) -> Completeness:
        missing = []
        for name in NAME_TEXTS:
            if name not in self.matches:
                missing.append(_("a decision on '{name}'").format(name=name))
            elif self.matches[name] is None and _words(self.questions.get(name, "")) \
                    < MIN_QUESTION_WORDS:
                missing.append(_("what you would ask the source about '{name}' (a short "
                                 "question)").format(name=name))
        return Completeness(len(NAMES) - len(missing), len(NAMES), missing)

    def rows(self) -> list[list[str]]:
        out = []
        for name in NAME_TEXTS:
            code = self.matches.get(name, "")
            decision = self.decision(name)
            out.append([name, proposal_text(name),
                        _(DECISIONS[decision]) if decision else _("not decided yet"),
                        (f"{country_name(code)} ({code})" if code else
                         _("to ask") if decision == "ask" else "–"),
                        self.questions.get(name, "")])
        return out

    def report(self) -> list[Block]:
        counts = self.counts()
        done = self.completeness()
        return [
            Block("fields", _("Summary"), items=[
                (_("Names decided"), _("{done} of {total}").format(done=len(self.matches),
                                                                   total=len(NAMES))),
                (_("Proposals accepted"), str(counts["accept"])),
                (_("Another country chosen"), str(counts["other"])),
                (_("To ask the source"), str(counts["ask"])),
                (_("Still to do"), semicolons(done.missing) or _("nothing"))]),
            Block("table", _("Your decisions"),
                  columns=[_("Name as written"), _("The tool's proposal"), _("Your decision"),
                           _("Country"), _("Question to the source")],
                  rows=self.rows()),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"matches": dict(self.matches), "questions": dict(self.questions)}

    @classmethod
    def from_dict(cls, data: Any) -> NameMatchingModel:
        """A saved answer; names no longer in the list are left out, not refused."""
        data = mapping(data, _("A name matching"))
        raw = data.get("matches")
        matches = mapping({} if raw is None else raw, _("The matches"))
        raw = data.get("questions")
        questions = mapping({} if raw is None else raw, _("The questions"))
        known = {n.casefold() for n in NAME_TEXTS}

        def kept(values: Mapping[Any, Any]) -> dict[str, Any]:
            return {k: v for k, v in values.items()
                    if isinstance(k, str) and k.strip().casefold() in known}
        return cls(kept(matches), kept(questions))


def take_answers(model: NameMatchingModel, namespace: Mapping[str, Any]
                 ) -> tuple[NameMatchingModel, str | None, str | None]:
    """The decisions that code set (``matches`` and, if any, ``questions`` in
    ``namespace``) put into ``model``: (new model, what was saved, why nothing was saved).

    >>> m, saved, refused = take_answers(NameMatchingModel(), {"matches": {"Burma": "MMR"}})
    >>> m.matches, saved, refused
    ({'Burma': 'MMR'}, '1 name decided (1 of 12 in all).', None)
    """
    matches = namespace.get("matches")
    if matches is None:
        return model, None, None
    try:
        new = model.with_answers(matches, namespace.get("questions"))
    except ValidationError as exc:
        return model, None, " ".join([str(exc), _("Your earlier decisions are kept.")])
    n = len(matches)
    return new, ngettext("{count} name decided ({done} of {total} in all).",
                         "{count} names decided ({done} of {total} in all).", n).format(
        count=n, done=len(new.matches), total=len(NAMES)), None


def question_label(name: str) -> str:
    """"The question about 'Congo'", in the reader's language."""
    return _("The question about '{name}'").format(name=name)


# ------------------------------------------------------------------------------- view
class NameMatching(ExerciseView):
    """Decide, for each name of the partner's list: accept, another country, or ask.

    >>> view = NameMatching(workbook=Workbook.in_memory())
    >>> view.decision_boxes["Burma"].value = "other"
    >>> view.country_boxes["Burma"].value = "MMR"
    >>> view.decision_boxes["Congo"].value = "ask"
    >>> view.question_boxes["Congo"].value = "Which Congo: Brazzaville or Kinshasa?"
    >>> view.model.matches, view.model.questions
    ({'Congo': None, 'Burma': 'MMR'}, {'Congo': 'Which Congo: Brazzaville or Kinshasa?'})
    """

    model_class = NameMatchingModel
    model: NameMatchingModel

    def _build(self) -> list[widgets.Widget]:
        self._syncing = False
        self._modes: dict[str, str] = {}  # the decision shown while a country is chosen
        self.decision_boxes: dict[str, widgets.Dropdown] = {}
        self.country_boxes: dict[str, widgets.Dropdown] = {}
        self.question_boxes: dict[str, widgets.Text] = {}
        self.row_messages: dict[str, widgets.HTML] = {}
        self._extras: dict[str, widgets.VBox] = {}
        rows: list[widgets.Widget] = []
        for n, name in enumerate(NAME_TEXTS, 1):
            code, _method = proposals()[name]
            options = [(_("(choose)"), "")]
            if code is not None:
                options.append((_(DECISIONS["accept"]), "accept"))
            options += [(_(DECISIONS["other"]), "other"), (_(DECISIONS["ask"]), "ask")]
            box = widgets.Dropdown(description=_("Your decision on “{name}”").format(name=name),
                                   options=options,
                                   value="", style={"description_width": "240px"},
                                   layout=widgets.Layout(width="calc(240px + 230px)"))
            message = message_label()
            box.observe(self._guard(self._make_decider(name), message), names="value")
            self.decision_boxes[name] = box
            self.row_messages[name] = message
            self._extras[name] = widgets.VBox()
            found = (_("the tool proposes {proposal}").format(proposal=proposal_text(name))
                     if code is not None else _("the tool found no country"))
            heading = widgets.HTML(f"<b>{n}. {html.escape(name)}</b> <span "
                                   f"style='color:#5f6b73'>— {html.escape(found)}</span>")
            row = widgets.VBox([heading, box, self._extras[name], message])
            row.add_class("d4-choice-row")
            rows.append(row)
        self.progress = message_label()
        self.summary = widgets.HTML()

        self.names_box = widgets.Textarea(
            placeholder=_("One country name per line, e.g.") + "\nViet Nam\nLao PDR\n"
                        "Congo, Dem. Rep.",
            rows=5, layout=widgets.Layout(width="60%"))
        self.match_button = widgets.Button(description=_("Match to ISO codes"), icon="link")
        self.match_message = message_label()  # refusals
        self.match_note = message_label()  # how many matched
        self.match_table = widgets.HTML()
        self.match_button.on_click(self._guard(self._match, self.match_message))
        trying = widgets.VBox([
            widgets.HTML(_("<b>Try the matching tool on your own list</b> — paste country "
                           "names as a source in your country writes them, and see what it "
                           "proposes. Check each proposal as you did above.")),
            self.names_box, self.match_button, self.match_message, self.match_note,
            self.match_table])
        return [widgets.HTML(html.escape(_(
                    "A partner agency sent these twelve country names. For each one, the "
                    "matching tool proposes a country, or finds none. Decide: accept the "
                    "proposal, choose another country, or ask the source when the name "
                    "alone cannot tell which country is meant. Then write what you would "
                    "ask."))),
                *rows, self.progress, self.summary, trying]

    # -- the extra control of a row: a country list, a question box, or nothing
    def _country_box(self, name: str) -> widgets.Dropdown:
        if name not in self.country_boxes:  # made when first needed: 193 options each
            box = widgets.Dropdown(description=_("Country"),
                                   options=[(_("(choose a country)"), ""), *country_options()],
                                   value="", layout=widgets.Layout(width="470px"))
            box.observe(self._guard(self._make_chooser(name), self.row_messages[name]),
                        names="value")
            self.country_boxes[name] = box
        return self.country_boxes[name]

    def _question_box(self, name: str) -> widgets.Text:
        if name not in self.question_boxes:
            box = widgets.Text(description=_("What would you ask?"),
                               placeholder=_("e.g. Which country do you mean? Please send "
                                             "its ISO3 code."),
                               style={"description_width": "160px"},
                               layout=widgets.Layout(width="calc(160px + 440px)"))
            box.continuous_update = False
            box.observe(self._guard(self._make_asker(name), self.row_messages[name]),
                        names="value")
            self.question_boxes[name] = box
        return self.question_boxes[name]

    def _shown(self, name: str) -> str:
        decision = self.model.decision(name)
        mode = self._modes.get(name)
        if decision is None:
            return "other" if mode == "other" else ""
        if decision == "accept" and mode == "other":
            return "other"  # a country chosen from the list that is also the proposal
        return decision

    # -- callbacks
    def _make_decider(self, name: str):
        def decide(change) -> None:
            if self._syncing:
                return
            new = change["new"]
            self._modes.pop(name, None)
            if new == "accept":
                self.commit(self.model.with_match(name, proposals()[name][0]))
            elif new == "ask":
                self.commit(self.model.with_match(name, None))
            elif new == "other":
                self._modes[name] = "other"
                if self.model.decision(name) in ("ask", "accept"):
                    self.commit(self.model.with_match(name, ""))  # wait for the country
                else:
                    self._safe_refresh()
            else:
                self.commit(self.model.with_match(name, ""))
        return decide

    def _make_chooser(self, name: str):
        def choose(change) -> None:
            if self._syncing:
                return
            self._modes[name] = "other"
            self.commit(self.model.with_match(name, change["new"] or ""))
        return choose

    def _make_asker(self, name: str):
        def ask(change) -> None:
            if self._syncing:
                return
            self.commit(self.model.with_question(name, change["new"]))
        return ask

    def _match(self, _button=None) -> None:
        show_message(self.match_note, "")
        self.match_table.value = ""
        lines = [line.strip() for line in self.names_box.value.splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_("Type or paste at least one country name, one per line."))
        if len(lines) > MAX_NAMES:
            raise ValidationError(_("At most {count} names at a time.").format(count=MAX_NAMES))
        table = reconcile_names(lines)
        table["method"] = table["method"].map(lambda m: _(METHODS[m]))
        table["matched_name"] = [country_name(c) if isinstance(c, str) else n
                                 for c, n in zip(table["iso3"], table["matched_name"],
                                                 strict=True)]
        self.match_table.value = html_table(
            [_("Name as written"), _("ISO3 code"), _("Official name"), _("How it was found")],
            table[["name", "iso3", "matched_name", "method"]].values.tolist())
        unmatched = int(table["iso3"].isna().sum())
        found = len(table) - unmatched
        if unmatched:
            said = ngettext("{found} of {total} names got a proposal; decide the one without a "
                            "proposal yourself.",
                            "{found} of {total} names got a proposal; decide the {unmatched} "
                            "without one yourself.", unmatched)
        else:
            said = _("{found} of {total} names got a proposal.")
        show_message(self.match_note, " ".join([
            said.format(found=found, total=len(table), unmatched=unmatched),
            _("A proposal can be wrong: check each one.")]), "info")

    # -- code route
    def take(self, namespace: Mapping[str, Any]) -> None:
        """Save the decisions that code set (``matches``, and ``questions`` for the names to
        ask about) and show them in the boxes; say in plain words what happened."""
        model, saved, refused = take_answers(self.model, namespace)
        if refused:
            print(_("Not saved:"), refused)
        elif saved:
            self._modes.clear()
            self.commit(model)
            print(_("Saved from your code:"), saved)
            missing = model.completeness().missing
            if missing:
                print(_("Still to do:"), semicolons(missing))
        else:
            print(_("No answer set in code: your decisions in the boxes count."))

    # -- showing the model
    def refresh(self) -> None:
        self._syncing = True
        try:
            for name in NAME_TEXTS:
                shown = self._shown(name)
                if self.decision_boxes[name].value != shown:
                    self.decision_boxes[name].value = shown
                extra: list[widgets.Widget] = []
                if shown == "other":
                    box = self._country_box(name)
                    value = self.model.matches.get(name) or ""
                    if box.value != value:
                        box.value = value
                    extra = [box]
                elif shown == "ask":
                    box = self._question_box(name)
                    value = self.model.questions.get(name, "")
                    if box.value != value:
                        box.value = value
                    extra = [box]
                if list(self._extras[name].children) != extra:
                    self._extras[name].children = extra
        finally:
            self._syncing = False
        counts = self.model.counts()
        self.summary.value = "<p>" + html.escape(_(
            "Accepted: {accepted} · another country: {other} · ask the source: {ask}").format(
            accepted=counts["accept"], other=counts["other"], ask=counts["ask"])) + "</p>"
        done = self.model.completeness()
        todo = semicolons(done.missing[:3]) + ("…" if len(done.missing) > 3 else "")
        progress = _("{done} of {total} names done").format(done=done.done, total=done.total)
        show_message(self.progress, _("{progress} — still: {todo}").format(
            progress=progress, todo=todo) if todo else progress,
                     "ok" if done.complete else "info")


__all__ = ["DECISIONS", "NAMES", "NAME_TEXTS", "Name", "NameMatching", "NameMatchingModel",
           "Workbook", "country_options", "proposals", "take_answers"]
