"""The one HTTP layer (syncsvc.http): the retry policy both remotes share, and the rule that a
request not safe to repeat whose answer was lost is never sent again. Plus the check that no
module reaches into a private part of `jira`, `gspread` or `google-auth`."""

from __future__ import annotations

import ast
import email.utils
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from syncsvc import http
from syncsvc.http import AnswerLost, HostUnknown, Http, NoAnswer, retry_after_seconds

NOW = 1_800_000_000.0  # a fixed clock (whole seconds: HTTP dates have no fractions)
URL = "https://remote.test/api"


def answer(status: int, **headers: str) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.headers.update(headers)
    return r


class Remote:
    """Answers (or raises) from a script, one item per attempt; counts the attempts."""

    def __init__(self, script: Iterable[requests.Response | BaseException]) -> None:
        self.script = list(script)
        self.sent = 0

    def __call__(self) -> requests.Response:
        item = self.script[min(self.sent, len(self.script) - 1)]
        self.sent += 1
        if isinstance(item, BaseException):
            raise item
        return item


def layer(retries: int = 4, *, rand: float = 0.5) -> tuple[Http, list[float]]:
    sleeps: list[float] = []
    return Http(
        "Remote", retries=retries, timeout=30, sleep=sleeps.append, rand=lambda: rand, now=lambda: NOW
    ), sleeps


def send(
    h: Http, remote: Remote, *, method: str = "GET", repeatable: bool = True, atomic: bool = False
) -> Any:
    return h.send(method, URL, remote, during="while testing", repeatable=repeatable, atomic=atomic)


# -- Retry-After --------------------------------------------------------------------------------


def test_retry_after_in_seconds_is_waited_exactly() -> None:
    h, sleeps = layer()
    got = send(
        h, Remote([answer(429, **{"Retry-After": "7"}), answer(429, **{"Retry-After": "7"}), answer(200)])
    )
    assert got.response.status_code == 200 and got.attempts == 3
    assert sleeps == [7.0, 7.0]  # never sooner than asked, no jitter on top
    assert h.calls == 3


def test_retry_after_as_an_http_date_is_waited_until_that_moment() -> None:
    h, sleeps = layer()
    when = email.utils.formatdate(NOW + 30, usegmt=True)
    send(h, Remote([answer(503, **{"Retry-After": when}), answer(200)]))
    assert sleeps == [30.0]


def test_a_retry_after_shorter_than_the_backoff_waits_the_backoff() -> None:
    h, sleeps = layer(rand=1.0)
    send(h, Remote([answer(503), answer(503, **{"Retry-After": "0"}), answer(200)]))
    assert sleeps == [1.0, 2.0]  # a past date or 0 does not make a retry storm


def test_a_long_retry_after_is_capped_and_the_total_wait_is_bounded() -> None:
    h, sleeps = layer(retries=10)
    got = send(h, Remote([answer(429, **{"Retry-After": "3600"})]))
    assert sleeps == [http.RETRY_AFTER_MAX] * 5  # 60 s each, until 300 s of waiting in all
    assert sum(sleeps) <= http.TOTAL_WAIT_MAX
    assert got.response.status_code == 429 and got.attempts == 6  # the caller words the refusal


def test_the_retry_after_parser() -> None:
    assert retry_after_seconds("12", 0.0) == 12.0
    assert retry_after_seconds(" 1.5 ", 0.0) == 1.5
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", 400.0) == 0.0  # already past
    assert retry_after_seconds("soon", 0.0) is None and retry_after_seconds(None, 0.0) is None
    assert retry_after_seconds("", 0.0) is None


def test_an_unreadable_retry_after_falls_back_to_the_backoff() -> None:
    h, sleeps = layer()
    send(h, Remote([answer(429, **{"Retry-After": "soon"}), answer(200)]))
    assert sleeps == [0.5]


# -- backoff and budget -------------------------------------------------------------------------


def test_backoff_is_full_jitter_doubling_to_a_cap() -> None:
    h, sleeps = layer(retries=8, rand=1.0)
    got = send(h, Remote([answer(502)] * 8 + [answer(200)]))
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 32.0, 32.0]
    assert got.attempts == 9
    h, sleeps = layer(retries=3, rand=0.25)
    send(h, Remote([answer(500)] * 3 + [answer(200)]))
    assert sleeps == [0.25, 0.5, 1.0]


def test_the_retries_are_bounded_and_the_last_answer_returned() -> None:
    h, sleeps = layer(retries=2)
    remote = Remote([answer(503)])
    got = send(h, remote)
    assert got.response.status_code == 503 and got.attempts == 3 and remote.sent == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413])
def test_a_refusal_is_not_retried(status: int) -> None:
    h, sleeps = layer()
    remote = Remote([answer(status), answer(200)])
    assert send(h, remote).response.status_code == status
    assert remote.sent == 1 and sleeps == []


def test_no_answer_is_retried_for_a_request_safe_to_repeat() -> None:
    h, sleeps = layer(retries=2)
    remote = Remote([requests.ReadTimeout("slow"), requests.ConnectionError("reset"), answer(200)])
    assert send(h, remote).response.status_code == 200 and remote.sent == 3 and len(sleeps) == 2
    h, _ = layer(retries=2)
    with pytest.raises(NoAnswer) as e:
        send(h, Remote([requests.ReadTimeout("slow")]))
    assert e.value.attempts == 3


# -- the project's rule: a create whose answer was lost is never resent ----------------------


@pytest.mark.parametrize(
    "lost", [requests.ConnectionError("dropped after sending"), requests.ReadTimeout("no answer in time")]
)
def test_a_post_whose_answer_was_lost_is_never_sent_again(lost: Exception) -> None:
    for atomic in (False, True):
        h, sleeps = layer()
        remote = Remote([lost, answer(201)])
        with pytest.raises(AnswerLost):
            send(h, remote, method="POST", repeatable=False, atomic=atomic)
        assert remote.sent == 1 and sleeps == []  # the caller looks for what it made


def test_a_create_that_was_never_sent_goes_again() -> None:
    refused = requests.ConnectionError(MaxRetryError(None, URL, NewConnectionError(None, "refused")))  # type: ignore[arg-type]
    h, _ = layer()
    remote = Remote([requests.ConnectTimeout("connect"), refused, answer(201)])
    assert send(h, remote, method="POST", repeatable=False).response.status_code == 201
    assert remote.sent == 3


def test_a_create_goes_again_only_after_an_answer_saying_it_was_not_done() -> None:
    for status in (408, 429, 503):  # the server says it did not carry it out
        h, _ = layer()
        remote = Remote([answer(status), answer(201)])
        assert send(h, remote, method="POST", repeatable=False).response.status_code == 201
    for status in (500, 502, 504):  # it may have been done (a bulk create is not atomic)
        h, _ = layer()
        remote = Remote([answer(status), answer(201)])
        assert send(h, remote, method="POST", repeatable=False).response.status_code == status
        assert remote.sent == 1


def test_an_atomic_write_goes_again_after_any_error_answer() -> None:
    h, _ = layer()
    remote = Remote([answer(500), answer(502), answer(200)])  # a refused batch changed nothing
    assert send(h, remote, method="POST", repeatable=False, atomic=True).response.status_code == 200
    assert remote.sent == 3


def test_an_unresolvable_host_is_not_retried() -> None:
    reason = NameResolutionError("remote.test", None, OSError(-2, "Name or service not known"))  # type: ignore[arg-type]
    h, sleeps = layer()
    remote = Remote([requests.ConnectionError(MaxRetryError(None, "/", reason))])  # type: ignore[arg-type]
    with pytest.raises(HostUnknown):
        send(h, remote)
    assert remote.sent == 1 and sleeps == []


# -- the adapters use only the libraries' public surfaces --------------------------------------

VENDORS = ("jira", "gspread", "google")
# attributes that look public but are the libraries' internals (the issue named these)
INTERNAL = {"http_client", "_session", "_get_url", "_options", "_fields_cache", "_is_cloud", "_get_json"}


def private_uses(source: str) -> list[str]:
    """Where `source` uses a private attribute (or module) of jira, gspread or google-auth:
    an underscored name (or a known internal) reached from a vendor import, from a value
    made by one, or from a parameter annotated with a vendor type."""
    tree = ast.parse(source)
    vendor: set[str] = set()  # names (and self.attrs) that hold a vendor module or object
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
            for a in node.names:
                full = f"{module}.{a.name}" if module else a.name
                if full.split(".")[0] in VENDORS and not (isinstance(node, ast.ImportFrom) and node.level):
                    if any(p.startswith("_") for p in full.split(".")):
                        found.append(f"line {node.lineno}: imports {full}")
                    vendor.add(a.asname or a.name.split(".")[0])

    def root(e: ast.expr) -> str | None:
        while True:
            if isinstance(e, ast.Call):
                e = e.func
            elif isinstance(e, ast.Subscript):
                e = e.value
            elif isinstance(e, ast.Attribute):
                if isinstance(e.value, ast.Name) and e.value.id == "self" and f"self.{e.attr}" in vendor:
                    return f"self.{e.attr}"
                e = e.value
            elif isinstance(e, ast.Name):
                return e.id
            else:
                return None

    def annotated_vendor(ann: ast.expr | None) -> bool:
        return ann is not None and any(isinstance(n, ast.Name) and n.id in vendor for n in ast.walk(ann))

    for _ in range(3):  # assignments can chain: a = JIRA(); b = a; self.c = b
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in [*node.args.args, *node.args.kwonlyargs]:
                    if annotated_vendor(arg.annotation):
                        vendor.add(arg.arg)
            if isinstance(node, ast.Assign) and root(node.value) in vendor:
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        vendor.add(t.id)
                    elif (
                        isinstance(t, ast.Attribute)
                        and isinstance(t.value, ast.Name)
                        and t.value.id == "self"
                    ):
                        vendor.add(f"self.{t.attr}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and root(node.value) in vendor:
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if private or node.attr in INTERNAL:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_uses_a_private_part_of_jira_gspread_or_google_auth() -> None:
    root = Path(__file__).resolve().parents[1] / "syncsvc"
    found = {
        str(p.relative_to(root.parent)): uses
        for p in sorted(root.rglob("*.py"))
        if (uses := private_uses(p.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    "code",
    [
        # what the adapters did before this check existed
        "from jira import JIRA\nclass A:\n    def __init__(self, client: JIRA):\n"
        "        self._client = client\n        self._session = client._session\n",
        "from jira import JIRA\nclass A:\n    def __init__(self, client: JIRA):\n"
        "        self._client = client\n    def url(self, p):\n        return self._client._get_url(p)\n",
        "import gspread\ndef f(credentials):\n    return gspread.authorize(credentials).http_client\n",
        "import gspread\ndef f(c):\n    gc = gspread.authorize(c)\n    return gc.http_client.session\n",
        "from google.auth import _helpers\n",
        "from jira import JIRA\nj = JIRA('x')\nprint(j._options['server'])\n",
    ],
)
def test_the_private_check_catches_the_old_reaches(code: str) -> None:
    assert private_uses(code)


def test_the_private_check_lets_public_use_and_own_privates_pass() -> None:
    code = (
        "import gspread\nimport requests\nfrom jira import JIRA\nfrom jira.client import TokenAuth\n"
        "class A:\n    def __init__(self, s: requests.Session):\n        self._rest = s\n"
        "        self._http = gspread.HTTPClient(None)\n        self._http.set_timeout(3)\n"
        "        self._rest._private_of_requests_is_not_checked = 1\n"
        "    def u(self):\n        return JIRA.JIRA_BASE_URL.format(path='x'), TokenAuth('t')\n"
    )
    assert private_uses(code) == []
