"""The working-day calendar (CONTRACT §2, §7) and the timeline's deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncsvc.calendar import WorkCalendar
from syncsvc.planning.build import deadline_for
from syncsvc.spec import Spec

D = dt.date
MON, TUE, WED, THU, FRI, SAT, SUN = (D(2027, 1, 4 + k) for k in range(7))
NEXT_MON = D(2027, 1, 11)


def test_working_days_are_monday_to_friday_minus_holidays() -> None:
    cal = WorkCalendar(MON, [WED])
    assert [cal.is_working(d) for d in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [
        True,
        True,
        False,
        True,
        True,
        False,
        False,
    ]


def test_cur_and_next() -> None:
    cal = WorkCalendar(MON, [NEXT_MON])
    assert cal.cur(FRI) == FRI
    assert cal.cur(SAT) == cal.cur(SUN) == D(2027, 1, 12)  # Monday is a holiday
    assert cal.next(FRI) == D(2027, 1, 12)
    assert cal.next(THU) == FRI
    assert cal.prev(D(2027, 1, 12)) == FRI


def test_wd_examples_of_contract_section_7() -> None:
    cal = WorkCalendar(MON)
    assert cal.wd(FRI, NEXT_MON) == 1
    assert cal.wd(MON, MON) == 0
    assert cal.wd(SAT, SAT) == 0
    assert cal.wd(NEXT_MON, FRI) == -1
    assert cal.wd(MON, NEXT_MON) == 5
    assert cal.wd(SAT, NEXT_MON) == 1  # (Sat, Mon]: only Monday
    assert cal.wd(FRI, SUN) == 0


def test_wd_skips_holidays_and_works_before_the_calendar_start() -> None:
    cal = WorkCalendar(NEXT_MON, [D(2027, 1, 6)])
    assert cal.wd(MON, NEXT_MON) == 4  # Tue, Thu, Fri, Mon (Wed is a holiday)
    assert cal.wd(NEXT_MON, MON) == -4
    assert cal.index(MON) == -4  # working days before the start count negative
    assert cal.date(-4) == MON


def test_start_on_a_weekend_or_holiday_is_the_first_working_day_after() -> None:
    assert WorkCalendar(SAT).start == NEXT_MON
    assert WorkCalendar(SAT, [NEXT_MON]).start == D(2027, 1, 12)


def test_date_and_index_round_trip_across_a_year_end() -> None:
    cal = WorkCalendar(D(2026, 12, 21), [D(2026, 12, 25), D(2027, 1, 1)])
    assert cal.date(0) == D(2026, 12, 21)
    assert cal.date(4) == D(2026, 12, 28)  # Mon 21..Thu 24, then Christmas and a weekend
    assert cal.date(8) == D(2027, 1, 4)  # Mon 28..Thu 31, New Year's Day off
    for i in range(-30, 60):
        assert cal.index(cal.date(i)) == i


def _naive_wd(a: dt.date, b: dt.date, holidays: frozenset[dt.date]) -> int:
    """Working days in (a, b], negated when b < a: counted one calendar day at a time."""
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    n, d = 0, lo
    while d < hi:
        d += dt.timedelta(days=1)
        n += d.weekday() < 5 and d not in holidays
    return sign * n


dates = st.integers(0, 400).map(lambda k: D(2026, 12, 1) + dt.timedelta(days=k))


@settings(max_examples=150, deadline=None)
@given(dates, dates, dates, st.frozensets(dates, max_size=30))
def test_wd_cur_next_match_a_day_by_day_count(
    start: dt.date, a: dt.date, b: dt.date, holidays: frozenset[dt.date]
) -> None:
    cal = WorkCalendar(start, holidays)
    assert cal.wd(a, b) == _naive_wd(a, b, holidays)
    assert cal.wd(a, b) == -cal.wd(b, a)
    c = cal.cur(a)
    assert cal.is_working(c) and c >= a and _naive_wd(a, c, holidays) == (0 if c == a else 1)
    n = cal.next(a)
    assert cal.is_working(n) and n > a and _naive_wd(a, n, holidays) == 1


@settings(max_examples=150, deadline=None)
@given(
    st.dates(D(1, 3, 15), D(9999, 10, 1)),
    st.integers(-60, 60),
    st.lists(st.integers(-70, 70), max_size=12),
)
def test_wd_counted_by_whole_weeks_matches_a_day_by_day_count_in_any_year(
    a: dt.date, span: int, offsets: list[int]
) -> None:
    # `wd` counts from 1 January of year 1 (a Monday): any year, holidays on any day
    b = a + dt.timedelta(days=span)
    holidays = frozenset(a + dt.timedelta(days=k) for k in offsets)
    assert WorkCalendar(a, holidays).wd(a, b) == _naive_wd(a, b, holidays)


# --- deadline (CONTRACT §2) ------------------------------------------------------------------

BASE = dict(feature_name="X", description="Y", team_size=2, risk_tolerance="medium")


@pytest.fixture
def spec_with() -> Callable[..., Spec]:
    def make(timeline: str | int, start: dt.date, holidays: tuple[dt.date, ...] = ()) -> Spec:
        return Spec.model_validate(
            {**BASE, "timeline": timeline, "start_date": start, "holidays": list(holidays)}
        )

    return make


@pytest.mark.parametrize(
    ("timeline", "start", "holidays", "deadline"),
    [
        # "N weeks": the last working day before start_date + 7N calendar days
        ("6 weeks", D(2027, 1, 4), (), D(2027, 2, 12)),  # the CONTRACT §4 example
        (6, D(2027, 1, 4), (), D(2027, 2, 12)),  # an integer is weeks
        ("1 week", D(2027, 1, 6), (), D(2027, 1, 12)),  # Wed start: the Tuesday a week later
        ("1 week", D(2027, 1, 9), (), D(2027, 1, 15)),  # Sat start: Sat + 7 = Sat, so Friday
        ("2 weeks", D(2027, 1, 4), (D(2027, 1, 15),), D(2027, 1, 14)),  # last Friday a holiday
        # "N days": the N-th working day, the first working day being day 1
        ("1 day", D(2027, 1, 4), (), D(2027, 1, 4)),
        ("5 days", D(2027, 1, 4), (), D(2027, 1, 8)),
        ("6 days", D(2027, 1, 4), (), D(2027, 1, 11)),
        ("5 days", D(2027, 1, 2), (), D(2027, 1, 8)),  # Sat start: day 1 is Monday
        ("5 days", D(2027, 1, 4), (D(2027, 1, 6),), D(2027, 1, 11)),
        ("30 days", D(2027, 1, 4), (), D(2027, 2, 12)),
    ],
)
def test_deadline(spec_with, timeline, start, holidays, deadline) -> None:
    spec = spec_with(timeline, start, holidays)
    assert deadline_for(spec, WorkCalendar(start, holidays)) == deadline


def test_dates_by_index_are_the_calendar_dates() -> None:
    import datetime as dt

    from syncsvc.calendar import WorkCalendar

    cal = WorkCalendar(dt.date(2027, 1, 1), {dt.date(2027, 1, 6), dt.date(2027, 2, 1)})
    days = cal.dates(40)
    assert len(days) >= 41
    fresh = WorkCalendar(dt.date(2027, 1, 1), {dt.date(2027, 1, 6), dt.date(2027, 2, 1)})
    assert [days[i] for i in range(41)] == [fresh.date(i) for i in range(41)]
    assert cal.dates(3) is days  # no copy: the list is read, not changed
