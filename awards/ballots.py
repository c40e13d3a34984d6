"""Printable paper ballots (PHIẾU BẦU) for a paper poll.

One ballot per page (A5), as many as members present, numbered 1..n. The
number belongs to the *sheet*, never to an agency: the sheets are handed
out in any order, so a number cannot be traced back to who filled it in
(peers.md: "numbered ballots, never the voter"). Each ballot names the
bloc, the year, the poll and its round, how many candidates may be ticked,
and lists the candidates with an empty box each.

Ballots are Vietnamese documents whatever the reader's language, like every
PDF (:mod:`config.pdf`), so their words are written in the template.
"""

from config.pdf import render_pdf
from covenants.documents import issuer_lines

from .models import Poll, PollKind

__all__ = ["KIND_TITLES", "ballots_context", "ballots_filename", "ballots_pdf"]

#: What the ballot decides, as printed on it.
KIND_TITLES = {
    PollKind.FLAG: "Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh",
    PollKind.CERTIFICATE: "Bình xét đơn vị đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
    PollKind.CHAIR: "Bầu đơn vị khối trưởng năm sau",
    PollKind.VICE_CHAIR: "Bầu đơn vị khối phó năm sau",
}


def ballots_context(poll: Poll, *, count: int) -> dict:
    bloc_year = poll.bloc_year
    superior, body = issuer_lines(bloc_year)
    candidates = sorted(
        poll.candidates.all(), key=lambda c: (c.rank is None, c.rank or 0, c.agency.name)
    )
    return {
        "poll": poll,
        "bloc_year": bloc_year,
        "issuer_superior": superior,
        "issuer_body": body,
        "kind_title": KIND_TITLES[poll.kind],
        "candidates": candidates,
        "numbers": range(1, count + 1),
        "count": count,
        "title": f"Phiếu bầu – {KIND_TITLES[poll.kind]} năm {bloc_year.year}",
    }


def ballots_pdf(poll: Poll, *, count: int) -> bytes:
    return render_pdf("awards/pdf/ballots.html", ballots_context(poll, count=count))


def ballots_filename(poll: Poll) -> str:
    return f"Phiếu bầu {KIND_TITLES[poll.kind]} vòng {poll.round} {poll.bloc_year.year}.pdf"
