"""Publishing a period's ranking: one service, and the mail it sends.

Publication is what lets every member of the bloc see the table and the
bloc's averages (see :mod:`.ranking` for the table and who sees it before).
It is refused until every current member's sheet is agreed, and happens
once per period: the database keeps that too (a unique constraint).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from members import audit
from members.emails import send_to_person
from members.models import LEADER_ROLES, User

from ..models import Period, RankingPublication, ScoreEvent
from . import permissions
from .ranking import ranking_table

__all__ = ["notify_ranking_published", "ranking_publish"]

logger = logging.getLogger(__name__)


@audit.service
@transaction.atomic
def ranking_publish(*, bloc_year, period: str, actor) -> RankingPublication:
    """Publish the period's ranking to every member, as the secretariat.

    Refused unless every current member's sheet is agreed (the message names
    each agency still missing), while the period is open, once per period.
    """
    try:
        period = Period(period)
    except ValueError:
        raise ValidationError(_("Unknown scoring period."), code="period") from None
    # Lock the year: a publication never races a stage change or another publication.
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if not permissions.is_secretariat(actor, locked):
        raise PermissionDenied
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not permissions.period_is_open(locked, period):
        raise ValidationError(
            _("This period's ranking can only be published while its sheets are being scored."),
            code="period_closed",
        )
    if RankingPublication.objects.filter(bloc_year=locked, period=period).exists():
        raise ValidationError(_("This ranking is already published."), code="published")
    table = ranking_table(locked, period)
    if not table.ready:
        raise ValidationError(
            [_("The ranking cannot be published yet:"), *table.missing], code="not_ready"
        )
    publication = RankingPublication(bloc_year=locked, period=period, published_by=actor)
    publication.full_clean()
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        raise ValidationError(_("This ranking is already published."), code="published") from None
    ScoreEvent.objects.bulk_create(
        ScoreEvent(sheet=row.sheet, action="ranking_published", actor=actor) for row in table.rows
    )
    transaction.on_commit(lambda: notify_ranking_published(publication_id=publication.pk))
    return publication


def notify_ranking_published(*, publication_id: int) -> None:
    """Mail the leaders of the current members, each in their own language."""
    publication = RankingPublication.objects.select_related("bloc_year__bloc").get(
        pk=publication_id
    )
    bloc_year = publication.bloc_year
    recipients = (
        User.objects.filter(
            is_active=True,
            agency__memberships__bloc_year=bloc_year,
            agency__memberships__left_on__isnull=True,
            agency_role__in=LEADER_ROLES,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    for user in recipients:
        try:
            send_to_person(
                user,
                subject_template="covenants/scores/ranking_email_subject.html",
                body_template="covenants/scores/ranking_email_body.html",
                context={"publication": publication, "bloc_year": bloc_year},
            )
        except OSError:
            # The publication is committed; a mail server outage must not undo it.
            logger.exception("Could not send ranking mail to %s", user.email)
