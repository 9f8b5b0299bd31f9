"""`syncsvc publish` end to end: the real key-file path, the token endpoint, exit codes, output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE
from fakes.sheets import SCOPE, SIX, SPREADSHEET_ID, FakeSheets, sheets_config
from typer.testing import CliRunner

from syncsvc.cli import app


@pytest.fixture
def key(fake_sheets: FakeSheets, tmp_path: Path) -> dict:
    info = fake_sheets.service_account()
    (tmp_path / "key.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def invoke(*args: str):
    return CliRunner().invoke(app, ["publish", *args])


def test_publish_example_with_a_real_key_file(fake_sheets, key, tmp_path):
    cfg = sheets_config(tmp_path)
    result = invoke(str(EXAMPLE), "--config", str(cfg), "-v", "--log-format", "json")
    assert result.exit_code == 0, result.stderr
    assert fake_sheets.titles(SPREADSHEET_ID)[1:] == SIX
    assert fake_sheets.token_calls == 1 and fake_sheets.scopes == [SCOPE]  # spreadsheets only, no Drive
    assert fake_sheets.api_calls() == 2
    assert f"Published to spreadsheet {SPREADSHEET_ID}" in result.stdout
    assert "6 worksheet(s) created" in result.stdout and "2 Sheets API call(s)" in result.stdout
    pem_body = key["private_key"].splitlines()[1]
    for text in (result.stdout, result.stderr):
        assert pem_body not in text and "PRIVATE KEY" not in text
    for line in result.stderr.splitlines():
        json.loads(line)  # --log-format json: every log line is JSON
    again = invoke(str(EXAMPLE), "--config", str(cfg))
    assert again.exit_code == 0 and "6 unchanged; 0 row(s) changed" in again.stdout
    assert fake_sheets.api_calls() == 3  # the unchanged run: one read, no write


def test_dry_run_prints_changes_and_writes_nothing(fake_sheets, key, tmp_path):
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Dry run: nothing written to spreadsheet {SPREADSHEET_ID}")
    assert "Timeline" in result.stdout and "create" in result.stdout
    assert "6 worksheet(s) to create" in result.stdout
    assert [k for k, _ in fake_sheets.calls] == ["get"] and fake_sheets.bodies == []
    assert fake_sheets.titles(SPREADSHEET_ID) == ["Sheet1"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "service-account key file not found"),
        ("{not json", "not a JSON key file (line 1, column 2)"),
        ('{"type": "authorized_user", "client_id": "x"}', "not a service-account key"),
        (
            '{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}',
            "the key file lacks private_key, token_uri",
        ),
    ],
)
def test_bad_key_file_exits_2_before_any_call(fake_sheets, tmp_path, content, expected):
    if content is not None:
        (tmp_path / "key.json").write_text(content, encoding="utf-8")
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and expected in result.stderr
    assert "key.json" in result.stderr
    assert fake_sheets.calls == [] and fake_sheets.token_calls == 0


def test_unreadable_private_key_is_refused_without_echoing_it(fake_sheets, key, tmp_path):
    broken = dict(key, private_key=key["private_key"].replace("\n", "\nXX", 3))
    (tmp_path / "key.json").write_text(json.dumps(broken), encoding="utf-8")
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)))
    assert result.exit_code == 2
    assert "private_key is not a valid PEM private key" in result.stderr
    assert key["client_email"] in result.stderr
    assert "XX" not in result.output and "PRIVATE KEY" not in result.output
    assert fake_sheets.calls == [] and fake_sheets.token_calls == 0


def test_no_key_file_configured_and_no_env_exits_2(fake_sheets, tmp_path, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    cfg = sheets_config(tmp_path, credentials_file=None)
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 2 and "GOOGLE_APPLICATION_CREDENTIALS" in result.stderr
    assert fake_sheets.calls == []


def test_key_from_google_application_credentials(fake_sheets, key, tmp_path, monkeypatch):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "key.json"))
    cfg = sheets_config(tmp_path, credentials_file=None)
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 0, result.stderr
    assert fake_sheets.token_calls == 1


def test_403_exit_2_names_the_service_account_email(fake_sheets, key, tmp_path):
    fake_sheets.spreadsheets[SPREADSHEET_ID].shared_with = {"someone@else.example"}
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)))
    assert result.exit_code == 2  # a configuration mistake (CONTRACT §3)
    assert f"no access to spreadsheet {SPREADSHEET_ID} (403)" in result.stderr
    assert f"share the spreadsheet with {key['client_email']} as Editor" in result.stderr
    assert "PRIVATE KEY" not in result.output and key["private_key_id"] not in result.stderr


def test_404_exit_2_names_the_spreadsheet(fake_sheets, key, tmp_path):
    del fake_sheets.spreadsheets[SPREADSHEET_ID]
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)))
    assert result.exit_code == 2
    assert f"spreadsheet {SPREADSHEET_ID} not found (404)" in result.stderr


def test_config_without_sheets_table_exits_2(fake_sheets, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[state]\npath = "s.db"\n', encoding="utf-8")
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 2 and "no [sheets] table" in result.stderr
    assert fake_sheets.calls == []


def test_help_names_the_options():
    result = CliRunner().invoke(app, ["publish", "--help"])
    assert result.exit_code == 0
    for opt in ("--config", "--dry-run", "--verbose", "--log-format", "Example:"):
        assert opt in result.stdout


def test_jira_keys_of_pushed_tasks_show_on_the_timeline(fake_sheets, key, tmp_path):
    from syncsvc.state import IssueRecord, State

    cfg = sheets_config(tmp_path)
    with State.open(tmp_path / ".syncsvc" / "state.db") as state:
        state.put_issues(
            "notif-center",
            [IssueRecord("design-review", "NOTIF-7"), IssueRecord("gone", "NOTIF-8", removed=True)],
        )
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 0, result.stderr
    rows = fake_sheets.values(SPREADSHEET_ID, "Timeline")
    jira = rows[0].index("Jira")
    keyed = {r[0]: r[jira] for r in rows[1:] if len(r) > jira and r[jira]}
    assert keyed == {"design-review": "NOTIF-7"}
    dash = {r[0]: r[1] for r in fake_sheets.values(SPREADSHEET_ID, "Dashboard") if len(r) > 1}
    assert "Tasks done" not in dash  # keys alone say nothing about progress


def test_publish_never_creates_a_state_file(fake_sheets, key, tmp_path):
    assert invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path))).exit_code == 0
    assert not (tmp_path / ".syncsvc").exists()


# -- Sheets without Google ---------------------------------------------------------------------


def test_dry_run_without_a_key_previews_the_layout_offline(fake_sheets, tmp_path, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    cfg = sheets_config(tmp_path, credentials_file=None)
    result = invoke(str(EXAMPLE), "--config", str(cfg), "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "offline preview, compared with an empty spreadsheet: no service-account key" in out
    assert "6 worksheet(s) to create" in out and "0 Sheets API call(s)" in out
    layout = out.split("Layout:\n")[1].splitlines()
    assert [line.split()[0] for line in layout[:6]] == SIX
    assert "ID | Task | Phase | Owner" in layout[3]  # the Timeline's header row
    assert fake_sheets.calls == [] and fake_sheets.token_calls == 0
    assert result.stderr == ""  # no library warning, no error


def _unreachable_key(fake_sheets, tmp_path, key, **change: str) -> Path:
    (tmp_path / "key.json").write_text(json.dumps({**key, **change}), encoding="utf-8")
    return sheets_config(tmp_path, max_retries=0)


def test_an_unreachable_sign_in_says_cannot_reach_not_a_bad_account(fake_sheets, key, tmp_path):
    cfg = _unreachable_key(fake_sheets, tmp_path, key, token_uri="https://oauth2.offline.invalid/token")
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: Google Sheets: cannot reach Google's sign-in service")
    assert "network" in result.stderr and "service account" not in result.stderr
    preview = invoke(str(EXAMPLE), "--config", str(cfg), "--dry-run")  # the preview still works
    assert preview.exit_code == 0 and "offline preview" in preview.stdout
    assert fake_sheets.calls == []


def test_an_unreachable_sheets_api_says_cannot_reach_the_host(fake_sheets, key, tmp_path):
    cfg = sheets_config(tmp_path, max_retries=0)
    cfg.write_text(cfg.read_text() + 'api_url = "https://sheets.offline.invalid"\n')
    result = invoke(str(EXAMPLE), "--config", str(cfg))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: Google Sheets: cannot reach sheets.offline.invalid")


def test_the_whole_spreadsheet_url_is_accepted_as_the_id(tmp_path):
    from syncsvc.config import load_config

    url = f"https://docs.google.com/spreadsheets/d/{SPREADSHEET_ID}/edit#gid=0"
    cfg = sheets_config(tmp_path)
    cfg.write_text(cfg.read_text().replace(f'"{SPREADSHEET_ID}"', f'"{url}"'))
    sheets = load_config(cfg).require_sheets("t")
    assert sheets.spreadsheet_id == SPREADSHEET_ID


def test_a_key_file_that_is_a_fifo_is_refused_at_once(fake_sheets, tmp_path):
    import os

    os.mkfifo(tmp_path / "key.json")  # nobody writes to it: reading would wait forever
    result = invoke(str(EXAMPLE), "--config", str(sheets_config(tmp_path)))
    assert result.exit_code == 2, result.output
    assert "key.json: is not a regular file" in result.stderr
    assert fake_sheets.calls == [] and fake_sheets.token_calls == 0
