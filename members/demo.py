"""Demo province, its agencies (with the 2025 mergers) and the demo accounts.

Names follow the news reports in shared/seeds and the 2025 reorganisation
(domain.md §8): Sở Lao động – Thương binh và Xã hội and Sở Thông tin và
Truyền thông were dissolved on 01/03/2025, Ban Dân tộc became Sở Dân tộc và
Tôn giáo, and the provincial newspaper and radio-TV station merged on
01/07/2025.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from . import audit, services
from .imports import OFFICIAL_SHEET, export_people
from .models import Agency, AgencyKind, AgencyRole, ImportBatch, ImportKind, Province, User

PROVINCE = ("Tỉnh Quảng Ngãi", "quang-ngai")

# key: (official name, short name, kind, leader's name, leader's position)
AGENCIES = {
    "skhcn": (
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        AgencyKind.DEPARTMENT,
        "Phạm Quốc Hùng",
        "Giám đốc",
    ),
    "sldtbxh": (
        "Sở Lao động – Thương binh và Xã hội",
        "Sở LĐ-TB&XH",
        AgencyKind.DEPARTMENT,
        "Võ Thị Hạnh",
        "Giám đốc",
    ),
    "syt": ("Sở Y tế", "Sở Y tế", AgencyKind.DEPARTMENT, "Lê Văn Minh", "Giám đốc"),
    "sgddt": (
        "Sở Giáo dục và Đào tạo",
        "Sở GD&ĐT",
        AgencyKind.DEPARTMENT,
        "Đặng Thị Thu Thủy",
        "Giám đốc",
    ),
    "svhttdl": (
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở VHTT&DL",
        AgencyKind.DEPARTMENT,
        "Huỳnh Ngọc Ánh",
        "Giám đốc",
    ),
    "stttt": (
        "Sở Thông tin và Truyền thông",
        "Sở TT&TT",
        AgencyKind.DEPARTMENT,
        "Nguyễn Đức Tài",
        "Giám đốc",
    ),
    "bdt": ("Ban Dân tộc", "Ban Dân tộc", AgencyKind.BOARD, "Y Lan", "Trưởng ban"),
    "sdttg": ("Sở Dân tộc và Tôn giáo", "Sở DT&TG", AgencyKind.DEPARTMENT, "Y Lan", "Giám đốc"),
    "dptth": (
        "Đài Phát thanh và Truyền hình tỉnh",
        "Đài PT-TH",
        AgencyKind.BROADCASTER,
        "Trương Công Định",
        "Giám đốc",
    ),
    "bao": ("Báo Quảng Ngãi", "Báo QN", AgencyKind.NEWSPAPER, "Bùi Thanh Tâm", "Tổng Biên tập"),
    "bptth": (
        "Báo và Phát thanh, Truyền hình Quảng Ngãi",
        "Báo và PT-TH QN",
        AgencyKind.NEWSPAPER,
        "Bùi Thanh Tâm",
        "Tổng Biên tập",
    ),
    "tcdcd": (
        "Trường Cao đẳng Cộng đồng",
        "Trường CĐCĐ",
        AgencyKind.SCHOOL,
        "Ông Văn Sơn",
        "Hiệu trưởng",
    ),
    "snv": ("Sở Nội vụ", "Sở Nội vụ", AgencyKind.DEPARTMENT, "Cao Thị Mỹ", "Giám đốc"),
    "stc": ("Sở Tài chính", "Sở Tài chính", AgencyKind.DEPARTMENT, "Lương Văn Khánh", "Giám đốc"),
    "sxd": ("Sở Xây dựng", "Sở Xây dựng", AgencyKind.DEPARTMENT, "Âu Dương Long", "Giám đốc"),
    "sct": ("Sở Công Thương", "Sở Công Thương", AgencyKind.DEPARTMENT, "Đinh Thị Ngọc", "Giám đốc"),
    "snnmt": (
        "Sở Nông nghiệp và Môi trường",
        "Sở NN&MT",
        AgencyKind.DEPARTMENT,
        "Hà Văn Đông",
        "Giám đốc",
    ),
    "stp": ("Sở Tư pháp", "Sở Tư pháp", AgencyKind.DEPARTMENT, "Ưng Thị Bích", "Giám đốc"),
    "ttt": (
        "Thanh tra tỉnh",
        "Thanh tra tỉnh",
        AgencyKind.OTHER,
        "Ông Ích Khiêm",
        "Chánh Thanh tra",
    ),
    "vpubnd": (
        "Văn phòng UBND tỉnh",
        "VP UBND",
        AgencyKind.OTHER,
        "Ấu Minh Quân",
        "Chánh Văn phòng",
    ),
    "sngv": ("Sở Ngoại vụ", "Sở Ngoại vụ", AgencyKind.DEPARTMENT, "Trần Hữu Đạt", "Giám đốc"),
    # Khối Nội chính (bloc 3).
    "cat": ("Công an tỉnh", "Công an tỉnh", AgencyKind.OTHER, "Trương Minh Đức", "Giám đốc"),
    "bchqs": (
        "Bộ Chỉ huy Quân sự tỉnh",
        "BCH Quân sự",
        AgencyKind.OTHER,
        "Nguyễn Thanh Sơn",
        "Chỉ huy trưởng",
    ),
    "bdbp": (
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "BĐBP tỉnh",
        AgencyKind.OTHER,
        "Lê Quang Vinh",
        "Chỉ huy trưởng",
    ),
    "tand": (
        "Tòa án nhân dân tỉnh",
        "TAND tỉnh",
        AgencyKind.OTHER,
        "Phan Thị Mỹ Linh",
        "Chánh án",
    ),
    "vksnd": (
        "Viện Kiểm sát nhân dân tỉnh",
        "VKSND tỉnh",
        AgencyKind.OTHER,
        "Đỗ Văn Hải",
        "Viện trưởng",
    ),
    "thads": (
        "Thi hành án dân sự tỉnh",
        "THADS tỉnh",
        AgencyKind.OTHER,
        "Huỳnh Thị Thu Trang",
        "Cục trưởng",
    ),
}

# old agency key -> (successor key, end date)
SUCCESSIONS = {
    "sldtbxh": ("snv", datetime.date(2025, 3, 1)),
    "stttt": ("skhcn", datetime.date(2025, 3, 1)),
    "bdt": ("sdttg", datetime.date(2025, 3, 1)),
    "dptth": ("bptth", datetime.date(2025, 7, 1)),
    "bao": ("bptth", datetime.date(2025, 7, 1)),
}


def _user(username, password, **fields):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.set_password(password)
        user.save()
    return user


def seed(context):
    password = context["password"]
    admin = _user(
        "admin",
        password,
        full_name="Quản trị hệ thống",
        is_staff=True,
        is_superuser=True,
        email="admin@demo.example",
    )
    # What the demo writes outside the services, the site administrator entered.
    with audit.acting(admin):
        _seed(context, admin)


def _seed(context, admin):
    province, _ = Province.objects.get_or_create(name=PROVINCE[0], defaults={"code": PROVINCE[1]})
    agencies = {}
    for key, (name, short_name, kind, *_leader) in AGENCIES.items():
        agencies[key], _ = Agency.objects.get_or_create(
            province=province,
            name=name,
            defaults={"code": key.upper(), "short_name": short_name, "kind": kind},
        )
    for key, (successor_key, ended_on) in SUCCESSIONS.items():
        agency, successor = agencies[key], agencies[successor_key]
        if (agency.is_active, agency.successor_id, agency.ended_on) != (
            False,
            successor.pk,
            ended_on,
        ):
            agency.is_active, agency.successor, agency.ended_on = False, successor, ended_on
            agency.save(update_fields=["is_active", "successor", "ended_on"])

    password = context["password"]
    users = {
        "admin": admin,
        "board": _user(
            "board",
            password,
            full_name="Trần Thị Thu Hà",
            board_province=province,
            position="Chuyên viên Phòng Thi đua, khen thưởng – Sở Nội vụ",
            email="board@demo.example",
        ),
        # Emulation officer of Sở VHTT&DL, the culture–society bloc's chair in 2026.
        "secretariat": _user(
            "secretariat",
            password,
            full_name="Nguyễn Thị Lan",
            agency=agencies["svhttdl"],
            agency_role=AgencyRole.OFFICER,
            position="Chuyên viên Văn phòng Sở (cán bộ thi đua)",
            email="secretariat@demo.example",
        ),
    }
    # One leader per agency; Sở Y tế's is the `leader` demo login.
    for key, (_name, _short, _kind, leader_name, position) in AGENCIES.items():
        username = "leader" if key == "syt" else f"leader.{key}"
        users[username] = _user(
            username,
            password,
            full_name=leader_name,
            agency=agencies[key],
            agency_role=AgencyRole.LEADER,
            position=position,
            email=f"{username}@demo.example",
            is_active=agencies[key].is_active,
        )
    context.update(province=province, agencies=agencies, users=users)
    context["log"](f"  members: {len(agencies)} agencies, {len(users)} accounts")
    seed_example_import(context)


# Officials the example import adds: deputies and emulation officers.
EXAMPLE_FILE_NAME = "vi-du-co-quan-can-bo.xlsx"
EXAMPLE_NEW_OFFICIALS = [
    (
        "Trần Minh Tuấn",
        "Phó Giám đốc",
        "tuan.tm@demo.example",
        "0255 3822 101",
        "SYT",
        "Phó thủ trưởng",
    ),
    (
        "Phan Thị Thu",
        "Chuyên viên Văn phòng",
        "thu.pt@demo.example",
        "0255 3822 102",
        "SYT",
        "Cán bộ thi đua",
    ),
    (
        "Lý Văn Khôi",
        "Phó Giám đốc",
        "khoi.lv@demo.example",
        "0255 3711 201",
        "SGDDT",
        "Phó thủ trưởng",
    ),
    (
        "Đỗ Thị Ngân",
        "Chánh Văn phòng",
        "ngan.dt@demo.example",
        "0255 3711 202",
        "SGDDT",
        "Cán bộ thi đua",
    ),
    (
        "Vương Quốc Bảo",
        "Phó Giám đốc",
        "bao.vq@demo.example",
        "0255 3622 301",
        "SKHCN",
        "Phó thủ trưởng",
    ),
    (
        "Mai Thị Hồng",
        "Chuyên viên",
        "hong.mt@demo.example",
        "0255 3622 302",
        "SKHCN",
        "Cán bộ thi đua",
    ),
]


def example_people_file(province) -> bytes:
    """Today's people of the province (the export) plus six new officials.

    Starting from the export matters: an import deactivates the province's
    officials that its file leaves out.
    """
    workbook = load_workbook(io.BytesIO(export_people(province=province)))
    sheet = workbook[OFFICIAL_SHEET]
    for row in EXAMPLE_NEW_OFFICIALS:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_example_import(context):
    province, board = context["province"], context["users"]["board"]
    if ImportBatch.objects.filter(province=province, file_name=EXAMPLE_FILE_NAME).exists():
        return
    upload = SimpleUploadedFile(EXAMPLE_FILE_NAME, example_people_file(province))
    batch = services.import_upload(
        province=province, kind=ImportKind.PEOPLE, uploaded_file=upload, actor=board
    )
    batch = services.import_apply(batch=batch, actor=board, base_url="http://127.0.0.1:8000/")
    context["log"](f"  import: {EXAMPLE_FILE_NAME} applied ({batch.summary})")
