"""The navigation bar follows the user's current roles (one query at most, kept under the
data version with :mod:`members.caching`: every page shows it)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members import caching

from .permissions import secretariat_years
from .stages import Stage


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": caching.remember("navigation", (user.pk,), lambda: _items(user))}


def _items(user) -> list[tuple[str, str]]:
    items = []
    if user.board_province_id:
        items.append((_("Province"), reverse("blocs:province", args=[user.board_province.code])))
    if user.board_province_id or user.is_superuser:
        items.append((_("Agencies"), reverse("members:list")))
        items.append((_("Import"), reverse("members:import")))
    # Every page pays for this query: three columns, no model instances.
    secretariat = (
        secretariat_years(user)
        .exclude(stage=Stage.CLOSED)
        .values_list("bloc_id", "bloc__number", "year")
        .first()
    )
    if secretariat is not None:
        bloc_id, number, year = secretariat
        label = _("Secretariat: bloc %(number)s, %(year)s") % {"number": number, "year": year}
        items.append((str(label), reverse("blocs:year", kwargs={"pk": bloc_id, "year": year})))
    if user.agency_id:
        items.append((_("My agency"), reverse("blocs:agency", args=[user.agency_id])))
    if user.is_superuser:
        items.append((_("Administration"), reverse("admin:index")))
    return [(str(label), url) for label, url in items]
