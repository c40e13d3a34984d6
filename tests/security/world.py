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
    Attendance,
    AwardKind,
    BundleStatus,
    Conference,
    CountingMember,
    CountingRole,
    PollKind,
    ProvinceDossier,
    ReportStatus,
)
from blocs.models import BlocYear, Membership, SecretariatDelegation
from blocs.stages import Stage
from covenants.models import (
    CovenantAttachment,
    CovenantStatus,
    Evidence,
    MidYearReview,
    Period,
    ScoreLine,
    ScoreSheet,
)
from covenants.scores.sheets import sheets_open
from covenants.sheet_services import template_freeze_current
from members.importers import get_importer
from members.models import ImportBatch, ImportKind, ImportStatus
from tests.awards.factories import complete_conference, conference_year
from tests.awards.factories_documents import closed_poll, propose
from tests.awards.factories_polls import open_paper_flag_poll
from tests.blocs.factories import BlocFactory, BlocYearFactory, ready_bloc_year
from tests.covenants.factories import complete_covenant, valid_template
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    freeze_and_sign,
    hold_mid_year,
    leader_of,
    officer_of,
)
from tests.members.factories import BoardUserFactory, ProvinceFactory, UserFactory

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

#: Bloc A's years by the stage they stand at.
YEARS = {"done": 2025, "live": 2026, "scoring": 2027, "running": 2028, "signing": 2029}
YEARS["setup"] = 2030

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

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


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


# Bloc-years ------------------------------------------------------------------------------


def _year_like(first: BlocYear, year: int, stage: str) -> BlocYear:
    """Another year of ``first``'s bloc with the same members and officers, its covenant
    and scoring sheet drafted, at ``stage``."""
    bloc_year = BlocYearFactory(bloc=first.bloc, year=year)
    for membership in first.memberships.order_by("pk"):
        Membership.objects.create(
            bloc_year=bloc_year, agency=membership.agency, role=membership.role
        )
    complete_covenant(bloc_year)
    valid_template(bloc_year)
    if stage not in (Stage.SETUP, Stage.SIGNING):
        freeze_and_sign(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    bloc_year.refresh_from_db()
    return bloc_year


def _agencies(bloc_year) -> list:
    """Chair, vice-chair, then the members, in membership order."""
    return [m.agency for m in bloc_year.memberships.select_related("agency").order_by("pk")]


def _line(bloc_year, agency, period=Period.YEAR_END) -> ScoreLine:
    return ScoreLine.objects.filter(
        sheet__bloc_year=bloc_year, sheet__period=period, sheet__agency=agency
    ).first()


def _evidence(line, by) -> Evidence:
    evidence = Evidence(
        line=line,
        original_name="Quyết định khen thưởng.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=by,
    )
    evidence.file.save("minh-chung.pdf", ContentFile(PDF), save=False)
    evidence.save()
    return evidence


def _attachment(bloc_year) -> CovenantAttachment:
    attachment = CovenantAttachment(covenant=bloc_year.covenant, title="Quy chế chấm điểm")
    attachment.file.save("quy-che.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def _delegation(bloc_year, user, by) -> SecretariatDelegation:
    return SecretariatDelegation.objects.create(bloc_year=bloc_year, user=user, granted_by=by)


def _done_year(bloc, *, members: int) -> BlocYear:
    """A 2025 year with its scores final and published, its mid-year review held, its
    conference confirmed with a flag proposal, at "proposals submitted"."""
    bloc_year = conference_year(members=members, bloc=bloc, year=YEARS["done"])
    hold_mid_year(bloc_year)
    complete_conference(bloc_year)
    # The factory names a signed copy it does not store; the dossier packs it.
    report = AchievementReport.objects.get(proposal__bloc_year=bloc_year)
    report.signed_file.save("signed.pdf", ContentFile(PDF))
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SUBMITTED)
    bloc_year.refresh_from_db()
    return bloc_year


def _conference_record(bloc_year, agencies) -> None:
    """What the documents read: the record, the register, the committee, closed polls."""
    Conference.objects.filter(bloc_year=bloc_year).update(
        place="Hội trường Sở",
        chaired_by="Nguyễn Văn Hùng, Giám đốc",
        secretary="Trần Thị Thủy, chuyên viên",
        minutes_number="05/BB-KTĐ",
    )
    conference = Conference.objects.get(bloc_year=bloc_year)
    for agency in agencies:
        Attendance.objects.create(
            conference=conference,
            agency=agency,
            representative_name=f"Đại biểu {agency.short_name}",
            representative_title="Giám đốc",
        )
    for order, role in enumerate((CountingRole.HEAD, CountingRole.MEMBER), start=1):
        CountingMember.objects.create(
            conference=conference,
            full_name=f"Thành viên {order}",
            role=role,
            order=order,
            agency=agencies[order],
        )


# Province-wide rows ----------------------------------------------------------------------


def _import_batch(province, by) -> ImportBatch:
    """An applied people file: its preview and file open, applying it again is refused."""
    content = get_importer(ImportKind.PEOPLE).template()
    return ImportBatch.objects.create(
        province=province,
        kind=ImportKind.PEOPLE,
        file_name="can-bo.xlsx",
        content=content,
        sha256="0" * 64,
        uploaded_by=by,
        status=ImportStatus.APPLIED,
        applied_at=timezone.now(),
    )


def _bundle(province, by) -> ProvinceDossier:
    content = b"PK-bundle"
    dossier = ProvinceDossier(
        province=province,
        year=YEARS["done"],
        requested_by=by,
        status=BundleStatus.READY,
        blocs_total=1,
        blocs_done=1,
        size=len(content),
        sha256="1" * 64,
        finished_at=timezone.now(),
    )
    dossier.file.save("bundle.zip", ContentFile(content), save=False)
    dossier.save()
    return dossier


# Bloc A -----------------------------------------------------------------------------------


def _focal_bloc(province, world: World) -> None:
    ids = world.ids
    done = _done_year(BlocFactory(province=province, number=1), members=4)
    chair, vice, agency, peer = _agencies(done)
    secretariat = officer_of(chair)
    member = leader_of(agency)
    person = officer_of(agency)
    # Not a role of the access table: the one who lends the secretariat's rights.
    world.users.update(secretariat=secretariat, member=member, chair_leader=leader_of(chair))
    _conference_record(done, [chair, vice, agency, peer])
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
            "done.attachment": _attachment(done).pk,
            "done.line": _line(done, agency).pk,
            "done.evidence": _evidence(_line(done, agency), member).pk,
            "done.poll": flag.pk,
            "done.proposal": proposal.pk,
        }
    )

    live = _year_like(done, YEARS["live"], Stage.CONFERENCE)
    poll = open_paper_flag_poll(live, [chair, vice, agency, peer])
    poll.candidates.create(agency=chair, rank=1, score=Decimal("90"))
    ids.update(
        {
            "live.membership": live.memberships.get(agency=agency).pk,
            "live.delegation": _delegation(live, officer_of(peer), world.users["chair_leader"]).pk,
            "live.poll": poll.pk,
        }
    )

    scoring = _year_like(done, YEARS["scoring"], Stage.SCORING)
    sheets_open(bloc_year=scoring, period=Period.YEAR_END)
    ready = ScoreSheet.objects.get(bloc_year=scoring, period=Period.YEAR_END, agency=peer)
    fill_review(fill_self(ready))
    line = _line(scoring, agency)
    ids.update({"scoring.line": line.pk, "scoring.evidence": _evidence(line, member).pk})

    running = _year_like(done, YEARS["running"], Stage.IN_PROGRESS)
    MidYearReview.objects.create(
        bloc_year=running, held_on=timezone.localdate(), place="Hội trường", host_agency=chair
    )

    signing = _year_like(done, YEARS["signing"], Stage.SIGNING)
    template_freeze_current(bloc_year=signing)
    type(signing.covenant).objects.filter(pk=signing.covenant.pk).update(status=CovenantStatus.OPEN)
    _year_like(done, YEARS["setup"], Stage.SETUP)


def _other_year(bloc, *, by) -> dict:
    """The same kinds of objects as bloc A's, in another bloc, for the id swaps: a 2025
    year with its year-end sheets, one evidence file, a covenant attachment, a closed
    poll, a confirmed conference with a proposal, a delegation (nothing filled in)."""
    bloc_year = ready_bloc_year(members=3, bloc=bloc, year=YEARS["done"])
    freeze_and_sign(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SUBMITTED)
    bloc_year.refresh_from_db()
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
    chair, _vice, agency = _agencies(bloc_year)
    complete_conference(bloc_year)
    leader = leader_of(agency)
    line = _line(bloc_year, agency)
    return {
        "bloc": bloc.pk,
        "agency": agency.pk,
        "ready_agency": agency.pk,
        "person": officer_of(agency).pk,
        "membership": bloc_year.memberships.get(agency=agency).pk,
        "attachment": _attachment(bloc_year).pk,
        "line": line.pk,
        "evidence": _evidence(line, leader).pk,
        "poll": closed_poll(bloc_year, PollKind.FLAG, votes={chair: 3}, elected=[chair]).pk,
        "proposal": bloc_year.proposals.get().pk,
        "delegation": _delegation(bloc_year, officer_of(chair), by).pk,
        "_leader": leader,
    }


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
    world.ids.update(import_batch=_import_batch(province, board).pk)
    world.ids.update(bundle=_bundle(province, board).pk)

    world.other_bloc = _other_year(BlocFactory(province=province, number=2), by=board)
    world.users["outsider"] = world.other_bloc.pop("_leader")
    world.other_province = _other_year(BlocFactory(province=other, number=1), by=other_board)
    world.other_province.pop("_leader")
    world.other_province.update(
        code=other.code,
        province=other.pk,
        import_batch=_import_batch(other, other_board).pk,
        bundle=_bundle(other, other_board).pk,
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
