"""A bloc-year with a row of every kind the archive holds.

:func:`rich_bloc_year` starts from the documents' conference (:func:`documents_year`:
scores final and published, attendance, counting committee, closed polls with their outcome,
proposals) and adds what the year's other stages leave: the mid-year review, a member
renamed during the year, delegations, stage and deadline trails, reminders, attachments and
evidence files, initiatives, rules and eligibility, ballot participation, confirmed results,
a signed achievement report, the board's decisions, the flag handover and issued documents
(two builds of one). Rows are written directly, like the other factories.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from awards.models import (
    AwardKind,
    AwardProposal,
    BallotParticipation,
    ConferenceEvent,
    DecisionOutcome,
    Eligibility,
    FlagHandover,
    Poll,
    PollKind,
    ProposalDecision,
    TaskCompletion,
    VotingRules,
)
from blocs.models import (
    BlocYear,
    BlocYearDeadline,
    DeadlineChange,
    DeadlineKind,
    MemberRole,
    Membership,
    ReminderLog,
    ReminderStage,
    SecretariatDelegation,
    StageChange,
)
from blocs.stages import Stage
from covenants.issuing import bloc_document_key
from covenants.models import (
    CovenantAttachment,
    CovenantEvent,
    CriterionKind,
    Evidence,
    Initiative,
    InitiativeLevel,
    Period,
    ScoreEvent,
    ScoreLine,
    ScoringCriterion,
    ScoringSettings,
    ScoringYearEvent,
    Signature,
    SignatureMethod,
    SignatureStatus,
)
from covenants.models.sheet import TemplateStatus
from members.documents import issue_pdf
from members.models import Agency, DocType
from tests.awards.bundle_helpers import signed_report
from tests.awards.factories_documents import confirm, documents_year, members_in_order
from tests.covenants.factories_score import hold_mid_year
from tests.members.factories import UserFactory

__all__ = ["MISSING_ATTACHMENT", "rich_bloc_year"]

PDF = b"%PDF-1.4\n% evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
#: An attachment row whose file is not in storage: exported as missing, restored as named.
MISSING_ATTACHMENT = "covenants/lost/quy-che-cu.pdf"


def _rename_last_member(bloc_year) -> Agency:
    """The last member is renamed on 01/07: the old row ends and points to a successor with
    the same code, which joins the bloc that day (as :mod:`blocs.services.succession`)."""
    old = members_in_order(bloc_year)[-1]
    day = datetime.date(bloc_year.year, 7, 1)
    Agency.objects.filter(pk=old.pk).update(is_active=False, ended_on=day)
    new = Agency.objects.create(
        province=old.province, code=old.code, name=f"{old.name} (tên mới)", short_name="Mới"
    )
    Agency.objects.filter(pk=old.pk).update(successor=new)
    Membership.objects.filter(bloc_year=bloc_year, agency=old).update(left_on=day)
    Membership.objects.create(bloc_year=bloc_year, agency=new, joined_on=day)
    return new


def _trails(bloc_year, actor, agencies) -> None:
    helper = UserFactory(agency=agencies[3], agency_role="officer")
    SecretariatDelegation.objects.create(
        bloc_year=bloc_year,
        user=helper,
        granted_by=actor,
        granted_at=timezone.now() - datetime.timedelta(days=30),
        revoked_at=timezone.now() - datetime.timedelta(days=2),
        revoked_by=actor,
    )
    SecretariatDelegation.objects.create(bloc_year=bloc_year, user=helper, granted_by=actor)
    for source, target in ((Stage.SETUP, Stage.SIGNING), (Stage.SUBMITTED, Stage.CLOSED)):
        StageChange.objects.create(
            bloc_year=bloc_year,
            transition="t",
            from_stage=source,
            to_stage=target,
            actor=actor,
            note="Chuyển giai đoạn",
        )
    day = datetime.date(bloc_year.year, 3, 20)
    BlocYearDeadline.objects.create(bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=day)
    DeadlineChange.objects.create(
        province=bloc_year.bloc.province,
        bloc_year=bloc_year,
        kind=DeadlineKind.SIGNING,
        before="",
        after=day.isoformat(),
        actor=actor,
    )
    for agency in (agencies[2], None):
        ReminderLog.objects.create(
            bloc_year=bloc_year,
            kind=DeadlineKind.SIGNING,
            agency=agency,
            recipient=actor,
            stage=ReminderStage.OVERDUE,
            deadline=day,
            sent_on=day + datetime.timedelta(days=1),
        )
    ConferenceEvent.objects.create(bloc_year=bloc_year, action="confirmed", actor=actor)
    ScoringYearEvent.objects.create(
        bloc_year=bloc_year, subject="mid_year", action="held", actor=actor
    )


def _covenant(bloc_year, actor, agencies) -> None:
    covenant = bloc_year.covenant
    attachment = CovenantAttachment(covenant=covenant, title="Quy chế hoạt động")
    attachment.file.save("quy-che.pdf", ContentFile(PDF + b"quy che"), save=False)
    attachment.save()
    CovenantAttachment.objects.create(covenant=covenant, title="Bản cũ", file=MISSING_ATTACHMENT)
    Signature.objects.filter(covenant=covenant, agency=agencies[1]).update(
        voided_at=timezone.now(), void_reason="Mở lại giao ước"
    )
    Signature.objects.create(
        covenant=covenant,
        agency=agencies[1],
        status=SignatureStatus.SIGNED,
        method=SignatureMethod.APP,
        signer_name="Lê Văn Ký",
        signer_title="Giám đốc",
        recorded_by=actor,
    )
    CovenantEvent.objects.create(
        covenant=covenant,
        action="reopen",
        from_status="open",
        to_status="draft",
        actor=actor,
        note="Sửa nội dung",
    )


def _scores(bloc_year, actor, agencies) -> None:
    template = bloc_year.scoring_templates.get(status=TemplateStatus.FROZEN)
    count_line = ScoringCriterion.objects.filter(
        group__template=template, kind=CriterionKind.COUNT
    ).first()
    assert count_line is not None
    ScoringSettings.objects.update_or_create(
        bloc_year=bloc_year,
        defaults={
            "year_end_deadline": datetime.date(bloc_year.year, 11, 30),
            "late_deduction": Decimal("1.50"),
            "grassroots_initiatives_criterion": count_line,
        },
    )
    lines = ScoreLine.objects.filter(
        sheet__bloc_year=bloc_year, sheet__period=Period.YEAR_END
    ).order_by("pk")[:2]
    for line, (name, content, kind) in zip(
        lines,
        [("bao-cao.pdf", PDF, "application/pdf"), ("anh.png", PNG, "image/png")],
        strict=True,
    ):
        evidence = Evidence(
            line=line,
            original_name=f"Minh chứng {name}",
            content_type=kind,
            size=len(content),
            uploaded_by=actor,
        )
        evidence.file.save(name, ContentFile(content), save=False)
        evidence.save()
        ScoreEvent.objects.create(
            sheet=line.sheet,
            line=line,
            action="changed",
            field="self",
            old_value=Decimal("1.25"),
            new_value=line.self_value,
            actor=actor,
        )
        ScoreEvent.objects.create(sheet=line.sheet, action="submit", actor=actor)
    for level, count in ((InitiativeLevel.GRASSROOTS, 130), (InitiativeLevel.PROVINCIAL, 6)):
        Initiative.objects.create(
            bloc_year=bloc_year,
            agency=agencies[0],
            level=level,
            count=count,
            decisions="Quyết định 12/QĐ-SYT",
            updated_by=actor,
        )


def _conference(bloc_year, actor, agencies) -> None:
    VotingRules.objects.update_or_create(
        bloc_year=bloc_year, defaults={"frozen_at": timezone.now(), "max_rounds": 3}
    )
    for agency, completion in zip(agencies[:2], TaskCompletion.values, strict=False):
        Eligibility.objects.create(
            bloc_year=bloc_year,
            agency=agency,
            task_completion=completion,
            note="Đủ điều kiện",
            updated_by=actor,
        )
    flag = Poll.objects.get(bloc_year=bloc_year, kind=PollKind.FLAG)
    for agency in agencies[:-1]:
        BallotParticipation.objects.create(poll=flag, agency=agency)
    confirm(bloc_year, by=actor)
    report = signed_report(bloc_year)
    for proposal, outcome in zip(
        AwardProposal.objects.filter(bloc_year=bloc_year).order_by("pk"),
        (DecisionOutcome.APPROVED, DecisionOutcome.NOT_APPROVED),
        strict=True,
    ):
        approved = outcome == DecisionOutcome.APPROVED
        ProposalDecision.objects.create(
            proposal=proposal,
            outcome=outcome,
            number="1234/QĐ-UBND" if approved else "",
            reason="" if approved else "Chưa đủ tiêu chuẩn",
            decided_on=datetime.date(bloc_year.year + 1, 2, 1),
            decided_by=actor,
        )
    conference = bloc_year.conference
    FlagHandover.objects.create(
        bloc_year=bloc_year,
        handed_on=conference.held_on,
        outgoing=bloc_year.chair,
        incoming=conference.next_chair,
        recorded_by=actor,
    )
    _issue(bloc_year, report.proposal, actor)


def _issue(bloc_year, proposal, actor) -> None:
    """Issued documents through the register's own service, with a stand-in renderer: the
    minutes twice (two builds of one number) and the nominee's achievement report."""
    chair, held_on = bloc_year.chair, bloc_year.conference.held_on

    def fake_pdf(context):
        return PDF + repr(sorted(context.items(), key=lambda i: i[0])).encode()

    for version in ("first", "second"):
        issue_pdf(
            agency=chair,
            year=bloc_year.year,
            doc_type=DocType.MINUTES,
            key=bloc_document_key(bloc_year, "minutes"),
            title="Biên bản hội nghị",
            issued_on=held_on,
            render=fake_pdf,
            context={"version": version},
            actor=actor,
            issuer_code=f"KTĐ{bloc_year.bloc.number}",
        )
    issue_pdf(
        agency=proposal.agency,
        year=bloc_year.year,
        doc_type=DocType.REPORT,
        key=f"blocyear:{bloc_year.pk}:achievement:{proposal.pk}",
        title="Báo cáo thành tích",
        issued_on=held_on,
        render=fake_pdf,
        context={},
        actor=actor,
    )


def rich_bloc_year() -> BlocYear:
    """A closed bloc-year holding a row of every model of the archive graph."""
    bloc_year = documents_year(members=6)
    agencies = members_in_order(bloc_year)
    actor = UserFactory(agency=agencies[0], agency_role="officer", full_name="Trần Thư Ký")
    hold_mid_year(bloc_year, by=actor)
    _rename_last_member(bloc_year)
    _trails(bloc_year, actor, agencies)
    _covenant(bloc_year, actor, agencies)
    _scores(bloc_year, actor, agencies)
    _conference(bloc_year, actor, agencies)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED, theme="Đoàn kết")
    assert MemberRole.CHAIR in bloc_year.memberships.values_list("role", flat=True)
    assert AwardProposal.objects.filter(bloc_year=bloc_year, award=AwardKind.FLAG).exists()
    return BlocYear.objects.get(pk=bloc_year.pk)
