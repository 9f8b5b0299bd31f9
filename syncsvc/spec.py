"""The spec file: pydantic models of CONTRACT §1 and their cross-checks."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
)

from syncsvc.logs import CONTROL_CHARS
from syncsvc.model import Deployment, Level, TaskKind

MAX_TEXT = 20_000
MAX_TASKS = 20_000
GROUP_WORDS = frozenset({"team", "the team", "everyone", "all"})


def no_control_chars(value: str) -> str:
    """A text value without terminal control characters (C0 and C1 but tab and newline: an
    ESC in a name would drive the terminal showing the plan), or a ValueError saying where."""
    m = CONTROL_CHARS.search(value)
    if m:
        raise ValueError(
            f"contains the control character U+{ord(m.group()):04X} at position "
            f"{m.start() + 1}; remove it (only tabs and line breaks are allowed)"
        )
    return value


SLUG_RE = r"^[a-z0-9][a-z0-9-]{0,39}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(no_control_chars)]
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT, strip_whitespace=True),
    AfterValidator(no_control_chars),
]
# ISO 3166 country, optionally with a subdivision: "US", "DE-BY" (the `holidays` package's codes)
COUNTRY_RE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$"
CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_RE)]
Cadence = Literal["daily", "weekly", "biweekly", "monthly", "per-phase"]

_ESTIMATE_RE = re.compile(r"^(\d{1,6})([dw])$")
# An estimate of more than 40 years is a typo, and a bigger one would run dates off the calendar.
MAX_ESTIMATE_DAYS = 10_000
# The dates a plan may use: the calendar ends at 9999-12-31, and a plan needs room after its start.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_START = dt.date(8999, 12, 31)
_TIMELINE_RE = re.compile(r"^(\d{1,4})\s*(weeks?|days?)$")
_MONTHS_RE = re.compile(r"^(\d{1,3})\s*months?$")


def parse_estimate(value: Any) -> int:
    """`"3d"` → 3, `"2w"` → 10, `4` → 4 working days; anything else is a ValueError."""
    if type(value) is str:
        return _estimate_text(value)
    return _estimate(value)


@lru_cache(maxsize=4096)
def _estimate_text(value: str) -> int:
    # a spec repeats a few estimates ("3d", "1w") over thousands of tasks: each read once
    return _estimate(value)


def _estimate(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f'must be like "3d", "2w" or a whole number of days, not {value!r}')
    days: int | None = None
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"must not be negative (got {value})")
        days = value
    elif isinstance(value, str) and (m := _ESTIMATE_RE.match(value.strip())):
        days = int(m.group(1)) * (5 if m.group(2) == "w" else 1)
    if days is not None:
        if days > MAX_ESTIMATE_DAYS:
            shown = (
                f"{value!r} is {days} working days"
                if isinstance(value, str)
                else (f"{days} working days is too long")
            )
            raise ValueError(
                f"{shown}; an estimate may be at most {MAX_ESTIMATE_DAYS} working days (about 40 years)"
            )
        return days
    raise ValueError(
        f'cannot read estimate {value!r}: use "Nd" (working days), "Nw" (weeks of 5 days) '
        "or a whole number of days"
    )


def parse_range(value: Any) -> tuple[int, int]:
    """`"4d..9d"` → (4, 9): optimistic..pessimistic working days; anything else a ValueError."""
    if isinstance(value, str) and value.count("..") == 1:
        lo_text, hi_text = value.split("..")
        try:
            lo, hi = parse_estimate(lo_text.strip()), parse_estimate(hi_text.strip())
        except ValueError:
            pass
        else:
            if lo > hi:
                raise ValueError(
                    f"the optimistic end must come first (got {value!r}; "
                    f'write "{hi_text.strip()}..{lo_text.strip()}")'
                )
            return lo, hi
    raise ValueError(
        f'cannot read range {value!r}: use "Nd..Md" (optimistic..pessimistic, like "4d..9d" or "1w..3w")'
    )


def _in_weeks(value: Any) -> str:
    """The weeks to write for a timeline given in months (a PM's habit), or ""."""
    m = _MONTHS_RE.match(value.strip().lower()) if isinstance(value, str) else None
    if m is None or int(m.group(1)) < 1:
        return ""
    # a month is 52/12 weeks; the deadline counts whole weeks, so the PM picks the rounding
    return f" ({m.group(0)} is about {round(int(m.group(1)) * 52 / 12)} weeks)"


def parse_timeline(value: Any) -> tuple[int, Literal["weeks", "days"]]:
    """`"6 weeks"` → (6, "weeks"), `"30 days"` → (30, "days"), `6` → (6, "weeks")."""
    if isinstance(value, bool):
        raise ValueError(f'must be "N weeks", "N days" or a whole number of weeks, not {value!r}')
    if isinstance(value, int):
        n, unit = value, "weeks"
    elif isinstance(value, str) and (m := _TIMELINE_RE.match(value.strip().lower())):
        n, unit = int(m.group(1)), ("weeks" if m.group(2).startswith("week") else "days")
    else:
        raise ValueError(
            f'cannot read timeline {value!r}: use "N weeks", "N days" or a whole number of weeks'
            + _in_weeks(value)
        )
    if n < 1:
        raise ValueError(f"must be at least 1 {unit[:-1]} (got {n})")
    return n, unit  # type: ignore[return-value]


class _In(BaseModel):
    # strict: a "5" is not a 5, a 2027-01-04 string is not a date; TOML has real types for both.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TeamMember(_In):
    name: Name
    role: Text = ""
    jira: Text | None = None
    # percent of this person's time on the plan: their tasks take 100/allocation times longer
    allocation: Annotated[int, Field(ge=0, le=100)] = 100


class StakeholderSpec(_In):
    name: Name
    group: Text = ""
    influence: Level = "medium"
    interest: Level = "medium"
    cadence: Cadence | None = None
    notes: Text = ""


class TaskSpec(_In):
    id: Slug
    name: Name
    phase: Text = "build"
    estimate: int | None = None
    owner: Text | None = None
    depends_on: list[Slug] = Field(default_factory=list)
    risk: Level = "medium"
    kind: TaskKind = "task"
    # (optimistic, pessimistic) working days around `estimate`, for the confidence range
    estimate_range: tuple[int, int] | None = None

    @field_validator("estimate", mode="before")
    @classmethod
    def _estimate(cls, v: Any) -> int | None:
        return None if v is None else parse_estimate(v)

    @field_validator("estimate_range", mode="before")
    @classmethod
    def _range(cls, v: Any) -> tuple[int, int] | None:
        return None if v is None else parse_range(v)


class MitigationTaskSpec(_In):
    id: Slug
    name: Name
    estimate: int = 1
    before: Slug | None = None
    depends_on: list[Slug] = Field(default_factory=list)
    risk: Level | None = None
    owner: Text | None = None
    phase: Text = "build"

    @field_validator("estimate", mode="before")
    @classmethod
    def _estimate(cls, v: Any) -> int:
        return parse_estimate(v)


class RiskSpec(_In):
    title: Name
    likelihood: Level
    impact: Level
    owner: Text | None = None
    mitigation: Text = ""
    mitigation_task: MitigationTaskSpec | None = None


class TriggerSpec(_In):
    metric: Name
    operator: Literal[">", ">=", "<", "<=", "==", "!="]
    threshold: Annotated[float, Field(allow_inf_nan=False)] | int
    unit: Text = ""
    window_minutes: Annotated[int, Field(ge=1, le=100_000)]
    phase: Text | None = None


class RollbackSpec(_In):
    decision_maker: Text | None = None
    triggers: list[TriggerSpec] | None = None


class Spec(_In):
    """A validated spec; cross-references are checked by `syncsvc.specload.load_spec`."""

    feature_name: Name
    description: Text
    team_size: Annotated[int, Field(ge=1, le=100_000)]
    timeline: str | int
    risk_tolerance: Level
    plan_id: Slug | None = None
    jira_project: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,9}$")] | None = None
    pm: Text | None = None
    start_date: dt.date | None = None
    holidays: list[dt.date] = Field(default_factory=list)
    holidays_country: CountryCode | None = None
    users: Annotated[int, Field(ge=0)] | None = None
    # the kinds of change (change-profile ids, first = primary); None: detected from the text
    change_types: Annotated[list[Slug], Field(max_length=8)] | None = None
    deployment: Deployment | None = None
    flag_provider: Text | None = None
    flag_key: Text | None = None
    team: list[TeamMember] = Field(default_factory=list)
    stakeholders: list[StakeholderSpec] = Field(default_factory=list)
    tasks: Annotated[list[TaskSpec], Field(max_length=MAX_TASKS)] = Field(default_factory=list)
    risks: list[RiskSpec] = Field(default_factory=list)
    rollback: RollbackSpec | None = None
    version: Annotated[
        str, StringConstraints(min_length=1, max_length=40), AfterValidator(no_control_chars)
    ] = "v1"
    changelog: list[Text] = Field(default_factory=list)
    _label: str = PrivateAttr(default="spec")
    _defaulted: frozenset[str] = PrivateAttr(default=frozenset())  # keys filled by defaults

    @property
    def label(self) -> str:
        """Where the spec came from (its file name, or "quick inputs"), for error messages."""
        return self._label

    @property
    def defaulted(self) -> frozenset[str]:
        """The optional keys the file left out and the loader filled (e.g. plan_id)."""
        return self._defaulted

    @field_validator("timeline", mode="before")
    @classmethod
    def _timeline(cls, v: Any) -> Any:
        parse_timeline(v)  # before the type check: a boolean or a float gets the same message
        return v

    @property
    def timeline_parts(self) -> tuple[int, Literal["weeks", "days"]]:
        return parse_timeline(self.timeline)

    @property
    def timeline_text(self) -> str:
        n, unit = self.timeline_parts
        return f"{n} {unit[:-1] if n == 1 else unit}"

    @property
    def quick_mode(self) -> bool:
        """No tasks given: the timeline comes from the catalog's default task set."""
        return not self.tasks


def slugify(text: str) -> str:
    """A plan id from a feature name: lowercase, dashes, at most 40 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug or "plan"


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday)."""
    return today + dt.timedelta(days=7 - today.weekday())
