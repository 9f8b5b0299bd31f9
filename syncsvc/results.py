"""One result type for the commands that talk to Jira and Sheets, and one exit-code policy.

`push`, `publish`, `pull`, `sync` and `state check` each return a `Result`: a status, the
operation's own report, the plan it was about, and for a run that stopped part-way the error
that says what was done and what was not. `exit_code` is the only place that turns a result
into CONTRACT §3's exit code; errors raised before a result exists carry their own code
(`SyncsvcError.exit_code`: 2 bad input, 1 remote failure, 75 lock held, 130/143 interrupted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from syncsvc.errors import InputError, RemoteError, SlipError, SyncsvcError

if TYPE_CHECKING:
    from syncsvc.model import Plan

R = TypeVar("R")

Status = Literal["success", "slipping", "partial", "error", "invalid"]
"""success: all done. slipping: done, and the critical path is slipping. partial: stopped
part-way (some writes done). error: failed, nothing done (or, for `state check`, Jira disagrees
with the state). invalid: bad input (for `sync`, one of its specs)."""

# exit codes by status (CONTRACT §3); slipping is 3 only with --fail-on-slip
_EXIT: dict[str, int] = {
    "success": 0,
    "partial": RemoteError.exit_code,
    "error": RemoteError.exit_code,
    "invalid": InputError.exit_code,
}


@dataclass(frozen=True)
class Result(Generic[R]):
    """What a push, publish, pull, sync or state check did."""

    status: Status
    report: R  # the operation's own report (PushReport, PublishReport, PullResult, ...)
    plan: Plan | None = None  # the plan it was about (None for a sync of several)
    error: SyncsvcError | None = None  # why it stopped part-way (partial, error), to print

    @property
    def ok(self) -> bool:
        return self.status in ("success", "slipping")

    def raise_for_status(self) -> None:
        """Raise the error of a run that stopped part-way (for library callers who want it)."""
        if self.error is not None:
            raise self.error


def exit_code(result: Result[Any], *, fail_on_slip: bool = False) -> int:
    """CONTRACT §3's exit code of a result: 0 success; 1 a remote failure (partial or not) or,
    for `state check`, Jira disagreeing; 2 bad input; 3 slipping with `--fail-on-slip`
    (else 0)."""
    if result.status == "slipping":
        return SlipError.exit_code if fail_on_slip else 0
    return _EXIT[result.status]
