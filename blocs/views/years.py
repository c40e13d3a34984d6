"""One bloc-year: the overview with its stepper, set-up edits, transitions."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from members import audit, caching

from .. import permissions, selectors, services
from ..deadlines.selectors import year_deadlines
from ..forms import BlocYearForm, MembershipAddForm, MembershipForm, OfficersForm, TransitionForm
from ..stages import TRANSITIONS_BY_NAME, forward_transition, transitions_from
from .mixins import BlocYearMixin, add_service_error


class BlocYearOverviewView(BlocYearMixin, TemplateView):
    """The stepper, what blocks the next step, and the user's possible actions.

    Issue 9: the page is read far more often than its year changes, and its cost was the
    blockers' guards, the deadlines, the history and the rendering of the member list.
    They are kept as two fragments under the data version (:mod:`members.caching`),
    keyed by the viewer's :meth:`standing` (the permission predicates, on the cached
    bloc-year and delegations: no query of their own); only the delegations, whose
    revoke buttons carry the request's CSRF token, are rendered with the page each
    time."""

    template_name = "blocs/blocyear_overview.html"

    def standing(self) -> dict:
        """Everything about the viewer that changes the cached fragments, and nothing
        else, so that all viewers of one standing share them: the secretariat's badge
        and full deadlines, the edit and delegation links, the transitions the viewer
        may perform, the audit history link, and whose pending deadline items a viewer
        who is neither secretariat nor the province's board sees (its own agency's:
        the rule of ``_deadline_notices.html``). The fragments are rendered from it
        alone, never from the user, so the key cannot miss anything they show."""
        bloc_year, user = self.bloc_year, self.request.user
        is_secretariat = permissions.is_secretariat(user, bloc_year)
        sees_all = is_secretariat or user.board_province_id == bloc_year.bloc.province_id
        return {
            "is_secretariat": is_secretariat,
            "can_edit": permissions.can_edit_bloc_year(user, bloc_year),
            "can_delegate": permissions.can_delegate(user, bloc_year),
            "allowed": tuple(
                t.name
                for t in transitions_from(bloc_year.stage)
                if permissions.can_perform_transition(user, bloc_year, t)
            ),
            "audit_history_url": audit.history_url(user, bloc_year),
            "deadlines_of": "all" if sees_all else user.agency_id,
        }

    def get_context_data(self, **kwargs):
        bloc_year = self.bloc_year
        standing = self.standing()
        # The deadline badges count days from today: the date is part of the key.
        today = timezone.localdate()
        top = caching.fragment(
            "blocs.overview_top",
            (bloc_year.pk, today, *sorted(standing.items())),
            lambda: self._render_top(standing, today),
        )
        bottom = caching.fragment("blocs.overview_bottom", (bloc_year.pk,), self._render_bottom)
        return super().get_context_data(
            overview_top=top,
            overview_bottom=bottom,
            can_delegate=standing["can_delegate"],
            delegations=bloc_year.delegation_history,
            **kwargs,
        )

    def _render_top(self, standing: dict, today) -> str:
        bloc_year = self.bloc_year
        options = selectors.transition_options(
            bloc_year, user=None, can_perform=lambda _u, _b, t: t.name in standing["allowed"]
        )
        forward = forward_transition(bloc_year.stage)
        # What _deadline_notices.html reads of the viewer, made from the standing: the
        # province's board sees every pending item, anyone else their agency's.
        if standing["deadlines_of"] == "all":
            viewer = SimpleNamespace(board_province_id=bloc_year.bloc.province_id, agency_id=None)
        else:
            viewer = SimpleNamespace(board_province_id=None, agency_id=standing["deadlines_of"])
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "user": viewer,
            "steps": selectors.stepper(bloc_year),
            "next_option": next((o for o in options if o.transition == forward), None),
            "actions": [o for o in options if o.allowed],
            "members": selectors.member_rows(bloc_year, with_edit_links=standing["can_edit"]),
            "member_count": selectors.bloc_year_member_count(bloc_year),
            "can_edit": standing["can_edit"],
            "can_delegate": standing["can_delegate"],
            "is_secretariat": standing["is_secretariat"],
            "deadline_notices": year_deadlines(bloc_year, today=today),
            "audit_history_url": standing["audit_history_url"],
        }
        return render_to_string(f"{self.template_name}#overview_top", context)

    def _render_bottom(self) -> str:
        context = {"history": selectors.stage_history(self.bloc_year)}
        return render_to_string(f"{self.template_name}#overview_bottom", context)


class _EditMixin(BlocYearMixin):
    """Set-up edits: board or secretariat, and never in a closed year.

    Each subclass calls its one service in ``service_call(form)``.
    """

    permission = staticmethod(permissions.can_edit_bloc_year)

    def form_valid(self, form):
        try:
            self.service_call(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.bloc_year)


class BlocYearUpdateView(_EditMixin, FormView):
    form_class = BlocYearForm
    template_name = "blocs/blocyear_form.html"

    def get_form_kwargs(self):
        # A copy, so a rejected form never alters the page's object.
        instance = type(self.bloc_year).objects.get(pk=self.bloc_year.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    success_message = _("The year's details were saved.")

    def service_call(self, form):
        services.bloc_year_update(
            bloc_year=self.bloc_year, actor=self.request.user, data=form.cleaned_data
        )


class OfficersView(_EditMixin, FormView):
    form_class = OfficersForm
    template_name = "blocs/officers_form.html"
    success_message = _("The chair and vice-chair were saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bloc_year": self.bloc_year}

    def service_call(self, form):
        services.bloc_year_set_officers(
            bloc_year=self.bloc_year,
            actor=self.request.user,
            chair=form.cleaned_data["chair"],
            vice_chair=form.cleaned_data["vice_chair"],
        )


class MembershipAddView(_EditMixin, FormView):
    form_class = MembershipAddForm
    template_name = "blocs/membership_add.html"
    success_message = _("The agency was added to the bloc for this year.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bloc_year": self.bloc_year}

    def service_call(self, form):
        services.membership_add(
            bloc_year=self.bloc_year,
            actor=self.request.user,
            agency=form.cleaned_data["agency"],
            joined_on=form.cleaned_data["joined_on"],
        )


class _MembershipMixin(_EditMixin):
    @cached_property
    def membership(self):
        return get_object_or_404(
            self.bloc_year.memberships.select_related("agency"), pk=self.kwargs["membership"]
        )

    def get_membership(self):
        return self.membership

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.get_membership(), **kwargs)


class MembershipUpdateView(_MembershipMixin, FormView):
    form_class = MembershipForm
    template_name = "blocs/membership_form.html"
    success_message = _("The membership dates were saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_membership()}

    def service_call(self, form):
        services.membership_update(
            membership=self.get_membership(),
            actor=self.request.user,
            joined_on=form.cleaned_data["joined_on"],
            left_on=form.cleaned_data["left_on"],
        )


class MembershipRemoveView(_MembershipMixin, FormView):
    form_class = TransitionForm  # only used for the CSRF-protected confirmation
    template_name = "blocs/membership_remove.html"
    success_message = _("The agency was removed from this year.")

    def service_call(self, form):
        services.membership_remove(membership=self.get_membership(), actor=self.request.user)


class TransitionView(BlocYearMixin, FormView):
    """Confirm and perform one stage transition (POST only changes anything)."""

    form_class = TransitionForm
    template_name = "blocs/transition_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.transition = TRANSITIONS_BY_NAME.get(kwargs["transition"])
        if self.transition is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def permission(self, user, bloc_year):
        return permissions.can_perform_transition(user, bloc_year, self.transition)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transition=self.transition,
            blockers=selectors.transition_blockers(self.bloc_year, self.transition),
            is_possible_now=self.bloc_year.stage == self.transition.source,
            **kwargs,
        )

    def form_valid(self, form):
        service = services.TRANSITION_SERVICES[self.transition.name]
        try:
            service(
                bloc_year=self.bloc_year, actor=self.request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Done: the year is now at “%(stage)s”.") % {"stage": self.transition.target.label},
        )
        return redirect(self.bloc_year)
