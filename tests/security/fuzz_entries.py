"""Which user posts each form page of the URLconf, and where.

Every URL whose view accepts POST needs an entry here (or in ``NOT_FUZZED``
with the reason): ``test_every_post_url_has_a_fuzz_entry`` fails on a new
form page without one. An entry names the world's user allowed to post it
and the URL's arguments in the world (:mod:`tests.security.fuzz_world`);
the form's fields are read from the page itself, or given here for the
POST-only buttons that have no page of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from covenants.models import Period

__all__ = ["ENTRIES", "NOT_FUZZED", "Entry"]


@dataclass(frozen=True)
class Entry:
    #: The world's attribute holding the user who posts (None: anonymous).
    user: str | None
    #: The URL's arguments, from the world.
    kwargs: Callable = lambda w: {}
    #: The page to read the form from, when it is not the URL posted to:
    #: (URL name, its arguments from the world).
    page: tuple | None = None
    #: The post of a button without a page: field name → value.
    fields: dict | None = None
    #: File fields the page does not show (filled by hypothesis).
    files: tuple = ()
    #: Answers that are fine besides 200 and 302 (e.g. 404 for a tampered action).
    statuses: tuple = (200, 302)
    #: The answer to an accepted post is the next page itself (a new language,
    #: being logged in), not a message.
    quiet: bool = False
    #: Examples per entry (hypothesis ``max_examples``); buttons need fewer.
    examples: int | None = None
    tags: tuple = field(default_factory=tuple)


def _year(attr):
    return lambda w: {"pk": getattr(w, attr).bloc_id, "year": getattr(w, attr).year}


def _sheet(attr, period=Period.YEAR_END):
    def kwargs(w):
        sheet = getattr(w, attr)
        return {
            "pk": sheet.bloc_year.bloc_id,
            "year": sheet.bloc_year.year,
            "period": period,
            "agency": sheet.agency_id,
        }

    return kwargs


def _with(base, **extra):
    return lambda w: {**base(w), **{k: (v(w) if callable(v) else v) for k, v in extra.items()}}


_BUTTON = {"confirm": "on"}

#: URL name (with a [variant] when one URL is fuzzed in several places) → entry.
ENTRIES: dict[str, Entry] = {
    # config and accounts -----------------------------------------------------------
    "set_language": Entry(None, fields={"language": "en", "next": "/"}, quiet=True, examples=8),
    "login": Entry(None, quiet=True),
    "password_reset": Entry(None),
    "password_reset_confirm": Entry(None, kwargs=lambda w: w.reset),
    "accounts:profile": Entry("scoring_leader"),
    "accounts:invitation_accept": Entry(None, kwargs=lambda w: w.invitation),
    # members ----------------------------------------------------------------------------
    "members:create": Entry("board"),
    "members:update": Entry("board", kwargs=lambda w: {"pk": w.outside_agency.pk}),
    "members:official_create": Entry("board", kwargs=lambda w: {"pk": w.outside_agency.pk}),
    "members:import": Entry("board"),
    "members:import_apply": Entry(
        "board", kwargs=lambda w: {"pk": w.batch.pk}, fields={}, examples=8
    ),
    "members:deactivate": Entry(
        "board", kwargs=lambda w: {"pk": w.reset_user.pk}, fields={}, examples=5
    ),
    "members:reactivate": Entry(
        "board", kwargs=lambda w: {"pk": w.reset_user.pk}, fields={}, examples=5
    ),
    "verify_document": Entry(None, kwargs=lambda w: {"token": w.issued_token}),
    # blocs ------------------------------------------------------------------------------
    "blocs:bloc_create": Entry("board", kwargs=lambda w: {"code": w.province.code}),
    "blocs:bloc_update": Entry("board", kwargs=lambda w: {"pk": w.setup.bloc_id}),
    "blocs:year_create": Entry("board", kwargs=lambda w: {"pk": w.setup.bloc_id}),
    "blocs:year_update": Entry("setup_secretariat", kwargs=_year("setup")),
    "blocs:officers": Entry("setup_secretariat", kwargs=_year("setup")),
    "blocs:membership_add": Entry("setup_secretariat", kwargs=_year("setup")),
    "blocs:membership_update": Entry(
        "setup_secretariat", kwargs=_with(_year("setup"), membership=lambda w: w.membership.pk)
    ),
    "blocs:membership_remove": Entry(
        "setup_secretariat", kwargs=_with(_year("setup"), membership=lambda w: w.membership.pk)
    ),
    "blocs:transition[open_signing]": Entry(
        "setup_secretariat", kwargs=_with(_year("setup"), transition="open_signing")
    ),
    "blocs:transition[start_year]": Entry(
        "signing_secretariat", kwargs=_with(_year("signing"), transition="start_year")
    ),
    "blocs:province_deadlines": Entry("board", kwargs=lambda w: {"code": w.province.code}),
    "blocs:year_deadlines": Entry("setup_secretariat", kwargs=_year("setup")),
    "blocs:rename": Entry("board", kwargs=lambda w: {"pk": w.outside_agency.pk}),
    "blocs:merge": Entry("board", kwargs=lambda w: {"code": w.province.code}),
    "blocs:invite": Entry("board", kwargs=lambda w: {"pk": w.invited.pk}, fields={}, examples=5),
    "blocs:delegation_grant": Entry("setup_chair_leader", kwargs=_year("setup")),
    "blocs:delegation_revoke": Entry(
        "setup_chair_leader",
        kwargs=_with(_year("setup"), delegation=lambda w: w.delegation.pk),
        fields={},
        examples=5,
    ),
    # covenants --------------------------------------------------------------------------
    "covenants:create": Entry("setup_secretariat", kwargs=_year("setup"), fields={"copy": "1"}),
    "covenants:edit": Entry("setup_secretariat", kwargs=_year("setup")),
    "covenants:commitments": Entry("setup_secretariat", kwargs=_year("setup")),
    "covenants:attachment_add": Entry("setup_secretariat", kwargs=_year("setup")),
    "covenants:open": Entry("signing_secretariat", kwargs=_year("signing"), fields={}),
    "covenants:sign": Entry(
        "signing_leader", kwargs=_with(_year("signing"), agency=lambda w: w.signing_member.pk)
    ),
    "covenants:record": Entry("signing_secretariat", kwargs=_year("signing")),
    "covenants:reopen": Entry("signing_secretariat", kwargs=_year("signing")),
    "covenants:sheet": Entry("setup_secretariat", kwargs=_year("setup")),
    "covenants:sheet_action[new-version]": Entry(
        "setup_secretariat", kwargs=_with(_year("setup"), action="new-version"), fields={}
    ),
    "covenants:sheet_action[discard]": Entry(
        "setup_secretariat", kwargs=_with(_year("setup"), action="discard"), fields={}
    ),
    "covenants:scores_open": Entry(
        "scoring_secretariat",
        kwargs=_with(_year("scoring"), period=Period.YEAR_END),
        fields={},
        examples=5,
    ),
    "covenants:score_sheet_edit": Entry("scoring_staff", kwargs=_sheet("draft_sheet")),
    "covenants:score_sheet_edit[mid_year]": Entry(
        "progress_leader", kwargs=_sheet("progress_sheet", Period.MID_YEAR)
    ),
    "covenants:score_sheet_submit": Entry(
        "scoring_leader", kwargs=_sheet("draft_sheet"), fields={}
    ),
    "covenants:evidence_add": Entry(
        "scoring_staff", kwargs=_with(_sheet("draft_sheet"), line=lambda w: w.draft_line.pk)
    ),
    "covenants:evidence_delete": Entry(
        "scoring_staff",
        kwargs=_with(_sheet("draft_sheet"), evidence=lambda w: w.evidence.pk),
        fields={},
        examples=5,
    ),
    "covenants:score_reviewers": Entry(
        "scoring_secretariat", kwargs=_with(_year("scoring"), period=Period.YEAR_END)
    ),
    "covenants:score_review": Entry("scoring_secretariat", kwargs=_sheet("submitted_sheet")),
    "covenants:score_reconcile": Entry("scoring_secretariat", kwargs=_sheet("reviewed_sheet")),
    "covenants:score_return": Entry("scoring_secretariat", kwargs=_sheet("submitted_sheet")),
    "covenants:ranking_publish": Entry(
        "scoring_secretariat", kwargs=_with(_year("scoring"), period=Period.YEAR_END)
    ),
    "covenants:score_sheet_import": Entry("scoring_staff", kwargs=_sheet("draft_sheet")),
    "covenants:score_settings": Entry("scoring_secretariat", kwargs=_year("scoring")),
    "covenants:mid_year_edit": Entry("progress_secretariat", kwargs=_year("progress")),
    "covenants:mid_year_hold": Entry("progress_secretariat", kwargs=_year("progress")),
    "covenants:initiatives_edit": Entry(
        "progress_secretariat",
        kwargs=_with(_year("progress"), agency=lambda w: w.progress_member.pk),
    ),
    # awards -----------------------------------------------------------------------------
    "awards:province_defaults": Entry("board", kwargs=lambda w: {"province": w.province.pk}),
    "awards:rules": Entry("preparing_secretariat", kwargs=_year("preparing")),
    "awards:eligibility": Entry("preparing_secretariat", kwargs=_year("preparing")),
    "awards:conference_edit": Entry("conference_secretariat", kwargs=_year("conference")),
    "awards:attendance": Entry("preparing_secretariat", kwargs=_year("preparing")),
    "awards:committee": Entry("preparing_secretariat", kwargs=_year("preparing")),
    "awards:poll_create": Entry("preparing_secretariat", kwargs=_year("preparing")),
    "awards:vote": Entry("voter", kwargs=_with(_year("conference"), poll=lambda w: w.flag_poll.pk)),
    "awards:paper_count": Entry(
        "paper_secretariat", kwargs=_with(_year("paper"), poll=lambda w: w.paper_poll.pk)
    ),
    "awards:poll_action[close]": Entry(
        "conference_secretariat",
        kwargs=_with(_year("conference"), poll=lambda w: w.flag_poll.pk, action="close"),
    ),
    "awards:results_confirm": Entry(
        "conference_secretariat",
        kwargs=_year("conference"),
        page=("awards:results", _year("conference")),
    ),
    "awards:handover": Entry("confirmed_secretariat", kwargs=_year("confirmed")),
    "awards:report_edit": Entry("conference_secretariat", kwargs=_year("conference")),
    "awards:achievement": Entry(
        "confirmed_secretariat",
        kwargs=_with(_year("confirmed"), proposal=lambda w: w.proposal.pk),
        statuses=(200, 302, 404),
    ),
    "awards:board_decide": Entry(
        "board",
        kwargs=lambda w: {
            "code": w.province.code,
            "year": w.submitted.year,
            "proposal": w.submitted_proposal.pk,
        },
    ),
    "awards:province_dossier": Entry(
        "board", kwargs=lambda w: {"code": w.province.code, "year": w.submitted.year}
    ),
}

#: POST URLs not fuzzed here, and why.
NOT_FUZZED = {
    "logout": "no input: Django's own view logs the user out",
}
