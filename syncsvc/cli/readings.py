"""When the kind of change was read narrowly, let the PM at a terminal choose it.

Only in an interactive terminal (stdin and stdout both a TTY), for Markdown output, outside CI,
and only when the spec or the options did not set `change_types`: a script, a pipe, `--format
json` or a CI job never waits for an answer. The question and the `change_types = [...]` line
to put in the spec go to stderr, so the plan on stdout stays the plan.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from syncsvc.model import Plan

# environment variables that say a CI job runs the command (GitHub, GitLab, Jenkins, Buildkite...)
_CI_VARS = ("CI", "BUILD_NUMBER", "JENKINS_URL", "TEAMCITY_VERSION", "TF_BUILD")


def interactive() -> bool:
    """Both ends of the command are a person's terminal, and no CI job runs it."""
    if any(os.environ.get(v) for v in _CI_VARS):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def candidates(plan: Plan) -> list[str]:
    """The kinds of change a narrow reading names (the leading one first), or [] when the plan
    was read clearly, was not recognised at all, or had its kinds set by hand."""
    if not plan.change_profiles or any(p.source == "spec" for p in plan.change_profiles):
        return []
    note = next((f for f in plan.findings if f.kind == "low_coverage"), None)
    return list(dict.fromkeys(note.subjects)) if note is not None else []


def choose(
    kinds: Sequence[str],
    titles: dict[str, str],
    *,
    ask: Callable[[str], str] = input,
    err: TextIO | None = None,
) -> str:
    """Ask which of `kinds` the change is; Enter keeps the first. Three wrong answers keep the
    first too (the plan is still made, never blocked on a typo)."""
    err = err if err is not None else sys.stderr
    print("syncsvc is not sure what kind of change this is:", file=err)
    for i, k in enumerate(kinds, 1):
        lead = " (read first)" if i == 1 else ""
        print(f"  {i}) {k}: {titles.get(k, k)}{lead}", file=err)
    for _ in range(3):
        print(f"Which is it? [1-{len(kinds)}, Enter = 1]: ", end="", file=err, flush=True)
        try:
            answer = ask("").strip()
        except EOFError:
            return kinds[0]
        if not answer:
            return kinds[0]
        if answer.isdigit() and 1 <= int(answer) <= len(kinds):
            return kinds[int(answer) - 1]
        if answer in kinds:
            return answer
        print(f"  Answer a number from 1 to {len(kinds)}.", file=err)
    return kinds[0]


def chosen_kinds(plan: Plan, kind: str) -> list[str]:
    """The chosen kind first, then the plan's other detected kinds in their order."""
    return [kind, *(p.id for p in plan.change_profiles if p.id != kind)]


def spec_line(kinds: Sequence[str]) -> str:
    """The line that sets the kinds in the spec, so the next run does not ask."""
    return "change_types = [" + ", ".join(f'"{k}"' for k in kinds) + "]"
