"""The board adds officials one by one, (re)sends invitations, and
deactivates people who left. Bulk changes go through the Excel import."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .. import services
from ..forms import OfficialForm
from ..models import Agency, User
from ..permissions import can_manage_agencies


def base_url(request) -> str:
    """Where links in emails point: this site as the person reached it."""
    return request.build_absolute_uri("/")


class BoardAgencyMixin(LoginRequiredMixin):
    """Loads the active agency named in the URL for its province's board."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = get_object_or_404(Agency, pk=kwargs["pk"], is_active=True)
        if not can_manage_agencies(request.user, self.agency.province_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficialCreateView(BoardAgencyMixin, FormView):
    form_class = OfficialForm
    template_name = "members/official_form.html"

    def form_valid(self, form):
        try:
            user = services.official_create(
                agency=self.agency,
                actor=self.request.user,
                base_url=base_url(self.request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added and an invitation was sent to %(email)s.")
            % {"name": user.get_full_name(), "email": user.email},
        )
        return redirect(self.agency)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.agency, **kwargs)


class _PersonActionView(LoginRequiredMixin, View):
    """POST-only actions on one person, answered with a message and a redirect."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = get_object_or_404(User.objects.select_related("agency"), pk=pk)
        try:
            message = self.act(person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
        return redirect(person.agency if person.agency_id else "blocs:home")


class InvitationSendView(_PersonActionView):
    #: ``blocs`` swaps in its rule so the secretariat may resend too.
    permitted = None

    def act(self, person):
        kwargs = {"permitted": self.permitted} if self.permitted else {}
        services.invitation_send(
            user=person, actor=self.request.user, base_url=base_url(self.request), **kwargs
        )
        return _("An invitation was sent to %(email)s.") % {"email": person.email}


class DeactivateView(_PersonActionView):
    def act(self, person):
        services.user_set_active(user=person, actor=self.request.user, active=False)
        return _("%(name)s can no longer sign in; their name stays in the records.") % {
            "name": person.get_full_name()
        }


class ReactivateView(_PersonActionView):
    def act(self, person):
        services.user_set_active(user=person, actor=self.request.user, active=True)
        return _("%(name)s can sign in again.") % {"name": person.get_full_name()}
