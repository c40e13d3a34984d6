"""The demo province, seeded once for the whole package (seeding takes the
better part of half a minute): every module here reads the same demo, each
test in a transaction rolled back after it, and the database is emptied when
the package is done."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
