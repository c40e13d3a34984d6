"""Access table: landing pages, blocs, bloc-years, deadlines, delegation, renames."""

from .access import (
    BLOC,
    BOARD,
    REDIRECT,
    SECRETARIAT,
    SIGNED_IN,
    STAFF,
    Entry,
    allow,
    post_only,
)

#: Set-up edits of a year: the board and the secretariat.
_SETUP_EDIT = Entry(at="live", get=allow(*STAFF), post=allow(*STAFF))

ENTRIES = {
    # Everyone signed in lands somewhere: the board on its province, the others on
    # their bloc-year or agency.
    "blocs:home": Entry(get=allow(**dict.fromkeys(SIGNED_IN, REDIRECT))),
    "blocs:province": Entry(get=allow(*BOARD)),
    "blocs:bloc_create": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "blocs:export_bloc_members": Entry(at="done", get=allow(*BOARD)),
    "blocs:merge": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "blocs:province_deadlines": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "blocs:year_deadlines": Entry(at="live", get=allow(*BLOC), post=allow(*STAFF)),
    # An agency's page is open to everyone working in its province.
    "blocs:agency": Entry(get=allow("outsider", *BLOC), ids={"pk": "agency"}),
    "blocs:rename": Entry(get=allow(*BOARD), post=allow(*BOARD), ids={"pk": "agency"}),
    # The person's agency leader, the secretariat of its bloc, the board.
    "blocs:invite": post_only(allow("member", "secretariat", *BOARD), ids={"pk": "person"}),
    # The chair agency's leader lends the secretariat's rights, not its officer.
    "blocs:delegation_grant": Entry(at="live", get=allow("admin"), post=allow("admin")),
    "blocs:delegation_revoke": post_only(allow("admin"), at="live"),
    "blocs:bloc": Entry(get=allow(*BLOC)),
    "blocs:bloc_update": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "blocs:year_create": Entry(get=allow(*BOARD), post=allow(*BOARD)),
    "blocs:year": Entry(at="live", get=allow(*BLOC)),
    "blocs:year_update": _SETUP_EDIT,
    "blocs:officers": _SETUP_EDIT,
    "blocs:membership_add": _SETUP_EDIT,
    "blocs:membership_update": _SETUP_EDIT,
    "blocs:membership_remove": _SETUP_EDIT,
    # Submitting the proposals is the secretariat's move.
    "blocs:transition": Entry(
        at="live",
        get=allow(*SECRETARIAT),
        post=allow(*SECRETARIAT),
        fixed={"transition": "submit_proposals"},
    ),
}
