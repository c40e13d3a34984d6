"""The ranking table through the database (agreed values, ties and each
tie-break order, late penalty, evidence, self-only mid-year), publishing
it (who, when, how often, what it leaves behind) and who sees the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear
from blocs.stages import Stage
from covenants.models import (
    Evidence,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringSettings,
)
from covenants.scores.publication import ranking_publish
from covenants.scores.ranking import ranking_table
from covenants.scoring import round_points
from members.models import User
from tests.covenants.factories_score import (
    complete_year_end,
    fill_review,
    fill_self,
    finalize,
    leader_of,
    officer_of,
    publish,
    scoring_year,
)
from tests.members.factories import UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _sheets(bloc_year, period=Period.YEAR_END) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)
        .select_related("agency")
        .order_by("pk")
    )


def agree(sheet, changes=None, **fields) -> ScoreSheet:
    """Self-scored, reviewed and final, with ``changes`` (line key → value)
    applied to both self and final so no reason is needed."""
    fill_self(sheet)
    for key, value in (changes or {}).items():
        ScoreLine.objects.filter(sheet=sheet, key=key).update(self_value=value)
    fill_review(sheet)
    finalize(sheet)
    if fields:
        ScoreSheet.objects.filter(pk=sheet.pk).update(**fields)
    return sheet


def _order(table) -> list[tuple[int, int]]:
    return [(row.rank, row.agency.pk) for row in table.rows]


# The table ---------------------------------------------------------------------


def test_the_table_ranks_agreed_totals_with_groups_averages_and_readiness():
    bloc_year = scoring_year(members=4)
    complete_year_end(bloc_year)  # fractions 0.9, 0.85, 0.8, 0.75 in sheet order
    table = ranking_table(bloc_year, Period.YEAR_END)
    sheets = _sheets(bloc_year)
    assert [row.agency.pk for row in table.rows] == [s.agency_id for s in sheets]
    assert [row.rank for row in table.rows] == [1, 2, 3, 4]
    assert [c.code for c in table.columns] == ["I", "II", "III", "IV", "V"]
    first = table.rows[0]
    assert first.total == (
        sum(first.groups) + first.score.bonus_total - first.score.deduction_total
    )
    assert table.averages[0] == round_points(sum(row.groups[0] for row in table.rows) / 4)
    assert table.average_total == round_points(sum(row.total for row in table.rows) / 4)
    assert table.ready
    assert table.published
    assert not table.missing
    assert all(row.decided_by is None and not row.tie_unresolved for row in table.rows)


def test_year_end_ranks_final_values_and_names_members_not_final_yet():
    bloc_year = scoring_year(members=3)
    first, second, third = _sheets(bloc_year)
    agree(first)
    ScoreLine.objects.filter(sheet=first, key="I.3").update(final_value=0, final_reason="Thiếu")
    fill_self(second)  # submitted, never reviewed
    table = ranking_table(bloc_year, Period.YEAR_END)
    assert [row.agency.pk for row in table.rows] == [first.agency_id]
    assert table.rows[0].groups[0] == Decimal("27.30")  # 39.30 at 0.8, less I.3's 12
    assert table.missing == [
        f"The review of {second.agency.name}'s sheet is not submitted.",
        f"{third.agency.name} has not submitted its self-scores.",
    ]
    assert not table.ready


def test_mid_year_without_review_ranks_the_submitted_self_scores():
    bloc_year = scoring_year(members=3, stage=Stage.IN_PROGRESS)
    first, second, third = _sheets(bloc_year, Period.MID_YEAR)
    fill_self(first, fraction=Decimal("0.9"))
    fill_self(second, fraction=Decimal("0.8"))
    table = ranking_table(bloc_year, Period.MID_YEAR)
    assert not table.reviewed
    assert [row.agency.pk for row in table.rows] == [first.agency_id, second.agency_id]
    assert table.missing == [f"{third.agency.name} has not submitted its self-scores."]
    ScoringSettings.objects.update_or_create(
        bloc_year=bloc_year, defaults={"mid_year_reviewed": True}
    )
    reviewed = ranking_table(bloc_year, Period.MID_YEAR)
    assert reviewed.reviewed
    assert reviewed.rows == []


def test_a_late_sheet_loses_the_late_deduction():
    bloc_year = scoring_year(members=3)
    on_time, late, _other = _sheets(bloc_year)
    agree(on_time)
    agree(late, is_late=True)
    ScoringSettings.objects.update_or_create(
        bloc_year=bloc_year, defaults={"late_deduction": Decimal("3.5")}
    )
    table = ranking_table(bloc_year, Period.YEAR_END)
    rows = {row.agency.pk: row for row in table.rows}
    assert rows[late.agency_id].score.late_penalty == Decimal("3.50")
    assert rows[on_time.agency_id].total - rows[late.agency_id].total == Decimal("3.5")
    assert _order(table)[0] == (1, on_time.agency_id)


def test_a_line_needing_evidence_counts_only_with_a_file_or_a_reference():
    bloc_year = scoring_year(members=3)
    with_note, with_file, without = _sheets(bloc_year)
    for sheet in (with_note, with_file, without):
        agree(sheet)
    ScoreLine.objects.filter(sheet__in=[with_file, without], key="I.1").update(evidence_note=" ")
    Evidence.objects.create(
        line=ScoreLine.objects.get(sheet=with_file, key="I.1"),
        file="evidence/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=UserFactory(),
    )
    totals = {row.agency.pk: row.total for row in ranking_table(bloc_year, "year_end").rows}
    assert totals[with_note.agency_id] == totals[with_file.agency_id]
    assert totals[with_note.agency_id] - totals[without.agency_id] == 16  # I.1 at 0.8 × 20
    ScoringSettings.objects.update_or_create(
        bloc_year=bloc_year, defaults={"require_evidence": False}
    )
    relaxed = {row.agency.pk: row.total for row in ranking_table(bloc_year, "year_end").rows}
    assert relaxed[without.agency_id] == relaxed[with_note.agency_id]


# Ties ----------------------------------------------------------------------------

#: Group I two points higher and one more deduction point, total unchanged:
#: I.1 16 → 17, I.3 12 → 13, II.2 3.2 → 2.2, VII.1 4 → 5 items.
MORE_GROUP_ONE_MORE_DEDUCTIONS = {"I.1": 17, "I.3": 13, "II.2": Decimal("2.2"), "VII.1": 5}


def _tied_pair(tie_breaks: str, changes=None, **fields):
    bloc_year = scoring_year(members=3)
    ScoringSettings.objects.update_or_create(
        bloc_year=bloc_year, defaults={"tie_breaks": tie_breaks}
    )
    changed, plain, _other = _sheets(bloc_year)
    agree(changed, changes, **fields)
    agree(plain)
    return bloc_year, changed, plain


@pytest.mark.parametrize(
    ("order", "winner", "rule"),
    [
        ("first_group,fewer_deductions,female_majority", "changed", "first_group"),
        ("fewer_deductions,first_group,female_majority", "plain", "fewer_deductions"),
    ],
)
def test_equal_totals_follow_the_tie_break_order(order, winner, rule):
    bloc_year, changed, plain = _tied_pair(order, MORE_GROUP_ONE_MORE_DEDUCTIONS)
    table = ranking_table(bloc_year, Period.YEAR_END)
    top, second = table.rows
    assert top.total == second.total
    assert top.agency.pk == {"changed": changed, "plain": plain}[winner].agency_id
    assert (top.rank, second.rank) == (1, 2)
    assert top.decided_by == second.decided_by == rule
    assert not top.tie_unresolved


def test_equal_totals_and_groups_prefer_a_collective_of_at_least_70_percent_women():
    bloc_year, changed, plain = _tied_pair(
        "first_group,fewer_deductions,female_majority", female_percent=Decimal("72.5")
    )
    ScoreSheet.objects.filter(pk=plain.pk).update(female_percent=Decimal("69.99"))
    table = ranking_table(bloc_year, Period.YEAR_END)
    assert [row.agency.pk for row in table.rows] == [changed.agency_id, plain.agency_id]
    assert table.rows[0].decided_by == "female_majority"
    assert table.rows[0].decided_by_label == "a collective with at least 70 percent women"


def test_still_equal_after_every_tie_break_shares_the_rank_and_needs_a_re_vote():
    bloc_year, _changed, _plain = _tied_pair("first_group,fewer_deductions")
    table = ranking_table(bloc_year, Period.YEAR_END)
    assert [row.rank for row in table.rows] == [1, 1]
    assert all(row.tie_unresolved for row in table.rows)
    assert table.has_unresolved_tie


def test_fewer_deductions_alone_when_group_one_is_not_in_the_order():
    bloc_year, changed, plain = _tied_pair("fewer_deductions", {"VII.1": 3, "II.2": Decimal("2.2")})
    table = ranking_table(bloc_year, Period.YEAR_END)
    assert [row.agency.pk for row in table.rows] == [changed.agency_id, plain.agency_id]
    assert table.rows[0].decided_by == "fewer_deductions"


# Publishing ------------------------------------------------------------------------


@pytest.fixture
def ready_year():
    bloc_year = scoring_year(members=3)
    for sheet in _sheets(bloc_year):
        agree(sheet)
    return bloc_year


def _secretariat(bloc_year):
    return officer_of(BlocYear.objects.get(pk=bloc_year.pk).chair)


def test_the_secretariat_publishes_once_and_members_are_told(
    ready_year, mailoutbox, django_capture_on_commit_callbacks
):
    for sheet in _sheets(ready_year):
        leader_of(sheet.agency)
    officer_of(_sheets(ready_year)[0].agency)  # officers are not mailed
    leaders = set(
        User.objects.filter(
            agency_role="leader", agency__memberships__bloc_year=ready_year
        ).values_list("email", flat=True)
    )
    actor = _secretariat(ready_year)
    with django_capture_on_commit_callbacks(execute=True):
        publication = ranking_publish(bloc_year=ready_year, period="year_end", actor=actor)
    assert publication.published_by == actor
    assert ScoreEvent.objects.filter(action="ranking_published").count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(leaders)
    with pytest.raises(ValidationError, match="already published"):
        ranking_publish(bloc_year=ready_year, period="year_end", actor=actor)
    assert RankingPublication.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "board", "outsider"])
def test_only_the_secretariat_publishes(ready_year, who, board_user):
    member = _sheets(ready_year)[1].agency
    actor = {"member": leader_of(member), "board": UserFactory(), "outsider": UserFactory()}[who]
    if who == "board":
        actor.board_province = ready_year.bloc.province
        actor.save()
    with pytest.raises(PermissionDenied):
        ranking_publish(bloc_year=ready_year, period="year_end", actor=actor)
    assert not RankingPublication.objects.exists()


def test_publishing_names_every_member_not_ready():
    bloc_year = scoring_year(members=3)
    first, second, third = _sheets(bloc_year)
    agree(first)
    fill_self(second)
    fill_review(second)
    with pytest.raises(ValidationError) as caught:
        ranking_publish(bloc_year=bloc_year, period="year_end", actor=_secretariat(bloc_year))
    messages = caught.value.messages
    assert f"{second.agency.name}'s sheet is not final yet." in messages
    assert f"{third.agency.name} has not submitted its self-scores." in messages
    assert not RankingPublication.objects.exists()


@pytest.mark.parametrize(
    ("stage", "message"), [(Stage.CLOSED, "is closed"), (Stage.CONFERENCE, "being scored")]
)
def test_a_closed_year_or_a_period_no_longer_open_is_refused(ready_year, stage, message):
    actor = _secretariat(ready_year)
    BlocYear.objects.filter(pk=ready_year.pk).update(stage=stage)
    with pytest.raises(ValidationError, match=message):
        ranking_publish(bloc_year=ready_year, period="year_end", actor=actor)
    assert not RankingPublication.objects.exists()


# The page -------------------------------------------------------------------------


def _url(bloc_year, name="covenants:ranking", period="year_end"):
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year, period])


def test_members_see_the_ranking_only_once_published(client, ready_year):
    member = leader_of(_sheets(ready_year)[1].agency)
    client.force_login(member)
    for name in ("covenants:ranking", "covenants:ranking_pdf", "covenants:ranking_xlsx"):
        assert client.get(_url(ready_year, name)).status_code == 403
    publish(ready_year)
    response = client.get(_url(ready_year))
    assert response.status_code == 200
    html = response.content.decode()
    for sheet in _sheets(ready_year):
        assert sheet.agency.name in html
    assert vi("Publish the ranking") not in html


def test_outsiders_never_see_it_and_unknown_periods_are_404(client, ready_year, outsider):
    publish(ready_year)
    client.force_login(outsider)
    assert client.get(_url(ready_year)).status_code == 403
    client.force_login(_secretariat(ready_year))
    assert client.get(_url(ready_year, period="spring")).status_code == 404


def test_the_board_sees_the_table_before_publication_without_the_button(client, ready_year):
    client.force_login(UserFactory(board_province=ready_year.bloc.province))
    html = client.get(_url(ready_year)).content.decode()
    assert (
        vi(
            "Not published yet: only the secretariat and the board see this table. "
            "Members see their own sheet."
        )
        in html
    )
    assert 'id="averages"' in html
    assert vi("Publish the ranking") not in html


def test_the_secretariat_publishes_from_the_page_after_confirming(client, ready_year):
    client.force_login(_secretariat(ready_year))
    html = client.get(_url(ready_year)).content.decode()
    assert vi("Publish the ranking") in html
    assert "<svg" in html
    response = client.post(_url(ready_year, "covenants:ranking_publish"), {})
    assert vi("Tick the box to confirm the publication.") in response.content.decode()
    assert not RankingPublication.objects.exists()
    response = client.post(_url(ready_year, "covenants:ranking_publish"), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == _url(ready_year)
    assert RankingPublication.objects.filter(bloc_year=ready_year).exists()


def test_the_page_lists_what_is_missing_and_a_publish_error_stays_on_the_form(client):
    bloc_year = scoring_year(members=3)
    first, _second, third = _sheets(bloc_year)
    agree(first)
    client.force_login(_secretariat(bloc_year))
    html = client.get(_url(bloc_year)).content.decode()
    assert 'id="missing"' in html
    assert third.agency.name in html
    response = client.post(_url(bloc_year, "covenants:ranking_publish"), {"confirm": "on"})
    assert response.status_code == 200
    assert vi("The ranking cannot be published yet:") in response.content.decode()


def _page_queries(client, members: int) -> int:
    bloc_year = scoring_year(members=members)
    complete_year_end(bloc_year)
    client.force_login(_secretariat(bloc_year))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(bloc_year)).status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_members(client):
    assert _page_queries(client, 3) == _page_queries(client, 6)
