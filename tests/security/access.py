"""The vocabulary of the access table (:mod:`.access_table`).

An :class:`Entry` says, for one named URL, what each role gets from a GET and, when the
view takes a POST, from a POST with an empty body (or ``data``), and where the URL's
keyword arguments come from in the seeded world (:mod:`.world`).

Outcomes:

- ``ok``: the page (200); for a POST also a redirect after the change, or the form shown
  again with its errors — a POST the user may make, nothing refused;
- ``login``: a redirect to the login page;
- ``forbidden``: 403;
- ``not_found``: 404 (an object outside what the user may reach, a draft document);
- ``redirect``: a redirect elsewhere than the login page (the landing page).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .world import ROLES

OK = "ok"
LOGIN = "login"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
REDIRECT = "redirect"

#: Role groups, as the table uses them.
SIGNED_IN = ROLES[1:]
#: Who sees the focal bloc-year: its member leader, its secretariat, the province's
#: board, a site admin.
BLOC = ("member", "secretariat", "board", "admin")
#: Who oversees it: the secretariat, the board, a site admin.
STAFF = ("secretariat", "board", "admin")
SECRETARIAT = ("secretariat", "admin")
BOARD = ("board", "admin")
#: Any province's board (pages about the board's own province).
BOARDS = ("board", "other_board", "admin")

#: URL keyword arguments whose world key is the year's own object (``done.evidence``…).
PER_YEAR = ("membership", "delegation", "attachment", "line", "evidence", "poll", "proposal")


def allow(*roles, anonymous=LOGIN, **others) -> dict:
    """``ok`` for ``roles``, ``anonymous`` for the anonymous visitor, 403 for the rest;
    ``others`` name the exceptions (``other_board=NOT_FOUND``)."""
    unknown = (set(roles) | set(others)) - set(ROLES)
    assert not unknown, f"Unknown roles: {sorted(unknown)}"
    outcomes = dict.fromkeys(ROLES, FORBIDDEN)
    outcomes["anonymous"] = anonymous
    outcomes.update(dict.fromkeys(roles, OK))
    outcomes.update(others)
    return outcomes


#: Public pages: everyone, signed in or not.
PUBLIC = allow(*SIGNED_IN, anonymous=OK)


@dataclass(frozen=True)
class Entry:
    """One named URL: the expected outcome per role, and its arguments.

    ``at``: which of bloc A's years the URL's ``year`` is (:data:`.world.YEARS`).
    ``ids``: URL argument → world key, where the default does not fit (the default:
    ``pk`` is the bloc, ``year`` the year ``at``, a :data:`PER_YEAR` argument that
    year's object, any other argument the world key of its own name).
    ``fixed``: URL argument → literal value (slugs). ``get``: None for a POST-only
    action; ``post``: None when the view takes no POST. ``data``: the POST body.
    """

    get: Mapping[str, str] | None
    post: Mapping[str, str] | None = None
    at: str | None = None
    ids: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, object] = field(default_factory=dict)
    data: Mapping[str, str] = field(default_factory=dict)

    def expected(self, method: str) -> Mapping[str, str] | None:
        return self.get if method == "get" else self.post

    def world_key(self, name: str) -> str:
        """Where URL argument ``name`` comes from in the world."""
        if name in self.ids:
            return self.ids[name]
        if name == "pk":
            return "bloc"
        if name in PER_YEAR:
            return f"{self.at}.{name}"
        return name

    def kwargs(self, names, world) -> dict:
        from .world import YEARS

        kwargs = {}
        for name in names:
            if name in self.fixed:
                kwargs[name] = self.fixed[name]
            elif name == "year":
                kwargs[name] = YEARS[self.at]
            elif name == "period":
                kwargs[name] = "year_end"
            else:
                kwargs[name] = world.ids[self.world_key(name)]
        return kwargs


def post_only(post: Mapping[str, str], **options) -> Entry:
    """A POST-only action (the view answers a GET with 405, past its checks): only the
    POST is declared and requested."""
    return Entry(get=None, post=post, **options)
