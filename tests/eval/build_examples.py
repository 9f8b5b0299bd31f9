"""Write mappings/changes/_examples.toml: every feature of the evaluation sets (tests/eval/*.toml)
as a known example of a kind of change, for detection by similar known features (issue 11).

Usage (from the repository root): python tests/eval/build_examples.py [--check]
Each example keeps only the feature's set (the file's name), name, description and profile ids
(primary first; [] for a change of no kind); no regexes, no expected risks. `--check` exits 1
when the file is out of date (tests/test_examples.py fails then too).
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parents[1] / "mappings" / "changes" / "_examples.toml"

HEADER = """\
# Known features and their kinds of change, read by detection when a feature's own words
# leave its kind in doubt: the nearest examples by shared words (syncsvc/catalog/examples.py).
# Written by tests/eval/build_examples.py from the evaluation sets (tests/eval/*.toml): do not
# edit by hand; edit the sets and run it again. `set` is the evaluation set the feature is from
# (a set is scored with its own examples left out); `profiles` primary first, [] for no change.
"""


def _string(s: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for these texts)."""
    return json.dumps(" ".join(s.split()), ensure_ascii=False)


def render(folder: Path = HERE) -> str:
    """The file's text for the sets in `folder`, in file-name order, features as written."""
    parts = [HEADER]
    for path in sorted(folder.glob("*.toml")):
        rows = tomllib.loads(path.read_text(encoding="utf-8")).get("feature", [])
        for row in rows:
            profiles = ", ".join(_string(p) for p in row["expected"].get("profiles", []))
            parts.append(
                f"\n[[examples]]\nset = {_string(path.stem)}\nname = {_string(row['feature_name'])}\n"
                f"description = {_string(row['description'])}\nprofiles = [{profiles}]\n"
            )
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET.name} is out of date: run python tests/eval/build_examples.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.name}: {text.count('[[examples]]')} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
