"""Score quick-mode plans against the PM-written evaluation set of issue 11 (tests/eval/).

Usage (from the repository root): python bench/bench_eval.py [--heldout | --set NAME] [--missed] [--write]
Prints one row per feature (risk, stakeholder and trigger recall; primary profile; strategy;
mechanism; wrong-sense hits) and the totals. --heldout scores tests/eval/heldout.toml instead
(the features not seen: run it once, at the end); --set NAME scores tests/eval/NAME.toml (heldout2 ...
heldout6, everyday, everyday2). --missed lists the concepts each plan missed
and the wrong-sense hits. --write puts the totals in this script's own section of BENCHMARKS.md.
Each set is scored with its own known examples left out of the catalog (tests/eval/score.py,
`leave_out`): the nearest known features a plan hears are never the set's own.
Targets (issue 11): risk recall >= 0.80 overall (>= 0.75 in every held-out plan), no wrong-sense
hit, strategy and mechanism right for the change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval.score import FEATURES, HELDOUT, FeatureScore, Recall, Totals, evaluate  # noqa: E402
from sections import write_section  # noqa: E402

SECTION = "## Evaluation set (change profiles)"
SECTION_HELDOUT = "## Evaluation set, held out (change profiles)"


def _r(r: Recall) -> str:
    return "   -" if r.value is None else f"{r.hit:>2}/{r.total:<2}"


def _mark(ok: bool | None) -> str:
    return "-" if ok is None else ("ok" if ok else "NO")


def table(scores: list[FeatureScore]) -> list[str]:
    """One line per feature."""
    lines = [
        f"{'feature':<30} {'risks':>6} {'stake':>6} {'trig':>6} {'primary':<26} "
        f"{'strategy':<22} {'mechanism':<22} wrong"
    ]
    for s in scores:
        primary = f"{_mark(s.primary_ok)} {s.primary_got or '(none)'}"
        lines.append(
            f"{s.id:<30} {_r(s.risks):>6} {_r(s.stakeholders):>6} {_r(s.triggers):>6} "
            f"{primary:<26} {_mark(s.strategy_ok) + ' ' + (s.strategy_got or '-'):<22} "
            f"{_mark(s.mechanism_ok) + ' ' + (s.mechanism_got or '-'):<22} {len(s.wrong_sense)}"
            + (f"  ERROR {s.error}" if s.error else "")
        )
    return lines


def missed(scores: list[FeatureScore]) -> list[str]:
    """The concepts each plan missed, and its wrong-sense hits."""
    out = []
    for s in scores:
        parts = [
            f"risks: {'; '.join(s.risks.missed)}" if s.risks.missed else "",
            f"stakeholders: {'; '.join(s.stakeholders.missed)}" if s.stakeholders.missed else "",
            f"triggers: {'; '.join(s.triggers.missed)}" if s.triggers.missed else "",
            f"wrong: {'; '.join(s.wrong_sense)}" if s.wrong_sense else "",
        ]
        if any(parts):
            out.append(f"{s.id}:")
            out += [f"    {p}" for p in parts if p]
    return out


def summary(t: Totals) -> list[str]:
    """The totals, one figure a line."""
    return [
        f"features: {t.features} ({t.none_features} that fit no profile)",
        f"risk recall: {t.risk_recall:.2f} (lowest feature {t.min_risk_recall:.2f}); "
        f"with one plan risk per expected risk: {t.risk_recall_distinct:.2f}",
        f"stakeholder recall: {t.stakeholder_recall:.2f}",
        f"trigger recall: {t.trigger_recall:.2f}",
        f"primary profile right: {t.primary_right:.2f}; secondary profiles found: {t.secondary_recall:.2f}",
        f"strategy right: {t.strategy_right:.2f}; mechanism right: {t.mechanism_right:.2f}",
        f"wrong-sense hits: {t.wrong_sense_hits}",
        f"no-profile features said so (no profile, low_coverage finding): {t.none_clean}/{t.none_features}",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="score the held-out features instead")
    ap.add_argument("--set", metavar="NAME", help="score tests/eval/NAME.toml instead (e.g. everyday)")
    ap.add_argument("--missed", action="store_true", help="list missed concepts and wrong-sense hits")
    ap.add_argument("--write", action="store_true", help="write the totals to BENCHMARKS.md")
    args = ap.parse_args()
    path = FEATURES.parent / f"{args.set}.toml" if args.set else HELDOUT if args.heldout else FEATURES
    if args.set and (args.write or not path.is_file()):
        ap.error(
            f"--set {args.set}: "
            + ("--write takes the dev or held-out set only" if args.write else "no such file in tests/eval/")
        )
    _, scores, t = evaluate(path)
    print("\n".join(table(scores)))
    if args.missed:
        print()
        print("\n".join(missed(scores)))
    print()
    print("\n".join(summary(t)))
    if args.write:
        heading = SECTION_HELDOUT if args.heldout else SECTION
        command = "python bench/bench_eval.py" + (" --heldout" if args.heldout else "")
        write_section(
            heading,
            f"{heading}\n\n`{command}` (quick mode, start 2027-03-01):\n\n"
            + "\n".join(f"- {line}" for line in summary(t))
            + "\n",
        )


if __name__ == "__main__":
    main()
