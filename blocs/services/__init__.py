"""Every write in blocs goes through a function here, split by sub-domain:

- ``years``: the stage transitions and the set-up of a bloc-year;
- ``secretariat``: delegating secretariat rights for a year;
- ``succession``: agencies renamed or merged, carried through the years.
"""

from .secretariat import delegation_grant, delegation_revoke
from .succession import agency_merge, agency_rename
from .years import (
    TRANSITION_SERVICES,
    bloc_year_close_year,
    bloc_year_create,
    bloc_year_open_conference,
    bloc_year_open_scoring,
    bloc_year_open_signing,
    bloc_year_return_proposals,
    bloc_year_set_officers,
    bloc_year_start_year,
    bloc_year_submit_proposals,
    bloc_year_update,
    membership_add,
    membership_remove,
    membership_update,
    notify_stage_changed,
)

__all__ = [
    "TRANSITION_SERVICES",
    "agency_merge",
    "agency_rename",
    "bloc_year_close_year",
    "bloc_year_create",
    "bloc_year_open_conference",
    "bloc_year_open_scoring",
    "bloc_year_open_signing",
    "bloc_year_return_proposals",
    "bloc_year_set_officers",
    "bloc_year_start_year",
    "bloc_year_submit_proposals",
    "bloc_year_update",
    "delegation_grant",
    "delegation_revoke",
    "membership_add",
    "membership_remove",
    "membership_update",
    "notify_stage_changed",
]
