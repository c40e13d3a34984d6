"""The issuing agencies' registers (domain rule 30): numbers per agency and year from 01,
a document keeps its number, the PDF is cached while its content is unchanged and
rebuilt (new file, new fingerprint, same number) when it changed; the QR code and the
number go into the rendered document. The conference minutes are the real proof."""

import datetime
import hashlib
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from awards.models import Conference
from blocs.models import MemberRole
from members.documents import issue_pdf, register
from members.models import DocType, IssuedDocument, RegisterEntry
from tests.awards.factories_documents import confirm, documents_year
from tests.covenants.factories_score import officer_of
from tests.members.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 18)


class FakeRenderer:
    """Counts the renders and remembers the contexts; the "PDF" is the context in words."""

    def __init__(self):
        self.contexts = []

    def __call__(self, context):
        self.contexts.append(context)
        return (
            f"%PDF {context['number']} {context['body']} {context['verification']['url']}".encode()
        )


def html(context):
    return f"<p>{context['number']}/{context['symbol']} {context['body']}</p>"


def issue(agency, actor, *, key="blocyear:1:minutes", body="v1", year=2026, render=None, **kw):
    return issue_pdf(
        agency=agency,
        year=year,
        doc_type=kw.pop("doc_type", DocType.MINUTES),
        key=key,
        title=kw.pop("title", "Biên bản họp"),
        issued_on=kw.pop("issued_on", DAY),
        render=render or FakeRenderer(),
        html=html,
        context={"body": body},
        actor=actor,
        **kw,
    )


@pytest.fixture
def agency(db):
    return AgencyFactory(code="syt", name="Sở Y tế")


@pytest.fixture
def actor(db):
    return UserFactory()


def test_numbers_run_from_01_per_agency_and_restart_each_year(agency, actor):
    other = AgencyFactory(code="sgd")
    numbers = [issue(agency, actor, key=f"doc:{i}").entry.number_symbol for i in range(1, 4)]
    assert numbers == ["01/BB-SYT", "02/BB-SYT", "03/BB-SYT"]
    assert issue(other, actor, key="doc:1", doc_type=DocType.SUBMISSION).entry.number == 1
    next_year = issue(agency, actor, key="doc:1", year=2027)
    assert next_year.entry.number_symbol == "01/BB-SYT"
    # Types share one register: a submission takes the next number, with its own symbol.
    submission = issue(agency, actor, key="doc:9", doc_type=DocType.SUBMISSION)
    assert submission.entry.number_symbol == "04/TTr-SYT"


def test_many_documents_leave_no_gap_and_the_issuer_code_can_be_the_blocs(agency, actor):
    for i in range(12):
        register(
            agency=agency,
            year=2026,
            doc_type=DocType.REPORT,
            key=f"r{i}",
            title="Báo cáo",
            issued_on=DAY,
            actor=actor,
            issuer_code="KTĐ6",
        )
    numbers = list(
        RegisterEntry.objects.filter(agency=agency)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, 13))
    assert RegisterEntry.objects.get(agency=agency, number=5).number_symbol == "05/BC-KTĐ6"


def test_the_same_document_keeps_its_number_and_follows_its_title(agency, actor):
    first = issue(agency, actor, key="blocyear:7:minutes")
    issue(agency, actor, key="other")
    again = issue(agency, actor, key="blocyear:7:minutes", body="v2", title="Biên bản mới")
    assert again.entry.pk == first.entry.pk
    assert again.entry.number == 1
    assert again.entry.title == "Biên bản mới"
    assert RegisterEntry.objects.count() == 2


def test_unchanged_data_is_served_from_the_cache_without_rendering(agency, actor):
    render = FakeRenderer()
    first = issue(agency, actor, render=render)
    second = issue(agency, actor, render=render)
    assert second.pk == first.pk
    assert len(render.contexts) == 1
    assert IssuedDocument.objects.count() == 1


def test_changed_data_is_rebuilt_with_a_new_file_and_fingerprint_but_the_same_number(agency, actor):
    first = issue(agency, actor, body="v1")
    second = issue(agency, actor, body="v2")
    assert second.pk != first.pk
    assert second.entry_id == first.entry_id
    assert second.token != first.token
    assert second.sha256 != first.sha256
    assert second.file.name != first.file.name
    assert second.read_bytes() != first.read_bytes()
    assert second.sha256 == hashlib.sha256(second.read_bytes()).hexdigest()
    assert second.size == len(second.read_bytes())
    # The earlier build stays, so an old printout still verifies.
    assert first.read_bytes().startswith(b"%PDF 1 v1")
    # Back to the first data: the current build no longer matches, so it is rebuilt.
    assert issue(agency, actor, body="v1").pk not in (first.pk, second.pk)


@override_settings(SITE_URL="https://thidua.example.vn")
def test_the_render_gets_the_register_number_and_the_verification_qr(agency, actor):
    render = FakeRenderer()
    issued = issue(agency, actor, render=render, issuer_code="KTĐ6")
    context = render.contexts[0]
    assert context["number"] == 1
    assert context["symbol"] == "BB-KTĐ6"
    verification = context["verification"]
    assert verification["number"] == "01/BB-KTĐ6"
    assert verification["url"] == f"https://thidua.example.vn/verify/{issued.token}/"
    assert verification["qr_svg"].startswith("<svg")
    assert "<path" in verification["qr_svg"]


def test_only_a_signed_in_active_user_issues(agency):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        issue(agency, AnonymousUser())
    with pytest.raises(PermissionDenied):
        issue(agency, UserFactory(is_active=False))
    assert not RegisterEntry.objects.exists()


# The conference minutes, the first document issued this way ------------------------------


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def year():
    return documents_year(members=5)


def minutes(client, year):
    chair = year.memberships.get(role=MemberRole.CHAIR).agency
    client.force_login(officer_of(chair))
    response = client.get(reverse("awards:minutes_pdf", args=[year.bloc_id, year.year]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_draft_minutes_stay_unnumbered(client, year):
    text = text_of(minutes(client, year))
    assert "DỰ THẢO" in text
    assert not RegisterEntry.objects.exists()


def test_confirmed_minutes_are_numbered_fingerprinted_qr_coded_and_cached(client, year):
    confirm(year)
    pdf = minutes(client, year)
    issued = IssuedDocument.objects.get()
    entry = issued.entry
    assert entry.agency == year.chair
    assert entry.number_symbol == f"01/BB-KTĐ{year.bloc.number}"
    assert entry.key == f"blocyear:{year.pk}:minutes"
    assert pdf == issued.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256
    text = text_of(pdf)
    assert f"Số: 01/BB-KTĐ{year.bloc.number}" in text
    assert f"Văn bản số: 01/BB-KTĐ{year.bloc.number}" in text
    assert str(issued.token) in text.replace(" ", "")
    # Same data: the very same bytes, no new build.
    assert minutes(client, year) == pdf
    assert IssuedDocument.objects.count() == 1
    # The minutes' data changed: rebuilt under the same number.
    Conference.objects.filter(bloc_year=year).update(secretary="Lê Văn Bình, chuyên viên")
    rebuilt = minutes(client, year)
    assert rebuilt != pdf
    assert "Lê Văn Bình" in text_of(rebuilt)
    assert IssuedDocument.objects.count() == 2
    assert RegisterEntry.objects.get().number == 1
