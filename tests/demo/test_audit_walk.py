"""Every mutating service writes history: the demo drives nearly every service
as real people (``seed_demo``), then each row of each audited model is checked
against its latest version.

A write that bypasses the history (``QuerySet.update``, ``bulk_create``, a
raw save without signals) leaves a row whose latest version says something
else, or no version at all: the test names the model, the row and the fields.
"""

from collections import defaultdict

import pytest
from django.db.models import Max

from members import audit
from members.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _tracked(model) -> list[str]:
    """The columns the history keeps (the model's, minus its excluded fields)."""
    kept = {field.attname for field in audit.historical_model(model)._meta.concrete_fields}
    return [f.attname for f in model._meta.concrete_fields if f.attname in kept]


def _latest_versions(model, columns) -> dict:
    versions = audit.historical_model(model).objects
    pk = model._meta.pk.attname
    latest = versions.values(pk).annotate(last=Max("history_id")).values("last")
    return {
        row[pk]: row
        for row in versions.filter(history_id__in=latest).values(
            *columns, "history_type", "history_user_id"
        )
    }


def test_every_row_of_every_audited_model_matches_its_latest_version():
    mismatches = defaultdict(list)
    checked = 0
    for model in audit.audited_models():
        columns = _tracked(model)
        versions = _latest_versions(model, columns)
        for row in model._base_manager.values(*columns):
            checked += 1
            version = versions.get(row[model._meta.pk.attname])
            if version is None:
                mismatches[model._meta.label].append((row["id"], "no history"))
                continue
            differing = [name for name in columns if row[name] != version[name]]
            if differing or version["history_type"] == "-":
                mismatches[model._meta.label].append((row["id"], differing))
    assert checked > 1000  # the demo is big enough for this to mean something
    assert not mismatches, dict(mismatches)


def test_the_demo_has_history_in_every_audited_model_it_fills():
    empty = [
        model._meta.label
        for model in audit.audited_models()
        if model._base_manager.exists() and not audit.historical_model(model).objects.exists()
    ]
    assert not empty


def test_every_version_names_the_person_who_made_the_change():
    """People act in the demo (services as their actor, the rest as the site
    administrator); only the administrator's own account predates anyone."""
    admin = User.objects.get(username="admin")
    anonymous = {}
    for model in audit.audited_models():
        rows = audit.historical_model(model).objects.filter(history_user__isnull=True)
        if model is User:
            rows = rows.exclude(id=admin.pk, history_type="+")
        if count := rows.count():
            anonymous[model._meta.label] = count
    assert not anonymous


def test_services_record_their_actor_not_the_administrator():
    from covenants.models import ScoreLine, Signature

    signature = Signature.objects.filter(method="app").select_related("recorded_by").first()
    assert signature.history.earliest().history_user == signature.recorded_by
    line = ScoreLine.objects.filter(sheet__status="final").select_related("sheet").first()
    versions = list(line.history.order_by("history_id").select_related("history_user"))
    assert versions[-1].history_user == line.sheet.finalized_by
    # The self-score was the member's own staff's.
    assert any(v.history_user.agency_id == line.sheet.agency_id for v in versions)
