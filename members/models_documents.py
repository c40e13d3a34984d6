"""The issuing agencies' document registers and the PDFs issued under them (domain rule 30).

An official document gets its number from the register of the agency that issues it
("sổ đăng ký văn bản đi"): numbers restart at 01 each calendar year and are never reused,
so a printed "Số: 05/BB-KTĐ6" names one document only. A :class:`RegisterEntry` is that
register line; its ``key`` ("blocyear:12:minutes") says which document it is, so rebuilding
the document after its data changed keeps the number it was given.

Each build of the PDF is an :class:`IssuedDocument`: the stored bytes, their SHA-256 (what
the verification page compares a printed or e-mailed copy against) and a random ``token``
that the QR code carries. Earlier builds are kept, so an old printout still verifies and
says it was replaced. The services live in :mod:`members.documents`.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audit import history

__all__ = ["DocType", "IssuedDocument", "RegisterEntry", "register_storage"]


class DocType(models.TextChoices):
    """The document types' abbreviations in the symbol (Decree 30, Appendix III)."""

    MINUTES = "BB", _("Minutes (BB)")
    SUBMISSION = "TTr", _("Submission (TTr)")
    REPORT = "BC", _("Report (BC)")
    COVENANT = "GƯ", _("Covenant (GƯ)")
    LIST = "DS", _("List (DS)")
    DECISION = "QĐ", _("Decision (QĐ)")
    #: Not in the Decree's appendix: the bloc's score table (Bảng tổng hợp kết quả chấm
    #: điểm) is neither a report nor a list, and offices number it "BTH".
    TABLE = "BTH", _("Summary table (BTH)")


def register_storage():
    """Issued PDFs may carry votes and scores: kept out of ``MEDIA_ROOT`` and served by a
    view (settings ``STORAGES["private"]``)."""
    return storages["private"]


def _issued_path(instance, filename):
    return f"register/{instance.entry.agency_id}/{instance.entry.year}/{instance.token}.pdf"


class RegisterEntry(models.Model):
    """One number of an agency's yearly register, held by one document for good."""

    agency = models.ForeignKey(
        "members.Agency",
        on_delete=models.PROTECT,
        related_name="register_entries",
        verbose_name=_("issuing agency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    doc_type = models.CharField(_("document type"), max_length=10, choices=DocType)
    key = models.CharField(
        _("document key"),
        max_length=100,
        help_text=_("Identifies the document, so that a rebuilt document keeps its number."),
    )
    symbol = models.CharField(_("symbol"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    history = history()

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["agency", "-year", "-number"]
        # Pages find a bloc document's number by its key alone ("blocyear:12:covenant",
        # covenants.issuing.registered_number): the unique index below starts with the
        # agency, so without this one each lookup read the whole register.
        indexes = [models.Index(fields=["key"], name="members_register_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="members_register_number_unique"
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "doc_type", "key"], name="members_register_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="members_register_number_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(doc_type__in=DocType.values), name="members_register_doc_type_valid"
            ),
        ]

    def __str__(self):
        return f"{self.number_symbol} {self.title}"

    @property
    def number_symbol(self) -> str:
        """ "05/BB-KTĐ6": at least two digits, as the Decree writes them."""
        return f"{self.number:02d}/{self.symbol}"


class IssuedDocument(models.Model):
    """One build of a registered document: its PDF, fingerprint and public token."""

    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="issues", verbose_name=_("entry")
    )
    token = models.UUIDField(_("public token"), default=uuid.uuid4, unique=True, editable=False)
    content_key = models.CharField(
        _("content key"),
        max_length=64,
        help_text=_("SHA-256 of the document's content: unchanged content is not rebuilt."),
    )
    file = models.FileField(
        _("file"), upload_to=_issued_path, storage=register_storage, max_length=300
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["entry", "content_key"], name="members_issued_content")]

    def __str__(self):
        return f"{self.entry.number_symbol} ({self.sha256[:12]})"

    def get_absolute_url(self):
        return reverse("verify_document", kwargs={"token": self.token})

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
