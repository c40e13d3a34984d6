"""Scoring pages: ranking — the period's table and its publication, its PDF
and Excel, and one sheet's self-scores out to Excel and back (see the package
docstring; a member's results across periods and years are in :mod:`.results`).

Every view loads the bloc-year through ``BlocYearMixin``; the table comes
from :func:`..ranking.ranking_table` (a fixed number of queries) and is
shown only to those :func:`..ranking.can_view_ranking` allows: before
publication the secretariat, the board and site admins, afterwards every
member. Changes call one service each: :func:`..publication.ranking_publish`
and :func:`..excel.sheet_import`.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import pdf_response
from members import caching
from members.permissions import is_board_for
from members.spreadsheets import ImportRejected
from members.templatetags.documents import vn_decimal
from members.views.imports import MAX_UPLOAD_BYTES, xlsx_response

from ...models import Period
from .. import excel, permissions
from ..charts import bar_chart
from ..documents import (
    detail_rows,
    issue_score_table,
    ranking_workbook,
    score_table_filename,
    score_table_pdf,
)
from ..publication import ranking_publish
from ..ranking import (
    can_view_ranking,
    ranking_table,
    tie_break_label,
)
from ..selectors import sheet_for_page
from ..visibility import visible_values

PREFIX = "blocs/<int:pk>/<int:year>/"


class _PeriodMixin(BlocYearMixin):
    """The period from the URL (404 if unknown) and its table on demand."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["period"] not in Period.values:
            raise Http404
        self.period = Period(kwargs["period"])

    @cached_property
    def table(self):
        return ranking_table(self.bloc_year, self.period, members_prefetched=True)

    def visible_table(self):
        """The table, or 403 for those who may not see it (yet)."""
        table = self.table
        if not can_view_ranking(self.request.user, self.bloc_year, published=table.published):
            raise PermissionDenied
        return table

    def urls(self) -> dict:
        args = [self.bloc_year.bloc_id, self.bloc_year.year, self.period]
        return {
            name: reverse(f"covenants:{name}", args=args)
            for name in ("ranking", "ranking_publish", "ranking_pdf", "ranking_xlsx")
        }

    def can_publish(self, *, published: bool) -> bool:
        return (
            permissions.can_manage_scoring(self.request.user, self.bloc_year)
            and not published
            and permissions.period_is_open(self.bloc_year, self.period)
        )

    def can_see_all_results(self) -> bool:
        """Every row's name links to its results page (else only the viewer's own)."""
        user, bloc_year = self.request.user, self.bloc_year
        return permissions.is_secretariat(user, bloc_year) or is_board_for(
            user, bloc_year.bloc.province_id
        )

    def table_context(self, table) -> dict:
        first_group = table.first_group
        return {
            "chart": bar_chart(
                [(row.agency.name, row.total) for row in table.rows],
                max_value=max([table.top_score, *(row.total for row in table.rows)]),
                title=_("Total points by member"),
                number_format=vn_decimal,
            ),
            "can_see_all_results": self.can_see_all_results(),
            "tie_break_labels": [
                tie_break_label(code, first_group=first_group) for code in table.tie_breaks
            ],
        }


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked the table: publish it to every member of the bloc. "
            "It cannot be withdrawn."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the publication.")},
    )


class RankingView(_PeriodMixin, TemplateView):
    """The table and, for the secretariat while it may, the publication form.

    Issue 9: everything above the form is one fragment under the data version
    (:mod:`members.caching`) per period and per viewer standing: whether every member's
    name links to its results page (the secretariat, the board), else the viewer's
    agency, whose own name links. The permission check reads whether the table is
    published (and ready, for the form) from a small cached summary, so a repeated read
    builds no table. The form, with the request's CSRF token, is rendered with the page.
    Nothing shown is relative to today."""

    template_name = "covenants/scores/ranking.html"

    def get_context_data(self, **kwargs):
        user, bloc_year = self.request.user, self.bloc_year
        published, ready = caching.remember(
            "covenants.ranking_state",
            (bloc_year.pk, self.period),
            lambda: (self.table.published, self.table.ready),
        )
        if not can_view_ranking(user, bloc_year, published=published):
            raise PermissionDenied
        see_all = self.can_see_all_results()
        body = caching.fragment(
            "covenants.ranking",
            (bloc_year.pk, self.period, see_all, None if see_all else user.agency_id),
            lambda: self.render_body(user),
        )
        return super().get_context_data(
            body=body,
            period_label=self.period.label,
            urls=self.urls(),
            can_publish=self.can_publish(published=published),
            ready=ready,
            form=PublishForm(),
            **kwargs,
        )

    def render_body(self, user) -> str:
        table, bloc_year = self.table, self.bloc_year
        context = {
            "table": table,
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "urls": self.urls(),
            # The rows read the viewer's agency, named in the key unless every row links.
            "user": user,
            **self.table_context(table),
        }
        return render_to_string(f"{self.template_name}#body", context)


class RankingPublishView(_PeriodMixin, FormView):
    """GET: the confirmation page; POST: publish (secretariat only)."""

    form_class = PublishForm
    template_name = "covenants/scores/ranking_publish.html"
    permission = staticmethod(permissions.can_manage_scoring)

    def get_context_data(self, **kwargs):
        return super().get_context_data(table=self.visible_table(), urls=self.urls(), **kwargs)

    def form_valid(self, form):
        try:
            ranking_publish(bloc_year=self.bloc_year, period=self.period, actor=self.request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The ranking is published to every member."))
        return redirect(self.urls()["ranking"])


class RankingPdfView(_PeriodMixin, View):
    def get(self, request, *args, **kwargs):
        table = self.visible_table()
        # Published: the issued (numbered, cached) table; a draft is rendered each time.
        issued = issue_score_table(table, request.user)
        if issued is not None:
            return pdf_response(issued.read_bytes(), score_table_filename(table))
        return pdf_response(score_table_pdf(table), score_table_filename(table))


class RankingXlsxView(_PeriodMixin, View):
    """The table; the secretariat also gets every line of every sheet."""

    def get(self, request, *args, **kwargs):
        table = self.visible_table()
        details = None
        if permissions.is_secretariat(request.user, self.bloc_year):
            details = detail_rows(self.bloc_year, self.period, request.user)
        content = ranking_workbook(table, details=details)
        name = f"xep-hang-khoi-{self.bloc_year.bloc.number}-{self.bloc_year.year}-{self.period}"
        return xlsx_response(content, f"{name}.xlsx")


# One sheet's self-scores in Excel --------------------------------------------------


class _SheetMixin(BlocYearMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["period"] not in Period.values:
            raise Http404

    def load_sheet(self):
        if not hasattr(self, "sheet"):
            kwargs = self.kwargs
            self.sheet = sheet_for_page(self.bloc_year, kwargs["period"], kwargs["agency"])
        return self.sheet

    def sheet_url(self):
        sheet = self.load_sheet()
        return reverse(
            "covenants:score_sheet",
            args=[self.bloc_year.bloc_id, self.bloc_year.year, sheet.period, sheet.agency_id],
        )


class ScoreSheetXlsxView(_SheetMixin, View):
    """Those who may see the self-scores download them (the member always)."""

    def get(self, request, *args, **kwargs):
        sheet = self.load_sheet()
        seen = visible_values(
            permissions.side_of(request.user, sheet),
            self_submitted=sheet.self_submitted,
            review_submitted=sheet.review_submitted,
            published=sheet.period_published,
        )
        if not seen.self_values:
            raise PermissionDenied
        name = f"tu-cham-{sheet.agency.code}-{sheet.period}-{self.bloc_year.year}.xlsx"
        return xlsx_response(excel.sheet_workbook(sheet), name)


class SheetImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Self-scores in Excel (.xlsx)"),
        help_text=gettext_lazy("The file downloaded from this sheet, with your scores filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx") or file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Upload an Excel .xlsx file of at most 5 MB."))
        return file


class ScoreSheetImportView(_SheetMixin, FormView):
    """Upload the filled-in file: every problem listed by row, nothing saved on error."""

    form_class = SheetImportForm
    template_name = "covenants/scores/import_sheet.html"

    def get(self, request, *args, **kwargs):
        self._require_editable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._require_editable()
        return super().post(request, *args, **kwargs)

    def _require_editable(self):
        if not permissions.can_edit_self(self.request.user, self.load_sheet()):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        sheet = self.load_sheet()
        return super().get_context_data(
            sheet=sheet,
            sheet_url=self.sheet_url(),
            xlsx_url=reverse(
                "covenants:score_sheet_xlsx",
                args=[self.bloc_year.bloc_id, self.bloc_year.year, sheet.period, sheet.agency_id],
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            excel.sheet_import(
                sheet=self.sheet, content=form.cleaned_data["file"].read(), actor=self.request.user
            )
        except ImportRejected as exc:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.plan.errors)
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The self-scores were saved from the file."))
        return redirect(self.sheet_url())


urlpatterns = [
    path(f"{PREFIX}scores/<slug:period>/ranking/", RankingView.as_view(), name="ranking"),
    path(
        f"{PREFIX}scores/<slug:period>/ranking/publish/",
        RankingPublishView.as_view(),
        name="ranking_publish",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/ranking/pdf/", RankingPdfView.as_view(), name="ranking_pdf"
    ),
    path(
        f"{PREFIX}scores/<slug:period>/ranking/xlsx/",
        RankingXlsxView.as_view(),
        name="ranking_xlsx",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/xlsx/",
        ScoreSheetXlsxView.as_view(),
        name="score_sheet_xlsx",
    ),
    path(
        f"{PREFIX}scores/<slug:period>/<int:agency>/import/",
        ScoreSheetImportView.as_view(),
        name="score_sheet_import",
    ),
]
