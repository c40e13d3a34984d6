"""The two line-by-line pages of the review: the reviewer's blind entry
page and the secretariat's reconciliation (routes in :mod:`.review`).

Lines are read through :func:`~covenants.scores.selectors.sheet_lines` with
what the blind-review rule lets *this* viewer see, so a value the viewer may
not see is never even loaded, and the template cannot show it by mistake.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from blocs.views.mixins import BlocYearMixin

from ...scoring import review_gaps, scored_lines
from .. import permissions, review, selectors
from ..core import settings_for
from ..forms_review import ReconcileForm, ReviewForm, mark_invalid
from ..totals import sheet_total
from ..values import line_input
from ..visibility import SheetSide, visible_values

__all__ = ["PageLine", "ReconcileView", "ReviewView", "SheetMixin", "page_lines", "reviewers_url"]


def reviewers_url(bloc_year, period):
    return redirect("covenants:score_reviewers", bloc_year.bloc_id, bloc_year.year, period)


class SheetMixin(BlocYearMixin):
    """Loads the sheet of the URL (404 if none) and how the user stands to it;
    ``allowed`` says who may open the page."""

    def permission(self, user, bloc_year):
        kwargs = self.kwargs
        self.sheet = selectors.sheet_for_page(bloc_year, kwargs["period"], kwargs["agency"])
        self.side = permissions.side_of(user, self.sheet, bloc_year=bloc_year)
        self.visible = visible_values(
            self.side,
            self_submitted=self.sheet.self_submitted,
            review_submitted=self.sheet.review_submitted,
        )
        return self.allowed(user)

    def allowed(self, user) -> bool:
        """Who may open the page: each page says; nobody by default (safe)."""
        return False

    def here(self):
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        # TemplateView passes the URL's kwargs (period, agency…) in too.
        kwargs.update(
            sheet=self.sheet,
            period=self.sheet.period,
            both_submitted=self.sheet.self_submitted and self.sheet.review_submitted,
            is_secretariat=permissions.is_secretariat(self.request.user, self.bloc_year),
        )
        return super().get_context_data(**kwargs)


@dataclass
class PageLine:
    """A line as the review pages draw it, with the headings above it."""

    line: object
    group: object = None  # set on the first line of a group
    parent: object = None  # set on the first sub-criterion of a criterion
    parent_key: str = ""
    value: object = None  # the bound input, when the page has a form
    text: object = None
    gap: bool = False


def page_lines(draft, lines, form=None, gaps=()) -> list[PageLine]:
    where = {sheet_line.key: sheet_line for sheet_line in scored_lines(draft)}
    rows, group, parent = [], None, None
    for line in lines:
        placed = where.get(line.key)
        value, text = form.fields_of(line) if form is not None else (None, None)
        row = PageLine(line, value=value, text=text, gap=line.key in gaps)
        if placed is not None:
            if placed.group is not group:
                group = row.group = placed.group
            if placed.parent is not None and placed.parent is not parent:
                row.parent = placed.parent
                row.parent_key = f"{placed.group.code}.{placed.parent.code}"
            parent = placed.parent
        rows.append(row)
    return rows


def _totals(draft, lines, sheet, settings, visible) -> dict:
    """The totals of the columns this viewer sees (the review is scored on the
    work, without the evidence rule or the late penalty)."""
    rules = {
        "late": sheet.is_late,
        "late_deduction": settings.late_deduction,
        "require_evidence": settings.require_evidence,
    }
    totals = {}
    if visible.self_values:
        totals["self"] = sheet_total(draft, lines, column="self", **rules)
    if visible.review_values:
        totals["review"] = sheet_total(draft, lines, column="review", require_evidence=False)
    if visible.final_values:
        totals["final"] = sheet_total(draft, lines, column="final", **rules)
    return totals


# The blind review ---------------------------------------------------------------


class ReviewView(SheetMixin, TemplateView):
    """The reviewer's entry page. Before both sides submit, the self side
    (values, explanations, evidence) is hidden as a whole: not selected."""

    template_name = "covenants/scores/review.html"

    def allowed(self, user):
        return self.side == SheetSide.REVIEWER

    @property
    def settings(self):
        if not hasattr(self, "_settings"):
            self._settings = settings_for(self.bloc_year)
        return self._settings

    def make_form(self, lines, data=None):
        if not (
            permissions.can_review(self.request.user, self.sheet)
            and self.settings.is_reviewed(self.sheet.period)
        ):
            return None
        return ReviewForm(
            data,
            lines=lines,
            values={line.key: line.review_value for line in lines},
            texts={line.key: line.review_note for line in lines},
        )

    def render_page(self, lines, form):
        draft, settings = self.sheet.template.to_draft(), self.settings
        if form is not None:
            mark_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=page_lines(draft, lines, form),
                totals=_totals(draft, lines, self.sheet, settings, self.visible),
                visible=self.visible,
                is_reviewed=settings.is_reviewed(self.sheet.period),
            )
        )

    def get(self, request, *args, **kwargs):
        lines = selectors.sheet_lines(self.sheet, self.visible)
        return self.render_page(lines, self.make_form(lines))

    def post(self, request, *args, **kwargs):
        lines = selectors.sheet_lines(self.sheet, self.visible)
        form = self.make_form(lines, request.POST)
        if form is None:
            raise PermissionDenied
        submit = request.POST.get("action") == "submit"
        if not form.is_valid():
            return self.render_page(lines, form)
        if submit and not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick the box to confirm that the review is complete."))
            return self.render_page(lines, form)
        # One transaction for both steps: a database failure in the second undoes
        # the first (the error page says nothing was saved, and it is true); a
        # refused submit only rolls back its own savepoint and keeps the draft.
        with transaction.atomic():
            try:
                review.review_save(sheet=self.sheet, actor=request.user, entries=form.entries())
            except ValidationError as exc:
                form.add_service_error(exc)
                return self.render_page(lines, form)
            if not submit:
                messages.success(request, _("The review was saved as a draft."))
                return self.here()
            try:
                review.review_submit(sheet=self.sheet, actor=request.user)
            except ValidationError as exc:
                messages.error(
                    request,
                    _("The review was saved but not submitted: %(problem)s")
                    % {"problem": " ".join(exc.messages)},
                )
                return self.here()
        messages.success(request, _("The review was submitted."))
        return self.here()


# Reconciliation ---------------------------------------------------------------------


class ReconcileView(SheetMixin, TemplateView):
    """Self, review and final side by side, the lines that differ by more than
    the year's gap flagged; the secretariat agrees the final score."""

    template_name = "covenants/scores/reconcile.html"

    def allowed(self, user):
        return permissions.is_secretariat(user, self.bloc_year)

    def render_page(self, form=None, lines=None):
        sheet, settings = self.sheet, settings_for(self.bloc_year)
        both = sheet.self_submitted and sheet.review_submitted
        lines = lines if lines is not None else self.lines()
        draft = sheet.template.to_draft()
        gaps = ()
        if both:
            gaps = review_gaps(
                {line.key: line_input(line.criterion, line.self_value) for line in lines},
                {line.key: line_input(line.criterion, line.review_value) for line in lines},
                draft,
                gap=settings.review_gap,
            )
            if form is None:
                form = self.make_form(lines)
        if form is not None:
            mark_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rows=page_lines(draft, lines, form, set(gaps)),
                gap_count=len(gaps),
                settings=settings,
                totals=_totals(draft, lines, sheet, settings, self.visible),
                visible=self.visible,
            )
        )

    def lines(self):
        both = self.sheet.self_submitted and self.sheet.review_submitted
        return selectors.sheet_lines(self.sheet, self.visible) if both else []

    def make_form(self, lines, data=None):
        if not permissions.can_reconcile(self.request.user, self.sheet):
            return None
        return ReconcileForm(
            data,
            lines=lines,
            values={
                line.key: line.self_value if line.final_value is None else line.final_value
                for line in lines
            },
            texts={line.key: line.final_reason for line in lines},
        )

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "prefill":
            if not permissions.can_reconcile(request.user, self.sheet):
                raise PermissionDenied
            try:
                count = review.final_prefill(sheet=self.sheet, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return self.here()
            messages.success(
                request, _("%(count)s agreed lines were accepted as final.") % {"count": count}
            )
            return self.here()
        lines = self.lines()
        form = self.make_form(lines, request.POST)
        if form is None:
            raise PermissionDenied
        finalize = action == "finalize"
        if not form.is_valid():
            return self.render_page(form, lines)
        if finalize and not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Tick the box to confirm that every score is agreed."))
            return self.render_page(form, lines)
        # One transaction for both steps, as in ReviewView.post.
        with transaction.atomic():
            try:
                review.final_scores_save(
                    sheet=self.sheet, actor=request.user, entries=form.entries()
                )
            except ValidationError as exc:
                form.add_service_error(exc)
                return self.render_page(form, lines)
            if not finalize:
                messages.success(request, _("The final scores were saved."))
                return self.here()
            try:
                review.sheet_finalize(sheet=self.sheet, actor=request.user)
            except ValidationError as exc:
                messages.error(
                    request,
                    _("The final scores were saved but the sheet is not final: %(problem)s")
                    % {"problem": " ".join(exc.messages)},
                )
                return self.here()
        messages.success(request, _("The sheet is final."))
        return reviewers_url(self.bloc_year, self.sheet.period)
