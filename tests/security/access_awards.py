"""Access table: the conference, voting, outcomes, documents and the board's pages."""

from .access import BLOC, BOARD, SECRETARIAT, STAFF, Entry, allow, post_only

#: The secretariat runs the conference of the live year.
_RUNNING = Entry(at="live", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT))
#: A document of the done year: the bloc reads it once the results are confirmed.
_DOCUMENT = Entry(at="done", get=allow(*BLOC))

ENTRIES = {
    "awards:province_defaults": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "awards:rules": Entry(at="live", get=allow(*BLOC), post=allow(*STAFF)),
    "awards:eligibility": Entry(at="live", get=allow(*STAFF), post=allow(*STAFF)),
    "awards:conference": Entry(at="live", get=allow(*BLOC)),
    "awards:conference_edit": _RUNNING,
    "awards:attendance": _RUNNING,
    "awards:committee": _RUNNING,
    "awards:poll_create": _RUNNING,
    "awards:poll": Entry(at="live", get=allow(*BLOC)),
    # A member's leader votes for it.
    "awards:vote": Entry(at="live", get=allow("member"), post=allow("member")),
    "awards:paper_count": _RUNNING,
    "awards:poll_action": Entry(
        at="live", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT), fixed={"action": "close"}
    ),
    "awards:ballots_pdf": Entry(at="live", get=allow(*SECRETARIAT)),
    "awards:results": Entry(at="done", get=allow(*BLOC)),
    "awards:results_confirm": post_only(allow(*SECRETARIAT), at="live"),
    "awards:proposals": Entry(at="done", get=allow(*BLOC)),
    "awards:handover": Entry(at="done", get=allow(*BLOC), post=allow(*STAFF)),
    "awards:minutes_pdf": _DOCUMENT,
    "awards:counting_pdf": _DOCUMENT,
    "awards:submission_pdf": _DOCUMENT,
    "awards:report_pdf": _DOCUMENT,
    "awards:dossier": Entry(at="done", get=allow(*STAFF)),
    "awards:report_edit": _RUNNING,
    # ``done.proposal`` is the member's own certificate proposal: the unit and the
    # secretariat write its report, the board only reads it.
    "awards:achievement": Entry(
        at="done",
        get=allow(*BLOC),
        post=allow("member", *SECRETARIAT),
        data={"action": "draft"},
    ),
    "awards:achievement_pdf": _DOCUMENT,
    "awards:achievement_file": _DOCUMENT,
    "awards:board_inbox": Entry(at="done", get=allow(*BOARD)),
    "awards:board_decide": Entry(at="done", get=allow(*BOARD), post=allow(*BOARD)),
    "awards:board_proposals_xlsx": Entry(at="done", get=allow(*BOARD)),
    "awards:board_rankings_xlsx": Entry(at="done", get=allow(*BOARD)),
    "awards:bloc_history": Entry(get=allow(*BLOC)),
    # The agency's own staff and those of agencies that shared a bloc with it.
    "awards:agency_history": Entry(get=allow(*BLOC)),
    "awards:province_dossier_latest": Entry(get=allow(board="redirect", admin="redirect")),
    "awards:province_dossier": Entry(at="done", get=allow(*BOARD), post=allow(*BOARD)),
    "awards:province_dossier_download": Entry(at="done", get=allow(*BOARD), ids={"pk": "bundle"}),
}
