"""What goes into the covenant PDF (the layout is templates/pdf/base.html).

The agency names are those of the year's memberships, so a covenant of a
year before a merger prints the names the agencies had then.

Once every member has signed (status *signed*) the covenant is an issued
document (:func:`issue_covenant`): numbered in the chair agency's register
("01/GƯ-KTĐ6"), dated the signing, fingerprinted, QR-coded and rebuilt only
when its content changes. Before that it is a draft, rendered on every
request with the number the secretariat typed, if any.
"""

import re

from django.utils import timezone

from config.pdf import render_pdf
from members.models import DocType, IssuedDocument

from .issuing import issue_bloc_pdf
from .models import Covenant, CovenantStatus, SignatureMethod, SignatureStatus
from .selectors import covenant_for_page, group_commitments, signature_rows

TEMPLATE = "covenants/pdf/covenant.html"


def place_name(province) -> str:
    """ "Tỉnh Quảng Ngãi" → "Quảng Ngãi" for the place–date line."""
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", province.name)


def issuer_lines(bloc_year) -> tuple[str, str]:
    """The superior body and the bloc, in capitals (Decree 30 cell 2)."""
    province = bloc_year.bloc.province
    return f"UBND TỈNH {place_name(province).upper()}", bloc_year.bloc.name.upper().replace(
        " – ", "\n", 1
    )


def typed_number(value: str) -> tuple[str, str]:
    """The number and symbol of a typed "01/GƯ-KTĐ6" for ``doc_number``.

    A number that is not a register number ("01a", "I") is left blank, to be
    written by hand: ``doc_number`` prints digits only. Without a slash the
    whole value is the symbol.
    """
    value = (value or "").strip()
    number, slash, symbol = value.partition("/")
    number, symbol = number.strip(), symbol.strip()
    if not slash or not symbol:
        return "", value
    return (number if number.isdigit() else ""), symbol


def signed_on(covenant: Covenant):
    """The covenant's date once signed: the signing conference's, or else the day the
    last valid signature completed it; None while it is not signed."""
    if covenant.status != CovenantStatus.SIGNED:
        return None
    if covenant.conference_date:
        return covenant.conference_date
    times = [s.signed_at for s in covenant.signatures.all() if s.voided_at is None]
    return timezone.localdate(max(times)) if times else timezone.localdate(covenant.updated_at)


def covenant_context(covenant: Covenant) -> dict:
    bloc_year = covenant.bloc_year
    superior, body = issuer_lines(bloc_year)
    number, symbol = typed_number(covenant.number)
    rows = []
    for row in signature_rows(covenant, bloc_year):
        signature = row.signature
        note = ""
        if signature and signature.status == SignatureStatus.UNABLE:
            note = f"Không ký: {signature.reason}"
        elif signature and signature.method == SignatureMethod.APP:
            note = f"Đã ký điện tử {signature.signed_at:%d/%m/%Y}"
        elif signature:
            note = "Đã ký"
        rows.append(
            {
                "agency": row.agency.name,
                "name": signature.signer_name if signature else "",
                "title": signature.signer_title if signature else "",
                "note": note,
            }
        )
    return {
        "covenant": covenant,
        "bloc_year": bloc_year,
        "groups": group_commitments(covenant),
        "rows": rows,
        "issuer_superior": superior,
        "issuer_body": body,
        "number": number,
        "symbol": symbol,
        "place": place_name(bloc_year.bloc.province),
        "issued_on": signed_on(covenant) or covenant.conference_date,
        "doc_type": "BẢN KÝ KẾT GIAO ƯỚC THI ĐUA",
        "summary": f"Năm {bloc_year.year}",
        "title": f"Giao ước thi đua năm {bloc_year.year}",
    }


def covenant_pdf(bloc_year) -> bytes:
    """The covenant rendered as it stands (a draft's PDF: not registered)."""
    covenant = covenant_for_page(bloc_year)
    return render_pdf(TEMPLATE, covenant_context(covenant))


def issue_covenant(covenant: Covenant, actor) -> IssuedDocument | None:
    """The issued covenant, or None while it is not signed by every member (or the year
    has no chair). The caller checks who may read it."""
    issued_on = signed_on(covenant)
    if issued_on is None:
        return None
    return issue_bloc_pdf(
        covenant.bloc_year,
        "covenant",
        doc_type=DocType.COVENANT,
        template=TEMPLATE,
        context=covenant_context(covenant),
        issued_on=issued_on,
        actor=actor,
    )
