"""SDG target mapper (submodule 2.1): link digital services to the SDG targets they serve.

Each service gets one to three targets from a short catalogue. A suggested mapping, with a
one-line reason per target, gives feedback once the learner has chosen. Learners may add
services of their own.

>>> m = SDGTargetMapperModel().with_targets("Online birth registration", ["16.9", "1.4"])
>>> m.compare("Online birth registration")["matched"]
['16.9']
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, ngettext
from ..workbook import Workbook
from ._base import (
    MAX_NAME,
    Block,
    CheckboxList,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
    mapping,
    message_label,
    sequence,
    show_message,
    text,
)

TARGETS: dict[str, str] = {
    "1.3": N_("Social protection for all, reaching the poor and vulnerable"),
    "1.4": N_("Equal rights to economic resources, basic services and financial services"),
    "1.5": N_("Poor people more resilient to climate shocks and disasters"),
    "2.3": N_("Higher productivity and incomes for small-scale food producers"),
    "3.8": N_("Health coverage for everyone"),
    "4.4": N_("More young people and adults with skills for jobs (measured by ICT skills)"),
    "4.c": N_("More qualified teachers"),
    "5.b": N_("More use of technology, ICT above all, to empower women"),
    "8.3": N_("Policies that support jobs, entrepreneurs and small businesses"),
    "8.10": N_("Stronger financial institutions and wider access to banking"),
    "9.c": N_("Much wider and affordable access to ICT and the internet"),
    "11.3": N_("Inclusive, sustainable cities planned with their people"),
    "12.7": N_("Sustainable public procurement"),
    "13.1": N_("Resilience to climate hazards and natural disasters"),
    "16.5": N_("Much less corruption and bribery"),
    "16.6": N_("Effective, accountable and transparent institutions"),
    "16.7": N_("Responsive, inclusive and participatory decision-making"),
    "16.9": N_("Legal identity for all, birth registration included"),
    "16.10": N_("Public access to information and basic freedoms"),
    "17.8": N_("Use of enabling technology, ICT above all"),
    "17.18": N_("More timely and reliable data, broken down by group"),
}

# The suggested mapping: for each given service, its targets with a one-line reason.
REFERENCE: dict[str, dict[str, str]] = {
    N_("Online birth registration"): {
        "16.9": N_("Registering births online brings a legal identity to more children."),
        "16.6": N_("A digital civil registry works faster and is easier to hold to account."),
    },
    N_("Open budget portal"): {
        "16.6": N_("Published budgets make spending institutions more accountable."),
        "16.10": N_("People can see for themselves how public money is spent."),
        "16.5": N_("Open figures make it harder to hide corruption."),
    },
    N_("Mobile money for social transfers"): {
        "1.3": N_("Paying benefits to phones helps social protection reach poor households."),
        "1.4": N_("Recipients gain access to financial services, often for the first time."),
        "8.10": N_("It widens access to payments and savings beyond bank branches."),
    },
    N_("Digital skills courses for teachers"): {
        "4.4": N_("Teachers gain ICT skills, the skills that indicator 4.4.1 counts, and pass "
                  "them on to their students."),
    },
    N_("Online company registration"): {
        "8.3": N_("Easier registration helps small firms join the formal economy."),
        "16.6": N_("One online procedure cuts delays and the room for favours."),
    },
    N_("National broadband plan"): {
        "9.c": N_("Its aim is wider and cheaper internet access."),
        "17.8": N_("The share of people using the internet is this target's measure."),
    },
    N_("e-Procurement portal"): {
        "16.5": N_("Transparent bidding leaves less room for bribes."),
        "16.6": N_("Every purchase is recorded and can be audited."),
    },
    N_("SMS weather alerts for farmers"): {
        "13.1": N_("Early warnings help farmers cope with climate hazards."),
        "2.3": N_("Well-timed advice protects harvests and farm incomes."),
        "1.5": N_("Poor rural households lose less when disasters strike."),
    },
}
SERVICES: tuple[str, ...] = tuple(REFERENCE)
MAX_TARGETS = 3
MAX_CUSTOM = 10


def target_text(code: str) -> str:
    """What a target is about, in the reader's language."""
    return _(TARGETS[code])


def target_label(code: str) -> str:
    """``"16.9 – Legal identity for all, ..."``"""
    return f"{code} – {target_text(code)}"


def service_label(name: str) -> str:
    """A given service's name in the reader's language; the learner's own as written."""
    return _(name) if name in REFERENCE else name


def reason(service: str, code: str) -> str:
    """Why the suggestion links ``service`` to target ``code``, in the reader's language."""
    return _(REFERENCE[service][code])


def _target_code(value: Any) -> str:
    if isinstance(value, str):
        key = value.strip().casefold()
        for code in TARGETS:
            if code.casefold() == key:
                return code
    shown = value if isinstance(value, str) else "?"
    raise ValidationError(_("{code!r} is not a target in the list.").format(
        code=str(shown)[:20]), "targets")


class SDGTargetMapperModel(ExerciseModel):
    """Services mapped to SDG targets, plus the learner's own services."""

    kind: ClassVar[str] = "sdg_target_mapper"
    title: ClassVar[str] = N_("Digital services and SDG targets")
    submodule: ClassVar[str] = "2.1"

    def __init__(self, targets: Mapping[str, Iterable[str]] | None = None,
                 custom_services: Iterable[str] = ()):
        custom: list[str] = []
        seen = {s.casefold() for s in SERVICES}
        for raw in custom_services:
            name = text(raw, _("The service's name"), required=True, max_len=MAX_NAME,
                        field="service")
            if name.casefold() in seen:
                raise ValidationError(_("{name!r} is already in the list.").format(name=name),
                                      "service")
            seen.add(name.casefold())
            custom.append(name)
        if len(custom) > MAX_CUSTOM:
            raise ValidationError(_("At most {n} services of your own.").format(n=MAX_CUSTOM),
                                  "service")
        self.custom_services = tuple(custom)
        chosen: dict[str, tuple[str, ...]] = {}
        for service, codes in (targets or {}).items():
            name = self._service_name(service)
            if name in chosen:
                raise ValidationError(_("{name!r} appears twice.").format(name=name),
                                      "service")
            picked = self._checked_targets(codes)
            if picked:
                chosen[name] = picked
        self.mapping = {s: chosen[s] for s in self.services() if s in chosen}

    @staticmethod
    def _checked_targets(codes: Any) -> tuple[str, ...]:
        items = sequence(codes, _("Targets"), max_len=len(TARGETS))
        picked = {_target_code(c) for c in items}
        if len(picked) > MAX_TARGETS:
            raise ValidationError(_("Pick at most {most} targets for one service (you picked "
                                    "{n}): keep the ones it serves most directly.")
                                  .format(most=MAX_TARGETS, n=len(picked)), "targets")
        return tuple(code for code in TARGETS if code in picked)

    def _service_name(self, service: Any) -> str:
        if isinstance(service, str):
            key = service.strip().casefold()
            for name in self.services():
                if key in (name.casefold(), service_label(name).casefold()):
                    return name
        raise ValidationError(_("There is no service called {name!r} in the list.")
                              .format(name=str(service)[:MAX_NAME]), "service")

    # -- changes
    def with_targets(self, service: str, codes: Iterable[str] | str) -> SDGTargetMapperModel:
        """A new model where ``service`` has these targets (an empty list clears them; one
        code alone is taken as a list of one)."""
        name = self._service_name(service)
        if isinstance(codes, str):
            codes = [codes]
        elif isinstance(codes, (set, frozenset)):
            codes = sorted(codes, key=str)
        picked = self._checked_targets(codes)
        new = {k: v for k, v in self.mapping.items() if k != name}
        if picked:
            new[name] = picked
        return SDGTargetMapperModel(new, self.custom_services)

    def with_service(self, name: str) -> SDGTargetMapperModel:
        """A new model with one more service of the learner's own."""
        return SDGTargetMapperModel(self.mapping, (*self.custom_services, name))

    def without_service(self, name: str) -> SDGTargetMapperModel:
        found = self._service_name(name)
        if found not in self.custom_services:
            raise ValidationError(_("{name!r} is one of the given services; only your own "
                                    "services can be removed.").format(
                                        name=service_label(found)), "service")
        return SDGTargetMapperModel({k: v for k, v in self.mapping.items() if k != found},
                                    tuple(s for s in self.custom_services if s != found))

    # -- reading
    def services(self) -> list[str]:
        return [*SERVICES, *self.custom_services]

    def targets_for(self, service: str) -> tuple[str, ...]:
        return self.mapping.get(self._service_name(service), ())

    def compare(self, service: str) -> dict[str, Any]:
        """How the learner's targets for a service compare with the suggestion.

        Returns ``matched`` (codes in both), ``missed`` ({code: reason} suggested but not
        chosen), ``extra`` (chosen but not suggested) and ``suggested`` (False for the
        learner's own services, which have no suggestion).
        """
        name = self._service_name(service)
        mine = self.mapping.get(name, ())
        reference = REFERENCE.get(name, {})
        return {
            "matched": [c for c in mine if c in reference],
            "missed": {c: r for c, r in reference.items() if c not in mine},
            "extra": [c for c in mine if c not in reference],
            "suggested": name in REFERENCE,
        }

    def feedback(self, service: str) -> list[str]:
        """Plain sentences of feedback for one service (empty until it has targets)."""
        name = self._service_name(service)
        if name not in self.mapping:
            return []
        cmp = self.compare(name)
        if not cmp["suggested"]:
            return [_("This is your own service, so there is no suggestion to compare with: "
                      "be ready to explain your choice.")]
        lines = []
        if cmp["matched"]:
            lines.append(_("In line with the suggestion: {codes}.").format(
                codes=", ".join(cmp["matched"])))
            lines += [_("{code}: {reason}").format(code=c, reason=reason(name, c))
                      for c in cmp["matched"]]
        for code in cmp["missed"]:
            lines.append(_("The suggestion also has {code}: {reason}").format(
                code=code, reason=reason(name, code)))
        if cmp["extra"]:
            lines.append(_("Not in the suggestion: {codes}. That is fine if you can explain "
                           "the link.").format(codes=", ".join(cmp["extra"])))
        return lines

    def completeness(self) -> Completeness:
        services = self.services()
        missing = [_("targets for {service}").format(service=service_label(s))
                   for s in services if s not in self.mapping]
        return Completeness(len(services) - len(missing), len(services), missing)

    def report(self) -> list[Block]:
        rows = []
        for s in self.services():
            mine = self.mapping.get(s, ())
            suggested = ", ".join(REFERENCE.get(s, {})) or _("(your own service)")
            common = ", ".join(self.compare(s)["matched"]) if s in REFERENCE and mine else "–"
            rows.append([service_label(s), ", ".join(mine) or "–", suggested, common])
        used = sorted({c for codes in self.mapping.values() for c in codes},
                      key=list(TARGETS).index)
        return [
            Block("table", _("Services and SDG targets"),
                  columns=[_("Service"), _("Your targets"), _("Suggested"), _("In common")],
                  rows=rows),
            Block("table", _("Targets used"), columns=[_("Target"), _("What it is about")],
                  rows=[[c, target_text(c)] for c in used]),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"mapping": {k: list(v) for k, v in self.mapping.items()},
                "custom_services": list(self.custom_services)}

    @classmethod
    def from_dict(cls, data: Any) -> SDGTargetMapperModel:
        data = mapping(data, _("A service mapping"))
        chosen = data.get("mapping")
        chosen = mapping({} if chosen is None else chosen, _("The mapping"))
        custom = data.get("custom_services")
        custom = sequence([] if custom is None else custom, _("Your own services"),
                          max_len=MAX_CUSTOM)
        return cls(chosen, tuple(custom))


# ------------------------------------------------------------------------------- view
class SDGTargetMapper(ExerciseView):
    """Pick a service, choose up to three SDG targets, save, and read the feedback.

    >>> view = SDGTargetMapper(workbook=Workbook.in_memory())
    >>> view.service.value = "National broadband plan"
    >>> view.targets.value = ("9.c",); view.save_button.click()
    >>> view.model.targets_for("National broadband plan")
    ('9.c',)
    """

    model_class = SDGTargetMapperModel
    model: SDGTargetMapperModel

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "90px"}
        self.service = widgets.Dropdown(description=_("Service"),
                                        options=self._service_options(),
                                        style=style, layout=widgets.Layout(width="460px"))
        self.targets = CheckboxList([(target_label(c), c) for c in TARGETS],
                                    _("SDG targets of this service"))
        hint = widgets.HTML("<i>" + html.escape(_("Tick 1 to {most} targets, then save.")
                                                .format(most=MAX_TARGETS)) + "</i>")
        self.save_button = widgets.Button(description=_("Save targets"),
                                          button_style="primary", icon="check")
        self.clear_button = widgets.Button(description=_("Clear"), icon="eraser")
        self.map_message = message_label()
        self.feedback = widgets.HTML()
        self.new_service = widgets.Text(description=_("Your service"), style=style,
                                        placeholder=_("e.g. Online land registry"))
        self.add_button = widgets.Button(description=_("Add service"), icon="plus")
        self.remove_button = widgets.Button(description=_("Remove my service"), icon="trash")
        self.add_message = message_label()
        self.table = widgets.HTML()
        self.progress = widgets.HTML()

        self.service.observe(self._guard(self._pick_service, self.map_message), names="value")
        self.save_button.on_click(self._guard(self._save, self.map_message))
        self.clear_button.on_click(self._guard(self._clear, self.map_message))
        self.add_button.on_click(self._guard(self._add, self.add_message))
        self.remove_button.on_click(self._guard(self._remove, self.add_message))
        return [
            self.service, self.targets, hint,
            widgets.HBox([self.save_button, self.clear_button]), self.map_message,
            self.feedback,
            widgets.HBox([self.new_service, self.add_button, self.remove_button]),
            self.add_message, self.progress, self.table,
        ]

    def _service_options(self) -> list[tuple[str, str]]:
        """(name shown, stored name) of every service: the given ones in the reader's
        language, the learner's own as written."""
        return [(service_label(s), s) for s in self.model.services()]

    # -- callbacks
    def _current(self) -> str:
        if not self.service.value:
            raise ValidationError(_("Pick a service first."))
        return self.service.value

    def _pick_service(self, _change=None) -> None:
        self._show_service()

    def _save(self, _button=None) -> None:
        picked = list(self.targets.value)
        if not picked:
            raise ValidationError(_("Pick at least one target, or click Clear."))
        self.commit(self.model.with_targets(self._current(), picked))

    def _clear(self, _button=None) -> None:
        self.commit(self.model.with_targets(self._current(), []))

    def _add(self, _button=None) -> None:
        new = self.model.with_service(self.new_service.value)
        name = new.custom_services[-1]
        self.commit(new)
        self.new_service.value = ""
        self.service.value = name

    def _remove(self, _button=None) -> None:
        self.commit(self.model.without_service(self._current()))

    # -- showing
    def _show_service(self) -> None:
        name = self.service.value
        if not name:
            self.targets.value = ()
            self.feedback.value = ""
            return
        self.targets.value = self.model.targets_for(name)
        lines = self.model.feedback(name)
        self.feedback.value = ("<div class='d4-feedback'><ul>"
                               + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                               + "</ul></div>") if lines else ""

    def refresh(self) -> None:
        services = self.model.services()
        options = self._service_options()
        if [tuple(o) for o in self.service.options] != options:
            keep = self.service.value if self.service.value in services else None
            self.service.options = options
            self.service.value = keep if keep is not None else services[0]
        self._show_service()
        rows = [[service_label(s), ", ".join(self.model.mapping.get(s, ())) or "–",
                 "✓" if self.model.compare(s)["matched"] else "–"]
                for s in services]
        self.table.value = html_table([_("Service"), _("Your targets"),
                                       _("Matches the suggestion")], rows)
        done = self.model.completeness()
        show_message(self.progress,
                     ngettext("{done} of {total} services mapped.",
                              "{done} of {total} services mapped.", done.done)
                     .format(done=done.done, total=done.total),
                     "ok" if done.complete else "info")


__all__ = ["MAX_TARGETS", "REFERENCE", "SERVICES", "TARGETS", "SDGTargetMapper",
           "SDGTargetMapperModel", "Workbook", "reason", "service_label", "target_label",
           "target_text"]
