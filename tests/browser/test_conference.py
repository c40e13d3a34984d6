"""The year-end conference in real Chromium (issue 6), on phone-sized
screens: leaders vote by secret ballot, the secretariat closes the polls,
reads the results, confirms them, opens the minutes (PDF), submits the
proposals and records the flag's handover; the board closes the year and
the next one opens with the elected chair.

The flag and chair polls go through every page (created, opened, voted by
each leader on their own phone, closed); the certificate and vice-chair
polls, the register, the committee and the achievement reports are put in
place through the real services, since they are not the point here.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from awards import core
from awards.achievements import achievement_check, achievement_draft, achievement_upload_signed
from awards.conference import committee_set, conference_save
from awards.models import (
    AwardKind,
    AwardProposal,
    Conference,
    ConferenceStatus,
    FlagHandover,
    Poll,
    PollKind,
    PollStatus,
)
from awards.voting import poll_close, poll_outcome
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from tests.awards.factories import conference_year
from tests.awards.factories_polls import members_in_rank_order
from tests.awards.voting_factories import cast, open_poll, register
from tests.browser.test_overview import PASSWORD, log_in
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AGENCY_NAMES = ("Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp", "Sở Tài chính")
LEADERS = ("leader-1", "leader-2", "leader-3", "leader-4")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


@pytest.fixture
def conference():
    """Four members at the conference stage, every one present, the
    committee named; agencies in rank order (the chair agency first)."""
    bloc_year = conference_year(
        members=4, bloc__number=6, bloc__name="Khối thi đua số 6 – Văn hóa – Xã hội"
    )
    ranked = members_in_rank_order(bloc_year)
    for agency, name in zip(ranked, AGENCY_NAMES, strict=True):
        agency.name = name
        agency.save(update_fields=["name"])
    secretariat = officer_of(
        bloc_year.chair, username="secretariat", full_name="Nguyễn Thị Lan", password=PASSWORD
    )
    leaders = {
        agency.pk: leader_of(agency, username=username, password=PASSWORD)
        for agency, username in zip(ranked, LEADERS, strict=True)
    }
    BoardUserFactory(
        username="board",
        full_name="Trần Văn Ban",
        board_province=bloc_year.bloc.province,
        password=PASSWORD,
    )
    conference_save(
        bloc_year=bloc_year,
        actor=secretariat,
        data={
            "held_on": timezone.localdate(),
            "place": "Hội trường Sở Giáo dục và Đào tạo",
            "chaired_by": "Lê Văn Chủ",
            "secretary": "Nguyễn Thị Lan",
        },
    )
    register(bloc_year, secretariat)
    committee_set(
        bloc_year=bloc_year,
        actor=secretariat,
        members=[
            {"full_name": "Võ Thị Trưởng", "agency": ranked[1], "role": "head"},
            {"full_name": "Đặng Văn Viên", "agency": ranked[2], "role": "member"},
        ],
    )
    return bloc_year, secretariat, leaders, ranked


def _new_page(browser, live_server, username, viewport=PHONE):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    return context, page


def _url(live_server, bloc_year, rest=""):
    return f"{live_server.url}/blocs/{bloc_year.bloc_id}/{bloc_year.year}/{rest}"


def _latest_poll(bloc_year, kind) -> Poll:
    return Poll.objects.filter(bloc_year=bloc_year, kind=kind).latest("round")


def _create_and_open(page, live_server, bloc_year, kind, *, first=False) -> Poll:
    """The secretariat creates the next poll of the order of business
    (electronic, the default) and opens it."""
    page.goto(_url(live_server, bloc_year, "conference/"))
    page.locator("#create-poll").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(_vi_label(PollKind(kind)))
    page.get_by_role("button", name=vi("Create the poll")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("The poll was created. Open it when the room is ready.")
    )
    expect(page.locator("#poll-status")).to_have_text(_vi_label(PollStatus.DRAFT))
    page.locator("#poll-actions").get_by_role("link", name=vi("Open the poll")).click()
    expect(page.locator("#freeze-warning")).to_have_count(1 if first else 0)
    page.get_by_role("button", name=vi("Open the poll")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("The poll is open: members can vote now.")
    )
    expect(page.locator("#poll-status")).to_have_text(_vi_label(PollStatus.OPEN))
    return _latest_poll(bloc_year, kind)


def _vote(page, live_server, bloc_year, poll, choice: str, screenshot=None):
    """A leader, on their phone, votes from the conference page."""
    page.goto(_url(live_server, bloc_year, "conference/"))
    with translation.override("vi"):
        link_name = translation.gettext("Vote: %(poll)s (round %(round)s)") % {
            "poll": poll.get_kind_display(),
            "round": poll.round,
        }
    your_vote = page.locator("#your-vote")
    your_vote.get_by_role("link", name=link_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_vi_label(PollKind(poll.kind)))
    ballot = page.get_by_role("group", name=vi("Your agency's choice"))
    ballot.get_by_label(choice).check()
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    page.get_by_role("button", name=vi("Cast the ballot")).click()

    # The confirmation says the vote counts, never what it was.
    status = page.get_by_role("status").first
    expect(status).to_have_text(vi("Your agency's vote is recorded."))
    expect(status).not_to_contain_text(choice)
    assert not [text for text in your_vote.locator("p").all_inner_texts() if choice in text]
    expect(your_vote.get_by_role("link", name=link_name)).to_have_count(0)
    with translation.override("vi"):
        voted = translation.gettext("Your agency has voted: %(poll)s (round %(round)s).") % {
            "poll": poll.get_kind_display(),
            "round": poll.round,
        }
    expect(your_vote).to_contain_text(voted)


def _vote_again_is_refused(page, live_server, bloc_year, poll):
    page.goto(_url(live_server, bloc_year, f"conference/polls/{poll.pk}/vote/"))
    expect(page.locator("#no-ballot")).to_have_text(
        vi("Your agency has already voted in this poll.")
    )
    expect(page.get_by_role("button", name=vi("Cast the ballot"))).to_have_count(0)


def _close_and_read(page, live_server, bloc_year, poll, *, winner, votes):
    """The secretariat closes and counts; the poll's page then shows the
    rule applied, who is elected and, on request, the votes."""
    page.goto(_url(live_server, bloc_year, f"conference/polls/{poll.pk}/"))
    expect(page.locator("#turnout")).to_contain_text(f"{poll.present} ")
    expect(page.locator("#waiting")).to_have_count(0)  # every present member has voted
    page.locator("#poll-actions").get_by_role("link", name=vi("Close and count")).click()
    page.get_by_role("button", name=vi("Close and count")).click()
    expect(page.get_by_role("status").first).to_contain_text(vi("The poll is closed and counted."))
    expect(page.locator("#poll-status")).to_have_text(_vi_label(PollStatus.CLOSED))
    poll.refresh_from_db()
    with translation.override("vi"):
        rule_text = poll_outcome(poll, core.rules_for(bloc_year)).rule_text
    results = page.locator(f"#results-{poll.pk}")
    expect(results).to_contain_text(rule_text)
    expect(results).to_contain_text(f"{vi('Elected:')} {winner}")
    # Four ballots: the counts per candidate wait for an explicit click.
    expect(page.locator("#breakdown")).to_have_count(0)
    page.locator("#show-breakdown").click()
    row = page.locator("#breakdown tbody tr").filter(has_text=winner)
    expect(row.locator("td").nth(1)).to_have_text(str(votes))
    expect(row).to_have_class("table-success")


def _by_services(bloc_year, secretariat, leaders, kind, ballots):
    poll = open_poll(bloc_year, secretariat, kind=kind)
    cast(poll, leaders, ballots)
    return poll_close(poll=poll, actor=secretariat)


def _check_achievement_reports(bloc_year, secretariat):
    for proposal in AwardProposal.objects.filter(bloc_year=bloc_year).select_related("bloc_year"):
        report = achievement_draft(proposal=proposal, actor=secretariat)
        signed = SimpleUploadedFile("bao-cao-da-ky.pdf", PDF, content_type="application/pdf")
        report = achievement_upload_signed(report=report, actor=secretariat, file=signed)
        achievement_check(report=report, actor=secretariat)


def _transition(page, live_server, bloc_year, label, stage_label):
    page.goto(_url(live_server, bloc_year))
    expect(page.locator("#blockers")).to_contain_text(vi("Nothing blocks the next step."))
    page.get_by_role("link", name=label).click()
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page.locator('ol.stepper li[aria-current="step"]')).to_contain_text(stage_label)


def test_leaders_vote_the_secretariat_confirms_and_the_next_year_opens(
    browser, live_server, conference, screenshot_dir
):
    bloc_year, secretariat, leaders, ranked = conference
    first, second, third, fourth = ranked
    chair_agency = bloc_year.chair
    assert chair_agency == first  # the secretariat's agency leads the ranking
    sec_context, sec = _new_page(browser, live_server, "secretariat")
    voters = [_new_page(browser, live_server, username) for username in LEADERS]

    # 1. The flag: created and opened on the secretariat's phone.
    flag = _create_and_open(sec, live_server, bloc_year, PollKind.FLAG, first=True)
    # 2. Each leader votes on their own phone; three for the first ranked.
    choices = [first, first, first, second]
    for index, ((_context, page), agency) in enumerate(zip(voters, choices, strict=True)):
        shot = screenshot_dir / "conference-ballot-phone.png" if index == 0 else None
        _vote(page, live_server, bloc_year, flag, agency.name, screenshot=shot)
    _vote_again_is_refused(voters[0][1], live_server, bloc_year, flag)
    # 3. Closed and counted through the pages.
    _close_and_read(sec, live_server, bloc_year, flag, winner=first.name, votes=3)

    # Certificates through the services: one place, the flag unit excluded.
    _by_services(
        bloc_year,
        secretariat,
        leaders,
        PollKind.CERTIFICATE,
        {first.pk: [second.pk], second.pk: [second.pk], third.pk: [second.pk], fourth.pk: []},
    )
    # Next year's chair: every step through the pages again.
    chair_poll = _create_and_open(sec, live_server, bloc_year, PollKind.CHAIR)
    for (_context, page), agency in zip(voters, [second, second, second, third], strict=True):
        _vote(page, live_server, bloc_year, chair_poll, agency.name)
    _close_and_read(sec, live_server, bloc_year, chair_poll, winner=second.name, votes=3)
    _by_services(
        bloc_year,
        secretariat,
        leaders,
        PollKind.VICE_CHAIR,
        {agency.pk: [third.pk] for agency in ranked},
    )
    for context, _page in voters:
        context.close()

    # The results page: every kind decided, confirmed by the secretariat.
    sec.goto(_url(live_server, bloc_year, "conference/"))
    sec.locator("#results-link").click()
    expect(sec.locator("#problems")).to_have_count(0)
    for kind, winner in (
        (PollKind.FLAG, first),
        (PollKind.CERTIFICATE, second),
        (PollKind.CHAIR, second),
        (PollKind.VICE_CHAIR, third),
    ):
        expect(sec.locator(f"#kind-{kind}")).to_contain_text(f"{vi('Elected:')} {winner.name}")
    sec.get_by_role("button", name=vi("Confirm the results")).click()
    expect(sec.get_by_role("status").first).to_contain_text(
        vi(
            "The results are confirmed: the proposals and next year's chair and "
            "vice-chair are recorded."
        )
    )
    expect(sec.locator("#flag-nominees")).to_have_text(first.name)
    expect(sec.locator("#certificate-nominees")).to_have_text(second.name)
    expect(sec.locator("#next-chair")).to_have_text(second.name)
    expect(sec.locator("#next-vice-chair")).to_have_text(third.name)
    sec.screenshot(path=screenshot_dir / "conference-results-phone.png", full_page=True)
    conference = Conference.objects.get(bloc_year=bloc_year)
    assert conference.status == ConferenceStatus.CONFIRMED
    assert set(
        AwardProposal.objects.filter(bloc_year=bloc_year).values_list("agency_id", "award")
    ) == {(first.pk, AwardKind.FLAG), (second.pk, AwardKind.CERTIFICATE)}

    # The minutes: the link on the documents' page opens the PDF (inline).
    # No page links to the documents' page yet, so it is opened by its address.
    sec.goto(_url(live_server, bloc_year, "conference/summary-report/"))
    minutes_url = _url(live_server, bloc_year, "conference/minutes.pdf")
    with sec.expect_response(minutes_url) as opened:
        sec.locator("#documents").get_by_role("link", name=vi("Minutes (PDF)")).click()
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    minutes = sec.request.get(minutes_url)
    assert minutes.status == 200
    assert minutes.body().startswith(b"%PDF-")
    assert "bien-ban-hop-binh-xet-thi-dua" in minutes.headers["content-disposition"]
    pages = PdfReader(io.BytesIO(minutes.body())).pages
    text = " ".join(" ".join(pdf_page.extract_text() for pdf_page in pages).split())
    following = bloc_year.year + 1
    for written in (
        "có mặt 4/4 đơn vị",
        "Võ Thị Trưởng (Trưởng ban)",
        f"Khối trưởng năm {following}: {second.name}; Khối phó năm {following}: {third.name}.",
    ):
        assert written in text

    # 4. The nominees' achievement reports: drafted, signed, checked.
    _check_achievement_reports(bloc_year, secretariat)

    # 5. The proposals go to the province; the flag's handover is recorded.
    _transition(
        sec,
        live_server,
        bloc_year,
        vi("Submit proposals to the province"),
        vi("Proposals submitted"),
    )
    sec.goto(_url(live_server, bloc_year, "conference/handover/"))
    expect(sec.locator("#outgoing")).to_have_text(first.name)
    expect(sec.locator("#incoming")).to_have_text(second.name)
    today = timezone.localdate()
    sec.get_by_label(vi("Date of the handover")).fill(today.isoformat())
    sec.get_by_label(vi("Note")).fill("Trao cờ tại Hội nghị tổng kết, có đại diện Ban Thi đua.")
    sec.get_by_role("button", name=vi("Save")).click()
    expect(sec.get_by_role("status").first).to_contain_text(
        vi("The handover of the rotating flag is recorded.")
    )
    expect(sec.locator("#handed-on")).to_have_text(today.strftime("%d/%m/%Y"))
    expect(sec.locator("#board-closes")).to_be_visible()
    assert FlagHandover.objects.get(bloc_year=bloc_year).incoming == second
    sec_context.close()

    # 6. The board closes the year; the next one opens with the new chair.
    board_context, board = _new_page(browser, live_server, "board", viewport=DESKTOP)
    _transition(
        board,
        live_server,
        bloc_year,
        vi("Accept the proposals and close the year"),
        vi("Closed, flag handed over"),
    )
    board.goto(_url(live_server, bloc_year, "conference/handover/"))
    expect(board.locator("#closed")).to_be_visible()
    board.locator("#closed").get_by_role(
        "link", name=vi("Go to %(year)s") % {"year": bloc_year.year + 1}
    ).click()
    next_year = BlocYear.objects.get(bloc=bloc_year.bloc, year=following)
    expect(board).to_have_url(_url(live_server, next_year))
    assert next_year.stage == Stage.SETUP
    expect(board.locator("#next-step-heading")).to_be_visible()
    chair_item = board.locator(".list-group-item").filter(has_text=second.name)
    expect(chair_item).to_contain_text(_vi_label(MemberRole.CHAIR))
    vice_item = board.locator(".list-group-item").filter(has_text=third.name)
    expect(vice_item).to_contain_text(_vi_label(MemberRole.VICE_CHAIR))
    former = board.locator(".list-group-item").filter(has_text=first.name)
    expect(former.locator(".badge")).to_have_count(0)  # a plain member again
    assert next_year.chair == second
    board_context.close()
