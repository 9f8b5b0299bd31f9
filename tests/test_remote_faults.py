"""What comes back from Jira is untrusted, and a bad day is not a bug (issue 16 items 7-10, 12,
13; issue 14 items 2 and 7): endless paging, a deleted issue on a site without bulk reads, a
login page instead of JSON, odd shapes, time zones, the read budget and exit codes that route
alerts. Every case runs the real commands against the stateful fake Jira."""

from __future__ import annotations

import datetime as dt
import math
import socket
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import EXAMPLE
from test_track_cli import World, world
from urllib3.exceptions import MaxRetryError, NameResolutionError

from syncsvc.model import Plan
from syncsvc.state import State

AS_OF = "2027-01-06"


@pytest.fixture
def example(plan_of) -> Plan:
    return plan_of(EXAMPLE.read_text())


def done_at(w: World, task: str, when: dt.datetime) -> str:
    key = w.fake.key_of("notif-center", task)
    w.fake.move(key, "In Progress", when - dt.timedelta(hours=30))
    w.fake.move(key, "Done", when)
    return key


def check(w: World) -> Any:
    return w.cli("state", "check", str(w.spec), "--config", str(w.config))


def no_traceback(r: Any) -> None:
    assert "Traceback" not in r.output, r.output


# -- 16.7 endless paging -------------------------------------------------------------------------


def test_a_repeated_next_page_token_stops_the_read_and_frees_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.fake.stuck_pages = 50  # the changelog read pages for ever (the old client: for good)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 1, r.output
        assert "sent the same next page again" in r.stderr
        no_traceback(r)
        assert w.fake.page_calls <= 2
        w.fake.stuck_pages = 0
        r = w.run("sync", "--as-of", AS_OF)  # the lock went with the run: the next one works
        assert r.exit_code == 0, r.output
        # a push's search pages the same way
        w.fake.stuck_pages, w.fake.page_calls = 50, 0
        w.fake.fail("POST", r"^issue/bulkfetch$", 404)  # no-op guard: keep the bulk path real
        w.fake.faults.clear()
        (w.state_path).unlink()  # a lost state: the push must search the project
        r = w.run("push")
        assert r.exit_code == 1 and "sent the same next page again" in r.stderr, r.output
        assert w.fake.page_calls <= 2


def test_more_pages_than_the_bound_stop_the_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import syncsvc.jira.adapter as adapter

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.fake.page_size = 5  # 13 issues in 3 pages
        monkeypatch.setattr(adapter, "MAX_PAGES", 2)
        w.state_path.unlink()
        n = len(w.fake.calls)
        r = w.run("push")
        assert r.exit_code == 1 and "stopped after 2 pages" in r.stderr, r.output
        assert sum(c.path == "search/jql" for c in w.fake.calls[n:]) == 2


# -- 16.8 a deleted issue on a site without bulk reads ---------------------------------------


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
def test_a_deleted_issue_does_not_break_the_key_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cloud: bool
) -> None:
    with world(tmp_path, monkeypatch, cloud=cloud, bulk_reads=False) as w:
        assert w.run("push").exit_code == 0
        gone = w.fake.key_of("notif-center", "qa")
        w.fake.delete_issue(gone)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        assert w.fake.key_of("notif-center", "qa") != gone  # the push re-created it
        n = len(w.fake.calls)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        assert [c for c in w.fake.calls[n:] if c.write] == []
        r = check(w)
        assert r.exit_code == 0, r.output


# -- 16.9 HTML where JSON was expected -----------------------------------------------------------


@pytest.mark.parametrize("command", ["push", "pull", "sync", "state check"])
def test_a_login_page_instead_of_json_says_what_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.fake.html("GET", r".*", times=99)
        w.fake.html("POST", r".*", times=99)
        w.state_path.unlink() if command == "push" else None
        args = ["--as-of", AS_OF] if command in ("pull", "sync") else []
        r = w.cli(*command.split(), str(w.spec), "--config", str(w.config), *args)
        assert r.exit_code == 2, r.output
        assert "an HTML page titled 'Sign in - Example SSO' answered" in r.stderr
        assert "proxy or single sign-on" in r.stderr
        no_traceback(r)


# -- 16.10 odd shapes in Jira's answers -------------------------------------------------------


ODD_FIELDS: dict[str, Any] = {
    "assignee-string": ("assignee", "bob"),
    "assignee-list": ("assignee", ["bob"]),
    "labels-string": ("labels", "syncsvc"),
    "labels-numbers": ("labels", [1, 2]),
    "status-string": ("status", "Done"),
    "status-category-list": ("status", {"name": "Done", "statusCategory": ["done"]}),
    "resolution-garbage": ("resolutiondate", "yesterday-ish"),
    "resolution-number": ("resolutiondate", 1e300),
    "updated-year-9999": ("updated", "9999-12-31T23:59:59.000-1200"),
    "duedate-year-9999": ("duedate", "9999-12-31"),
    "duedate-bad": ("duedate", "2027-02-30"),
    "summary-dict": ("summary", {"text": "x"}),
    "priority-string": ("priority", "High"),
    "parent-no-key": ("parent", {"id": "1"}),
    "links-not-a-list": ("issuelinks", {"id": "1"}),
}


@pytest.mark.parametrize("case", sorted(ODD_FIELDS))
def test_odd_field_shapes_never_crash_a_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    field, value = ODD_FIELDS[case]
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        key = w.fake.key_of("notif-center", "backend-api")
        # no changelog: the dates come from the fields (resolutiondate when done, else updated)
        status = "Done" if field == "resolutiondate" else "In Progress"
        w.fake.issues[key]["fields"]["status"] = w.fake.statuses[status]
        w.fake.issues[key]["fields"][field] = value
        r = w.run("sync", "--as-of", AS_OF)
        w.fake.violations.clear()  # the fake's answers broke its own schema on purpose
        assert r.exit_code in (0, 3), r.output
        no_traceback(r)
        r = check(w)
        w.fake.violations.clear()
        assert r.exit_code in (0, 1), r.output
        no_traceback(r)


def test_odd_links_and_changelogs_never_crash_a_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        key = done_at(w, "design-review", dt.datetime(2027, 1, 5, 15, tzinfo=dt.UTC))
        hist: list[Any] = w.fake.history[key]  # odd entries on purpose
        hist.append({"id": "1", "created": "not a time", "items": [{"field": "status"}]})
        hist.append(
            {
                "id": "2",
                "created": "9999-12-31T23:59:59.000-1200",
                "items": [{"field": "status", "to": "10001", "toString": "Done"}],
            }
        )
        hist.append(
            {
                "id": "3",
                "created": "9999-06-30T10:00:00.000+0000",
                "items": [{"field": "status", "to": "10001", "toString": "Done"}],
            }
        )
        hist.append({"id": "4", "items": "status"})
        hist.append("a string, not a history")
        other = w.fake.key_of("notif-center", "qa")
        real_links = w.fake._issuelinks

        def links(k: str, index: Any = None) -> list[Any]:
            odd = [
                {"id": "9", "type": {"name": "Blocks"}, "outwardIssue": {"id": "5"}},
                {"id": "9", "type": "Blocks", "inwardIssue": {"key": other}},
                {"id": "9", "type": {"name": "Blocks"}, "inwardIssue": "NOTIF-1"},
                "not a link",
            ]
            return [*real_links(k, index), *odd]

        monkeypatch.setattr(w.fake, "_issuelinks", links)
        r = w.run("sync", "--as-of", AS_OF)
        w.fake.violations.clear()
        assert r.exit_code in (0, 3), r.output
        no_traceback(r)
        assert "outside" in r.stderr, r.output  # the year-9999 finish is named and ignored


def test_untrusted_issue_shapes_are_cleaned() -> None:
    from syncsvc.jira.untrusted import clean_issue, clean_issues

    assert clean_issue("NOTIF-1") is None
    assert clean_issue({"key": "NOTIF-1"}) is None  # no id
    assert clean_issue({"id": "1", "key": "not a key"}) is None
    assert clean_issues({"issues": []}) == []
    got = clean_issue(
        {
            "id": 7,
            "key": "NOTIF-1",
            "fields": {
                "assignee": "bob",
                "labels": ["a", 3],
                "duedate": "9999-99-99",
                "issuelinks": [
                    {"id": 1, "type": {"name": "Blocks"}, "outwardIssue": {"key": "NOTIF-2"}},
                    {"type": {"name": "Blocks"}, "inwardIssue": {"key": None}},
                ],
                "customfield_10015": {"x": 1},
            },
            "properties": {"syncsvc": "x"},
        }
    )
    assert got == {
        "id": "7",
        "key": "NOTIF-1",
        "properties": {},
        "fields": {
            "assignee": None,
            "labels": ["a"],
            "duedate": None,
            "customfield_10015": None,
            "issuelinks": [{"id": "1", "type": {"name": "Blocks"}, "outwardIssue": {"key": "NOTIF-2"}}],
        },
    }


# -- 16.12 a state file of another user, a pasted "…" ----------------------------------------


def test_a_state_file_owned_by_another_user_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.state_path.chmod(0o644)  # readable by others: the open tries to make it private

        def not_owner(*a: Any, **kw: Any) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr("syncsvc.state.os.chmod", not_owner)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 2, r.output
        assert "state file" in r.stderr and "another user" in r.stderr
        no_traceback(r)


@pytest.mark.parametrize("token", ["abc…", "abc’def", "abc\ndef"])
def test_a_token_with_a_pasted_character_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    from test_track_cli import TOKEN_ENV

    with world(tmp_path, monkeypatch) as w:
        monkeypatch.setenv(TOKEN_ENV, token)
        r = w.run("push")
        assert r.exit_code == 2, r.output
        assert TOKEN_ENV in r.stderr and "at position" in r.stderr
        assert "abc" not in r.stderr  # the token is never echoed
        assert w.fake.calls == []
        no_traceback(r)


def test_an_email_with_a_smart_quote_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        w.config.write_text(w.config.read_text().replace("pm@example.com", "pm@example.com”"))
        r = w.run("push")
        assert r.exit_code == 2, r.output
        assert "jira.email" in r.stderr and "right double quotation mark" in r.stderr
        assert w.fake.calls == []


# -- 16.13 time zones --------------------------------------------------------------------------


def test_dates_from_jira_are_read_in_the_configured_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    import json

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        # finished Tuesday Jan 5 at 17:00 in San Francisco: Wednesday 01:00 UTC
        done_at(w, "design-review", dt.datetime(2027, 1, 6, 1, tzinfo=dt.UTC))

        def finish(zone: str | None) -> str:
            text = w.config.read_text().split("\n[state]")
            head = "\n".join(x for x in text[0].splitlines() if not x.startswith("timezone"))
            if zone:
                head += f'\ntimezone = "{zone}"'
            w.config.write_text(head + "\n\n[state]" + text[1])
            r = w.run("pull", "--as-of", "2027-01-07", "--format", "json")
            assert r.exit_code == 0, r.output
            row = next(t for t in json.loads(r.stdout)["tasks"] if t["id"] == "design-review")
            return str(row["forecast_finish"])

        assert finish("America/Los_Angeles") == "2027-01-05"
        assert finish("UTC") == "2027-01-06"
        monkeypatch.setenv("TZ", "America/Los_Angeles")  # the default: the machine's zone
        import time

        time.tzset()
        try:
            assert finish(None) == "2027-01-05"
        finally:
            monkeypatch.setenv("TZ", "UTC")  # as the suite pins it (conftest)
            time.tzset()
        w.config.write_text(
            w.config.read_text().replace('project = "NOTIF"', 'project = "NOTIF"\ntimezone = "Mars/Olympus"')
        )
        r = w.run("pull", "--as-of", "2027-01-07")
        assert r.exit_code == 2 and "unknown time zone" in r.stderr


# -- 14.2 the read budget of a no-change sync ---------------------------------------------------


@pytest.mark.parametrize("epic", ["Epic", ""], ids=["epic", "no-epic"])
def test_every_no_change_sync_after_a_push_is_within_the_read_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan, epic: str
) -> None:
    with world(tmp_path, monkeypatch) as w:
        if not epic:
            w.config.write_text(
                w.config.read_text().replace('project = "NOTIF"', 'project = "NOTIF"\nepic_issue_type = ""')
            )
        assert w.run("push").exit_code == 0
        budget = 2 + 2 * math.ceil(len(example.tasks) / 100)
        for day in ("2027-01-04", "2027-01-05", "2027-01-06"):
            n = len(w.fake.calls)
            r = w.run("sync", "--as-of", day)
            assert r.exit_code == 0, r.output
            calls = [f"{c.method} {c.path}" for c in w.fake.calls[n:]]
            assert not any(c.write for c in w.fake.calls[n:]), calls
            assert len(calls) <= budget, calls
            assert "GET serverInfo" not in calls and "GET field" not in calls, calls
        assert "GET status" not in calls and "GET search/jql" not in calls, calls


def test_a_status_the_cache_does_not_know_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        assert w.run("sync", "--as-of", "2027-01-04").exit_code == 0
        # a workflow gains a status after the categories were cached
        w.fake.statuses["Building"] = {
            "id": "10077",
            "name": "Building",
            "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"},
        }
        key = w.fake.key_of("notif-center", "backend-api")
        w.fake.move(key, "Building", dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
        w.fake.move(key, "Done", dt.datetime(2027, 1, 8, 9, tzinfo=dt.UTC))
        import json

        r = w.run("pull", "--as-of", "2027-01-11", "--format", "json")
        assert r.exit_code == 0, r.output
        row = next(t for t in json.loads(r.stdout)["tasks"] if t["id"] == "backend-api")
        assert row["forecast_start"] == "2027-01-04"  # started when it moved to Building
        assert [c.path for c in w.fake.calls].count("status") == 2


# -- 14.7 exit codes that route alerts ----------------------------------------------------------


def test_an_unresolvable_host_is_exit_2_at_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    with world(tmp_path, monkeypatch) as w:
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", slept.append)

        def no_dns(*a: Any, **kw: Any) -> Any:
            reason = NameResolutionError(
                "jira.acme.test",
                None,  # type: ignore[arg-type]
                socket.gaierror(-2, "Name or service not known"),
            )
            raise requests.ConnectionError(MaxRetryError(None, "/", reason))  # type: ignore[arg-type]

        monkeypatch.setattr("syncsvc.jira.adapter.requests.Session.request", no_dns)
        r = w.run("push")
        assert r.exit_code == 2, r.output
        assert "does not resolve" in r.stderr and "check [jira] url" in r.stderr
        assert slept == []  # no retries: nothing left the machine
        no_traceback(r)


def test_a_placeholder_url_is_exit_2_before_any_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with world(tmp_path, monkeypatch) as w:
        w.config.write_text(w.config.read_text().replace(w.fake.base, "https://your-site.atlassian.net"))
        r = w.run("push")
        assert r.exit_code == 2 and "example value" in r.stderr, r.output
        assert w.fake.calls == []


def test_a_url_without_jira_behind_it_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with world(tmp_path, monkeypatch) as w:
        w.fake.fail("GET", r"^serverInfo$", 404)
        r = w.run("push")
        assert r.exit_code == 2 and "no Jira REST API at" in r.stderr, r.output
        no_traceback(r)


def test_a_silent_server_is_named_while_it_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = requests.Session.request
    with world(tmp_path, monkeypatch) as w:
        waits = {"n": 0}

        def slow(self: Any, method: str, url: str, **kw: Any) -> Any:
            if url.endswith("/serverInfo") and waits["n"] < 1:
                waits["n"] += 1
                raise requests.ReadTimeout("read timed out")
            return real(self, method, url, **kw)

        monkeypatch.setattr("syncsvc.jira.adapter.requests.Session.request", slow)
        r = w.run("push")
        assert r.exit_code == 0, r.output
        assert "has not answered within 30 s while reading the server info; trying again" in r.stderr


def test_site_facts_are_kept_in_the_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        with State.open(w.state_path) as s:
            assert s.site_value(f"server:{w.fake.base}") == {"deploymentType": "Cloud"}


def test_publish_names_a_login_page_in_front_of_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def login_page(self: Any, doing: str, method: str, url: str, **kw: Any) -> Any:
        r = requests.Response()
        r.status_code, r.url = 200, url
        r.headers["Content-Type"] = "text/html"
        r._content = b"<html><head><title>Proxy login</title></head><body>...</body></html>"
        return r

    with world(tmp_path, monkeypatch, sheets=True) as w:
        monkeypatch.setattr("syncsvc.sheets.adapter.GoogleSheets._call", login_page)
        r = w.run("publish")
        assert r.exit_code == 2, r.output
        assert "an HTML page titled 'Proxy login' answered instead of the Sheets API" in r.stderr
        no_traceback(r)


def test_a_lock_file_of_another_user_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        real_open = os.open

        def refused(path: Any, *a: Any, **kw: Any) -> int:
            if str(path).endswith(".lock"):
                raise PermissionError(13, "Permission denied")
            return real_open(path, *a, **kw)

        monkeypatch.setattr("syncsvc.lock.os.open", refused)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 2, r.output
        assert "cannot open the lock file" in r.stderr and "Permission denied" in r.stderr
        no_traceback(r)


@pytest.mark.parametrize(
    "doc",
    [
        {"sheets": ["Dashboard"]},
        {"sheets": [{"properties": {"title": "T", "sheetId": "x"}}]},
        {"sheets": [{"properties": {"title": "T", "gridProperties": {"rowCount": [1]}}}]},
        {"sheets": [{"properties": {"title": "T"}, "data": [{"startRow": 20_000_000, "rowData": [{}]}]}]},
        {"sheets": [{"properties": {"title": "T"}, "data": [{"rowData": ["a row"]}]}]},
    ],
    ids=["sheet-string", "id-string", "count-list", "row-far-away", "row-string"],
)
def test_an_odd_spreadsheet_answer_is_a_remote_error(doc: dict[str, Any]) -> None:
    from syncsvc.errors import RemoteError
    from syncsvc.sheets.diff import parse_remote

    with pytest.raises(RemoteError, match="unexpected shape"):
        parse_remote(doc)


def test_a_task_added_past_the_baseline_finish_is_synced_and_pushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_of
) -> None:
    # issue 16.5 end to end: the task waits for the last one, so it starts after the baseline's
    # finish; every sync raised IndexError and the task was never pushed
    from test_track_cli import add_task

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        base = plan_of(EXAMPLE.read_text())
        text = add_task(EXAMPLE.read_text(), "docs", "30d", ["staging"])
        grown = add_task(text, "handover", "2d", ["docs"])
        w.spec.write_text(grown)
        handover = next(t for t in plan_of(grown).tasks if t.id == "handover")
        assert handover.early_start > base.finish_date + dt.timedelta(days=3)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        assert w.fake.key_of("notif-center", "handover")  # pushed
        r = w.run("pull", "--as-of", AS_OF, "--fail-on-slip")
        assert r.exit_code == 3, r.output  # later than the baseline: slipping, and said so


def test_a_silent_sheets_is_named_while_it_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gspread

    real = gspread.http_client.HTTPClient.request
    waits = {"n": 0}

    def slow(self: Any, method: str, url: str, *a: Any, **kw: Any) -> Any:
        if method == "get" and waits["n"] < 1:
            waits["n"] += 1
            raise requests.ReadTimeout("read timed out")
        return real(self, method, url, *a, **kw)

    with world(tmp_path, monkeypatch, sheets=True) as w:
        monkeypatch.setattr("syncsvc.http.time.sleep", lambda s: None)
        monkeypatch.setattr(gspread.http_client.HTTPClient, "request", slow)
        r = w.run("publish")
        assert r.exit_code == 0, r.output
        assert (
            "Google Sheets has not answered within 30 s when trying to read the "
            "spreadsheet; trying again" in r.stderr
        )


def test_a_server_site_that_ignores_start_at_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch, cloud=False) as w:
        assert w.run("push").exit_code == 0
        real = w.fake._search

        def same_page(params: dict[str, list[str]], *, cloud: bool) -> Any:
            status, page = real({**params, "startAt": ["0"]}, cloud=cloud)
            w.fake.page_calls += 1
            assert w.fake.page_calls < 50, "the client kept paging"
            return status, {**page, "total": 10**9}  # and a total that never comes

        monkeypatch.setattr(w.fake, "_search", same_page)
        w.state_path.unlink()
        r = w.run("push")
        assert r.exit_code == 1 and "sent the same next page again" in r.stderr, r.output
        assert w.fake.page_calls == 2


def test_an_issue_deleted_between_two_reads_has_no_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch, bulk_reads=False) as w:
        assert w.run("push").exit_code == 0
        gone = w.fake.key_of("notif-center", "qa")
        gone_id = w.fake.issues[gone]["id"]
        w.fake.fail("GET", rf"^issue/{gone_id}/changelog$", 404)
        r = w.run("pull", "--as-of", AS_OF)
        assert r.exit_code == 0, r.output


def test_a_state_file_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0

        def readonly(*a: Any, **kw: Any) -> None:  # what SQLite says for a file of another user
            raise sqlite3.OperationalError("attempt to write a readonly database")

        monkeypatch.setattr("syncsvc.state.migrate", readonly)
        r = w.run("sync", "--as-of", AS_OF)
        assert r.exit_code == 2, r.output
        assert "cannot be written (attempt to write a readonly database)" in r.stderr
        assert "not a syncsvc state database" not in r.stderr  # it is one: say the real cause


def test_a_login_page_accepting_a_write_is_not_taken_for_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        key = w.fake.key_of("notif-center", "qa")
        w.spec.write_text(w.spec.read_text().replace('name = "QA', 'name = "Full QA', 1))
        w.fake.html("PUT", r"^issue/", times=99)
        r = w.run("push")
        assert r.exit_code == 2, r.output
        assert "an HTML page titled 'Sign in - Example SSO' answered" in r.stderr
        assert not w.fake.issues[key]["fields"]["summary"].startswith("Full QA")
        w.fake.faults.clear()
        assert w.run("push").exit_code == 0
        assert w.fake.issues[key]["fields"]["summary"].startswith("Full QA")


def test_remote_text_reaches_the_terminal_without_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syncsvc.jira.adapter import error_text

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        key = w.fake.key_of("notif-center", "qa")
        w.fake.issues[key]["fields"]["status"] = {
            **w.fake.statuses["In Progress"],
            "name": "Doing\x1b]0;owned\x07\x1b[2J",
        }
        r = w.run("pull", "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
        assert "Doing?]0;owned??[2J" in r.stdout and "\x1b" not in r.output
    assert error_text({"errorMessages": ["bad\x1b[31m"], "errors": {"f": "x\x9by"}}) == "bad?[31m; f: x?y"


def test_an_unusable_issue_in_a_server_search_page_does_not_shift_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world(tmp_path, monkeypatch, cloud=False) as w:
        assert w.run("push").exit_code == 0
        w.fake.page_size = 5  # 13 issues in 3 pages
        real = w.fake._search

        def one_odd(params: dict[str, list[str]], *, cloud: bool) -> Any:
            status, page = real(params, cloud=cloud)
            if page.get("startAt") == 0:  # a proxy mangles the first issue of the first page
                page = {**page, "issues": [{"id": "x", "key": None}, *page["issues"][1:]]}
            return status, page

        monkeypatch.setattr(w.fake, "_search", one_odd)
        w.state_path.unlink()  # the push finds its issues by searching
        r = w.run("push", "--dry-run")
        w.fake.violations.clear()
        assert r.exit_code == 0, r.output
        assert "sent the same next page again" not in r.stderr
        assert "without a usable key and id" in r.stderr


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_default_status_date_is_today_in_the_team_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    import json
    import zoneinfo

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        w.config.write_text(
            w.config.read_text().replace('project = "NOTIF"', f'project = "NOTIF"\ntimezone = "{zone}"')
        )
        before = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        r = w.run("pull", "--format", "json")  # UTC+14 and UTC-11: never the same date
        after = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        assert r.exit_code in (0, 3), r.output
        assert json.loads(r.stdout)["as_of"] in (before.isoformat(), after.isoformat())


def test_an_unresolvable_sheets_host_is_exit_2_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gspread

    slept: list[float] = []

    def no_dns(self: Any, method: str, url: str, *a: Any, **kw: Any) -> Any:
        reason = NameResolutionError(
            "sheets.acme.test",
            None,  # type: ignore[arg-type]
            socket.gaierror(-2, "Name or service not known"),
        )
        raise requests.ConnectionError(MaxRetryError(None, "/", reason))  # type: ignore[arg-type]

    with world(tmp_path, monkeypatch, sheets=True) as w:
        monkeypatch.setattr("syncsvc.http.time.sleep", slept.append)
        monkeypatch.setattr(gspread.http_client.HTTPClient, "request", no_dns)
        r = w.run("publish")
        assert r.exit_code == 2, r.output
        assert "does not resolve" in r.stderr and slept == []
        no_traceback(r)
        r = w.run("publish", "--dry-run")  # the offline preview still works
        assert r.exit_code == 0 and "offline preview" in r.stdout, r.output


def test_a_proxy_saying_ok_in_plain_text_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every read of a JSON answer goes through one check, the reads added with plan identity
    # (the newest key after a killed create, an issue property) too
    from syncsvc.config import load_config
    from syncsvc.jira.adapter import JiraConfigFailure, connect

    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        key = w.fake.key_of("notif-center", "qa")
        jira = connect(load_config(w.config).require_jira("t"))
        jira.server_info()
        w.fake.plain("GET", r"^(search/jql|issue/[^/]+/properties/syncsvc)$", "OK", times=2)
        with pytest.raises(JiraConfigFailure, match=r"not the expected JSON \(text/plain\)"):
            jira.highest_number('project = "NOTIF"', what="reading the newest key")
        with pytest.raises(JiraConfigFailure, match=r"not the expected JSON \(text/plain\)"):
            jira.get_property(key, "syncsvc")


def test_a_baseline_that_no_longer_reads_as_a_plan_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Plan
) -> None:
    with world(tmp_path, monkeypatch) as w:
        assert w.run("push").exit_code == 0
        broken = example.model_dump(mode="json")
        broken["tasks"][0]["duration_days"] = "a week"  # an edited or damaged record
        with State.open(w.state_path) as s:
            s.add_baseline("notif-center", broken, recorded_at="2027-01-05T00:00:00+00:00", note="damaged")
        r = w.run("pull", "--as-of", AS_OF)
        assert r.exit_code == 2, r.output
        assert "cannot be read as a plan (tasks.0.duration_days" in r.stderr
        assert "syncsvc baseline SPEC" in r.stderr
        no_traceback(r)
