"""Loading one catalog TOML file into a frozen pydantic model, each error naming the file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import rtoml
from pydantic import BaseModel, ConfigDict, ValidationError

from syncsvc.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class CatalogModel(BaseModel):
    """Base of every catalog model: frozen, unknown keys refused, numbers finite (a `nan`
    threshold would be written into the plan's JSON and the Sheets request as invalid JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def bundled_dir() -> Path:
    """The catalogs shipped with syncsvc (inside the wheel, or mappings/ in a checkout)."""
    try:
        return Path(str(resources.files("syncsvc.mappings")))
    except ModuleNotFoundError:  # running from a source checkout without installing
        return Path(__file__).resolve().parents[2] / "mappings"


def find_file(name: str, folder: Path | None) -> Path:
    """`name` in the user's catalog folder when it has one, else the bundled file."""
    if folder is not None:
        mine = folder / name
        if mine.is_file():
            return mine
    return bundled_dir() / name


def parse_catalog(text: str) -> dict[str, Any]:
    """A catalog file's TOML: rtoml (compiled; the bundled catalogs parse 18x faster, which is
    most of a quick plan's start-up), else the standard parser, whose message the error quotes."""
    try:
        data = rtoml.loads(text)
    except Exception:  # rtoml's errors differ in kind and wording: let tomllib say what is wrong
        return tomllib.loads(text)
    return data if isinstance(data, dict) else tomllib.loads(text)


def load_model(path: Path, model: type[M]) -> M:
    """Parse and validate one catalog file; errors name the file and the key path."""
    from syncsvc.specload import key_path

    label = f"{path.parent.name}/{path.name}"
    try:
        data = parse_catalog(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{label}: catalog file not found") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{label}: invalid catalog file: {e}") from None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{label}: {key_path(err['loc'])}: {msg}") from None
