import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    """The outage is simulated at the edge: the connection refuses a cursor."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
