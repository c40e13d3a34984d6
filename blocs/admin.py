from django.contrib import admin

from .models import Bloc, BlocYear, Membership, SecretariatDelegation, StageChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Bloc)
class BlocAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "field", "province", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name", "field"]


@admin.register(BlocYear)
class BlocYearAdmin(admin.ModelAdmin):
    list_display = ["bloc", "year", "stage"]
    list_filter = ["stage", "year", "bloc__province"]
    search_fields = ["bloc__name", "theme"]
    # The stage only moves through blocs.services, which checks and records it.
    readonly_fields = ["stage", "created_at", "updated_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["agency", "bloc_year", "role", "joined_on", "left_on"]
    list_filter = ["role", "bloc_year__year"]
    search_fields = ["agency__name", "bloc_year__bloc__name"]
    autocomplete_fields = ["agency"]


@admin.register(SecretariatDelegation)
class SecretariatDelegationAdmin(admin.ModelAdmin):
    list_display = ["user", "bloc_year", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["bloc_year__year"]
    raw_id_fields = ["user", "granted_by", "bloc_year"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["bloc_year", "from_stage", "to_stage", "actor", "at"]
    list_filter = ["to_stage"]

    # History is written by the services only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
