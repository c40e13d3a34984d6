"""Scoring pages: the year's scoring settings, the mid-year review (record,
members' results, holding it, its minutes) and the initiatives register.

Every view loads the bloc-year through ``BlocYearMixin`` (visibility checked
there), and a change calls exactly one service, whose ``ValidationError``
goes next to the fields it names. ``mid_year_hold`` is the page of the
record's state: it marks a draft record held, and reopens a held one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs import permissions as bloc_permissions
from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import pdf_response
from members import audit
from members.models import Agency

from ...guards import mid_year_sheet_blockers
from ...issuing import registered_number
from ...models import Initiative, InitiativeLevel, MidYearReview, Period, ScoringSettings
from .. import initiatives as register
from .. import mid_year as services
from ..core import settings_for, year_events
from ..documents_mid_year import issue_minutes, mid_year_results, minutes_pdf
from ..forms_mid_year import (
    TIE_BREAK_FIELDS,
    HoldForm,
    InitiativesForm,
    MidYearReviewForm,
    ReopenForm,
    ScoringSettingsForm,
)
from ..permissions import is_secretariat
from ..selectors import is_published

PREFIX = "blocs/<int:pk>/<int:year>/"


def _oversees(user, bloc_year) -> bool:
    """The secretariat and the board see every member's results."""
    return is_secretariat(user, bloc_year) or bloc_permissions.is_board_for(
        user, bloc_year.bloc.province_id
    )


# Scoring settings ----------------------------------------------------------------


class ScoreSettingsView(BlocYearMixin, FormView):
    """Everyone in the bloc reads the settings; the secretariat and the board
    change them until the year-end ranking is published."""

    form_class = ScoringSettingsForm
    template_name = "covenants/scores/settings.html"

    @cached_property
    def frozen(self) -> bool:
        return services.settings_frozen(self.bloc_year)

    @cached_property
    def settings(self) -> ScoringSettings:
        return settings_for(self.bloc_year)

    def can_change(self):
        if not hasattr(self, "_can_change"):
            self._can_change = services.can_change_settings(
                self.request.user, self.bloc_year, frozen=self.frozen
            )
        return self._can_change

    def post(self, request, *args, **kwargs):
        if not self.can_change():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.settings,
            "criteria": register.initiative_criteria(self.bloc_year),
            "reviewed_locked": services.mid_year_reviewed_locked(self.bloc_year),
            "read_only": not self.can_change(),
        }

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
        try:
            services.scoring_settings_update(
                bloc_year=self.bloc_year, actor=self.request.user, data=data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "tie_breaks" in exc.error_dict:
                exc.error_dict[TIE_BREAK_FIELDS[0]] = exc.error_dict.pop("tie_breaks")
            add_service_error(form, exc)
            return self.form_invalid(form)
        changed = []
        for name in form.changed_data:
            label = _("tie-break order") if name in TIE_BREAK_FIELDS else form.fields[name].label
            if label not in changed:
                changed.append(label)
        if changed:
            messages.success(
                self.request,
                _("Scoring settings saved. %(user)s changed: %(fields)s.")
                % {
                    "user": self.request.user.get_full_name(),
                    "fields": ", ".join(str(label) for label in changed),
                },
            )
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(
            "covenants:score_settings", pk=self.bloc_year.bloc_id, year=self.bloc_year.year
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_change=self.can_change(),
            frozen=self.frozen,
            year_events=year_events(self.bloc_year, "settings"),
            audit_history_url=audit.history_url(
                self.request.user, self.settings, scope=self.bloc_year
            ),
            **kwargs,
        )


# Mid-year review -----------------------------------------------------------------


class _MidYearMixin(BlocYearMixin):
    @property
    def review(self) -> MidYearReview | None:
        if not hasattr(self, "_review"):
            self._review = (
                MidYearReview.objects.select_related("host_agency", "held_by")
                .filter(bloc_year=self.bloc_year)
                .first()
            )
        return self._review

    def to_page(self):
        return redirect("covenants:mid_year", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)


class MidYearView(_MidYearMixin, TemplateView):
    template_name = "covenants/mid_year/detail.html"

    def get_context_data(self, **kwargs):
        user, bloc_year, review = self.request.user, self.bloc_year, self.review
        # The secretariat and the board see everything: no need to ask about publication.
        sees_all = _oversees(user, bloc_year) or is_published(bloc_year, Period.MID_YEAR)
        if sees_all:
            rows = mid_year_results(bloc_year)
        elif user.agency_id is not None:
            rows = mid_year_results(bloc_year, agency_id=user.agency_id)
        else:
            rows = []
        can_edit = services.can_edit_mid_year(user, bloc_year)
        held = review is not None and review.is_held
        return super().get_context_data(
            review=review,
            registered_number=registered_number(bloc_year, "mid_year_minutes") if held else "",
            rows=rows,
            sees_all=sees_all,
            blockers=[]
            if held
            else mid_year_sheet_blockers(
                bloc_year, members=[m for m in bloc_year.memberships.all() if m.left_on is None]
            ),
            can_edit=can_edit and not held,
            can_hold=can_edit and review is not None and not held,
            can_reopen=can_edit and held,
            can_pdf=services.can_view_minutes(user, bloc_year, review),
            year_events=year_events(bloc_year, "mid_year"),
            **kwargs,
        )


class MidYearEditView(_MidYearMixin, FormView):
    form_class = MidYearReviewForm
    template_name = "covenants/mid_year/form.html"
    permission = staticmethod(services.can_edit_mid_year)

    def get_form_kwargs(self):
        review = self.review
        if review is not None and review.is_held:
            raise PermissionDenied
        if review is None:
            review = MidYearReview(
                bloc_year=self.bloc_year,
                held_on=self.bloc_year.mid_year_review_date,
                host_agency=self.bloc_year.chair,
            )
        return {**super().get_form_kwargs(), "instance": review, "bloc_year": self.bloc_year}

    def form_valid(self, form):
        try:
            services.mid_year_review_save(
                bloc_year=self.bloc_year, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The record of the mid-year review was saved."))
        return self.to_page()


class MidYearHoldView(_MidYearMixin, FormView):
    """A draft record: confirm it was held. A held one: reopen it, with why."""

    template_name = "covenants/mid_year/hold.html"
    permission = staticmethod(services.can_edit_mid_year)

    def get_form_class(self):
        if self.review is None:
            raise Http404
        return ReopenForm if self.review.is_held else HoldForm

    def form_valid(self, form):
        try:
            if self.review.is_held:
                services.mid_year_review_reopen(
                    bloc_year=self.bloc_year,
                    actor=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
                message = _("The record is a draft again: %(reason)s") % {
                    "reason": form.cleaned_data["reason"]
                }
            else:
                services.mid_year_review_hold(bloc_year=self.bloc_year, actor=self.request.user)
                message = _("The mid-year review is recorded as held.")
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return self.to_page()

    def get_context_data(self, **kwargs):
        held = self.review.is_held
        return super().get_context_data(
            review=self.review,
            blockers=[] if held else mid_year_sheet_blockers(self.bloc_year),
            **kwargs,
        )


class MidYearPdfView(_MidYearMixin, View):
    def get(self, request, *args, **kwargs):
        if self.review is None:
            raise Http404
        if not services.can_view_minutes(request.user, self.bloc_year, self.review):
            raise PermissionDenied
        filename = f"Biên bản sơ kết 6 tháng {self.bloc_year.bloc.name} {self.bloc_year.year}.pdf"
        # Held: the issued (numbered, cached) minutes; a draft is rendered each time.
        issued = issue_minutes(self.bloc_year, self.review, request.user)
        if issued is not None:
            return pdf_response(issued.read_bytes(), filename)
        return pdf_response(minutes_pdf(self.bloc_year, self.review), filename)


# Initiatives register ------------------------------------------------------------


class InitiativesView(BlocYearMixin, TemplateView):
    """Every member's counts: they are public recognitions, so members see all."""

    template_name = "covenants/scores/initiatives.html"

    def get_context_data(self, **kwargs):
        user, bloc_year = self.request.user, self.bloc_year
        register_rows = {}
        for row in Initiative.objects.filter(bloc_year=bloc_year):
            register_rows.setdefault(row.agency_id, {})[row.level] = row
        final = register.final_year_end_agencies(bloc_year)
        rows = []
        for membership in bloc_year.memberships.all():
            if membership.left_on is not None:
                continue
            levels = register_rows.get(membership.agency_id, {})
            grassroots = levels.get(InitiativeLevel.GRASSROOTS)
            provincial = levels.get(InitiativeLevel.PROVINCIAL)
            rows.append(
                {
                    "agency": membership.agency,
                    "grassroots": grassroots.count if grassroots else 0,
                    "provincial": provincial.count if provincial else 0,
                    "decisions": (grassroots or provincial).decisions if levels else "",
                    "recorded": bool(levels),
                    "can_edit": register.can_set_initiatives(
                        user, bloc_year, membership.agency_id, final_agencies=final
                    ),
                }
            )
        return super().get_context_data(
            rows=rows,
            total_grassroots=sum(row["grassroots"] for row in rows),
            total_provincial=sum(row["provincial"] for row in rows),
            year_events=year_events(self.bloc_year, "initiatives"),
            **kwargs,
        )


class InitiativesEditView(BlocYearMixin, FormView):
    form_class = InitiativesForm
    template_name = "covenants/scores/initiatives_form.html"

    def permission(self, user, bloc_year):
        # Looked up past the login check (BlocYearMixin), so that an anonymous visitor
        # is sent to log in whatever the id; an agency outside the year is not found.
        agency_id = self.kwargs["agency"]
        if not any(m.agency_id == agency_id for m in bloc_year.memberships.all()):
            raise Http404
        self.agency = get_object_or_404(Agency, pk=agency_id)
        return register.can_set_initiatives(user, bloc_year, agency_id)

    def get_initial(self):
        rows = {
            row.level: row
            for row in Initiative.objects.filter(bloc_year=self.bloc_year, agency=self.agency)
        }
        grassroots = rows.get(InitiativeLevel.GRASSROOTS)
        provincial = rows.get(InitiativeLevel.PROVINCIAL)
        return {
            "grassroots": grassroots.count if grassroots else 0,
            "provincial": provincial.count if provincial else 0,
            "decisions": (grassroots or provincial).decisions if rows else "",
        }

    def form_valid(self, form):
        try:
            register.initiatives_set(
                bloc_year=self.bloc_year,
                agency=self.agency,
                actor=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The initiatives of %(agency)s were saved.") % {"agency": self.agency.name},
        )
        return redirect(
            "covenants:initiatives", pk=self.bloc_year.bloc_id, year=self.bloc_year.year
        )

    def get_context_data(self, **kwargs):
        settings = settings_for(self.bloc_year)
        keys = {
            criterion.pk: key for key, criterion in register.initiative_criteria(self.bloc_year)
        }
        return super().get_context_data(
            agency=self.agency,
            grassroots_line=keys.get(settings.grassroots_initiatives_criterion_id),
            provincial_line=keys.get(settings.provincial_initiatives_criterion_id),
            **kwargs,
        )


urlpatterns = [
    path(f"{PREFIX}scores/settings/", ScoreSettingsView.as_view(), name="score_settings"),
    path(f"{PREFIX}mid-year/", MidYearView.as_view(), name="mid_year"),
    path(f"{PREFIX}mid-year/edit/", MidYearEditView.as_view(), name="mid_year_edit"),
    path(f"{PREFIX}mid-year/hold/", MidYearHoldView.as_view(), name="mid_year_hold"),
    path(f"{PREFIX}mid-year/pdf/", MidYearPdfView.as_view(), name="mid_year_pdf"),
    path(f"{PREFIX}initiatives/", InitiativesView.as_view(), name="initiatives"),
    path(
        f"{PREFIX}initiatives/<int:agency>/",
        InitiativesEditView.as_view(),
        name="initiatives_edit",
    ),
]
