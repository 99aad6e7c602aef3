import math
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from example_api.accounts.backends import request_address
from example_api.accounts.models import ApiToken, User
from example_api.accounts.throttle import LoginThrottle


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin's login form. The authentication backend refuses a throttled login whatever
    the form; this form says so instead of "enter a correct username and password"."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            throttle = LoginThrottle(username=username, address=request_address(self.request))
            retry_after = throttle.retry_after()
            if retry_after:
                raise ValidationError(
                    "Too many failed login attempts. Try again in %(minutes)d minutes.",
                    code="login_throttled",
                    params={"minutes": math.ceil(retry_after / 60)},
                )
        return super().clean()


admin.site.login_form = ThrottledAdminLoginForm
admin.site.register(User, UserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "expires_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("key_hash", "created_at")
