"""One province with a bloc-year at every stage a form is posted in, and the
people who post them: the world the form fuzzing runs against.

Built once per module (it takes a few seconds) through the test factories
and, where the state matters, the real services; every fuzzing example runs
in a savepoint rolled back afterwards, so all of them see this same world.
"""

import datetime
from types import SimpleNamespace

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from awards.models import (
    AchievementReport,
    AwardKind,
    AwardProposal,
    PollKind,
    PollMode,
    ReportStatus,
)
from blocs.models import BlocYear, MemberRole, SecretariatDelegation
from blocs.stages import Stage
from covenants.models import (
    Covenant,
    CovenantStatus,
    Evidence,
    MidYearReview,
    Period,
    ScoreSheet,
)
from covenants.sheet_services import template_freeze_current
from members.models import ImportBatch, ImportKind
from members.models_documents import DocType, IssuedDocument, RegisterEntry
from members.tokens import invitation_token_generator
from tests.awards.factories import complete_conference, conference_year, leaders_of
from tests.awards.voting_factories import open_poll, register
from tests.blocs.factories import ready_bloc_year
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import (
    AgencyFactory,
    AgencyStaffFactory,
    BoardUserFactory,
    ProvinceFactory,
    UserFactory,
)

__all__ = ["build_world"]


def _members(bloc_year):
    return [
        m.agency
        for m in bloc_year.memberships.filter(role=MemberRole.MEMBER)
        .select_related("agency")
        .order_by("pk")
    ]


def _year(number, builder, province, **kwargs):
    bloc_year = builder(bloc__province=province, bloc__number=number, **kwargs)
    return BlocYear.objects.select_related("bloc").get(pk=bloc_year.pk)


def _signing(province):
    bloc_year = _year(2, ready_bloc_year, province, members=5)
    template_freeze_current(bloc_year=bloc_year)
    Covenant.objects.filter(bloc_year=bloc_year).update(status=CovenantStatus.OPEN)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    bloc_year.refresh_from_db()
    return bloc_year


def _sheet(bloc_year, period, agency):
    return ScoreSheet.objects.get(bloc_year=bloc_year, period=period, agency=agency)


def _invitation(user, generator) -> dict:
    """The arguments of a one-time link (invitation or password reset)."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": generator.make_token(user),
    }


def build_world() -> SimpleNamespace:
    province = ProvinceFactory(code="tinh-fuzz", name="Tỉnh Thử nghiệm")
    w = SimpleNamespace(province=province)
    w.board = BoardUserFactory(board_province=province)
    w.admin = UserFactory(is_superuser=True, is_staff=True)
    w.outside_agency = AgencyFactory(province=province)

    # Set-up: covenant and scoring sheet drafts, officers, members.
    w.setup = _year(1, ready_bloc_year, province, members=4)
    w.setup_secretariat = officer_of(w.setup.chair)
    w.setup_chair_leader = leader_of(w.setup.chair)
    w.membership = w.setup.memberships.filter(role=MemberRole.MEMBER).first()
    w.delegation = SecretariatDelegation.objects.create(
        bloc_year=w.setup, user=leader_of(w.outside_agency), granted_by=w.board
    )

    # Signing: the covenant open, nobody signed yet.
    w.signing = _signing(province)
    w.signing_secretariat = officer_of(w.signing.chair)
    w.signing_member = _members(w.signing)[0]
    w.signing_leader = leader_of(w.signing_member)

    # In progress: mid-year sheets open, one member's being filled in.
    w.progress = _year(3, scoring_year, province, stage=Stage.IN_PROGRESS, members=4)
    w.progress_secretariat = officer_of(w.progress.chair)
    w.progress_member = _members(w.progress)[0]
    w.progress_leader = leader_of(w.progress_member)
    w.progress_sheet = _sheet(w.progress, Period.MID_YEAR, w.progress_member)
    MidYearReview.objects.get_or_create(bloc_year=w.progress)

    # Year-end scoring: one sheet in draft, one submitted (to review), one
    # reviewed (to reconcile).
    w.scoring = _year(4, scoring_year, province, stage=Stage.SCORING, members=5)
    w.scoring_secretariat = officer_of(w.scoring.chair)
    draft, submitted, reviewed = _members(w.scoring)
    w.scoring_leader = leader_of(draft)
    w.scoring_staff = officer_of(draft)
    w.draft_sheet = _sheet(w.scoring, Period.YEAR_END, draft)
    w.submitted_sheet = fill_self(_sheet(w.scoring, Period.YEAR_END, submitted))
    w.reviewed_sheet = fill_review(fill_self(_sheet(w.scoring, Period.YEAR_END, reviewed)))
    w.draft_line = w.draft_sheet.lines.order_by("pk").first()
    w.evidence = Evidence.objects.create(
        line=w.draft_line,
        file="evidence/fuzz.pdf",
        original_name="minh-chung.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=w.scoring_staff,
    )

    # Conference: everyone registered, the flag poll open (electronic) in
    # one bloc, on paper in another.
    w.conference = _year(5, conference_year, province, members=5)
    w.conference_secretariat = officer_of(w.conference.chair)
    w.conference_leaders = leaders_of(w.conference)
    register(w.conference, w.conference_secretariat)
    w.flag_poll = open_poll(w.conference, w.conference_secretariat, kind=PollKind.FLAG)
    w.voter = next(iter(w.conference_leaders.values()))

    w.paper = _year(6, conference_year, province, members=5)
    w.paper_secretariat = officer_of(w.paper.chair)
    register(w.paper, w.paper_secretariat)
    w.paper_poll = open_poll(w.paper, w.paper_secretariat, mode=PollMode.PAPER)

    # Before the first poll: the register, the committee, the rules, the polls.
    w.preparing = _year(8, conference_year, province, members=4)
    w.preparing_secretariat = officer_of(w.preparing.chair)

    # Results confirmed: a flag proposal whose achievement report is a draft,
    # the handover still to record.
    w.confirmed = _year(7, conference_year, province, members=4)
    w.confirmed_secretariat = officer_of(w.confirmed.chair)
    complete_conference(w.confirmed, by=w.confirmed_secretariat)
    w.proposal = AwardProposal.objects.get(bloc_year=w.confirmed, award=AwardKind.FLAG)
    AchievementReport.objects.filter(proposal=w.proposal).update(
        status=ReportStatus.DRAFT, signed_file="", signed_name="", checked_at=None, checked_by=None
    )

    # Proposals submitted: the board decides on them.
    w.submitted = _year(9, conference_year, province, members=4)
    complete_conference(w.submitted)
    BlocYear.objects.filter(pk=w.submitted.pk).update(stage=Stage.SUBMITTED)
    w.submitted.refresh_from_db()
    w.submitted_proposal = AwardProposal.objects.get(bloc_year=w.submitted, award=AwardKind.FLAG)

    # People: someone invited who has not set a password, an import batch.
    w.invited = AgencyStaffFactory(agency=w.outside_agency, password=None)
    w.invited.set_unusable_password()
    w.invited.save()
    w.invitation = _invitation(w.invited, invitation_token_generator)
    w.reset_user = AgencyStaffFactory(agency=w.outside_agency)
    w.reset = _invitation(w.reset_user, default_token_generator)
    w.batch = ImportBatch.objects.create(
        province=province,
        kind=ImportKind.PEOPLE,
        content=b"not a workbook",
        file_name="x.xlsx",
        sha256="0" * 64,
        uploaded_by=w.board,
    )
    entry = RegisterEntry.objects.create(
        agency=w.setup.chair,
        year=w.setup.year,
        number=1,
        doc_type=DocType.MINUTES,
        key="fuzz",
        symbol="BB-KTĐ1",
        title="Biên bản hội nghị",
        issued_on=datetime.date(2026, 1, 15),
    )
    w.issued_token = IssuedDocument.objects.create(
        entry=entry, content_key="0" * 64, file="register/fuzz.pdf", sha256="1" * 64, size=9
    ).token
    return w
