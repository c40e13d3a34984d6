"""The scoring sheet as an Excel file: export, round trip, and importing into a template."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from blocs.models import BlocYear
from blocs.stages import Stage
from covenants.models import ScoringTemplate, TemplateStatus
from covenants.sheet_examples import culture_society_draft
from covenants.sheet_excel import (
    SETTINGS_SHEET,
    SHEET,
    draft_workbook,
    export_template,
    plan_template_import,
    template_import,
    template_workbook_blank,
)
from covenants.sheet_services import template_create
from members.spreadsheets import ImportRejected
from tests.covenants.excel_helpers import (
    HEADERS,
    SETTINGS_HEADERS,
    change,
    errors_of,
    excel_row,
    sheet_rows,
    workbook,
)
from tests.covenants.factories_sheet import sheet_template


@pytest.fixture
def bloc_year(bloc_year):
    """The shared set-up year, before anyone has made its scoring sheet."""
    ScoringTemplate.objects.filter(bloc_year=bloc_year).delete()
    return bloc_year


# Round trip ----------------------------------------------------------------


@pytest.mark.parametrize("base_total", [100, 1000])
def test_an_exported_draft_reads_back_identical(base_total):
    draft = culture_society_draft(base_total=base_total)

    assert plan_template_import(draft_workbook(draft)) == (draft, [])


@pytest.mark.parametrize("base_total", [100, 1000])
def test_export_then_import_into_a_fresh_draft_gives_the_same_sheet(
    bloc_year, secretariat_user, base_total
):
    source = sheet_template(
        bloc_year, draft=culture_society_draft(base_total=base_total), status="frozen"
    )
    content = export_template(source)
    fresh = template_create(bloc_year=bloc_year, actor=secretariat_user)

    template_import(template=fresh, content=content, actor=secretariat_user)

    imported = ScoringTemplate.objects.get(pk=fresh.pk).to_draft()
    assert imported == source.to_draft()
    assert (imported.base_total, imported.bonus_cap) == (base_total, base_total // 10)


def test_the_export_layout(bloc_year):
    content = export_template(sheet_template(bloc_year))
    workbook_ = load_workbook(io.BytesIO(content))

    assert workbook_.sheetnames == [SHEET, SETTINGS_SHEET]
    rows = list(workbook_[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert list(rows[1]) == [
        "I",
        "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        None,
        50,
        None,
        None,
        None,
    ]
    assert list(rows[2])[:6] == [
        "1",
        "Hoàn thành các chỉ tiêu, nhiệm vụ kế hoạch năm của ngành",
        "Điểm",
        20,
        None,
        "Có",
    ]
    assert [row[0] for row in rows[3:6]] == ["2", "2.1", "2.2"]
    assert list(rows[7])[2:5] == ["Đếm", 5, 2.5]
    settings = list(workbook_[SETTINGS_SHEET].iter_rows(values_only=True))
    assert settings == [tuple(SETTINGS_HEADERS), (100, 10, None)]


def test_the_blank_workbook_has_the_layout_and_default_settings():
    workbook_ = load_workbook(io.BytesIO(template_workbook_blank()))

    assert list(workbook_[SHEET].iter_rows(values_only=True)) == [tuple(HEADERS)]
    assert list(workbook_[SETTINGS_SHEET].iter_rows(values_only=True))[1] == (100, 10, None)
    assert errors_of(template_workbook_blank()) == [(SHEET, 0, "", "The sheet has no groups.")]


# Importing into a template -------------------------------------------------


def test_a_broken_file_changes_nothing_and_lists_every_cell(bloc_year, secretariat_user):
    template = sheet_template(bloc_year)
    rows = change(sheet_rows(), "II", "3", "Loại", "Sao")
    rows = change(rows, "III", "1", "Điểm tối đa", "ba")

    with pytest.raises(ImportRejected) as caught:
        template_import(template=template, content=workbook(rows), actor=secretariat_user)

    cells = [(e.row, e.column) for e in caught.value.plan.errors]
    assert cells == [
        (excel_row(rows, "II", "3"), "Loại"),
        (excel_row(rows, "III", "1"), "Điểm tối đa"),
    ]
    assert caught.value.messages[0].startswith(
        f"Sheet “Bảng chấm điểm”, row {excel_row(rows, 'II', '3')}, column “Loại”: Unknown value"
    )
    assert ScoringTemplate.objects.get(pk=template.pk).to_draft() == culture_society_draft()


def test_an_import_with_wrong_sums_changes_nothing(bloc_year, board_user):
    template = sheet_template(bloc_year)
    rows = change(sheet_rows(culture_society_draft(base_total=1000)), "I", "1", "Điểm tối đa", 1)

    with pytest.raises(ImportRejected):
        template_import(
            template=template, content=workbook(rows, (1000, 100, None)), actor=board_user
        )

    assert ScoringTemplate.objects.get(pk=template.pk).to_draft() == culture_society_draft()


def test_an_outsider_is_refused_before_the_file_is_read(bloc_year, outsider):
    template = sheet_template(bloc_year)

    with pytest.raises(PermissionDenied):
        template_import(template=template, content=b"broken", actor=outsider)


def test_a_frozen_template_refuses_an_import(bloc_year, secretariat_user):
    template = sheet_template(bloc_year, status=TemplateStatus.FROZEN)

    with pytest.raises(ValidationError) as caught:
        template_import(
            template=template,
            content=draft_workbook(culture_society_draft()),
            actor=secretariat_user,
        )

    assert caught.value.code == "frozen"


def test_an_import_after_signing_opened_is_refused(bloc_year, secretariat_user):
    template = sheet_template(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)

    with pytest.raises(ValidationError) as caught:
        template_import(
            template=template,
            content=draft_workbook(culture_society_draft(base_total=1000)),
            actor=secretariat_user,
        )

    assert caught.value.code == "not_setup"
    assert ScoringTemplate.objects.get(pk=template.pk).to_draft() == culture_society_draft()
