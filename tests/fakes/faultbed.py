"""A test bed for the fault matrix: fake Jira and fake Sheets on one `responses` mock, a call
counter shared by both, and an injector that kills, drops or fails call k; plus normalised
snapshots of both fakes' state (keys replaced by task ids) to compare two runs."""

from __future__ import annotations

import copy
import json
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from fakes.fake_jira import FakeJira
from fakes.jira_env import TOKEN_ENV
from fakes.pacing import Pacer
from fakes.sheets import SPREADSHEET_ID, FakeSheets, token_client_factory

from syncsvc.config import Config

# kill-before: the process dies as call k is sent (Jira/Sheets never see it);
# kill-after: the server did the work, then the process died before reading the answer;
# drop: the server did the work and the connection broke (the client sees a connection error);
# timeout: no answer in time, nothing done; 500/503: an error answer, nothing done;
# SIGINT/SIGTERM: the process signals itself while the call is in flight (the call completes).
MODES = ("kill-before", "kill-after", "drop", "timeout", "500")
LOGIN_PAGE = "<html><head><title>Sign in</title></head><body><form>...</form></body></html>"


class Killed(BaseException):
    """Stands for SIGKILL at a given call: nothing after it runs (not an Exception)."""


@dataclass
class Injector:
    """Counts every Jira and Sheets API call; at call `k` applies `mode` (0: never)."""

    k: int = 0
    mode: str = ""
    n: int = 0
    injected: int = 0
    log: list[str] = field(default_factory=list)

    def wrap(self, name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            self.n += 1
            self.log.append(name)
            if self.n != self.k:
                return handler(*args)
            self.injected += 1
            if self.mode == "kill-before":
                raise Killed(f"killed at call {self.n} ({name})")
            if self.mode == "timeout":
                raise requests.ReadTimeout(f"injected timeout at call {self.n}")
            if self.mode == "html":  # an SSO or proxy login page answers instead of Jira
                if name.startswith("sheets"):
                    return handler(*args)
                return 200, {"Content-Type": "text/html"}, LOGIN_PAGE
            if self.mode in ("500", "503"):
                return self._status(name, int(self.mode))
            if self.mode in ("SIGINT", "SIGTERM"):
                answer = handler(*args)
                os.kill(os.getpid(), signal.Signals[self.mode])
                return answer
            handler(*args)  # the server does the work; its answer never arrives
            if self.mode == "kill-after":
                raise Killed(f"killed after call {self.n} ({name}) was processed")
            raise requests.ConnectionError(f"injected drop after call {self.n} was processed")

        return call

    @staticmethod
    def _status(name: str, status: int) -> Any:
        body = {"errorMessages": ["injected"], "errors": {}}
        if name.startswith("sheets"):
            body = {"error": {"code": status, "message": "injected", "status": "INTERNAL"}}
            return body  # the Sheets handlers return a body; the wrapper answers 200 with it
        return status, {}, json.dumps(body)


@dataclass
class Bed:
    tmp: Path
    jira: FakeJira
    sheets: FakeSheets
    cfg: Config
    inj: Injector
    sleeps: list[float]

    def sheets_factory(self) -> Callable[[Any], Any]:
        return token_client_factory(self.sleeps)

    def calls(self) -> int:
        return self.inj.n

    def save(self) -> dict[str, Any]:
        """Both fakes' data and the state file's bytes (to start many cases from one set-up)."""
        self.cfg.state_path()  # the state is closed between runs: its file is complete
        j = self.jira
        return {
            "jira": copy.deepcopy({k: getattr(j, k) for k in _JIRA_DATA}),
            "sheets": copy.deepcopy({k: getattr(self.sheets, k) for k in _SHEETS_DATA}),
            "state": self.cfg.state_path().read_bytes() if self.cfg.state_path().exists() else None,
        }

    def load(self, saved: dict[str, Any]) -> None:
        for k, v in copy.deepcopy(saved["jira"]).items():
            setattr(self.jira, k, v)
        for k, v in copy.deepcopy(saved["sheets"]).items():
            setattr(self.sheets, k, v)
        if saved["state"] is not None:
            self.cfg.state_path().parent.mkdir(parents=True, exist_ok=True)
            self.cfg.state_path().write_bytes(saved["state"])
            self.cfg.state_path().chmod(0o600)


_JIRA_DATA = (
    "issues",
    "links",
    "history",
    "moved",
    "projects",
    "born",
    "_next_id",
    "_next_num",
    "_next_link",
    "_next_hist",
)
_SHEETS_DATA = ("spreadsheets", "_next_id")


def make_config(
    tmp: Path,
    base: str,
    email: str | None,
    *,
    sheets: bool = True,
    spreadsheet_id: str = SPREADSHEET_ID,
    max_retries: int = 4,
) -> Config:
    raw: dict[str, Any] = {
        "jira": {
            "url": base,
            "token_env": TOKEN_ENV,
            "project": "NOTIF",
            "epic_issue_type": "Epic",
            "max_retries": max_retries,
            "email": email,
        },
        "state": {"path": str(tmp / "state.db")},
        "base_dir": tmp,
    }
    if sheets:
        raw["sheets"] = {
            "spreadsheet_id": spreadsheet_id,
            "credentials_file": "key.json",
            "max_retries": max_retries,
            "timeout_seconds": 5,
        }
    return Config.model_validate(raw, strict=False)


@contextmanager
def fault_bed(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    k: int = 0,
    mode: str = "",
    pacer: Pacer | None = None,
    **fake_kw: Any,
) -> Iterator[Bed]:
    """Both fakes on one mock; every API call counted; call k gets `mode`; no real sleeping;
    with `pacer`, Jira's writes are rate-limited on its virtual clock."""
    inj = Injector(k, mode)
    jira = FakeJira(**fake_kw)
    jira._handle = inj.wrap("jira", jira._handle)  # type: ignore[method-assign]
    if pacer is not None:
        jira._handle = pacer.wrap(jira._handle)  # type: ignore[method-assign,assignment]
    sheets = FakeSheets()
    sheets.create_spreadsheet(SPREADSHEET_ID)
    for kind in ("get", "batch_update"):  # the handler runs after the fake's own checks
        real = getattr(sheets, f"_{kind}")
        setattr(sheets, f"_{kind}", _sheets_wrap(inj, f"sheets {kind}", real))
    sleeps: list[float] = pacer.sleeps if pacer is not None else []
    monkeypatch.setenv(TOKEN_ENV, jira.token)
    monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", sleeps.append)
    bed = Bed(tmp, jira, sheets, make_config(tmp, jira.base, jira.email), inj, sleeps)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        jira.install(rsps)
        sheets.install(rsps)
        yield bed
    assert jira.violations == [], jira.violations


def _sheets_wrap(inj: Injector, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    from fakes.sheets import _Refused

    wrapped = inj.wrap(name, real)

    def handler(request: Any, sid: str) -> Any:
        out = wrapped(request, sid)
        if isinstance(out, dict) and out.get("error", {}).get("message") == "injected":
            raise _Refused(out["error"]["code"], "injected", "INTERNAL")
        return out

    return handler


def run_killable(fn: Callable[[], Any]) -> str:
    """Run `fn`; 'killed', 'error: ...' (a SyncsvcError) or 'ok'."""
    from syncsvc.errors import SyncsvcError

    try:
        out = fn()
    except Killed:
        return "killed"
    except SyncsvcError as e:
        return f"error: {e.message.splitlines()[0]}"
    status = getattr(out, "status", None)
    failed = getattr(out, "failed", None)
    if status not in (None, "success") or failed:
        return f"partial: {status} {failed}"
    return "ok"


# -- snapshots -----------------------------------------------------------------------------------


def jira_state(fake: FakeJira) -> dict[str, Any]:
    """Issues, fields, labels, properties and links with every key replaced by the task id
    (from the `syncsvc` property); raises on a duplicate issue or link."""
    tid: dict[str, str] = {}
    for key, issue in fake.issues.items():
        prop = issue["properties"].get("syncsvc") or {}
        name = prop.get("task_id") or ("#epic" if prop.get("role") == "epic" else f"?{key}")
        if prop.get("plan_id") not in (None, "notif-center"):  # another plan: say which
            name = f"{prop['plan_id']}:{name}"
        assert name not in tid.values(), f"two issues hold {name}"
        tid[key] = name
    issues = {}
    for key, issue in fake.issues.items():
        fields = copy.deepcopy(issue["fields"])
        fields.pop("status", None)
        fields.pop("resolutiondate", None)
        if isinstance(fields.get("parent"), dict):
            fields["parent"] = tid.get(fields["parent"]["key"], "?")
        fields["labels"] = sorted(fields.get("labels") or [])
        props = copy.deepcopy(issue["properties"])
        for entry in (props.get("syncsvc") or {}).get("baselines") or []:
            entry.pop("recorded_at", None)  # the clock of the run that recorded it
        issues[tid[key]] = {"project": fields.pop("project")["key"], "fields": fields, "properties": props}
    links = [(t, tid.get(a, a), tid.get(b, b)) for t, a, b in fake.links.values()]
    assert len(links) == len(set(links)), "a duplicate link"
    return {"issues": issues, "links": sorted(links)}


def sheets_state(fake: FakeSheets, sid: str = SPREADSHEET_ID) -> list[Any]:
    """Every worksheet: title, grid properties, cells, widths and filter (sheet ids left out)."""
    out = []
    for s in fake.spreadsheets[sid].sheets:
        props = {k: v for k, v in s.props.items() if k != "sheetId"}
        cells = sorted((r, c, json.dumps(v, sort_keys=True)) for (r, c), v in s.cells.items())
        out.append(
            (
                json.dumps(props, sort_keys=True),
                cells,
                sorted(s.widths.items()),
                json.dumps(_no_ids(s.basic_filter), sort_keys=True),
            )
        )
    return out


def _no_ids(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _no_ids(x) for k, x in v.items() if k != "sheetId"}
    if isinstance(v, list):
        return [_no_ids(x) for x in v]
    return v
