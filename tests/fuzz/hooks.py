"""Schemathesis hooks for the POS API fuzz run (tests/fuzz/run.sh).

The admin pass logs in as the admin and sends its access token. A fuzzed request may end that
login (POST /api/auth/logout, a password change, the account deactivated), after which every
request would answer 401 and the rest of the run would test nothing: so the token is fetched
again on a 401 (Schemathesis' `retry_on`), as a real client would log in again.
"""

import os

import requests
import schemathesis

import refusals  # noqa: F401  (registers the check on import)

BASE = os.environ.get("POS_FUZZ_BASE", "http://127.0.0.1:8080")


@schemathesis.auth(refresh_interval=600, retry_on=[401])
class AdminToken:
    def get(self, case, context):
        answer = requests.post(
            f"{BASE}/api/auth/login",
            json={"login": os.environ["POS_FUZZ_LOGIN"], "password": os.environ["POS_FUZZ_PASSWORD"]},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# The fuzzing login itself (the first admin of the fresh database, id 1) is left alone: a
# request renaming it, changing its password or deactivating it is the API working as
# documented, but it would lock the rest of the run out. Such a request goes to an id that does
# not exist instead (404), and the same operations run on every other user.
FUZZ_ADMIN_ID = "1"


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.operation.path == "/api/users/{id}" and case.method.upper() in ("PATCH", "PUT", "DELETE"):
        if str((case.path_parameters or {}).get("id")) == FUZZ_ADMIN_ID:
            case.path_parameters["id"] = 2_000_000_000
