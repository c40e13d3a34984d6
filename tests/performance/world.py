"""The two worlds of the query budgets, in one database.

The budgets compare each page of a *small* bloc in a *small* database with the same page
of a *large* bloc in a *large* database: a count that grows with the bloc (members,
sheets, votes, nominees, files) or with the database (provinces, blocs, years of
history) is an N+1.

- **Small**: one province P with one bloc A of :data:`SMALL` members and its years at
  every stage (the years of :data:`tests.security.world.YEARS`, plus one closed year
  before them), its board and a site admin. Its pages are measured first.
- **Large**: then the database grows around it: in P a bloc B of :data:`LARGE`
  members with the same shapes and more history (two closed years), another bloc with
  a finished year, and two more provinces with their boards and blocs. B's pages are
  measured on that database.

"Same shapes" means every kind of row A's pages read exists in B too, in proportion to
the members: sheets, lines with evidence, votes, attendance, candidates, certificate
nominees and their reports, signatures, initiatives, staff. Rows are written by the
test factories (the services are tested on their own), like the authorization world's
(:mod:`tests.security.world`), whose helpers this module reuses; the score lines are
filled in bulk (:mod:`.scores`), which made most of the build time otherwise.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from awards.core import rules_for
from awards.models import (
    AchievementReport,
    AwardKind,
    PollKind,
    ReportStatus,
)
from blocs.models import BlocYear
from blocs.stages import Stage
from covenants.models import (
    CovenantStatus,
    Initiative,
    InitiativeLevel,
    MidYearReview,
    Period,
    ScoreLine,
    ScoreSheet,
    Signature,
    SignatureMethod,
    SignatureStatus,
)
from covenants.scores.sheets import sheets_open
from covenants.sheet_services import template_freeze_current
from tests.awards.factories import complete_conference, hand_over
from tests.awards.factories_documents import closed_poll, propose
from tests.awards.factories_polls import open_paper_flag_poll
from tests.blocs.factories import BlocFactory
from tests.covenants.factories_score import (
    complete_year_end,
    hold_mid_year,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import BoardUserFactory, ProvinceFactory, UserFactory
from tests.security.world_rows import (
    PDF,
    YEARS,
    agencies_of,
    applied_import,
    attachment_of,
    conference_record,
    delegation_to,
    evidence_on,
    other_year,
    province_bundle,
    score_line,
    year_like,
)

from .scores import score_sheets

__all__ = ["LARGE", "SMALL", "BlocWorld", "build_small", "grow", "nominees", "sign_in"]

#: Members of bloc A (small) and bloc B (large).
SMALL = 5
LARGE = 15
#: The year-end totals step down by this share of each maximum from one member to the next.
STEP = Decimal("0.05")


@dataclass
class BlocWorld:
    """One focal bloc: its users by role and the values of the URLs' keyword arguments
    (the keys of :meth:`tests.security.access.Entry.world_key`)."""

    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    #: A signed-in session per role, made once: see :func:`sign_in`.
    sessions: dict = field(default_factory=dict)
    done_year: BlocYear | None = None


def nominees(members: int) -> int:
    """Certificate nominees of a bloc of ``members``, taken after the chair (the flag's
    nominee) and the vice-chair: 2 of 5, 7 of 15."""
    return max((members - 1) // 2, 1)


def _scaled(members: int, per: int) -> int:
    """One row per ``per`` members, at least one: A has 1, B has 3 for ``per=5``."""
    return max(members // per, 1)


# The years of a focal bloc ------------------------------------------------------------


def _sheets(bloc_year, period):
    return ScoreSheet.objects.filter(bloc_year=bloc_year, period=period).order_by("pk")


def _finish_year_end(bloc_year) -> None:
    """Every year-end sheet final (distinct totals), the ranking published."""
    score_sheets(_sheets(bloc_year, Period.YEAR_END), by=UserFactory(), step=STEP, final=True)
    complete_year_end(bloc_year)  # publishes: the sheets are already final


def done_year(bloc, *, members: int) -> BlocYear:
    """:func:`tests.security.world._done_year`, with the sheets filled in bulk: scores
    final and published, the mid-year review held, the conference confirmed with a flag
    proposal whose report has a signed copy, at "proposals submitted"."""
    bloc_year = scoring_year(members=members, bloc=bloc, year=YEARS["done"])
    score_sheets(_sheets(bloc_year, Period.MID_YEAR), by=UserFactory())
    _finish_year_end(bloc_year)
    hold_mid_year(bloc_year)  # records the review: the sheets are already submitted
    complete_conference(bloc_year)
    report = AchievementReport.objects.get(proposal__bloc_year=bloc_year)
    report.signed_file.save("signed.pdf", ContentFile(PDF))
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SUBMITTED)
    bloc_year.refresh_from_db()
    return bloc_year


def _closed_year(done: BlocYear, year: int) -> BlocYear:
    """A past year of ``done``'s bloc, finished: scores final and published, results
    confirmed with a flag proposal, the flag handed over, closed."""
    bloc_year = year_like(done, year, Stage.SCORING)
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
    _finish_year_end(bloc_year)
    complete_conference(bloc_year)
    hand_over(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    return bloc_year


def _nominate(done: BlocYear, agencies: list, members: int):
    """A closed certificate poll electing ``agencies``, their proposals and checked
    achievement reports with a signed copy; the first nominee's proposal is returned."""
    poll = closed_poll(
        done,
        PollKind.CERTIFICATE,
        votes=dict.fromkeys(agencies, members),
        elected=agencies,
        seats=len(agencies),
    )
    proposals = []
    for order, nominee in enumerate(agencies, start=1):
        proposal = propose(
            done,
            nominee,
            AwardKind.CERTIFICATE,
            poll=poll,
            votes=members,
            base=members,
            order=order,
        )
        report = AchievementReport(
            proposal=proposal,
            status=ReportStatus.CHECKED,
            text="Báo cáo thành tích",
            signed_name="Báo cáo thành tích (đã ký).pdf",
            checked_at=timezone.now(),
        )
        report.signed_file.save("signed.pdf", ContentFile(PDF), save=False)
        report.save()
        proposals.append(proposal)
    return proposals[0]


def _done(bloc, members: int, world: BlocWorld) -> BlocYear:
    """The done year: proposals submitted, every member's sheet final with a file on
    its first line (more on the member's own), a flag nominee and :func:`nominees`
    certificate nominees with their reports."""
    done = done_year(bloc, members=members)
    rules_for(done)
    agencies = agencies_of(done)
    chair, vice, agency, peer, *_others = agencies
    member = leader_of(agency)
    world.users.update(secretariat=officer_of(chair), member=member, chair_leader=leader_of(chair))
    world.done_year = done
    conference_record(done, agencies)
    flag = closed_poll(done, PollKind.FLAG, votes={chair: members, vice: 0}, elected=[chair])
    proposal = _nominate(done, agencies[2 : 2 + nominees(members)], members)
    for other in agencies:
        if other != agency:
            evidence_on(score_line(done, other), member)
    world.ids.update(
        {
            "agency": agency.pk,
            "ready_agency": peer.pk,
            "person": officer_of(agency).pk,
            "done.membership": done.memberships.get(agency=agency).pk,
            "done.attachment": attachment_of(done).pk,
            "done.line": score_line(done, agency).pk,
            "done.evidence": evidence_on(score_line(done, agency), member).pk,
            "done.poll": flag.pk,
            "done.proposal": proposal.pk,
        }
    )
    # More files on the member's own sheet, more people on its agency's page.
    lines = ScoreLine.objects.filter(
        sheet__bloc_year=done, sheet__period=Period.YEAR_END, sheet__agency=agency
    ).order_by("pk")
    for line in lines[1 : 1 + _scaled(members, 5)]:
        evidence_on(line, member)
    for _ in range(_scaled(members, 5)):
        officer_of(agency)
    return done


def _live(done: BlocYear, members: int, world: BlocWorld) -> None:
    """The conference voting: everyone present, a paper flag poll open with half of the
    members as candidates, a delegation."""
    live = year_like(done, YEARS["live"], Stage.CONFERENCE)
    rules_for(live)
    agencies = agencies_of(live)
    poll = open_paper_flag_poll(live, agencies)
    for rank, agency in enumerate(agencies[: (members + 1) // 2], start=1):
        poll.candidates.create(agency=agency, rank=rank, score=Decimal(95 - rank))
    peer = agencies[3]
    world.ids.update(
        {
            "live.membership": live.memberships.get(agency=world.ids["agency"]).pk,
            "live.delegation": delegation_to(
                live, officer_of(peer), world.users["chair_leader"]
            ).pk,
            "live.poll": poll.pk,
        }
    )


def _scoring(done: BlocYear, world: BlocWorld) -> None:
    """Year-end scoring: the member's sheet a draft with files, the others self-scored
    and submitted, every other one reviewed too; an initiative count per member."""
    scoring = year_like(done, YEARS["scoring"], Stage.SCORING)
    sheets_open(bloc_year=scoring, period=Period.YEAR_END)
    agency, ready = world.ids["agency"], world.ids["ready_agency"]
    others = [sheet for sheet in _sheets(scoring, Period.YEAR_END) if sheet.agency_id != agency]
    reviewed = [s for i, s in enumerate(others) if i % 2 or s.agency_id == ready]
    by = world.users["member"]
    score_sheets(reviewed, by=by, review=True)
    score_sheets([sheet for sheet in others if sheet not in reviewed], by=by)
    for member_agency in agencies_of(scoring):
        Initiative.objects.create(
            bloc_year=scoring,
            agency=member_agency,
            level=InitiativeLevel.GRASSROOTS,
            count=2,
            updated_by=by,
        )
    line = score_line(scoring, agency)
    world.ids.update({"scoring.line": line.pk, "scoring.evidence": evidence_on(line, by).pk})


def _running(done: BlocYear) -> None:
    """The year in progress: mid-year sheets open, half of them submitted, the mid-year
    review a draft."""
    running = year_like(done, YEARS["running"], Stage.IN_PROGRESS)
    sheets_open(bloc_year=running, period=Period.MID_YEAR)
    score_sheets(list(_sheets(running, Period.MID_YEAR))[::2], by=UserFactory())
    chair = agencies_of(running)[0]
    MidYearReview.objects.create(
        bloc_year=running, held_on=timezone.localdate(), place="Hội trường", host_agency=chair
    )


def _signing(done: BlocYear) -> None:
    """Covenant signing: the covenant open, half of the members signed on paper."""
    signing = year_like(done, YEARS["signing"], Stage.SIGNING)
    template_freeze_current(bloc_year=signing)
    covenant = signing.covenant
    type(covenant).objects.filter(pk=covenant.pk).update(status=CovenantStatus.OPEN)
    by = UserFactory()
    for agency in agencies_of(signing)[::2]:
        Signature.objects.create(
            covenant=covenant,
            agency=agency,
            status=SignatureStatus.SIGNED,
            method=SignatureMethod.PAPER,
            signer_name=f"Lãnh đạo {agency.short_name}",
            recorded_by=by,
        )


def focal_bloc(province, *, number: int, members: int, history: int, common: dict) -> BlocWorld:
    """A bloc of ``members`` with a year at every stage and ``history`` closed years
    before them; ``common`` holds the province-wide users and ids (board, admin…)."""
    world = BlocWorld()
    world.users.update(common["users"])
    world.ids.update(common["ids"])
    bloc = BlocFactory(province=province, number=number)
    done = _done(bloc, members, world)
    world.ids["bloc"] = bloc.pk
    for back in range(history, 0, -1):
        _closed_year(done, YEARS["done"] - back)
    _live(done, members, world)
    _scoring(done, world)
    _running(done)
    _signing(done)
    year_like(done, YEARS["setup"], Stage.SETUP)
    world.ids["uidb64"] = urlsafe_base64_encode(force_bytes(world.users["member"].pk))
    return world


# The two databases -----------------------------------------------------------------


def build_small() -> BlocWorld:
    """Province P with bloc A only."""
    province = ProvinceFactory(name="Tỉnh An Ninh", code="an-ninh")
    board = BoardUserFactory(board_province=province)
    admin = UserFactory(is_superuser=True, is_staff=True, username="site-admin")
    common = {
        "users": {"board": board, "admin": admin},
        "ids": {
            "code": province.code,
            "province": province.pk,
            "import_batch": applied_import(province, board).pk,
            "bundle": province_bundle(province, board).pk,
        },
    }
    return focal_bloc(province, number=1, members=SMALL, history=1, common=common)


def grow(small: BlocWorld) -> BlocWorld:
    """Grow the database around bloc A: bloc B (returned), another bloc of P with a
    finished year, two more provinces each with a board, a bloc and an import."""
    board = small.users["board"]
    province = board.board_province
    common = {
        "users": {"board": board, "admin": small.users["admin"]},
        "ids": {key: small.ids[key] for key in ("code", "province", "import_batch", "bundle")},
    }
    large = focal_bloc(province, number=2, members=LARGE, history=2, common=common)
    other_year(BlocFactory(province=province, number=3), by=board)
    applied_import(province, board)
    for name, code in (("Tỉnh Cao Nguyên", "cao-nguyen"), ("Tỉnh Duyên Hải", "duyen-hai")):
        other = ProvinceFactory(name=name, code=code)
        other_board = BoardUserFactory(board_province=other)
        other_year(BlocFactory(province=other, number=1), by=other_board)
        applied_import(other, other_board)
        province_bundle(other, other_board)
    return large


def sign_in(world: BlocWorld) -> None:
    """A session per role, kept with the world (no login per request)."""
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
