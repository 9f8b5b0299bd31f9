"""What a lost state file is rebuilt from: the plan's feature and baselines, kept in Jira as
properties of the plan's epic (the `syncsvc` property holds an index, one compressed chunk per
`syncsvc-baseline-<n>-<part>` property holds the plan JSON)."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from syncsvc.errors import InputError
from syncsvc.model import Plan
from syncsvc.state import Baseline, State

log = logging.getLogger("syncsvc.jira")

CHUNK = 30_000  # characters of base64 per property (Jira allows 32,768 per value)


def chunk_key(n: int, part: int) -> str:
    return f"syncsvc-baseline-{n}-{part}"


def _blob(plan_json: dict[str, Any]) -> str:
    raw = json.dumps(plan_json, sort_keys=True, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode()


def index_entry(n: int, b: Baseline) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """The index entry of the n-th baseline (1-based) and its chunk properties."""
    blob = _blob(b.plan_json)
    parts = [blob[i : i + CHUNK] for i in range(0, len(blob), CHUNK)] or [""]
    entry = {
        "n": n,
        "recorded_at": b.recorded_at,
        "note": b.note,
        "parts": len(parts),
        "sha": hashlib.sha256(blob.encode()).hexdigest()[:16],
    }
    return entry, [(chunk_key(n, p + 1), {"data": part}) for p, part in enumerate(parts)]


def to_store(
    baselines: Sequence[Baseline], index: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
    """The index for `baselines`, and the chunk properties Jira lacks (those whose entry
    differs from the stored `index`)."""
    have = {_n(e): e for e in index if isinstance(e, dict)}
    entries: list[dict[str, Any]] = []
    chunks: list[tuple[str, Any]] = []
    for n, b in enumerate(baselines, 1):
        entry, props = index_entry(n, b)
        entries.append(entry)
        if have.get(n) != entry:
            chunks += props
    return entries, chunks


def _n(entry: dict[str, Any]) -> int:
    """An index entry's number (remote data: anything not a number sorts first, as 0)."""
    n = entry.get("n")
    return n if isinstance(n, int) and not isinstance(n, bool) else 0


def restore(index: Sequence[dict[str, Any]], read: Callable[[str], Any], plan_id: str) -> list[Baseline]:
    """The baselines an index names, read chunk by chunk through `read(property key)`; an
    entry with a missing or damaged chunk is left out (and so are the later ones)."""
    out: list[Baseline] = []
    for e in sorted((e for e in index if isinstance(e, dict)), key=_n):
        try:
            n, parts = int(e["n"]), int(e["parts"])
            blob = ""
            for p in range(1, parts + 1):
                value = read(chunk_key(n, p))
                blob += str(value["data"]) if isinstance(value, dict) else ""
            if hashlib.sha256(blob.encode()).hexdigest()[:16] != e.get("sha"):
                break
            plan_json = json.loads(zlib.decompress(base64.b64decode(blob)))
        except (KeyError, TypeError, ValueError, zlib.error):
            break
        if not isinstance(plan_json, dict):
            break
        out.append(Baseline(0, plan_id, str(e.get("recorded_at", "")), str(e.get("note", "")), plan_json))
    return out


def epic_property(
    plan: Plan, baselines: Sequence[Baseline], stored: dict[str, Any] | None
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """The epic's `syncsvc` property for the plan's feature and `baselines`, and the chunk
    properties that the `stored` property's index lacks."""
    entries, chunks = to_store(baselines, (stored or {}).get("baselines") or [])
    prop = {
        "plan_id": plan.plan_id,
        "task_id": None,
        "role": "epic",
        "feature_name": plan.feature_name,
        "baselines": entries,
    }
    return prop, chunks


def check_identity(
    plan: Plan,
    state: State,
    epic_key: str | None,
    epic_prop: dict[str, Any] | None,
    read: Callable[[str], Any],
    *,
    project: str,
    dry_run: bool,
) -> bool:
    """Refuse (exit 2, nothing written) a spec of another feature than the one the state or the
    epic in Jira holds under this plan_id; rebuild lost baselines from the epic (`read` reads
    one of its properties). True when the state is being rebuilt from Jira."""
    pid, feature = plan.plan_id, plan.feature_name
    baselines = state.baselines(pid)
    restored: list[Baseline] = []
    index = (epic_prop or {}).get("baselines")
    if not baselines and epic_key and isinstance(index, list) and index:
        restored = restore(index, read, pid)
    names = [str(b.plan_json.get("feature_name")) for b in baselines or restored]
    if names and names[-1] != feature:
        where = f"the state {state.path}" if baselines else f"the epic {epic_key} in Jira"
        raise InputError(
            f"plan_id {pid!r} belongs to the feature {names[-1]!r} (its baseline in {where}); "
            f"this spec is {feature!r}. Nothing was written",
            hint="give this spec its own plan_id; if the feature was renamed, record a new "
            'baseline first: syncsvc baseline SPEC --config FILE --note "renamed"',
        )
    in_jira = (epic_prop or {}).get("feature_name")
    if isinstance(in_jira, str) and in_jira != feature and in_jira not in names:
        raise InputError(
            f"plan_id {pid!r} in Jira {project} belongs to the feature {in_jira!r} (epic "
            f"{epic_key}); this spec is {feature!r}. Nothing was written",
            hint="give this spec its own plan_id (two specs share this one)",
        )
    if restored and not dry_run:
        state.put_baselines(pid, restored)
        log.warning(
            "plan %s: %d baseline(s) rebuilt from the epic %s (the state had none)",
            pid,
            len(restored),
            epic_key,
        )
    return bool(restored)
