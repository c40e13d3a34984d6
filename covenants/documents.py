"""What goes into the covenant PDF (the layout is templates/pdf/base.html).

The agency names are those of the year's memberships, so a covenant of a
year before a merger prints the names the agencies had then.
"""

import re

from config.pdf import render_pdf

from .models import Covenant, SignatureMethod, SignatureStatus
from .selectors import covenant_for_page, group_commitments, signature_rows


def place_name(province) -> str:
    """ "Tỉnh Quảng Ngãi" → "Quảng Ngãi" for the place–date line."""
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", province.name)


def issuer_lines(bloc_year) -> tuple[str, str]:
    """The superior body and the bloc, in capitals (Decree 30 cell 2)."""
    province = bloc_year.bloc.province
    return f"UBND TỈNH {place_name(province).upper()}", bloc_year.bloc.name.upper().replace(
        " – ", "\n", 1
    )


def covenant_context(covenant: Covenant) -> dict:
    bloc_year = covenant.bloc_year
    superior, body = issuer_lines(bloc_year)
    number, _, symbol = covenant.number.partition("/")
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
        "number": number if symbol else "",
        "symbol": symbol or covenant.number,
        "place": place_name(bloc_year.bloc.province),
        "issued_on": covenant.conference_date,
        "doc_type": "BẢN KÝ KẾT GIAO ƯỚC THI ĐUA",
        "summary": f"Năm {bloc_year.year}",
        "title": f"Giao ước thi đua năm {bloc_year.year}",
    }


def covenant_pdf(bloc_year) -> bytes:
    covenant = covenant_for_page(bloc_year)
    return render_pdf("covenants/pdf/covenant.html", covenant_context(covenant))
