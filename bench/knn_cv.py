"""Choose how the nearest known features are heard beside the signal rules (issue 11): leave-one-
set-out cross-validation over every evaluation set in tests/eval.

Usage (from the repository root): python bench/knn_cv.py [--sets heldout12,heldout13,...]
For each candidate `Blend` (syncsvc/catalog/examples.py), every feature is read with its own
set's examples left out of the index (`eval.score.leave_out`) and its plan scored in full (risk
recall average and lowest, wrong-sense hits, primary, strategy, mechanism). A plan depends on the
text and the kinds read, so each (feature, kinds) plan is built once, with those kinds given.
Prints one row per blend; the rules alone (`rules`) first.

Two readings of the rules are scored: `now`, the rules as they are (written while looking at
every set, so they flatter themselves), and with `--blind bench/knn_blind_readings.json`,
`blind`: for each set added after the first, the kinds the quick-mode plan got from the code and
catalog of the commit before the set was added (its first run, before any work it then fed) and
the primary's score over its threshold. Plans are always built from today's catalog; only the
kinds come from the older rules. `blind` is the honest stand-in for features no one has seen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from eval.score import (  # noqa: E402
    START_DATE,
    TODAY,
    Feature,
    FeatureScore,
    leave_out,
    load_features,
    score_plan,
)

from syncsvc.catalog import Catalog, load_catalog  # noqa: E402
from syncsvc.catalog.examples import Blend, Neighbour, blend_kinds, vote  # noqa: E402
from syncsvc.planning.build import build_plan  # noqa: E402
from syncsvc.specload import check_spec  # noqa: E402

RULES = Blend(override=99, fill=99, drop=0)
# the last of five rounds of candidates, each round a finer grid round the last one's best
# (BENCHMARKS.md): k 5..13, override 3..8, fill 3..6 or never, drop 4..7 or never, a floor on the
# mean similarity 0..0.15 (never better than none), the rules' kind kept as a secondary or not
# (kept: better risk recall), and a drop only when the nearest is of no kind (more wrong-sense hits)
GRID: dict[str, tuple[float, ...]] = {
    "k": (9,),
    "over": (6,),
    "fill": (5,),
    "drop": (4, 5),
    "sure": (0, 2, 2.5, 3),
}


@dataclass
class Row:
    name: str
    n: int = 0
    primary: int = 0
    risk_hit: int = 0
    risk_total: int = 0
    lowest: float = 1.0
    wrong: int = 0
    strategy: int = 0
    strategy_n: int = 0
    mechanism: int = 0
    mechanism_n: int = 0
    none_clean: int = 0
    none_n: int = 0

    def add(self, f: Feature, s: FeatureScore) -> None:
        self.n += 1
        self.primary += s.primary_ok
        self.risk_hit += s.risks.hit
        self.risk_total += s.risks.total
        if s.risks.value is not None:
            self.lowest = min(self.lowest, s.risks.value)
        self.wrong += len(s.wrong_sense)
        if s.strategy_ok is not None:
            self.strategy_n += 1
            self.strategy += s.strategy_ok
        if s.mechanism_ok is not None:
            self.mechanism_n += 1
            self.mechanism += s.mechanism_ok
        if not f.expected.recognisable:
            self.none_n += 1
            self.none_clean += s.primary_ok

    def line(self) -> str:
        return (
            f"{self.name:<44} primary {self.primary:>3}/{self.n} ({self.primary / self.n:.2f})  "
            f"risk {self.risk_hit / self.risk_total:.3f} lowest {self.lowest:.2f}  wrong {self.wrong:>2}  "
            f"strategy {self.strategy / max(1, self.strategy_n):.3f}  "
            f"mechanism {self.mechanism / max(1, self.mechanism_n):.3f}  "
            f"none {self.none_clean}/{self.none_n}"
        )


class Scorer:
    """Plans each (feature, kinds) once, with the kinds given, and scores it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.memo: dict[tuple[str, tuple[str, ...]], FeatureScore] = {}

    def score(self, f: Feature, kinds: tuple[str, ...]) -> FeatureScore:
        key = (f.id, kinds)
        got = self.memo.get(key)
        if got is None:
            data = {**f.inputs, "start_date": START_DATE, "change_types": list(kinds)}
            spec = check_spec(data, label=f"{f.id}.toml", today=TODAY, source=None)
            got = self.memo[key] = score_plan(f, build_plan(spec, self.catalog))
        return got


def candidates() -> list[tuple[str, Blend]]:
    out = [("rules", RULES)]
    for k, over, fill, drop, sure in itertools.product(*GRID.values()):
        if over > k or (fill != 99 and fill > k) or drop > k:
            continue
        b = Blend(
            k=int(k),
            override=int(over),
            fill=int(fill),
            drop=int(drop),
            sure=sure,
        )
        out.append((f"k{k} over{over} fill{fill if fill < 99 else '-'} drop{drop or '-'} sure{sure}", b))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", help="comma-separated set names to report on (default: all)")
    ap.add_argument(
        "--blind",
        metavar="JSON",
        help="the rules' readings blind to each set ({feature id: [[profile ids, primary first], the "
        "primary's score over its threshold]}): the rules as they were before the set was added; "
        "features without one are left out of that mode",
    )
    args = ap.parse_args()
    base = load_catalog()
    paths = sorted((ROOT / "tests" / "eval").glob("*.toml"))
    wanted = set(args.sets.split(",")) if args.sets else None
    sets = {p.stem: load_features(p) for p in paths if wanted is None or p.stem in wanted}
    blind: dict[str, tuple[list[str], float]] | None = (
        json.loads(Path(args.blind).read_text()) if args.blind else None
    )
    scorer = Scorer(base)
    most = max(b.k for _, b in candidates())
    modes: dict[str, list[tuple[Feature, list[str], list[str], float, list[Neighbour]]]] = {
        "now": [],
        "blind": [],
    }
    for set_name, features in sets.items():
        changes = leave_out(base, set_name).changes
        for f in features:
            name, description = f.inputs["feature_name"], f.inputs["description"]
            nbs = changes.examples.nearest(name, description, most)
            rules = changes.detect(name, description)
            open_kinds = changes.open_kinds(name, description)
            strength = rules[0].score / rules[0].profile.threshold if rules else 0.0
            modes["now"].append((f, [d.profile.id for d in rules], open_kinds, strength, nbs))
            if blind is not None and f.id in blind:
                # the rules of the time said what they said; today's guards are not asked
                modes["blind"].append((f, blind[f.id][0], changes.ids, blind[f.id][1], nbs))
    for label, blend in candidates():
        for mode, read in modes.items():
            if not read:
                continue
            row = Row(f"{mode:<5} {label}")
            for f, ids, open_kinds, strength, nbs in read:
                kinds = blend_kinds(ids, vote(nbs[: blend.k]), blend, known=open_kinds, strength=strength)[:4]
                row.add(f, scorer.score(f, tuple(kinds)))
            print(row.line(), flush=True)


if __name__ == "__main__":
    main()
