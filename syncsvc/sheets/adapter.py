"""The Google Sheets adapter: the only module importing gspread and google-auth.

Two operations (a field-masked `spreadsheets.get` and a raw `spreadsheets.batchUpdate`) through
gspread's HTTP client (`gspread.HTTPClient`, public, on google-auth's `AuthorizedSession`), with
a timeout on every call and the one retry policy (syncsvc.http). Every vendor error ends here
as a ConfigError or RemoteError.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import gspread
import requests
from google.auth import exceptions as gauth_errors
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account

from syncsvc.config import Config, is_loopback
from syncsvc.errors import ConfigError, RemoteConfigError, RemoteError, RemoteUnreachable
from syncsvc.http import RETRY_STATUSES, AnswerLost, HostUnknown, Http, HttpError, NoAnswer
from syncsvc.remote import json_of, printable, unresolvable, what_answered

log = logging.getLogger("syncsvc.sheets")

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)  # no Drive: publish needs none
MAX_KEY_BYTES = 64 * 1024


_OFFLINE_HINT = (
    "check the network connection, DNS or proxy (HTTPS_PROXY), and [sheets] "
    "api_url when set; `syncsvc publish --dry-run` previews the layout offline"
)


class SheetsUnreachable(RemoteUnreachable):
    """Google could not be reached at all (no network, DNS, a proxy): nothing was read."""


class SheetsHostUnknown(SheetsUnreachable):
    """A Sheets or sign-in host name that does not resolve: a configuration (or network
    set-up) mistake, exit 2 at once (CONTRACT §3), never retried."""

    exit_code = 2


class SheetsClient(Protocol):
    """What publishing needs from Sheets (tests and benchmarks hand in their own)."""

    @property
    def calls(self) -> int: ...  # API requests sent, retries included

    def get(self, fields: str) -> dict[str, Any]: ...

    def batch_update(self, body: bytes) -> dict[str, Any]: ...


def load_service_account(path: Path) -> Credentials:
    """Service-account credentials from a JSON key file, scope `spreadsheets` only.
    Every problem is a ConfigError naming the file; the key itself is never echoed."""
    label = str(path)
    hint = (
        "set [sheets] credentials_file (or GOOGLE_APPLICATION_CREDENTIALS) to the JSON key "
        "of a service account, downloaded from Google Cloud (IAM > Service accounts > Keys)"
    )
    try:
        if path.is_dir():
            raise ConfigError(f"{label}: is a folder, not a service-account key file", hint=hint)
        if path.exists() and not path.is_file():  # a FIFO would wait for a writer forever
            raise ConfigError(f"{label}: is not a regular file (a FIFO or device)", hint=hint)
        if path.stat().st_size > MAX_KEY_BYTES:
            raise ConfigError(f"{label}: too big for a service-account key file", hint=hint)
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{label}: service-account key file not found", hint=hint) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{label}: cannot read the key file ({type(e).__name__})", hint=hint) from None
    try:
        info = json.loads(raw)
    except json.JSONDecodeError as e:  # the message holds positions only, never content
        raise ConfigError(
            f"{label}: not a JSON key file (line {e.lineno}, column {e.colno})", hint=hint
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        kind = info.get("type") if isinstance(info, dict) else None
        raise ConfigError(
            f"{label}: not a service-account key (type is {kind!r}, expected 'service_account')", hint=hint
        )
    missing = [
        k
        for k in ("client_email", "private_key", "token_uri")
        if not isinstance(info.get(k), str) or not info[k].strip()
    ]
    if missing:
        raise ConfigError(f"{label}: the key file lacks {', '.join(missing)}", hint=hint)
    token_uri = urlparse(info["token_uri"])
    if token_uri.scheme != "https" and not (
        token_uri.scheme == "http" and token_uri.hostname and is_loopback(token_uri.hostname)
    ):
        raise ConfigError(f"{label}: token_uri must be an https URL", hint=hint)
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, TypeError, IndexError):
        raise ConfigError(
            f"{label}: private_key is not a valid PEM private key (service account {info['client_email']})",
            hint=hint,
        ) from None


class GoogleSheets:
    """A SheetsClient on gspread's HTTP client for one spreadsheet."""

    def __init__(
        self,
        credentials: Credentials,
        spreadsheet_id: str,
        *,
        timeout: float = 30.0,
        max_retries: int = 5,
        api_url: str = "https://sheets.googleapis.com",
        sleep: Callable[[float], None] | None = None,
        rand: Callable[[], float] | None = None,
    ) -> None:
        # gspread's public client on google-auth's session (which signs and refreshes): its
        # `request` raises APIError on any non-2xx answer; it retries nothing itself
        self._http = gspread.HTTPClient(credentials, session=AuthorizedSession(credentials))
        # (connect, read): connecting should be quick; Sheets may take long to apply a batch.
        self._http.set_timeout((min(10.0, timeout), timeout))
        self._timeout = timeout
        self.spreadsheet_id = spreadsheet_id
        # gspread's URL templates name Google's host; the same paths on a configured endpoint
        base = api_url.rstrip("/") + "/v4/spreadsheets/"
        self._url = base + "%s"
        self._batch_url = base + "%s:batchUpdate"
        self.account = getattr(credentials, "service_account_email", None)
        self.max_retries = max_retries
        self._layer = Http("Google Sheets", retries=max_retries, timeout=timeout, sleep=sleep, rand=rand)

    @property
    def calls(self) -> int:
        """Sheets API requests sent, retries included."""
        return self._layer.calls

    def get(self, fields: str) -> dict[str, Any]:
        """`spreadsheets.get` with a field mask (a read; retried on timeouts too)."""
        url = self._url % self.spreadsheet_id
        resp = self._call("read the spreadsheet", "get", url, params={"fields": fields}, idempotent=True)
        return self._json(resp, "read the spreadsheet")

    def batch_update(self, body: bytes) -> dict[str, Any]:
        """One `spreadsheets.batchUpdate` (atomic at Sheets: a refused batch changed nothing)."""
        url = self._batch_url % self.spreadsheet_id
        resp = self._call(
            "update the spreadsheet",
            "post",
            url,
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            idempotent=False,
        )
        return self._json(resp, "update the spreadsheet")

    def _json(self, resp: requests.Response, doing: str) -> dict[str, Any]:
        """The answer as a JSON object; a proxy's or SSO login page (status 200) is named."""
        ok, value = json_of(resp, dict)
        if ok:
            return dict(value)
        raise RemoteConfigError(
            f"Google Sheets: {what_answered(resp)} answered instead of the Sheets API when "
            f"trying to {doing} (HTTP {resp.status_code})",
            hint="check [sheets] api_url (leave it out for Google's own endpoint); a login page "
            "means a proxy stands in front of the API",
        )

    def _call(self, doing: str, method: str, url: str, *, idempotent: bool, **kw: Any) -> requests.Response:
        def attempt() -> requests.Response:
            try:
                return self._http.request(method, url, **kw)
            except gspread.exceptions.APIError as e:
                return e.response  # the HTTP layer decides on the status; worded below

        try:
            # a batchUpdate is atomic: an error answer means nothing was applied, so it may be
            # sent again then; a lost answer may mean it was (never resent)
            answer = self._layer.send(
                method, url, attempt, during=f"when trying to {doing}", repeatable=idempotent, atomic=True
            )
        except HttpError as e:
            raise self._no_answer(e, doing, url, idempotent) from None
        except gauth_errors.TransportError as e:  # the sign-in request got no answer
            cls = SheetsHostUnknown if unresolvable(e) else SheetsUnreachable
            raise cls(
                f"Google Sheets: cannot reach Google's sign-in service to get an access token ({_reason(e)})",
                hint=_OFFLINE_HINT,
            ) from None
        except gauth_errors.RefreshError as e:
            who = f" for {self.account}" if self.account else ""
            raise RemoteError(
                f"Google Sheets: could not get an access token{who}: {_first_line(e)}",
                hint="check that the service account and its key still exist and are enabled",
            ) from None
        except gauth_errors.GoogleAuthError as e:  # any other sign-in library error
            raise RemoteError(
                f"Google Sheets: could not sign in to {doing} ({type(e).__name__}: {_first_line(e)})",
                hint="check [sheets] credentials_file: the JSON key of a service account",
            ) from None
        resp = answer.response
        if not resp.ok:
            raise self._api_error(doing, resp, answer.attempts)
        return resp

    def _no_answer(self, e: HttpError, doing: str, url: str, idempotent: bool) -> RemoteError:
        """The HTTP layer's failure in Sheets' words."""
        host = urlparse(url).hostname
        if isinstance(e, HostUnknown):  # nothing left the machine; retrying will not help
            return SheetsHostUnknown(
                f"Google Sheets: cannot reach {host} to {doing}: the host name does not resolve",
                hint=_OFFLINE_HINT,
            )
        if isinstance(e, NoAnswer | AnswerLost) and not isinstance(e.cause, requests.Timeout):
            return SheetsUnreachable(  # no answer at all: say so plainly
                f"Google Sheets: cannot reach {host} to {doing} ({_reason(e.cause)}) after "
                f"{e.attempts} attempt(s)",
                hint=_OFFLINE_HINT,
            )
        return RemoteError(
            f"Google Sheets: could not {doing}: {type(e.cause).__name__} after {e.attempts} attempt(s)",
            hint=None
            if idempotent
            else "the update may or may not have been applied; "
            "running publish again is safe (it rewrites only what differs)",
        )

    def _api_error(self, doing: str, resp: requests.Response, attempts: int) -> RemoteError:
        status = resp.status_code
        ok, body = json_of(resp, dict)
        err = body.get("error") if ok else None
        err = err if isinstance(err, dict) else {}
        detail = printable(str(err.get("message") or resp.reason or "")[:300])
        sid = self.spreadsheet_id
        if status == HTTPStatus.FORBIDDEN and "has not been used" in detail:
            return RemoteConfigError(
                f"Google Sheets: could not {doing}: the Sheets API is not enabled for the "
                "service account's project (403)",
                hint="enable the Google Sheets API in Google Cloud for that project, then run again",
            )
        if status == HTTPStatus.FORBIDDEN:
            who = self.account or "the service account (client_email in the key file)"
            return RemoteConfigError(
                f"Google Sheets: no access to spreadsheet {sid} (403)",
                hint=f"share the spreadsheet with {who} as Editor",
            )
        if status == HTTPStatus.NOT_FOUND:
            return RemoteConfigError(
                f"Google Sheets: spreadsheet {sid} not found (404)",
                hint="check [sheets] spreadsheet_id: it is the part of "
                "the spreadsheet's URL between /d/ and /edit",
            )
        if status == HTTPStatus.UNAUTHORIZED:
            return RemoteConfigError(
                f"Google Sheets: the credentials were refused (401): {detail}",
                hint="check the service-account key file",
            )
        if status in RETRY_STATUSES:
            return RemoteError(
                f"Google Sheets: could not {doing}: still {status} after {attempts} attempt(s): {detail}",
                hint="Sheets is busy or over quota (60 writes a minute per service account); run again later",
            )
        return RemoteError(f"Google Sheets: could not {doing} ({status}): {detail}")


def default_client(cfg: Config) -> GoogleSheets:
    """The real client from the config: the key file is checked before any call."""
    sheets = cfg.require_sheets("publish")
    creds = load_service_account(sheets.credentials_path(cfg.base_dir))
    return GoogleSheets(
        creds,
        sheets.spreadsheet_id,
        timeout=sheets.timeout_seconds,
        max_retries=sheets.max_retries,
        api_url=sheets.api_url,
    )


def _reason(e: BaseException) -> str:
    """The innermost cause of a connection failure, in words ("Name or service not known")."""
    text = str(e)
    for needle in (
        "Name or service not known",
        "Temporary failure in name resolution",
        "nodename nor servname",
        "Connection refused",
        "Network is unreachable",
        "No route to host",
        "Connection reset",
    ):
        if needle in text:
            return needle
    return type(e).__name__


def _first_line(e: Exception) -> str:
    text = str(e.args[0] if e.args else e)
    return text.splitlines()[0][:200] if text else type(e).__name__
