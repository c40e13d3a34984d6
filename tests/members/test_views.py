"""Agency list and forms: the board's province only, Vietnamese order,
constraint violations explained next to the field."""

import pytest
from django.contrib import admin
from django.urls import reverse

from members.models import Agency
from tests.members.factories import AgencyFactory, BoardUserFactory, ProvinceFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def test_agency_list_shows_the_boards_province_in_vietnamese_order(client):
    board = BoardUserFactory()
    for name in ["Sở Y tế", "Đài Phát thanh và Truyền hình tỉnh", "Ban Dân tộc", "Sở Du lịch"]:
        AgencyFactory(province=board.board_province, name=name)
    AgencyFactory(province=ProvinceFactory(), name="Sở Tài chính")
    client.force_login(board)

    html = client.get(reverse("members:list")).content.decode()

    positions = [
        html.index(name)
        for name in ["Ban Dân tộc", "Đài Phát thanh và Truyền hình tỉnh", "Sở Du lịch", "Sở Y tế"]
    ]
    assert positions == sorted(positions)
    assert "Sở Tài chính" not in html


def test_board_creates_an_agency_and_a_duplicate_name_is_explained(client):
    board = BoardUserFactory()
    client.force_login(board)
    data = {
        "code": "SYT",
        "name": "Sở Y tế",
        "short_name": "SYT",
        "kind": "department",
        "is_active": "on",
    }

    response = client.post(reverse("members:create"), data)
    agency = Agency.objects.get(name="Sở Y tế")
    assert agency.province == board.board_province
    assert response.url == agency.get_absolute_url()

    response = client.post(
        reverse("members:create"), {**data, "code": "SYT2", "short_name": "SYT2"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert vi("An active agency with this name already exists.") in html
    assert 'value="SYT2"' in html  # what the user typed is kept
    assert Agency.objects.filter(name="Sở Y tế").count() == 1


def test_a_board_cannot_edit_another_provinces_agency(client):
    client.force_login(BoardUserFactory())
    assert client.get(reverse("members:update", args=[AgencyFactory().pk])).status_code == 403


def test_the_admin_lists_every_registered_model(client, site_admin):
    client.force_login(site_admin)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_editing_an_agency_cannot_rewrite_its_name(client):
    board = BoardUserFactory()
    agency = AgencyFactory(province=board.board_province, code="SYT", name="Sở Y tế")
    client.force_login(board)
    client.post(
        reverse("members:update", args=[agency.pk]),
        {
            "code": "X",
            "name": "Tên khác",
            "short_name": "Y tế",
            "kind": "department",
            "is_active": "on",
        },
    )
    agency.refresh_from_db()
    assert (agency.code, agency.name, agency.short_name) == ("SYT", "Sở Y tế", "Y tế")
