"""The declared query budgets: how many queries a page may make.

Every GET page of the access table (:mod:`tests.security.access_table`) is measured; a
page without an entry here has :data:`DEFAULT`. A page that truly needs more names its
budget and why: each entry is a debt, listed in docs/performance.md.
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


#: An issued document's first request: its year's data, then one read for its register
#: line and latest build, and the first issue itself (the agency's lock, the year's last
#: number, the line, its history row, the build): six queries of
#: :func:`members.documents.issue_pdf`.
_ISSUED = "an issued document's first request: its year's data, a register number, the PDF"
#: The year-end ranking (:func:`covenants.scores.ranking.ranking_table`) is five of them.
_RANKING = "the year-end ranking (5 queries)"

BUDGETS: dict[str, Budget] = {
    "awards:minutes_pdf": Budget(
        21, f"{_ISSUED}: {_RANKING}, attendance, polls, committee, proposals, handover"
    ),
    "awards:report_pdf": Budget(
        19, f"{_ISSUED}: {_RANKING}, initiatives, covenant, mid-year review, proposals"
    ),
    "awards:dossier": Budget(
        22,
        "one ZIP of every issued document, each checked against its current data before it "
        f"is packed: the conference's documents' year ({_RANKING}, polls, attendance…) read "
        "once for all, every document's latest build and every signer in one query each",
    ),
}


def budget_of(name: str) -> Budget:
    return BUDGETS.get(name, Budget(DEFAULT, ""))
