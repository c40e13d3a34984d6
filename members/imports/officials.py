"""Planning the “Cán bộ” sheet: which officials are created, changed,
reactivated or deactivated, and which cells are wrong."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..models import User
from ..spreadsheets import (
    Change,
    change_detail,
    parse_choice,
    unknown_value_message,
)
from .layout import (
    _NEW_OFFICIAL_FIELDS,
    _OFFICIAL_HEADERS,
    OFFICIAL_SHEET,
    ROLE_LABELS,
    _field_errors,
    _normalize_phone,
    _official_label,
    _PeopleWork,
    _required_message,
    _Write,
)


def _check_official_cells(cells: dict[str, str], error) -> str | None:
    """Report what is wrong with an official's row on its own; return the role."""
    for key in ("full_name", "email", "agency", "agency_role"):
        if not cells[key]:
            error(key, _required_message())
    if cells["email"]:
        try:
            validate_email(cells["email"])
        except ValidationError:
            error("email", _("This is not a valid email address."))
    role = None
    if cells["agency_role"]:
        role = parse_choice(cells["agency_role"], ROLE_LABELS)
        if role is None:
            error("agency_role", unknown_value_message(cells["agency_role"], ROLE_LABELS.values()))
    return role


def _plan_officials(rows, *, province, known, work: _PeopleWork) -> None:
    plan = work.plan
    headers = _OFFICIAL_HEADERS
    emails = {cells["email"].lower() for _row, cells in rows if cells["email"]}
    existing = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("agency")
    }
    taken_usernames = set(
        User.objects.filter(username__in=emails).values_list("username", flat=True)
    )
    seen: dict[str, int] = {}

    for row, cells in rows:

        def error(key, message, row=row):
            plan.add_error(OFFICIAL_SHEET, row, headers[key], message)

        errors_before = len(plan.errors)
        role = _check_official_cells(cells, error)
        email = cells["email"]
        email_key = email.lower()
        if email:
            if email_key in seen:
                error(
                    "email",
                    _("The email %(email)s is already used on row %(row)s.")
                    % {"email": email, "row": seen[email_key]},
                )
            else:
                seen[email_key] = row
        agency = None
        code = cells["agency"]
        if code:
            entry = known.get(code.lower(), False)
            if entry is False:
                error(
                    "agency",
                    _("No active agency of the province has the code %(code)s.") % {"code": code},
                )
            elif entry is not None:
                agency, will_be_active = entry
                if not will_be_active:
                    error(
                        "agency",
                        _("The agency %(code)s is inactive, so it has no officials.")
                        % {"code": code},
                    )
        user = existing.get(email_key) if email else None
        if user is not None:
            user_province = user.agency.province_id if user.agency_id else None
            if any(p not in (None, province.pk) for p in (user_province, user.board_province_id)):
                error("email", _("This email belongs to a person of another province."))
            elif user.is_superuser or user.board_province_id is not None:
                error(
                    "email",
                    _(
                        "This email belongs to a board or administrator account, which an "
                        "import does not turn into agency staff."
                    ),
                )
        elif email and email_key in taken_usernames:
            error(
                "email",
                _("Another account already uses the user name %(username)s.")
                % {"username": email_key},
            )
        if len(plan.errors) > errors_before or agency is None:
            continue

        values = {
            "full_name": cells["full_name"],
            "position": cells["position"],
            "phone": _normalize_phone(cells["phone"]),
            "agency": agency,
            "agency_role": role,
        }
        if user is None:
            user = User(username=email_key, email=email, is_active=True, **values)
            user.set_unusable_password()
            for column, message in _field_errors(user, _NEW_OFFICIAL_FIELDS, headers):
                plan.add_error(OFFICIAL_SHEET, row, column, message)
            work.officials.append(_Write(OFFICIAL_SHEET, row, user, None, headers))
            plan.changes.append(
                Change("create", "official", _official_label(email, values["full_name"]))
            )
            continue

        details, changed = [], []
        for name, new in values.items():
            old = getattr(user, name)
            if name == "agency":
                if old is None or new.pk is None or old.pk != new.pk:
                    details.append(change_detail(headers[name], old.code if old else "", new.code))
                    changed.append(name)
            elif old != new:
                if name == "agency_role":
                    details.append(
                        change_detail(headers[name], ROLE_LABELS.get(old, old), ROLE_LABELS[new])
                    )
                else:
                    details.append(change_detail(headers[name], old, new))
                changed.append(name)
            setattr(user, name, new)
        action = "update" if changed else "unchanged"
        if not user.is_active:
            action = "reactivate"
            user.is_active = True
            changed.append("is_active")
        label = _official_label(user.email, values["full_name"])
        plan.changes.append(Change(action, "official", label, tuple(details)))
        if changed:
            for column, message in _field_errors(user, changed, headers):
                plan.add_error(OFFICIAL_SHEET, row, column, message)
            work.officials.append(_Write(OFFICIAL_SHEET, row, user, tuple(changed), headers))

    # Officials the file no longer lists leave; their row and history stay.
    leaving = (
        User.objects.filter(
            agency__province=province,
            agency__is_active=True,
            is_active=True,
            is_superuser=False,
            board_province__isnull=True,
        )
        .exclude(agency_role="")
        .exclude(email="")
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=emails)
        .order_by("full_name", "pk")
    )
    for user in leaving:
        user.is_active = False
        work.officials.append(_Write(OFFICIAL_SHEET, 0, user, ("is_active",), headers))
        plan.changes.append(
            Change("deactivate", "official", _official_label(user.email, user.full_name))
        )
