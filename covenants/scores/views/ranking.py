"""Scoring pages: ranking — the period's table and its publication, its PDF
and Excel, a member's results across periods and years, and one sheet's
self-scores out to Excel and back (see the package docstring).

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
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import pdf_response
from members.permissions import is_board_for
from members.spreadsheets import ImportRejected
from members.templatetags.documents import vn_decimal
from members.views.imports import MAX_UPLOAD_BYTES, xlsx_response

from ...models import Period
from .. import excel, permissions
from ..charts import bar_chart, grouped_bars, trend_line
from ..documents import (
    detail_rows,
    issue_score_table,
    ranking_workbook,
    score_table_filename,
    score_table_pdf,
)
from ..publication import ranking_publish
from ..ranking import (
    agency_years,
    can_view_ranking,
    ranking_table,
    ranking_tables_for,
    tie_break_label,
    year_end_history,
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

    def get_context_data(self, **kwargs):
        user, bloc_year = self.request.user, self.bloc_year
        table = self.visible_table()
        can_manage = permissions.can_manage_scoring(user, bloc_year)
        first_group = table.first_group
        return super().get_context_data(
            table=table,
            urls=self.urls(),
            chart=bar_chart(
                [(row.agency.name, row.total) for row in table.rows],
                max_value=max([table.top_score, *(row.total for row in table.rows)]),
                title=_("Total points by member"),
                number_format=vn_decimal,
            ),
            can_publish=can_manage
            and not table.published
            and permissions.period_is_open(bloc_year, self.period),
            can_see_all_results=permissions.is_secretariat(user, bloc_year)
            or is_board_for(user, bloc_year.bloc.province_id),
            tie_break_labels=[
                tie_break_label(code, first_group=first_group) for code in table.tie_breaks
            ],
            **kwargs,
        )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked the table: publish it to every member of the bloc. "
            "It cannot be withdrawn."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the publication.")},
    )


class RankingView(_PeriodMixin, TemplateView):
    template_name = "covenants/scores/ranking.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=PublishForm(), **kwargs)


class RankingPublishView(_PeriodMixin, FormView):
    """GET: the confirmation page; POST: publish (secretariat only)."""

    form_class = PublishForm
    template_name = "covenants/scores/ranking_publish.html"
    permission = staticmethod(permissions.can_manage_scoring)

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


# A member's results ------------------------------------------------------------------


def _can_view_results(user, bloc_year, agency) -> bool:
    """The agency's own staff, the secretariat, the board (and site admins)."""
    return (
        user.agency_id == agency.pk
        or permissions.is_secretariat(user, bloc_year)
        or is_board_for(user, bloc_year.bloc.province_id)
    )


class ScoreResultsView(BlocYearMixin, TemplateView):
    """One agency's numbers: each period of this year, its groups against the
    bloc's averages (once published), and its year-end history.

    Only this agency's numbers reach the template: the rank, the number of
    members ranked and the averages only once the period is published.
    """

    template_name = "covenants/scores/results.html"

    def get_context_data(self, **kwargs):
        user, bloc_year = self.request.user, self.bloc_year
        membership = next(
            (m for m in bloc_year.memberships.all() if m.agency_id == self.kwargs["agency"]), None
        )
        if membership is None:
            raise Http404
        agency = membership.agency
        if not _can_view_results(user, bloc_year, agency):
            raise PermissionDenied
        years = agency_years(agency)  # both periods of this year, every year of its history
        pairs = [(bloc_year, p) for p in Period] + [(by, Period.YEAR_END) for by in years]
        tables = ranking_tables_for(pairs, members_prefetched=True)
        periods = [self._period(tables[(bloc_year.pk, period)], agency) for period in Period]
        history = self._history(year_end_history(agency, bloc_years=years, tables=tables))
        kwargs["agency"] = agency  # the URL's id, replaced by the agency itself
        return super().get_context_data(periods=periods, history=history, **kwargs)

    def _period(self, table, agency) -> dict:
        bloc_year, row = self.bloc_year, table.row_for(agency.pk)
        sheet = table.sheet_for(agency.pk)
        published = table.published
        averages = table.averages if published else (None,) * len(table.columns)
        chart = None
        if row is not None:
            series = [(agency.short_name or agency.name, list(row.groups))]
            if published:
                series.append((_("Bloc average"), list(averages)))
            chart = grouped_bars(
                [column.code for column in table.columns],
                series,
                max_value=max(
                    (value for _name, values in series for value in values if value is not None),
                    default=0,
                ),
                title=_("Points per group, %(period)s") % {"period": table.period_label},
                number_format=vn_decimal,
            )
        return {
            "label": table.period_label,
            "published": published,
            "sheet": sheet,
            "row": row,
            "rank": row.rank if row and published else None,
            "ranked": len(table.rows) if published else None,
            "average_total": table.average_total if published else None,
            "groups": list(zip(table.columns, row.groups, averages, strict=True)) if row else [],
            "chart": chart,
            "sheet_url": reverse(
                "covenants:score_sheet",
                args=[bloc_year.bloc_id, bloc_year.year, table.period, agency.pk],
            )
            if sheet
            else None,
        }

    def _history(self, history) -> dict:
        """Published year-end results, and this year's final total before publication."""
        rows = []
        for table, row in history:
            current = table.bloc_year.pk == self.bloc_year.pk
            if row is None or not (table.published or (current and row.sheet.is_final)):
                continue
            rows.append(
                {
                    "bloc_year": table.bloc_year,
                    "total": row.total,
                    "rank": row.rank if table.published else None,
                    "ranked": len(table.rows) if table.published else None,
                    "top_score": table.top_score,
                }
            )
        chart = trend_line(
            [(item["bloc_year"].year, item["total"]) for item in rows],
            max_value=max((item["top_score"] for item in rows), default=None),
            title=_("Year-end total by year"),
            annotations={
                item["bloc_year"].year: _("rank %(rank)s of %(count)s")
                % {"rank": item["rank"], "count": item["ranked"]}
                for item in rows
                if item["rank"]
            },
            number_format=vn_decimal,
        )
        return {"rows": rows, "chart": chart}


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
    path(f"{PREFIX}results/<int:agency>/", ScoreResultsView.as_view(), name="score_results"),
]
