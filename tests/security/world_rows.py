"""The rows the security world is made of (:mod:`.world`), also built by the query
budgets' world (:mod:`tests.performance.world`): other years of a bloc, score lines and
their evidence, attachments, delegations, a finished year, a conference record, the
province-wide import and dossier, and a year of another bloc for the id swaps."""

from django.core.files.base import ContentFile
from django.utils import timezone

from awards.models import (
    AchievementReport,
    Attendance,
    BundleStatus,
    Conference,
    CountingMember,
    CountingRole,
    PollKind,
    ProvinceDossier,
)
from blocs.models import BlocYear, Membership, SecretariatDelegation
from blocs.stages import Stage
from covenants.models import (
    CovenantAttachment,
    Evidence,
    Period,
    ScoreLine,
)
from covenants.scores.sheets import sheets_open
from members.importers import get_importer
from members.models import ImportBatch, ImportKind, ImportStatus
from tests.awards.factories import complete_conference, conference_year
from tests.awards.factories_documents import closed_poll
from tests.blocs.factories import BlocYearFactory, ready_bloc_year
from tests.covenants.factories import complete_covenant, valid_template
from tests.covenants.factories_score import (
    freeze_and_sign,
    hold_mid_year,
    leader_of,
    officer_of,
)

__all__ = [
    "PDF",
    "YEARS",
    "agencies_of",
    "applied_import",
    "attachment_of",
    "conference_record",
    "delegation_to",
    "done_year",
    "evidence_on",
    "other_year",
    "province_bundle",
    "score_line",
    "year_like",
]

#: The bytes of every stored file of the world: a PDF reader accepts them.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

#: Bloc A's years by the stage they stand at.
YEARS = {"done": 2025, "live": 2026, "scoring": 2027, "running": 2028, "signing": 2029}
YEARS["setup"] = 2030


# Bloc-years ------------------------------------------------------------------------------


def year_like(first: BlocYear, year: int, stage: str) -> BlocYear:
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


def agencies_of(bloc_year) -> list:
    """Chair, vice-chair, then the members, in membership order."""
    return [m.agency for m in bloc_year.memberships.select_related("agency").order_by("pk")]


def score_line(bloc_year, agency, period=Period.YEAR_END) -> ScoreLine:
    return ScoreLine.objects.filter(
        sheet__bloc_year=bloc_year, sheet__period=period, sheet__agency=agency
    ).first()


def evidence_on(line, by) -> Evidence:
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


def attachment_of(bloc_year) -> CovenantAttachment:
    attachment = CovenantAttachment(covenant=bloc_year.covenant, title="Quy chế chấm điểm")
    attachment.file.save("quy-che.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def delegation_to(bloc_year, user, by) -> SecretariatDelegation:
    return SecretariatDelegation.objects.create(bloc_year=bloc_year, user=user, granted_by=by)


def done_year(bloc, *, members: int) -> BlocYear:
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


def conference_record(bloc_year, agencies) -> None:
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


def applied_import(province, by) -> ImportBatch:
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


def province_bundle(province, by) -> ProvinceDossier:
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


def other_year(bloc, *, by) -> dict:
    """The same kinds of objects as bloc A's, in another bloc, for the id swaps: a 2025
    year with its year-end sheets, one evidence file, a covenant attachment, a closed
    poll, a confirmed conference with a proposal, a delegation (nothing filled in)."""
    bloc_year = ready_bloc_year(members=3, bloc=bloc, year=YEARS["done"])
    freeze_and_sign(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SUBMITTED)
    bloc_year.refresh_from_db()
    sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
    chair, _vice, agency = agencies_of(bloc_year)
    complete_conference(bloc_year)
    leader = leader_of(agency)
    line = score_line(bloc_year, agency)
    return {
        "bloc": bloc.pk,
        "agency": agency.pk,
        "ready_agency": agency.pk,
        "person": officer_of(agency).pk,
        "membership": bloc_year.memberships.get(agency=agency).pk,
        "attachment": attachment_of(bloc_year).pk,
        "line": line.pk,
        "evidence": evidence_on(line, leader).pk,
        "poll": closed_poll(bloc_year, PollKind.FLAG, votes={chair: 3}, elected=[chair]).pk,
        "proposal": bloc_year.proposals.get().pk,
        "delegation": delegation_to(bloc_year, officer_of(chair), by).pk,
        "_leader": leader,
    }
