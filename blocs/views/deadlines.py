"""The province's calendar (board) and a bloc-year's deadlines (view for
everyone who sees the year; tighten for the board and the secretariat).

Each page shows one small form per task; a POST carries ``kind`` so the
form that was sent is rebound with its errors next to its field.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from members.models import Province

from .. import permissions
from ..deadlines import selectors, services
from ..forms_deadlines import ProvinceDeadlineForm, YearDeadlineForm
from ..models import DeadlineChange, DeadlineKind
from .mixins import BlocYearMixin, add_service_error


def _posted_kind(request):
    """The task the post is about; without a known one nothing is saved, and
    the page says so (a post cut short or altered on its way)."""
    kind = request.POST.get("kind", "")
    if kind in DeadlineKind.values:
        return kind
    messages.error(request, _("The form was incomplete, so nothing was saved. Please try again."))
    return None


class ProvinceDeadlinesView(LoginRequiredMixin, TemplateView):
    template_name = "blocs/deadlines_province.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = get_object_or_404(Province, code=kwargs["code"])
        if not services.can_set_province_deadlines(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _rows(self, bound=None):
        rows = []
        for entry in selectors.province_calendar(self.province.pk):
            if bound is not None and bound.prefix == entry.kind:
                form = bound
            else:
                initial = {"kind": entry.kind, "day": entry.day, "month": entry.month}
                form = ProvinceDeadlineForm(prefix=entry.kind, initial=initial)
            rows.append((entry, form))
        return rows

    def get_context_data(self, **kwargs):
        kwargs.setdefault("rows", self._rows())
        return super().get_context_data(
            province=self.province,
            history=DeadlineChange.objects.filter(province=self.province, bloc_year__isnull=True)
            .select_related("actor")
            .order_by("-at")[:20],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        kind = _posted_kind(request)
        if kind is None:
            return redirect(request.path)
        form = ProvinceDeadlineForm(request.POST, prefix=kind)
        if form.is_valid():
            try:
                services.province_deadline_set(
                    province=self.province,
                    kind=kind,
                    month=form.cleaned_data["month"],
                    day=form.cleaned_data["day"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The province's calendar is saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(rows=self._rows(form)))


class YearDeadlinesView(BlocYearMixin, TemplateView):
    template_name = "blocs/deadlines_year.html"

    def _rows(self, deadlines, bound=None):
        rows = []
        for deadline in deadlines:
            if bound is not None and bound.prefix == deadline.kind:
                form = bound
            else:
                initial = {"kind": deadline.kind, "date": deadline.date}
                form = YearDeadlineForm(prefix=deadline.kind, initial=initial)
            rows.append((deadline, form))
        return rows

    def get_context_data(self, **kwargs):
        user = self.request.user
        deadlines = selectors.year_deadlines(self.bloc_year)
        can_tighten = services.can_tighten_deadlines(user, self.bloc_year)
        kwargs.setdefault("rows", self._rows(deadlines, kwargs.pop("bound", None)))
        return super().get_context_data(
            deadline_notices=deadlines,
            can_tighten=can_tighten,
            is_secretariat=permissions.is_secretariat(user, self.bloc_year),
            history=self.bloc_year.deadline_changes.select_related("actor").order_by("-at")[:20],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not services.can_tighten_deadlines(request.user, self.bloc_year):
            raise PermissionDenied
        kind = _posted_kind(request)
        if kind is None:
            return redirect(request.path)
        if "clear" in request.POST:
            services.year_deadline_clear(bloc_year=self.bloc_year, kind=kind, actor=request.user)
            messages.success(request, _("The province's deadline applies again."))
            return redirect(request.path)
        form = YearDeadlineForm(request.POST, prefix=kind)
        if form.is_valid():
            try:
                services.year_deadline_set(
                    bloc_year=self.bloc_year,
                    kind=kind,
                    date=form.cleaned_data["date"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The year's deadline is saved."))
                return redirect(
                    reverse(
                        "blocs:year_deadlines",
                        kwargs={"pk": self.bloc_year.bloc_id, "year": self.bloc_year.year},
                    )
                )
        return self.render_to_response(self.get_context_data(bound=form))
