"""A schemathesis check of this project: schema-valid input may be refused only by a
documented domain rule. Schemathesis's own positive_data_acceptance is told to accept 422
(a start in the past or the per-user cap are rules no schema can express); this check then
refuses every 422 to schema-valid input whose `code` is not one of those rules, so a schema
that is looser than the server's validation (a format, a pattern, a bound) fails the run.

test_openapi_fuzz.py imports it; an outside run loads it with
`SCHEMATHESIS_HOOKS=tests.integration.schemathesis_checks schemathesis run ...`."""

import json

import schemathesis
from schemathesis import Case, CheckContext, Response

from example_api.api import RULE_CODES


@schemathesis.check
def only_rules_reject_valid_data(ctx: CheckContext, response: Response, case: Case) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code != 422:
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError("a 422 without a JSON body") from None
    if body.get("code") not in RULE_CODES:
        raise AssertionError(
            f"schema-valid input refused with code {body.get('code')!r}, which is no domain "
            f"rule ({', '.join(sorted(RULE_CODES))}): {json.dumps(body['detail'])[:300]}"
        )
