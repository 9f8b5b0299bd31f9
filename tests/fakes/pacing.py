"""Jira's write rate limit for load runs: a token bucket on a virtual clock in front of the fake.

A write (POST/PUT/DELETE other than the read-only POSTs) takes a token; without one the answer
is 429 with Retry-After (nothing done), as Jira Cloud does. The clock moves `per_call` seconds
per call and by every sleep the client makes (the tests record sleeps instead of sleeping), so
a run is paced as it would be at a real site, without waiting.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fakes.fake_jira import READ_POSTS, WRITE_METHODS


@dataclass
class Pacer:
    rate: float = 10.0  # writes a second, sustained
    burst: float = 100.0  # writes in a burst
    per_call: float = 0.02  # seconds a call takes (network and Jira), on the virtual clock
    sleeps: list[float] = field(default_factory=list)  # the client's sleeps (patched in)
    client_waits: bool = False  # a client in another process: count Retry-After as waited
    limited: int = 0  # 429 answers given
    calls: int = 0
    _tokens: float = -1.0
    _last: float = 0.0
    _slept: float = 0.0
    _counted: int = 0

    @property
    def clock(self) -> float:
        """Virtual seconds since the start."""
        if self._counted < len(self.sleeps):
            self._slept += sum(self.sleeps[self._counted :])
            self._counted = len(self.sleeps)
        return self.calls * self.per_call + self._slept

    def wrap(self, handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def call(request: Any) -> Any:
            self.calls += 1
            path = re.sub(r"^/rest/api/[^/]+/", "", urlsplit(request.url or "").path)
            if request.method in WRITE_METHODS and path not in READ_POSTS:
                now = self.clock
                if self._tokens < 0:
                    self._tokens = self.burst
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens < 1:
                    self.limited += 1
                    wait = math.ceil((1 - self._tokens) / self.rate)
                    if self.client_waits:
                        self._slept += wait
                    return (
                        429,
                        {"Retry-After": str(wait)},
                        json.dumps({"errorMessages": ["Rate limit exceeded."], "errors": {}}),
                    )
                self._tokens -= 1
            return handler(request)

        return call
