from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Province, User


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "province", "is_active", "successor"]
    list_filter = ["province", "kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["successor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "agency", "agency_role", "board_province", "is_active"]
    list_filter = ["is_active", "agency_role", "board_province", "is_superuser"]
    search_fields = ["username", "full_name", "email", "agency__name"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "position")}),
        (_("Roles"), {"fields": ("agency", "agency_role", "board_province")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "agency",
                    "agency_role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
