from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Emulation blocs")

    def ready(self):
        from django.db.models import Prefetch

        from members import audit
        from members.importers import Importer, register_importer
        from members.models import ImportKind

        from .models import Membership
        from .permissions import can_view_history

        # Who reads the history of what belongs to a bloc-year (members.audit.SCOPES): the
        # check reads the year's chair (its members) and its bloc's province.
        audit.register_scope_check(
            "blocs.blocyear",
            can_view_history,
            prefetch=(
                "bloc",
                Prefetch("memberships", queryset=Membership.objects.select_related("agency")),
            ),
        )

        from . import guards  # noqa: F401  (registers the set-up guards)
        from .imports import (
            apply_bloc_members_import,
            bloc_members_template,
            plan_bloc_members_import,
        )

        def apply(content, *, province, actor):
            # Bloc imports create no accounts, so nobody is invited.
            return apply_bloc_members_import(content, province=province, actor=actor), []

        register_importer(
            Importer(
                kind=ImportKind.BLOC_MEMBERS,
                plan=plan_bloc_members_import,
                apply=apply,
                template=bloc_members_template,
                template_name="mau-thanh-vien-khoi.xlsx",
            )
        )
