"""The secretariat's morning: log in, land on the bloc-year, see what blocks
the next step. Runs in real Chromium against a live server."""

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from blocs.models import MemberRole
from members.models import AgencyRole, User
from tests.blocs.factories import ready_bloc_year
from tests.members.factories import AgencyStaffFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def secretariat_without_vice_chair():
    """A bloc-year in set-up whose vice-chair is not chosen yet."""
    bloc_year = ready_bloc_year(members=5, bloc__name="Khối thi đua số 6 – Văn hóa – Xã hội")
    bloc_year.memberships.filter(role=MemberRole.VICE_CHAIR).update(role=MemberRole.MEMBER)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    AgencyStaffFactory(
        username="secretariat",
        full_name="Nguyễn Thị Lan",
        agency=chair,
        agency_role=AgencyRole.OFFICER,
        password=PASSWORD,
    )
    return bloc_year


def log_in(page, live_server, username="secretariat", password=PASSWORD):
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    with translation.override("vi"):
        username_label, password_label = (
            str(capfirst(User._meta.get_field(name).verbose_name))
            for name in ("username", "password")
        )
    page.get_by_label(username_label).fill(username)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=vi("Log in")).click()


def test_secretariat_sees_the_stepper_and_what_blocks_signing(
    page, live_server, secretariat_without_vice_chair, screenshot_dir
):
    bloc_year = secretariat_without_vice_chair
    log_in(page, live_server)

    expect(page).to_have_url(f"{live_server.url}{bloc_year.get_absolute_url()}")
    stepper = page.locator("ol.stepper")
    expect(stepper.locator("li")).to_have_count(7)
    expect(stepper.locator('li[aria-current="step"]')).to_contain_text(vi("Set-up"))
    expect(page.locator("#blockers")).to_contain_text(
        vi("No vice-chair agency (khối phó) is set for this year.")
    )
    expect(page.get_by_role("button", name=vi("Open covenant signing"))).to_be_disabled()
    page.screenshot(path=screenshot_dir / "secretariat-overview.png", full_page=True)

    # The secretariat fixes the blocker with the keyboard-usable form, then opens signing.
    page.get_by_role("link", name=vi("Chair and vice-chair")).click()
    vice = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    page.get_by_label(vi("Vice-chair agency (khối phó)")).select_option(str(vice.pk))
    page.get_by_role("button", name=vi("Save")).click()
    expect(page.locator("#blockers")).to_contain_text(vi("Nothing blocks the next step."))
    page.get_by_role("link", name=vi("Open covenant signing")).click()
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page.locator('ol.stepper li[aria-current="step"]')).to_contain_text(
        vi("Covenant signing")
    )


def test_the_overview_works_on_a_phone(
    page, live_server, secretariat_without_vice_chair, screenshot_dir
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server)
    toggler = page.get_by_role("button", name=vi("Toggle navigation"))
    expect(toggler).to_be_visible()
    toggler.click()
    expect(page.get_by_role("button", name=vi("Log out"))).to_be_visible()
    expect(page.locator("#blockers")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the page must not scroll sideways on a phone"
    page.screenshot(path=screenshot_dir / "secretariat-overview-phone.png", full_page=True)
