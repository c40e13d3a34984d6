"""Demo blocs and their years, walked through the real services.

- Khối thi đua số 6 – Văn hóa – Xã hội: 2024 and 2025 closed (2025 with the
  mergers' joins and leaves), 2026 at its year-end conference with Sở
  VHTT&DL as chair, so the ``secretariat`` login is its secretariat; 2027
  opened in set-up without officers, so the board sees what blocks signing.
- Khối thi đua số 2 – Kinh tế – Tổng hợp: 2025 closed, 2026 in year-end
  scoring.
- Khối thi đua số 3 – Nội chính: 2026 with its covenant being signed (some
  members still to sign).

Then the province's calendar of deadlines and the day's reminder run
(:mod:`blocs.demo_deadlines`, from :func:`wrap_up`).
"""

import datetime

from django.utils import timezone

from members.models import User

from . import demo_deadlines, services
from .models import Bloc, BlocYear, Membership, StageChange
from .stages import TRANSITIONS_BY_NAME, Stage

CULTURE_MEMBERS_2024 = [
    "skhcn",
    "sldtbxh",
    "syt",
    "sgddt",
    "svhttdl",
    "stttt",
    "bdt",
    "dptth",
    "bao",
    "tcdcd",
]
CULTURE_MEMBERS_2026 = ["skhcn", "syt", "sgddt", "svhttdl", "tcdcd", "sdttg", "bptth"]
ECONOMY_MEMBERS = ["stc", "sxd", "sct", "snnmt", "stp", "ttt", "vpubnd", "sngv"]
INTERIOR_MEMBERS = ["cat", "bchqs", "bdbp", "tand", "vksnd", "thads", "snv"]

# (transition, actor role, date) in the order a year walks them.
YEAR_WALK = [
    ("open_signing", "board", (1, 20)),
    ("start_year", "chair", (3, 5)),
    ("open_scoring", "chair", (11, 2)),
    ("open_conference", "chair", (11, 20)),
    ("submit_proposals", "chair", (12, 5)),
    ("close_year", "board", (12, 20)),
]


def _chair_leader(context, bloc_year):
    return next(u for u in context["users"].values() if u.agency_id == bloc_year.chair.pk)


def _walk(context, bloc_year, until: Stage):
    """Move the year along with the real services up to ``until``."""
    for name, actor_role, (month, day) in YEAR_WALK:
        if bloc_year.stage == until:
            return
        if bloc_year.stage != TRANSITIONS_BY_NAME[name].source:
            continue
        # Apps above blocs put in place what their guards need (signatures…).
        for prepare in context.get("preparers", {}).get(name, []):
            prepare(context, bloc_year)
        actor = (
            context["users"]["board"]
            if actor_role == "board"
            else _chair_leader(context, bloc_year)
        )
        bloc_year = services.TRANSITION_SERVICES[name](bloc_year=bloc_year, actor=actor)
        moment = datetime.datetime(
            bloc_year.year, month, day, 9, 0, tzinfo=timezone.get_current_timezone()
        )
        StageChange.objects.filter(bloc_year=bloc_year, transition=name).update(at=moment)


def _year(context, bloc, year, *, members, chair, vice_chair, theme, dates, until, moves=()):
    agencies, board = context["agencies"], context["users"]["board"]
    bloc_year = BlocYear.objects.filter(bloc=bloc, year=year).first()
    if bloc_year is None:
        bloc_year = services.bloc_year_create(
            bloc=bloc, year=year, actor=board, theme=theme, copy_members=False
        )
        for key in members:
            services.membership_add(bloc_year=bloc_year, actor=board, agency=agencies[key])
        for key, joined_on, left_on in moves:
            membership = Membership.objects.filter(
                bloc_year=bloc_year, agency=agencies[key]
            ).first() or services.membership_add(
                bloc_year=bloc_year, actor=board, agency=agencies[key], joined_on=joined_on
            )
            if (membership.joined_on, membership.left_on) != (joined_on, left_on):
                services.membership_update(
                    membership=membership, actor=board, joined_on=joined_on, left_on=left_on
                )
        services.bloc_year_set_officers(
            bloc_year=bloc_year,
            actor=board,
            chair=agencies[chair] if chair else None,
            vice_chair=agencies[vice_chair] if vice_chair else None,
        )
        services.bloc_year_update(bloc_year=bloc_year, actor=board, data=dates(year))
    # Walked in finish(), once every app has prepared its part of the year.
    context.setdefault("walks", []).append((bloc_year, until))
    return bloc_year


def _seed_delegation(context, bloc_year):
    """The 2026 chair's leader lends the secretariat's rights to the vice-chair
    agency's emulation officer (added by the example import)."""
    helper = User.objects.filter(email="hong.mt@demo.example").first()
    if helper is None or bloc_year.delegations.filter(user=helper).exists():
        return
    services.delegation_grant(
        bloc_year=bloc_year, user=helper, actor=context["users"]["leader.svhttdl"]
    )


def _dates(year):
    return {
        "signing_date": datetime.date(year, 3, 5),
        "mid_year_review_date": datetime.date(year, 7, 18),
        "conference_date": datetime.date(year, 12, 2),
        "dossier_deadline": datetime.date(year, 12, 10),
    }


def seed(context):
    province = context["province"]
    culture, _ = Bloc.objects.get_or_create(
        province=province,
        number=6,
        defaults={
            "name": "Khối thi đua số 6 – Văn hóa – Xã hội",
            "field": "Văn hóa – Xã hội",
        },
    )
    economy, _ = Bloc.objects.get_or_create(
        province=province,
        number=2,
        defaults={"name": "Khối thi đua số 2 – Kinh tế – Tổng hợp", "field": "Kinh tế – Tổng hợp"},
    )
    interior, _ = Bloc.objects.get_or_create(
        province=province,
        number=3,
        defaults={"name": "Khối thi đua số 3 – Nội chính", "field": "Nội chính"},
    )
    merge_day, press_day = datetime.date(2025, 3, 1), datetime.date(2025, 7, 1)
    years = [
        _year(
            context,
            culture,
            2024,
            members=CULTURE_MEMBERS_2024,
            chair="syt",
            vice_chair="sgddt",
            theme="Đoàn kết, sáng tạo, hoàn thành xuất sắc nhiệm vụ năm 2024",
            dates=_dates,
            until=Stage.CLOSED,
        ),
        _year(
            context,
            culture,
            2025,
            members=CULTURE_MEMBERS_2024,
            chair="sgddt",
            vice_chair="svhttdl",
            theme="Đổi mới, tinh gọn, hiệu quả",
            dates=_dates,
            until=Stage.CLOSED,
            moves=[
                ("sldtbxh", None, merge_day),
                ("stttt", None, merge_day),
                ("bdt", None, merge_day),
                ("sdttg", merge_day, None),
                ("dptth", None, press_day),
                ("bao", None, press_day),
                ("bptth", press_day, None),
            ],
        ),
        _year(
            context,
            culture,
            2026,
            members=CULTURE_MEMBERS_2026,
            chair="svhttdl",
            vice_chair="skhcn",
            theme="Chuyển đổi số, phục vụ Nhân dân",
            dates=_dates,
            until=Stage.CONFERENCE,
        ),
        _year(
            context,
            economy,
            2025,
            members=ECONOMY_MEMBERS,
            chair="stc",
            vice_chair="sxd",
            theme="Kỷ cương, trách nhiệm, hiệu quả",
            dates=_dates,
            until=Stage.CLOSED,
        ),
        _year(
            context,
            economy,
            2026,
            members=ECONOMY_MEMBERS,
            chair="sxd",
            vice_chair="sct",
            theme="Đổi mới, hội nhập, phát triển bền vững",
            dates=_dates,
            until=Stage.SCORING,
        ),
        _year(
            context,
            interior,
            2026,
            members=INTERIOR_MEMBERS,
            chair="vksnd",
            vice_chair="tand",
            theme="Kỷ cương, liêm chính, vì Nhân dân phục vụ",
            dates=_dates,
            until=Stage.SIGNING,
        ),
        # Next year, opened by the board before the conference elects its officers.
        _year(
            context,
            culture,
            2027,
            members=CULTURE_MEMBERS_2026,
            chair=None,
            vice_chair=None,
            theme="",
            dates=lambda year: {},
            until=Stage.SETUP,
        ),
    ]
    _seed_delegation(context, years[2])
    context.update(
        blocs={"culture": culture, "economy": economy, "interior": interior}, bloc_years=years
    )
    context["log"](f"  blocs: 3 blocs, {len(years)} bloc-years")


def finish(context):
    """Walk every demo year to its stage, through the real services."""
    for bloc_year, until in context.get("walks", []):
        _walk(context, BlocYear.objects.get(pk=bloc_year.pk), until)


def wrap_up(context):
    """Once every app has finished: the calendar and the day's reminders."""
    demo_deadlines.wrap_up(context)
