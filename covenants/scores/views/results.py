"""Scoring pages: a member's results — each period of the year against the bloc's
averages once published, and its year-end history (moved out of :mod:`.ranking`, which
it shares the tables of :func:`..ranking.ranking_tables_for` with).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from blocs.views.mixins import BlocYearMixin
from members.permissions import is_board_for
from members.templatetags.documents import vn_decimal

from ...models import Period
from .. import permissions
from ..charts import grouped_bars, trend_line
from ..ranking import agency_years, ranking_tables_for, year_end_history

PREFIX = "blocs/<int:pk>/<int:year>/"


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
    path(f"{PREFIX}results/<int:agency>/", ScoreResultsView.as_view(), name="score_results"),
]
