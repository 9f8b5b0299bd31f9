"""A read-only view of a forecast status (CONTRACT §4 `syncsvc.status/1`) for the worksheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskStatus:
    """What the Timeline shows for one task once it was pushed or pulled."""

    issue_key: str | None = None
    status: str | None = None
    status_category: str | None = None
    forecast_finish: dt.date | None = None
    slip_days: int | None = None
    critical: bool | None = None  # critical in the forecast schedule


@dataclass(frozen=True)
class TrendPoint:
    """One earlier (or the current) run's plan-level forecast, for the slip trend."""

    as_of: dt.date | None
    state: str | None
    slip_days: int | None
    forecast_finish: dt.date | None


@dataclass(frozen=True)
class StatusView:
    """Plan-level forecast figures and per-task status, all optional."""

    as_of: dt.date | None = None
    forecast_finish: dt.date | None = None
    slip_days: int | None = None
    state: str | None = None
    tasks: dict[str, TaskStatus] = field(default_factory=dict)
    trend: tuple[TrendPoint, ...] = ()  # oldest first, the current run last
    p80: dt.date | None = None  # today's P80 finish of the remaining work (Monte Carlo)
    deadline_probability: float | None = None

    @property
    def tasks_done(self) -> int | None:
        """Tasks whose status category is done; None when no status was pulled yet."""
        if not any(t.status_category for t in self.tasks.values()):
            return None
        return sum(1 for t in self.tasks.values() if t.status_category == "done")


def status_view(status: object | None) -> StatusView | None:
    """Read a status given as the status JSON (a mapping) or as an object with the same
    attribute names (a pydantic model); None stays None."""
    if status is None:
        return None
    if hasattr(status, "model_dump"):
        status = status.model_dump(mode="json")
    tasks: dict[str, TaskStatus] = {}
    for t in _get(status, "tasks") or []:
        tid = _get(t, "id")
        if tid is None:
            continue
        tasks[str(tid)] = TaskStatus(
            issue_key=_str(_get(t, "issue_key")),
            status=_str(_get(t, "status")),
            status_category=_str(_get(t, "status_category")),
            forecast_finish=_date(_get(t, "forecast_finish")),
            slip_days=_int(_get(t, "slip_days")),
            critical=_bool(_get(t, "critical")),
        )
    trend = tuple(
        TrendPoint(
            as_of=_date(_get(p, "as_of")),
            state=_str(_get(p, "state")),
            slip_days=_int(_get(p, "slip_days")),
            forecast_finish=_date(_get(p, "forecast_finish")),
        )
        for p in _get(status, "trend") or []
    )
    conf = _get(status, "confidence")
    chance = _get(conf, "deadline_probability") if conf is not None else None
    return StatusView(
        p80=_date(_get(conf, "p80")) if conf is not None else None,
        deadline_probability=None if chance is None else float(chance),
        as_of=_date(_get(status, "as_of")),
        forecast_finish=_date(_get(status, "forecast_finish")),
        slip_days=_int(_get(status, "slip_days")),
        state=_str(_get(status, "state")),
        tasks=tasks,
        trend=trend,
    )


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def _bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))
