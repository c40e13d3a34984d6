"""Access table: score sheets, evidence, review, ranking, mid-year review, initiatives.

``agency`` is the member leader's agency: its sheet is the member's own. The peer's sheet
of the scoring year (``ready_agency``) is self-scored and reviewed, ready to reconcile.
"""

from .access import BLOC, SECRETARIAT, STAFF, Entry, allow, post_only

#: The member's own draft sheet of the scoring year.
_OWN_DRAFT = Entry(at="scoring", get=allow("member"), post=allow("member"))
#: The secretariat's pages of the scoring year.
_SCORING = Entry(at="scoring", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT))
_READY = {"agency": "ready_agency"}

ENTRIES = {
    "covenants:scores": Entry(at="scoring", get=allow(*BLOC)),
    "covenants:scores_open": post_only(allow(*SECRETARIAT), at="scoring"),
    "covenants:score_sheet": Entry(at="done", get=allow(*BLOC)),
    "covenants:score_sheet_edit": _OWN_DRAFT,
    "covenants:score_sheet_submit": _OWN_DRAFT,
    "covenants:score_sheet_import": _OWN_DRAFT,
    "covenants:evidence_add": _OWN_DRAFT,
    "covenants:evidence": Entry(at="done", get=allow(*BLOC)),
    "covenants:evidence_delete": post_only(allow("member"), at="scoring"),
    "covenants:score_sheet_xlsx": Entry(at="done", get=allow(*BLOC)),
    "covenants:score_history": Entry(at="done", get=allow(*BLOC)),
    "covenants:score_results": Entry(at="done", get=allow(*BLOC)),
    "covenants:score_reviewers": _SCORING,
    # Nobody else is assigned: the secretariat reviews the member's sheet, blind.
    "covenants:score_review": _SCORING,
    "covenants:score_reconcile": Entry(
        at="scoring", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT), ids=_READY
    ),
    "covenants:score_return": Entry(
        at="scoring", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT), ids=_READY
    ),
    "covenants:ranking": Entry(at="done", get=allow(*BLOC)),
    "covenants:ranking_pdf": Entry(at="done", get=allow(*BLOC)),
    "covenants:ranking_xlsx": Entry(at="done", get=allow(*BLOC)),
    "covenants:ranking_publish": _SCORING,
    "covenants:score_settings": Entry(at="scoring", get=allow(*BLOC), post=allow(*STAFF)),
    "covenants:mid_year": Entry(at="running", get=allow(*BLOC)),
    "covenants:mid_year_edit": Entry(
        at="running", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT)
    ),
    "covenants:mid_year_hold": Entry(
        at="running", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT)
    ),
    "covenants:mid_year_pdf": Entry(at="done", get=allow(*BLOC)),
    "covenants:initiatives": Entry(at="scoring", get=allow(*BLOC)),
    # The agency's own staff and the secretariat keep its register.
    "covenants:initiatives_edit": Entry(
        at="scoring",
        get=allow("member", *SECRETARIAT),
        post=allow("member", *SECRETARIAT),
    ),
}
