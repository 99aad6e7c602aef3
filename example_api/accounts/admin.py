from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from example_api.accounts.models import ApiToken, User

admin.site.register(User, UserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "expires_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("key_hash", "created_at")
