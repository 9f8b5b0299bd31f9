"""The one module that talks to Jira: the `jira` library's session plus thin raw REST calls."""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import requests
from jira import JIRA, JIRAError

from syncsvc.config import JiraConfig
from syncsvc.errors import RemoteError

log = logging.getLogger("syncsvc.jira")

BULK_LIMIT = 50  # issues per POST issue/bulk (Jira's documented maximum)
PAGE_SIZE = 100  # issues per search page
FETCH_LIMIT = 100  # issues per POST issue/bulkfetch (Jira's maximum)
CHANGELOG_LIMIT = 1000  # issues per POST changelog/bulkfetch (Jira's maximum)
_KEY_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$")
MAX_RETRY_DELAY = 60.0  # seconds; a longer Retry-After is capped (the run fails later instead)
BLOCKS = "Blocks"
_RETRY_STATUSES = {HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE}
_EPIC_LINK = "com.pyxis.greenhopper.jira:gh-epic-link"
_EPIC_NAME = "com.pyxis.greenhopper.jira:gh-epic-label"


class JiraFailure(RemoteError):
    """A Jira call that failed after retries (or was refused); ends the run's writes."""

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None,
                 body: Any = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.body = body


class LostResponse(JiraFailure):
    """A write reached Jira (perhaps) but its answer was lost: look before doing it again."""


class Rejected(JiraFailure):
    """Jira refused one request (4xx other than auth); the item fails, the run goes on."""


@dataclass(frozen=True)
class SiteFields:
    """Field ids that differ per site, resolved through GET /field."""

    start: str | None = None
    epic_link: str | None = None
    epic_name: str | None = None


@dataclass
class BulkResult:
    """One bulk create: (input index, id, key) per created issue; index -> message per failure."""

    created: list[tuple[int, str, str]] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A Retry-After header as seconds from now: delta-seconds or an HTTP date."""
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


def error_text(body: Any) -> str:
    """Jira's error messages (errorMessages + errors) as one line."""
    if not isinstance(body, dict):
        return ""
    msgs = [str(m) for m in body.get("errorMessages") or []]
    errs = body.get("errors") or {}
    if isinstance(errs, dict):
        msgs += [f"{k}: {v}" for k, v in errs.items()]
    return "; ".join(msgs)


class JiraAdapter:
    """Jira calls the push engine needs; every call has a timeout, `Accept-Language: en`, and
    retries 429/503 honouring Retry-After. POSTs that create are never retried blindly."""

    def __init__(self, client: JIRA, cfg: JiraConfig, *,
                 sleep: Callable[[float], None] | None = None,
                 now: Callable[[], float] | None = None) -> None:
        self._client = client
        self._session = client._session
        self._cfg = cfg
        self.url = cfg.url
        self._sleep = sleep or time.sleep
        self._now = now or time.time
        self.is_cloud = False
        self.calls = 0
        # the bulk read endpoints, until a site answers 404 to them (older sites, proxies)
        self._bulk_reads = self._bulk_changelogs = True

    # -- plumbing ------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, what: str, params: dict[str, Any] | None = None,
                 body: Any = None, safe_to_repeat: bool = True) -> requests.Response:
        url = self._client._get_url(path)
        data = None if body is None else json.dumps(body)
        attempts = self._cfg.max_retries + 1
        for attempt in range(1, attempts + 1):
            self.calls += 1
            try:
                r = requests.Session.request(self._session, method, url, params=params, data=data,
                                             timeout=self._cfg.timeout_seconds)
            except (requests.ConnectionError, requests.Timeout) as e:
                log.debug("%s %s: %s", method, path, type(e).__name__)
                if not safe_to_repeat:
                    raise LostResponse(f"Jira at {self.url}: no answer while {what} "
                                       f"({type(e).__name__})") from None
                if attempt < attempts:
                    self._sleep(self._backoff(attempt, None))
                    continue
                raise JiraFailure(f"Jira at {self.url} did not answer while {what} "
                                  f"({type(e).__name__}, {attempts} attempts)",
                                  hint="check [jira] url and the network; run push again") from None
            except requests.RequestException as e:  # bad URL, redirects, a broken answer...
                cls = JiraFailure if safe_to_repeat else LostResponse
                raise cls(f"Jira at {self.url}: the request failed while {what} "
                          f"({type(e).__name__})", hint="check [jira] url") from None
            log.debug("%s %s -> %s", method, path, r.status_code)
            if r.status_code in _RETRY_STATUSES and attempt < attempts:
                wait = retry_after_seconds(r.headers.get("Retry-After"), self._now())
                self._sleep(self._backoff(attempt, wait))
                continue
            if r.status_code < 400:
                return r
            self._raise(r, what, attempts, safe_to_repeat)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        # Never sooner than Retry-After (up to the cap), plus jitter so parallel runs spread out.
        base = retry_after if retry_after is not None else float(2 ** (attempt - 1))
        return min(MAX_RETRY_DELAY, base) * (1.0 + 0.2 * random.random())

    def _raise(self, r: requests.Response, what: str, attempts: int, safe: bool) -> None:
        try:
            body = r.json()
        except ValueError:
            body = None
        code, detail = r.status_code, error_text(body)
        who = self._cfg.email or "the token's user"
        if code == HTTPStatus.UNAUTHORIZED:
            raise JiraFailure(
                f"Jira at {self.url} refused the credentials of {who} (token from "
                f"${self._cfg.token_env}) while {what} (HTTP 401)",
                hint=f"check jira.email and that ${self._cfg.token_env} holds a valid API token "
                "(Cloud) or personal access token (Server/DC)", status=code)
        if code == HTTPStatus.FORBIDDEN:
            raise JiraFailure(
                f"Jira at {self.url} denied {who} (token from ${self._cfg.token_env}) while "
                f"{what} (HTTP 403){': ' + detail if detail else ''}",
                hint="check the user's permissions on the project (browse, create, edit, link)",
                status=code)
        if code in _RETRY_STATUSES:
            raise JiraFailure(f"Jira at {self.url} kept answering {code} while {what} "
                              f"({attempts} attempts)",
                              hint="Jira is rate-limiting or busy; run push again later",
                              status=code)
        if code >= 500:
            cls = JiraFailure if safe else LostResponse
            raise cls(f"Jira at {self.url} failed while {what} (HTTP {code})"
                      f"{': ' + detail if detail else ''}", status=code, body=body)
        raise Rejected(f"Jira refused {what} (HTTP {code}){': ' + detail if detail else ''}",
                       status=code, body=body)

    # -- reads ---------------------------------------------------------------------------------

    def server_info(self) -> dict[str, Any]:
        """GET serverInfo; sets `is_cloud` (anything but deploymentType Cloud is Server/DC)."""
        info: dict[str, Any] = self._request("GET", "serverInfo",
                                             what="reading the server info").json()
        self.is_cloud = info.get("deploymentType") == "Cloud"
        self._client.deploymentType = info.get("deploymentType")
        return info

    def site_fields(self, start_name: str) -> SiteFields:
        """Resolve the start-date field by name, and on Server/DC the Epic Link/Name fields."""
        fields = self._request("GET", "field", what="reading the field list").json()
        start = epic_link = epic_name = None
        for f in fields:
            custom = (f.get("schema") or {}).get("custom")
            if start_name and start is None and f.get("name", "").lower() == start_name.lower():
                start = f["id"]
            if custom == _EPIC_LINK:
                epic_link = f["id"]
            if custom == _EPIC_NAME:
                epic_name = f["id"]
        if start_name and start is None:
            log.warning("Jira has no field named %r: the planned start is not pushed", start_name)
        return SiteFields(start, None if self.is_cloud else epic_link,
                          None if self.is_cloud else epic_name)

    def search(self, jql: str, *, fields: Iterable[str], properties: Iterable[str] = (),
               reconcile: Iterable[str] = (), what: str) -> list[dict[str, Any]]:
        """Every issue matching `jql`: `search/jql` with nextPageToken on Cloud, `search` with
        startAt on Server/DC."""
        params: dict[str, Any] = {"jql": jql, "maxResults": PAGE_SIZE,
                                  "fields": ",".join(fields)}
        if props := ",".join(properties):
            params["properties"] = props
        out: list[dict[str, Any]] = []
        if self.is_cloud:
            ids = [int(i) for i in reconcile][:50]
            if ids:
                params["reconcileIssues"] = ids
            while True:
                page = self._request("GET", "search/jql", params=params, what=what).json()
                out += page.get("issues") or []
                token = page.get("nextPageToken")
                if not token or page.get("isLast"):
                    return out
                params["nextPageToken"] = token
        while True:
            params["startAt"] = len(out)
            page = self._request("GET", "search", params=params, what=what).json()
            issues = page.get("issues") or []
            out += issues
            if not issues or len(out) >= int(page.get("total", 0)):
                return out

    def get_issue(self, key: str, *, fields: Iterable[str], properties: Iterable[str] = ()
                  ) -> dict[str, Any] | None:
        """One issue by key, or None when Jira says it does not exist."""
        params = {"fields": ",".join(fields), "properties": ",".join(properties)}
        try:
            return dict(self._request("GET", f"issue/{key}", params=params,
                                      what=f"reading {key}").json())
        except Rejected as e:
            if e.status == HTTPStatus.NOT_FOUND:
                return None
            raise

    def highest_number(self, project_jql: str, *, what: str) -> int:
        """The highest issue number search sees for `project_jql` (one project; 0 when none):
        a lower bound for the number of any issue made after those search already sees."""
        params: dict[str, Any] = {"jql": f"{project_jql} ORDER BY key DESC", "maxResults": 1,
                                  "fields": "summary"}
        path = "search/jql" if self.is_cloud else "search"
        page = self._request("GET", path, params=params, what=what).json()
        issues = page.get("issues") if isinstance(page, dict) else None
        keys = [str(i.get("key", "")) for i in issues or [] if isinstance(i, dict)]
        return max((int(k.rpartition("-")[2]) for k in keys
                    if k.rpartition("-")[2].isdigit()), default=0)

    def get_property(self, key: str, prop: str) -> Any:
        """An issue property's value, or None when the issue or the property does not exist."""
        try:
            body = self._request("GET", f"issue/{key}/properties/{prop}",
                                 what=f"reading the {prop} property of {key}").json()
        except Rejected as e:
            if e.status == HTTPStatus.NOT_FOUND:
                return None
            raise
        return body.get("value") if isinstance(body, dict) else None

    def put_property(self, key: str, prop: str, value: Any) -> None:
        """Set an issue property (PUT is idempotent: safe to repeat)."""
        self._request("PUT", f"issue/{key}/properties/{prop}", body=value,
                      what=f"writing the {prop} property of {key}")

    def describe_project(self, key: str) -> str:
        """Why a project or issue type is refused: the issue types it has, or the projects that
        exist (only called on the error path)."""
        try:
            proj = self._request("GET", f"project/{key}", what=f"reading project {key}").json()
        except Rejected:
            projects = self._request("GET", "project", what="listing projects").json()
            names = ", ".join(sorted(p.get("key", "?") for p in projects)) or "none visible"
            return f"project {key} does not exist or is not visible; projects: {names}"
        types = ", ".join(t.get("name", "?") for t in proj.get("issueTypes") or [])
        return f"project {key} has the issue types: {types or 'none'}"

    # -- reads for pull -------------------------------------------------------------------------

    def status_categories(self) -> dict[str, str]:
        """Status id -> category key (new, indeterminate, done), from GET status (one call)."""
        rows = self._request("GET", "status", what="reading the workflow statuses").json()
        return {str(r.get("id")): str((r.get("statusCategory") or {}).get("key") or "new")
                for r in rows}

    def fetch_issues(self, keys: list[str], *, fields: Iterable[str],
                     properties: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Known issues by key, never through eventually consistent search on Cloud:
        POST issue/bulkfetch (<= 100 a call). Server/DC has no bulk fetch; there a search on
        `key in (...)` (consistent on a single node) carries the changelog as well, and so it
        does on a Cloud site (or proxy) that answers 404 to the bulk fetch."""
        fields, properties = list(fields), list(properties)
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), FETCH_LIMIT):
            chunk = keys[start:start + FETCH_LIMIT]
            what = f"reading issues {start + 1}-{start + len(chunk)} of {len(keys)}"
            if self.is_cloud and self._bulk_reads:
                body: dict[str, Any] = {"issueIdsOrKeys": chunk, "fields": fields}
                if properties:
                    body["properties"] = properties
                try:
                    page = self._request("POST", "issue/bulkfetch", body=body, what=what).json()
                    out += page.get("issues") or []
                    continue
                except Rejected as e:
                    if e.status != HTTPStatus.NOT_FOUND:
                        raise
                    log.info("Jira at %s has no issue/bulkfetch; reading by key search", self.url)
                    self._bulk_reads = False
            params = {"jql": "key in (" + ", ".join(_jql_key(k) for k in chunk) + ")",
                      "maxResults": FETCH_LIMIT, "fields": ",".join(fields),
                      "expand": "changelog"}
            if properties:
                params["properties"] = ",".join(properties)
            if self.is_cloud:
                found = self._request("GET", "search/jql", params=params, what=what).json()
            else:
                found = self._request("GET", "search", params={**params, "validateQuery": "warn"},
                                      what=what).json()
            out += found.get("issues") or []
        return out

    def changelogs(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Issue id -> its status changes (Cloud: POST changelog/bulkfetch, <= 1,000 issues a
        call, paged by nextPageToken; where that answers 404, each issue's own changelog).
        On Server/DC `fetch_issues` already carried them."""
        out: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(ids) if self._bulk_changelogs else 0, CHANGELOG_LIMIT):
            body: dict[str, Any] = {"issueIdsOrKeys": ids[start:start + CHANGELOG_LIMIT],
                                    "fieldIds": ["status"], "maxResults": 10000}
            while True:
                try:
                    page = self._request("POST", "changelog/bulkfetch", body=body,
                                         what="reading the status history").json()
                except Rejected as e:
                    if e.status != HTTPStatus.NOT_FOUND:
                        raise
                    log.info("Jira at %s has no changelog/bulkfetch; reading each issue's",
                             self.url)
                    self._bulk_changelogs = False
                    return self.changelogs(ids)
                for log_ in page.get("issueChangeLogs") or []:
                    out.setdefault(str(log_.get("issueId")), []).extend(
                        log_.get("changeHistories") or [])
                token = page.get("nextPageToken")
                if not token:
                    break
                body["nextPageToken"] = token
        if not self._bulk_changelogs:
            for iid in ids:
                out[iid] = self._issue_changelog(iid)
        return out

    def _issue_changelog(self, issue_id: str) -> list[dict[str, Any]]:
        histories: list[dict[str, Any]] = []
        while True:
            page = self._request("GET", f"issue/{issue_id}/changelog",
                                 params={"startAt": len(histories), "maxResults": 100},
                                 what=f"reading the history of issue {issue_id}").json()
            values = page.get("values") or []
            histories += values
            if page.get("isLast", True) or not values:
                return histories

    # -- writes --------------------------------------------------------------------------------

    def bulk_create(self, updates: list[dict[str, Any]], *, what: str) -> BulkResult:
        """POST issue/bulk (<= 50). Raises LostResponse when the answer was lost, so the caller
        looks in Jira before creating again."""
        if len(updates) > BULK_LIMIT:
            raise ValueError("at most 50 issues per bulk create")
        try:
            r = self._request("POST", "issue/bulk", body={"issueUpdates": updates}, what=what,
                              safe_to_repeat=False)
            body = r.json()
        except Rejected as e:
            if e.status != HTTPStatus.BAD_REQUEST or not isinstance(e.body, dict):
                raise
            body = e.body  # 400: every element failed; same CreatedIssues shape
        except ValueError:
            raise LostResponse(f"Jira at {self.url}: unreadable answer while {what}") from None
        res = BulkResult()
        for err in body.get("errors") or []:
            idx = int(err.get("failedElementNumber", -1))
            res.errors[idx] = error_text(err.get("elementErrors")) or f"HTTP {err.get('status')}"
        ok = [i for i in range(len(updates)) if i not in res.errors]
        issues = body.get("issues") or []
        if len(issues) != len(ok):
            raise LostResponse(f"Jira at {self.url}: the answer while {what} lists "
                               f"{len(issues)} issues for {len(ok)} accepted")
        res.created = [(i, str(x["id"]), str(x["key"])) for i, x in zip(ok, issues, strict=True)]
        return res

    def update_issue(self, key: str, body: dict[str, Any]) -> None:
        """PUT issue/{key} with only the changed fields (no reload, unlike the library)."""
        self._request("PUT", f"issue/{key}", body=body, what=f"updating {key}")

    def link(self, blocker: str, blocked: str) -> None:
        """`blocker` blocks `blocked`: the blocker is the inwardIssue (see research §1.1).
        Jira answers a repeat with 201 and keeps one link, so a lost answer may be retried."""
        self._request("POST", "issueLink", what=f"linking {blocker} blocks {blocked}", body={
            "type": {"name": BLOCKS}, "inwardIssue": {"key": blocker},
            "outwardIssue": {"key": blocked}})

    def unlink(self, link_id: str, label: str) -> None:
        self._request("DELETE", f"issueLink/{link_id}", what=f"removing the link {label}")


def connect(cfg: JiraConfig) -> JiraAdapter:
    """Build the adapter from the config: token from the env, auth per deployment, no calls yet
    except GET serverInfo (made by the caller through `server_info`)."""
    token = cfg.token().get_secret_value()
    auth: dict[str, Any] = ({"basic_auth": (cfg.email, token)} if cfg.email
                            else {"token_auth": token})
    try:
        client = JIRA(server=cfg.url, options={"headers": {"Accept-Language": "en"},
                                               "rest_api_version": "2"},
                      get_server_info=False, max_retries=0, timeout=cfg.timeout_seconds, **auth)
    except JIRAError as e:  # no call is made here, but the library may still refuse the options
        raise JiraFailure(f"Jira at {cfg.url}: cannot set up the client (HTTP {e.status_code})",
                          hint="check [jira] url") from None
    return JiraAdapter(client, cfg)


def _jql_key(key: str) -> str:
    """An issue key for JQL; anything else is refused, so a value cannot change the query."""
    if not _KEY_RE.match(key):
        raise JiraFailure(f"not an issue key: {key!r} (the state file may be damaged)",
                          hint="run `syncsvc push` to rebuild the state from Jira")
    return key
