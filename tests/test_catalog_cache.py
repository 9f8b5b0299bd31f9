"""The compiled catalog cache (syncsvc/catalog/cache.py): a hit is the catalog a fresh load gives;
an edited file, another version, a corrupt or foreign entry and an unwritable directory each
fall back to loading the TOML; nothing but the entry is written."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import syncsvc.catalog as catalog_pkg
import syncsvc.version
from syncsvc.catalog import Catalog, bundled_dir
from syncsvc.catalog.cache import ENV, cache_dir
from syncsvc.model import to_json
from syncsvc.planning.build import build_plan
from syncsvc.specload import check_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "notifications-center.toml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(ENV, str(where))
    return where


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The catalog folders loaded from their TOML (a cache miss each) from here on."""
    calls: list[Path | None] = []
    real = catalog_pkg._compile

    def counted(folder: Path | None) -> Catalog:
        calls.append(folder)
        return real(folder)

    monkeypatch.setattr(catalog_pkg, "_compile", counted)
    return calls


def _entries(where: Path) -> list[Path]:
    return sorted(where.iterdir()) if where.exists() else []


def test_a_hit_is_the_catalog_a_fresh_load_gives(
    cache: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date
) -> None:
    fresh = catalog_pkg._load(None)
    assert [p.suffix for p in _entries(cache)] == [".catalog"]  # one entry, no temporary file left
    monkeypatch.setattr(catalog_pkg, "_compile", lambda folder: pytest.fail("not from the cache"))
    hit = catalog_pkg._load(None)
    assert hit is not fresh
    assert hit == fresh
    assert hit.changes.lexicon.keywords == fresh.changes.lexicon.keywords  # compiled, kept
    # the same plan from either
    text = EXAMPLE.read_text(encoding="utf-8")
    spec = check_spec(tomllib.loads(text), label="e.toml", today=today, source=text)
    assert to_json(build_plan(spec, hit), "create-rollout-plan") == to_json(
        build_plan(spec, fresh), "create-rollout-plan"
    )


def _user_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(bundled_dir() / "phases.toml", folder / "phases.toml")
    return folder


def test_an_edited_file_misses_and_is_loaded_again(cache: Path, tmp_path: Path) -> None:
    folder = _user_catalog(tmp_path)
    before = catalog_pkg._load(folder)
    phases = folder / "phases.toml"
    text = phases.read_text(encoding="utf-8")
    first = before.phases.ladder("medium").phases[0]
    assert f'name = "{first.name}"' in text
    phases.write_text(text.replace(f'name = "{first.name}"', 'name = "Edited name"'), encoding="utf-8")
    after = catalog_pkg._load(folder)
    assert after.phases.ladder("medium").phases[0].name == "Edited name"
    # the entry was rewritten in place: the edited catalog is a hit now
    assert catalog_pkg._load(folder) == after
    assert len(_entries(cache)) == 1


def test_an_added_profile_file_misses(cache: Path, tmp_path: Path) -> None:
    folder = _user_catalog(tmp_path)
    assert "my-kind" not in catalog_pkg._load(folder).changes.ids
    (folder / "changes").mkdir()
    mine = (bundled_dir() / "changes" / "infra-cutover.toml").read_text(encoding="utf-8")
    (folder / "changes" / "my-kind.toml").write_text(
        mine.replace('id = "infra-cutover"', 'id = "my-kind"', 1), encoding="utf-8"
    )
    assert "my-kind" in catalog_pkg._load(folder).changes.ids


def test_another_version_misses(
    cache: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[Path | None]
) -> None:
    catalog_pkg._load(None)
    catalog_pkg._load(None)
    assert compiles == [None]  # the second from the cache
    monkeypatch.setattr(syncsvc.version, "__version__", "999.0")
    catalog_pkg._load(None)
    assert compiles == [None, None]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated (a crash mid-write of an older writer)
        lambda data: data[:200] + b"\x00garbage" + data[208:],  # corrupt pickle
        lambda data: b"not a cache file at all",
        lambda data: b"",
    ],
)
def test_a_corrupt_entry_is_rebuilt(cache: Path, damage, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = catalog_pkg._load(None)
    (entry,) = _entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert catalog_pkg._load(None) == fresh  # loaded from the TOML again
    monkeypatch.setattr(catalog_pkg, "_compile", lambda folder: pytest.fail("not rewritten"))
    assert catalog_pkg._load(None) == fresh  # and the entry is whole again


def test_an_entry_holding_something_else_is_rebuilt(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    fresh = catalog_pkg._load(None)
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    head = data[: data.index(b"\n", data.index(b"\n") + 1) + 1]  # format line and key line
    entry.write_bytes(head + pickle.dumps({"not": "a catalog"}))
    assert catalog_pkg._load(None) == fresh


def test_a_directory_that_cannot_be_written_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(ENV, str(blocker / "cache"))  # under a file: mkdir fails, even as root
    fresh = catalog_pkg._load(None)
    assert catalog_pkg._load(None) == fresh
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() is None
    catalog_pkg._load(None)
    assert not (tmp_path / "xdg").exists()


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "syncsvc"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "syncsvc"
    monkeypatch.setenv(ENV, str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_a_catalog_error_writes_no_entry(cache: Path, tmp_path: Path) -> None:
    from syncsvc.errors import ConfigError

    folder = _user_catalog(tmp_path)
    (folder / "phases.toml").write_text("this is = not [valid toml", encoding="utf-8")
    with pytest.raises(ConfigError):
        catalog_pkg._load(folder)
    assert _entries(cache) == []


PROBE = """
import json, sys
from syncsvc.catalog import load_catalog
from syncsvc.catalog.changes import ChangeCatalog
from syncsvc.catalog.risks import RiskCatalog
catalog = load_catalog()
print(json.dumps({"built": [ChangeCatalog.__pydantic_complete__, RiskCatalog.__pydantic_complete__],
                  "profiles": catalog.changes.ids}))
"""


def test_a_hit_in_a_new_process_builds_no_catalog_validator(tmp_path: Path) -> None:
    import json

    env = {**os.environ, ENV: str(tmp_path / "cache")}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", PROBE],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0]["built"] == [True, True]  # validated from the TOML: the validators were built
    assert runs[1]["built"] == [False, False]  # from the cache: defer_build left them unbuilt
    assert runs[1]["profiles"] == runs[0]["profiles"]


def test_each_catalog_folder_has_its_own_entry(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = catalog_pkg._load(None)
    mine = catalog_pkg._load(_user_catalog(tmp_path))
    assert len(_entries(cache)) == 2  # neither replaced the other
    monkeypatch.setattr(catalog_pkg, "_compile", lambda folder: pytest.fail("not from the cache"))
    assert catalog_pkg._load(None) == bundled
    assert catalog_pkg._load(tmp_path / "mine") == mine


def test_an_entry_others_could_have_written_is_not_read(cache: Path, compiles: list[Path | None]) -> None:
    fresh = catalog_pkg._load(None)
    (entry,) = _entries(cache)
    assert entry.stat().st_mode & 0o777 == 0o600  # as written
    entry.chmod(0o666)  # anyone could have put a pickle there: unpickling it would run their code
    assert catalog_pkg._load(None) == fresh
    assert compiles == [None, None]  # loaded from the TOML again, and the entry written afresh
    assert entry.stat().st_mode & 0o777 == 0o600


def test_the_key_follows_the_code_that_validates_the_catalogs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syncsvc.catalog import cache as cache_mod

    code = tmp_path / "pkg"
    (code / "catalog").mkdir(parents=True)
    (code / "catalog" / "risks.py").write_text("LIMIT = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache_mod, "_PACKAGE", code)
    files = [bundled_dir() / "risks.toml"]
    before = cache_mod._key("bundled", files)
    assert cache_mod._key("bundled", files) == before
    (code / "catalog" / "risks.py").write_text("LIMIT = 2\n", encoding="utf-8")  # a validator changed
    assert cache_mod._key("bundled", files) != before


def test_a_text_repeated_across_a_catalog_is_one_object_in_it() -> None:
    # the compiled cache then stores (and a start loads) each repeated id, level or keyword
    # once: the catalogs repeat the same few thousand texts tens of thousands of times
    fresh = catalog_pkg._compile(None)  # from the TOML, as a cache miss builds it
    texts = [
        text
        for risk in fresh.risks.risks
        for text in (risk.category, risk.owner_role, *(p for case in risk.when for p in case.profiles))
        if text is not None
    ]
    assert len(texts) > len(set(texts))  # repeats, or the check below says nothing
    objects: dict[str, set[int]] = {}
    for text in texts:
        objects.setdefault(text, set()).add(id(text))
    assert all(len(ids) == 1 for ids in objects.values())


def test_the_last_reading_is_kept_per_owner_and_key_only() -> None:
    from syncsvc.catalog.base import Recent

    made: list[str] = []
    recent: Recent[str] = Recent()

    def make(v: str) -> str:
        made.append(v)
        return v

    a, b = object(), object()
    assert recent.get(a, ("x", "y"), lambda: make("1")) == "1"
    assert recent.get(a, ("x", "y"), lambda: make("2")) == "1"  # kept
    assert recent.get(b, ("x", "y"), lambda: make("3")) == "3"  # another owner, equal key
    assert recent.get(b, ("x", "z"), lambda: make("4")) == "4"  # another key
    assert recent.get(a, ("x", "y"), lambda: make("5")) == "5"  # only the last is kept
    assert made == ["1", "3", "4", "5"]
