"""Feedback on the toolkit (submodule 6.3): what participants thought of each module and of
the toolkit as a whole. Every answer is optional; "Submit" saves the form.

>>> m = FeedbackFormModel().with_answers(module_ratings={"3": 5}, recommend="yes")
>>> m.module_ratings["3"], m.module_ratings["1"], m.recommend
(5, None, 'yes')
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import data
from ..i18n import N_, _, pgettext
from ..i18n import country_name as local_name
from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    choice,
    integer,
    mapping,
    message_label,
    show_message,
    text,
)
from ._country import country_options
from .readiness import module_name

MODULES: dict[str, str] = {
    "1": "Getting Started", "2": "Fundamentals", "3": "Planning & Analysis",
    "4": "Design & Implementation", "5": "Monitoring & Review", "6": "Moving Forward",
}
RECOMMEND: tuple[str, ...] = ("yes", "no", "unsure")
#: suggestions for the role (free text: what the participant picks or types is kept as is)
ROLES: tuple[str, ...] = (N_("Senior government official"), N_("Policy officer"),
                          N_("ICT or digital government officer"),
                          N_("Statistician or data analyst"), N_("Local government officer"),
                          N_("Academia"), N_("Civil society"), N_("Private sector"),
                          N_("International organisation"))


def recommend_label(answer: str) -> str:
    """An answer to "Would you recommend it?" in the reader's language (stored: "yes", "no",
    "unsure")."""
    return {"yes": pgettext("answer", "yes"), "no": pgettext("answer", "no"),
            "unsure": pgettext("answer", "unsure")}.get(answer, answer)
MAX_FEEDBACK = 1000
FIELDS = ("module_ratings", "usefulness", "most_useful", "improve", "recommend", "role",
          "country")


@lru_cache(maxsize=1)
def country_names() -> tuple[tuple[str, str], ...]:
    """(name, ISO3) of the 193 UN Member States, by name."""
    c = data.load_countries().sort_values("name")
    return tuple(zip(c["name"].astype(str), c["iso3"].astype(str), strict=True))


def _rating(value: Any, label: str, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return integer(value, label, lo=1, hi=5, field=field)


def _country(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValidationError(_("The country must be a name or a code."), "country")
    try:
        return data.find_country(value)
    except ValueError as exc:
        raise ValidationError(str(exc), "country") from None


class FeedbackFormModel(ExerciseModel):
    """One participant's feedback on the toolkit; every field may stay empty."""

    kind: ClassVar[str] = "toolkit_feedback"
    title: ClassVar[str] = N_("Your feedback on the toolkit")
    submodule: ClassVar[str] = "6.3"

    def __init__(self, module_ratings: Mapping[str, Any] | None = None,
                 usefulness: Any = None, most_useful: Any = "", improve: Any = "",
                 recommend: Any = "", role: Any = "", country: Any = None):
        given = dict(mapping({} if module_ratings is None else module_ratings,
                             _("Module ratings")))
        unknown = [k for k in given if k not in MODULES]
        if unknown:
            raise ValidationError(_("There is no module {module!r}; modules are numbered 1 to "
                                    "6.").format(module=str(unknown[0])[:20]), "module_ratings")
        self.module_ratings: dict[str, int | None] = {
            m: _rating(given.get(m), _("The rating of module {module}").format(module=m),
                       "module_ratings")
            for m in MODULES}
        self.usefulness = _rating(usefulness, _("Usefulness"), "usefulness")
        self.most_useful = text(most_useful, _("What was most useful"), max_len=MAX_FEEDBACK,
                                field="most_useful")
        self.improve = text(improve, _("What to improve"), max_len=MAX_FEEDBACK,
                            field="improve")
        self.recommend = choice("" if recommend is None else recommend,
                                _("Would you recommend it"), ("", *RECOMMEND),
                                field="recommend")
        self.role = text(role, _("Your role"), max_len=MAX_NAME, field="role")
        self.country = _country(country)

    # -- changes
    def with_answers(self, **fields: Any) -> FeedbackFormModel:
        """A new model with some answers replaced; everything is checked again."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValidationError(_("The form has no field {field!r}.").format(
                field=sorted(unknown)[0]))
        merged = {**self.to_dict(), **fields}
        if "module_ratings" in fields:
            ratings = mapping(fields["module_ratings"] or {}, _("Module ratings"))
            merged["module_ratings"] = {**self.module_ratings, **ratings}
        return FeedbackFormModel(**merged)

    # -- reading
    def is_empty(self) -> bool:
        return self == FeedbackFormModel()

    def completeness(self) -> Completeness:
        checks = {_("a rating for module {module}").format(module=m): r is not None
                  for m, r in self.module_ratings.items()}
        checks.update({
            _("how useful the toolkit is for your work"): self.usefulness is not None,
            _("what was most useful"): bool(self.most_useful),
            _("what to improve"): bool(self.improve),
            _("whether you would recommend it"): bool(self.recommend),
        })
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def country_name(self) -> str:
        """The country's name in the reader's language ("" when none is given)."""
        if self.country is None:
            return ""
        english = next((n for n, code in country_names() if code == self.country),
                       self.country)
        return local_name(self.country, english)

    def report(self) -> list[Block]:
        def stars(r: int | None) -> str:
            return "–" if r is None else _("{rating} of 5").format(rating=r)

        return [
            Block("table", _("Ratings by module"), columns=[_("Module"), _("Rating")],
                  rows=[[f"{m} {module_name(m)}", stars(self.module_ratings[m])]
                        for m in MODULES]),
            Block("fields", _("About the toolkit"), items=[
                (_("Useful for my work"), stars(self.usefulness)),
                (_("Most useful"), self.most_useful or "–"),
                (_("To improve"), self.improve or "–"),
                (_("Would recommend"), recommend_label(self.recommend) or "–"),
                (_("Role"), self.role or "–"),
                (_("Country"), self.country_name() or "–"),
            ]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"module_ratings": dict(self.module_ratings), "usefulness": self.usefulness,
                "most_useful": self.most_useful, "improve": self.improve,
                "recommend": self.recommend, "role": self.role, "country": self.country}

    @classmethod
    def from_dict(cls, data: Any) -> FeedbackFormModel:
        data = mapping(data, _("A feedback form"))
        return cls(**{k: data[k] for k in FIELDS if k in data})


# ------------------------------------------------------------------------------- view
RATING_OPTIONS = [("–", None), ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5)]


class FeedbackForm(ExerciseView):
    """The feedback form; "Submit" checks and saves it.

    >>> view = FeedbackForm(workbook=Workbook.in_memory())
    >>> view.ratings["4"].value = 4; view.recommend.value = "yes"; view.submit_button.click()
    >>> view.model.module_ratings["4"], view.model.recommend
    (4, 'yes')
    """

    model_class = FeedbackFormModel
    model: FeedbackFormModel

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "220px"}
        wide = widgets.Layout(width="620px")
        self.ratings: dict[str, widgets.ToggleButtons] = {
            m: widgets.ToggleButtons(description=f"{m}. {module_name(m)}",
                                     options=RATING_OPTIONS, value=None,
                                     style={**style, "button_width": "42px"})
            for m in MODULES}
        self.usefulness = widgets.ToggleButtons(
            description=_("Useful for my work"), options=RATING_OPTIONS, value=None,
            style={**style, "button_width": "42px"})
        self.most_useful = widgets.Textarea(description=_("What was most useful?"),
                                            style=style, layout=wide, rows=3)
        self.improve = widgets.Textarea(description=_("What should we improve?"), style=style,
                                        layout=wide, rows=3)
        self.recommend = widgets.ToggleButtons(
            description=_("Would you recommend it?"), value="",
            options=[("–", "")] + [(recommend_label(a), a) for a in RECOMMEND],
            style={**style, "button_width": "70px"})
        self.role = widgets.Combobox(description=_("Your role (optional)"),
                                     options=[_(role) for role in ROLES],
                                     ensure_option=False, placeholder=_("pick or type"),
                                     style=style, layout=widgets.Layout(width="520px"))
        self.country = widgets.Dropdown(
            description=_("Your country (optional)"), style=style,
            options=[(_("(prefer not to say)"), None), *country_options()], value=None,
            layout=widgets.Layout(width="520px"))
        self.submit_button = widgets.Button(description=_("Submit"), button_style="primary",
                                            icon="paper-plane")
        self.form_message = message_label()
        self.thanks = widgets.HTML()
        scale = widgets.HTML("<p>" + html.escape(_(
            "Rate from 1 (poor) to 5 (excellent); leave a module at – if you did not take it. "
            "Every question is optional.")) + "</p>")
        self.submit_button.on_click(self._guard(self._submit, self.form_message))
        return [scale,
                widgets.HTML("<b>" + html.escape(_("How good was each module?")) + "</b>"),
                *self.ratings.values(), self.usefulness, self.most_useful, self.improve,
                self.recommend, self.role, self.country,
                widgets.HBox([self.submit_button]), self.form_message, self.thanks]

    def _fields(self) -> dict[str, Any]:
        return {"module_ratings": {m: t.value for m, t in self.ratings.items()},
                "usefulness": self.usefulness.value, "most_useful": self.most_useful.value,
                "improve": self.improve.value, "recommend": self.recommend.value,
                "role": self.role.value, "country": self.country.value}

    def _submit(self, _button=None) -> None:
        new = FeedbackFormModel(**self._fields())
        if new.is_empty():
            raise ValidationError(_("The form is empty: answer at least one question, then "
                                    "submit."))
        self.commit(new)
        show_message(self.thanks, _("Thank you! Your feedback is saved; you can change it and "
                                    "submit again."), "ok")

    def refresh(self) -> None:
        m = self.model
        for module, toggle in self.ratings.items():
            toggle.value = m.module_ratings[module]
        self.usefulness.value = m.usefulness
        self.most_useful.value = m.most_useful
        self.improve.value = m.improve
        self.recommend.value = m.recommend
        self.role.value = m.role
        self.country.value = m.country
        if not m.is_empty() and not self.thanks.value:
            show_message(self.thanks, _("Your earlier feedback is shown: change it and "
                                        "submit again if you like."), "info")


__all__ = ["MODULES", "RECOMMEND", "ROLES", "FeedbackForm", "FeedbackFormModel", "Workbook",
           "country_names", "recommend_label"]
