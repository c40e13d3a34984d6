"""Covenant signing in real Chromium: the secretariat drafts and opens the
covenant, two leaders sign on their own devices, the year moves on."""

import pytest
from playwright.sync_api import expect

from blocs.models import MemberRole
from covenants.models import Covenant
from members.models import AgencyRole
from tests.blocs.factories import ready_bloc_year
from tests.browser.test_overview import PASSWORD, log_in
from tests.members.factories import AgencyStaffFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year_without_covenant():
    bloc_year = ready_bloc_year(members=2, bloc__name="Khối thi đua số 6 – Văn hóa – Xã hội")
    Covenant.objects.filter(bloc_year=bloc_year).delete()
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    AgencyStaffFactory(
        username="secretariat", agency=chair, agency_role=AgencyRole.OFFICER, password=PASSWORD
    )
    for username, agency, name in (
        ("leader-a", chair, "Huỳnh Ngọc Ánh"),
        ("leader-b", vice, "Phạm Quốc Hùng"),
    ):
        AgencyStaffFactory(
            username=username,
            full_name=name,
            position="Giám đốc",
            agency=agency,
            agency_role=AgencyRole.LEADER,
            password=PASSWORD,
        )
    return bloc_year


def _sign_as(browser, live_server, username, bloc_year):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    page.goto(f"{live_server.url}/blocs/{bloc_year.bloc_id}/{bloc_year.year}/covenant/")
    page.get_by_role("link", name=vi("Read and sign")).click()
    page.get_by_label(vi("I have read the covenant and sign it on behalf of my agency.")).check()
    page.get_by_role("button", name=vi("Sign"), exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("Your agency has signed the covenant.")
    )
    context.close()


def test_draft_open_sign_and_move_on(
    page, browser, live_server, year_without_covenant, screenshot_dir
):
    bloc_year = year_without_covenant
    log_in(page, live_server)  # the secretariat lands on its bloc-year
    page.get_by_role("link", name=vi("Covenant"), exact=True).click()
    page.get_by_role("button", name=vi("Start an empty covenant")).click()
    page.get_by_role("link", name=vi("Edit"), exact=True).click()
    page.locator("#id_theme").fill("Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc")
    page.get_by_role("button", name=vi("Save")).click()
    page.get_by_role("link", name=vi("Commitments"), exact=True).click()
    page.locator("#id_form-0-text").fill("Hoàn thành xuất sắc nhiệm vụ chính trị được giao.")
    page.get_by_role("button", name=vi("Save")).click()
    expect(page.locator("#commitments-heading + ol")).to_contain_text("nhiệm vụ chính trị")

    page.goto(f"{live_server.url}{bloc_year.get_absolute_url()}")
    expect(page.locator("#blockers")).to_contain_text(vi("Nothing blocks the next step."))
    page.get_by_role("link", name=vi("Open covenant signing")).click()
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page.locator('ol.stepper li[aria-current="step"]')).to_contain_text(
        vi("Covenant signing")
    )

    _sign_as(browser, live_server, "leader-a", bloc_year)
    _sign_as(browser, live_server, "leader-b", bloc_year)

    page.reload()
    expect(page.locator("#blockers")).to_contain_text(vi("Nothing blocks the next step."))
    page.get_by_role("link", name=vi("Start the year's work")).click()
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page.locator('ol.stepper li[aria-current="step"]')).to_contain_text(
        vi("Year in progress and mid-year review")
    )
    page.get_by_role("link", name=vi("Covenant"), exact=True).click()
    expect(page.locator("#signatures")).to_contain_text("Phạm Quốc Hùng")
    page.screenshot(path=screenshot_dir / "covenant-signed.png", full_page=True)
