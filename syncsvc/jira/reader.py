"""Reading a plan's issues from Jira, shared by the push and the pull (neither imports the
other): the site's facts, the fields the push compares, and the plan's issues by key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncsvc.jira.adapter import JiraAdapter, SiteCache, SiteFields
from syncsvc.jira.payload import PROPERTY, Site


@dataclass(frozen=True)
class Prefetched:
    """The plan's issues (every field the push compares), already read by key during a pull."""

    issues: list[dict[str, Any]]
    site_fields: SiteFields


def site_facts(jira: JiraAdapter, start_field: str, cache: SiteCache | None) -> SiteFields:
    """The deployment type (sets `jira.is_cloud`) and the site's field ids; with a `cache`
    (the state's site facts), each is read once per site."""
    jira.server_info(cache=cache)
    return jira.site_fields(start_field, cache=cache)


def push_fields(jira: JiraAdapter, plan_id: str, site_fields: SiteFields) -> list[str]:
    """The fields the push compares (a read for the push reads at least these)."""
    return Site(jira.is_cloud, site_fields, "", plan_id, "", "").read_fields()


def read_by_key(jira: JiraAdapter, keys: list[str], fields: list[str]) -> list[dict[str, Any]]:
    """The issues of `keys` (in key order), with `fields` and the `syncsvc` property; a key
    Jira no longer has is left out."""
    return jira.fetch_issues(sorted(set(keys), key=_key_order), fields=fields, properties=[PROPERTY])


def _key_order(key: str) -> tuple[str, int]:
    project, _, num = key.rpartition("-")
    return project, int(num) if num.isdigit() else 0
