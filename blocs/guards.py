"""Guards of the set-up stage: what must be true before signing opens.

Each guard returns human-readable blockers; the overview page lists them and
the transition service refuses while any remain. Later stages' guards live in
the app that owns the data they check (covenants, awards).
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MemberRole
from .stages import register_guard

MIN_MEMBERS = 2


@register_guard("open_signing")
def setup_is_complete(bloc_year):
    current = [m for m in bloc_year.memberships.all() if m.left_on is None]
    if len(current) < MIN_MEMBERS:
        yield ngettext(
            "The bloc has %(count)d member this year; at least %(min)d are needed.",
            "The bloc has %(count)d members this year; at least %(min)d are needed.",
            len(current),
        ) % {"count": len(current), "min": MIN_MEMBERS}
    roles = {m.role for m in current}
    if MemberRole.CHAIR not in roles:
        yield _("No chair agency (khối trưởng) is set for this year.")
    if MemberRole.VICE_CHAIR not in roles:
        yield _("No vice-chair agency (khối phó) is set for this year.")
