"""The conference record, its attendance register and its counting committee.

One function per change, each on the blocs recipe: lock the bloc-year row
(two secretariat members saving at once queue instead of overwriting each
other), check the right on the locked row, check the state, change, record
a :class:`~awards.models.ConferenceEvent`.

Rules chosen here:

* only the secretariat prepares the conference, at the conference stage,
  never in a closed year, and not once the results are confirmed;
* the attendance register is what every poll snapshots (present, members,
  who may vote): it is refused as soon as a poll has opened, so a ballot is
  always counted against the register it was cast under;
* a registered voter votes for one agency only, and never for an agency
  that is absent.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.stages import Stage
from members import audit
from members.models import Agency

from . import core
from .models import (
    Attendance,
    Conference,
    ConferenceStatus,
    CountingMember,
    CountingRole,
    Poll,
    PollStatus,
)
from .permissions import is_secretariat
from .selectors import Quorum, attendance_rows, current_memberships, quorum_for

__all__ = [
    "RECORD_FIELDS",
    "REPORT_FIELDS",
    "attendance_set",
    "check_manage",
    "committee_set",
    "conference_for",
    "conference_save",
]

#: The conference record proper (this module's form).
RECORD_FIELDS = ("held_on", "place", "chaired_by", "secretary", "board_representative")
#: The summary report and the document numbers, edited on the report's page.
REPORT_FIELDS = (
    "achievements",
    "limitations",
    "lessons",
    "directions",
    "minutes_number",
    "counting_number",
    "submission_number",
    "report_number",
)
ATTENDANCE_FIELDS = (
    "present",
    "representative_name",
    "representative_title",
    "is_proxy",
    "voter",
)


def check_manage(actor, bloc_year, *, what: str = "") -> None:
    """The secretariat, at the conference stage, in an open year; else a
    clear refusal. ``what`` words the refusal ("prepares the conference")."""
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    if not is_secretariat(actor, bloc_year):
        raise PermissionDenied(what or _("Only the secretariat prepares and runs the conference."))
    if bloc_year.stage != Stage.CONFERENCE:
        raise ValidationError(
            _("This is possible only while the year is at the year-end conference."),
            code="stage",
        )


def check_not_confirmed(conference: Conference) -> None:
    if conference.status == ConferenceStatus.CONFIRMED:
        raise ValidationError(
            _("The conference results are confirmed: the conference can no longer change."),
            code="confirmed",
        )


def conference_for(bloc_year, *, lock: bool = False) -> Conference:
    """The year's conference record, created (preparing) on first use."""
    rows = Conference.objects.select_for_update() if lock else Conference.objects
    conference = rows.filter(bloc_year=bloc_year).first()
    if conference is None:
        conference, _created = Conference.objects.get_or_create(
            bloc_year=bloc_year, defaults={"held_on": bloc_year.conference_date}
        )
    return conference


@audit.service
@transaction.atomic
def conference_save(*, bloc_year, actor, data: dict) -> Conference:
    """Create or update the record; ``data`` holds some of
    :data:`RECORD_FIELDS` (and, from the report's page, :data:`REPORT_FIELDS`)."""
    bloc_year = core.lock_year(bloc_year)
    check_manage(actor, bloc_year)
    unknown = set(data) - set(RECORD_FIELDS) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"not a conference field: {', '.join(sorted(unknown))}")
    conference = conference_for(bloc_year, lock=True)
    check_not_confirmed(conference)
    for name, value in data.items():
        setattr(conference, name, value)
    held_on = conference.held_on
    if held_on is not None and held_on.year not in (bloc_year.year, bloc_year.year + 1):
        raise ValidationError(
            {
                "held_on": _("The conference is held in %(year)s or early the next year.")
                % {"year": bloc_year.year}
            }
        )
    conference.full_clean(exclude=["bloc_year"])
    conference.save()
    core.record(bloc_year, "conference_saved", actor=actor)
    return conference


def _polls_started(bloc_year) -> bool:
    return Poll.objects.filter(bloc_year=bloc_year).exclude(status=PollStatus.DRAFT).exists()


def _row_errors(row: dict, *, members: dict, voters: dict) -> dict:
    """Errors of one register row, by field name."""
    errors = {}
    present = bool(row.get("present"))
    if present and not (row.get("representative_name") or "").strip():
        errors["representative_name"] = _("Say who represents a present agency.")
    voter = row.get("voter")
    if voter is None:
        return errors
    if not present:
        errors["voter"] = _(
            "An absent agency does not vote: clear the registered voter or mark it present."
        )
    elif not voter.is_active:
        errors["voter"] = _("This account is deactivated: it cannot vote.")
    elif voters.get(voter.pk, row["agency_id"]) != row["agency_id"]:
        errors["voter"] = _("A registered voter votes for one agency only.")
    elif (
        voter.agency_id in members
        and voter.agency_id != row["agency_id"]
        and voter.is_agency_leader
    ):
        errors["voter"] = _(
            "%(name)s leads %(agency)s, which votes on its own: choose someone else."
        ) % {"name": voter.get_full_name(), "agency": members[voter.agency_id].name}
    else:
        voters[voter.pk] = row["agency_id"]
    return errors


@audit.service
@transaction.atomic
def attendance_set(*, bloc_year, actor, rows: list[dict]) -> Quorum:
    """Write the register: one row per current member, each a dict with
    ``agency`` (an Agency or its id) and :data:`ATTENDANCE_FIELDS` (``voter``:
    a user or None). Returns the quorum it makes.

    Errors are keyed ``"<agency id>.<field>"`` so the page can put each next
    to its row; nothing is saved when any row is wrong.
    """
    bloc_year = core.lock_year(bloc_year)
    check_manage(actor, bloc_year)
    conference = conference_for(bloc_year, lock=True)
    check_not_confirmed(conference)
    if _polls_started(bloc_year):
        raise ValidationError(
            _(
                "A poll has opened: the attendance register is what the polls count on, "
                "so it can no longer change."
            ),
            code="polls_started",
        )
    members = {m.agency_id: m.agency for m in current_memberships(bloc_year)}
    given = {}
    for row in rows:
        agency = row["agency"]
        agency_id = agency.pk if isinstance(agency, Agency) else int(agency)
        if agency_id not in members:
            raise ValidationError(
                _("Only this year's current members are on the register."), code="not_member"
            )
        if agency_id in given:
            raise ValidationError(
                _("This agency is already on the attendance register."), code="duplicate"
            )
        given[agency_id] = {**row, "agency_id": agency_id}
    if set(given) != set(members):
        missing = ", ".join(members[a].name for a in members if a not in given)
        raise ValidationError(
            _("Enter every current member on the register (missing: %(names)s).")
            % {"names": missing},
            code="incomplete",
        )
    errors, voters = {}, {}
    for agency_id, row in given.items():
        for name, message in _row_errors(row, members=members, voters=voters).items():
            errors[f"{agency_id}.{name}"] = message
    if errors:
        raise ValidationError(errors)
    existing = {a.agency_id: a for a in Attendance.objects.filter(conference=conference)}
    Attendance.objects.filter(conference=conference).exclude(agency_id__in=list(members)).delete()
    for agency_id, row in given.items():
        record = existing.get(agency_id) or Attendance(conference=conference, agency_id=agency_id)
        present = bool(row.get("present"))
        record.present = present
        record.representative_name = (row.get("representative_name") or "").strip()
        record.representative_title = (row.get("representative_title") or "").strip()
        record.is_proxy = present and bool(row.get("is_proxy"))
        record.voter = row.get("voter") if present else None
        record.save()
    rules = core.rules_for(bloc_year)
    quorum = quorum_for(attendance_rows(bloc_year, conference), rules)
    core.record(
        bloc_year,
        "attendance_set",
        actor=actor,
        note=_("%(present)s of %(members)s members present")
        % {"present": quorum.present, "members": quorum.members},
    )
    return quorum


@audit.service
@transaction.atomic
def committee_set(*, bloc_year, actor, members: list[dict]) -> list[CountingMember]:
    """Name the counting committee: dicts with ``full_name``, ``role`` (head
    or member) and an optional ``agency``; exactly one head. Replaces the
    previous list. Errors are keyed ``"<index>.<field>"`` or ``__all__``."""
    bloc_year = core.lock_year(bloc_year)
    check_manage(actor, bloc_year)
    conference = conference_for(bloc_year, lock=True)
    check_not_confirmed(conference)
    current = {m.agency_id for m in current_memberships(bloc_year)}
    errors, names = {}, set()
    cleaned = []
    for index, member in enumerate(members):
        full_name = " ".join((member.get("full_name") or "").split())
        agency = member.get("agency")
        agency_id = agency.pk if isinstance(agency, Agency) else agency
        role = member.get("role") or CountingRole.MEMBER
        if not full_name:
            errors[f"{index}.full_name"] = _("Enter the member's full name.")
        elif full_name.casefold() in names:
            errors[f"{index}.full_name"] = _("This person is already on the committee.")
        names.add(full_name.casefold())
        if agency_id is not None and agency_id not in current:
            errors[f"{index}.agency"] = _("Choose one of this year's current members.")
        if role not in CountingRole.values:
            errors[f"{index}.role"] = _("Choose head or member.")
        cleaned.append((full_name, agency_id, role))
    heads = sum(1 for _name, _agency, role in cleaned if role == CountingRole.HEAD)
    if not errors and heads != 1:
        errors["__all__"] = _("The counting committee has exactly one head.")
    if not errors and len(cleaned) < 2:
        errors["__all__"] = _("The counting committee has a head and at least one member.")
    if errors:
        raise ValidationError(errors)
    CountingMember.objects.filter(conference=conference).delete()
    # The head first, then the members in the order given.
    ordered = sorted(cleaned, key=lambda item: item[2] != CountingRole.HEAD)
    created = [
        CountingMember.objects.create(
            conference=conference,
            full_name=full_name,
            agency_id=agency_id,
            role=role,
            order=order,
        )
        for order, (full_name, agency_id, role) in enumerate(ordered, start=1)
    ]
    core.record(
        bloc_year,
        "committee_set",
        actor=actor,
        note=", ".join(member.full_name for member in created),
    )
    return created
