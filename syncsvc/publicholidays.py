"""A country's public holidays (the `holidays` package), and `--holidays FILE|DATES` parsing."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syncsvc.calendar import WorkCalendar
    from syncsvc.spec import Spec

MAX_HOLIDAY_FILE = 1024 * 1024
# How far past the start a plan may run and still have its country's holidays listed.
YEARS_AHEAD = 30


def _split(code: str) -> tuple[str, str | None]:
    country, _, subdiv = code.upper().partition("-")
    return country, subdiv or None


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    import holidays

    return {k: list(v) for k, v in holidays.list_supported_countries().items()}


def country_problem(code: str) -> str | None:
    """Why `code` is not a country (or country-subdivision) the holidays package knows; None if
    it is one."""
    country, subdiv = _split(code)
    known = _supported()
    if country not in known:
        near = difflib.get_close_matches(country, list(known), n=3)
        tail = f"; did you mean {', '.join(near)}?" if near else ""
        return f"unknown country code '{code}'{tail} (use an ISO 3166 code such as US, GB, DE, FR or IN)"
    if subdiv is not None and subdiv not in {s.upper() for s in known[country]}:
        shown = ", ".join(known[country][:12]) + (" …" if len(known[country]) > 12 else "")
        return f"'{country}' has no subdivision '{subdiv}' (known: {shown or 'none'})"
    return None


@lru_cache(maxsize=16)
def country_holidays(code: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    """The public holidays of a checked country code from `first_year` to `last_year`."""
    import holidays

    country, subdiv = _split(code)
    subdivs = {s.upper(): s for s in _supported()[country]}
    with warnings.catch_warnings():  # "available only from 2001 to 2035": years past it are empty
        warnings.simplefilter("ignore")
        found: Any = holidays.country_holidays(
            country, subdiv=subdivs.get(subdiv) if subdiv else None, years=range(first_year, last_year + 1)
        )
        return frozenset(found.keys())


def holidays_of(spec: Spec) -> frozenset[dt.date]:
    """The spec's `holidays` and, with `holidays_country`, that country's public holidays
    (from the start year on, YEARS_AHEAD years)."""
    own = frozenset(spec.holidays)
    if spec.holidays_country is None or spec.start_date is None:
        return own
    first = spec.start_date.year
    return own | country_holidays(spec.holidays_country, first, first + YEARS_AHEAD)


def listed_holidays(spec: Spec, cal: WorkCalendar, finish: dt.date) -> list[dt.date]:
    """The holidays a plan lists: the spec's own, and the country's up to a year after `finish`
    (the forecast may run past the plan's finish)."""
    end = finish + dt.timedelta(days=366)
    return sorted(set(spec.holidays) | {d for d in cal.holidays if cal.start <= d <= end})


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_holiday_dates(value: str, *, option: str = "--holidays") -> list[dt.date]:
    """`--holidays`: a comma-separated list of YYYY-MM-DD dates, or a file of them (one or more
    per line, commas or spaces between, `#` comments). ValueError names what is wrong."""
    text, where = value, option
    stripped = value.strip()
    looks_like_dates = all(_DATE_RE.match(p.strip()) for p in stripped.split(",") if p.strip())
    if not looks_like_dates or not stripped:
        p = Path(value).expanduser()
        if not p.is_file():
            raise ValueError(
                f"{option}: {value!r} is neither a file nor a list of dates (YYYY-MM-DD, comma-separated)"
            )
        if p.stat().st_size > MAX_HOLIDAY_FILE:
            raise ValueError(
                f"{option}: {value!r} is larger than {MAX_HOLIDAY_FILE // 1024} KB; "
                "a holiday file lists dates, one or more per line"
            )
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ValueError(f"{option}: cannot read {value!r} ({e})") from None
        where = p.name
    out: list[dt.date] = []
    for n, line in enumerate(text.splitlines() or [text], start=1):
        for part in re.split(r"[,\s]+", line.split("#", 1)[0]):
            if not part:
                continue
            try:
                out.append(dt.date.fromisoformat(part) if _DATE_RE.match(part) else _bad(part))
            except ValueError:
                line_ref = f":{n}" if where != option else ""
                raise ValueError(f"{where}{line_ref}: {part!r} is not a date; use YYYY-MM-DD") from None
    return sorted(set(out))


def _bad(part: str) -> dt.date:
    raise ValueError(part)
