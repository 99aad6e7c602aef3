"""The assistant's endpoints through the generated client, on a server with no language model
configured: its refusals parse into their declared models like every other error."""

from typing import Any

from tests.clients import stack
from tests.clients.test_python_client import refused


def test_without_a_model_the_assistant_is_a_503_with_its_code(api: Any, new_user: Any) -> None:
    body = api.model("AssistantRequestIn")(
        text="Room Ada tomorrow 10 to 11 for the design review", time_zone="Europe/Berlin"
    )
    response = api.op("submit_assistant_request").sync_detailed(
        client=new_user("erin").client, body=body
    )
    refused(api, response, 503, "assistant_disabled")


def test_an_unknown_assistant_request_is_a_404(api: Any, live: stack.Stack, new_user: Any) -> None:
    response = api.op("get_assistant_request").sync_detailed(2**40, client=new_user("frank").client)
    refused(api, response, 404, "assistant_request_not_found")
