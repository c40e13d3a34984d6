"""The reviewer's side: entering, checking and submitting the review; who may."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import CriterionKind, Period, ScoreEvent, ScoreLine, ScoreSheet
from covenants.scores import core, review
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    finalize,
    leader_of,
    officer_of,
    scoring_year,
    valid_value,
)
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _member_sheet(bloc_year, index=0):
    """A plain member's year-end sheet (reviewed by the secretariat by default)."""
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")[index].agency
    return ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.YEAR_END, agency=agency)


def _secretariat(bloc_year):
    return officer_of(bloc_year.chair)


def _entries(sheet, fraction=Decimal("0.8")):
    return {
        line.key: {"value": valid_value(line.criterion, fraction), "note": ""}
        for line in sheet.lines.select_related("criterion")
    }


def _url(sheet, name="covenants:score_review", period=None):
    bloc_year = sheet.bloc_year
    args = [bloc_year.bloc_id, bloc_year.year, period or sheet.period, sheet.agency_id]
    return reverse(name, args=args)


def _post_data(sheet, values: dict, action="save", **extra):
    """The page's fields: value_<line id> and note_<line id>."""
    data = {"action": action, **extra}
    for line in sheet.lines.select_related("criterion"):
        value = values.get(line.key, "")
        if line.criterion.kind == CriterionKind.PASS_FAIL and value != "":
            value = "1" if value else "0"
        data[f"value_{line.pk}"] = "" if value == "" else str(value)
        data[f"note_{line.pk}"] = ""
    return data


@pytest.fixture
def year():
    return scoring_year(members=4)


# Saving -------------------------------------------------------------------------------


def test_the_reviewer_saves_values_and_notes_and_each_change_is_recorded(year):
    sheet, actor = _member_sheet(year), _secretariat(year)
    entries = _entries(sheet)
    entries["I.1"] = {"value": Decimal("12.5"), "note": "Thiếu số liệu quý IV"}
    entries["I.2.2"] = {"value": False, "note": ""}  # pass/fail
    entries["I.4"] = {"value": 2, "note": ""}  # a count of items
    review.review_save(sheet=sheet, actor=actor, entries=entries)

    lines = {line.key: line for line in sheet.lines.all()}
    assert lines["I.1"].review_value == Decimal("12.5")
    assert lines["I.1"].review_note == "Thiếu số liệu quý IV"
    assert lines["I.2.2"].review_value == 0
    assert lines["I.4"].review_value == 2
    events = ScoreEvent.objects.filter(sheet=sheet, field="review")
    assert events.count() == len(lines)
    event = events.get(line__key="I.1")
    assert (event.old_value, event.new_value, event.actor) == (None, Decimal("12.5"), actor)
    assert event.note == "Thiếu số liệu quý IV"

    entries["I.1"]["value"] = Decimal("13")
    review.review_save(sheet=sheet, actor=actor, entries=entries)
    assert events.count() == len(lines) + 1  # only the changed line
    assert events.filter(line__key="I.1").first().old_value == Decimal("12.5")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("I.1", Decimal("20.01"), "between 0 and 20"),
        ("I.1", Decimal("-1"), "between 0 and 20"),
        ("I.1", Decimal("1.234"), "at most two decimal places"),
        ("I.1", "abc", "enter a number"),
        ("I.4", Decimal("1.5"), "whole number of items"),
        ("I.4", -2, "cannot be negative"),
        ("I.2.2", Decimal(5), "choose pass or fail"),
        ("I.4", 10**9, "too large"),
    ],
)
def test_a_bad_value_is_refused_next_to_its_line_and_nothing_is_saved(year, key, value, message):
    sheet = _member_sheet(year)
    entries = _entries(sheet)
    entries[key] = {"value": value, "note": "x"}
    with pytest.raises(ValidationError) as caught:
        review.review_save(sheet=sheet, actor=_secretariat(year), entries=entries)
    errors = caught.value.message_dict
    assert list(errors) == [key]
    assert message in errors[key][0]
    assert errors[key][0].startswith(f"{key} – ")  # names the line
    assert not ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).exists()
    assert not ScoreEvent.objects.exists()


def test_an_unknown_line_is_refused(year):
    sheet = _member_sheet(year)
    with pytest.raises(ValidationError) as caught:
        review.review_save(
            sheet=sheet, actor=_secretariat(year), entries={"IX.9": {"value": 1, "note": ""}}
        )
    assert "IX.9" in caught.value.message_dict


def test_the_review_may_be_saved_incomplete_but_not_submitted_incomplete(year):
    sheet, actor = _member_sheet(year), _secretariat(year)
    entries = _entries(sheet)
    del entries["II.3"]
    entries["III.2"]["value"] = None
    review.review_save(sheet=sheet, actor=actor, entries=entries)
    with pytest.raises(ValidationError) as caught:
        review.review_submit(sheet=sheet, actor=actor)
    message = caught.value.messages[0]
    assert "II.3 – " in message
    assert "III.2 – " in message
    assert "I.1 – " not in message
    sheet.refresh_from_db()
    assert not sheet.review_submitted


def test_submitting_locks_the_review(year):
    sheet, actor = _member_sheet(year), _secretariat(year)
    review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet))
    review.review_submit(sheet=sheet, actor=actor)
    sheet.refresh_from_db()
    assert sheet.review_submitted_by == actor
    assert sheet.review_submitted_at
    assert ScoreEvent.objects.filter(sheet=sheet, action="review_submitted").count() == 1
    with pytest.raises(PermissionDenied):
        review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet, Decimal("0.5")))
    with pytest.raises(PermissionDenied):
        review.review_submit(sheet=sheet, actor=actor)


# Who may review -------------------------------------------------------------------------


def test_the_assigned_agency_reviews_and_nobody_else(year):
    sheet = _member_sheet(year)
    reviewer_agency = _member_sheet(year, 1).agency
    sheet.reviewer_agency = reviewer_agency
    sheet.save()
    entries = _entries(sheet)
    refused = [
        _secretariat(year),  # someone else reviews
        leader_of(sheet.agency),  # never its own sheet
        officer_of(year.vice_chair),  # a member not assigned
        BoardUserFactory(board_province=year.bloc.province),  # the board oversees only
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied):
            review.review_save(sheet=sheet, actor=actor, entries=entries)
    review.review_save(sheet=sheet, actor=officer_of(reviewer_agency), entries=entries)
    assert ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).count() == len(entries)


@pytest.mark.parametrize("stage", [Stage.CONFERENCE, Stage.CLOSED])
def test_the_review_is_refused_outside_its_stage_and_in_a_closed_year(year, stage):
    sheet, actor = _member_sheet(year), _secretariat(year)
    BlocYear.objects.filter(pk=year.pk).update(stage=stage)
    # A closed year refuses as read-only, before any stage rule (tests/test_closed_year.py).
    refusal = ValidationError if stage == Stage.CLOSED else PermissionDenied
    with pytest.raises(refusal):
        review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet))
    with pytest.raises(refusal):
        review.review_submit(sheet=sheet, actor=actor)


def test_a_final_sheet_is_never_reviewed_again(year):
    sheet, actor = _member_sheet(year), _secretariat(year)
    finalize(fill_review(fill_self(sheet), submit=False))
    with pytest.raises(PermissionDenied):
        review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet))


# The page --------------------------------------------------------------------------------


def test_the_page_labels_every_input_and_saves_a_draft(client, year):
    sheet = _member_sheet(year)
    client.force_login(_secretariat(year))
    html = client.get(_url(sheet)).content.decode()
    assert vi("Save draft") in html
    for line in sheet.lines.all():
        assert f'for="id_value_{line.pk}"' in html
        assert f'for="id_note_{line.pk}"' in html
    values = {key: entry["value"] for key, entry in _entries(sheet).items()}
    response = client.post(_url(sheet), _post_data(sheet, values))
    assert response.status_code == 302
    assert ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).count() == len(values)


def test_a_bad_value_comes_back_next_to_its_line_with_everything_typed(client, year):
    sheet = _member_sheet(year)
    client.force_login(_secretariat(year))
    values = {key: entry["value"] for key, entry in _entries(sheet).items()}
    values["I.1"] = "25"
    data = _post_data(sheet, values)
    line = sheet.lines.get(key="I.1")
    other = sheet.lines.get(key="II.1")
    data[f"note_{other.pk}"] = "Ghi chú đang gõ"
    response = client.post(_url(sheet), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert f'id="id_value_{line.pk}"' in html
    assert 'value="25"' in html
    assert "Ghi chú đang gõ" in html
    assert (
        vi("%(line)s: the points must be between 0 and %(max)s.")
        % {
            "line": f"I.1 – {line.criterion.title}",
            "max": "20",
        }
        in html
    )
    assert not ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).exists()


def test_submitting_needs_the_confirmation_then_every_line(client, year):
    sheet = _member_sheet(year)
    client.force_login(_secretariat(year))
    values = {key: entry["value"] for key, entry in _entries(sheet).items()}
    missing = dict(values, **{"II.3": ""})

    html = client.post(_url(sheet), _post_data(sheet, missing, "submit")).content.decode()
    assert vi("Tick the box to confirm that the review is complete.") in html
    assert not ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).exists()

    response = client.post(_url(sheet), _post_data(sheet, missing, "submit", confirm="on"))
    html = client.get(response.url).content.decode()
    sheet.refresh_from_db()
    assert not sheet.review_submitted
    assert "II.3 – " in html  # the missing line is named; the rest was saved
    assert (
        ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).count() == len(values) - 1
    )

    client.post(_url(sheet), _post_data(sheet, values, "submit", confirm="on"))
    sheet.refresh_from_db()
    assert sheet.review_submitted
    html = client.get(_url(sheet)).content.decode()
    assert 'name="action"' not in html  # read-only now
    assert client.post(_url(sheet), _post_data(sheet, values)).status_code == 403


def test_the_page_is_only_for_the_reviewer(client, year):
    sheet = _member_sheet(year)
    for user in (
        leader_of(sheet.agency),
        officer_of(year.vice_chair),
        BoardUserFactory(board_province=year.bloc.province),
    ):
        client.force_login(user)
        assert client.get(_url(sheet)).status_code == 403
    client.force_login(_secretariat(year))
    assert client.get(_url(sheet, period="autumn")).status_code == 404
    bloc_year = sheet.bloc_year
    unknown = [bloc_year.bloc_id, bloc_year.year, Period.YEAR_END, 999999]
    assert client.get(reverse("covenants:score_review", args=unknown)).status_code == 404


def test_a_closed_year_shows_the_review_read_only(client, year):
    sheet = _member_sheet(year)
    fill_review(sheet, submit=False)
    client.force_login(_secretariat(year))
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    response = client.get(_url(sheet))
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()
    assert client.post(_url(sheet), {"action": "save"}).status_code == 403


def test_the_pages_query_count_does_not_grow_with_the_members(client):
    counts = []
    for members in (3, 6):
        bloc_year = scoring_year(members=members)
        sheet = _member_sheet(bloc_year)
        fill_self(sheet)
        fill_review(sheet, submit=False)
        client.force_login(_secretariat(bloc_year))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(sheet)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_mid_year_sheets_are_reviewed_only_when_the_year_says_so():
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS, members=4)
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    sheet = ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.MID_YEAR, agency=agency)
    actor = _secretariat(bloc_year)
    with pytest.raises(ValidationError, match="not reviewed"):
        review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet))
    settings = core.settings_for(bloc_year)
    settings.mid_year_reviewed = True
    settings.save()
    review.review_save(sheet=sheet, actor=actor, entries=_entries(sheet))
    review.review_submit(sheet=sheet, actor=actor)
    sheet.refresh_from_db()
    assert sheet.review_submitted
