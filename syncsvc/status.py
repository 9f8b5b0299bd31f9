"""The typed status of a tracked plan, from the forecast to the dashboard (CONTRACT §4, §7).

`TaskStatus` is what Jira says of a task; `forecast` turns those into a `Status`; a sync adds the
slip trend of its earlier runs and the Jira key of every pushed task, giving one
`TrackedStatus` that the dashboard, the status Markdown, the JSON output and the state read.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["new", "indeterminate", "done"]
StateWord = Literal["on_track", "at_risk", "slipping"]
STATUS_SCHEMA = "syncsvc.status/1"


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """A task's status as read from Jira."""

    category: Category
    status: str = ""
    issue_key: str | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskForecast(_Out):
    """One task of the forecast: what the dashboard, the status Markdown and the JSON show."""

    id: str
    issue_key: str | None
    status: str
    status_category: Category
    baseline_finish: dt.date
    forecast_start: dt.date
    forecast_finish: dt.date
    slip_days: int
    critical: bool
    baseline_critical: bool
    buffer_days: int
    buffer_used_days: int
    total_float: int


class EarnedSchedule(_Out):
    """Earned-schedule figures in working days (50/50 rule for work in progress)."""

    planned_duration: int
    actual_time: int
    earned_schedule: float
    spi_t: float | None
    sv_t: float
    ieac_t: float | None


class StatusConfidence(_Out):
    """The Monte Carlo range of the remaining work (CONTRACT §4 `pull` `confidence`)."""

    p50: dt.date
    p80: dt.date
    p95: dt.date
    deadline_probability: float | None
    samples: int
    seed: int


class Status(_Out):
    """The forecast of a tracked plan: `pull --format json` prints it (CONTRACT §4)."""

    schema_: str = Field(default=STATUS_SCHEMA, alias="schema")
    plan_id: str
    as_of: dt.date
    baseline_finish: dt.date
    forecast_finish: dt.date
    slip_days: int
    state: StateWord
    tasks: list[TaskForecast]
    critical_path: list[str]
    earned: EarnedSchedule
    confidence: StatusConfidence | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TrendPoint(_Out):
    """One run's plan-level forecast, for the slip trend."""

    as_of: dt.date
    state: StateWord
    slip_days: int
    forecast_finish: dt.date

    @classmethod
    def of(cls, status: Status) -> TrendPoint:
        return cls(
            as_of=status.as_of,
            state=status.state,
            slip_days=status.slip_days,
            forecast_finish=status.forecast_finish,
        )


class TrackedStatus(_Out):
    """What is known of a tracked plan: the forecast (None before the first pull), the slip
    trend (oldest first, this run's point last) and the Jira key of each pushed task."""

    forecast: Status | None = None
    trend: list[TrendPoint] = Field(default_factory=list)
    issue_keys: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def of(
        cls,
        forecast: Status | None,
        *,
        history: Iterable[Mapping[str, Any]] = (),
        issue_keys: Mapping[str, str] | None = None,
    ) -> TrackedStatus:
        """The status of this run: `history` holds earlier runs' points (the state's
        snapshots, oldest first); this run's point replaces one of the same status date."""
        by_day: dict[dt.date, TrendPoint] = {}  # one point per status date: the latest run's
        for p in history:
            point = TrendPoint.model_validate({k: p[k] for k in _POINT})
            by_day[point.as_of] = point
        if forecast is not None:
            by_day.pop(forecast.as_of, None)
            by_day[forecast.as_of] = TrendPoint.of(forecast)
        return cls(forecast=forecast, trend=list(by_day.values()), issue_keys=dict(issue_keys or {}))

    def snapshot_json(self) -> dict[str, Any]:
        """The forecast's `syncsvc.status/1` object with the trend: what the state keeps."""
        if self.forecast is None:
            raise ValueError("no forecast to keep")
        out = self.forecast.model_dump(mode="json", by_alias=True)
        out["trend"] = [p.model_dump(mode="json") for p in self.trend]
        return out

    # -- what the dashboard reads (None where no forecast was made yet) -------------------------

    @functools.cached_property
    def _tasks(self) -> dict[str, TaskForecast]:
        return {t.id: t for t in self.forecast.tasks} if self.forecast else {}

    def task(self, task_id: str) -> TaskForecast | None:
        """The task's forecast, if a pull made one."""
        return self._tasks.get(task_id)

    def issue_key(self, task_id: str) -> str | None:
        """The task's Jira key: as the pull read it, else as the push recorded it."""
        t = self._tasks.get(task_id)
        return (t.issue_key if t else None) or self.issue_keys.get(task_id)

    @property
    def as_of(self) -> dt.date | None:
        return self.forecast.as_of if self.forecast else None

    @property
    def forecast_finish(self) -> dt.date | None:
        return self.forecast.forecast_finish if self.forecast else None

    @property
    def slip_days(self) -> int | None:
        return self.forecast.slip_days if self.forecast else None

    @property
    def state(self) -> StateWord | None:
        return self.forecast.state if self.forecast else None

    @property
    def p80(self) -> dt.date | None:
        """Today's P80 finish of the remaining work (Monte Carlo)."""
        conf = self.forecast.confidence if self.forecast else None
        return conf.p80 if conf else None

    @property
    def deadline_probability(self) -> float | None:
        conf = self.forecast.confidence if self.forecast else None
        return conf.deadline_probability if conf else None

    @property
    def tasks_done(self) -> int | None:
        """Tasks whose status category is done; None when no status was pulled yet."""
        if not self._tasks:
            return None
        return sum(1 for t in self._tasks.values() if t.status_category == "done")


_POINT = ("as_of", "state", "slip_days", "forecast_finish")
