"""Swagger UI in a real browser (Debian's chromium, headless, driven by Playwright), the way
a person tries the API: open the docs, authorize with a token, create a booking with "Try it
out", see the 201. The page must load everything from this server (no CDN) and log no
errors; the screenshot is saved under reports/clients/."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.clients import stack
from tests.clients.conftest import PASSWORD, REPORTS

# The browser binary: Debian's chromium unless make test-clients CHROMIUM=... names another.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# --no-sandbox: CI runs as root, where chromium's sandbox cannot start. The others keep a
# test browser from calling home (updates, field trials).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
SCREENSHOT = REPORTS / "swagger-ui-booking-201.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def token_and_resource(live: stack.Stack) -> tuple[int, str, int]:
    """A user logged in through the API, and a resource (made by the staff user)."""
    with httpx.Client(base_url=f"{live.base_url}/api/v1", timeout=30) as http:
        username = f"browser-{secrets.token_hex(4)}"
        user = http.post(
            "/users/",
            json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        )
        assert user.status_code == 201, user.text
        token = http.post("/auth/token/", json={"username": username, "password": PASSWORD})
        staff = http.post(
            "/auth/token/",
            json={"username": stack.STAFF_USERNAME, "password": live.staff_password},
        )
        resource = http.post(
            "/resources/",
            json={"name": f"Browser room {secrets.token_hex(4)}"},
            headers={"Authorization": f"Bearer {staff.json()['token']}"},
        )
        assert resource.status_code == 201, resource.text
        return int(user.json()["id"]), token.json()["token"], int(resource.json()["id"])


def authorize(page: Page, token: str) -> None:
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux .modal-ux")
    dialog.locator("input").fill(token)
    dialog.locator("button.authorize").click()
    expect(dialog.get_by_role("heading", name="Authorized")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()


def try_create_booking(page: Page, body: dict[str, object]) -> Locator:
    operation = page.locator(".opblock-post").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/v1/bookings/"]')
    )
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("textarea.body-param__text").fill(json.dumps(body, indent=2))
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status")
    expect(status).to_have_text("201", timeout=15_000)
    return operation


def test_create_a_booking_through_swagger_ui(browser: Browser, live: stack.Stack) -> None:
    user_id, token, resource_id = token_and_resource(live)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    body = {
        "resource_id": resource_id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
        "note": "booked in a browser",
    }

    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live.base_url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Slipway example API")
    authorize(page, token)
    operation = try_create_booking(page, body)
    operation.screenshot(path=SCREENSHOT)

    # The booking exists for this user, made by the page's request with the page's token.
    with httpx.Client(base_url=f"{live.base_url}/api/v1", timeout=30) as http:
        listed = http.get(
            f"/users/{user_id}/bookings/", headers={"Authorization": f"Bearer {token}"}
        )
    assert [item["note"] for item in listed.json()["items"]] == ["booked in a browser"]

    assert f"{live.base_url}/static/ninja/swagger-ui-bundle.js" in requested
    assert [url for url in requested if not url.startswith(live.base_url)] == []
    assert problems == []
    assert SCREENSHOT.stat().st_size > 10_000
