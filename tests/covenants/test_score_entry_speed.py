"""The score-entry page's cost (issue 9): the same queries for a bloc of 5 and of 15
members, to show and to save a whole sheet, and its evidence addresses, written from the
sheet's own address rather than reversed once per line, equal to the URLconf's.

The two bloc-years are built once for the module (see tests/security/conftest.py).
"""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from covenants.models import Evidence, Period, ScoreLine, ScoreSheet
from tests.covenants.factories_score import fill_self, leader_of, scoring_year
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Entry:
    sheet: ScoreSheet
    client: Client
    url: str

    def queries(self, method: str, data=None) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = getattr(self.client, method)(self.url, data)
        assert response.status_code == (200 if method == "get" else 302)
        return len(captured)


def _entry(members: int) -> Entry:
    bloc_year = scoring_year(members=members)
    sheet = (
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END)
        .select_related("agency")
        .order_by("pk")
        .last()
    )
    fill_self(sheet, submit=False)
    for line in ScoreLine.objects.filter(sheet=sheet).order_by("pk")[:2]:
        Evidence.objects.create(
            line=line,
            file="evidence/x.pdf",
            original_name="quyet-dinh.pdf",
            content_type="application/pdf",
            size=1024,
            uploaded_by=UserFactory(),
        )
    client = Client()
    client.force_login(leader_of(sheet.agency))
    url = reverse(
        "covenants:score_sheet_edit",
        args=[bloc_year.bloc_id, bloc_year.year, sheet.period, sheet.agency_id],
    )
    return Entry(sheet, client, url)


@pytest.fixture(scope="module")
def entries(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = {members: _entry(members) for members in (5, 15)}
        connection.check_constraints()
        yield built
        transaction.set_rollback(True)


def _whole_sheet(entry: Entry) -> dict:
    """Every line's value, explanation and reference, every explanation changed."""
    data = {"female_percent": "72"}
    for line in ScoreLine.objects.filter(sheet=entry.sheet).select_related("criterion"):
        value = line.self_value
        if line.criterion.kind == "pass_fail":
            value = "1" if value else "0"
        data[f"value-{line.key}"] = "" if value is None else str(value)
        data[f"explanation-{line.key}"] = f"Đã rà soát lại {line.key}"
        data[f"evidence_note-{line.key}"] = line.evidence_note
    return data


def test_the_page_reads_the_same_rows_for_5_and_15_members(entries):
    small, large = entries[5], entries[15]
    assert small.queries("get") == large.queries("get") <= 13


def test_saving_the_whole_sheet_costs_the_same_for_5_and_15_members(entries):
    small, large = entries[5], entries[15]
    assert small.queries("post", _whole_sheet(small)) == large.queries("post", _whole_sheet(large))
    assert ScoreLine.objects.get(sheet=small.sheet, key="I.1").explanation == "Đã rà soát lại I.1"


def test_the_evidence_addresses_are_the_urlconfs(entries):
    entry = entries[5]
    html = entry.client.get(entry.url).content.decode()
    sheet, bloc_year = entry.sheet, entry.sheet.bloc_year
    args = [bloc_year.bloc_id, bloc_year.year, sheet.period, sheet.agency_id]
    lines = list(ScoreLine.objects.filter(sheet=sheet))
    for line in lines:
        assert reverse("covenants:evidence_add", args=[*args, line.pk]) in html
        assert html.count(f'id="id_value-{line.key}"') == 1
        assert f'for="id_explanation-{line.key}"' in html
    files = Evidence.objects.filter(line__sheet=sheet)
    assert files.count() == 2
    for file in files:
        assert f'href="{reverse("covenants:evidence", args=[*args, file.pk])}"' in html
        assert reverse("covenants:evidence_delete", args=[*args, file.pk]) in html
