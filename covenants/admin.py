from django.contrib import admin

from .models import (
    Commitment,
    Covenant,
    CovenantAttachment,
    CovenantEvent,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    Signature,
)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ["bloc_year", "status", "conference_date"]
    list_filter = ["status", "bloc_year__year"]
    # The status moves only through covenants.services, which records it.
    readonly_fields = ["status"]
    inlines = [CommitmentInline]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = [
        "covenant",
        "agency",
        "status",
        "method",
        "signer_name",
        "signed_at",
        "voided_at",
    ]
    list_filter = ["status", "method"]

    # Signatures are never edited, only voided by reopening the covenant.
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CovenantEvent)
class CovenantEventAdmin(admin.ModelAdmin):
    list_display = ["covenant", "action", "from_status", "to_status", "actor", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CovenantAttachment)


class CriterionInline(admin.TabularInline):
    model = ScoringCriterion
    extra = 0


@admin.register(ScoringTemplate)
class ScoringTemplateAdmin(admin.ModelAdmin):
    list_display = ["bloc_year", "version", "status", "base_total"]
    list_filter = ["status"]


@admin.register(ScoringGroup)
class ScoringGroupAdmin(admin.ModelAdmin):
    list_display = ["template", "code", "title", "max_points"]
    inlines = [CriterionInline]
