"""The board's Excel exports of a year, read back with openpyxl: every
submitted proposal with its decision, every bloc's year-end ranking with
its groups. The province's board only."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.board import decision_record
from awards.models import AwardKind, AwardProposal, DecisionOutcome
from blocs.stages import Stage
from tests.awards.test_board_decisions import submitted_year
from tests.blocs.factories import BlocFactory
from tests.members.factories import BoardUserFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_proposals_export_lists_every_submitted_proposal_and_its_decision(client):
    year = submitted_year()
    returned = submitted_year(bloc=BlocFactory(province=year.bloc.province), stage=Stage.CONFERENCE)
    board = BoardUserFactory(board_province=year.bloc.province)
    flag = AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)
    decision_record(
        proposal=flag,
        actor=board,
        outcome=DecisionOutcome.APPROVED,
        number="1234/QĐ-UBND",
        decided_on=timezone.localdate(),
    )
    client.force_login(board)

    rows = _rows(
        client.get(
            reverse("awards:board_proposals_xlsx", args=[year.bloc.province.code, year.year])
        )
    )

    header, *data = rows
    assert len(header) == 14
    assert len(data) == 2  # the bloc at the conference stage is not in
    flag_row = next(row for row in data if row[2] == flag.agency.name)
    assert flag_row[0] == year.bloc.name
    assert flag_row[11] == "1234/QĐ-UBND"
    assert flag_row[12].date() == timezone.localdate()
    certificate_row = next(row for row in data if row[2] != flag.agency.name)
    assert (certificate_row[3], certificate_row[4]) == (4, 5)
    assert all(returned.bloc.name != row[0] for row in data)


def test_the_rankings_export_has_every_bloc_rank_unit_total_and_groups(client):
    year = submitted_year(members=4)
    other = submitted_year(members=3, bloc=BlocFactory(province=year.bloc.province))
    client.force_login(BoardUserFactory(board_province=year.bloc.province))

    rows = _rows(
        client.get(reverse("awards:board_rankings_xlsx", args=[year.bloc.province.code, 2026]))
    )

    header, *data = rows
    assert len(data) == 7
    assert [row[0] for row in data] == [year.bloc.name] * 4 + [other.bloc.name] * 3
    assert [row[1] for row in data[:4]] == [1, 2, 3, 4]
    top = year.memberships.order_by("pk").first().agency
    assert data[0][2] == top.name
    groups = [i for i, title in enumerate(header) if title.startswith(("Nhóm", "Group"))]
    assert groups
    for row in data:
        # total = groups + bonus - deductions
        assert round(sum(row[i] or 0 for i in groups) + row[-3] - row[-2], 2) == row[3]


def test_exports_are_for_the_board_of_the_province_only(client):
    year = submitted_year()
    client.force_login(BoardUserFactory())
    for name in ("awards:board_proposals_xlsx", "awards:board_rankings_xlsx"):
        url = reverse(name, args=[year.bloc.province.code, year.year])
        assert client.get(url).status_code == 403
