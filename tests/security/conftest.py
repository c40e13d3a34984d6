"""The seeded world of the authorization tests, once per module (see :mod:`.world`)."""

import pytest
from django.db import connection, transaction

from .world import DOCUMENTS, build_world, issue_documents, sign_in


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is never committed: each test
    (marked ``django_db``) runs in a savepoint of it, rolled back after the test, so every
    test sees the same world; the whole transaction is rolled back when the module is
    done, so nothing is left for the other modules, and no flush is needed.

    A module's ``WORLD_DOCUMENTS`` names the documents to issue beforehand (all of them
    unless it says otherwise).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        sign_in(built)
        issue_documents(built, getattr(request.module, "WORLD_DOCUMENTS", DOCUMENTS))
        # Check the world's deferred foreign keys now, once: otherwise each test's
        # teardown (Django's TestCase) checks them again inside its savepoint, whose
        # rollback leaves them pending for the next test.
        connection.check_constraints()
        yield built
        transaction.set_rollback(True)
