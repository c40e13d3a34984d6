"""Scale provinces, their member agencies, accounts and blocs (members and blocs rows).

A scale province ``scale-NN`` has ``blocs`` blocs of ``members`` agencies each (an
agency belongs to one bloc, every year). Each agency has a leader and an emulation
officer account; the province has one board account. The accounts share one password
hash, computed once by the caller: hashing tens of thousands of passwords would take
longer than the rest of the dataset.

The bloc's officers rotate along its member list: in the run's ``i``-th year the chair
is member ``(bloc + i) mod members`` and the vice-chair the next one, who is elected
chair for the following year (domain §1.2), so the conference's elections, the flag
handover and next year's memberships agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from blocs.models import Bloc
from members.models import Agency, AgencyKind, AgencyRole, Province, User

from .presets import CODE_PREFIX

__all__ = ["AgencyInfo", "BlocInfo", "Person", "ProvinceInfo", "build_province"]

#: Bloc fields (lĩnh vực): name and the short form used in agencies' short names.
FIELDS = (
    ("Kinh tế – Tổng hợp", "KT"),
    ("Văn hóa – Xã hội", "VX"),
    ("Nội chính", "NC"),
    ("Nông nghiệp – Môi trường", "NN"),
    ("Xây dựng – Giao thông", "XD"),
    ("Khoa học – Công nghệ", "KH"),
    ("Y tế – Giáo dục", "YG"),
    ("Tài chính – Ngân hàng", "TC"),
    ("Đảng – Đoàn thể", "DT"),
    ("Doanh nghiệp nhà nước", "DN"),
    ("Trường học, Viện", "TV"),
    ("Báo chí – Truyền thông", "BC"),
)
FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quốc", "Hữu", "Kim")
GIVEN = (
    "An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long",
    "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Yến",
)  # fmt: skip


@dataclass
class Person:
    id: int
    full_name: str
    position: str


@dataclass
class AgencyInfo:
    id: int
    code: str
    name: str
    leader: Person
    officer: Person


@dataclass
class BlocInfo:
    id: int
    number: int
    name: str
    agencies: list[AgencyInfo] = field(default_factory=list)

    def officers(self, index: int) -> tuple[AgencyInfo, AgencyInfo]:
        """The chair and vice-chair of the run's ``index``-th year."""
        count = len(self.agencies)
        first = (self.number + index) % count
        return self.agencies[first], self.agencies[(first + 1) % count]


@dataclass
class ProvinceInfo:
    id: int
    number: int
    code: str
    name: str
    board: Person
    blocs: list[BlocInfo] = field(default_factory=list)


def province_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:02d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _user(writer, rng, *, username, password, position, agency=None, role="", province=None):
    person = Person(writer.id(User), _name(rng), position)
    writer.add(
        User,
        {
            "id": person.id,
            "username": username,
            "password": password,
            "email": f"{username}@scale.invalid",
            "full_name": person.full_name,
            "position": position,
            "agency_id": agency,
            "agency_role": role,
            "board_province_id": province,
        },
    )
    return person


def build_province(writer, rng: random.Random, number: int, preset, password: str):
    """Queue the province, its agencies, accounts and blocs; return what later rows use."""
    code = province_code(number)
    province = ProvinceInfo(writer.id(Province), number, code, f"Tỉnh Thử tải {number:02d}", None)
    writer.add(Province, {"id": province.id, "name": province.name, "code": code})
    province.board = _user(
        writer,
        rng,
        username=f"{code}-board",
        password=password,
        position="Chuyên viên Ban Thi đua – Khen thưởng",
        province=province.id,
    )
    bloc_ids = writer.ids(Bloc, preset.blocs)
    agency_ids = iter(writer.ids(Agency, preset.blocs * preset.members))
    for index, bloc_id in enumerate(bloc_ids):
        bloc_number = index + 1
        field_name, short = FIELDS[index % len(FIELDS)]
        suffix = f" – nhóm {index // len(FIELDS) + 1}" if index >= len(FIELDS) else ""
        bloc = BlocInfo(bloc_id, bloc_number, f"Khối thi đua số {bloc_number} – {field_name}")
        writer.add(
            Bloc,
            {
                "id": bloc.id,
                "province_id": province.id,
                "number": bloc_number,
                "name": bloc.name,
                "field": field_name,
            },
        )
        for member in range(1, preset.members + 1):
            agency_id = next(agency_ids)
            agency_code = f"b{bloc_number:02d}-a{member:02d}"
            name = f"Sở {field_name} số {member}{suffix}"
            writer.add(
                Agency,
                {
                    "id": agency_id,
                    "province_id": province.id,
                    "code": agency_code,
                    "name": name,
                    "short_name": f"Sở {short}{bloc_number}-{member}",
                    "kind": AgencyKind.DEPARTMENT,
                },
            )
            login = f"{code}-{agency_code}"
            leader = _user(
                writer,
                rng,
                username=f"{login}-leader",
                password=password,
                position="Giám đốc",
                agency=agency_id,
                role=AgencyRole.LEADER,
            )
            officer = _user(
                writer,
                rng,
                username=f"{login}-officer",
                password=password,
                position="Chuyên viên phụ trách thi đua, khen thưởng",
                agency=agency_id,
                role=AgencyRole.OFFICER,
            )
            bloc.agencies.append(AgencyInfo(agency_id, agency_code, name, leader, officer))
        province.blocs.append(bloc)
    return province
