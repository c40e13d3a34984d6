"""The ballot results as the minutes print them: every closed poll, round by round
(domain.md §5.1), for the meeting's minutes and the counting committee's
(:mod:`.documents_minutes`).

The rule's sentence ("7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên") is rebuilt here in
Vietnamese from the poll's threshold snapshot and the numbers of its ``outcome``, rather
than copied from the outcome's texts, which are in whatever language the person who
closed the poll was using.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from members.templatetags.documents import vn_decimal

from .documents_reads import shared
from .models import POLL_ORDER, Poll, PollCandidate, PollMode, PollStatus

__all__ = ["PollReport", "ResultLine", "poll_reports", "result_text", "rule_text"]

_OF_BASE = {
    "members": "tổng số thành viên",
    "present": "số thành viên có mặt",
    "valid": "số phiếu hợp lệ",
}
#: (passed, strict) → the sign the minutes print, as the tally writes it.
_SIGNS = {(True, True): ">", (True, False): "≥", (False, True): "≤", (False, False): "<"}


@dataclass(frozen=True)
class ResultLine:
    name: str
    rank: int | None
    score: Decimal | None
    votes: int
    percent: Decimal | None
    passed: bool
    elected: bool
    #: "7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên"
    text: str


@dataclass(frozen=True)
class PollReport:
    poll: Poll
    title: str
    mode: str
    members: int
    present: int
    issued: int
    returned: int
    invalid: int
    spoiled: int
    valid: int
    #: "từ 2/3 tổng số thành viên trở lên: cần 6 phiếu"
    rule: str
    results: list[ResultLine]
    conclusions: list[str]


def _kind_words(kind: str, year: int) -> tuple[str, str]:
    """The poll's title and what its winners become."""
    following = year + 1
    return {
        "flag": (
            "Bỏ phiếu suy tôn đơn vị dẫn đầu, đề nghị tặng Cờ thi đua của UBND tỉnh",
            "đề nghị tặng Cờ thi đua của UBND tỉnh",
        ),
        "certificate": (
            "Bỏ phiếu đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
            "đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
        ),
        "chair": (f"Bầu Khối trưởng năm {following}", f"Khối trưởng năm {following}"),
        "vice_chair": (f"Bầu Khối phó năm {following}", f"Khối phó năm {following}"),
    }[kind]


def _percent(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None


def result_text(poll: Poll, votes: int, base: int, percent: Decimal, passed: bool) -> str:
    """ "7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên", the tally's sentence in Vietnamese."""
    sign = _SIGNS[(bool(passed), poll.threshold_strict)]
    fraction = f"{poll.threshold_numerator}/{poll.threshold_denominator}"
    return (
        f"{votes}/{base} phiếu = {vn_decimal(percent, 2)} % {sign} {fraction} "
        f"{_OF_BASE.get(poll.threshold_base, '')}"
    ).strip()


def rule_text(poll: Poll, required: int | None) -> str:
    fraction = f"{poll.threshold_numerator}/{poll.threshold_denominator}"
    of_base = _OF_BASE.get(poll.threshold_base, "")
    words = (
        f"trên {fraction} {of_base}"
        if poll.threshold_strict
        else f"từ {fraction} {of_base} trở lên"
    )
    return f"{words}: cần {required} phiếu" if required else words


def _names(names) -> str:
    return ", ".join(names)


def _conclusions(poll: Poll, outcome: dict, results: list[ResultLine], year: int) -> list[str]:
    _title, becomes = _kind_words(poll.kind, year)
    names_of = {r["agency_id"]: r.get("name", "") for r in outcome.get("results", [])}
    sentences = []
    passed = [r.name for r in results if r.elected and r.passed]
    chosen = [r.name for r in results if r.elected and not r.passed]
    if passed:
        sentences.append(f"{_names(passed)} đạt số phiếu theo nguyên tắc ({becomes}).")
    if chosen:
        sentences.append(
            "Sau vòng bỏ phiếu cuối cùng, "
            f"{_names(chosen)} được chọn theo thứ hạng điểm thi đua ({becomes})."
        )
    seats_left = outcome.get("seats_left") or 0
    further = [names_of.get(pk, "") for pk in outcome.get("next_round", [])]
    if outcome.get("needs_decision") and seats_left:
        sentences.append(
            f"Còn {seats_left} vị trí chưa xác định: Khối trưởng và Khối phó quyết định "
            f"trong số các đơn vị {_names(further)}."
        )
    elif further and seats_left:
        sentences.append(
            f"Còn {seats_left} vị trí chưa xác định; các đơn vị {_names(further)} "
            f"vào vòng bỏ phiếu thứ {poll.round + 1}."
        )
    elif outcome.get("fallback") == "unassigned" and seats_left:
        sentences.append(f"Sau vòng bỏ phiếu cuối cùng, {seats_left} vị trí để trống.")
    if not sentences:
        sentences.append("Không có đơn vị đạt số phiếu theo nguyên tắc.")
    return sentences


def _report(poll: Poll, year: int) -> PollReport:
    candidates = {c.agency_id: c for c in poll.candidates.all()}
    outcome = poll.outcome or {}
    base = outcome.get("base_count", poll.members)
    elected = set(outcome.get("elected", []))
    rows = outcome.get("results")
    if rows is None:  # closed without an outcome: the counters alone
        rows = [
            {"agency_id": c.agency_id, "name": c.agency.name, "votes": c.votes, "passed": False}
            for c in candidates.values()
        ]
    results = []
    for row in rows:
        candidate = candidates.get(row["agency_id"])
        percent = _percent(row.get("percent"))
        votes = int(row.get("votes") or 0)
        passed = bool(row.get("passed"))
        results.append(
            ResultLine(
                name=row.get("name") or (candidate.agency.name if candidate else ""),
                rank=candidate.rank if candidate else None,
                score=candidate.score if candidate else None,
                votes=votes,
                percent=percent,
                passed=passed,
                elected=row["agency_id"] in elected,
                text=result_text(poll, votes, base, percent, passed) if percent is not None else "",
            )
        )
    title, _becomes = _kind_words(poll.kind, year)
    return PollReport(
        poll=poll,
        title=title,
        mode="bỏ phiếu kín điện tử"
        if poll.mode == PollMode.ELECTRONIC
        else "bỏ phiếu kín bằng phiếu giấy",
        members=poll.members,
        present=poll.present,
        issued=poll.ballots_issued,
        returned=poll.ballots_returned,
        invalid=poll.ballots_invalid,
        spoiled=poll.ballots_spoiled,
        valid=poll.ballots_valid,
        rule=rule_text(poll, outcome.get("required")),
        results=results,
        conclusions=_conclusions(poll, outcome, results, year),
    )


def poll_reports(bloc_year) -> list[PollReport]:
    """Every closed poll in the order of business (rule 23), round by round."""

    def read():
        polls = (
            Poll.objects.filter(bloc_year=bloc_year, status=PollStatus.CLOSED)
            # The candidates with their agencies in one query, not two.
            .prefetch_related(
                Prefetch("candidates", queryset=PollCandidate.objects.select_related("agency"))
            )
            .order_by("round", "pk")
        )
        order = {kind: index for index, kind in enumerate(POLL_ORDER)}
        polls = sorted(polls, key=lambda p: (order.get(p.kind, len(order)), p.round, p.pk))
        return [_report(poll, bloc_year.year) for poll in polls]

    return shared(("poll_reports", bloc_year.pk), read)
