"""Nobody shares passwords: invitations with one-time links, password reset,
profiles, and deactivation that keeps history."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from blocs import permissions as bloc_permissions
from blocs.models import StageChange
from members import services
from members.models import AgencyRole, Invitation, User
from members.tokens import InvitationTokenGenerator
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory
from tests.utils import log_in, vi

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


def _link(mail) -> str:
    return re.search(r"http://testserver(/\S+)", mail.body).group(1)


@pytest.fixture
def invited(bloc_year, board_user, mailoutbox, django_capture_on_commit_callbacks):
    """A new leader of a member agency, added by the board and invited."""
    agency = bloc_year.memberships.filter(role="member").first().agency
    with django_capture_on_commit_callbacks(execute=True):
        user = services.official_create(
            agency=agency,
            actor=board_user,
            base_url=BASE,
            full_name="Trần Văn Bình",
            position="Giám đốc",
            agency_role=AgencyRole.LEADER,
            email="Binh@Example.test",
            phone="0255 3822 000",
            preferred_language="vi",
        )
    return user


def test_a_new_official_gets_an_invitation_and_no_usable_password(invited, mailoutbox):
    assert invited.username == invited.email == "binh@example.test"
    assert not invited.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["binh@example.test"]
    assert "/accounts/invitation/" in mailoutbox[0].body
    assert Invitation.objects.filter(user=invited).count() == 1


def test_the_invited_leader_sets_a_password_and_lands_on_the_agency_page(
    invited, mailoutbox, client
):
    link = _link(mailoutbox[0])
    form_url = client.get(link).url  # Django swaps the token for a session marker
    page = client.get(form_url)
    assert vi("Set your password") in page.content.decode()

    response = client.post(
        form_url,
        {"new_password1": "Thi-dua-2026!", "new_password2": "Thi-dua-2026!"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == invited.agency.get_absolute_url()
    assert response.context["user"] == invited
    invited.refresh_from_db()
    assert invited.check_password("Thi-dua-2026!")


def test_the_link_works_only_once(invited, mailoutbox, client):
    link = _link(mailoutbox[0])
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "Thi-dua-2026!", "new_password2": "Thi-dua-2026!"})
    client.logout()

    response = client.get(link, follow=True)
    assert vi("This link no longer works") in response.content.decode()


def test_the_link_expires(invited, mailoutbox, client, monkeypatch, settings):
    link = _link(mailoutbox[0])
    later = InvitationTokenGenerator()._now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    response = client.get(link, follow=True)
    assert vi("This link no longer works") in response.content.decode()


def test_an_invitation_email_speaks_the_persons_language(
    bloc_year, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    agency = bloc_year.memberships.first().agency
    with django_capture_on_commit_callbacks(execute=True):
        services.official_create(
            agency=agency,
            actor=board_user,
            base_url=BASE,
            full_name="Anna",
            agency_role=AgencyRole.STAFF,
            email="anna@example.test",
            preferred_language="en",
        )
        services.official_create(
            agency=agency,
            actor=board_user,
            base_url=BASE,
            full_name="Lan",
            agency_role=AgencyRole.STAFF,
            email="lan@example.test",
            preferred_language="vi",
        )
    english, vietnamese = mailoutbox
    assert english.subject == "You are invited to Thi đua"
    assert vietnamese.subject == vi("You are invited to Thi đua")


def test_who_may_resend_an_invitation(
    invited,
    board_user,
    secretariat_user,
    outsider,
    other_board_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    for actor in (board_user, secretariat_user):
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_send(
                user=invited, actor=actor, base_url=BASE, permitted=bloc_permissions.can_invite
            )
    assert len(mailoutbox) == 3
    for actor in (outsider, other_board_user):
        with pytest.raises(PermissionDenied):
            services.invitation_send(
                user=invited, actor=actor, base_url=BASE, permitted=bloc_permissions.can_invite
            )
    # Without the blocs rule the secretariat is not enough.
    with pytest.raises(PermissionDenied):
        services.invitation_send(user=invited, actor=secretariat_user, base_url=BASE)


def test_no_invitation_once_the_password_is_set(invited, board_user):
    invited.set_password("x-Thi-dua-2026")
    invited.save()
    with pytest.raises(ValidationError, match="already set a password"):
        services.invitation_send(user=invited, actor=board_user, base_url=BASE)


def test_the_secretariat_resends_from_the_agency_page(
    invited, secretariat_user, client, mailoutbox
):
    client.force_login(secretariat_user)
    page = client.get(invited.agency.get_absolute_url()).content.decode()
    assert reverse("blocs:invite", args=[invited.pk]) in page
    response = client.post(reverse("blocs:invite", args=[invited.pk]))
    assert response.url == invited.agency.get_absolute_url()


def test_an_official_with_a_taken_email_is_refused_with_a_translated_message(
    invited, board_user, client
):
    client.force_login(board_user)
    response = client.post(
        reverse("members:official_create", args=[invited.agency_id]),
        {
            "full_name": "Người khác",
            "agency_role": "staff",
            "email": "BINH@example.test",
            "preferred_language": "vi",
        },
    )
    assert response.status_code == 200
    assert vi("Another account already uses this email.") in response.content.decode()


# Password reset ----------------------------------------------------------------


def test_password_reset_by_email(client, mailoutbox):
    user = AgencyStaffFactory(email="lan@example.test", preferred_language="vi")
    response = client.post(reverse("password_reset"), {"email": "lan@example.test"})
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == vi("Thi đua: choose a new password")

    form_url = client.get(_link(mailoutbox[0])).url
    client.post(form_url, {"new_password1": "Moi-Thi-dua-26", "new_password2": "Moi-Thi-dua-26"})
    user.refresh_from_db()
    assert user.check_password("Moi-Thi-dua-26")


def test_password_reset_says_nothing_about_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


# Profile ------------------------------------------------------------------------


def test_a_person_edits_their_profile_and_language(client, member_leader):
    client.force_login(member_leader)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Lê Thị Hoa",
            "position": "Phó Giám đốc",
            "email": "hoa@example.test",
            "phone": "0912 345 678",
            "preferred_language": "en",
        },
    )
    assert response.cookies["django_language"].value == "en"
    member_leader.refresh_from_db()
    assert (member_leader.full_name, member_leader.phone) == ("Lê Thị Hoa", "0912 345 678")
    client.cookies.pop("django_language")
    html = client.get(reverse("accounts:profile")).content.decode()
    assert '<html lang="en">' in html  # the preference applies without a cookie


def test_the_language_switch_is_remembered_on_the_profile(client, member_leader):
    client.force_login(member_leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    member_leader.refresh_from_db()
    assert member_leader.preferred_language == "en"


# Deactivation --------------------------------------------------------------------


def test_deactivation_keeps_the_name_and_removes_every_right(
    bloc_year, board_user, secretariat_user, client
):
    StageChange.objects.create(
        bloc_year=bloc_year,
        transition="open_signing",
        from_stage="setup",
        to_stage="signing",
        actor=secretariat_user,
    )
    services.user_set_active(user=secretariat_user, actor=board_user, active=False)

    secretariat_user.refresh_from_db()
    assert User.objects.filter(pk=secretariat_user.pk).exists()
    assert bloc_permissions.is_secretariat(secretariat_user, bloc_year) is False
    assert not log_in(client, username=secretariat_user.username, password="secret-pass")

    client.force_login(board_user)
    html = client.get(bloc_year.get_absolute_url()).content.decode()
    assert secretariat_user.full_name in html  # the history still names them


def test_only_the_provinces_board_deactivates(member_leader, other_board_user, board_user):
    with pytest.raises(PermissionDenied):
        services.user_set_active(user=member_leader, actor=other_board_user, active=False)
    with pytest.raises(ValidationError):
        services.user_set_active(user=board_user, actor=board_user, active=False)


def test_board_deactivates_and_reactivates_from_the_agency_page(client, board_user, member_leader):
    client.force_login(board_user)
    client.post(reverse("members:deactivate", args=[member_leader.pk]))
    member_leader.refresh_from_db()
    assert member_leader.is_active is False
    page = client.get(member_leader.agency.get_absolute_url()).content.decode()
    assert vi("deactivated") in page
    client.post(reverse("members:reactivate", args=[member_leader.pk]))
    member_leader.refresh_from_db()
    assert member_leader.is_active is True


def test_other_users_cannot_use_the_people_actions(client, member_leader, outsider):
    client.force_login(outsider)
    assert client.post(reverse("members:deactivate", args=[member_leader.pk])).status_code == 403
    agency = AgencyFactory(province=member_leader.agency.province)
    assert client.get(reverse("members:official_create", args=[agency.pk])).status_code == 403
    BoardUserFactory()  # another province's board exists but changes nothing here
