"""One exception hierarchy; the CLI maps each class to a CONTRACT exit code."""

from __future__ import annotations


class SyncsvcError(Exception):
    """Base of every error a user can cause or fix; never shown with a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputError(SyncsvcError):
    """Bad spec, config, catalog or usage: exit 2, nothing written."""

    exit_code = 2


class SpecError(InputError):
    """A spec file (or the quick inputs) that cannot be planned."""


class ConfigError(InputError):
    """A config file or a catalog folder that cannot be used."""


class RemoteError(SyncsvcError):
    """A remote service (Jira, Sheets) failed after retries: exit 1."""

    exit_code = 1


class RemoteConfigError(RemoteError):
    """A remote answer that means the configuration is wrong (a refused credential, no access,
    no such site, project or spreadsheet, a host that does not resolve, a login page): exit 2."""

    exit_code = 2


class RemoteUnreachable(RemoteError):
    """A remote could not be reached at all (no network, DNS, a proxy): nothing was read."""


class SlipError(SyncsvcError):
    """`--fail-on-slip` and the critical path is slipping: exit 3."""

    exit_code = 3


class Interrupted(SyncsvcError):
    """SIGINT (exit 130) or SIGTERM (exit 143) stopped a run between batches; state is committed."""

    exit_code = 130

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int = 130) -> None:
        super().__init__(message, hint=hint)
        self.exit_code = exit_code


class LockHeldError(SyncsvcError):
    """Another `sync` holds the lock on the same state: exit 75."""

    exit_code = 75
