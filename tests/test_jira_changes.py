"""The pure diff: desired issues from a plan, and the changes against state and Jira."""

from __future__ import annotations

import pytest
from fakes.jira_env import plan, task

from syncsvc.errors import ConfigError
from syncsvc.jira.changes import (
    AddLink,
    Desired,
    RemoteIssue,
    RemoveLink,
    desired_issues,
    desired_links,
    diff,
    diff_issue,
)
from syncsvc.jira.mapping import JiraMapping, Templates, load_jira_mapping
from syncsvc.jira.payload import jql_quote
from syncsvc.state import IssueRecord

LABELS = {"critical": "syncsvc-critical", "removed": "syncsvc-removed"}


def _desired(**kw: object) -> dict[str, Desired]:
    p = plan([task("a", critical=True), task("b", deps=("a",), start=2, risk="high")])
    return desired_issues(
        p,
        load_jira_mapping(),
        default_issue_type="Task",
        assignees={"Mike": "acc-1"},
        epic_key="N-1",
        with_start=True,
        **kw,
    )


def test_desired_values_follow_the_mapping() -> None:
    d = _desired()
    assert d["b"].values["priority"] == "High" and d["a"].values["priority"] == "Medium"
    assert d["a"].values["assignee"] == "acc-1" and d["a"].values["epic"] == "N-1"
    assert d["a"].values["duedate"] == "2027-01-05" and d["a"].values["start"] == "2027-01-04"
    assert "Depends on: a." in d["b"].values["description"]
    assert desired_links(plan([task("a"), task("b", deps=("a",))])) == {("a", "b")}


def test_unchanged_record_gives_no_change_and_one_field_gives_one_update() -> None:
    d = _desired()
    recs = {t: IssueRecord(t, f"N-{i + 2}", str(i), x.hash, x.values) for i, (t, x) in enumerate(d.items())}
    remote = {t: RemoteIssue(t, r.issue_key, r.issue_id, frozenset(), {}) for t, r in recs.items()}
    ch = diff(d, recs, remote, {}, set(), set(), LABELS)
    assert ch.writes() == 0 and ch.unchanged == 2
    moved = {**d["a"].values, "duedate": "2027-01-09"}
    up = diff_issue(Desired("a", "Task", moved), recs["a"], None, LABELS)
    assert up is not None and up.changed() == ["duedate"]
    assert up.sentence() == "update N-2: duedate 2027-01-05 → 2027-01-09"


def test_links_are_added_and_only_own_links_removed() -> None:
    d = _desired()
    recs = {"a": IssueRecord("a", "N-2"), "b": IssueRecord("b", "N-3"), "c": IssueRecord("c", "N-4")}
    remote = {t: RemoteIssue(t, r.issue_key, "", frozenset(), {}) for t, r in recs.items()}
    jira_links = {("N-4", "N-3"): "900", ("N-3", "N-2"): "901"}  # c blocks b (ours), b blocks a
    ch = diff(d, recs, remote, jira_links, made_links={("c", "b")}, want_links={("a", "b")}, labels=LABELS)
    assert ch.link_adds == [AddLink("a", "b")]
    assert ch.link_removes == [RemoveLink("c", "b", "900")]  # b blocks a is not ours: kept
    assert [m.key for m in ch.removals] == ["N-4"]


def test_rebuilt_issue_is_compared_with_jira_and_labels_diffed() -> None:
    d = _desired()["a"]
    rem = RemoteIssue(
        "a",
        "N-2",
        "7",
        frozenset({"syncsvc", "syncsvc-removed"}),
        {k: v for k, v in d.values.items() if k != "critical"},
    )
    up = diff_issue(d, None, rem, LABELS)
    assert up is not None and up.changed() == [] and up.add_labels == ("syncsvc-critical",)
    assert up.remove_labels == ("syncsvc-removed",)


def test_jql_quote_escapes() -> None:
    assert jql_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert jql_quote("x\x01") == '"x\\u0001"'


def test_templates_refuse_unknown_or_unsafe_fields() -> None:
    with pytest.raises(ValueError, match="unknown template field"):
        Templates(summary="{name.__class__}")
    with pytest.raises(ValueError, match="unknown template field"):
        Templates(summary="{secret}")
    assert JiraMapping().priority("high") == "High"


def test_a_user_mapping_file_replaces_the_bundled_one(tmp_path) -> None:
    (tmp_path / "jira.toml").write_text('[templates]\nsummary = "[{phase}] {name}"\n')
    m = load_jira_mapping(tmp_path)
    assert m.templates.summary == "[{phase}] {name}" and m.labels.critical == "syncsvc-critical"
    (tmp_path / "jira.toml").write_text('[labels]\ncritical = "has space"\n')
    with pytest.raises(
        ConfigError,
        match=r"jira\.toml:2: labels\.critical: must be a Jira label: 1-255 characters, no spaces",
    ):
        load_jira_mapping(tmp_path)
