"""Every write to a bloc-year, as (name, call(world)), for tests/test_closed_year.py:
each service module's public mutating functions with the arguments a real page
would pass, against the closed world built there."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import achievements, conference, outcomes, paper, rules, voting
from awards import documents as award_documents
from blocs import services as bloc_services
from blocs.deadlines import services as deadline_services
from blocs.imports import apply_bloc_members_import
from blocs.models import DeadlineKind
from covenants import services as covenant_services
from covenants import sheet_services
from covenants.models import Period
from covenants.scores import excel as score_excel
from covenants.scores import initiatives, mid_year, publication, review
from covenants.scores import services as score_services
from covenants.sheet_excel.reading import template_import
from tests.blocs.member_files import members_file

__all__ = ["PDF", "WRITES"]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(name="signed.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _members_row(w, role="Thành viên"):
    return members_file(
        [[w.bloc_year.year, w.bloc_year.bloc.number, w.member.agency.code, role, None, None]]
    )


#: Every write to a bloc-year, as (name, call(world)).
WRITES = [
    *(
        (name, lambda w, service=service: service(bloc_year=w.bloc_year, actor=w.board))
        for name, service in bloc_services.TRANSITION_SERVICES.items()
    ),
    (
        "bloc_year_update",
        lambda w: bloc_services.bloc_year_update(
            bloc_year=w.bloc_year, actor=w.board, data={"theme": "Mới"}
        ),
    ),
    (
        "bloc_year_set_officers",
        lambda w: bloc_services.bloc_year_set_officers(
            bloc_year=w.bloc_year, actor=w.board, chair=w.vice, vice_chair=w.chair
        ),
    ),
    (
        "membership_add",
        lambda w: bloc_services.membership_add(
            bloc_year=w.bloc_year, actor=w.board, agency=w.newcomer
        ),
    ),
    (
        "membership_update",
        lambda w: bloc_services.membership_update(
            membership=w.member,
            actor=w.board,
            joined_on=None,
            left_on=datetime.date(w.bloc_year.year, 6, 1),
        ),
    ),
    (
        "membership_remove",
        lambda w: bloc_services.membership_remove(membership=w.member, actor=w.board),
    ),
    (
        "bloc_members_import",
        lambda w: apply_bloc_members_import(
            _members_row(w, "Khối phó"), province=w.bloc_year.bloc.province, actor=w.board
        ),
    ),
    (
        "delegation_grant",
        lambda w: bloc_services.delegation_grant(
            bloc_year=w.bloc_year, user=w.leader, actor=w.chair_leader
        ),
    ),
    (
        "delegation_revoke",
        lambda w: bloc_services.delegation_revoke(delegation=w.delegation, actor=w.chair_leader),
    ),
    (
        "year_deadline_set",
        lambda w: deadline_services.year_deadline_set(
            bloc_year=w.bloc_year,
            kind=DeadlineKind.DOSSIER,
            date=datetime.date(w.bloc_year.year, 12, 1),
            actor=w.board,
        ),
    ),
    (
        "year_deadline_clear",
        lambda w: deadline_services.year_deadline_clear(
            bloc_year=w.bloc_year, kind=DeadlineKind.SIGNING, actor=w.board
        ),
    ),
    # The covenant and its scoring sheet.
    (
        "covenant_create",
        lambda w: covenant_services.covenant_create(bloc_year=w.bloc_year, actor=w.secretariat),
    ),
    (
        "covenant_update",
        lambda w: covenant_services.covenant_update(
            covenant=w.covenant, actor=w.secretariat, data={"theme": "Mới"}
        ),
    ),
    (
        "commitments_replace",
        lambda w: covenant_services.commitments_replace(
            covenant=w.covenant, actor=w.secretariat, commitments=[{"text": "Mới"}]
        ),
    ),
    (
        "covenant_open",
        lambda w: covenant_services.covenant_open(covenant=w.covenant, actor=w.secretariat),
    ),
    (
        "covenant_reopen",
        lambda w: covenant_services.covenant_reopen(
            covenant=w.covenant, actor=w.secretariat, reason="Sửa"
        ),
    ),
    (
        "covenant_sign",
        lambda w: covenant_services.covenant_sign(
            covenant=w.covenant, agency=w.member.agency, actor=w.leader
        ),
    ),
    (
        "signature_record_paper",
        lambda w: covenant_services.signature_record_paper(
            covenant=w.covenant,
            agency=w.member.agency,
            actor=w.secretariat,
            signer_name="Lê Văn A",
            signer_title="Giám đốc",
        ),
    ),
    (
        "signature_record_unable",
        lambda w: covenant_services.signature_record_unable(
            covenant=w.covenant, agency=w.member.agency, actor=w.secretariat, reason="Sáp nhập"
        ),
    ),
    (
        "attachment_add",
        lambda w: covenant_services.attachment_add(
            covenant=w.covenant, actor=w.secretariat, title="Kế hoạch", file=_upload()
        ),
    ),
    (
        "template_create",
        lambda w: sheet_services.template_create(bloc_year=w.bloc_year, actor=w.secretariat),
    ),
    (
        "template_copy_from_previous",
        lambda w: sheet_services.template_copy_from_previous(
            bloc_year=w.bloc_year, actor=w.secretariat
        ),
    ),
    (
        "template_new_version",
        lambda w: sheet_services.template_new_version(bloc_year=w.bloc_year, actor=w.secretariat),
    ),
    (
        "template_replace_content",
        lambda w: sheet_services.template_replace_content(
            template=w.template, actor=w.secretariat, draft=w.template.to_draft()
        ),
    ),
    (
        "template_discard_draft",
        lambda w: sheet_services.template_discard_draft(template=w.template, actor=w.secretariat),
    ),
    (
        "template_import",
        lambda w: template_import(template=w.template, content=b"", actor=w.secretariat),
    ),
    # Scores.
    (
        "self_scores_save",
        lambda w: score_services.self_scores_save(
            sheet=w.sheet, actor=w.leader, entries={w.line.key: {"explanation": "Mới"}}
        ),
    ),
    ("sheet_submit", lambda w: score_services.sheet_submit(sheet=w.sheet, actor=w.leader)),
    (
        "sheet_import",
        lambda w: score_excel.sheet_import(sheet=w.sheet, content=b"", actor=w.leader),
    ),
    (
        "evidence_add",
        lambda w: score_services.evidence_add(line=w.line, actor=w.leader, file=_upload()),
    ),
    (
        "evidence_remove",
        lambda w: score_services.evidence_remove(evidence=w.evidence, actor=w.leader),
    ),
    (
        "period_open_missing",
        lambda w: score_services.period_open_missing(
            bloc_year=w.bloc_year, period=Period.YEAR_END, actor=w.secretariat
        ),
    ),
    (
        "reviewers_assign",
        lambda w: review.reviewers_assign(
            bloc_year=w.bloc_year, period=Period.YEAR_END, actor=w.secretariat, mode="secretariat"
        ),
    ),
    ("review_save", lambda w: review.review_save(sheet=w.sheet, actor=w.secretariat, entries={})),
    ("review_submit", lambda w: review.review_submit(sheet=w.sheet, actor=w.secretariat)),
    (
        "sheet_return",
        lambda w: review.sheet_return(sheet=w.sheet, actor=w.secretariat, reason="Sửa"),
    ),
    (
        "final_scores_save",
        lambda w: review.final_scores_save(sheet=w.sheet, actor=w.secretariat, entries={}),
    ),
    ("final_prefill", lambda w: review.final_prefill(sheet=w.sheet, actor=w.secretariat)),
    ("sheet_finalize", lambda w: review.sheet_finalize(sheet=w.sheet, actor=w.secretariat)),
    (
        "ranking_publish",
        lambda w: publication.ranking_publish(
            bloc_year=w.bloc_year, period=Period.YEAR_END, actor=w.secretariat
        ),
    ),
    (
        "initiatives_set",
        lambda w: initiatives.initiatives_set(
            bloc_year=w.bloc_year,
            agency=w.member.agency,
            actor=w.leader,
            grassroots=1,
            provincial=0,
            decisions="",
        ),
    ),
    (
        "scoring_settings_update",
        lambda w: mid_year.scoring_settings_update(
            bloc_year=w.bloc_year, actor=w.secretariat, data={"require_evidence": False}
        ),
    ),
    (
        "mid_year_review_save",
        lambda w: mid_year.mid_year_review_save(
            bloc_year=w.bloc_year, actor=w.secretariat, data={"place": "Mới"}
        ),
    ),
    (
        "mid_year_review_hold",
        lambda w: mid_year.mid_year_review_hold(bloc_year=w.bloc_year, actor=w.secretariat),
    ),
    (
        "mid_year_review_reopen",
        lambda w: mid_year.mid_year_review_reopen(
            bloc_year=w.bloc_year, actor=w.secretariat, reason="Sửa"
        ),
    ),
    # The conference, its polls and what it decided.
    (
        "conference_save",
        lambda w: conference.conference_save(
            bloc_year=w.bloc_year, actor=w.secretariat, data={"place": "Mới"}
        ),
    ),
    (
        "attendance_set",
        lambda w: conference.attendance_set(bloc_year=w.bloc_year, actor=w.secretariat, rows=[]),
    ),
    (
        "committee_set",
        lambda w: conference.committee_set(bloc_year=w.bloc_year, actor=w.secretariat, members=[]),
    ),
    (
        "voting_rules_update",
        lambda w: rules.voting_rules_update(
            bloc_year=w.bloc_year, actor=w.secretariat, data={"max_rounds": 3}
        ),
    ),
    (
        "eligibility_set",
        lambda w: rules.eligibility_set(bloc_year=w.bloc_year, actor=w.secretariat, rows={}),
    ),
    (
        "poll_create",
        lambda w: voting.poll_create(bloc_year=w.bloc_year, actor=w.secretariat, kind="flag"),
    ),
    ("poll_open", lambda w: voting.poll_open(poll=w.poll, actor=w.secretariat)),
    ("vote_cast", lambda w: voting.vote_cast(poll=w.poll, actor=w.leader, choices=[])),
    ("poll_close", lambda w: voting.poll_close(poll=w.poll, actor=w.secretariat)),
    ("next_round_create", lambda w: voting.next_round_create(poll=w.poll, actor=w.secretariat)),
    (
        "paper_count_enter",
        lambda w: paper.paper_count_enter(
            poll=w.poll, actor=w.secretariat, issued=4, returned=4, invalid=0, votes={}
        ),
    ),
    (
        "results_confirm",
        lambda w: outcomes.results_confirm(
            bloc_year=w.bloc_year, actor=w.secretariat, reasons={}, decisions={}
        ),
    ),
    (
        "handover_record",
        lambda w: outcomes.handover_record(
            bloc_year=w.bloc_year, actor=w.secretariat, handed_on=timezone.localdate()
        ),
    ),
    (
        "achievement_draft",
        lambda w: achievements.achievement_draft(proposal=w.proposal, actor=w.secretariat),
    ),
    (
        "achievement_update",
        lambda w: achievements.achievement_update(report=w.report, actor=w.secretariat, text="x"),
    ),
    (
        "achievement_upload_signed",
        lambda w: achievements.achievement_upload_signed(
            report=w.report, actor=w.secretariat, file=_upload()
        ),
    ),
    (
        "achievement_check",
        lambda w: achievements.achievement_check(report=w.report, actor=w.secretariat),
    ),
    (
        "achievement_return",
        lambda w: achievements.achievement_return(report=w.report, actor=w.secretariat, reason="x"),
    ),
    (
        "summary_report_save",
        lambda w: award_documents.summary_report_save(
            bloc_year=w.bloc_year, actor=w.secretariat, data={"achievements": "Mới"}
        ),
    ),
]
