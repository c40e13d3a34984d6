"""Access table: the project's own pages, agencies, people, imports and accounts."""

from .access import (
    BOARD,
    BOARDS,
    NOT_FOUND,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    Entry,
    allow,
    post_only,
)

#: The board acts on people.
_PERSON_ACTION = post_only(allow(*BOARD), ids={"pk": "person"})
#: An invalid link shows the "invalid link" page, to everyone.
_BAD_LINK = {"token": "set-password"}

ENTRIES = {
    "healthz": Entry(get=PUBLIC),
    "verify_document": Entry(get=PUBLIC, post=PUBLIC),
    "password_reset": Entry(get=PUBLIC, post=PUBLIC),
    "password_reset_confirm": Entry(get=PUBLIC, post=PUBLIC, fixed=_BAD_LINK),
    "accounts:invitation_accept": Entry(get=PUBLIC, post=PUBLIC, fixed=_BAD_LINK),
    # Any audited object's history: the secretariat of its bloc-year and its province's
    # board (here an evidence file of the member's sheet).
    "object_history": Entry(
        get=allow(*STAFF), fixed={"model": "covenants.evidence"}, ids={"pk": "done.evidence"}
    ),
    "accounts:profile": Entry(get=allow(*SIGNED_IN), post=allow(*SIGNED_IN)),
    # Every board manages its own province's agencies and imports.
    "members:list": Entry(get=allow(*BOARDS)),
    "members:create": Entry(get=allow(*BOARDS), post=allow(*BOARDS)),
    "members:update": Entry(get=allow(*BOARD), post=allow(*BOARD), ids={"pk": "agency"}),
    "members:official_create": Entry(get=allow(*BOARD), post=allow(*BOARD), ids={"pk": "agency"}),
    "members:import": Entry(get=allow(*BOARDS), post=allow(*BOARDS)),
    # Another province's import is looked up in the board's own province: not found.
    "members:import_preview": Entry(
        get=allow(*BOARD, other_board=NOT_FOUND), ids={"pk": "import_batch"}
    ),
    "members:import_file": Entry(
        get=allow(*BOARD, other_board=NOT_FOUND), ids={"pk": "import_batch"}
    ),
    "members:import_apply": post_only(
        allow(*BOARD, other_board=NOT_FOUND), ids={"pk": "import_batch"}
    ),
    "members:import_template": Entry(get=allow(*BOARDS), fixed={"kind": "people"}),
    "members:export_people": Entry(get=allow(*BOARDS)),
    "members:deactivate": _PERSON_ACTION,
    "members:reactivate": _PERSON_ACTION,
}
