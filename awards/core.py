"""Steps the conference services share: the year's rules, locks, the trail.

Services in this app follow the blocs recipe (lock, permission on the locked
row, declared move, guards, change, trail, side effects after commit). The
trail is :class:`~awards.models.ConferenceEvent`; casting a vote never
writes to it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from members import audit

from .models import POLL_TRANSITIONS, ConferenceEvent, Poll, ProvinceVotingDefaults, VotingRules

__all__ = ["lock_poll", "lock_year", "move_poll", "record", "rules_for"]


def rules_for(bloc_year) -> VotingRules:
    """The year's voting rules, created from the province's defaults (or the
    domain's, when the board has set none) the first time they are needed."""
    rules = VotingRules.objects.filter(bloc_year=bloc_year).first()
    if rules is not None:
        return rules
    defaults = ProvinceVotingDefaults.objects.filter(province_id=bloc_year.bloc.province_id).first()
    values = defaults.rule_values() if defaults else {}
    rules, _created = VotingRules.objects.get_or_create(bloc_year=bloc_year, defaults=values)
    return rules


def lock_year(bloc_year) -> BlocYear:
    """The bloc-year again, locked, with its bloc (and province) loaded."""
    return (
        BlocYear.objects.select_for_update().select_related("bloc__province").get(pk=bloc_year.pk)
    )


def lock_poll(poll) -> Poll:
    return Poll.objects.select_for_update().select_related("bloc_year__bloc").get(pk=poll.pk)


def move_poll(poll: Poll, name: str, *, fields=()) -> Poll:
    """Change the poll's status by the declared move ``name``."""
    sources, target = POLL_TRANSITIONS[name]
    if poll.status not in sources:
        raise ValidationError(
            _("The poll is “%(status)s”; this step is not possible now.")
            % {"status": poll.get_status_display()},
            code="wrong_status",
        )
    poll.status = target
    poll.save(update_fields=["status", *fields])
    return poll


@audit.service
def record(bloc_year, action: str, *, actor, note: str = "") -> ConferenceEvent:
    return ConferenceEvent.objects.create(
        bloc_year=bloc_year, action=action, actor=actor, note=note
    )
