"""What a push did (or, with dry_run, would do)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from syncsvc.errors import RemoteError


@dataclass
class PushReport:
    """What a push did (or, with dry_run, would do)."""

    plan_id: str
    project: str
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    linked: int = 0
    unlinked: int = 0
    removed_labelled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    error: str | None = None
    calls: int = 0
    planned: dict[str, int] = field(default_factory=dict)  # creates/updates/links to apply
    baseline_recorded: bool = False

    @property
    def status(self) -> Literal["success", "partial", "error"]:
        if not self.failed and self.error is None:
            return "success"
        done = self.created or self.updated or self.linked or self.unlinked or self.removed_labelled
        return "partial" if done else "error"

    def summary(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, unchanged "
            f"{self.unchanged}, linked {self.linked}, unlinked {self.unlinked}, labelled "
            f"removed {len(self.removed_labelled)}, failed {len(self.failed)}"
        )

    def left(self) -> str:
        """What is planned and not done yet, e.g. "3 creates, 40 links" ('' when nothing)."""
        left = {
            "creates": self.planned.get("creates", 0) - len(self.created),
            "updates": self.planned.get("updates", 0) - len(self.updated),
            "removed labels": self.planned.get("removed labels", 0) - len(self.removed_labelled),
            "links": self.planned.get("links", 0) - self.linked,
        }
        return ", ".join(f"{n} {k}" for k, n in left.items() if n > 0)

    def raise_for_status(self) -> None:
        """RemoteError (exit 1) naming what was done and what was not."""
        if self.status == "success":
            return
        todo = self.left()
        lines = [self.error] if self.error else []
        lines.append(f"Not done: {todo or 'the items that failed'}.")
        lines += self.failed[:10] + (
            [f"... and {len(self.failed) - 10} more"] if len(self.failed) > 10 else []
        )
        raise RemoteError(
            f"push of {self.plan_id} to Jira {self.project} stopped part-way. "
            f"Done: {self.summary()}.\n  " + "\n  ".join(lines),
            hint="fix the cause and run push again: it finishes the job without creating duplicates",
        )
