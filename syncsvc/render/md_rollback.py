"""Placeholder until the rollback section lands."""

from syncsvc.model import Plan


def section(plan: Plan) -> str:
    return ""
