"""Logging to stderr as text or JSON lines, with secrets redacted on the way out."""

from __future__ import annotations

import json
import logging
import re
import sys
import time

_REDACT = [
    # `Authorization: Basic x`, and the header inside a dict's repr or JSON: `'Authorization': 'x'`
    (
        re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(basic|bearer)?\s*[^\s,'\"}]+"),
        r"\1\2 [REDACTED]",
    ),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"), "[REDACTED JWT]"),
    (re.compile(r"\b(ATATT|ya29\.|ghp_)[A-Za-z0-9_.=-]{8,}"), "[REDACTED TOKEN]"),
    (
        re.compile(
            r"(?i)(\"?(?:token|password|private_key|api_token|access_token)\"?\s*[:=]\s*)"
            r"(\"[^\"]*\"|'[^']*'|[^\s,}]+)"
        ),
        r"\1[REDACTED]",
    ),
    (
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
        "[REDACTED PRIVATE KEY]",
    ),
]


# C0 and C1 control characters but tab and newline
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def redact(text: str) -> str:
    """Remove anything that looks like a credential from a log line, and the terminal control
    characters a remote answer may carry (they would drive the terminal showing the log)."""
    for pattern, repl in _REDACT:
        text = pattern.sub(repl, text)
    return CONTROL_CHARS.sub("\ufffd", text)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info:  # `log.exception` promises a traceback: keep it (redacted)
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ("plan_id", "command", "event", "calls", "issue_key", "task_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:  # one JSON line still: the traceback is a string field
            entry["traceback"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(*, verbose: bool, log_format: str) -> None:
    """Send syncsvc's logs (and the HTTP libraries' warnings) to stderr in the chosen format.

    Python warnings (a library's deprecation notice) go through logging too, so they never break
    a JSON log, and only show with -v: they are for the developer, not the person at cron.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if log_format == "json" else _TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("syncsvc").setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING if verbose else logging.CRITICAL)


def error_lines(
    message: str,
    hint: str | None,
    *,
    log_format: str,
    exit_code: int,
    prefix: str = "Error",
    level: str = "error",
) -> list[str]:
    """A user error as stderr lines: `Error: …` (a spec's further problems on lines of their
    own) and its hint; or, with JSON logs, one JSON object holding the message, hint and code."""
    message = redact(message)
    if log_format != "json":
        return [f"{prefix}: {message}"] + ([f"  hint: {hint}"] if hint else [])
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return [
        json.dumps(
            {
                "ts": ts,
                "level": level,
                "logger": "syncsvc",
                "message": message,
                **({"hint": hint} if hint else {}),
                "exit_code": exit_code,
            },
            ensure_ascii=False,
        )
    ]
