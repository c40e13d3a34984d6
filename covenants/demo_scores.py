"""Demo scoring, through the real services (called by :mod:`covenants.demo`).

Past years (bloc 6: 2024, 2025; bloc 2: 2025) go the whole way: initiatives
registered, mid-year sheets submitted and the mid-year review held (minutes
PDF), year-end sheets self-scored with evidence, cross-reviewed (chấm
chéo), reconciled with reasons where the reviewer disagreed, made final,
and the ranking published (score-table PDF). Then their timestamps are moved
back to the dates they would have had.

A year walked to the year-end conference (bloc 6, 2026) is scored the whole
way too. A year left at scoring (bloc 2, 2026; today is late November) stops
in the middle: some sheets final, some waiting for their review, one member
half-way through its self-scores with one evidence file, one not started,
and the ranking not yet published.

Scores are deterministic: each agency has a "strength" and each line a small
seeded variation, so every run builds the same numbers.
"""

import datetime
import random
from contextlib import contextmanager
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from blocs.stages import Stage
from members import audit
from members.models import User

from .models import (
    CriterionKind,
    Evidence,
    MidYearReview,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreSheet,
    ScoringCriterion,
    ScoringSettings,
)
from .scores import mid_year, publication, review, services
from .scores.core import settings_for

#: How well each agency does (the rest get 0.86).
STRENGTH = {
    "svhttdl": 0.97,
    "syt": 0.95,
    "sgddt": 0.94,
    "skhcn": 0.9,
    "tcdcd": 0.88,
    "sdttg": 0.87,
    "bptth": 0.91,
    "stc": 0.96,
    "sxd": 0.93,
    "sct": 0.9,
}
#: Seed 003: a provincial department's initiatives in a year.
INITIATIVES = {"syt": (130, 6), "sgddt": (84, 3), "svhttdl": (41, 2)}
REVIEW_REASON = "Minh chứng chưa thể hiện đầy đủ kết quả; thống nhất theo điểm thẩm định."
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def key_of(context, agency):
    return next((k for k, a in context["agencies"].items() if a.pk == agency.pk), agency.code)


def leader_of(context, agency):
    return next(
        (
            u
            for u in context["users"].values()
            if u.agency_id == agency.pk and u.agency_role == "leader"
        ),
        None,
    )


def _chair_leader(context, bloc_year):
    return leader_of(context, bloc_year.chair)


@contextmanager
def historical_accounts(context, bloc_year):
    """Agencies merged away in 2025 still scored in their own years: their
    leaders' accounts act again for the length of that year's demo."""
    agency_ids = {m.agency_id for m in bloc_year.memberships.all()}
    dormant = [
        u for u in context["users"].values() if u.agency_id in agency_ids and not u.is_active
    ]
    audit.update_quietly(User.objects.filter(pk__in=[u.pk for u in dormant]), is_active=True)
    for user in dormant:
        user.is_active = True
    try:
        yield
    finally:
        audit.update_quietly(User.objects.filter(pk__in=[u.pk for u in dormant]), is_active=False)
        for user in dormant:
            user.is_active = False


def _value(line, strength: float, rng: random.Random):
    """A plausible self-score for ``line``'s criterion."""
    criterion = line.criterion
    maximum = criterion.max_points
    kind = criterion.kind
    if kind == CriterionKind.PASS_FAIL:
        return rng.random() < strength + 0.08
    if criterion.points_per_item is not None:
        if kind == CriterionKind.DEDUCTION:
            return 1 if rng.random() > strength + 0.05 else 0
        most = int(maximum / criterion.points_per_item)
        return max(0, min(most, round(most * strength + rng.uniform(-1, 0.5))))
    if kind == CriterionKind.BONUS:
        return maximum if rng.random() < (strength - 0.85) * 2 else Decimal(0)
    if kind == CriterionKind.DEDUCTION:
        return Decimal(0)
    share = min(1.0, strength + rng.uniform(-0.06, 0.04))
    return (maximum * Decimal(str(share)) * 2).quantize(Decimal(1)) / 2  # halves of a point


def _self_entries(context, sheet, *, upto=None):
    key = key_of(context, sheet.agency)
    strength = STRENGTH.get(key, 0.86)
    rng = random.Random(f"{key}-{sheet.bloc_year.year}-{sheet.period}")
    lines = list(sheet.lines.select_related("criterion").order_by("order"))
    entries = {}
    for line in lines[:upto]:
        if line.self_value is not None:  # filled from the initiatives register
            continue
        entries[line.key] = {
            "value": _value(line, strength, rng),
            "explanation": "Đã thực hiện theo kế hoạch năm; có báo cáo kèm theo.",
            "evidence_note": f"Báo cáo số {rng.randint(10, 240)}/BC-{key.upper()}",
        }
    return entries


def _self_score(context, sheet, *, submit=True, upto=None, evidence=True):
    leader = leader_of(context, sheet.agency)
    services.self_scores_save(
        sheet=sheet,
        actor=leader,
        entries=_self_entries(context, sheet, upto=upto),
        female_percent=Decimal(48 + (sheet.agency.pk * 7) % 30),
    )
    if evidence and not Evidence.objects.filter(line__sheet=sheet).exists():
        first = sheet.lines.order_by("order").first()
        name = f"Báo cáo kết quả thực hiện nhiệm vụ {sheet.bloc_year.year}.pdf"
        upload = ContentFile(DEMO_PDF, name=name)
        services.evidence_add(line=first, actor=leader, file=upload)
    if submit:
        services.sheet_submit(sheet=sheet, actor=leader)


def _reviewer(context, sheet):
    if sheet.reviewer_agency is None:
        return _chair_leader(context, sheet.bloc_year)
    return leader_of(context, sheet.reviewer_agency)


def _review(context, sheet, *, submit=True):
    """The reviewer agrees except on one or two lines where evidence was thin."""
    sheet.refresh_from_db()
    rng = random.Random(f"review-{sheet.agency_id}-{sheet.bloc_year.year}")
    entries = {}
    for line in sheet.lines.select_related("criterion").order_by("order"):
        value = line.self_value
        note = ""
        stricter = (
            line.criterion.kind == CriterionKind.POINTS
            and line.criterion.evidence_required
            and value
            and value >= 4
            and rng.random() < 0.3
        )
        if stricter:
            value = value - 3
            note = "Minh chứng chưa đầy đủ"
        entries[line.key] = {"value": value, "note": note}
    review.review_save(sheet=sheet, actor=_reviewer(context, sheet), entries=entries)
    if submit:
        review.review_submit(sheet=sheet, actor=_reviewer(context, sheet))


def _reconcile(context, sheet):
    secretariat = _chair_leader(context, sheet.bloc_year)
    sheet.refresh_from_db()
    review.final_prefill(sheet=sheet, actor=secretariat)
    entries = {
        line.key: {"value": line.review_value, "reason": REVIEW_REASON}
        for line in sheet.lines.filter(final_value__isnull=True)
    }
    if entries:
        review.final_scores_save(sheet=sheet, actor=secretariat, entries=entries)
    review.sheet_finalize(sheet=sheet, actor=secretariat)


def _sheets(bloc_year, period):
    return list(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)
        .select_related("agency", "reviewer_agency", "bloc_year")
        .order_by("agency__name")
    )


def _settings(context, bloc_year):
    """Initiatives count on lines III.3 (grassroots) and VI.3 (provincial)."""
    template = ScoreSheet.objects.filter(bloc_year=bloc_year).first().template
    lines = {
        f"{c.group.code}.{c.code}": c
        for c in ScoringCriterion.objects.filter(group__template=template).select_related("group")
    }
    mid_year.scoring_settings_update(
        bloc_year=bloc_year,
        actor=_chair_leader(context, bloc_year),
        data={
            "grassroots_initiatives_criterion": lines.get("III.3"),
            "provincial_initiatives_criterion": lines.get("VI.3"),
        },
    )


def _initiatives(context, bloc_year):
    for membership in bloc_year.memberships.current().select_related("agency"):
        key = key_of(context, membership.agency)
        grassroots, provincial = INITIATIVES.get(key, (12 + len(key) * 3, len(key) % 2))
        mid_year.initiatives_set(
            bloc_year=bloc_year,
            agency=membership.agency,
            actor=leader_of(context, membership.agency),
            grassroots=grassroots,
            provincial=provincial,
            decisions=f"Quyết định số {20 + len(key)}/QĐ-HĐSK ngày 15/10/{bloc_year.year}",
        )


def prepare_mid_year(context, bloc_year):
    """Before year-end scoring opens: initiatives, mid-year sheets, the review held."""
    with historical_accounts(context, bloc_year):
        _settings(context, bloc_year)
        _initiatives(context, bloc_year)
        for sheet in _sheets(bloc_year, Period.MID_YEAR):
            if sheet.is_draft:
                _self_score(context, sheet, evidence=False)
        chair = bloc_year.chair
        secretariat = _chair_leader(context, bloc_year)
        held_on = datetime.date(bloc_year.year, 7, 18)
        results = (
            "Các đơn vị trong Khối đã triển khai đầy đủ nội dung giao ước thi đua; "
            "nhiều chỉ tiêu chuyên môn đạt trên 50% kế hoạch năm; 100% đơn vị nộp bảng tự "
            "chấm điểm 6 tháng đúng hạn."
        )
        mid_year.mid_year_review_save(
            bloc_year=bloc_year,
            actor=secretariat,
            data={
                "number": f"02/BB-KTĐ{bloc_year.bloc.number}",
                "held_on": held_on,
                "place": f"Hội trường {chair.name}",
                "host_agency": chair,
                "chaired_by": f"{secretariat.full_name}, {secretariat.position or 'Giám đốc'}",
                "secretary": "Nguyễn Thị Lan, chuyên viên Văn phòng Sở",
                "attendees": "\n".join(
                    f"Đại diện lãnh đạo {m.agency.name}"
                    for m in bloc_year.memberships.current().select_related("agency")
                ),
                "results_summary": results,
                "limitations": "Một số đơn vị gửi báo cáo chậm; minh chứng chưa đầy đủ.",
                "second_half_tasks": "Tập trung hoàn thành chỉ tiêu năm; tổ chức kiểm tra chéo "
                "trong tháng 10; chuẩn bị hồ sơ tổng kết trước ngày 30/11.",
            },
        )
        mid_year.mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)


def prepare_conference(context, bloc_year):
    """A past year's whole year-end scoring, to the published ranking."""
    with historical_accounts(context, bloc_year):
        secretariat = _chair_leader(context, bloc_year)
        review.reviewers_assign(
            bloc_year=bloc_year, period=Period.YEAR_END, actor=secretariat, mode="rotate"
        )
        sheets = _sheets(bloc_year, Period.YEAR_END)
        for sheet in sheets:
            _self_score(context, sheet)
        for sheet in sheets:
            _review(context, sheet)
        for sheet in sheets:
            _reconcile(context, sheet)
        publication.ranking_publish(bloc_year=bloc_year, period=Period.YEAR_END, actor=secretariat)


def current_year_in_progress(context, bloc_year):
    """The current year being scored (bloc 2, 2026): see the module docstring."""
    secretariat = _chair_leader(context, bloc_year)
    settings = settings_for(bloc_year)
    if settings.year_end_deadline is None:
        mid_year.scoring_settings_update(
            bloc_year=bloc_year,
            actor=secretariat,
            data={"year_end_deadline": datetime.date(bloc_year.year, 12, 1)},
        )
    sheets = _sheets(bloc_year, Period.YEAR_END)
    if any(not s.is_draft for s in sheets):
        return  # already seeded
    review.reviewers_assign(
        bloc_year=bloc_year, period=Period.YEAR_END, actor=secretariat, mode="rotate"
    )
    sheets = _sheets(bloc_year, Period.YEAR_END)
    officers = {bloc_year.chair.pk, bloc_year.vice_chair.pk}
    plain = [s for s in sheets if s.agency_id not in officers]
    not_started, half_done = plain[-1], plain[-2]
    waiting = [s for s in sheets if s not in (not_started, half_done)]
    for sheet in waiting:
        _self_score(context, sheet)
    # One member half-way through its self-scores, with one evidence file.
    _self_score(context, half_done, submit=False, upto=14)
    # Reviews: three done (one of them reconciled and final), one in progress.
    for index, sheet in enumerate(waiting):
        if index < 3:
            _review(context, sheet)
        elif index == 3:
            _review(context, sheet, submit=False)
    for sheet in waiting[:1]:
        _reconcile(context, sheet)


def _backdate(bloc_year):
    """Past years' records carry the dates they would have had."""
    year = bloc_year.year
    tz = timezone.get_current_timezone()

    def at(month, day, hour=9):
        return datetime.datetime(year, month, day, hour, 0, tzinfo=tz)

    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year)
    audit.update_quietly(sheets.filter(period=Period.MID_YEAR), submitted_at=at(7, 8))
    audit.update_quietly(
        sheets.filter(period=Period.YEAR_END),
        submitted_at=at(11, 28),
        review_submitted_at=at(11, 30),
        finalized_at=at(12, 1, 15),
    )
    for period, moment in ((Period.MID_YEAR, at(7, 8)), (Period.YEAR_END, at(11, 29))):
        # By the sheets' ids, not through a join: Django writes an UPDATE across a join
        # as "id IN (a self-join)", which PostgreSQL with stale statistics (a table just
        # vacuumed empty, then filled in one transaction) ran as nested loops over every
        # event — minutes for the demo's thousands.
        period_sheets = sheets.filter(period=period).values("pk")
        ScoreEvent.objects.filter(sheet_id__in=period_sheets).update(at=moment)
    # The rows and their latest version (the history agrees with what the pages show).
    quietly = audit.update_quietly
    quietly(Evidence.objects.filter(line__sheet__bloc_year=bloc_year), uploaded_at=at(11, 27))
    quietly(RankingPublication.objects.filter(bloc_year=bloc_year), published_at=at(12, 1, 16))
    quietly(MidYearReview.objects.filter(bloc_year=bloc_year), held_at=at(7, 18, 11))
    quietly(
        ScoringSettings.objects.filter(bloc_year=bloc_year),
        mid_year_deadline=datetime.date(year, 7, 10),
        year_end_deadline=datetime.date(year, 11, 30),
    )


def seed(context):
    preparers = context.setdefault("preparers", {})
    preparers.setdefault("open_scoring", []).append(prepare_mid_year)
    preparers.setdefault("open_conference", []).append(prepare_conference)


def finish(context):
    for bloc_year, until in context.get("walks", []):
        bloc_year.refresh_from_db()
        if until == Stage.SCORING and bloc_year.stage == Stage.SCORING:
            current_year_in_progress(context, bloc_year)
        elif until == Stage.CLOSED:
            _backdate(bloc_year)
