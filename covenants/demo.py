"""Demo covenants: complete and signed in past years, being signed this year.

Bloc 2's 2026 covenant is open with four of eight agencies signed, so the
board sees who is missing; bloc 6's 2026 covenant is signed and the year has
moved on to scoring (:mod:`covenants.demo_scores`, run from here).
"""

import datetime

from django.utils import timezone

from blocs.stages import Stage
from members import audit
from members.models import AgencyRole

from . import demo_scores, services, sheet_services
from .models import Covenant, ScoringTemplate, Signature
from .sheet_examples import culture_society_draft

COMMITMENTS = [
    (
        "I. Thực hiện nhiệm vụ chính trị",
        "Hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ chuyên môn "
        "được Tỉnh ủy, UBND tỉnh giao trong năm.",
    ),
    (
        "I. Thực hiện nhiệm vụ chính trị",
        "Tham mưu kịp thời, có chất lượng các văn bản chỉ đạo, điều hành thuộc lĩnh vực được giao.",
    ),
    (
        "II. Cải cách hành chính và chuyển đổi số",
        "100% hồ sơ thủ tục hành chính được giải quyết "
        "đúng hạn; đẩy mạnh dịch vụ công trực tuyến toàn trình.",
    ),
    (
        "II. Cải cách hành chính và chuyển đổi số",
        "Sử dụng văn bản điện tử, chữ ký số trong quản lý, điều hành; bảo đảm an toàn thông tin.",
    ),
    (
        "III. Công tác thi đua, khen thưởng",
        "Phát động các phong trào thi đua thiết thực; phát "
        "hiện, bồi dưỡng và nhân rộng điển hình tiên tiến.",
    ),
    (
        "III. Công tác thi đua, khen thưởng",
        "Gửi báo cáo sơ kết, tổng kết và hồ sơ khen thưởng đúng thời hạn quy định.",
    ),
    (
        "IV. Xây dựng Đảng và đoàn thể",
        "Tổ chức cơ sở đảng, đoàn thể hoàn thành tốt nhiệm vụ "
        "trở lên; thực hiện tốt quy chế dân chủ ở cơ sở.",
    ),
    (
        "V. Hoạt động chung của Khối",
        "Tham gia đầy đủ các hoạt động của Khối: về nguồn, giao "
        "lưu văn hóa, văn nghệ, thể dục thể thao.",
    ),
]

REGULATION = (
    "Quy chế hoạt động của Khối quy định nhiệm vụ của Khối trưởng, Khối phó và các đơn vị "
    "thành viên; chế độ hội họp (ký kết giao ước, sơ kết 6 tháng, tổng kết năm); phương pháp "
    "chấm điểm, xếp hạng và bình xét, suy tôn bằng hình thức bỏ phiếu kín."
)
SCORING_GUIDE = (
    "Các đơn vị tự chấm điểm theo Bảng chấm điểm kèm minh chứng; Khối trưởng tổ chức kiểm tra "
    "chéo, tổng hợp và công bố kết quả tại Hội nghị tổng kết."
)


def _leader(context, agency):
    return next(
        (
            u
            for u in context["users"].values()
            if u.agency_id == agency.pk and u.agency_role == AgencyRole.LEADER
        ),
        None,
    )


def _draft(context, bloc_year):
    chair = bloc_year.chair
    if chair is None or Covenant.objects.filter(bloc_year=bloc_year).exists():
        return
    author = _leader(context, chair)
    covenant = services.covenant_create(bloc_year=bloc_year, actor=author)
    leader_name = author.get_full_name() if author else ""
    signing_day = bloc_year.signing_date or datetime.date(bloc_year.year, 3, 5)
    services.covenant_update(
        covenant=covenant,
        actor=author,
        data={
            "theme": bloc_year.theme or "Đoàn kết, sáng tạo, thi đua hoàn thành xuất sắc nhiệm vụ",
            "number": f"01/GƯ-KTĐ{bloc_year.bloc.number}",
            "regulation": REGULATION,
            "scoring_guide": SCORING_GUIDE,
            "conference_date": signing_day,
            "conference_place": f"Hội trường {chair.name}",
            "host_agency": chair,
            "chaired_by": f"{leader_name}, Giám đốc {chair.name}",
            "attendees": "Lãnh đạo và cán bộ phụ trách thi đua, khen thưởng của các đơn vị thành "
            "viên; đại diện Ban Thi đua – Khen thưởng tỉnh (Sở Nội vụ).",
        },
    )
    services.commitments_replace(
        covenant=covenant,
        actor=author,
        commitments=[{"group": group, "text": text} for group, text in COMMITMENTS],
    )


def _sign(context, covenant, agency, *, recorder):
    """The leader signs in the app when they can; otherwise the secretariat
    records the paper signature under the leader's name."""
    leader = _leader(context, agency)
    if leader is not None and leader.is_active:
        signature = services.covenant_sign(covenant=covenant, agency=agency, actor=leader)
    else:
        signature = services.signature_record_paper(
            covenant=covenant,
            agency=agency,
            actor=recorder,
            signer_name=leader.get_full_name() if leader else "Thủ trưởng đơn vị",
            signer_title="Giám đốc",
        )
    day = covenant.conference_date or datetime.date(covenant.bloc_year.year, 3, 5)
    moment = datetime.datetime(
        day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone()
    )
    audit.update_quietly(Signature.objects.filter(pk=signature.pk), signed_at=moment)


def _sign_everyone(context, bloc_year):
    covenant = Covenant.objects.get(bloc_year=bloc_year)
    recorder = _leader(context, bloc_year.chair)
    for agency in services.unsigned_agencies(covenant):
        _sign(context, covenant, agency, recorder=recorder)
        covenant.refresh_from_db()


def _sheet(context, bloc_year):
    """The culture–society sheet of domain.md §3.3, drafted by the board."""
    if bloc_year.chair is None or ScoringTemplate.objects.filter(bloc_year=bloc_year).exists():
        return
    board = context["users"]["board"]
    template = sheet_services.template_create(bloc_year=bloc_year, actor=board)
    sheet_services.template_replace_content(
        template=template, actor=board, draft=culture_society_draft()
    )


def seed(context):
    for bloc_year, _until in context.get("walks", []):
        _draft(context, bloc_year)
        _sheet(context, bloc_year)
    context.setdefault("preparers", {}).setdefault("start_year", []).append(_sign_everyone)
    demo_scores.seed(context)
    context["log"]("  covenants: drafted for every year with a chair")


def finish(context):
    """Bloc 2's current year: four members have signed, the others not yet;
    then the scoring demo finishes bloc 6's current year."""
    for bloc_year, until in context.get("walks", []):
        if until != Stage.SIGNING:
            continue
        covenant = Covenant.objects.get(bloc_year=bloc_year)
        if covenant.signatures.exists():
            continue
        recorder = _leader(context, bloc_year.chair)
        waiting = services.unsigned_agencies(covenant)
        for agency in waiting[:4]:
            _sign(context, covenant, agency, recorder=recorder)
    context["log"]("  covenants: current year being signed")
    demo_scores.finish(context)
    context["log"]("  scores: past years ranked, bloc 2's current year being scored")
