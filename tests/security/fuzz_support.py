"""The machinery of the form fuzzing: hostile values for a page's form fields
(hypothesis strategies), a post rolled back after each example, and the checks
on the answer.

A page is read once (GET) to learn its POST forms (:mod:`.fuzz_pages`): every
input, select and textarea with its current value and, for choices, the
options. Each example
keeps most fields as the page filled them (so some posts pass the form and
reach the service) and replaces a few with hostile values: control and
bidi characters, NUL, 10,000 characters, emoji and combining marks, numbers
such as -1e30, NaN or "1,5", impossible dates, several values for one key,
a file where text is expected; or it drops fields, or adds unknown ones.

Each example runs in a savepoint rolled back afterwards, so every example
starts from the same world. The tables the request wrote are read back
before the rollback and compared with the world as it was built
(:class:`WorldSnapshot`): a rejected post must leave them unchanged, an
accepted one must leave rows that pass ``full_clean()``.
"""

import unicodedata
from dataclasses import dataclass

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from hypothesis import strategies as st

from members.caching import written_table

from .fuzz_pages import PageForm

#: Sentinel: the field is left out of the post.
OMIT = object()

#: Apps whose rows must be valid after an accepted post (the project's own).
LOCAL_APPS = {"members", "blocs", "covenants", "awards"}
#: Written on every logged-in request; never compared. Third parties' tables
#: (the login throttle's attempts, the task queue) are not compared either. The cache
#: token (members.caching) changes after any write, the test's own set-up included.
IGNORED_TABLES = {"django_session", "members_dataversion"}
#: Columns that change on login, not because of the post.
IGNORED_COLUMNS = {"last_login"}

# Values ----------------------------------------------------------------------------

_NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung – Sở Văn hóa")
HOSTILE_TEXTS = [
    "\x00",
    "Sở\x00Y tế",
    "\u202eSở Y tế\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters and a byte-order mark
    "\x1b[31m\x07\x08\x0b\x0c",  # terminal escapes and C0 controls
    "\r\n\r\n",
    "😀👍🏽🇻🇳" * 20,
    _NFD_NAME,
    "x" * 10_000,
    "Ư" * 3_001,
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s %(name)s {0} {{ user }}",
    "../../etc/passwd",
]
HOSTILE_NUMBERS = [
    "-1e30",
    "1e30",
    "NaN",
    "Infinity",
    "-Infinity",
    "1,5",
    "2,50",
    "",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e-30",
    "0x10",
    " 7 ",
    "١٢",  # Arabic-Indic digits
    "1.005",
    "3.14159265358979",
]
HOSTILE_DATES = [
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/12/2026",
    "2026-13-01",
    "tomorrow",
    "1900-01-01",
]

control_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn", "Zs", "So", "Ll", "Lo"]),
    max_size=40,
)
hostile_scalar = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.sampled_from(HOSTILE_NUMBERS),
    st.sampled_from(HOSTILE_DATES),
    control_text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def hostile_file():
    """A file where text is expected, or a file with a hostile name or content."""
    return st.sampled_from(
        [
            ("x.txt", b"plain text"),
            ("empty.pdf", b""),
            ("a\x00b.pdf", b"%PDF-1.4\n"),
            ("x" * 300 + ".pdf", b"%PDF-1.4\n"),
            ("evil.pdf.exe", b"MZ\x90\x00"),
            ("empty.xlsx", b""),
            ("fake.xlsx", b"PK\x03\x04 not really a zip"),
            ("ảnh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
        ]
    ).map(lambda pair: _Upload(*pair))


@dataclass(frozen=True)
class _Upload:
    """Drawn as plain data (hypothesis shows it), turned into a fresh file per post."""

    name: str
    content: bytes

    def file(self):
        return SimpleUploadedFile(self.name, self.content)


# Posts ------------------------------------------------------------------------------


@st.composite
def hostile_post(draw, form: PageForm, extra_files=()):
    """A post for ``form``: its own values with a few fields made hostile,
    dropped or repeated, sometimes unknown fields added."""
    data = form.base()
    names = sorted(form.fields)
    submits = [n for n in names if form.fields[n].kind == "submit"]
    for name in submits:
        data.pop(name, None)
    if submits and draw(st.booleans()):
        name = draw(st.sampled_from(submits))
        data[name] = draw(st.sampled_from(form.fields[name].options))
    editable = [n for n in names if form.fields[n].kind != "submit"] + list(extra_files)
    mode = draw(st.sampled_from(["few", "few", "few", "valid", "empty", "all"]))
    if mode == "empty":
        data = {}
        targets = []
    elif mode == "all":
        targets = editable
    elif mode == "valid":
        targets = []
    else:
        targets = (
            draw(st.lists(st.sampled_from(editable), max_size=3, unique=True)) if editable else []
        )
    for name in targets:
        page_field = form.fields.get(name)
        kind = page_field.kind if page_field else "file"
        choices = [st.just(OMIT), hostile_scalar, st.lists(hostile_scalar, min_size=2, max_size=3)]
        if page_field and page_field.options:
            choices.append(st.sampled_from(page_field.options))
            choices.append(st.lists(st.sampled_from(page_field.options), min_size=2, max_size=3))
        if kind == "file":
            choices = [st.just(OMIT), hostile_file(), hostile_scalar]
        else:
            choices.append(hostile_file())
        value = draw(st.one_of(*choices))
        if value is OMIT:
            data.pop(name, None)
        else:
            data[name] = value
    if draw(st.integers(0, 4)) == 0:
        extra = draw(
            st.dictionaries(
                st.text(alphabet="abcxyz_-[]0123456789ạ", min_size=1, max_size=12),
                hostile_scalar,
                max_size=3,
            )
        )
        data.update({key: value for key, value in extra.items() if key not in data})
    return data


def encode(data: dict) -> dict:
    """Fresh upload objects for the client (a file can be read only once)."""
    out = {}
    for name, value in data.items():
        if isinstance(value, list):
            out[name] = [v.file() if isinstance(v, _Upload) else v for v in value]
        else:
            out[name] = value.file() if isinstance(value, _Upload) else value
    return out


# Database ---------------------------------------------------------------------------


def _models_by_table() -> dict:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_COLUMNS]


def table_rows(model) -> dict:
    columns = _columns(model)
    pk = model._meta.pk.attname
    index = columns.index(pk)
    return {row[index]: row for row in model._base_manager.order_by().values_list(*columns)}


class WorldSnapshot:
    """Every table's rows as the world was built; examples roll back to it."""

    def __init__(self):
        self.models = _models_by_table()
        self.rows = {table: table_rows(model) for table, model in self.models.items()}

    def changes(self, tables) -> dict:
        """table → (changed or new pks, deleted pks) against the world, for
        the tables the request wrote (read inside the example)."""
        found = {}
        for table in tables:
            model = self.models.get(table)
            if model is None or table in IGNORED_TABLES or model._meta.app_label not in LOCAL_APPS:
                continue
            before, after = self.rows[table], table_rows(model)
            changed = [pk for pk, row in after.items() if before.get(pk) != row]
            deleted = [pk for pk in before if pk not in after]
            if changed or deleted:
                found[table] = (changed, deleted)
        return found

    def full_clean_errors(self, changes: dict) -> list[str]:
        """``full_clean()`` on every changed or new row of the project's own models."""
        errors = []
        for table, (changed, _deleted) in changes.items():
            model = self.models[table]
            meta = model._meta
            if meta.app_label not in LOCAL_APPS or meta.auto_created:
                continue
            if meta.model_name.startswith("historical"):
                continue  # audit copies, written by django-simple-history
            for instance in model._base_manager.filter(pk__in=changed):
                try:
                    instance.full_clean()
                except Exception as error:
                    errors.append(f"{meta.label} #{instance.pk}: {error!r}")
        return errors


def written_tables(queries) -> set[str]:
    """The tables the captured ``queries`` wrote to (as the cache's write watch reads them)."""
    return {table for query in queries if (table := written_table(query["sql"]))}


@dataclass
class Outcome:
    response: object
    changes: dict
    clean_errors: list
    messages: list


def post_and_roll_back(client, url: str, data: dict, world: WorldSnapshot) -> Outcome:
    """Post ``data``, read what changed, then undo it all."""
    client.cookies.pop("messages", None)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, encode(data))
        changes = world.changes(written_tables(captured.captured_queries))
        clean_errors = world.full_clean_errors(changes) if changes else []
        transaction.set_rollback(True)
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = list(getattr(storage, "_queued_messages", []))
    return Outcome(response, changes, clean_errors, queued)


# Checks -----------------------------------------------------------------------------


def _forms_in(context) -> list:
    """The forms and formsets of every template the response rendered, also
    inside the lists of rows some pages pass (one form per row)."""
    found = []

    def collect(value, depth):
        if isinstance(value, (BaseForm, BaseFormSet)):
            if value not in found:
                found.append(value)
        elif depth and isinstance(value, (list, tuple)):
            for item in value:
                collect(item, depth - 1)

    for layer in context or []:
        for value in layer.flatten().values() if hasattr(layer, "flatten") else []:
            collect(value, 2)
    return found


def _error_texts(form) -> list[str]:
    if isinstance(form, BaseFormSet):
        texts = list(form.non_form_errors())
        for sub in form.forms:
            texts += _error_texts(sub)
        return texts
    return [text for errors in form.errors.values() for text in errors]


def shown_errors(response) -> list[str]:
    """Form errors on the page, each found in its HTML."""
    html = response.content.decode()
    texts = []
    # The messages are read in the page's language (lazy translations).
    with translation.override(getattr(response.wsgi_request, "LANGUAGE_CODE", "vi")):
        for form in _forms_in(response.context):
            texts += [str(text) for text in _error_texts(form)]
    return [text for text in texts if escape(text) in html]


def describe(outcome: Outcome) -> str:
    response = outcome.response
    return (
        f"status {response.status_code}, changes {sorted(outcome.changes)}, "
        f"messages {[str(m) for m in outcome.messages]}"
    )


def check_outcome(outcome: Outcome, *, statuses=(200, 302), quiet=False) -> None:
    """Never a server error; a rejected post says why and changes nothing;
    an accepted one leaves valid rows."""
    response = outcome.response
    assert response.status_code in statuses, describe(outcome)
    if response.status_code not in (200, 302):
        # An error page the entry expects (404 for a tampered hidden action): it is the answer.
        assert not outcome.changes, f"refused but changed: {describe(outcome)}"
        return
    errors = [m for m in outcome.messages if m.level >= message_levels.WARNING]
    shown = shown_errors(response) if response.status_code == 200 else []
    if errors or shown:
        assert not outcome.changes, f"rejected but changed: {describe(outcome)}"
        return
    if outcome.changes:
        assert not outcome.clean_errors, outcome.clean_errors
        return
    if not (quiet and response.status_code == 302):
        assert outcome.messages, f"nothing changed and nothing said: {describe(outcome)}"
