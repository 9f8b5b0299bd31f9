"""Logging to stderr as text or JSON lines, with secrets redacted on the way out."""

from __future__ import annotations

import json
import logging
import re
import sys
import time

_REDACT = [
    # `Authorization: Basic x`, and the header inside a dict's repr or JSON: `'Authorization': 'x'`
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(basic|bearer)?\s*[^\s,'\"}]+"),
     r"\1\2 [REDACTED]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"), "[REDACTED JWT]"),
    (re.compile(r"\b(ATATT|ya29\.|ghp_)[A-Za-z0-9_.=-]{8,}"), "[REDACTED TOKEN]"),
    (re.compile(r"(?i)(\"?(?:token|password|private_key|api_token|access_token)\"?\s*[:=]\s*)"
                r"(\"[^\"]*\"|'[^']*'|[^\s,}]+)"), r"\1[REDACTED]"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
     "[REDACTED PRIVATE KEY]"),
]


def redact(text: str) -> str:
    """Remove anything that looks like a credential from a log line."""
    for pattern, repl in _REDACT:
        text = pattern.sub(repl, text)
    return text


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info:  # a bug's traceback is kept in the log (for the report)
            text += "\n" + self.formatException(record.exc_info)
        return redact(text)


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
        if record.exc_info:
            entry["traceback"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(*, verbose: bool, log_format: str) -> None:
    """Send syncsvc's logs (and the HTTP libraries' warnings) to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if log_format == "json" else _TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("syncsvc").setLevel(logging.DEBUG if verbose else logging.WARNING)
