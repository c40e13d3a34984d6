"""The board's Excel exports of a year: every proposal with its decision,
and every bloc's year-end ranking.

Headers follow the page's language; rows are plain values (numbers stay
numbers, dates real dates) so the board can sort and total them in Excel.
"""

from django.utils.translation import gettext as _

from blocs.models import BlocYear
from members.spreadsheets import Column, write_workbook

from .board import DECISION_STAGES
from .board_selectors import decided_proposals, year_end_tables

__all__ = ["proposals_workbook", "rankings_workbook"]


def _number(value):
    return float(value) if value is not None else None


def proposals_workbook(*, province, year: int) -> bytes:
    """One row per proposal of the province's submitted or closed bloc-years."""
    bloc_years = BlocYear.objects.filter(
        bloc__province=province, year=year, stage__in=DECISION_STAGES
    )
    columns = [
        Column("bloc", _("Bloc")),
        Column("award", _("Award")),
        Column("agency", _("Agency")),
        Column("votes", _("Votes")),
        Column("base", _("Out of")),
        Column("percent", _("Share of votes")),
        Column("rule", _("Rule applied")),
        Column("score", _("Score")),
        Column("rank", _("Rank")),
        Column("bloc_reason", _("Reason given by the bloc")),
        Column("decision", _("Decision")),
        Column("number", _("Decision number"), text=True),
        Column("decided_on", _("Decision date")),
        Column("reason", _("Reason not approved")),
    ]
    rows = []
    for p in decided_proposals(bloc_years):
        decision = getattr(p, "decision", None)
        rows.append(
            [
                p.bloc_year.bloc.name,
                str(p.get_award_display()),
                p.agency.name,
                p.votes,
                p.base_count,
                _number(p.percent),
                p.rule_text,
                _number(p.score),
                p.rank,
                p.reason,
                str(decision.get_outcome_display()) if decision else _("Not decided yet"),
                decision.number if decision else "",
                decision.decided_on if decision else None,
                decision.reason if decision else "",
            ]
        )
    return write_workbook([(_("Proposals %(year)s") % {"year": year}, columns, rows)])


def rankings_workbook(*, province, year: int) -> bytes:
    """One row per ranked member of every bloc of the province in ``year``,
    with a column per group code (I, II, …) found in any bloc's sheet."""
    tables = year_end_tables(province=province, year=year)
    codes = list(dict.fromkeys(c.code for table in tables for c in table.columns))
    columns = [
        Column("bloc", _("Bloc")),
        Column("rank", _("Rank")),
        Column("agency", _("Agency")),
        Column("total", _("Total")),
        *(Column(f"group_{code}", _("Group %(code)s") % {"code": code}) for code in codes),
        Column("bonus", _("Bonus points")),
        Column("deductions", _("Deductions")),
        Column("published", _("Published")),
    ]
    rows = []
    for table in tables:
        for row in table.rows:
            rows.append(
                [
                    table.bloc_year.bloc.name,
                    row.rank,
                    row.agency.name,
                    _number(row.total),
                    *(_number(row.score.group_totals.get(code)) for code in codes),
                    _number(row.score.bonus_total),
                    _number(row.score.deduction_total + row.score.late_penalty),
                    _("Yes") if table.published else _("No"),
                ]
            )
    return write_workbook([(_("Rankings %(year)s") % {"year": year}, columns, rows)])
