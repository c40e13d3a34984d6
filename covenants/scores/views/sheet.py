"""Scoring pages: sheet — a member's sheet and its self-scores (see the package
docstring; the evidence files' views are in :mod:`.evidence`, the scores home in
:mod:`.home`).

Each view loads the bloc-year through ``BlocYearMixin`` and the sheet from
the URL (404 for an unknown period or an agency without a sheet in this
bloc), checks a predicate of :mod:`..permissions`, and calls one service of
:mod:`..services` for a change. The sheet page reads its lines through
:func:`..selectors.sheet_lines` with the viewer's visible columns, so what
the blind-review rule hides is never loaded, let alone rendered.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from blocs import permissions as bloc_permissions
from blocs.views.mixins import BlocYearMixin
from members import audit, caching

from ...models import LatePolicy, SheetStatus
from .. import evidence as evidence_rules
from .. import permissions, services
from ..core import settings_for
from ..forms_sheet import SelfScoresForm, SubmitForm
from ..selectors import cached_sheet_for_page, sheet_for_page, sheet_lines
from ..sheet_display import edit_groups, sheet_display
from ..totals import sheet_total
from ..visibility import SheetSide, visible_values

PREFIX = "blocs/<int:pk>/<int:year>/"


def _sheet_url(name, sheet, *extra):
    bloc_year = sheet.bloc_year
    return reverse(
        f"covenants:{name}",
        args=[bloc_year.bloc_id, bloc_year.year, sheet.period, sheet.agency_id, *extra],
    )


def _with_evidence_urls(sheet, lines):
    """Each line's upload address (``add_url``), each file's ``url`` and ``delete_url``:
    the sheet's address plus the id, as this module's URL patterns write them. One
    ``reverse`` rather than one per line and file (a tenth of the edit page, issue 9)."""
    base = _sheet_url("score_sheet", sheet)
    for line in lines:
        line.add_url = f"{base}lines/{line.pk}/evidence/"
        for file in line.evidence:
            file.url = f"{base}evidence/{file.pk}/"
            file.delete_url = f"{file.url}delete/"
    return lines


def days_until(deadline):
    """Days from today to ``deadline`` (negative once past), None without one."""
    return None if deadline is None else (deadline - timezone.localdate()).days


# One sheet -------------------------------------------------------------------------


class _SheetMixin(BlocYearMixin):
    """Loads ``self.sheet`` from the URL; subclasses say who may use the page
    with ``allowed(user, sheet)``."""

    #: How the sheet is read: a page that only shows it may take the cached copy.
    read_sheet = staticmethod(sheet_for_page)

    def permission(self, user, bloc_year):
        if not bloc_permissions.can_view_bloc_year(user, bloc_year):
            return False
        self.sheet = self.read_sheet(bloc_year, self.kwargs["period"], self.kwargs["agency"])
        self.published = self.sheet.period_published
        return self.allowed(user, self.sheet)

    def allowed(self, user, sheet) -> bool:
        return permissions.can_edit_self(user, sheet)

    def visible(self):
        side = permissions.side_of(self.request.user, self.sheet, bloc_year=self.bloc_year)
        return side, visible_values(
            side,
            self_submitted=self.sheet.self_submitted,
            review_submitted=self.sheet.review_submitted,
            published=self.published,
        )

    def settings(self):
        """The year's scoring settings, read with the sheet (:func:`..selectors.sheet_for_page`)
        unless the year has none yet: one query fewer on every sheet page (issue 9)."""
        return self.sheet.year_settings or settings_for(self.bloc_year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheet=self.sheet, **kwargs)


class ScoreSheetView(_SheetMixin, TemplateView):
    """The sheet, read-only, as the viewer may see it.

    Issue 9: the body (status, actions, the lines, the totals) is one fragment under the
    data version (:mod:`members.caching`), and the sheet the permission check reads is
    cached too (:func:`..selectors.cached_sheet_for_page`). Besides the data and the
    language, the body depends on the viewer only through :meth:`standing`: the side
    (which columns the blind-review rule shows) and the actions offered. It shows no
    date relative to today and no form."""

    template_name = "covenants/scores/sheet.html"
    read_sheet = staticmethod(cached_sheet_for_page)

    def allowed(self, user, sheet):
        return permissions.can_view_sheet(
            user, sheet, published=self.published, bloc_year=self.bloc_year
        )

    def standing(self) -> dict:
        """Everything about the viewer that the body shows, and nothing else, so that
        the viewers of one standing (the secretariat's staff, a member's…) share it."""
        user, sheet, bloc_year = self.request.user, self.sheet, self.bloc_year
        side = permissions.side_of(user, sheet, bloc_year=bloc_year)
        return {
            "side": side,
            "can_edit": permissions.can_edit_self(user, sheet),
            "can_submit": permissions.can_submit_self(user, sheet),
            "can_review": permissions.can_review(user, sheet),
            "can_reconcile": permissions.can_reconcile(user, sheet),
            "can_return": permissions.can_manage_scoring(user, bloc_year)
            and sheet.status == SheetStatus.SUBMITTED
            and permissions.period_is_open(bloc_year, sheet.period),
            "can_history": side not in (SheetSide.PEER, SheetSide.NONE),
            "audit_history_url": audit.history_url(user, sheet, scope=bloc_year),
        }

    def get_context_data(self, **kwargs):
        standing = self.standing()
        body = caching.fragment(
            "covenants.score_sheet",
            (self.sheet.pk, *sorted(standing.items())),
            lambda: self.render_body(standing),
        )
        return super().get_context_data(body=body, **kwargs)

    def render_body(self, standing: dict) -> str:
        sheet, bloc_year = self.sheet, self.bloc_year
        visible = visible_values(
            standing["side"],
            self_submitted=sheet.self_submitted,
            review_submitted=sheet.review_submitted,
            published=self.published,
        )
        settings = self.settings()
        lines = _with_evidence_urls(sheet, sheet_lines(sheet, visible))
        display = sheet_display(sheet, lines, visible, settings)
        context = {
            "sheet": sheet,
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "visible": visible,
            "columns": display.columns,
            "rows": display.rows,
            "totals": display.totals,
            "gap_count": len(display.gaps),
            "settings": settings,
            "settings_reviewed": settings.is_reviewed(sheet.period),
            "published": self.published,
            "deadline": settings.deadline(sheet.period),
            **standing,
        }
        return render_to_string(f"{self.template_name}#body", context)


class ScoreSheetEditView(_SheetMixin, FormView):
    """All self-scores on one form, with each line's evidence files."""

    form_class = SelfScoresForm
    template_name = "covenants/scores/sheet_edit.html"

    def get_form_kwargs(self):
        _side, visible = self.visible()
        self.lines = _with_evidence_urls(self.sheet, sheet_lines(self.sheet, visible))
        return {
            **super().get_form_kwargs(),
            "lines": self.lines,
            "female_percent": self.sheet.female_percent,
        }

    def form_valid(self, form):
        try:
            services.self_scores_save(
                sheet=self.sheet,
                actor=self.request.user,
                entries=form.entries(),
                female_percent=form.cleaned_data["female_percent"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your self-scores were saved."))
        if "submit" in self.request.POST and permissions.can_submit_self(
            self.request.user, self.sheet
        ):
            return redirect(_sheet_url("score_sheet_submit", self.sheet))
        return redirect(_sheet_url("score_sheet_edit", self.sheet))

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        form = kwargs["form"]
        return super().get_context_data(
            groups=edit_groups(self.sheet.template.to_draft(), form.rows()),
            can_submit=permissions.can_submit_self(self.request.user, self.sheet),
            deadline=self.settings().deadline(self.sheet.period),
            accept=evidence_rules.ACCEPT,
            **kwargs,
        )


class ScoreSheetSubmitView(_SheetMixin, FormView):
    """Confirm page: what is missing, the deadline and what lateness costs."""

    form_class = SubmitForm
    template_name = "covenants/scores/sheet_submit.html"

    def allowed(self, user, sheet):
        return permissions.can_submit_self(user, sheet)

    def form_valid(self, form):
        try:
            services.sheet_submit(sheet=self.sheet, actor=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The sheet was submitted; its self-scores are locked."))
        return redirect(_sheet_url("score_sheet", self.sheet))

    def get_context_data(self, **kwargs):
        sheet = self.sheet
        _side, visible = self.visible()
        lines = sheet_lines(sheet, visible)
        settings = self.settings()
        deadline = settings.deadline(sheet.period)
        days_left = days_until(deadline)
        late = days_left is not None and days_left < 0
        missing = [line for line in lines if line.self_value is None]
        invalid = services.invalid_values(lines)
        total = sheet_total(
            sheet.template.to_draft(),
            lines,
            column="self",
            late=late,
            late_deduction=settings.late_deduction,
            require_evidence=settings.require_evidence,
        )
        return super().get_context_data(
            missing=missing,
            invalid=invalid,
            can_confirm=not (missing or invalid)
            and not (late and settings.late_policy == LatePolicy.LOCK),
            unbacked=[line for line in lines if line.key in total.without_evidence],
            settings=settings,
            deadline=deadline,
            days_left=days_left,
            late=late,
            total=total,
            **kwargs,
        )


#: A sheet's address (:mod:`.evidence` adds its files' under it).
_SHEET = f"{PREFIX}scores/<slug:period>/<int:agency>/"

urlpatterns = [
    path(_SHEET, ScoreSheetView.as_view(), name="score_sheet"),
    path(f"{_SHEET}edit/", ScoreSheetEditView.as_view(), name="score_sheet_edit"),
    path(f"{_SHEET}submit/", ScoreSheetSubmitView.as_view(), name="score_sheet_submit"),
]
