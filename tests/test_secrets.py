"""Secrets: a canary Jira token and a canary service-account key go through every command, failure
path and log format, and show up nowhere (output, logs, state, exports, exception text); config
files that hold a secret instead of naming where it lives are refused without echoing it."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import responses
from conftest import EXAMPLE, PLANNING_COMMANDS
from fakes.fake_jira import FakeJira
from fakes.jira_server import serve
from fakes.sheets import SPREADSHEET_ID, FakeSheets
from typer.testing import CliRunner, Result

from syncsvc.cli import app
from syncsvc.config import load_config
from syncsvc.errors import ConfigError
from syncsvc.logs import redact, setup_logging

CANARY_TOKEN = "ATATT3xFfGF0Canary0Token0c4n4ry7e57" + "0" * 8 + "=ABCD1234"
EMAIL = "pm@example.com"
TOKEN_ENV = "SYNCSVC_CANARY_TOKEN"
SPEC = str(EXAMPLE)
PLANNING = PLANNING_COMMANDS


@dataclass
class Bed:
    """A fake Jira on a loopback port (real HTTP: urllib3 and its logging run), a fake Sheets
    API, a config naming both, and every secret in play."""

    tmp: Path
    jira: FakeJira
    sheets: FakeSheets
    config: Path
    key: dict[str, str]
    runs: int = 0
    seen: list[str] = field(default_factory=list)

    def canaries(self) -> list[str]:
        pem = [x for x in self.key["private_key"].splitlines() if len(x) > 40]
        basic = base64.b64encode(f"{EMAIL}:{CANARY_TOKEN}".encode()).decode()
        issued = [t for t in self.sheets.tokens if t.startswith("ya29.")]
        return [CANARY_TOKEN, CANARY_TOKEN[:20], basic, *pem, "PRIVATE KEY", "eyJhbGciOi", *issued]

    def invoke(self, *args: str, allowed: tuple[int, ...] = (0,)) -> Result:
        r = CliRunner().invoke(app, [a.replace("CFG", str(self.config)) for a in args])
        self.runs += 1
        assert r.exit_code in allowed, (args, r.exit_code, r.output)
        texts = [r.stdout, r.stderr]
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            texts.append(repr(r.exception))
        self.seen += texts
        self.assert_clean(*texts)
        return r

    def assert_clean(self, *texts: str) -> None:
        for text in texts:
            for canary in self.canaries():
                assert canary not in text, f"{canary[:12]}... leaked in: {text[:400]}"

    def assert_files_clean(self) -> None:
        """Every file the runs left (state DB and its WAL, exports, outputs), as bytes."""
        mine = {self.config, self.tmp / "key.json"}
        for p in self.tmp.rglob("*"):
            if p.is_file() and p not in mine:
                data = p.read_bytes()
                for canary in self.canaries():
                    assert canary.encode() not in data, f"{canary[:12]}... leaked in {p.name}"


@pytest.fixture
def bed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bed]:
    with (
        serve(email=EMAIL, token=CANARY_TOKEN) as jira,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        rsps.add_passthru(jira.base)
        sheets = FakeSheets().install(rsps)
        sheets.create_spreadsheet(SPREADSHEET_ID)
        key = sheets.service_account()
        (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
        config = tmp_path / "syncsvc.toml"
        config.write_text(
            f'[jira]\nurl = "{jira.base}"\nemail = "{EMAIL}"\ntoken_env = "{TOKEN_ENV}"\n'
            'project = "NOTIF"\nmax_retries = 1\ntimeout_seconds = 5\n\n'
            f'[sheets]\nspreadsheet_id = "{SPREADSHEET_ID}"\ncredentials_file = "key.json"\n'
            'max_retries = 0\ntimeout_seconds = 5\n\n[state]\npath = "state/state.db"\n',
            encoding="utf-8",
        )
        monkeypatch.setenv(TOKEN_ENV, CANARY_TOKEN)
        monkeypatch.setattr("syncsvc.jira.adapter.time.sleep", lambda s: None)
        b = Bed(tmp_path, jira, sheets, config, key)
        yield b
        b.assert_files_clean()


LOGS = [[], ["-v"], ["-v", "--log-format", "json"]]


@pytest.mark.parametrize("logs", LOGS, ids=["quiet", "text", "json"])
def test_every_command_keeps_the_canaries_secret(bed: Bed, logs: list[str]) -> None:
    for command in PLANNING:
        bed.invoke(command, SPEC, "--config", "CFG", *logs)
    bed.invoke(
        "create-rollout-plan",
        SPEC,
        "--config",
        "CFG",
        "--format",
        "json",
        "--output",
        str(bed.tmp / "plan.json"),
        *logs,
    )
    bed.invoke("export", SPEC, "--config", "CFG", "--out", str(bed.tmp / "bundle"), *logs)
    bed.invoke("push", SPEC, "--config", "CFG", "--dry-run", *logs)
    bed.invoke("push", SPEC, "--config", "CFG", *logs)
    bed.invoke("publish", SPEC, "--config", "CFG", *logs)
    bed.invoke("pull", SPEC, "--config", "CFG", "--format", "json", *logs)
    bed.invoke("sync", SPEC, "--config", "CFG", *logs)
    bed.invoke("baseline", SPEC, "--config", "CFG", "--note", "canary run", *logs)
    bed.invoke("state", "check", SPEC, "--config", "CFG", *logs)
    assert bed.jira.writes() and bed.sheets.api_calls("batchUpdate")  # the secrets were used
    if "json" in logs:
        lines = [x for x in bed.seen[1::2] if x.strip()]  # stderr of each run
        assert lines, "-v --log-format json logged something"


# Each failure: how to inject it, the command, the exit code expected.
FAILURES: dict[str, tuple[Callable[[Bed], None], list[str], int]] = {
    "jira-401": (lambda b: b.jira.fail("GET", r"^serverInfo$", 401), ["push"], 2),
    "jira-403": (lambda b: b.jira.fail("POST", r"^issue/bulk$", 403, times=5), ["push"], 2),
    "jira-500": (lambda b: b.jira.fail("POST", r"^issueLink$", 500, times=50), ["push"], 1),
    "jira-429-storm": (
        lambda b: b.jira.fail("GET", r"^serverInfo$", 429, times=50, headers={"Retry-After": "1"}),
        ["push"],
        1,
    ),
    "jira-lost-answer": (lambda b: b.jira.drop("POST", r"^issue/bulk$", times=3), ["push"], 0),
    # pull reads serverInfo once per site (cached in the state): the bulk read meets the 401
    "jira-401-on-pull": (lambda b: b.jira.fail("POST", r"^issue/bulkfetch$", 401), ["pull"], 2),
    "jira-401-on-check": (lambda b: b.jira.fail("GET", r"^serverInfo$", 401), ["state", "check"], 2),
    "jira-500-on-sync": (lambda b: b.jira.fail("POST", r"^issue/bulkfetch$", 500, times=50), ["sync"], 1),
    "sheets-token-401": (lambda b: b.sheets.fail_next("token", 401, times=5), ["publish"], 1),
    "sheets-403": (lambda b: b.sheets.fail_next("get", 403), ["publish"], 2),
    "sheets-500": (lambda b: b.sheets.fail_next("batchUpdate", 500), ["publish"], 1),
    "sheets-timeout": (lambda b: b.sheets.fail_next("get", 0), ["publish"], 1),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
@pytest.mark.parametrize("logs", LOGS[1:], ids=["text", "json"])
def test_failure_paths_keep_the_canaries_secret(bed: Bed, name: str, logs: list[str]) -> None:
    inject, command, code = FAILURES[name]
    if command[0] in ("pull", "sync") or command == ["state", "check"]:
        bed.invoke("push", SPEC, "--config", "CFG")  # something to read back
    inject(bed)
    r = bed.invoke(*command, SPEC, "--config", "CFG", *logs, allowed=(code,))
    if code and "json" in logs:  # every stderr line is JSON, the error among them
        entries = [json.loads(line) for line in r.stderr.splitlines()]
        assert any(e["level"] == "error" for e in entries) and "Traceback" not in r.output
    elif code:
        assert "Error: " in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize("broken", ["truncated", "garbled", "wrong-type"])
def test_a_bad_key_file_is_refused_without_echoing_it(bed: Bed, broken: str) -> None:
    key = dict(bed.key)
    pem = key["private_key"]
    if broken == "truncated":
        key["private_key"] = pem[: len(pem) // 2]
    elif broken == "garbled":
        key["private_key"] = pem.replace("A", "!", 3)
    else:
        key["type"] = "authorized_user"
    (bed.tmp / "key.json").write_text(json.dumps(key), encoding="utf-8")
    for logs in LOGS:
        r = bed.invoke("publish", SPEC, "--config", "CFG", *logs, allowed=(1, 2))
        assert "key" in r.stderr.lower()
    assert bed.sheets.api_calls() == 0


def test_logs_redact_authorization_headers_in_every_shape() -> None:
    basic = base64.b64encode(f"{EMAIL}:{CANARY_TOKEN}".encode()).decode()
    for line in (
        f"Authorization: Basic {basic}",
        f"{{'Authorization': 'Basic {basic}', 'Accept': 'application/json'}}",
        f'{{"Authorization": "Bearer {CANARY_TOKEN}"}}',
        f"send: b'GET /rest/api/2/serverInfo HTTP/1.1\\r\\nauthorization: Basic {basic}'",
        f"token={CANARY_TOKEN}",
        f"the token {CANARY_TOKEN} was refused",
        "assertion=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJwdWJsaXNoZXIifQ.c2lnbmF0dXJl",
    ):
        out = redact(line)
        assert CANARY_TOKEN not in out and basic not in out and "eyJhbGciOi" not in out, out
        assert "REDACTED" in out


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_http_library_debug_logs_pass_through_the_redacting_formatter(
    log_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even when a user turns the HTTP libraries' own loggers up to DEBUG, what they log (here:
    the headers a request would carry) goes out redacted."""
    basic = base64.b64encode(f"{EMAIL}:{CANARY_TOKEN}".encode()).decode()
    setup_logging(verbose=True, log_format=log_format)
    try:
        for name in ("urllib3.connectionpool", "requests", "jira", "google.auth"):
            lg = logging.getLogger(name)
            lg.setLevel(logging.DEBUG)
            lg.debug("headers: %s", {"Authorization": f"Basic {basic}", "Accept": "*/*"})
            lg.warning("retrying with token %s", CANARY_TOKEN)
    finally:
        for name in ("urllib3.connectionpool", "requests", "jira", "google.auth"):
            logging.getLogger(name).setLevel(logging.NOTSET)
        setup_logging(verbose=False, log_format="text")
    err = capsys.readouterr().err
    assert "REDACTED" in err and basic not in err and CANARY_TOKEN not in err
    if log_format == "json":
        assert all(json.loads(x)["message"] for x in err.splitlines())


# -- secrets written into the config are refused, never echoed ----------------------------------

PEM = (
    "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7canary"
    "\\n-----END PRIVATE KEY-----\\n"
)
JIRA = '[jira]\nurl = "https://x.atlassian.net"\nproject = "NOTIF"\n'
SHEETS = f'[sheets]\nspreadsheet_id = "{SPREADSHEET_ID}"\n'


@pytest.mark.parametrize(
    ("text", "where", "secret"),
    [
        (JIRA + f'token = "{CANARY_TOKEN}"\n', "jira.token", CANARY_TOKEN),
        (JIRA + 'password = "hunter2-canary"\n', "jira.password", "hunter2-canary"),
        (JIRA + f'api_token = "{CANARY_TOKEN}"\n', "jira.api_token", CANARY_TOKEN),
        (JIRA + f'token_env = "{CANARY_TOKEN}"\n', "jira.token_env", CANARY_TOKEN),
        (JIRA + 'token_env = "k8Fq2Lz9Xw4Rt7Yp1Nc6Vb3M"\n', "jira.token_env", "k8Fq2Lz9Xw4Rt7Yp1Nc6Vb3M"),
        (JIRA + f'email = "{CANARY_TOKEN}"\n', "jira.email", CANARY_TOKEN),
        (SHEETS + f'private_key = "{PEM}"\n', "sheets.private_key", "MIIEvQIBADAN"),
        (SHEETS + f'credentials_file = "{PEM}"\n', "sheets.credentials_file", "MIIEvQIBADAN"),
        (
            SHEETS + f'credentials = {{ type = "service_account", private_key = "{PEM}" }}\n',
            "sheets.credentials",
            "MIIEvQIBADAN",
        ),
        (SHEETS + f'[sheets.extra]\nnote = "{PEM}"\n', "sheets.extra.note", "MIIEvQIBADAN"),
    ],
)
def test_a_config_holding_a_secret_is_refused_without_echoing_it(
    tmp_path: Path, text: str, where: str, secret: str
) -> None:
    path = tmp_path / "syncsvc.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"syncsvc.toml: {where}: ")
    assert secret not in message and "PRIVATE KEY" not in message
    r = CliRunner().invoke(app, ["assess-risks", SPEC, "--config", str(path)])
    assert r.exit_code == 2 and f"{where}: " in r.stderr
    assert secret not in r.output and "Traceback" not in r.output


def test_a_url_carrying_credentials_is_refused_without_echoing_them(tmp_path: Path) -> None:
    path = tmp_path / "syncsvc.toml"
    path.write_text(
        '[jira]\nurl = "https://pm:hunter2-canary@x.atlassian.net"\nproject = "NOTIF"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="jira.url: must not carry a user name or password") as err:
        load_config(path)
    assert "hunter2-canary" not in str(err.value)


def test_ordinary_values_that_merely_look_random_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "syncsvc.toml"
    path.write_text(
        JIRA
        + 'token_env = "JIRA_API_TOKEN_PROD_2"\n'
        + SHEETS
        + 'credentials_file = "keys/publisher-4f2a9c1e7b3d.json"\n',
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert cfg.jira is not None and cfg.jira.token_env == "JIRA_API_TOKEN_PROD_2"


def test_the_leak_detector_itself_catches_each_canary(bed: Bed) -> None:
    bed.sheets.tokens["ya29.fake-issued"] = "x"
    for canary in bed.canaries():
        with pytest.raises(AssertionError, match="leaked"):
            bed.assert_clean(f"Error: something {canary} happened")
    (bed.tmp / "state").mkdir()
    (bed.tmp / "state" / "leak.db").write_bytes(b"\x00" + CANARY_TOKEN.encode())
    with pytest.raises(AssertionError, match="leaked in leak.db"):
        bed.assert_files_clean()
    (bed.tmp / "state" / "leak.db").unlink()
