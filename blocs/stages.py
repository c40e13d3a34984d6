"""The bloc-year stage machine, declared once as data.

A bloc-year walks through the stages of the emulation year (domain.md §1.5):
set-up, covenant signing, the year's work with its mid-year review, year-end
scoring, the year-end conference and vote, proposals sent to the province,
and closed once the board has received them and the flag has passed on.

Everything that moves a bloc-year reads ``TRANSITIONS``: the services that
execute a move, the permission predicate, and the overview page that offers
buttons. Apps further up the dependency chain (covenants, awards) add
*guards* to a transition with :func:`register_guard`, so ``blocs`` never
imports them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    SETUP = "setup", _("Set-up")
    SIGNING = "signing", _("Covenant signing")
    IN_PROGRESS = "in_progress", _("Year in progress and mid-year review")
    SCORING = "scoring", _("Year-end scoring")
    CONFERENCE = "conference", _("Year-end conference and voting")
    SUBMITTED = "submitted", _("Proposals submitted")
    CLOSED = "closed", _("Closed, flag handed over")


#: Stepper order on the overview page.
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class Actor(StrEnum):
    """Who may trigger a transition; resolved per bloc-year by ``permissions``."""

    BOARD = "board"
    SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Transition:
    name: str
    source: Stage
    target: Stage
    label: str
    actors: frozenset[Actor]
    #: Backward moves are shown as secondary actions.
    is_backward: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "open_signing",
        Stage.SETUP,
        Stage.SIGNING,
        _("Open covenant signing"),
        frozenset({Actor.BOARD, Actor.SECRETARIAT}),
    ),
    Transition(
        "start_year",
        Stage.SIGNING,
        Stage.IN_PROGRESS,
        _("Start the year's work"),
        frozenset({Actor.SECRETARIAT}),
    ),
    Transition(
        "open_scoring",
        Stage.IN_PROGRESS,
        Stage.SCORING,
        _("Open year-end scoring"),
        frozenset({Actor.SECRETARIAT}),
    ),
    Transition(
        "open_conference",
        Stage.SCORING,
        Stage.CONFERENCE,
        _("Open the year-end conference"),
        frozenset({Actor.SECRETARIAT}),
    ),
    Transition(
        "submit_proposals",
        Stage.CONFERENCE,
        Stage.SUBMITTED,
        _("Submit proposals to the province"),
        frozenset({Actor.SECRETARIAT}),
    ),
    Transition(
        "return_proposals",
        Stage.SUBMITTED,
        Stage.CONFERENCE,
        _("Return the proposals for correction"),
        frozenset({Actor.BOARD}),
        is_backward=True,
    ),
    Transition(
        "close_year",
        Stage.SUBMITTED,
        Stage.CLOSED,
        _("Accept the proposals and close the year"),
        frozenset({Actor.BOARD}),
    ),
)

TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}

#: Stages in which the year's records may no longer change.
READ_ONLY_STAGES = frozenset({Stage.CLOSED})


def transitions_from(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == stage]


def forward_transition(stage: str) -> Transition | None:
    """The transition that moves ``stage`` one step along the year, if any."""
    return next((t for t in transitions_from(stage) if not t.is_backward), None)


# A guard takes the (locked) bloc-year and returns human-readable blockers;
# an empty result means the transition may go ahead.
Guard = Callable[[object], Iterable[str]]
_GUARDS: dict[str, list[Guard]] = defaultdict(list)


def register_guard(*transition_names: str) -> Callable[[Guard], Guard]:
    """Attach a guard to the named transitions (used at app-ready time)."""
    unknown = set(transition_names) - TRANSITIONS_BY_NAME.keys()
    if unknown:
        raise ValueError(f"Unknown transitions: {sorted(unknown)}")

    def decorator(guard: Guard) -> Guard:
        for name in transition_names:
            if guard not in _GUARDS[name]:
                _GUARDS[name].append(guard)
        return guard

    return decorator


def guards_for(transition: Transition) -> list[Guard]:
    return list(_GUARDS[transition.name])


# An effect takes the locked bloc-year (already at the new stage) and the
# actor, and runs inside the transition's transaction: what another app must
# change together with the stage (the covenant opens for signing, the scoring
# sheet freezes). A failing effect rolls the whole transition back.
Effect = Callable[..., None]
_EFFECTS: dict[str, list[Effect]] = defaultdict(list)


def register_effect(*transition_names: str) -> Callable[[Effect], Effect]:
    """Attach an effect to the named transitions (used at app-ready time)."""
    unknown = set(transition_names) - TRANSITIONS_BY_NAME.keys()
    if unknown:
        raise ValueError(f"Unknown transitions: {sorted(unknown)}")

    def decorator(effect: Effect) -> Effect:
        for name in transition_names:
            if effect not in _EFFECTS[name]:
                _EFFECTS[name].append(effect)
        return effect

    return decorator


def effects_for(transition: Transition) -> list[Effect]:
    return list(_EFFECTS[transition.name])
