"""Conference pages: the province's voting defaults, the year's rules and
the members' eligibility.

Each change calls exactly one service of :mod:`awards.rules`; its
``ValidationError`` goes next to the fields it names and nothing typed is
lost. A page a user may read but not change shows the form disabled.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import FormView

from blocs.views.mixins import BlocYearMixin, add_service_error
from members import audit
from members.models import Province

from .. import rules as services
from ..forms_rules import (
    ELIGIBILITY_HEADINGS,
    EligibilityForm,
    ProvinceDefaultsForm,
    VotingRulesForm,
)
from ..models import VotingRules
from ..permissions import can_set_province_defaults, can_view_conference

PREFIX = "blocs/<int:pk>/<int:year>/conference/"


def _rule_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in VotingRules.RULE_FIELDS}


class ProvinceDefaultsView(LoginRequiredMixin, FormView):
    """The board's defaults, copied by every bloc-year of the province."""

    form_class = ProvinceDefaultsForm
    template_name = "awards/province_defaults.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = get_object_or_404(Province, pk=kwargs["province"])
        if not can_set_province_defaults(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        defaults = services.province_defaults_for(self.province)
        return {**super().get_form_kwargs(), "instance": defaults}

    def form_valid(self, form):
        try:
            services.province_defaults_update(
                province=self.province, actor=self.request.user, data=_rule_data(form)
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The voting defaults are saved. Years that already have their rules keep them."),
        )
        return redirect("awards:province_defaults", province=self.province.pk)

    def get_context_data(self, **kwargs):
        defaults = services.province_defaults_for(self.province)
        return super().get_context_data(
            province=self.province,
            saved=defaults.pk is not None,
            in_words=services.rules_in_words(defaults, 9),
            **kwargs,
        )


class RulesView(BlocYearMixin, FormView):
    """Everyone in the bloc reads the year's rules; the secretariat and the
    board change them at scoring and conference, until voting opens."""

    form_class = VotingRulesForm
    template_name = "awards/rules.html"
    permission = staticmethod(can_view_conference)

    @property
    def rules(self):
        if not hasattr(self, "_rules"):
            self._rules = services.rules_preview(self.bloc_year)
        return self._rules

    def can_change(self) -> bool:
        return services.can_edit_rules(self.request.user, self.bloc_year) and not (
            self.rules.is_frozen
        )

    def post(self, request, *args, **kwargs):
        if not services.can_edit_rules(request.user, self.bloc_year):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.rules,
            "read_only": not self.can_change(),
        }

    def form_valid(self, form):
        try:
            services.voting_rules_update(
                bloc_year=self.bloc_year, actor=self.request.user, data=_rule_data(form)
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The year's voting rules are saved."))
        return redirect("awards:rules", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)

    def get_context_data(self, **kwargs):
        members = sum(1 for m in self.bloc_year.memberships.all() if m.left_on is None)
        return super().get_context_data(
            rules=self.rules,
            can_change=self.can_change(),
            editable_stage=services.can_edit_rules(self.request.user, self.bloc_year),
            in_words=services.rules_in_words(self.rules, members),
            members=members,
            events=services.rules_events(self.bloc_year, "rules_changed", "rules_frozen"),
            audit_history_url=audit.history_url(
                self.request.user, self.rules, scope=self.bloc_year
            ),
            **kwargs,
        )


class EligibilityView(BlocYearMixin, FormView):
    """A row per current member; the secretariat and the board fill it in
    until voting opens."""

    form_class = EligibilityForm
    template_name = "awards/eligibility.html"
    permission = staticmethod(services.can_view_eligibility)

    def can_change(self) -> bool:
        if not hasattr(self, "_can_change"):
            self._can_change = services.can_set_eligibility(
                self.request.user, self.bloc_year
            ) and not services.voting_opened(self.bloc_year)
        return self._can_change

    def post(self, request, *args, **kwargs):
        if not services.can_set_eligibility(request.user, self.bloc_year):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "rows": services.eligibility_rows(self.bloc_year),
            "read_only": not self.can_change(),
        }

    def form_valid(self, form):
        try:
            services.eligibility_set(
                bloc_year=self.bloc_year, actor=self.request.user, rows=form.cleaned_rows()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Eligibility is saved."))
        return redirect("awards:eligibility", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_change=self.can_change(),
            headings=ELIGIBILITY_HEADINGS,
            events=services.rules_events(self.bloc_year, "eligibility_changed"),
            **kwargs,
        )


urlpatterns = [
    path(
        "provinces/<int:province>/voting-defaults/",
        ProvinceDefaultsView.as_view(),
        name="province_defaults",
    ),
    path(f"{PREFIX}rules/", RulesView.as_view(), name="rules"),
    path(f"{PREFIX}eligibility/", EligibilityView.as_view(), name="eligibility"),
]
