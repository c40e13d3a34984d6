"""Bulk writes for the scale dataset: ids taken up front, rows inserted in bulk.

The generator needs each row's primary key before it writes the rows that point at it
(a score line names its sheet), so ids are taken first (:meth:`Writer.ids`): on
PostgreSQL from the table's own sequence (``nextval`` over ``generate_series``, so a
concurrent insert can never get the same id), elsewhere counting up from the table's
largest id. Rows are plain dicts of column values (``attname`` → value) collected per
model and written by :meth:`Writer.flush`:

- on PostgreSQL with ``COPY … FROM STDIN`` (psycopg's ``cursor.copy``), by far the
  fastest way in: no statement per row, no model instance. ``COPY`` applies no Django
  default, so every column is filled here from the field's default;
- elsewhere (SQLite: the ``ci`` preset, the tests) with ``bulk_create`` in batches.

Neither way sends ``post_save``: no audit history is written (on purpose, the data is
synthetic), and no check runs but the database's own constraints, which every row
passes (foreign keys are checked when the transaction commits).
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import models
from django.utils import timezone

__all__ = ["Writer"]

_MISSING = object()
#: Ids taken from a PostgreSQL sequence at a time.
_CHUNK = 500
#: Field types whose Python value psycopg writes as is.
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.DecimalField,
    models.DateField,  # DateTimeField too (aware datetimes)
    models.ForeignKey,
)


class _Columns:
    """How one model's rows become ``COPY`` tuples: each column's default and converter."""

    def __init__(self, model, connection, now):
        self.table = model._meta.db_table
        self.names = []
        #: (attname, constant default or _MISSING) for every column, in order.
        self.plain = []
        #: (index, callable default or None, converter or None) for the columns that
        #: need more than a lookup: few, so the common case stays one comprehension.
        self.special = []
        for index, field in enumerate(model._meta.concrete_fields):
            self.names.append(field.column)
            call = None
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.has_default() and callable(field.default):
                default, call = _MISSING, field.default
            else:
                default = field.get_default()
            if isinstance(field, models.JSONField):
                convert = _json
            elif isinstance(field, (_PLAIN, models.UUIDField)):
                convert = None
            else:
                convert = _prep(field, connection)
            self.plain.append((field.attname, default))
            if call is not None or convert is not None:
                self.special.append((index, call, convert))

    def row(self, values: dict) -> tuple:
        get = values.get
        out = [get(attname, default) for attname, default in self.plain]
        for index, call, convert in self.special:
            value = out[index]
            if value is _MISSING:
                value = call()
            if convert is not None and value is not None:
                value = convert(value)
            out[index] = value
        return tuple(out)


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def _prep(field, connection):
    return lambda value: field.get_db_prep_save(value, connection)


class Writer:
    """Collects rows per model and writes them in bulk (see the module docstring)."""

    def __init__(self, connection, *, batch_size: int = 1000):
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.now = timezone.now()
        self._rows: dict[type[models.Model], list] = {}
        self._columns: dict[type[models.Model], _Columns] = {}
        self._next_id: dict[type[models.Model], int] = {}
        self._pool: dict[type[models.Model], list[int]] = defaultdict(list)
        #: Rows written so far, by model label.
        self.counts: dict[str, int] = defaultdict(int)

    # Ids ------------------------------------------------------------------------------

    def ids(self, model, count: int) -> list[int]:
        """``count`` fresh primary keys for ``model``'s table."""
        if count <= 0:
            return []
        if self.copy:
            pool = self._pool[model]
            if len(pool) < count:
                # Taken in chunks: one query serves many small requests (the writer
                # lives for the whole run, so at most a chunk per table stays unused).
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [model._meta.db_table, model._meta.pk.column, max(count, _CHUNK)],
                    )
                    pool.extend(row[0] for row in cursor.fetchall())
            taken = pool[:count]
            del pool[:count]
            return taken
        first = self._next_id.get(model)
        if first is None:
            largest = model._base_manager.aggregate(largest=models.Max("pk"))["largest"]
            first = (largest or 0) + 1
        self._next_id[model] = first + count
        return list(range(first, first + count))

    def id(self, model) -> int:
        return self.ids(model, 1)[0]

    # Rows -----------------------------------------------------------------------------

    def add(self, model, values: dict) -> None:
        """Queue one row (``attname`` → value; missing columns take their default)."""
        rows = self._rows.get(model)
        if rows is None:
            rows = self._rows[model] = []
        if self.copy:
            columns = self._columns.get(model)
            if columns is None:
                columns = self._columns[model] = _Columns(model, self.connection, self.now)
            rows.append(columns.row(values))
        else:
            rows.append(model(**values))

    def flush(self) -> None:
        """Write every queued row, model by model in the order they were first queued."""
        for model, rows in self._rows.items():
            if not rows:
                continue
            if self.copy:
                self._copy(model, rows)
            else:
                model._base_manager.bulk_create(rows, batch_size=self.batch_size)
            self.counts[model._meta.label] += len(rows)
            rows.clear()

    def _copy(self, model, rows) -> None:
        columns = self._columns[model]
        quote = self.connection.ops.quote_name
        statement = "COPY {} ({}) FROM STDIN".format(
            quote(columns.table), ", ".join(quote(name) for name in columns.names)
        )
        with self.connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
