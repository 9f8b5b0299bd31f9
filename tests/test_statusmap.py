"""Jira status to task state: categories, overrides by name, actual dates from the changelog."""

from __future__ import annotations

import datetime as dt

from syncsvc.jira.statusmap import StatusMapping, load_status_mapping, status_transitions, task_status

CATS = {"1": "new", "3": "indeterminate", "10001": "done"}


def _hist(when: str, to: str, name: str) -> dict:
    return {"created": when, "items": [{"field": "status", "fieldId": "status", "to": to, "toString": name}]}


def _issue(name: str, cat: str, **fields: object) -> dict:
    return {"key": "P-1", "fields": {"status": {"name": name, "statusCategory": {"key": cat}}, **fields}}


def test_reopened_issue_finishes_when_last_closed() -> None:
    histories = [
        _hist("2027-01-05T09:00:00.000+0000", "3", "In Progress"),
        _hist("2027-01-08T16:00:00.000+0000", "10001", "Done"),
        _hist("2027-01-11T10:00:00.000+0000", "3", "In Progress"),  # reopened
        _hist("2027-01-13T17:30:00.000+0000", "10001", "Done"),
    ]
    st = task_status(_issue("Done", "done"), status_transitions(reversed(histories)), StatusMapping(), CATS)
    assert st.category == "done"
    assert st.actual_start == dt.date(2027, 1, 5) and st.actual_finish == dt.date(2027, 1, 13)


def test_reopened_and_open_now_is_in_progress_without_a_finish() -> None:
    histories = [
        _hist("2027-01-05T09:00:00+00:00", "3", "In Progress"),
        _hist("2027-01-08T16:00:00+00:00", "10001", "Done"),
        _hist("2027-01-11T10:00:00+00:00", "3", "In Progress"),
    ]
    st = task_status(
        _issue("In Progress", "indeterminate"), status_transitions(histories), StatusMapping(), CATS
    )
    assert st.category == "indeterminate" and st.actual_finish is None
    assert st.actual_start == dt.date(2027, 1, 5)


def test_resolutiondate_is_the_fallback_finish() -> None:
    st = task_status(
        _issue("Closed", "done", resolutiondate="2027-01-07T12:00:00.000+0100"), [], StatusMapping(), CATS
    )
    assert st.actual_finish == dt.date(2027, 1, 7) and st.actual_start == dt.date(2027, 1, 7)


def test_local_status_names_map_by_category_not_name() -> None:
    st = task_status(_issue("In Arbeit", "indeterminate"), [], StatusMapping(), CATS)
    assert st.category == "indeterminate" and st.status == "In Arbeit"


def test_override_by_status_name_wins() -> None:
    mapping = StatusMapping(names={"Blocked": "indeterminate"})
    st = task_status(_issue("BLOCKED", "new"), [], mapping, CATS)
    assert st.category == "indeterminate"


def test_timezone_decides_the_day() -> None:
    histories = [_hist("2027-01-05T23:30:00.000+0000", "3", "In Progress")]
    st = task_status(
        _issue("In Progress", "indeterminate"),
        status_transitions(histories),
        StatusMapping(),
        CATS,
        tz=dt.timezone(dt.timedelta(hours=2)),
    )
    assert st.actual_start == dt.date(2027, 1, 6)


def test_bundled_status_mapping_loads() -> None:
    assert load_status_mapping().names == {}
