"""Planning the “Cơ quan” sheet: which agencies are created, changed,
deactivated or reactivated, and which cells are wrong."""

from django.utils.translation import gettext as _

from ..models import Agency, AgencyKind
from ..spreadsheets import (
    NO,
    YES,
    Change,
    change_detail,
    clean_text,
    parse_choice,
    unknown_value_message,
)
from .layout import (
    _AGENCY_FIELDS,
    _AGENCY_HEADERS,
    _CODE_MAX_LENGTH,
    _CODE_RE,
    ACTIVE_LABELS,
    AGENCY_SHEET,
    KIND_LABELS,
    _agency_label,
    _field_errors,
    _PeopleWork,
    _required_message,
    _same_name,
    _Write,
)

# Planning ------------------------------------------------------------------


def _check_agency_cells(cells: dict[str, str], error) -> tuple[str | None, bool | None]:
    """Report what is wrong with an agency row on its own; return its kind and active flag.

    A blank kind is None: an existing agency keeps its kind, a new one gets
    the model's default.
    """
    for key in ("code", "name", "short_name"):
        if not cells[key]:
            error(key, _required_message())
    code = cells["code"]
    if len(code) > _CODE_MAX_LENGTH:
        error("code", _("A code has at most %(max)s characters.") % {"max": _CODE_MAX_LENGTH})
    elif code and not _CODE_RE.match(code):
        error("code", _("A code may only contain letters A–Z, digits, “-” and “_”."))
    kind = None
    if cells["kind"]:
        kind = parse_choice(cells["kind"], KIND_LABELS)
        if kind is None:
            error("kind", unknown_value_message(cells["kind"], KIND_LABELS.values()))
    is_active = True
    if cells["is_active"]:
        is_active = parse_choice(cells["is_active"], ACTIVE_LABELS)
        if is_active is None:
            error("is_active", unknown_value_message(cells["is_active"], (YES, NO)))
    return kind, is_active


def _plan_agencies(rows, *, province, work: _PeopleWork) -> dict[str, tuple[Agency, bool] | None]:
    """Plan the agency sheet; return the agencies officials may name, by lower-case code.

    The value is ``(agency, active after the import)``, or None for a code
    whose own row has errors (its officials are then not checked again).
    """
    plan = work.plan
    headers = _AGENCY_HEADERS
    agencies = list(Agency.objects.filter(province=province).order_by("pk"))
    active, inactive = {}, {}
    for agency in agencies:
        if agency.is_active:
            active.setdefault(agency.code.lower(), agency)
        else:
            # A code reused after a rename: the newest ended row is the one meant.
            inactive[agency.code.lower()] = agency
    successors = {a.pk: a for a in agencies}
    # The loop below edits these instances; names are checked against the state before.
    active_before = {a.pk for a in agencies if a.is_active}
    known: dict[str, tuple[Agency, bool] | None] = {
        code: (agency, True) for code, agency in active.items()
    }
    seen: dict[str, int] = {}
    # Agencies that are active after the import and whose name must stay unique.
    newly_active: list[tuple[int, Agency]] = []
    deactivated: set[int] = set()

    for row, cells in rows:

        def error(key, message, row=row):
            plan.add_error(AGENCY_SHEET, row, headers[key] if key else "", message)

        errors_before = len(plan.errors)
        code, name, short_name = cells["code"], cells["name"], cells["short_name"]
        kind, is_active = _check_agency_cells(cells, error)
        key = code.lower()
        if code and key in seen:
            error(
                "code",
                _("The code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[key]},
            )
            continue
        if code:
            seen[key] = row
        if len(plan.errors) > errors_before:
            if code:
                known[key] = None
            continue

        existing = active.get(key)
        reactivating = False
        if existing is None and key in inactive:
            old = inactive[key]
            if not is_active:
                # Already inactive: a deactivation imported twice changes nothing.
                plan.changes.append(
                    Change("unchanged", "agency", _agency_label(old.code, old.name))
                )
                known[key] = (old, False)
                continue
            if old.successor_id is not None:
                successor = successors.get(old.successor_id)
                error(
                    "code",
                    _(
                        "This agency was renamed or merged into “%(successor)s”; "
                        "use the code of that agency."
                    )
                    % {"successor": successor},
                )
                known[key] = None
                continue
            existing, reactivating = old, True

        if existing is None:
            if not is_active:
                error(
                    "is_active",
                    _("No agency has this code; a new agency cannot be imported as inactive."),
                )
                known[key] = None
                continue
            agency = Agency(
                province=province,
                code=code.upper(),
                name=name,
                short_name=short_name,
                kind=kind or AgencyKind.DEPARTMENT,
                is_active=True,
            )
            for column, message in _field_errors(agency, _AGENCY_FIELDS, headers):
                plan.add_error(AGENCY_SHEET, row, column, message)
            work.agencies.append(_Write(AGENCY_SHEET, row, agency, None, headers))
            plan.changes.append(Change("create", "agency", _agency_label(agency.code, name)))
            newly_active.append((row, agency))
            known[key] = (agency, True)
            continue

        if not _same_name(existing.name, name):
            error(
                "name",
                _(
                    "To rename an agency use the rename/merge page, so past years keep "
                    "the old name."
                ),
            )
            known[key] = None
            continue
        details, changed = [], []
        for field_name, new in (("short_name", short_name), ("kind", kind)):
            old = getattr(existing, field_name)
            if new is not None and old != new:
                if field_name == "kind":
                    details.append(
                        change_detail(headers["kind"], KIND_LABELS.get(old, old), KIND_LABELS[new])
                    )
                else:
                    details.append(change_detail(headers[field_name], old, new))
                setattr(existing, field_name, new)
                changed.append(field_name)
        if reactivating:
            action = "reactivate"
        elif existing.is_active and not is_active:
            action = "deactivate"
            deactivated.add(existing.pk)
        else:
            action = "update" if changed else "unchanged"
        if action in ("reactivate", "deactivate"):
            existing.is_active = is_active
            changed.append("is_active")
        label = _agency_label(existing.code, existing.name)
        plan.changes.append(Change(action, "agency", label, tuple(details)))
        known[key] = (existing, is_active)
        if changed:
            for column, message in _field_errors(existing, changed, headers):
                plan.add_error(AGENCY_SHEET, row, column, message)
            work.agencies.append(_Write(AGENCY_SHEET, row, existing, tuple(changed), headers))
        if reactivating:
            newly_active.append((row, existing))

    # Names of active agencies are unique in the province, after the import.
    taken = {
        clean_text(agency.name)
        for agency in agencies
        if agency.pk in active_before and agency.pk not in deactivated
    }
    for row, agency in newly_active:
        name = clean_text(agency.name)
        if name in taken:
            plan.add_error(
                AGENCY_SHEET,
                row,
                headers["name"],
                _("Another active agency of the province already has this name."),
            )
        taken.add(name)
    return known
