"""The config file (CONTRACT §5): Jira, Sheets, state and catalogs; secrets only from the env."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import stat
import unicodedata
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from syncsvc.errors import ConfigError
from syncsvc.tomlmodel import load_toml

MAX_CONFIG_BYTES = 1024 * 1024
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
# A value that looks like a secret itself rather than the name of a variable holding one.
# A value no config key should ever hold: an Atlassian API token, a Google access token, a GitHub
# or Slack token, a PEM private key.
_PASTED_SECRET = re.compile(r"^\s*(ATATT|ya29\.|ghp_|xox[a-z]-)|-----BEGIN [A-Z ]*PRIVATE KEY")
_SECRET_LIKE = re.compile(r"^(ATATT|ghp_|xox[a-z]-)|-----BEGIN|^(?=.*[a-z])(?=.*[0-9])\S{24,}$")


class _Cfg(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class JiraConfig(_Cfg):
    url: str
    email: str | None = None
    token_env: str = "JIRA_API_TOKEN"
    project: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,9}$")]
    issue_type: str = "Task"
    epic_issue_type: str = "Epic"
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 4
    # the team's time zone for every date read from Jira (IANA name); default: the machine's
    timezone: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        return check_service_url(v, "https://your-site.atlassian.net")

    @field_validator("email")
    @classmethod
    def _plain_email(cls, v: str | None) -> str | None:
        if v is not None:
            check_header_safe(v, "the e-mail address")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone_name(cls, v: str | None) -> str | None:
        if v is not None:
            load_zone(v)
        return v

    def zone(self) -> dt.tzinfo:
        """The time zone dates read from Jira are taken in: `timezone`, else the machine's."""
        if self.timezone:
            return load_zone(self.timezone)
        return dt.datetime.now().astimezone().tzinfo or dt.UTC

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, v: str) -> str:
        return _check_env_name(v)

    def token(self) -> SecretStr:
        """The API token (or PAT) from the environment variable `token_env`."""
        value = os.environ.get(self.token_env, "")
        if not value.strip():
            raise ConfigError(
                f"the environment variable {self.token_env} (jira.token_env) is not set",
                hint=f"export {self.token_env}=<your Jira API token>",
            )
        try:
            check_header_safe(value.strip(), "the token")
        except ValueError as e:  # never echo the token: only where the odd character is
            raise ConfigError(
                f"the environment variable {self.token_env} (jira.token_env): {e}",
                hint="copy the token again as plain text (a terminal or editor may have replaced characters)",
            ) from None
        return SecretStr(value.strip())


_SHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")


class SheetsConfig(_Cfg):
    spreadsheet_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{10,200}$")]
    credentials_file: str | None = None
    prefix: bool = False
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 5
    # Google's endpoint; another one (a loopback test double, a proxy) only when set here
    api_url: str = "https://sheets.googleapis.com"

    @field_validator("spreadsheet_id", mode="before")
    @classmethod
    def _id_from_url(cls, v: Any) -> Any:
        """The whole URL copied from the browser is fine: the id is the part after /d/."""
        m = _SHEET_URL.match(v.strip()) if isinstance(v, str) else None
        return m.group(1) if m else v

    @field_validator("api_url")
    @classmethod
    def _api_https(cls, v: str) -> str:
        return check_service_url(v, "https://sheets.googleapis.com")

    def credentials_path(self, base: Path) -> Path:
        """The service-account key file: `credentials_file` (relative to the config), else
        GOOGLE_APPLICATION_CREDENTIALS."""
        if self.credentials_file:
            p = Path(self.credentials_file).expanduser()
            return p if p.is_absolute() else base / p
        env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "").strip()
        if not env:
            raise ConfigError(
                "no service-account key file: set sheets.credentials_file or GOOGLE_APPLICATION_CREDENTIALS"
            )
        return Path(env).expanduser()


class StateConfig(_Cfg):
    path: str = ".syncsvc/state.db"


class CatalogConfig(_Cfg):
    path: str | None = None


class Config(_Cfg):
    jira: JiraConfig | None = None
    sheets: SheetsConfig | None = None
    state: StateConfig = Field(default_factory=StateConfig)
    catalog: CatalogConfig = Field(default_factory=CatalogConfig)
    base_dir: Path = Path(".")

    def state_path(self) -> Path:
        """The state database: a regular file (or none yet), never opened through a link."""
        p = Path(self.state.path).expanduser()
        p = p if p.is_absolute() else self.base_dir / p
        check_regular(p, "state.path")
        return p

    def catalog_dir(self) -> Path | None:
        if not self.catalog.path:
            return None
        p = Path(self.catalog.path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def require_jira(self, label: str) -> JiraConfig:
        if self.jira is None:
            raise ConfigError(f"{label}: no [jira] table", hint="see config.example.toml")
        return self.jira

    def require_sheets(self, label: str) -> SheetsConfig:
        if self.sheets is None:
            raise ConfigError(f"{label}: no [sheets] table", hint="see config.example.toml")
        return self.sheets


def check_regular(path: Path, key: str) -> None:
    """A file syncsvc writes must be a regular file or not exist yet: a symbolic link could
    point it at any file of the user's, and a FIFO or device would hang or be destroyed."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise ConfigError(f"{key}: cannot use {path} ({e.strerror})") from None
    if stat.S_ISREG(mode):
        return
    what = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
    raise ConfigError(
        f"{key}: {path} is {what}; syncsvc opens its files only as regular files",
        hint="point it at a plain file (or a path that does not exist yet)",
    )


def load_config(path: str | Path) -> Config:
    """Read and check a config file; relative paths in it are relative to its folder."""
    p = Path(path)
    label = p.name or str(p)

    def prepare(data: dict[str, Any]) -> dict[str, Any]:
        _refuse_inline_secrets(data, label)
        return {**data, "base_dir": p.resolve().parent}

    return load_toml(
        p,
        Config,
        label=label,
        what="config",
        limit=MAX_CONFIG_BYTES,
        error=ConfigError,
        hint="see config.example.toml",
        prepare=prepare,
        strict=False,
    )


def _refuse_inline_secrets(data: dict[str, Any], label: str) -> None:
    """A secret written into the config (not an env var name) is refused, never echoed."""
    for table, key in (
        ("jira", "token"),
        ("jira", "password"),
        ("jira", "api_token"),
        ("sheets", "private_key"),
        ("sheets", "credentials"),
    ):
        section = data.get(table)
        if isinstance(section, dict) and key in section:
            raise ConfigError(
                f"{label}: {table}.{key}: secrets are never read from the config file",
                hint="put the secret in an environment variable and name it in jira.token_env "
                "(or use sheets.credentials_file)",
            )
    jira = data.get("jira")
    if isinstance(jira, dict):
        env = jira.get("token_env")
        if isinstance(env, str) and (not _ENV_NAME.match(env) or _SECRET_LIKE.search(env)):
            raise ConfigError(
                f"{label}: jira.token_env: must be the NAME of an environment variable "
                "(like JIRA_API_TOKEN), not the token itself",
                hint="move the token into the environment variable and name that variable here",
            )
    for where, value in _strings(data):
        if _PASTED_SECRET.search(value):
            raise ConfigError(
                f"{label}: {where}: holds what looks like a secret (a token or a private key); "
                "secrets are never read from the config file",
                hint="put the token in an environment variable named by jira.token_env, and "
                "the service-account key in a file named by sheets.credentials_file",
            )


_KeyPath = tuple[Any, str] | None  # (parent's path, this key): shared between siblings


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    """Every string value in the parsed config with its dotted key. Iterative, and the key is
    spelled out only for a string: a hostile file may nest hundreds of thousands deep."""
    stack: list[tuple[_KeyPath, Any]] = [(None, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            parts: list[str] = []
            while where is not None:
                where, key = where
                parts.append(key)
            yield ".".join(reversed(parts)).replace(".[", "["), value
        elif isinstance(value, dict):
            stack += [((where, str(k)), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [((where, f"[{i}]"), v) for i, v in enumerate(value)]


def check_service_url(v: str, example: str) -> str:
    """An http(s) URL without credentials; plain http only for a loopback host."""
    u = urlparse(v)
    if u.username or u.password or "@" in u.netloc:  # checked first: never echo such a URL
        raise ValueError(
            "must not carry a user name or password; secrets come from the environment or the key file"
        )
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ValueError(f"must be a URL like {example} (got {v!r})")
    if u.scheme == "http" and not is_loopback(u.hostname):
        raise ValueError("must use https (plain http is only allowed for a loopback host)")
    return v.rstrip("/")


def check_header_safe(value: str, what: str) -> None:
    """A value sent in an HTTP header must be printable ASCII: a pasted "…", a smart quote or
    a line break is refused, naming its position but not the value (it may be a secret)."""
    for i, ch in enumerate(value, 1):
        if not " " <= ch <= "~":
            name = unicodedata.name(ch, f"U+{ord(ch):04X}").lower()
            raise ValueError(
                f"{what} holds the character {name} at position {i}; only plain ASCII can be sent to Jira"
            )


def load_zone(name: str) -> dt.tzinfo:
    """An IANA time zone ("America/Los_Angeles", "UTC")."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f'unknown time zone {name!r}; use an IANA name like "America/Los_Angeles" or "UTC"'
        ) from None


def _check_env_name(v: str) -> str:
    if not _ENV_NAME.match(v):
        raise ValueError("must be the name of an environment variable, like JIRA_API_TOKEN")
    return v


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
