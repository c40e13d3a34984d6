"""Agency lists and forms for the provincial board.

The agency's own page, with its blocs year by year, lives in ``blocs``
because it shows bloc data (``blocs:agency``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from ..forms import AgencyForm
from ..models import Agency
from ..permissions import can_manage_agencies, is_site_admin


class AgencyListView(LoginRequiredMixin, ListView):
    template_name = "members/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self):
        user = self.request.user
        queryset = Agency.objects.select_related("province", "successor")
        if is_site_admin(user):
            return queryset.alphabetical()
        if user.board_province_id is None:
            raise PermissionDenied
        return queryset.filter(province_id=user.board_province_id).alphabetical()

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=True, **kwargs)


class AgencyCreateView(LoginRequiredMixin, CreateView):
    model = Agency
    form_class = AgencyForm
    template_name = "members/agency_form.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_site_admin(user) or user.board_province_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A board member adds agencies to their own province; a site admin picks one.
        kwargs = super().get_form_kwargs()
        if not is_site_admin(self.request.user):
            kwargs["province"] = self.request.user.board_province
        return kwargs

    def form_valid(self, form):
        messages.success(self.request, _("The agency was created."))
        return super().form_valid(form)


class AgencyUpdateView(LoginRequiredMixin, UpdateView):
    model = Agency
    form_class = AgencyForm
    template_name = "members/agency_form.html"

    def get_object(self, queryset=None):
        agency = super().get_object(queryset)
        if not can_manage_agencies(self.request.user, agency.province_id):
            raise PermissionDenied
        return agency

    def form_valid(self, form):
        messages.success(self.request, _("The agency was saved."))
        return super().form_valid(form)
