"""Schemathesis checks for `corridor serve`, loaded by scripts/schemathesis.sh (SCHEMATHESIS_HOOKS).

`not_a_server_error_but_the_requested_limit` stands in for the built-in `not_a_server_error`
check (excluded by the script) with one documented exception: a 503 with kind "limit" and limit
"timeout_ms" whose `max` is the request's own `timeout_ms`, below the server's limit. That is
the answer docs/openapi.json documents for a request that asks for less time than its work
takes (schemathesis draws `timeout_ms = 1`; on /api/gas/security and /api/risk/areas, which have
no required input to reject first, such a request is valid and cannot finish in 1 ms). Every
other 5xx fails the run, including a 503 for the server's own time limit or for overload.
"""

import schemathesis
from schemathesis.core.failures import ServerError

# corridor serve's default --timeout (20 s), in ms: the request's limit must be the lower one
SERVER_LIMIT_MS = 20_000


def _requested_timeout_ms(case):
    for part in (case.query, case.body):
        if isinstance(part, dict) and "timeout_ms" in part:
            value = part["timeout_ms"]
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None


def _is_requested_limit(response, case):
    if response.status_code != 503:
        return False
    try:
        body = response.json()
    except Exception:
        return False
    requested = _requested_timeout_ms(case)
    return (
        isinstance(body, dict)
        and body.get("kind") == "limit"
        and body.get("limit") == "timeout_ms"
        and requested is not None
        and 1 <= requested < SERVER_LIMIT_MS
        and body.get("max") == requested
    )


@schemathesis.check
def not_a_server_error_but_the_requested_limit(ctx, response, case):
    """Any 5xx is a failure, except the documented 503 of a request's own short timeout_ms."""
    if response.status_code >= 500 and not _is_requested_limit(response, case):
        raise ServerError(operation=case.operation.label, status_code=response.status_code)
    return None
