"""The audit history page (``/history/<model label>/<id>/``): who changed what,
when, before → after; for the year's secretariat and its province's board only,
with what the blind review hides left out, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst

from blocs.models import MemberRole
from blocs.services import bloc_year_set_officers, bloc_year_update
from covenants.scores.services import self_scores_save, sheet_submit
from members.models import Invitation
from tests.covenants.factories_score import valid_value
from tests.members.factories import AgencyStaffFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _url(obj) -> str:
    return reverse("object_history", args=[obj._meta.label_lower, obj.pk])


def _page(client, user, obj) -> str:
    client.force_login(user)
    response = client.get(_url(obj))
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretariat_and_the_board_read_it_nobody_else(client, world):
    url = _url(world["bloc_year"])
    for name, status in [
        ("secretariat", 200),
        ("board", 200),
        ("admin", 200),
        ("leader", 403),
        ("other_board", 403),
    ]:
        client.force_login(world[name])
        assert client.get(url).status_code == status, name
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_change_shows_who_when_and_before_after(client, world):
    bloc_year = world["bloc_year"]
    old = bloc_year.theme
    bloc_year_update(bloc_year=bloc_year, actor=world["board"], data={"theme": "Tăng tốc, bứt phá"})

    html = _page(client, world["secretariat"], bloc_year)

    assert vi("Audit history") in html
    assert "Tăng tốc, bứt phá" in html
    assert (old or "—") in html
    assert capfirst(vi("theme")) in html
    assert "Ban TĐKT" in html  # the board member who changed it, by name
    assert vi("Changed") in html


def test_parts_show_related_names_and_choice_labels(client, world):
    bloc_year, roles = world["bloc_year"], world["roles"]
    bloc_year_set_officers(
        bloc_year=bloc_year,
        actor=world["board"],
        chair=roles[MemberRole.VICE_CHAIR],
        vice_chair=roles[MemberRole.CHAIR],
    )

    html = _page(client, world["board"], bloc_year)

    assert f"{capfirst(vi('membership'))}: {roles[MemberRole.CHAIR].name}" in html
    assert vi("Chair (khối trưởng)") in html
    assert vi("Vice-chair (khối phó)") in html


def test_models_without_history_and_unknown_objects_are_not_found(client, world):
    client.force_login(world["admin"])
    invitation = Invitation.objects.create(user=world["leader"], sent_by=world["board"])
    for url in [
        _url(invitation),  # an append-only log (members.audit.NOT_AUDITED)
        reverse("object_history", args=["awards.ballotparticipation", 1]),
        reverse("object_history", args=["nothing.here", 1]),
        reverse("object_history", args=["members", 1]),
        reverse("object_history", args=["blocs.blocyear", 999999]),
    ]:
        assert client.get(url).status_code == 404, url


def _save(world, text):
    """Self-scores on every line (a sheet can be submitted), ``text`` on three."""
    lines = list(world["sheet"].lines.select_related("criterion").order_by("order"))
    entries = {line.key: {"value": valid_value(line.criterion)} for line in lines}
    for line in lines[:3]:
        entries[line.key]["explanation"] = text
    self_scores_save(sheet=world["sheet"], actor=world["officer"], entries=entries)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_long_the_history(client, world):
    bloc_year, roles, board = world["bloc_year"], world["roles"], world["board"]
    officers = [roles[MemberRole.CHAIR], roles[MemberRole.VICE_CHAIR]]
    pages = {_url(world["sheet"]): world["board"], _url(bloc_year): world["admin"]}

    def change(round_):
        _save(world, f"Lần {round_}")
        bloc_year_update(bloc_year=bloc_year, actor=board, data={"theme": f"Chủ đề {round_}"})
        officers.reverse()
        bloc_year_set_officers(
            bloc_year=bloc_year, actor=board, chair=officers[0], vice_chair=officers[1]
        )

    change(1)
    few = {}
    for url, user in pages.items():
        client.force_login(user)
        few[url] = _queries(client, url)
    for round_ in range(2, 8):
        change(round_)
    for url, user in pages.items():
        client.force_login(user)
        assert _queries(client, url) == few[url], url


def test_the_blind_review_hides_self_scores_until_submitted(client, world):
    sheet = world["sheet"]
    _save(world, "Giải trình bí mật")

    # The secretariat reviews this sheet: it sees the member's numbers once both
    # sides are in; the board once the member has submitted.
    for name in ("secretariat", "board"):
        html = _page(client, world[name], sheet)
        assert "Giải trình bí mật" not in html, name
        assert 'id="history-hidden"' in html

    sheet_submit(sheet=sheet, actor=world["leader"])
    assert "Giải trình bí mật" in _page(client, world["board"], sheet)
    assert "Giải trình bí mật" not in _page(client, world["secretariat"], sheet)


def test_detail_pages_link_the_history_for_those_who_may_read_it(client, world):
    bloc_year, sheet = world["bloc_year"], world["sheet"]
    for page, obj in [(bloc_year.get_absolute_url(), bloc_year), (_sheet_url(sheet), sheet)]:
        link = f'href="{_url(obj)}"'
        assert link in _page_of(client, world["secretariat"], page)
        assert link in _page_of(client, world["board"], page)
        assert link not in _page_of(client, world["leader"], page)


def _sheet_url(sheet):
    return reverse(
        "covenants:score_sheet",
        args=[sheet.bloc_year.bloc_id, sheet.bloc_year.year, sheet.period, sheet.agency_id],
    )


def _page_of(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_staff_of_another_agency_of_the_province_is_refused(client, world):
    outsider = AgencyStaffFactory(agency__province=world["bloc_year"].bloc.province)
    client.force_login(outsider)
    assert client.get(_url(world["sheet"])).status_code == 403


def test_the_models_named_without_joins_read_nothing_else(world):
    """members.history.NAMES_READ: what these models' names read, no more (else the
    history page would query once per version naming one)."""
    from django.apps import apps

    from members.history import NAMES_READ

    for label, paths in NAMES_READ.items():
        model = apps.get_model(label)
        rows = model._base_manager.select_related(*paths) if paths else model._base_manager
        objects = list(rows.order_by("pk")[:3])
        assert objects, label
        with CaptureQueriesContext(connection) as queries:
            names = [str(obj) for obj in objects]
        assert len(queries) == 0, (label, names)
