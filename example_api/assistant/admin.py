from django.contrib import admin

from example_api.assistant.models import AssistantRequest


@admin.register(AssistantRequest)
class AssistantRequestAdmin(admin.ModelAdmin):
    """Read-only: outcomes and token usage. The sentence is shown to staff (it is the
    user's own data on this server, never sent to logs)."""

    list_display = (
        "id",
        "user",
        "state",
        "code",
        "prompt_tokens",
        "completion_tokens",
        "created_at",
    )
    list_filter = ("state", "code")
    readonly_fields = [
        field.name for field in AssistantRequest._meta.get_fields() if field.concrete
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
