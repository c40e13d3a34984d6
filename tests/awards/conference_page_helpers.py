"""Helpers for the conference pages' tests: URLs, a member's leader, a page's HTML."""

from django.urls import reverse

from blocs.models import MemberRole

__all__ = ["member_leader", "page_html", "page_url"]


def page_url(name, bloc_year, *args):
    return reverse(f"awards:{name}", args=[bloc_year.bloc_id, bloc_year.year, *args])


def member_leader(bloc_year, leaders):
    """A leader of a member that is not the chair (the chair's staff are the secretariat)."""
    return leaders[bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id]


def page_html(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
