"""People around a bloc: the secretariat's delegates, resending invitations,
and the board renaming or merging agencies."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from members.models import Agency, Province
from members.permissions import can_manage_agencies
from members.views.people import BoardAgencyMixin, InvitationSendView

from .. import permissions, services
from ..forms import AgencyMergeForm, AgencyRenameForm, DelegationForm
from .mixins import BlocYearMixin, add_service_error


class SecretariatInvitationSendView(InvitationSendView):
    """Resend an invitation: the board, the agency leader or the secretariat."""

    permitted = staticmethod(permissions.can_invite)


class DelegationGrantView(BlocYearMixin, FormView):
    form_class = DelegationForm
    template_name = "blocs/delegation_form.html"
    permission = staticmethod(permissions.can_delegate)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bloc_year": self.bloc_year}

    def form_valid(self, form):
        try:
            delegation = services.delegation_grant(
                bloc_year=self.bloc_year, user=form.cleaned_data["user"], actor=self.request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s now has the secretariat's rights for %(year)s.")
            % {"name": delegation.user, "year": self.bloc_year.year},
        )
        return redirect(self.bloc_year)


class DelegationRevokeView(BlocYearMixin, View):
    http_method_names = ["post"]
    permission = staticmethod(permissions.can_delegate)

    def post(self, request, *args, **kwargs):
        delegation = get_object_or_404(
            self.bloc_year.delegations.select_related("user"), pk=kwargs["delegation"]
        )
        services.delegation_revoke(delegation=delegation, actor=request.user)
        messages.success(
            request,
            _("%(name)s no longer has the secretariat's rights.") % {"name": delegation.user},
        )
        return redirect(self.bloc_year)


class AgencyRenameView(BoardAgencyMixin, FormView):
    form_class = AgencyRenameForm
    template_name = "blocs/agency_rename.html"

    def get_initial(self):
        return {"name": self.agency.name, "short_name": self.agency.short_name}

    def form_valid(self, form):
        try:
            successor = services.agency_rename(
                agency=self.agency, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The agency was renamed; past years keep the old name."))
        return redirect(successor)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.agency, **kwargs)


class AgencyMergeView(LoginRequiredMixin, FormView):
    form_class = AgencyMergeForm
    template_name = "blocs/agency_merge.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = get_object_or_404(Province, code=kwargs["code"])
        if not can_manage_agencies(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "province": self.province}

    def form_valid(self, form):
        data = form.cleaned_data
        successor = data["into"] or Agency(
            province=self.province,
            code=data["code"],
            name=data["name"],
            short_name=data["short_name"],
            kind=data["kind"],
        )
        try:
            successor = services.agency_merge(
                agencies=list(data["agencies"]),
                successor=successor,
                effective_on=data["effective_on"],
                actor=self.request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The agencies were merged; past years keep their names."))
        return redirect(successor)

    def get_context_data(self, **kwargs):
        return super().get_context_data(province=self.province, **kwargs)
