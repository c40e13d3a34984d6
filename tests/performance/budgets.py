"""The declared query budgets: how many queries a page may make.

Every GET page of the access table (:mod:`tests.security.access_table`) is measured; a
page without an entry here has :data:`DEFAULT`. A page that truly needs more names its
budget and why: each entry is a debt, listed in docs/performance.md. "See issue 9 note"
marks the documents engineer F is making fast (the PDFs and their builders): their
numbers are the ones measured when the budgets were introduced.
"""

from dataclasses import dataclass

#: Issue 9's target: 15 queries or fewer per page.
DEFAULT = 15


@dataclass(frozen=True)
class Budget:
    queries: int
    reason: str
    #: ``queries`` bounds the small bloc's page (2 certificate nominees); the large
    #: bloc's may make at most this many more per nominee it has more
    #: (:func:`.world.nominees`): only for a download holding one file per nominee.
    per_nominee: int = 0


#: An issued document (numbered, fingerprinted, stored): its first request gathers the
#: whole year it reports on, takes a register number (the checks of a numbered entry)
#: and stores the PDF.
_ISSUED = "an issued document's first request: its year's data, a register number, the PDF"

BUDGETS: dict[str, Budget] = {
    "covenants:pdf": Budget(35, f"{_ISSUED} (covenant, signatures); see issue 9 note"),
    "covenants:mid_year_pdf": Budget(37, f"{_ISSUED} (mid-year results); see issue 9 note"),
    "covenants:ranking_pdf": Budget(38, f"{_ISSUED} (the ranking); see issue 9 note"),
    "awards:minutes_pdf": Budget(47, f"{_ISSUED} (conference, polls, ranking); see issue 9 note"),
    "awards:counting_pdf": Budget(35, f"{_ISSUED} (polls, committee); see issue 9 note"),
    "awards:submission_pdf": Budget(
        36, f"{_ISSUED}, and the minutes' number it quotes; see issue 9 note"
    ),
    "awards:report_pdf": Budget(45, f"{_ISSUED} (the whole year's summary); see issue 9 note"),
    "awards:achievement_pdf": Budget(34, f"{_ISSUED} (the nominee's year); see issue 9 note"),
    "covenants:ranking_xlsx": Budget(
        17,
        "the secretariat's workbook adds every line of every sheet, read column by column "
        "by the workbook builder (covenants.scores.documents.detail_rows); see issue 9 note",
    ),
    "awards:dossier": Budget(
        51,
        "one ZIP of every issued document, each checked against its current data before it "
        "is packed: the conference's documents, the score table, and per nominee its "
        "report's register entry, stored PDF and context; see issue 9 note",
        per_nominee=3,
    ),
}


def budget_of(name: str) -> Budget:
    return BUDGETS.get(name, Budget(DEFAULT, ""))
