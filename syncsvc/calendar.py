"""Working-day calendar: Monday to Friday minus holidays, addressed by working-day index."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

_ONE = dt.timedelta(days=1)


class WorkCalendar:
    """Maps working-day indices (0 = the first working day on or after `start`) to dates."""

    def __init__(self, start: dt.date, holidays: Iterable[dt.date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.start = self.cur(start)
        self._days: list[dt.date] = [self.start]
        # the holidays on weekdays (the others are off anyway), in order: `wd` counts them
        self._off = sorted(d for d in self.holidays if d.weekday() < 5)

    def is_working(self, d: dt.date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def cur(self, d: dt.date) -> dt.date:
        """`d` when it is a working day, else the first working day after it."""
        while not self.is_working(d):
            d += _ONE
        return d

    def next(self, d: dt.date) -> dt.date:
        """The first working day after `d`."""
        return self.cur(d + _ONE)

    def prev(self, d: dt.date) -> dt.date:
        """The last working day before `d`."""
        d -= _ONE
        while not self.is_working(d):
            d -= _ONE
        return d

    def date(self, index: int) -> dt.date:
        """The date of working day `index` (negative indices count back from the start)."""
        if index < 0:
            d = self.start
            for _ in range(-index):
                d = self.prev(d)
            return d
        days = self._days
        if index >= len(days):
            d = days[-1]
            for _ in range(index - len(days) + 1):
                d = self.next(d)
                days.append(d)
        return days[index]

    def dates(self, last: int) -> list[dt.date]:
        """The dates of working days 0..`last` (and maybe more): `dates(n)[i] == date(i)` for
        0 <= i <= n, a list read by index instead of a call per date. Do not change it."""
        self.date(last)
        return self._days

    def index(self, d: dt.date) -> int:
        """The index of `cur(d)`: the working day on or after `d`."""
        d = self.cur(d)
        if d < self.start:
            n, x = 0, self.start
            while x > d:
                x = self.prev(x)
                n -= 1
            return n
        days = self._days
        while days[-1] < d:
            self.date(len(days) + max(16, len(days) // 2))
        return bisect.bisect_left(days, d)

    def wd(self, a: dt.date, b: dt.date) -> int:
        """Signed working days from `a` to `b`: those in (a, b], negated when b < a.

        wd(fri, next mon) = 1 and wd(d, d) = 0.
        """
        return self._count_to(b) - self._count_to(a)

    def _count_to(self, d: dt.date) -> int:
        # working days on or before d since 1 January of year 1 (a Monday, ordinal 1): five in
        # each whole week, the weekdays of the last part week, less the weekday holidays
        weeks, rest = divmod(d.toordinal(), 7)
        return weeks * 5 + min(rest, 5) - bisect.bisect_right(self._off, d)
