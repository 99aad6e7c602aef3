"""The breaking-change gate's own checks of the error codes (scripts/api_compat.py), which
Optic cannot judge once ErrorCode is an open string: a new code passes, a released code that
goes, or an enum that closes the set again, fails."""

from typing import Any

from scripts.api_compat import code_problems


def document(**error_code: Any) -> dict[str, Any]:
    return {"components": {"schemas": {"ErrorCode": {"type": "string", **error_code}}}}


RELEASE = document(examples=["not_found", "internal_error"])


def test_a_new_code_is_no_breaking_change():
    head = document(examples=["not_found", "internal_error", "a_new_code"])
    assert code_problems(RELEASE, head) == []


def test_a_released_code_may_not_go():
    head = document(examples=["internal_error"])
    assert code_problems(RELEASE, head) == ["codes of the release no longer listed: not_found"]


def test_the_set_may_not_close_again():
    head = document(enum=["not_found", "internal_error"])
    assert code_problems(RELEASE, head) == [
        "ErrorCode is an enum: clients generated from it refuse every code added later"
    ]
