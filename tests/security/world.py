"""One seeded world for the authorization tests, built once per module.

Province P (the focal one) holds bloc A, whose same four agencies (chair, vice-chair,
``agency`` — the member leader's — and a peer) are members every year, so the chair's
officer is the secretariat in each of A's years. A's years stand at the stages the pages
need, so every page has someone it opens for:

- ``done`` (2025): proposals submitted — covenant signed with an attachment, mid-year
  review held, year-end ranking published, evidence on ``agency``'s sheet, a confirmed
  conference (record, register, committee, closed polls, proposals, ``agency``'s checked
  achievement report with its signed copy) and every document issued;
- ``live`` (2026): the conference voting, a paper flag poll open, a delegation;
- ``scoring`` (2027): year-end scoring — ``agency``'s sheet a draft with one file, the
  peer's sheet self-scored and reviewed (ready to reconcile);
- ``running`` (2028): the year in progress, its mid-year record a draft;
- ``signing`` (2029): the covenant open for signatures;
- ``setup`` (2030): set-up, the scoring sheet a draft.

P also holds bloc B, whose member agency's leader is the *outsider*, and province Q a bloc
C with its own board: both have a ``done`` year with the same kinds of objects, which the
id-guessing tests put into A's URLs.

Rows are written by the test factories (the services are tested on their own); the world
is committed, so each test runs in a transaction rolled back after it and every test sees
the same world; the documents are issued once here, not rendered again by every test.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from awards.models import (
    AchievementReport,
    AwardKind,
    PollKind,
    ReportStatus,
)
from blocs.stages import Stage
from covenants.models import (
    CovenantStatus,
    MidYearReview,
    Period,
    ScoreSheet,
)
from covenants.scores.sheets import sheets_open
from covenants.sheet_services import template_freeze_current
from tests.awards.factories_documents import closed_poll, propose
from tests.awards.factories_polls import open_paper_flag_poll
from tests.blocs.factories import BlocFactory
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    leader_of,
    officer_of,
)
from tests.members.factories import BoardUserFactory, ProvinceFactory, UserFactory

from .world_rows import (
    PDF,
    YEARS,
    agencies_of,
    applied_import,
    attachment_of,
    conference_record,
    delegation_to,
    done_year,
    evidence_on,
    other_year,
    province_bundle,
    score_line,
    year_like,
)

__all__ = [
    "ID_KINDS",
    "ROLES",
    "YEARS",
    "World",
    "build_world",
    "issue_documents",
    "sign_in",
    "use_session",
]

#: Who asks, in the order the access table lists them.
ROLES = ("anonymous", "outsider", "member", "secretariat", "board", "other_board", "admin")


#: The kinds of objects URLs name by id (world keys, or their part after the year's dot).
ID_KINDS = frozenset(
    {
        "bloc",
        "code",
        "province",
        "agency",
        "ready_agency",
        "person",
        "import_batch",
        "bundle",
        "membership",
        "delegation",
        "attachment",
        "line",
        "evidence",
        "poll",
        "proposal",
    }
)


@dataclass
class World:
    """The users by role and the values of the URLs' keyword arguments.

    ``ids`` maps a key (``"bloc"``, ``"agency"``, ``"done.evidence"``…) to its value in
    bloc A; ``other_bloc`` and ``other_province`` map a kind of object (``"bloc"``,
    ``"evidence"``…) to the same kind's value in bloc B and in province Q.
    """

    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    other_bloc: dict = field(default_factory=dict)
    other_province: dict = field(default_factory=dict)
    #: A signed-in session per user (role → session key), made once: see :func:`sign_in`.
    sessions: dict = field(default_factory=dict)


# Bloc A -----------------------------------------------------------------------------------


def _focal_bloc(province, world: World) -> None:
    ids = world.ids
    done = done_year(BlocFactory(province=province, number=1), members=4)
    chair, vice, agency, peer = agencies_of(done)
    secretariat = officer_of(chair)
    member = leader_of(agency)
    person = officer_of(agency)
    # Not a role of the access table: the one who lends the secretariat's rights.
    world.users.update(secretariat=secretariat, member=member, chair_leader=leader_of(chair))
    conference_record(done, [chair, vice, agency, peer])
    flag = closed_poll(done, PollKind.FLAG, votes={chair: 4, vice: 0}, elected=[chair])
    certificate = closed_poll(
        done, PollKind.CERTIFICATE, votes={agency: 4}, elected=[agency], seats=1
    )
    proposal = propose(done, agency, AwardKind.CERTIFICATE, poll=certificate, votes=4, base=4)
    report = AchievementReport(
        proposal=proposal,
        status=ReportStatus.CHECKED,
        text="Báo cáo thành tích",
        signed_name="Báo cáo thành tích (đã ký).pdf",
        checked_at=timezone.now(),
    )
    report.signed_file.save("signed.pdf", ContentFile(PDF), save=False)
    report.save()
    ids.update(
        {
            "bloc": done.bloc_id,
            "code": province.code,
            "province": province.pk,
            "agency": agency.pk,
            "ready_agency": peer.pk,
            "person": person.pk,
            "done.membership": done.memberships.get(agency=agency).pk,
            "done.attachment": attachment_of(done).pk,
            "done.line": score_line(done, agency).pk,
            "done.evidence": evidence_on(score_line(done, agency), member).pk,
            "done.poll": flag.pk,
            "done.proposal": proposal.pk,
        }
    )

    live = year_like(done, YEARS["live"], Stage.CONFERENCE)
    poll = open_paper_flag_poll(live, [chair, vice, agency, peer])
    poll.candidates.create(agency=chair, rank=1, score=Decimal("90"))
    ids.update(
        {
            "live.membership": live.memberships.get(agency=agency).pk,
            "live.delegation": delegation_to(
                live, officer_of(peer), world.users["chair_leader"]
            ).pk,
            "live.poll": poll.pk,
        }
    )

    scoring = year_like(done, YEARS["scoring"], Stage.SCORING)
    sheets_open(bloc_year=scoring, period=Period.YEAR_END)
    ready = ScoreSheet.objects.get(bloc_year=scoring, period=Period.YEAR_END, agency=peer)
    fill_review(fill_self(ready))
    line = score_line(scoring, agency)
    ids.update({"scoring.line": line.pk, "scoring.evidence": evidence_on(line, member).pk})

    running = year_like(done, YEARS["running"], Stage.IN_PROGRESS)
    MidYearReview.objects.create(
        bloc_year=running, held_on=timezone.localdate(), place="Hội trường", host_agency=chair
    )

    signing = year_like(done, YEARS["signing"], Stage.SIGNING)
    template_freeze_current(bloc_year=signing)
    type(signing.covenant).objects.filter(pk=signing.covenant.pk).update(status=CovenantStatus.OPEN)
    year_like(done, YEARS["setup"], Stage.SETUP)


def build_world() -> World:
    world = World()
    # P sorts before Q: a site admin's import pages open the first province by name.
    province = ProvinceFactory(name="Tỉnh An Ninh", code="an-ninh")
    other = ProvinceFactory(name="Tỉnh Biên Giới", code="bien-gioi")
    board = BoardUserFactory(board_province=province)
    other_board = BoardUserFactory(board_province=other)
    admin = UserFactory(is_superuser=True, is_staff=True, username="site-admin")
    world.users.update(board=board, other_board=other_board, admin=admin)

    _focal_bloc(province, world)
    world.ids.update(import_batch=applied_import(province, board).pk)
    world.ids.update(bundle=province_bundle(province, board).pk)

    world.other_bloc = other_year(BlocFactory(province=province, number=2), by=board)
    world.users["outsider"] = world.other_bloc.pop("_leader")
    world.other_province = other_year(BlocFactory(province=other, number=1), by=other_board)
    world.other_province.pop("_leader")
    world.other_province.update(
        code=other.code,
        province=other.pk,
        import_batch=applied_import(other, other_board).pk,
        bundle=province_bundle(other, other_board).pk,
    )
    person = world.users["member"]
    world.ids["uidb64"] = urlsafe_base64_encode(force_bytes(person.pk))
    return world


def sign_in(world: World) -> None:
    """A session per user, committed with the world: a test sends its cookie instead of
    signing in again (see :func:`use_session`)."""
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def use_session(client, world: World, role: str) -> None:
    """Make ``client`` ``role``'s (the anonymous visitor has no session)."""
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]


#: Bloc A's documents of the done year.
DOCUMENTS = (
    "covenants:pdf",
    "covenants:mid_year_pdf",
    "covenants:ranking_pdf",
    "awards:minutes_pdf",
    "awards:counting_pdf",
    "awards:submission_pdf",
    "awards:report_pdf",
    "awards:achievement_pdf",
    "awards:dossier",
)


def issue_documents(world: World, names=DOCUMENTS) -> None:
    """Issue (number, render, store) bloc A's documents once, as its secretariat, so the
    pages serve the stored PDFs instead of rendering them again in every test."""
    client = Client()
    use_session(client, world, "secretariat")
    pk, year = world.ids["bloc"], YEARS["done"]
    extra = {
        "covenants:ranking_pdf": {"period": Period.YEAR_END},
        "awards:achievement_pdf": {"proposal": world.ids["done.proposal"]},
    }
    for name in names:
        kwargs = {"pk": pk, "year": year, **extra.get(name, {})}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)
    world.ids["token"] = _any_token()


def _any_token():
    from members.models import IssuedDocument

    return IssuedDocument.objects.order_by("pk").values_list("token", flat=True).first()
