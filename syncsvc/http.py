"""The one HTTP layer Jira and Sheets both go through: one retry policy, one Retry-After parser.

The policy is urllib3's `Retry` (the counters, the statuses worth a retry, Retry-After with a
cap, a capped exponential backoff), with the project's rule on top: a request that is not safe
to repeat (a create) whose answer was lost is never sent again; its caller looks for what it
made (see jira/find.py). Such a request goes again only when it was surely not carried out: a
connection that was never made, a refusal that says so (408, 429, 503), or, for an atomic
request (a Sheets batchUpdate: applied whole or not at all), any error answer.

Why the loop is here and not in a `requests` HTTPAdapter (`max_retries=Retry(...)`): inside the
transport the rule above could only be set per HTTP method, not per request (a Jira link POST
may be repeated, a bulk create POST may not); every attempt must be counted for the call
budgets; sleeping must be injectable; and the test fakes stand in for the transport, so a
retry inside it would never be exercised by them. The libraries' sessions are therefore
mounted with no retry of their own (requests' default), and this loop drives `Retry` itself.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from syncsvc.remote import no_answer, unresolvable

log = logging.getLogger("syncsvc.http")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})  # worth another attempt
NOT_DONE_STATUSES = frozenset({408, 429, 503})  # the server says it did not carry it out
BACKOFF_BASE = 1.0  # seconds: full jitter over min(BACKOFF_MAX, BACKOFF_BASE * 2**n)
BACKOFF_MAX = 32.0
RETRY_AFTER_MAX = 60.0  # a longer Retry-After is waited this long (the run fails later instead)
TOTAL_WAIT_MAX = 300.0  # never sleep longer than this in all for one request


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A Retry-After header as seconds from `now`: delta-seconds or an HTTP date; None when
    absent or unreadable. (The one parser: `Policy.parse_retry_after` uses it.)"""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


class Policy(Retry):
    """urllib3's Retry with a full-jitter backoff (Google's and AWS's advice: parallel runs
    spread out) and the project's Retry-After parser (fractions of a second, an injectable
    clock). `rand` and `now` are carried through `new()`, which urllib3 calls per attempt."""

    rand: Callable[[], float] = random.random
    now: Callable[[], float] = time.time

    def new(self, **kw: Any) -> Policy:
        made = super().new(**kw)
        made.rand, made.now = self.rand, self.now
        return made

    def get_backoff_time(self) -> float:
        n = len(self.history)  # attempts that failed so far (no redirects: they are off)
        if n == 0:
            return 0.0
        return self.rand() * min(self.backoff_max, self.backoff_factor * 2 ** (n - 1))

    def parse_retry_after(self, retry_after: str) -> float:
        seconds = retry_after_seconds(retry_after, self.now())
        if seconds is None:
            raise InvalidHeader(f"Invalid Retry-After header: {retry_after[:40]!r}")
        return min(seconds, self.retry_after_max)


def policy(
    retries: int,
    *,
    repeatable: bool,
    atomic: bool = False,
    rand: Callable[[], float] | None = None,
    now: Callable[[], float] | None = None,
) -> Policy:
    """The one policy: `retries` more attempts after the first on a 429/5xx answer or no
    answer; a request not safe to repeat (`repeatable` False) goes again only when it was
    surely not carried out (`atomic`: an error answer means nothing was done)."""
    p = Policy(
        total=retries,
        connect=None,
        read=None if repeatable else False,  # read error = sent, answer lost: never resent
        redirect=False,
        status=None,
        other=None,
        allowed_methods=None,  # repeatability is per request (above), not per method
        status_forcelist=RETRY_STATUSES if repeatable or atomic else NOT_DONE_STATUSES,
        backoff_factor=BACKOFF_BASE,
        backoff_max=BACKOFF_MAX,
        retry_after_max=int(RETRY_AFTER_MAX),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    if rand is not None:
        p.rand = rand
    if now is not None:
        p.now = now
    return p


class HttpError(Exception):
    """What the layer could not turn into an answer; each adapter words it for its system."""

    def __init__(self, cause: BaseException, attempts: int) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.attempts = attempts


class HostUnknown(HttpError):
    """The host name does not resolve: nothing left the machine, a retry will not help."""


class AnswerLost(HttpError):
    """A request not safe to repeat was sent and its answer lost: it may have been carried out."""


class NoAnswer(HttpError):
    """No answer (timeouts, refused or broken connections) after every attempt."""


class Unsendable(HttpError):
    """The request could not be made at all (a bad URL, a redirect loop, a broken answer)."""


@dataclass
class Answer:
    """The final answer to one request (any status) and the attempts it took."""

    response: requests.Response
    attempts: int


class Http:
    """One remote's requests: `send` runs a request under the policy. `calls` counts every
    attempt (the call budgets); `system` and the `during` phrases word the log lines."""

    def __init__(
        self,
        system: str,
        *,
        retries: int,
        timeout: float,
        sleep: Callable[[float], None] | None = None,
        rand: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        self.system = system
        self.retries = retries
        self.timeout = timeout
        # looked up at each call, so a test that replaces time.sleep is obeyed
        self._sleep = sleep or (lambda s: time.sleep(s))
        self._rand, self._now = rand, now
        self.calls = 0

    def send(
        self,
        method: str,
        url: str,
        request: Callable[[], requests.Response],
        *,
        during: str,
        repeatable: bool,
        atomic: bool = False,
    ) -> Answer:
        """Run `request()` (one attempt) until it is answered for good. Returns the last
        answer whatever its status; raises an HttpError when there is none to return."""
        retry = policy(self.retries, repeatable=repeatable, atomic=atomic, rand=self._rand, now=self._now)
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            self.calls += 1
            try:
                r = request()
            except requests.RequestException as e:
                log.debug("%s %s: %s", method.upper(), url, type(e).__name__)
                if unresolvable(e):
                    raise HostUnknown(e, attempt) from None
                error = _transport_error(e)
                if error is None:
                    cls = Unsendable if repeatable else AnswerLost
                    raise cls(e, attempt) from None
                try:
                    retry = retry.increment(method.upper(), url, error=error)
                except MaxRetryError:  # every attempt went unanswered (or was never made)
                    raise NoAnswer(e, attempt) from None
                except (ReadTimeoutError, ProtocolError):  # `read=False`: sent, answer lost
                    raise AnswerLost(e, attempt) from None
                wait = retry.get_backoff_time()
                if waited + wait > TOTAL_WAIT_MAX:
                    raise NoAnswer(e, attempt) from None
                # said at default verbosity: a silent wait of minutes looks like a hang
                log.warning(
                    "%s %s %s; trying again in %.0f s (attempt %d of %d)",
                    self.system,
                    no_answer(e, self.timeout),
                    during,
                    wait,
                    attempt + 1,
                    self.retries + 1,
                )
                waited += wait
                self._sleep(wait)
                continue
            status = r.status_code
            if not retry.is_retry(method.upper(), status, "Retry-After" in r.headers):
                return Answer(r, attempt)
            try:
                nxt = retry.increment(method.upper(), url)
            except MaxRetryError:
                return Answer(r, attempt)  # retries used up: the caller words the refusal
            try:
                after = retry.get_retry_after(r)  # type: ignore[arg-type]  # headers suffice
            except InvalidHeader:
                after = None
            retry = nxt
            wait = max(after or 0.0, retry.get_backoff_time())  # never sooner than asked
            if waited + wait > TOTAL_WAIT_MAX:
                return Answer(r, attempt)
            log.info("%s answered %s %s; waiting %.1f s", self.system, status, during, wait)
            waited += wait
            self._sleep(wait)


def _transport_error(e: requests.RequestException) -> Exception | None:
    """The urllib3 error `Retry` counts for a requests exception: a connect timeout or a
    refused connection (nothing was sent), else a read error (sent; the answer may be lost).
    None: not a transport failure (a bad URL, too many redirects...), never retried."""
    if isinstance(e, requests.ConnectTimeout):
        return ConnectTimeoutError(str(e))
    if isinstance(e, requests.Timeout):
        return ReadTimeoutError(None, "", str(e))  # type: ignore[arg-type]
    if isinstance(e, requests.ConnectionError):
        inner = e.args[0] if e.args else None
        reason = inner.reason if isinstance(inner, MaxRetryError) else inner
        if isinstance(reason, NewConnectionError):  # refused, unreachable: nothing sent
            return reason
        if isinstance(reason, ConnectTimeoutError):
            return reason
        return ProtocolError(str(e))  # a broken connection: it may have been carried out
    return None
