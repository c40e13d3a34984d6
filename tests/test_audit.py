"""What is audited, declared in one place (``members/audit.py``), and who is
recorded as acting.

* Every concrete model of the four apps is audited or listed, with a reason,
  in ``NOT_AUDITED``: a new model without a decision fails here.
* Every audited model says where its history belongs (``SCOPES``), and the
  path leads to a bloc-year or a province; the parts a page shows are audited.
* Every service that acts for an ``actor`` is marked ``@audit.service``, so its
  history names that person even outside a request: the test walks every
  module of the four apps.
* Inside a request, the request's user is recorded (the middleware); a login
  writes no version; a password never reaches the history.

``tests/demo/test_audit_walk.py`` checks the history the services actually
wrote while seeding the demo; ``tests/awards/test_secrecy.py`` that a vote
writes none.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.apps import apps
from django.urls import reverse

from blocs.models import BlocYear
from members import audit
from members.models import Province, User
from tests.members.factories import AgencyStaffFactory, ProvinceFactory, UserFactory
from tests.utils import log_in

APPS = ("members", "blocs", "covenants", "awards")

#: Functions that take an ``actor`` but are not marked, and why.
UNMARKED = {
    "awards.voting.vote_cast": "the secret ballot: it acts for nobody on purpose and writes "
    "only unaudited ballot data (tests/awards/test_secrecy.py)",
    "awards.bundles.province_dossier_response": "a download: it writes nothing",
}


def _models():
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not hasattr(model, "instance_type")  # a historical model itself
    ]


def test_every_model_is_audited_or_excluded_with_a_reason():
    undecided = [
        model._meta.label_lower
        for model in _models()
        if audit.is_audited(model) == (model._meta.label_lower in audit.NOT_AUDITED)
    ]
    assert undecided == [], "audit it (history = history()) or say why not in NOT_AUDITED"
    assert all(reason.strip() for reason in audit.NOT_AUDITED.values())
    labels = {model._meta.label_lower for model in _models()}
    assert set(audit.NOT_AUDITED) <= labels  # no stale entry


def test_every_audited_model_has_a_scope_that_leads_to_a_year_or_a_province():
    audited = {model._meta.label_lower: model for model in audit.audited_models()}
    assert set(audit.SCOPES) == set(audited)
    for label, paths in audit.SCOPES.items():
        for path in paths if isinstance(paths, tuple) else (paths,):
            target = audited[label]
            for name in path.split("__") if path else ():
                target = target._meta.get_field(name).related_model
            assert target in (BlocYear, Province), (label, path)


def test_the_parts_of_a_page_are_audited_and_point_at_their_whole():
    for whole, parts in audit.PARTS.items():
        assert whole in audit.SCOPES
        for label, path, title in parts:
            model = apps.get_model(label)
            assert audit.is_audited(model), label
            target = model
            for name in path.split("__"):
                target = target._meta.get_field(name).related_model
                assert audit.is_audited(target), (label, path)
            assert target._meta.label_lower == whole
            model._meta.get_field(title)


def _functions_with_an_actor():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for name, function in vars(module).items():
                if name.startswith("_") or not inspect.isfunction(function):
                    continue
                if getattr(function, "__module__", None) != info.name:
                    continue
                actor = inspect.signature(function).parameters.get("actor")
                if actor is not None and actor.kind == actor.KEYWORD_ONLY:
                    yield f"{info.name}.{name}", function


def test_every_service_records_its_actor():
    services = dict(_functions_with_an_actor())
    assert len(services) > 90
    unmarked = [
        name
        for name, function in services.items()
        if not getattr(function, "audited_service", False) and name not in UNMARKED
    ]
    assert unmarked == [], "mark it @audit.service (or explain it in UNMARKED)"
    assert set(UNMARKED) <= set(services)


@pytest.mark.django_db
def test_a_service_outside_a_request_records_its_actor():
    from blocs.services import bloc_year_update
    from tests.blocs.factories import ready_bloc_year
    from tests.members.factories import BoardUserFactory

    bloc_year = ready_bloc_year()
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    bloc_year_update(bloc_year=bloc_year, actor=board, data={"theme": "Mới"})
    assert bloc_year.history.latest().history_user == board


@pytest.mark.django_db
def test_acting_names_who_writes_outside_a_service():
    author, other = UserFactory(), UserFactory()
    with audit.acting(author):
        province = ProvinceFactory()
        with audit.acting(None):  # no one new: the enclosing actor stays
            province.name = "Tỉnh Mới"
            province.save()
    pk = province.pk
    with audit.acting(other):
        province.delete()
    versions = Province.history.filter(id=pk).order_by("history_id")
    kinds = [(v.history_type, v.history_user) for v in versions]
    assert kinds == [("+", author), ("~", author), ("-", other)]


@pytest.mark.django_db
def test_a_request_records_the_signed_in_user(client):
    person = AgencyStaffFactory()
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Nguyễn Thị Mới",
            "position": person.position,
            "email": person.email,
            "phone": "",
            "preferred_language": "vi",
        },
    )
    assert response.status_code == 302
    version = person.history.latest()
    assert (version.full_name, version.history_user) == ("Nguyễn Thị Mới", person)


@pytest.mark.django_db
def test_a_login_writes_no_version_and_passwords_are_never_kept(client):
    person = UserFactory(password=None)
    person.set_password("a-long-secret-9")
    person.save()
    versions = person.history.count()
    assert log_in(client, username=person.username, password="a-long-secret-9")
    assert person.history.count() == versions
    kept = {field.name for field in audit.historical_model(User)._meta.fields}
    assert not {"password", "last_login"} & kept
