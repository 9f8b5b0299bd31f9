"""The one module that talks to Jira: thin raw REST calls through the HTTP layer (syncsvc.http).

The `jira` library is used through its public surface only: its URL template
(`JIRA.JIRA_BASE_URL`), its default headers (`JIRA.DEFAULT_OPTIONS`) and its bearer-token auth
(`jira.client.TokenAuth`). Its methods are not used for the calls themselves: they offer no
raw REST call, `create_issue(s)` cannot send `update`/`properties`, `create_issue_link` reads
the link types on every call, and its ResilientSession resends POSTs and crashes on an
HTTP-date Retry-After (research jira §1.3, §3.3, §8). So the session is a plain
`requests.Session` set up as the library sets up its own.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol, cast
from urllib.parse import urlparse

import requests
from jira import JIRA
from jira.client import TokenAuth

from syncsvc.config import JiraConfig
from syncsvc.errors import RemoteError
from syncsvc.http import AnswerLost, HostUnknown, Http, HttpError, NoAnswer
from syncsvc.jira.untrusted import KEY_RE as _KEY_RE
from syncsvc.jira.untrusted import clean_histories, clean_issue, clean_issues
from syncsvc.remote import json_of, no_answer, printable, what_answered

log = logging.getLogger("syncsvc.jira")

BULK_LIMIT = 50  # issues per POST issue/bulk (Jira's documented maximum)
PAGE_SIZE = 100  # issues per search page
FETCH_LIMIT = 100  # issues per POST issue/bulkfetch (Jira's maximum)
CHANGELOG_LIMIT = 1000  # issues per POST changelog/bulkfetch (Jira's maximum)
MAX_PAGES = 2000  # pages of one paged read (200,000 issues): a server that never ends is refused
BLOCKS = "Blocks"
_EPIC_LINK = "com.pyxis.greenhopper.jira:gh-epic-link"
_EPIC_NAME = "com.pyxis.greenhopper.jira:gh-epic-label"


class JiraFailure(RemoteError):
    """A Jira call that failed after retries (or was refused); ends the run's writes."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        status: int | None = None,
        body: Any = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.body = body
        if exit_code is not None:
            self.exit_code = exit_code


class JiraConfigFailure(JiraFailure):
    """Jira (or what answers at its URL) says the configuration is wrong: a refused token,
    no permission, no such project or site, a login page. Exit 2: a person must fix the config,
    a retry will not help."""

    exit_code = 2


class LostResponse(JiraFailure):
    """A write reached Jira (perhaps) but its answer was lost: look before doing it again."""


class Rejected(JiraFailure):
    """Jira refused one request (4xx other than auth); the item fails, the run goes on."""


class SiteCache(Protocol):
    """Where facts about a site that do not change are kept between runs (the state)."""

    def site_value(self, site: str) -> dict[str, Any] | None: ...

    def put_site_value(self, site: str, value: dict[str, Any]) -> None: ...


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


def error_text(body: Any) -> str:
    """Jira's error messages (errorMessages + errors) as one line."""
    if not isinstance(body, dict):
        return ""
    got = body.get("errorMessages")
    msgs = [str(m) for m in got] if isinstance(got, list) else []
    errs = body.get("errors") or {}
    if isinstance(errs, dict):
        msgs += [f"{k}: {v}" for k, v in errs.items()]
    return printable("; ".join(msgs))[:2000]


class JiraAdapter:
    """Jira calls the push engine needs; every call has a timeout, `Accept-Language: en`, and
    goes through the one retry policy (syncsvc.http). POSTs that create are never resent
    after a lost answer: LostResponse tells the caller to look in Jira first."""

    def __init__(
        self,
        session: requests.Session,
        cfg: JiraConfig,
        *,
        sleep: Callable[[float], None] | None = None,
        now: Callable[[], float] | None = None,
        rand: Callable[[], float] | None = None,
    ) -> None:
        self._rest = session
        self._cfg = cfg
        self.url = cfg.url
        self._http = Http(
            f"Jira at {cfg.url}",
            retries=cfg.max_retries,
            timeout=cfg.timeout_seconds,
            sleep=sleep,
            rand=rand,
            now=now or time.time,
        )
        self.is_cloud = False
        # the bulk read endpoints, until a site answers 404 to them (older sites, proxies)
        self._bulk_reads = self._bulk_changelogs = True

    @property
    def calls(self) -> int:
        """Jira API requests sent, retries included."""
        return self._http.calls

    # -- plumbing ------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        safe_to_repeat: bool = True,
    ) -> requests.Response:
        url = rest_url(self.url, path)
        data = None if body is None else json.dumps(body)
        timeout = self._cfg.timeout_seconds

        def attempt() -> requests.Response:
            return self._rest.request(
                method, url, params=params, data=data, timeout=(min(10.0, timeout), timeout)
            )

        try:
            answer = self._http.send(method, url, attempt, during=f"while {what}", repeatable=safe_to_repeat)
        except HttpError as e:
            raise self._no_answer(e, what) from None
        r = answer.response
        log.debug("%s %s -> %s", method, path, r.status_code)
        if r.status_code < 400:
            if safe_to_repeat and "html" in r.headers.get("Content-Type", "").lower():
                raise self._not_the_api(r, what)  # a login page "accepting" a write too
            return r
        self._raise(r, what, answer.attempts, safe_to_repeat)
        raise AssertionError("unreachable")

    def _no_answer(self, e: HttpError, what: str) -> JiraFailure:
        """The HTTP layer's failure in Jira's words."""
        timeout = self._cfg.timeout_seconds
        if isinstance(e, HostUnknown):  # no request left the machine: retrying will not help
            return JiraConfigFailure(
                f"Jira at {self.url}: the host name {_host(self.url)!r} does not resolve (while {what})",
                hint="check [jira] url in the config, and the machine's DNS and network",
            )
        if isinstance(e, AnswerLost):
            if isinstance(e.cause, requests.ConnectionError | requests.Timeout):
                return LostResponse(f"Jira at {self.url}: no answer while {what} ({type(e.cause).__name__})")
            return LostResponse(
                f"Jira at {self.url}: the request failed while {what} ({type(e.cause).__name__})",
                hint="check [jira] url",
            )
        if isinstance(e, NoAnswer):
            return JiraFailure(
                f"Jira at {self.url} {no_answer(e.cause, timeout)} while {what} ({e.attempts} attempts)",
                hint="check [jira] url and the network; run push again",
            )
        return JiraFailure(  # bad URL, redirects, a broken answer...
            f"Jira at {self.url}: the request failed while {what} ({type(e.cause).__name__})",
            hint="check [jira] url",
        )

    def _read(
        self,
        method: str,
        path: str,
        *,
        what: str,
        expect: type = dict,
        params: dict[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        """A call whose answer must be JSON of type `expect`; anything else (a proxy's or an
        SSO login page, an empty body) is refused naming what answered."""
        r = self._request(method, path, what=what, params=params, body=body)
        return self._json(r, what, expect)

    def _json(self, r: requests.Response, what: str, expect: type = dict) -> Any:
        ok, value = json_of(r, expect)
        if ok:
            return value
        raise self._not_the_api(r, what)

    def _not_the_api(self, r: requests.Response, what: str) -> JiraConfigFailure:
        answered = what_answered(r)
        return JiraConfigFailure(
            f"Jira at {self.url}: {answered} answered instead of Jira's REST API while {what} "
            f"(HTTP {r.status_code})",
            hint="check [jira] url (the site's base URL, like https://your-site.atlassian.net); "
            "a login page means a proxy or single sign-on stands in front of the API",
            status=r.status_code,
        )

    def _raise(self, r: requests.Response, what: str, attempts: int, safe: bool) -> None:
        try:
            body = r.json()
        except ValueError:
            body = None
        code, detail = r.status_code, error_text(body)
        who = self._cfg.email or "the token's user"
        if code == HTTPStatus.UNAUTHORIZED:
            raise JiraConfigFailure(
                f"Jira at {self.url} refused the credentials of {who} (token from "
                f"${self._cfg.token_env}) while {what} (HTTP 401)",
                hint=f"check jira.email and that ${self._cfg.token_env} holds a valid API token "
                "(Cloud) or personal access token (Server/DC)",
                status=code,
            )
        if code == HTTPStatus.FORBIDDEN:
            raise JiraConfigFailure(
                f"Jira at {self.url} denied {who} (token from ${self._cfg.token_env}) while "
                f"{what} (HTTP 403){': ' + detail if detail else ''}",
                hint="check the user's permissions on the project (browse, create, edit, link)",
                status=code,
            )
        if code in (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE):
            raise JiraFailure(
                f"Jira at {self.url} kept answering {code} while {what} ({attempts} attempts)",
                hint="Jira is rate-limiting or busy; run push again later",
                status=code,
            )
        if code >= 500:
            cls = JiraFailure if safe else LostResponse
            tries = f", {attempts} attempts" if attempts > 1 else ""
            raise cls(
                f"Jira at {self.url} failed while {what} (HTTP {code}{tries})"
                f"{': ' + detail if detail else ''}",
                status=code,
                body=body,
            )
        raise Rejected(
            f"Jira refused {what} (HTTP {code}){': ' + detail if detail else ''}", status=code, body=body
        )

    # -- reads ---------------------------------------------------------------------------------

    def server_info(self, cache: SiteCache | None = None) -> dict[str, Any]:
        """GET serverInfo; sets `is_cloud` (anything but deploymentType Cloud is Server/DC).
        With a `cache` (the state's site facts), the deployment type is read once per site."""
        key = f"server:{self.url}"
        cached = cache.site_value(key) if cache is not None else None
        if cached is not None and isinstance(cached.get("deploymentType"), str):
            info: dict[str, Any] = cached
        else:
            try:
                info = self._read("GET", "serverInfo", what="reading the server info")
            except Rejected as e:
                if e.status not in (
                    HTTPStatus.NOT_FOUND,
                    HTTPStatus.BAD_REQUEST,
                    HTTPStatus.GONE,
                    HTTPStatus.METHOD_NOT_ALLOWED,
                ):
                    raise
                raise JiraConfigFailure(
                    f"no Jira REST API at {self.url} (HTTP {e.status} for serverInfo)",
                    hint="check [jira] url: the site's base URL, like "
                    "https://your-site.atlassian.net (no path)",
                    status=e.status,
                ) from None
            if cache is not None and isinstance(info.get("deploymentType"), str):
                cache.put_site_value(key, {"deploymentType": info["deploymentType"]})
        self.is_cloud = info.get("deploymentType") == "Cloud"
        return info

    def site_fields(self, start_name: str, cache: SiteCache | None = None) -> SiteFields:
        """Resolve the start-date field by name, and on Server/DC the Epic Link/Name fields.
        With a `cache` (the state's site facts), GET field is read once per site."""
        key = f"fields:{self.url}:{start_name}"
        cached = cache.site_value(key) if cache is not None else None
        if cached is not None:
            return SiteFields(
                *(
                    v if isinstance(v, str) else None
                    for v in (cached.get("start"), cached.get("epic_link"), cached.get("epic_name"))
                )
            )
        fields = self._read("GET", "field", what="reading the field list", expect=list)
        start = epic_link = epic_name = None
        for f in fields:
            if not isinstance(f, dict) or not isinstance(f.get("id"), str):
                continue
            schema, name = f.get("schema"), f.get("name")
            custom = schema.get("custom") if isinstance(schema, dict) else None
            name = name if isinstance(name, str) else ""
            if start_name and start is None and name.lower() == start_name.lower():
                start = f["id"]
            if custom == _EPIC_LINK:
                epic_link = f["id"]
            if custom == _EPIC_NAME:
                epic_name = f["id"]
        if start_name and start is None:
            log.warning("Jira has no field named %r: the planned start is not pushed", start_name)
        found = SiteFields(start, None if self.is_cloud else epic_link, None if self.is_cloud else epic_name)
        if cache is not None:
            cache.put_site_value(
                key, {"start": found.start, "epic_link": found.epic_link, "epic_name": found.epic_name}
            )
        return found

    def _pages(self, what: str) -> Callable[[Any], None]:
        """A guard for one paged read: a page token (or start) seen before, or more than
        MAX_PAGES pages, stops the read with an error instead of looping forever."""
        seen: set[str] = set()

        def check(token: Any) -> None:
            mark = json.dumps(token, sort_keys=True, default=str)
            if mark in seen:
                raise self._repeated_page(what, len(seen))
            seen.add(mark)
            if len(seen) > MAX_PAGES:
                raise JiraFailure(
                    f"Jira at {self.url} kept sending pages while {what}; stopped after {MAX_PAGES} pages",
                    hint="narrow the plan or check the site; try again later",
                )

        return check

    def _repeated_page(self, what: str, pages: int) -> JiraFailure:
        return JiraFailure(
            f"Jira at {self.url} sent the same next page again while {what} "
            f"(after {pages} pages); stopped reading",
            hint="a proxy or the site is paging wrongly; try again later",
        )

    def search(
        self,
        jql: str,
        *,
        fields: Iterable[str],
        properties: Iterable[str] = (),
        reconcile: Iterable[str] = (),
        what: str,
    ) -> list[dict[str, Any]]:
        """Every issue matching `jql`: `search/jql` with nextPageToken on Cloud, `search` with
        startAt on Server/DC."""
        params: dict[str, Any] = {"jql": jql, "maxResults": PAGE_SIZE, "fields": ",".join(fields)}
        if props := ",".join(properties):
            params["properties"] = props
        out: list[dict[str, Any]] = []
        check = self._pages(what)
        if self.is_cloud:
            ids = [int(i) for i in reconcile][:50]
            if ids:
                params["reconcileIssues"] = ids
            while True:
                check(params.get("nextPageToken"))
                page = self._read("GET", "search/jql", params=params, what=what)
                out += clean_issues(page.get("issues"))
                token = page.get("nextPageToken")
                if not token or page.get("isLast") is True:
                    return out
                params["nextPageToken"] = str(token)
        seen_ids: set[str] = set()
        at = 0  # issues Jira listed so far (some may have been dropped as unusable)
        while True:
            params["startAt"] = at
            check(at)
            page = self._read("GET", "search", params=params, what=what)
            raw = page.get("issues")
            if not isinstance(raw, list) or not raw:
                return out
            issues = clean_issues(raw)
            if issues and issues[0]["id"] in seen_ids:  # startAt ignored: the same page again
                raise self._repeated_page(what, at // PAGE_SIZE + 1)
            seen_ids.update(i["id"] for i in issues)
            out += issues
            at += len(raw)
            total = page.get("total")
            if not isinstance(total, int) or at >= total:
                return out

    def get_issue(
        self, key: str, *, fields: Iterable[str], properties: Iterable[str] = (), expand: str | None = None
    ) -> dict[str, Any] | None:
        """One issue by key, or None when Jira says it does not exist."""
        params = {"fields": ",".join(fields), "properties": ",".join(properties)}
        if expand:
            params["expand"] = expand
        try:
            return clean_issue(
                self._read("GET", f"issue/{_jql_key(key)}", params=params, what=f"reading {key}")
            )
        except Rejected as e:
            if e.status == HTTPStatus.NOT_FOUND:
                return None
            raise

    def highest_number(self, project_jql: str, *, what: str) -> int:
        """The highest issue number search sees for `project_jql` (one project; 0 when none):
        a lower bound for the number of any issue made after those search already sees."""
        params: dict[str, Any] = {
            "jql": f"{project_jql} ORDER BY key DESC",
            "maxResults": 1,
            "fields": "summary",
        }
        path = "search/jql" if self.is_cloud else "search"
        page = self._read("GET", path, params=params, what=what)
        issues = page.get("issues")
        keys = [str(i.get("key", "")) for i in issues or [] if isinstance(i, dict)]
        return max((int(k.rpartition("-")[2]) for k in keys if k.rpartition("-")[2].isdigit()), default=0)

    def get_property(self, key: str, prop: str) -> Any:
        """An issue property's value, or None when the issue or the property does not exist."""
        try:
            body = self._read(
                "GET",
                f"issue/{_jql_key(key)}/properties/{prop}",
                what=f"reading the {prop} property of {key}",
            )
        except Rejected as e:
            if e.status == HTTPStatus.NOT_FOUND:
                return None
            raise
        return body.get("value") if isinstance(body, dict) else None

    def put_property(self, key: str, prop: str, value: Any) -> None:
        """Set an issue property (PUT is idempotent: safe to repeat)."""
        self._request(
            "PUT", f"issue/{key}/properties/{prop}", body=value, what=f"writing the {prop} property of {key}"
        )

    def describe_project(self, key: str) -> str:
        """Why a project or issue type is refused: the issue types it has, or the projects that
        exist (only called on the error path)."""
        try:
            proj = self._read("GET", f"project/{key}", what=f"reading project {key}")
        except Rejected:
            projects = self._read("GET", "project", what="listing projects", expect=list)
            names = (
                printable(", ".join(sorted(str(p.get("key", "?")) for p in projects if isinstance(p, dict))))
                or "none visible"
            )
            return f"project {key} does not exist or is not visible; projects: {names}"
        types = ", ".join(
            str(t.get("name", "?")) for t in proj.get("issueTypes") or [] if isinstance(t, dict)
        )
        return f"project {key} has the issue types: {printable(types) or 'none'}"

    # -- reads for pull -------------------------------------------------------------------------

    def status_categories(self, cache: SiteCache | None = None, *, refresh: bool = False) -> dict[str, str]:
        """Status id -> category key (new, indeterminate, done), from GET status (one call;
        with a `cache`, once per site, and again with `refresh` when a status id it does not
        know turns up)."""
        key = f"status:{self.url}"
        cached = cache.site_value(key) if cache is not None and not refresh else None
        if cached is not None:
            return {str(k): str(v) for k, v in cached.items()}
        rows = self._read("GET", "status", what="reading the workflow statuses", expect=list)
        found = {
            str(r.get("id")): str(_category_key(r.get("statusCategory"))) for r in rows if isinstance(r, dict)
        }
        if cache is not None:
            cache.put_site_value(key, found)
        return found

    def fetch_issues(
        self, keys: list[str], *, fields: Iterable[str], properties: Iterable[str] = ()
    ) -> list[dict[str, Any]]:
        """Known issues by key, never through eventually consistent search on Cloud:
        POST issue/bulkfetch (<= 100 a call). Server/DC has no bulk fetch; there a search on
        `key in (...)` (consistent on a single node) carries the changelog as well, and so it
        does on a Cloud site (or proxy) that answers 404 to the bulk fetch. A key Jira no longer
        has (an issue deleted by a person) is simply not in the answer."""
        fields, properties = list(fields), list(properties)
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), FETCH_LIMIT):
            chunk = keys[start : start + FETCH_LIMIT]
            what = f"reading issues {start + 1}-{start + len(chunk)} of {len(keys)}"
            if self.is_cloud and self._bulk_reads:
                body: dict[str, Any] = {"issueIdsOrKeys": chunk, "fields": fields}
                if properties:
                    body["properties"] = properties
                try:
                    page = self._read("POST", "issue/bulkfetch", body=body, what=what)
                    out += clean_issues(page.get("issues"))
                    continue
                except Rejected as e:
                    if e.status != HTTPStatus.NOT_FOUND:
                        raise
                    log.info("Jira at %s has no issue/bulkfetch; reading by key search", self.url)
                    self._bulk_reads = False
            out += self._key_search(chunk, fields, properties, what)
        return out

    def _key_search(
        self, keys: list[str], fields: list[str], properties: list[str], what: str
    ) -> list[dict[str, Any]]:
        """`key in (...)` with the changelog. Jira answers 400 when one key no longer exists
        (Cloud; Server too without validateQuery=warn): the keys it names are dropped and the
        search is repeated once; failing that, each issue is read by key (GET issue)."""
        params = {"maxResults": FETCH_LIMIT, "fields": ",".join(fields), "expand": "changelog"}
        if properties:
            params["properties"] = ",".join(properties)
        path = "search/jql" if self.is_cloud else "search"
        if not self.is_cloud:
            params["validateQuery"] = "warn"
        left = list(keys)
        for _ in range(2):
            if not left:
                return []
            jql = "key in (" + ", ".join(_jql_key(k) for k in left) + ")"
            try:
                found = self._read("GET", path, params={**params, "jql": jql}, what=what)
                return clean_issues(found.get("issues"))
            except Rejected as e:
                if e.status != HTTPStatus.BAD_REQUEST:
                    raise
                gone = {k for k in left if re.search(rf"['\"]{re.escape(k)}['\"]", error_text(e.body))}
                if not gone:
                    break
                log.info("Jira no longer has %s; reading the other issues", ", ".join(sorted(gone)))
                left = [k for k in left if k not in gone]
        out = []
        for key in left:
            issue = self.get_issue(key, fields=fields, properties=properties, expand="changelog")
            if issue is not None:
                out.append(issue)
        return out

    def changelogs(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Issue id -> its status changes (Cloud: POST changelog/bulkfetch, <= 1,000 issues a
        call, paged by nextPageToken; where that answers 404, each issue's own changelog).
        On Server/DC `fetch_issues` already carried them."""
        out: dict[str, list[dict[str, Any]]] = {}
        what = "reading the status history"
        for start in range(0, len(ids) if self._bulk_changelogs else 0, CHANGELOG_LIMIT):
            body: dict[str, Any] = {
                "issueIdsOrKeys": ids[start : start + CHANGELOG_LIMIT],
                "fieldIds": ["status"],
                "maxResults": 10000,
            }
            check = self._pages(what)
            while True:
                check(body.get("nextPageToken"))
                try:
                    page = self._read("POST", "changelog/bulkfetch", body=body, what=what)
                except Rejected as e:
                    if e.status != HTTPStatus.NOT_FOUND:
                        raise
                    log.info("Jira at %s has no changelog/bulkfetch; reading each issue's", self.url)
                    self._bulk_changelogs = False
                    return self.changelogs(ids)
                logs = page.get("issueChangeLogs")
                for log_ in logs if isinstance(logs, list) else []:
                    if isinstance(log_, dict):
                        out.setdefault(str(log_.get("issueId")), []).extend(
                            clean_histories(log_.get("changeHistories"))
                        )
                token = page.get("nextPageToken")
                if not token:
                    break
                body["nextPageToken"] = str(token)
        if not self._bulk_changelogs:
            for iid in ids:
                try:
                    out[iid] = self._issue_changelog(iid)
                except Rejected as e:  # deleted since it was read: no history to count
                    if e.status != HTTPStatus.NOT_FOUND:
                        raise
                    out[iid] = []
        return out

    def _issue_changelog(self, issue_id: str) -> list[dict[str, Any]]:
        histories: list[dict[str, Any]] = []
        what = f"reading the history of issue {issue_id}"
        check = self._pages(what)
        at = 0
        while True:
            check(at)
            page = self._read(
                "GET", f"issue/{issue_id}/changelog", params={"startAt": at, "maxResults": 100}, what=what
            )
            values = page.get("values")
            if not isinstance(values, list) or not values:
                return histories
            histories += clean_histories(values)
            at += len(values)
            if page.get("isLast", True) is not False:
                return histories

    # -- writes --------------------------------------------------------------------------------

    def bulk_create(self, updates: list[dict[str, Any]], *, what: str) -> BulkResult:
        """POST issue/bulk (<= 50). Raises LostResponse when the answer was lost, so the caller
        looks in Jira before creating again."""
        if len(updates) > BULK_LIMIT:
            raise ValueError("at most 50 issues per bulk create")
        try:
            r = self._request(
                "POST", "issue/bulk", body={"issueUpdates": updates}, what=what, safe_to_repeat=False
            )
            body = r.json()
        except Rejected as e:
            if e.status != HTTPStatus.BAD_REQUEST or not isinstance(e.body, dict):
                raise
            body = e.body  # 400: every element failed; same CreatedIssues shape
        except ValueError:
            raise LostResponse(f"Jira at {self.url}: {what_answered(r)} answered while {what}") from None
        unusable = LostResponse(f"Jira at {self.url}: an answer of an unexpected shape while {what}")
        if not isinstance(body, dict):
            raise unusable
        res = BulkResult()
        for err in body.get("errors") or []:
            idx = err.get("failedElementNumber") if isinstance(err, dict) else None
            if not isinstance(idx, int) or isinstance(idx, bool):
                raise unusable
            res.errors[idx] = error_text(err.get("elementErrors")) or f"HTTP {err.get('status')}"
        ok = [i for i in range(len(updates)) if i not in res.errors]
        issues = body.get("issues") or []
        if not isinstance(issues, list) or len(issues) != len(ok):
            raise LostResponse(
                f"Jira at {self.url}: the answer while {what} lists "
                f"{len(issues)} issues for {len(ok)} accepted"
            )
        made = [clean_issue(x) for x in issues]
        if any(x is None for x in made):
            raise unusable
        res.created = [(i, x["id"], x["key"]) for i, x in zip(ok, made, strict=True) if x]
        return res

    def update_issue(self, key: str, body: dict[str, Any]) -> None:
        """PUT issue/{key} with only the changed fields (no reload, unlike the library)."""
        self._request("PUT", f"issue/{key}", body=body, what=f"updating {key}")

    def link(self, blocker: str, blocked: str) -> None:
        """`blocker` blocks `blocked`: the blocker is the inwardIssue (see research §1.1).
        Jira answers a repeat with 201 and keeps one link, so a lost answer may be retried."""
        self._request(
            "POST",
            "issueLink",
            what=f"linking {blocker} blocks {blocked}",
            body={
                "type": {"name": BLOCKS},
                "inwardIssue": {"key": blocker},
                "outwardIssue": {"key": blocked},
            },
        )

    def unlink(self, link_id: str, label: str) -> None:
        self._request("DELETE", f"issueLink/{link_id}", what=f"removing the link {label}")


def connect(cfg: JiraConfig) -> JiraAdapter:
    """Build the adapter from the config: token from the env, auth per deployment, no calls yet
    except GET serverInfo (made by the caller through `server_info`)."""
    if placeholder_host(cfg.url):
        raise JiraConfigFailure(
            f"[jira] url is still the example value {cfg.url}",
            hint="set [jira] url to your site, like https://<your-team>.atlassian.net",
        )
    token = cfg.token().get_secret_value()
    return JiraAdapter(jira_session(cfg.email, token), cfg)


def jira_session(email: str | None, token: str) -> requests.Session:
    """A session set up as `jira.JIRA` sets up its own (its default headers, basic auth with
    an email (Cloud) or a bearer token (Server/DC personal access token)), with English
    messages, and no retry of its own: the HTTP layer retries."""
    session = requests.Session()
    session.headers.update(cast(dict[str, str], JIRA.DEFAULT_OPTIONS["headers"]))
    session.headers["Accept-Language"] = "en"
    session.auth = (email, token) if email else TokenAuth(token)
    return session


def rest_url(server: str, path: str) -> str:
    """The REST v2 URL of `path`, from the library's own template (Cloud and Server/DC share
    v2, where `description` is a plain string; research jira §0)."""
    return JIRA.JIRA_BASE_URL.format(
        server=server.rstrip("/"), rest_path="api", rest_api_version="2", path=path
    )


_PLACEHOLDER = re.compile(
    r"(^|\.)(your-(site|domain|company|team|instance)[a-z0-9-]*\.atlassian\.net|example\.(com|org|"
    r"net)|[a-z0-9-]+\.(example|invalid))$|^example\.|<|>",
    re.I,
)


def placeholder_host(url: str) -> bool:
    """A URL left at a documentation value (your-site.atlassian.net, *.example.com ...)."""
    return bool(_PLACEHOLDER.search(_host(url)))


def _category_key(value: Any) -> str:
    key = value.get("key") if isinstance(value, dict) else None
    return key if isinstance(key, str) and key else "new"


def _jql_key(key: str) -> str:
    """An issue key for JQL; anything else is refused, so a value cannot change the query."""
    if not _KEY_RE.match(key):
        raise JiraFailure(
            f"not an issue key: {key!r} (the state file may be damaged)",
            hint="run `syncsvc push` to rebuild the state from Jira",
        )
    return key


def _host(url: str) -> str:
    return urlparse(url).hostname or url
