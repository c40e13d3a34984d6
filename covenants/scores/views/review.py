"""Scoring pages: review (see the package docstring).

Who reviews whom, returning a sheet, a sheet's trail, and the routes of
the reviewer's blind entry page and the reconciliation (those two pages,
line by line, are in :mod:`.review_lines`). Each change calls one service
of :mod:`covenants.scores.review`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from blocs.views.mixins import BlocYearMixin, add_service_error

from ...models import Period
from .. import permissions, review, selectors
from ..core import settings_for
from ..forms_review import ReturnForm, ReviewersForm, mark_invalid
from ..visibility import SheetSide
from .review_lines import ReconcileView, ReviewView, SheetMixin, reviewers_url

PREFIX = "blocs/<int:pk>/<int:year>/"


def _period(kwargs) -> str:
    if kwargs["period"] not in Period.values:
        raise Http404
    return kwargs["period"]


# Reviewers --------------------------------------------------------------------------


class ReviewersView(BlocYearMixin, FormView):
    """The secretariat's page for a period: who reviews each sheet, how far
    each review is, and the form that assigns reviewers."""

    form_class = ReviewersForm
    template_name = "covenants/scores/reviewers.html"

    def permission(self, user, bloc_year):
        self.period = _period(self.kwargs)
        return permissions.is_secretariat(user, bloc_year)

    def setup_page(self):
        if not hasattr(self, "sheets"):
            bloc_year, user = self.bloc_year, self.request.user
            self.sheets = selectors.period_sheets(bloc_year, self.period)
            self.members = [m.agency for m in bloc_year.memberships.all() if m.left_on is None]
            self.started = review.started_reviews(self.sheets)
            self.is_reviewed = settings_for(bloc_year).is_reviewed(self.period)
            self.can_assign = (
                permissions.can_manage_scoring(user, bloc_year)
                and permissions.period_is_open(bloc_year, self.period)
                and self.is_reviewed
                and bool(self.sheets)
            )

    def get_form(self, form_class=None):
        self.setup_page()
        return super().get_form(form_class) if self.can_assign else None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sheets": self.sheets,
            "members": self.members,
            "locked": self.started,
        }

    def form_invalid(self, form):
        mark_invalid(form)
        return super().form_invalid(form)

    def get_initial(self):
        return {"mode": "manual"}

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if not self.can_assign:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            changed = review.reviewers_assign(
                bloc_year=self.bloc_year,
                period=self.period,
                actor=self.request.user,
                mode=data["mode"],
                assignments=form.assignments() if data["mode"] == "manual" else None,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Reviewers saved: %(count)s sheets changed.") % {"count": len(changed)},
        )
        return reviewers_url(self.bloc_year, self.period)

    def get_context_data(self, **kwargs):
        self.setup_page()
        user, bloc_year = self.request.user, self.bloc_year
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        form = kwargs["form"]
        member_ids = {agency.pk for agency in self.members}
        plan = review.rotation(
            [s.agency for s in self.sheets if s.agency_id in member_ids], bloc_year.year
        )
        rows = [
            {
                "sheet": sheet,
                "started": sheet.pk in self.started,
                "can_review": permissions.side_of(user, sheet, bloc_year=bloc_year)
                == SheetSide.REVIEWER,
                "field": form[form.field_name(sheet.agency_id)] if form else None,
            }
            for sheet in self.sheets
        ]
        return super().get_context_data(
            period=self.period,
            period_label=Period(self.period).label,
            rows=rows,
            plan=plan,
            step=review.rotation_step(bloc_year.year, len(plan)) if len(plan) > 1 else None,
            any_started=bool(self.started),
            is_reviewed=self.is_reviewed,
            can_assign=self.can_assign,
            can_return=permissions.can_manage_scoring(user, bloc_year)
            and permissions.period_is_open(bloc_year, self.period),
            **kwargs,
        )


# Returning a sheet ----------------------------------------------------------------


class ReturnView(SheetMixin, FormView):
    form_class = ReturnForm
    template_name = "covenants/scores/return.html"

    def allowed(self, user):
        return permissions.can_manage_scoring(user, self.bloc_year)

    def form_valid(self, form):
        try:
            review.sheet_return(
                sheet=self.sheet, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The sheet of %(agency)s went back to the agency.") % {"agency": self.sheet.agency},
        )
        return reviewers_url(self.bloc_year, self.sheet.period)


# History ------------------------------------------------------------------------------

#: What the trail's action codes mean; an action another page records and
#: this map does not know is shown by its code.
ACTIONS = {
    "submit": gettext_lazy("Sheet submitted"),
    "return": gettext_lazy("Sheet returned to the agency"),
    "finalize": gettext_lazy("Sheet made final"),
    "reviewer_assigned": gettext_lazy("Reviewer assigned"),
    "review_submitted": gettext_lazy("Review submitted"),
    "self_value": gettext_lazy("Self-score changed"),
    "review_value": gettext_lazy("Review score changed"),
    "final_value": gettext_lazy("Final score changed"),
    "evidence_added": gettext_lazy("Evidence file added"),
    "evidence_removed": gettext_lazy("Evidence file removed"),
    "female_percent": gettext_lazy("Share of women changed"),
    "ranking_published": gettext_lazy("Ranking published"),
}


class HistoryView(SheetMixin, TemplateView):
    """Who changed what and when; other members never see another's trail."""

    template_name = "covenants/scores/history.html"

    def allowed(self, user):
        return self.side not in (SheetSide.NONE, SheetSide.PEER)

    def get_context_data(self, **kwargs):
        events = selectors.sheet_events(self.sheet, self.visible)
        for event in events:
            event.label = ACTIONS.get(event.action, event.action)
            event.is_value = event.action.endswith("_value")
        return super().get_context_data(events=events, visible=self.visible, **kwargs)


urlpatterns = [
    path(
        f"{PREFIX}scores/<slug:period>/reviewers/",
        ReviewersView.as_view(),
        name="score_reviewers",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/review/",
        ReviewView.as_view(),
        name="score_review",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/reconcile/",
        ReconcileView.as_view(),
        name="score_reconcile",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/return/",
        ReturnView.as_view(),
        name="score_return",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/history/",
        HistoryView.as_view(),
        name="score_history",
    ),
]
