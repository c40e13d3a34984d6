"""The board's set-up work: blocs, and opening a bloc's new year."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from members.models import Province

from .. import permissions, selectors, services
from ..forms import BlocForm, BlocYearCreateForm
from ..models import Bloc
from .mixins import add_service_error


class BlocDetailView(LoginRequiredMixin, TemplateView):
    """A bloc's years and its chair register (who chaired when)."""

    template_name = "blocs/bloc_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.bloc = get_object_or_404(Bloc.objects.select_related("province"), pk=kwargs["pk"])
        if not permissions.can_view_bloc(request.user, self.bloc):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            bloc=self.bloc,
            terms=selectors.chair_register(bloc=self.bloc),
            can_manage=permissions.can_manage_blocs(self.request.user, self.bloc.province_id),
            **kwargs,
        )


class BlocCreateView(LoginRequiredMixin, CreateView):
    model = Bloc
    form_class = BlocForm
    template_name = "blocs/bloc_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = get_object_or_404(Province, code=kwargs["code"])
        if not permissions.can_manage_blocs(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "province": self.province}

    def form_valid(self, form):
        messages.success(self.request, _("The bloc was created."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(province=self.province, **kwargs)


class BlocUpdateView(LoginRequiredMixin, UpdateView):
    model = Bloc
    form_class = BlocForm
    template_name = "blocs/bloc_form.html"

    def get_object(self, queryset=None):
        bloc = super().get_object(queryset)
        if not permissions.can_manage_blocs(self.request.user, bloc.province_id):
            raise PermissionDenied
        return bloc

    def form_valid(self, form):
        messages.success(self.request, _("The bloc was saved."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(province=self.object.province, **kwargs)


class BlocYearCreateView(LoginRequiredMixin, FormView):
    form_class = BlocYearCreateForm
    template_name = "blocs/blocyear_create.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.bloc = get_object_or_404(Bloc.objects.select_related("province"), pk=kwargs["pk"])
        if not permissions.can_manage_blocs(request.user, self.bloc.province_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        latest = self.bloc.years.order_by("-year").first()
        return {"year": latest.year + 1 if latest else None, "copy_members": True}

    def form_valid(self, form):
        try:
            bloc_year = services.bloc_year_create(
                bloc=self.bloc,
                year=form.cleaned_data["year"],
                theme=form.cleaned_data["theme"],
                copy_members=form.cleaned_data["copy_members"],
                actor=self.request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The year %(year)s was opened.") % {"year": bloc_year.year}
        )
        return redirect(bloc_year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(bloc=self.bloc, **kwargs)
