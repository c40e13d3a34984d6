"""Scoring pages: the scores home — every period's sheets of the year, as the viewer
may see them, and the secretariat's opening of a period's missing sheets (moved out of
:mod:`.sheet`, whose :func:`.sheet.days_until` it shares).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from blocs import permissions as bloc_permissions
from blocs.views.mixins import BlocYearMixin

from ...fragments import fragment_pieces
from ...models import Period, SheetStatus
from .. import permissions, selectors, services
from ..core import settings_for
from ..selectors import year_sheets
from ..sheet_display import visible_rows
from .sheet import PREFIX, days_until

#: The status badge's colour, as covenants/scores/_sheet_status_badge.html chooses it.
_BADGE_CLASSES = {SheetStatus.FINAL: "text-bg-success", SheetStatus.SUBMITTED: "text-bg-primary"}


@dataclass
class PeriodSection:
    period: str
    label: str
    rows: list
    published: bool
    reviewed: bool
    deadline: object
    days_left: int | None
    is_open: bool
    missing: int  # current members without a sheet


class ScoresHomeView(BlocYearMixin, TemplateView):
    """Every period's sheets; members see their own (and those they review)
    until the period's ranking is published, then everyone's.

    Issue 9: the body is one fragment under the data version (:mod:`members.caching`)
    per day (the deadline badges count the days left) and per viewer :meth:`standing`.
    Its form (open a period's missing sheets) carries the request's CSRF token, so it
    is kept in pieces around the token (:mod:`covenants.fragments`)."""

    template_name = "covenants/scores/home.html"

    def standing(self) -> dict:
        """Everything about the viewer that the body shows, and nothing else: what
        :meth:`..permissions.Standing.side` asks to tell the viewer's side of each sheet
        (hence which rows and evidence counts are shown), and the secretariat's and the
        overseers' links and forms."""
        user, bloc_year = self.request.user, self.bloc_year
        standing = permissions.Standing(user, bloc_year)
        is_secretariat = permissions.is_secretariat(user, bloc_year)
        return {
            "active": standing.active,
            "agency_id": standing.agency_id,
            "secretariat": standing.secretariat,
            "board": standing.board,
            "member": standing.member,
            "can_manage": permissions.can_manage_scoring(user, bloc_year),
            "is_secretariat": is_secretariat,
            "is_overseer": is_secretariat
            or bloc_permissions.is_board_for(user, bloc_year.bloc.province_id),
        }

    def get_context_data(self, **kwargs):
        standing = self.standing()
        body = fragment_pieces(
            "covenants.scores_home",
            (self.bloc_year.pk, timezone.localdate(), *sorted(standing.items())),
            lambda csrf_token: self.render_body(standing, csrf_token),
        )
        return super().get_context_data(body=body, **kwargs)

    def render_body(self, standing: dict, csrf_token: str) -> str:
        user, bloc_year = self.request.user, self.bloc_year
        # The settings and both periods' publications in one query, both periods'
        # sheets in another (issue 9).
        settings, published_periods = selectors.settings_and_published(bloc_year)
        settings = settings or settings_for(bloc_year)
        manage = standing["can_manage"]
        members = {m.agency_id for m in bloc_year.memberships.all() if m.left_on is None}
        by_period = year_sheets(bloc_year)
        home = reverse("covenants:scores", args=[bloc_year.bloc_id, bloc_year.year])
        status_labels = {value: str(label) for value, label in SheetStatus.choices}
        sections = []
        for period in Period:
            sheets = by_period.get(period.value, [])
            is_open = permissions.period_is_open(bloc_year, period)
            if not sheets and not (manage and is_open):
                continue
            published = period.value in published_periods
            deadline = settings.deadline(period)
            rows = visible_rows(user, sheets, published=published)
            for sheet in rows:  # no reverse(), get_status_display() nor filter per row
                sheet.url = f"{home}{period.value}/{sheet.agency_id}/"
                sheet.status_label = status_labels[sheet.status]
                sheet.badge_class = _BADGE_CLASSES.get(sheet.status, "text-bg-secondary")
                sheet.submitted_on = (
                    dateformat.format(timezone.localtime(sheet.submitted_at), "d/m/Y")
                    if sheet.submitted_at
                    else ""
                )
            sections.append(
                PeriodSection(
                    period=period.value,
                    label=period.label,
                    rows=rows,
                    published=published,
                    reviewed=settings.is_reviewed(period),
                    deadline=deadline,
                    days_left=days_until(deadline) if is_open else None,
                    is_open=is_open,
                    missing=len(members - {sheet.agency_id for sheet in sheets}),
                )
            )
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "sections": sections,
            "can_manage": manage,
            "is_secretariat": standing["is_secretariat"],
            "is_overseer": standing["is_overseer"],
            "late_policy": settings.get_late_policy_display(),
            "csrf_token": csrf_token,
        }
        return render_to_string(f"{self.template_name}#body", context)


class ScoresOpenView(BlocYearMixin, View):
    """POST: the secretariat opens the sheets a period lacks."""

    http_method_names = ["post"]
    permission = staticmethod(permissions.can_manage_scoring)

    def post(self, request, *args, **kwargs):
        bloc_year = self.bloc_year
        if kwargs["period"] not in Period.values:
            raise Http404
        try:
            created = services.period_open_missing(
                bloc_year=bloc_year, period=kwargs["period"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if created:
                messages.success(request, _("Sheets opened: %(count)s.") % {"count": len(created)})
            else:
                messages.info(request, _("Every member already has a sheet for this period."))
        return redirect("covenants:scores", pk=bloc_year.bloc_id, year=bloc_year.year)


urlpatterns = [
    path(f"{PREFIX}scores/", ScoresHomeView.as_view(), name="scores"),
    path(f"{PREFIX}scores/<slug:period>/open/", ScoresOpenView.as_view(), name="scores_open"),
]
