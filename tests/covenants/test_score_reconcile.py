"""The secretariat's side once both are in: final scores with reasons, accepting
the agreed lines, making a sheet final (then nothing changes), returning a sheet."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import Period, ScoreEvent, ScoreLine, ScoreSheet, SheetStatus
from covenants.scores import review
from members.models import LEADER_ROLES, User
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _member_sheet(bloc_year, index=0):
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")[index].agency
    return ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.YEAR_END, agency=agency)


def _secretariat(bloc_year):
    return officer_of(bloc_year.chair)


def _both_in(bloc_year, index=0):
    """Self and review submitted; I.1 differs by 6 points (flagged), I.3 by 1 (agreed)."""
    sheet = fill_review(fill_self(_member_sheet(bloc_year, index)))
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(review_value=10)  # self 16
    ScoreLine.objects.filter(sheet=sheet, key="I.3").update(review_value=11)  # self 12
    return sheet


def _line(sheet, key):
    return ScoreLine.objects.get(sheet=sheet, key=key)


def _url(sheet, name="covenants:score_reconcile"):
    bloc_year = sheet.bloc_year
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year, sheet.period, sheet.agency_id])


def _all_self(sheet):
    """Entries accepting every self-score as final."""
    return {line.key: {"value": line.self_value, "reason": ""} for line in sheet.lines.all()}


@pytest.fixture
def year():
    return scoring_year(members=4)


# Final scores -------------------------------------------------------------------------


def test_a_final_score_other_than_the_self_score_needs_a_reason(year):
    sheet, actor = _both_in(year), _secretariat(year)
    entries = {"I.1": {"value": Decimal(10), "reason": ""}, "I.3": {"value": 12, "reason": ""}}
    with pytest.raises(ValidationError) as caught:
        review.final_scores_save(sheet=sheet, actor=actor, entries=entries)
    assert list(caught.value.message_dict) == ["I.1"]
    assert "needs a reason" in caught.value.message_dict["I.1"][0]
    assert _line(sheet, "I.3").final_value is None  # nothing saved
    assert not ScoreEvent.objects.filter(field="final").exists()

    entries["I.1"]["reason"] = "Thống nhất tại hội nghị chấm điểm"
    review.final_scores_save(sheet=sheet, actor=actor, entries=entries)
    line = _line(sheet, "I.1")
    # All three values side by side, and the trail says why.
    assert (line.self_value, line.review_value, line.final_value) == (16, 10, 10)
    assert line.final_reason == "Thống nhất tại hội nghị chấm điểm"
    event = ScoreEvent.objects.get(line=line, field="final")
    assert (event.old_value, event.new_value, event.note) == (
        None,
        Decimal(10),
        "Thống nhất tại hội nghị chấm điểm",
    )
    assert event.actor == actor


def test_final_values_are_checked_like_any_score(year):
    sheet = _both_in(year)
    with pytest.raises(ValidationError, match="between 0 and 20"):
        review.final_scores_save(
            sheet=sheet,
            actor=_secretariat(year),
            entries={"I.1": {"value": Decimal(21), "reason": "Vượt"}},
        )


def test_no_final_score_before_both_sides_are_in(year):
    sheet = fill_self(_member_sheet(year))
    with pytest.raises(PermissionDenied):
        review.final_scores_save(sheet=sheet, actor=_secretariat(year), entries=_all_self(sheet))


def test_only_the_secretariat_reconciles(year):
    sheet = _both_in(year)
    for actor in (
        leader_of(sheet.agency),
        officer_of(year.vice_chair),
        BoardUserFactory(board_province=year.bloc.province),
    ):
        with pytest.raises(PermissionDenied):
            review.final_scores_save(sheet=sheet, actor=actor, entries=_all_self(sheet))
        with pytest.raises(PermissionDenied):
            review.final_prefill(sheet=sheet, actor=actor)
        with pytest.raises(PermissionDenied):
            review.sheet_finalize(sheet=sheet, actor=actor)


def test_accepting_the_agreed_lines_leaves_the_flagged_ones_and_set_ones(year):
    sheet, actor = _both_in(year), _secretariat(year)
    review.final_scores_save(
        sheet=sheet, actor=actor, entries={"II.1": {"value": 0, "reason": "Không có minh chứng"}}
    )
    count = review.final_prefill(sheet=sheet, actor=actor)
    total = sheet.lines.count()
    assert count == total - 2  # I.1 is flagged, II.1 already has its final score
    assert _line(sheet, "I.1").final_value is None
    assert _line(sheet, "I.3").final_value == 12  # within the gap: the self-score
    assert _line(sheet, "II.1").final_value == 0
    assert ScoreEvent.objects.filter(sheet=sheet, field="final").count() == count + 1
    assert review.final_prefill(sheet=sheet, actor=actor) == 0


def test_making_final_needs_every_line_then_locks_everything(year):
    sheet, actor = _both_in(year), _secretariat(year)
    review.final_prefill(sheet=sheet, actor=actor)
    with pytest.raises(ValidationError) as caught:
        review.sheet_finalize(sheet=sheet, actor=actor)
    assert "I.1 – " in caught.value.messages[0]

    review.final_scores_save(
        sheet=sheet, actor=actor, entries={"I.1": {"value": 13, "reason": "Bình quân"}}
    )
    review.sheet_finalize(sheet=sheet, actor=actor)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.FINAL
    assert sheet.finalized_by == actor
    assert ScoreEvent.objects.filter(sheet=sheet, action="finalize").count() == 1

    with pytest.raises(PermissionDenied):
        review.final_scores_save(sheet=sheet, actor=actor, entries=_all_self(sheet))
    with pytest.raises(PermissionDenied):
        review.final_prefill(sheet=sheet, actor=actor)
    with pytest.raises(PermissionDenied):
        review.sheet_finalize(sheet=sheet, actor=actor)
    with pytest.raises(PermissionDenied):
        review.review_save(sheet=sheet, actor=actor, entries={})
    with pytest.raises(ValidationError, match="final"):
        review.sheet_return(sheet=sheet, actor=actor, reason="Sai")
    with pytest.raises(ValidationError, match="has started"):
        review.reviewers_assign(
            bloc_year=year,
            period=Period.YEAR_END,
            actor=actor,
            mode="manual",
            assignments={sheet.agency_id: year.vice_chair.pk},
        )


@pytest.mark.parametrize("stage", [Stage.CONFERENCE, Stage.CLOSED])
def test_reconciling_is_refused_outside_the_stage(year, stage):
    sheet, actor = _both_in(year), _secretariat(year)
    BlocYear.objects.filter(pk=year.pk).update(stage=stage)
    # A closed year refuses as read-only, before any stage rule (tests/test_closed_year.py).
    refusal = ValidationError if stage == Stage.CLOSED else PermissionDenied
    with pytest.raises(refusal):
        review.final_scores_save(sheet=sheet, actor=actor, entries=_all_self(sheet))
    with pytest.raises(refusal):
        review.sheet_return(sheet=sheet, actor=actor, reason="Sai")


# Returning ------------------------------------------------------------------------------


def test_returning_needs_a_reason_and_a_submitted_sheet(year):
    sheet, actor = _member_sheet(year), _secretariat(year)
    with pytest.raises(ValidationError, match="not possible now"):
        review.sheet_return(sheet=sheet, actor=actor, reason="Sai")
    fill_self(sheet)
    with pytest.raises(ValidationError) as caught:
        review.sheet_return(sheet=sheet, actor=actor, reason="  ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        review.sheet_return(sheet=sheet, actor=leader_of(year.vice_chair), reason="Sai")


def test_a_returned_sheet_goes_back_to_draft_keeps_the_review_and_mails_the_leaders(
    year, django_capture_on_commit_callbacks
):
    sheet, actor = _both_in(year), _secretariat(year)
    leader = leader_of(sheet.agency)
    officer_of(sheet.agency)  # not a leader: no mail
    with django_capture_on_commit_callbacks(execute=True):
        review.sheet_return(sheet=sheet, actor=actor, reason="Thiếu minh chứng mục I.1")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.review_submitted  # the review stays
    assert _line(sheet, "I.1").review_value == 10
    event = ScoreEvent.objects.get(sheet=sheet, action="return")
    assert event.note == "Thiếu minh chứng mục I.1"
    leaders = User.objects.filter(agency=sheet.agency, agency_role__in=LEADER_ROLES)
    assert leader in leaders  # and the leader who submitted the sheet
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in leaders)
    assert "Thiếu minh chứng mục I.1" in mail.outbox[0].body
    assert sheet.agency.name in mail.outbox[0].body


# The pages ---------------------------------------------------------------------------------


def test_the_page_waits_for_both_sides(client, year):
    sheet = fill_self(_member_sheet(year))
    client.force_login(_secretariat(year))
    html = client.get(_url(sheet)).content.decode()
    assert (
        vi(
            "The final score is agreed once the agency has submitted its self-scores and the "
            "reviewer the review. Until then neither side sees the other's scores."
        )
        in html
    )
    assert 'id="reconcile-lines"' not in html


def test_the_page_flags_gaps_and_prefills_the_self_scores(client, year):
    sheet = _both_in(year)
    client.force_login(_secretariat(year))
    html = client.get(_url(sheet)).content.decode()
    assert html.count('class="table-warning"') == 1  # only I.1
    line = _line(sheet, "I.1")
    assert f'name="value_{line.pk}"' in html
    assert f'name="value_{line.pk}" value="16"' in html  # the self-score, offered as final
    assert f'for="id_reason_{line.pk}"' in html
    assert 'id="total-self"' in html


def test_a_missing_reason_comes_back_next_to_its_line_and_nothing_is_saved(client, year):
    sheet = _both_in(year)
    client.force_login(_secretariat(year))
    data = {"action": "save"}
    for line in sheet.lines.select_related("criterion"):
        value = line.self_value
        if line.criterion.kind == "pass_fail":
            value = "1" if value else "0"
        data[f"value_{line.pk}"] = str(value)
        data[f"reason_{line.pk}"] = ""
    flagged = _line(sheet, "I.1")
    data[f"value_{flagged.pk}"] = "10"
    response = client.post(_url(sheet), data)
    html = response.content.decode()
    assert response.status_code == 200
    message = vi("%(line)s: a final score that differs from the self-score needs a reason.")
    assert message % {"line": f"I.1 – {flagged.criterion.title}"} in html
    assert 'value="10"' in html  # what was typed stays
    assert not ScoreLine.objects.filter(sheet=sheet, final_value__isnull=False).exists()

    data[f"reason_{flagged.pk}"] = "Thống nhất 10 điểm"
    data.update(action="finalize", confirm="on")
    response = client.post(_url(sheet), data)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_final
    html = client.get(_url(sheet)).content.decode()
    assert f'name="value_{flagged.pk}"' not in html  # read-only
    assert "Thống nhất 10 điểm" in html
    assert client.post(_url(sheet), {"action": "prefill"}).status_code == 403


def test_accept_agreed_lines_button(client, year):
    sheet = _both_in(year)
    client.force_login(_secretariat(year))
    response = client.post(_url(sheet), {"action": "prefill"}, follow=True)
    assert response.status_code == 200
    assert _line(sheet, "I.3").final_value == 12
    assert _line(sheet, "I.1").final_value is None


def test_the_page_is_the_secretariats(client, year):
    sheet = _both_in(year)
    for user in (
        leader_of(sheet.agency),
        officer_of(year.vice_chair),
        BoardUserFactory(board_province=year.bloc.province),
    ):
        client.force_login(user)
        assert client.get(_url(sheet)).status_code == 403
        assert client.get(_url(sheet, "covenants:score_return")).status_code == 403


def test_the_return_page(client, year):
    sheet = fill_self(_member_sheet(year))
    client.force_login(_secretariat(year))
    url = _url(sheet, "covenants:score_return")
    assert vi("Return the sheet") in client.get(url).content.decode()
    html = client.post(url, {"reason": ""}).content.decode()
    assert 'id="id_reason"' in html
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert client.post(url, {"reason": "Sai biểu mẫu"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_the_pages_query_count_does_not_grow_with_the_members(client):
    counts = []
    for members in (3, 6):
        bloc_year = scoring_year(members=members)
        sheet = _both_in(bloc_year)
        client.force_login(_secretariat(bloc_year))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(sheet)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_closed_year_shows_the_final_scores_read_only(client, year):
    sheet = _both_in(year)
    client.force_login(_secretariat(year))
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    html = client.get(_url(sheet)).content.decode()
    assert 'id="reconcile-lines"' in html
    assert 'name="action"' not in html
    assert client.post(_url(sheet), {"action": "save"}).status_code == 403
    assert client.post(_url(sheet), {"action": "prefill"}).status_code == 403
    assert client.get(_url(sheet, "covenants:score_return")).status_code == 403
