"""The conference, results and proposals pages lead to the documents: the
PDFs for whoever may read them, the summary-report form for the secretariat
(until submission)."""

import pytest
from django.urls import reverse

from awards.models import Conference
from tests.awards.factories import complete_conference, conference_year
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory

pytestmark = pytest.mark.django_db


def _links(client, user, bloc_year, name):
    client.force_login(user)
    url = reverse(f"awards:{name}", args=[bloc_year.bloc_id, bloc_year.year])
    page = client.get(url).content.decode()
    pdf = reverse("awards:submission_pdf", args=[bloc_year.bloc_id, bloc_year.year])
    form = reverse("awards:report_edit", args=[bloc_year.bloc_id, bloc_year.year])
    return pdf in page, form in page


def test_the_secretariat_finds_the_documents_and_the_report_form(client):
    bloc_year = conference_year(members=4)
    Conference.objects.create(bloc_year=bloc_year)
    secretariat = officer_of(bloc_year.chair)
    assert _links(client, secretariat, bloc_year, "conference") == (True, True)


def test_members_find_the_documents_once_results_are_confirmed(client):
    bloc_year = conference_year(members=4)
    Conference.objects.create(bloc_year=bloc_year)
    member = leader_of(bloc_year.memberships.filter(role="member").first().agency)
    assert _links(client, member, bloc_year, "conference") == (False, False)
    complete_conference(bloc_year)
    for page in ("conference", "results", "proposals"):
        assert _links(client, member, bloc_year, page) == (True, False), page


def test_the_board_finds_the_submission_on_the_proposals_page(client):
    bloc_year = conference_year(members=4)
    complete_conference(bloc_year)
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    assert _links(client, board, bloc_year, "proposals") == (True, False)


def test_the_dossier_is_offered_to_the_board_and_the_secretariat_once_confirmed(client):
    bloc_year = conference_year(members=4)
    complete_conference(bloc_year)
    dossier = reverse("awards:dossier", args=[bloc_year.bloc_id, bloc_year.year])
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    member = leader_of(bloc_year.memberships.filter(role="member").first().agency)
    for user, offered in ((board, True), (officer_of(bloc_year.chair), True), (member, False)):
        client.force_login(user)
        for page in ("conference", "results", "proposals"):
            url = reverse(f"awards:{page}", args=[bloc_year.bloc_id, bloc_year.year])
            assert (dossier in client.get(url).content.decode()) is offered, (user, page)
