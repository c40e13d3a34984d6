"""Access table: the covenant and the scoring sheet's template."""

from .access import BLOC, SECRETARIAT, STAFF, Entry, allow, post_only

#: The secretariat drafts the covenant, records and reopens, during signing.
_DRAFTING = Entry(at="signing", get=allow(*SECRETARIAT), post=allow(*SECRETARIAT))

ENTRIES = {
    "covenants:detail": Entry(at="signing", get=allow(*BLOC)),
    "covenants:pdf": Entry(at="done", get=allow(*BLOC)),
    "covenants:attachment": Entry(at="done", get=allow(*BLOC)),
    "covenants:attachment_add": _DRAFTING,
    "covenants:create": post_only(allow(*SECRETARIAT), at="signing"),
    "covenants:edit": _DRAFTING,
    "covenants:commitments": _DRAFTING,
    "covenants:open": post_only(allow(*SECRETARIAT), at="signing"),
    # A leader signs for their own agency only.
    "covenants:sign": Entry(at="signing", get=allow("member"), post=allow("member")),
    "covenants:record": _DRAFTING,
    "covenants:reopen": _DRAFTING,
    # Everyone in the bloc reads the sheet; the board and the secretariat change it
    # while the year is in set-up.
    "covenants:sheet": Entry(at="setup", get=allow(*BLOC), post=allow(*STAFF)),
    "covenants:sheet_export": Entry(at="setup", get=allow(*BLOC)),
    "covenants:sheet_pdf": Entry(at="setup", get=allow(*BLOC)),
    "covenants:sheet_action": post_only(allow(*STAFF), at="setup", fixed={"action": "create"}),
}
