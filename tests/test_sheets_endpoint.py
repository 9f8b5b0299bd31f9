"""`[sheets] api_url`: publish to another Sheets endpoint (a loopback test double, a proxy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE
from fakes.sheets import SIX, SPREADSHEET_ID
from fakes.sheets_server import serve_sheets
from typer.testing import CliRunner

from syncsvc.cli import app
from syncsvc.config import load_config
from syncsvc.errors import ConfigError


def _config(tmp: Path, api_url: str, key: str = "key.json") -> Path:
    p = tmp / "syncsvc.toml"
    p.write_text(
        f'[sheets]\nspreadsheet_id = "{SPREADSHEET_ID}"\ncredentials_file = "{key}"\n'
        f'api_url = "{api_url}"\nmax_retries = 1\n',
        encoding="utf-8",
    )
    return p


def test_publish_through_the_cli_to_a_loopback_sheets_api(tmp_path: Path) -> None:
    with serve_sheets() as (fake, base):
        root = base.removesuffix("/v4/spreadsheets/")
        info = {**fake.service_account(), "token_uri": f"{root}/token"}
        (tmp_path / "key.json").write_text(json.dumps(info), encoding="utf-8")
        cfg = _config(tmp_path, root)
        result = CliRunner().invoke(app, ["publish", str(EXAMPLE), "--config", str(cfg)])
        assert result.exit_code == 0, result.output
        assert set(SIX) <= set(fake.titles(SPREADSHEET_ID))
        assert [k for k, _ in fake.calls] == ["get", "batchUpdate"]
        assert fake.token_calls == 1
        assert info["private_key"].splitlines()[1] not in result.output


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://sheets.example-proxy.internal", True),
        ("http://127.0.0.1:8089", True),
        ("http://localhost:8089", True),
        ("http://sheets.example.com", False),
        ("https://user:pw@sheets.example.com", False),
        ("ftp://sheets.example.com", False),
    ],
)
def test_api_url_is_https_except_on_loopback(tmp_path: Path, url: str, ok: bool) -> None:
    cfg = _config(tmp_path, url)
    if ok:
        assert load_config(cfg).sheets.api_url == url  # type: ignore[union-attr]
    else:
        with pytest.raises(ConfigError, match="api_url") as e:
            load_config(cfg)
        assert "pw@" not in str(e.value)


def test_a_key_whose_token_uri_is_plain_http_elsewhere_is_refused(tmp_path: Path) -> None:
    from syncsvc.sheets.adapter import load_service_account

    with serve_sheets() as (fake, _):
        info = {**fake.service_account(), "token_uri": "http://oauth.example.com/token"}
    (tmp_path / "key.json").write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(ConfigError, match="token_uri must be an https URL"):
        load_service_account(tmp_path / "key.json")


def test_the_retry_policy_runs_over_a_real_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the HTTP layer above gspread and google-auth's session, with urllib3 underneath (no
    # `responses`): a 503 with Retry-After and a 500 on the read are waited out and retried
    slept: list[float] = []
    monkeypatch.setattr("syncsvc.http.time.sleep", slept.append)
    with serve_sheets() as (fake, base):
        root = base.removesuffix("/v4/spreadsheets/")
        info = {**fake.service_account(), "token_uri": f"{root}/token"}
        (tmp_path / "key.json").write_text(json.dumps(info), encoding="utf-8")
        cfg = tmp_path / "syncsvc.toml"
        cfg.write_text(
            f'[sheets]\nspreadsheet_id = "{SPREADSHEET_ID}"\ncredentials_file = "key.json"\n'
            f'api_url = "{root}"\nmax_retries = 2\n',
            encoding="utf-8",
        )
        fake.fail_next("get", 503, headers={"Retry-After": "3"})
        fake.fail_next("batchUpdate", 500)  # a batch is atomic: a refused one changed nothing
        result = CliRunner().invoke(app, ["publish", str(EXAMPLE), "--config", str(cfg)])
        assert result.exit_code == 0, result.output
        assert [k for k, _ in fake.calls] == ["get", "get", "batchUpdate", "batchUpdate"]
        assert slept[0] == 3.0 and len(slept) == 2
        assert set(SIX) <= set(fake.titles(SPREADSHEET_ID))


def test_a_sign_in_library_error_ends_at_the_adapter() -> None:
    # any google-auth error (not only a refresh or transport error) is a RemoteError naming
    # Google Sheets and what to do, never a traceback
    from google.auth import credentials as gcreds
    from google.auth import exceptions as gerr

    from syncsvc.errors import RemoteError
    from syncsvc.sheets.adapter import GoogleSheets

    class Broken(gcreds.Credentials):
        def refresh(self, request: object) -> None:
            raise gerr.MalformedError("the credential is malformed")

    client = GoogleSheets(Broken(), SPREADSHEET_ID, api_url="http://127.0.0.1:9", sleep=lambda s: None)
    with pytest.raises(RemoteError) as e:
        client.get("sheets.properties")
    assert e.value.message.startswith("Google Sheets: could not sign in") and e.value.hint
    assert "malformed" in e.value.message
