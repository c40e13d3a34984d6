"""Cached fragments are never stale: every committed write changes the data version
(members.caching), whichever way it reaches the database."""

import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections, transaction
from django.utils import translation

from members import caching
from members.models import Agency, DataVersion, Province
from tests.members.factories import AgencyFactory, ProvinceFactory


class Counter:
    """A value that says how often it was computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"computed {self.calls}"


def cached(counter, *parts):
    return caching.remember("test", ("agency-list", *parts), counter)


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "members_agency" ("name") VALUES (%s)', True),
        ('UPDATE "covenants_scoreline" SET "value" = 1', True),
        ('DELETE FROM "awards_ballot" WHERE 1', True),
        ("  insert or replace into blocs_blocyear values (1)", True),
        ('TRUNCATE "members_agency"', True),
        ("WITH x AS (DELETE FROM awards_vote RETURNING 1) SELECT 1", True),
        ('SELECT "members_agency"."id" FROM "members_agency"', False),
        ('SELECT 1 FROM "x" FOR UPDATE', False),
        ('SAVEPOINT "s1_x2"', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('UPDATE "members_dataversion" SET token = %s WHERE id = 1', False),
    ],
)
def test_which_statements_change_the_data(sql, writes):
    assert caching.is_data_write(sql) is writes


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "members_agency" ("name") VALUES (%s)', "members_agency"),
        ('UPDATE "covenants_scoreline" SET "value" = 1', "covenants_scoreline"),
        ('DELETE FROM "awards_ballot" WHERE 1', "awards_ballot"),
        ('SELECT "members_agency"."id" FROM "members_agency"', None),
        ("WITH x AS (DELETE FROM awards_vote RETURNING 1) SELECT 1", None),
    ],
)
def test_the_table_a_statement_writes(sql, table):
    assert caching.written_table(sql) == table


@pytest.mark.django_db
class TestWritesChangeTheVersion:
    def test_a_value_is_computed_once_while_nothing_changes(self):
        counter = Counter()
        assert cached(counter) == cached(counter) == "computed 1"
        assert counter.calls == 1

    def test_the_parts_and_the_language_are_in_the_key(self):
        counter = Counter()
        cached(counter, 1)
        cached(counter, 2)
        with translation.override("vi"):
            cached(counter, 1)
        assert counter.calls == 3

    @pytest.mark.parametrize(
        "write",
        [
            pytest.param(lambda: ProvinceFactory(), id="save"),
            pytest.param(lambda: Province.objects.update(name="Tỉnh khác"), id="update"),
            pytest.param(
                lambda: Province.objects.bulk_create([Province(name="Tỉnh mới", code="moi")]),
                id="bulk_create",
            ),
            pytest.param(lambda: Agency.objects.all().delete(), id="delete"),
            pytest.param(
                lambda: connection.cursor().execute("UPDATE members_agency SET short_name = 'X'"),
                id="raw SQL",
            ),
        ],
    )
    def test_every_kind_of_write_means_a_new_value(self, write):
        AgencyFactory()
        counter = Counter()
        cached(counter)
        write()
        assert cached(counter) == "computed 2"

    def test_a_transaction_counts_once_it_ends(self):
        AgencyFactory()
        counter = Counter()
        cached(counter)
        with transaction.atomic():
            Agency.objects.update(short_name="Y")
            # Inside the writing transaction: computed each time, never stored.
            assert cached(counter) == "computed 2"
            assert cached(counter) == "computed 3"
        assert cached(counter) == "computed 4"
        assert cached(counter) == "computed 4"

    def test_a_savepoint_rolled_back_inside_a_transaction_still_bumps_at_its_end(self):
        agency = AgencyFactory()
        counter = Counter()
        cached(counter)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Agency.objects.update(short_name="rolled back")
                    raise RuntimeError
            except RuntimeError:
                pass
            Agency.objects.filter(pk=agency.pk).update(short_name="kept")
        assert cached(counter) == "computed 2"

    def test_signing_in_changes_nothing_a_page_shows(self):
        counter = Counter()
        cached(counter)
        session = SessionStore()
        session["seen"] = True
        session.save()
        assert cached(counter) == "computed 1"

    def test_without_a_token_row_nothing_is_cached(self):
        DataVersion.objects.all().delete()
        counter = Counter()
        cached(counter)
        cached(counter)
        assert counter.calls == 2

    def test_fragments_are_html(self):
        html = caching.fragment("test", ("html",), lambda: "<b>bảng</b>")
        assert html == "<b>bảng</b>"
        assert hasattr(html, "__html__")


@pytest.mark.django_db(transaction=True)
class TestCommits:
    def test_the_token_changes_after_a_commit_and_not_after_a_rollback(self):
        province = ProvinceFactory()
        before = DataVersion.objects.get().token
        try:
            with transaction.atomic():
                Province.objects.filter(pk=province.pk).update(name="Không lưu")
                raise RuntimeError
        except RuntimeError:
            pass
        assert DataVersion.objects.get().token == before
        with transaction.atomic():
            Province.objects.filter(pk=province.pk).update(name="Lưu")
            assert DataVersion.objects.get().token == before
        assert DataVersion.objects.get().token != before

    @pytest.mark.postgresql
    def test_a_commit_on_another_connection_reaches_this_one(self):
        """Another worker's write: this connection's next read of the token sees it."""
        province = ProvinceFactory()
        counter = Counter()
        cached(counter)

        def other_worker():
            try:
                with transaction.atomic():
                    Province.objects.filter(pk=province.pk).update(name="Đổi ở nơi khác")
            finally:
                connections.close_all()

        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join()
        assert cached(counter) == "computed 2"
