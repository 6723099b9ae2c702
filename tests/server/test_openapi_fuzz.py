"""schemathesis over /openapi.json with every check (``--checks all``), PostgreSQL and SQLite,
a device token for the API and a signed-in console session (a county admin, signed in through
/console/login) for the console's pages: generated requests never get a 5xx and every answer conforms to the document
(documented status code, body schema, content type, headers; invalid input refused, valid
input accepted).

Cases are generated per operation with Hypothesis inside one test, so the run uses the
usual fixtures (both databases, an enrolled kiosk). Bounded for CI: ``MAX_EXAMPLES`` per
operation and mode, no shrinking, a fixed seed; every failing operation is reported
together rather than stopping at the first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

pytestmark = pytest.mark.slow

# per operation and mode (valid and invalid inputs); raise it locally for a longer hunt
MAX_EXAMPLES = int(os.environ.get("BIANMIN_FUZZ_EXAMPLES", "25"))
# the console has more operations, each a rendered page: fewer examples keep the run bounded
CONSOLE_EXAMPLES = int(os.environ.get("BIANMIN_FUZZ_CONSOLE_EXAMPLES", "5"))
# Signing out would end the fuzzing session mid-run (every later page would redirect to sign-in).
NOT_FUZZED = {"POST /console/logout"}
# Console forms whose rules no JSON schema can state: there a well-formed form may still get
# the form back with its message (400). Any other status is checked as usual.
RULES_BEYOND_THE_SCHEMA = {
    "POST /console/password": "the current password must be the user's",
    "POST /console/users": "a strong password (zxcvbn), a scope code that exists, a free user name",
    "POST /console/holidays": "a working day moved onto a weekend only",
    "POST /console/ledger.csv": "the village code must be one in the user's scope",
    "POST /console/ledger.xlsx": "the village code must be one in the user's scope",
    "POST /console/roster": "the hours must end after they start",
}
CSRF_SHAPE = re.compile(r"^[0-9a-f]{64}$")


# Rules a JSON Schema cannot state, so schema-valid data may rightly be refused: a pushed
# application's tracking token must be a kiosk's random token (entropy, not a pattern) and
# its short code must carry the right check symbol. Every other check still runs on push.
SEMANTIC_RULES = {
    "POST /api/v1/sync/push": {"positive_data_acceptance"},
}


def all_checks() -> list:
    load_all_checks()
    return list(CHECKS.get_all())


@dataclass
class ConsoleSession:
    """A signed-in console user: the session cookie and the token its forms carry."""

    cookie: str
    csrf: str
    login_secret: str  # the sign-in form's own CSRF secret (its cookie) and token
    login_csrf: str


def _sign_in(app, sessions, village) -> ConsoleSession:  # noqa: ANN001
    """A real county admin, signed in through the sign-in form."""
    from fastapi.testclient import TestClient

    from server.console import security
    from server.models import County
    from tests.console.conftest import PASSWORD, csrf_of, make_user, publish_test_catalogue

    publish_test_catalogue(sessions)
    with sessions() as session:
        county_code = session.get(County, village.county_id).code
    username = make_user(sessions, "county_admin", county_code)
    browser = TestClient(app, follow_redirects=False)
    form = browser.get("/console/login")
    login_secret = browser.cookies.get(security.LOGIN_CSRF_COOKIE)
    signed_in = browser.post("/console/login", data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)})
    assert signed_in.status_code == 303, signed_in.text
    cookie = browser.cookies.get(security.SESSION_COOKIE)
    csrf = csrf_of(browser.get("/console/holidays").text)
    return ConsoleSession(cookie, csrf, login_secret, security.csrf_token_for(login_secret, "login"))


def _with_console_session(case, console: ConsoleSession) -> dict:  # noqa: ANN001
    """Cookies for a console case; a well-formed generated CSRF field becomes the real token
    (a malformed or missing one is left as generated, to be refused)."""
    from server.console import security

    login = case.operation.path == "/console/login"
    if isinstance(case.body, dict) and isinstance(case.body.get("csrf"), str) and CSRF_SHAPE.match(case.body["csrf"]):
        case.body = {**case.body, "csrf": console.login_csrf if login else console.csrf}
    return {security.SESSION_COOKIE: console.cookie, security.LOGIN_CSRF_COOKIE: console.login_secret}


def _accepted_or_named_rule(ctx, response, case):  # noqa: ANN001, ANN202
    """positive_data_acceptance, except that a 400 page for a rule in RULES_BEYOND_THE_SCHEMA passes."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    if response.status_code == 400 and "text/html" in response.headers.get("content-type", [""])[0]:
        return None
    return positive_data_acceptance(ctx, response, case)


def _checks_for(label: str, checks: list) -> list:
    skipped = SEMANTIC_RULES.get(label, set())
    chosen = [c for c in checks if c.__name__ not in skipped]
    if label in RULES_BEYOND_THE_SCHEMA:
        chosen = [_accepted_or_named_rule if c.__name__ == "positive_data_acceptance" else c for c in chosen]
    return chosen


def _nothing_to_break(document: dict, operation) -> bool:  # noqa: ANN001
    """True for an operation whose every input is free text (the console's filter pages, which
    name what they ignore): negative generation has nothing to make invalid and would only
    spend its whole budget failing to (hypothesis.errors.Unsatisfiable)."""
    raw = document["paths"][operation.path][operation.method.lower()]
    parameters = raw.get("parameters", [])
    return "requestBody" not in raw and bool(parameters) and all(p["schema"] == {"type": "string"} for p in parameters)


def _runner(operation, mode, checks: list, token: str, console: ConsoleSession):  # noqa: ANN001, ANN202
    """One Hypothesis test for one operation and generation mode."""
    is_console = operation.path.startswith("/console")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=CONSOLE_EXAMPLES if is_console else MAX_EXAMPLES, deadline=None, derandomize=True,
              database=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # noqa: ANN001
        if is_console:
            case.call_and_validate(cookies=_with_console_session(case, console), checks=checks)
            return
        headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        case.call_and_validate(headers=headers, checks=checks)

    return run


def test_generated_requests_conform_and_never_get_a_server_error(server_app, client, sessions, village, kiosk):  # noqa: ANN001
    console = _sign_in(server_app, sessions, village)
    schema = schemathesis.openapi.from_asgi("/openapi.json", server_app)
    # The device token is sent by this test (below), not generated; unknown query parameters
    # are ignored, as by any HTTP API, so schemathesis is told not to expect them refused.
    schema.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)
    checks = all_checks()
    assert len(checks) >= 10  # the whole built-in set, not the default few
    tried, failures = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    document = server_app.openapi()
    for operation, mode in [(op, m) for op in operations for m in GenerationMode]:
        label = f"{operation.method.upper()} {operation.path}"
        if label in NOT_FUZZED or (mode == GenerationMode.NEGATIVE and _nothing_to_break(document, operation)):
            continue
        tried.append(label)
        run = _runner(operation, mode, _checks_for(label, checks), kiosk.token, console)
        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to break in an operation without inputs
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - a failed check, or the app raising (a 500): collected, reported below
            failures.append(f"{label} ({mode.value}): {str(exc)[:1500]}")
    assert "POST /api/v1/sync/push" in tried and "POST /api/v1/track/lookup" in tried
    assert "POST /console/applications/{app_id}/transition" in tried and "GET /console/inbox" in tried
    assert not failures, "\n\n".join(failures)
