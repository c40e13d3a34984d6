"""Onboarding in real Chromium: the board imports people from Excel, and an
invited leader sets a password from the emailed link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.imports import AGENCY_COLUMNS, AGENCY_SHEET, OFFICIAL_COLUMNS, OFFICIAL_SHEET
from members.models import Agency, User
from members.spreadsheets import write_workbook
from tests.browser.test_overview import log_in
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem"


def _file() -> bytes:
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Có"]]),
            (
                OFFICIAL_SHEET,
                OFFICIAL_COLUMNS,
                [["Lê Văn Minh", "Giám đốc", "minh@syt.example", "", "SYT", "Thủ trưởng"]],
            ),
        ]
    )


def test_board_imports_and_the_invited_leader_signs_in(
    page, browser, live_server, mailoutbox, screenshot_dir
):
    BoardUserFactory(username="board", password=PASSWORD)
    log_in(page, live_server, "board", PASSWORD)

    page.get_by_role("link", name=vi("Import"), exact=True).click()
    page.get_by_label(vi("What the file contains")).select_option("people")
    page.get_by_label(vi("Excel file (.xlsx)")).set_input_files(
        files=[
            {
                "name": "can-bo.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _file(),
            }
        ]
    )
    page.get_by_role("button", name=vi("Check the file")).click()
    changes = page.locator("#import-changes")
    expect(changes).to_contain_text("minh@syt.example")
    expect(changes).to_contain_text(vi("New"))
    page.screenshot(path=screenshot_dir / "board-import-preview.png", full_page=True)
    page.get_by_role("button", name=vi("Confirm and apply")).click()
    expect(page.get_by_role("status").first).to_contain_text(vi("The file was applied."))

    for _ in range(50):  # the invitation leaves after the commit, in the server thread
        if mail.outbox:
            break
        page.wait_for_timeout(100)
    (invitation,) = mail.outbox
    assert invitation.to == ["minh@syt.example"]
    link = re.search(r"http://\S+", invitation.body).group(0)

    leader_context = browser.new_context()
    leader_page = leader_context.new_page()
    leader_page.goto(link)
    expect(leader_page.get_by_role("heading", level=1)).to_have_text(vi("Set your password"))
    leader_page.locator("#id_new_password1").fill("Thi-dua-2026!")
    leader_page.locator("#id_new_password2").fill("Thi-dua-2026!")
    leader_page.get_by_role("button", name=vi("Set password and sign in")).click()

    agency = Agency.objects.get(code="SYT")
    expect(leader_page).to_have_url(f"{live_server.url}{agency.get_absolute_url()}")
    expect(leader_page.get_by_role("heading", level=1)).to_have_text("Sở Y tế")
    leader_page.screenshot(path=screenshot_dir / "invited-leader-agency.png", full_page=True)
    leader_context.close()
    assert User.objects.get(email="minh@syt.example").has_usable_password()
