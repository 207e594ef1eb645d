#!/usr/bin/env python3
"""Prints the BENCHMARKS.md tables from criterion's saved results.

Usage: python3 benches/table.py [CRITERION_DIR...]
Each CRITERION_DIR is one run's `criterion` folder (default: $CARGO_TARGET_DIR/criterion, else
target/criterion); copy it away between runs to combine several. For each benchmark and run it
reads criterion's median (estimates.json) and the fastest sample (sample.json); across runs it
reports the median of each. The fastest sample is the least disturbed by other processes, so on
a busy machine its ratio is the better estimate of what the code itself costs.
"""
import json
import os
import statistics
import sys
from pathlib import Path


def load(root):
    """{full_id: (median ns, fastest-sample ns)} for every benchmark of one run."""
    out = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        median = json.loads((bench.parent / "estimates.json").read_text())["median"]
        sample = json.loads((bench.parent / "sample.json").read_text())
        fastest = min(t / n for t, n in zip(sample["times"], sample["iters"]))
        out[meta["full_id"]] = (median["point_estimate"], fastest)
    return out


def fmt(ns):
    return f"{ns:.3g}" if ns < 10 else f"{ns:.1f}"


def across(runs, key, pick):
    """Median over the runs that have `key` of `pick(run)`."""
    values = [pick(run) for run in runs if all(k in run for k in key)]
    return statistics.median(values) if values else None


def pairs(runs):
    """The side-by-side table: every group with a `sharecell` and a `std` member."""
    groups = sorted({k.rsplit("/", 1)[0] for run in runs for k in run if k.endswith("/sharecell")})
    print(f"| operation | sharecell ns | hand-written ns | ratio of medians | ratio of fastest samples |")
    print("|---|---|---|---|---|")
    for g in groups:
        ours, hand = g + "/sharecell", g + "/std"
        key = (ours, hand)
        cells = [
            across(runs, key, lambda r: r[ours][0]),
            across(runs, key, lambda r: r[hand][0]),
            across(runs, key, lambda r: r[ours][0] / r[hand][0]),
            across(runs, key, lambda r: r[ours][1] / r[hand][1]),
        ]
        if None in cells:
            continue
        print(f"| `{g}` | {fmt(cells[0])} | {fmt(cells[1])} | {cells[2]:.2f} | {cells[3]:.2f} |")


def contention(runs):
    """Two threads on disjoint fields: ns per round and throughput against whole-struct locks."""
    rows = sorted({k for run in runs for k in run if k.startswith("two_threads/")})
    if not rows:
        return
    bases = ["std_mutex", "std_rwlock", "parking_lot_mutex"]
    # No fastest-sample column here: the fastest run of a whole-struct lock is one where the two
    # threads happened not to overlap, the opposite of what this table is about.
    print("| two threads, disjoint fields | ns per round | x std Mutex | x std RwLock | x parking_lot |")
    print("|---|---|---|---|---|")
    for k in rows:
        ratios = []
        for b in bases:
            base = "two_threads/whole/" + b
            r = across(runs, (k, base), lambda run: run[base][0] / run[k][0])
            ratios.append(f"{r:.1f}" if r else "-")
        m = across(runs, (k,), lambda r: r[k][0])
        print(f"| `{k[len('two_threads/'):]}` | {fmt(m)} | " + " | ".join(ratios) + " |")
    print()
    print("| one thread alone | ns per op | fastest |")
    print("|---|---|---|")
    for k in sorted({k for run in runs for k in run if k.startswith("one_thread/")}):
        m = across(runs, (k,), lambda r: r[k][0])
        f = across(runs, (k,), lambda r: r[k][1])
        print(f"| `{k[len('one_thread/'):]}` | {fmt(m)} | {fmt(f)} |")


def main():
    roots = [Path(p) for p in sys.argv[1:]]
    if not roots:
        roots = [Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"]
    runs = [load(root) for root in roots]
    if not any(runs):
        sys.exit(f"no criterion results under {', '.join(map(str, roots))}; run `cargo bench`")
    print(f"{len(runs)} run(s); each cell is the median over the runs.\n")
    pairs(runs)
    print()
    contention(runs)


if __name__ == "__main__":
    main()
