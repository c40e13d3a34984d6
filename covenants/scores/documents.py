"""The score table as documents: the Decree 30 PDF “BẢNG TỔNG HỢP KẾT QUẢ
CHẤM ĐIỂM” and the same table in Excel.

Domain.md §5.1: each unit × each group, totals and rank, signed by the
chair. It is issued under the bloc's header like every bloc document
(:func:`covenants.documents.issuer_lines`), in landscape for the wide
table, with the tie-break note and a bar chart of the totals drawn as
inline SVG (WeasyPrint keeps its labels as text).

The workbook has a row per ranked member and the averages, and, for the
secretariat, a second sheet with every line of every sheet (self, review,
final) where each column is read only for the sheets whose viewer may see
it (:func:`detail_rows`), so the blind review holds in Excel too.

Once the period's ranking is published the PDF is an issued document
(:func:`issue_score_table`): numbered in the chair agency's register
("03/BTH-KTĐ6"), dated the publication, fingerprinted, QR-coded and rebuilt
only when its content changes. Before that it is a draft ("DỰ THẢO – CHƯA
CÔNG BỐ"), rendered on every request and never registered.

Both are Vietnamese whatever the reader's language, so their words are
written here in Vietnamese rather than taken from the page's translations.
"""

from types import SimpleNamespace

from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from config.pdf import render_pdf
from members.collation import sort_key
from members.models import AgencyRole, DocType, IssuedDocument, User
from members.spreadsheets import Column, write_workbook
from members.templatetags.documents import vn_decimal

from ..documents import issuer_lines, place_name
from ..issuing import issue_bloc_pdf
from ..models import Period, RankingPublication, ScoreLine, ScoreSheet
from . import permissions
from .charts import bar_chart
from .excel import cell_value, excel_number
from .ranking import RankingTable
from .visibility import visible_values

__all__ = [
    "PDF_FONT",
    "detail_rows",
    "issue_score_table",
    "ranking_workbook",
    "score_table_context",
    "score_table_filename",
    "score_table_pdf",
]

#: The family print.css loads from the bundled Liberation Serif; SVG text in
#: WeasyPrint does not inherit the page's CSS, so charts name it themselves.
PDF_FONT = "Thi Dua Serif"
TEMPLATE = "covenants/pdf/score_table.html"
DOC_TYPE = "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM"
_PERIOD_WORDS = {
    Period.MID_YEAR: "sơ kết 6 tháng đầu năm {year}",
    Period.YEAR_END: "thi đua năm {year}",
}
_TIE_BREAK_WORDS = {
    "first_group": "điểm nhóm {group} cao hơn",
    "fewer_deductions": "ít điểm trừ hơn",
    "female_majority": "tập thể có từ 70% nữ trở lên",
}


def _notes(table: RankingTable) -> list[str]:
    """Each row's tie-break note, in Vietnamese."""
    return [
        "Bằng điểm: bỏ phiếu lại"
        if row.tie_unresolved
        else _TIE_BREAK_WORDS.get(row.decided_by, "").format(group=table.first_group)
        for row in table.rows
    ]


def _chair_signer(bloc_year, name: str | None = None) -> dict:
    """The chair agency's leader signs for the bloc (name left blank if none); ``name``
    when the caller has read it already (the dossier, for its other documents)."""
    if name is None:
        chair = bloc_year.chair
        leader = (
            User.objects.filter(agency=chair, agency_role=AgencyRole.LEADER, is_active=True)
            .order_by("pk")
            .first()
            if chair
            else None
        )
        name = leader.full_name if leader else ""
    authority = f"TM. {bloc_year.bloc.name.upper()}"
    return {"authority": authority, "position": "KHỐI TRƯỞNG", "name": name}


def score_table_filename(table: RankingTable) -> str:
    words = _PERIOD_WORDS[Period(table.period)].format(year=table.bloc_year.year)
    return f"Bảng tổng hợp kết quả chấm điểm {table.bloc_year.bloc.name} {words}.pdf"


def score_table_context(table: RankingTable, *, signer_name: str | None = None) -> dict:
    bloc_year = table.bloc_year
    superior, body = issuer_lines(bloc_year)
    notes = _notes(table)
    words = _PERIOD_WORDS[Period(table.period)].format(year=bloc_year.year)
    chart = bar_chart(
        [(row.agency.name, row.total) for row in table.rows],
        max_value=max([table.top_score, *(row.total for row in table.rows)]),
        title=f"Tổng điểm {words} của các đơn vị",
        width=680,
        number_format=vn_decimal,
        font_family=PDF_FONT,
    )
    return {
        "table": table,
        "bloc_year": bloc_year,
        "rows": list(zip(table.rows, notes, strict=True)),
        "period_words": words,
        "tie_break_words": [
            _TIE_BREAK_WORDS[code].format(group=table.first_group) for code in table.tie_breaks
        ],
        "unresolved": [row.agency.name for row in table.rows if row.tie_unresolved],
        "chart": chart,
        "issuer_superior": superior,
        "issuer_body": body,
        "place": place_name(bloc_year.bloc.province),
        "issued_on": table.publication.published_at if table.publication else None,
        "doc_type": DOC_TYPE,
        "summary": words[0].upper() + words[1:],
        "title": f"Bảng tổng hợp kết quả chấm điểm {words}",
        "landscape": True,
        "signer": _chair_signer(bloc_year, signer_name),
        "recipients": ["Ban Thi đua – Khen thưởng tỉnh", "Các đơn vị thành viên Khối", "Lưu: VT"],
    }


def score_table_pdf(table: RankingTable) -> bytes:
    """The table rendered as it stands (before publication, a draft: not registered)."""
    return render_pdf(TEMPLATE, score_table_context(table))


def issue_score_table(
    table: RankingTable, actor, *, signer_name: str | None = None
) -> IssuedDocument | None:
    """The issued score table of the table's period, or None before the ranking is
    published (or when the year has no chair). The caller checks who may read it
    (:func:`.ranking.can_view_ranking`); ``signer_name``: see :func:`_chair_signer`."""
    if table.publication is None:
        return None
    return issue_bloc_pdf(
        table.bloc_year,
        f"score_table:{table.period}",
        doc_type=DocType.TABLE,
        template=TEMPLATE,
        context=score_table_context(table, signer_name=signer_name),
        issued_on=timezone.localdate(table.publication.published_at),
        actor=actor,
    )


# The same table in Excel ------------------------------------------------------

DETAIL_COLUMNS = [
    Column("code", "Mã đơn vị", text=True),
    Column("agency", "Đơn vị"),
    Column("key", "Mã dòng", text=True),
    Column("title", "Tiêu chí"),
    Column("self", "Tự chấm"),
    Column("review", "Thẩm định"),
    Column("final", "Thống nhất"),
]


def ranking_workbook(table: RankingTable, *, details: list[list] | None = None) -> bytes:
    """Sheet “Xếp hạng”: a row per ranked member, then the averages;
    ``details`` (from :func:`detail_rows`) adds the sheet “Chi tiết”."""
    columns = [
        Column("rank", "Hạng"),
        Column("code", "Mã đơn vị", text=True),
        Column("agency", "Đơn vị"),
        *(Column(f"group_{c.code}", f"{c.code}. {c.title}") for c in table.columns),
        Column("bonus", "Điểm thưởng"),
        Column("deductions", "Điểm trừ"),
        Column("late", "Trừ nộp muộn"),
        Column("total", "Tổng điểm"),
        Column("note", "Ghi chú"),
    ]
    rows = [
        [
            row.rank,
            row.agency.code,
            row.agency.name,
            *(excel_number(value) for value in row.groups),
            excel_number(row.score.bonus_total),
            excel_number(row.score.deduction_total),
            excel_number(row.score.late_penalty),
            excel_number(row.total),
            note or None,
        ]
        for row, note in zip(table.rows, _notes(table), strict=True)
    ]
    if table.rows:
        averages = [excel_number(value) for value in table.averages]
        bonus, deductions = (
            excel_number(table.average_bonus),
            excel_number(table.average_deductions),
        )
        total = excel_number(table.average_total)
        rows.append([None, None, "Bình quân", *averages, bonus, deductions, None, total, None])
    sheets = [("Xếp hạng", columns, rows)]
    if details is not None:
        sheets.append(("Chi tiết", DETAIL_COLUMNS, details))
    return write_workbook(sheets)


def detail_rows(bloc_year, period: str, user) -> list[list]:
    """Every line of every sheet of the period with the values ``user`` may
    see on each sheet; a hidden column is never read: each column is read
    through a CASE that yields it only on the sheets where it is shown, with
    the lines, in one query (after one for the sheets and the publication)."""
    published = RankingPublication.objects.filter(bloc_year=OuterRef("bloc_year_id"), period=period)
    sheets = sorted(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)
        .select_related("agency")
        .annotate(published=Exists(published)),
        key=lambda sheet: sort_key(sheet.agency.name),
    )
    shown: dict[str, list[int]] = {"self": [], "review": [], "final": []}
    for sheet in sheets:
        seen = visible_values(
            permissions.side_of(user, sheet, bloc_year=bloc_year),
            self_submitted=sheet.self_submitted,
            review_submitted=sheet.review_submitted,
            published=sheet.published,
        )
        for column, visible in zip(
            shown, (seen.self_values, seen.review_values, seen.final_values), strict=True
        ):
            if visible:
                shown[column].append(sheet.pk)
    values = {
        f"shown_{column}": Case(
            When(sheet_id__in=ids, then=F(f"{column}_value")),
            default=None,
            output_field=ScoreLine._meta.get_field(f"{column}_value"),
        )
        if ids
        else Value(None, output_field=ScoreLine._meta.get_field(f"{column}_value"))
        for column, ids in shown.items()
    }
    lines: dict[int, list] = {}
    rows = (
        ScoreLine.objects.filter(sheet__in=sheets)
        .annotate(**values)
        .values_list("sheet_id", "key", "criterion__title", "criterion__kind", *values)
    )
    for sheet_id, key, title, kind, *cells in rows:
        criterion = SimpleNamespace(kind=kind)
        lines.setdefault(sheet_id, []).append(
            [key, title, *(cell_value(criterion, value) for value in cells)]
        )
    return [
        [sheet.agency.code, sheet.agency.name, *line]
        for sheet in sheets
        for line in lines.get(sheet.pk, [])
    ]
