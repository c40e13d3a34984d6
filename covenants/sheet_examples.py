"""Example scoring sheets as pure drafts, for the demo data and the tests.

:func:`culture_society_draft` follows domain.md §3.3 Example C, the
structure observed in culture–society blocs (Khánh Hòa, Tiền Giang, Kon
Tum, Thái Nguyên). The point split is an illustrative default, not a real
province's sheet.
"""

from decimal import Decimal

from .sheet_rules import CriterionDraft, GroupDraft, Kind, TemplateDraft

__all__ = ["culture_society_draft"]


def _line(code, title, kind, points, per_item=None, *, evidence=False, guidance="", children=()):
    return (code, title, kind, points, per_item, evidence, guidance, children)


_GROUPS = (
    (
        "I",
        "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        50,
        (
            _line(
                "1",
                "Hoàn thành các chỉ tiêu, nhiệm vụ kế hoạch năm của ngành",
                Kind.POINTS,
                20,
                evidence=True,
                guidance=(
                    "Căn cứ báo cáo tổng kết năm. Đạt 100% chỉ tiêu: 20 điểm; "
                    "mỗi chỉ tiêu không đạt trừ 2 điểm."
                ),
            ),
            _line(
                "2",
                "Tham mưu UBND tỉnh ban hành văn bản, chính sách thuộc lĩnh vực được giao",
                Kind.POINTS,
                10,
                children=(
                    _line(
                        "2.1",
                        "Trình đúng tiến độ theo chương trình công tác của UBND tỉnh",
                        Kind.POINTS,
                        6,
                        evidence=True,
                    ),
                    _line(
                        "2.2",
                        "Không có văn bản bị cơ quan có thẩm quyền yêu cầu sửa đổi, bãi bỏ",
                        Kind.PASS_FAIL,
                        4,
                    ),
                ),
            ),
            _line(
                "3",
                "Hoàn thành các nhiệm vụ trọng tâm đã đăng ký trong giao ước thi đua",
                Kind.POINTS,
                15,
                evidence=True,
            ),
            _line(
                "4",
                "Có mô hình, cách làm hay được cấp có thẩm quyền công nhận, nhân rộng",
                Kind.COUNT,
                5,
                Decimal("2.5"),
                evidence=True,
                guidance="2,5 điểm cho mỗi mô hình, tối đa 5 điểm.",
            ),
        ),
    ),
    (
        "II",
        "Cải cách hành chính và chuyển đổi số",
        15,
        (
            _line(
                "1",
                "Chỉ số cải cách hành chính (PAR Index) của đơn vị",
                Kind.POINTS,
                5,
                evidence=True,
            ),
            _line(
                "2",
                "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến, đúng hạn",
                Kind.POINTS,
                4,
            ),
            _line(
                "3",
                "Ứng dụng CNTT, văn bản điện tử và chữ ký số",
                Kind.POINTS,
                3,
            ),
            _line(
                "4",
                "Không có hồ sơ trễ hạn, phản ánh, kiến nghị về thủ tục hành chính",
                Kind.PASS_FAIL,
                3,
            ),
        ),
    ),
    (
        "III",
        "Công tác thi đua, khen thưởng",
        15,
        (
            _line(
                "1",
                "Ban hành kế hoạch phát động phong trào thi đua năm và các đợt thi đua chuyên đề",
                Kind.PASS_FAIL,
                3,
                evidence=True,
            ),
            _line(
                "2",
                "Sơ kết, tổng kết; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
                Kind.POINTS,
                4,
            ),
            _line(
                "3",
                "Sáng kiến được Hội đồng sáng kiến công nhận",
                Kind.COUNT,
                3,
                Decimal(1),
                evidence=True,
                guidance="1 điểm cho mỗi sáng kiến, tối đa 3 điểm.",
            ),
            _line(
                "4",
                "Gửi báo cáo 6 tháng, báo cáo năm về Khối đúng thời hạn",
                Kind.PASS_FAIL,
                3,
            ),
            _line(
                "5",
                "Tham dự đầy đủ, đúng thành phần các hoạt động của Khối",
                Kind.POINTS,
                2,
            ),
        ),
    ),
    (
        "IV",
        "Xây dựng Đảng, đoàn thể",
        15,
        (
            _line(
                "1",
                "Tổ chức Đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên",
                Kind.POINTS,
                5,
                evidence=True,
            ),
            _line(
                "2",
                "Công đoàn, Đoàn Thanh niên vững mạnh",
                Kind.POINTS,
                4,
                children=(
                    _line("2.1", "Công đoàn cơ sở vững mạnh", Kind.PASS_FAIL, 2),
                    _line("2.2", "Chi đoàn, Đoàn cơ sở vững mạnh", Kind.PASS_FAIL, 2),
                ),
            ),
            _line(
                "3",
                "Thực hiện quy chế dân chủ ở cơ sở; thực hành tiết kiệm, phòng, chống tham nhũng",
                Kind.POINTS,
                3,
            ),
            _line(
                "4",
                "Không có cán bộ, công chức bị kỷ luật từ khiển trách trở lên",
                Kind.PASS_FAIL,
                3,
            ),
        ),
    ),
    (
        "V",
        "Hoạt động chung của Khối",
        5,
        (
            _line(
                "1",
                "Tham gia các hoạt động văn hóa, thể thao, giao lưu do Khối tổ chức",
                Kind.POINTS,
                2,
            ),
            _line("2", "Tham gia tham quan, học tập kinh nghiệm", Kind.PASS_FAIL, 1),
            _line(
                "3",
                "Tham gia các hoạt động từ thiện, an sinh xã hội",
                Kind.POINTS,
                2,
            ),
        ),
    ),
    (
        "VI",
        "Điểm thưởng",
        10,
        (
            _line(
                "1",
                "Được tặng Cờ thi đua của Chính phủ hoặc của Bộ, ngành trung ương",
                Kind.BONUS,
                10,
                evidence=True,
            ),
            _line(
                "2",
                "Được tặng Cờ thi đua của UBND tỉnh (ngoài xét chọn của Khối)",
                Kind.BONUS,
                5,
                evidence=True,
            ),
            _line(
                "3",
                "Có sáng kiến, mô hình mới được công nhận cấp tỉnh",
                Kind.BONUS,
                6,
                Decimal(2),
                evidence=True,
                guidance="2 điểm cho mỗi sáng kiến, mô hình, tối đa 6 điểm.",
            ),
        ),
    ),
    (
        "VII",
        "Điểm trừ",
        20,
        (
            _line(
                "1",
                "Gửi báo cáo chậm so với thời hạn",
                Kind.DEDUCTION,
                6,
                Decimal(1),
                guidance="Trừ 1 điểm mỗi báo cáo chậm.",
            ),
            _line(
                "2",
                "Vắng mặt không có lý do tại các hoạt động của Khối",
                Kind.DEDUCTION,
                4,
                Decimal(2),
            ),
            _line(
                "3",
                "Có cán bộ bị kỷ luật hoặc vi phạm bị cơ quan có thẩm quyền kết luận",
                Kind.DEDUCTION,
                10,
                evidence=True,
            ),
        ),
    ),
)


def _scaled(value, factor: Decimal) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) * factor).quantize(Decimal("0.01"))


def _criterion(spec, factor: Decimal) -> CriterionDraft:
    code, title, kind, points, per_item, evidence, guidance, children = spec
    return CriterionDraft(
        code=code,
        title=title,
        kind=kind,
        max_points=_scaled(points, factor),
        points_per_item=_scaled(per_item, factor),
        evidence_required=evidence,
        guidance=guidance,
        children=tuple(_criterion(child, factor) for child in children),
    )


def culture_society_draft(*, base_total: int | Decimal = 100) -> TemplateDraft:
    """A valid culture–society bloc sheet: groups I–V (50 + 15 + 15 + 15 + 5),
    a bonus group VI (+10, cap 10) and a deduction group VII (up to −20, no cap).

    ``base_total=1000`` scales every number by ten (a 1,000-point sheet with a
    bonus cap of 100).
    """
    factor = Decimal(base_total) / 100
    return TemplateDraft(
        groups=tuple(
            GroupDraft(
                code=code,
                title=title,
                max_points=_scaled(points, factor),
                criteria=tuple(_criterion(spec, factor) for spec in criteria),
            )
            for code, title, points, criteria in _GROUPS
        ),
        base_total=_scaled(100, factor),
        bonus_cap=_scaled(10, factor),
        deduction_cap=None,
    )
