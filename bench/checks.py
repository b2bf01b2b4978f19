"""Correctness checks on the workers' results, and the performance targets of issues 2 and 3."""

from __future__ import annotations

import typing as t

from report import TOTAL, diff_sync_seconds, peak_mb, seconds

Cell = dict[str, t.Any]
SizeResult = dict[str, t.Any]
TARGET_SIZE = 100_000
REDIS_REFERENCE_SIZE = 10_000


def measured_runs(cell: Cell) -> list[dict[str, t.Any]]:
    """The timing and memory results of a cell (none when skipped)."""
    return [cell[mode] for mode in ("time", "memory") if mode in cell and "skipped" not in cell[mode]]


def run_problems(run: dict[str, t.Any], result: SizeResult, where: str) -> list[str]:
    """What is wrong with one worker result."""
    if "error" in run:
        return [f"{where}: worker failed:\n{run['error']}"]
    problems = []
    if run["fingerprint"] != result["fingerprint"]:
        problems.append(f"{where}: loaded data {run['fingerprint']}, expected {result['fingerprint']}")
    if run["summary"] != result["expected_summary"]:
        problems.append(f"{where}: diff summary {run['summary']} != expected {result['expected_summary']}")
    if run.get("verify_error"):
        problems.append(f"{where}: diff after sync failed: {run['verify_error']}")
    elif run["verify_has_diffs"]:
        problems.append(f"{where}: diff after sync is not empty: {run['verify_summary']}")
    return problems


def is_known_reference_defect(problem: str, impl: str, store: str) -> bool:
    """diffsync's RedisStore stores copies, so what a sync changes on them is lost (FIELD-NOTES)."""
    return impl == "diffsync" and store == "redis" and "diff after sync" in problem


def agreement_problems(result: SizeResult, store: str) -> list[str]:
    """diffsync and the engine must report the same diff summary on the same data."""
    cells = result["stores"][store]
    summaries = {
        impl: run["summary"] for impl, cell in cells.items() for run in measured_runs(cell) if "summary" in run
    }
    if len({repr(sorted(s.items())) for s in summaries.values()}) > 1:
        return [f"size {result['size']} store {store}: implementations disagree on diff.summary(): {summaries}"]
    return []


def version_problems(run: dict[str, t.Any], impl: str, engine_version: str | None, where: str) -> list[str]:
    """An engine run must have imported the frozen copy the parent made."""
    if impl != "engine" or "error" in run or not engine_version:
        return []
    if f"(files {run['version']})" not in engine_version:
        return [f"{where}: measured engine files {run['version']}, not the frozen copy {engine_version}"]
    return []


def correctness(results: list[SizeResult], engine_version: str | None = None) -> tuple[list[str], list[str]]:
    """(problems, notes) over every measured run."""
    problems: list[str] = []
    notes: list[str] = []
    for result in results:
        for store, cells in result["stores"].items():
            problems += agreement_problems(result, store)
            for impl, cell in cells.items():
                found = []
                for run in measured_runs(cell):
                    where = f"size {result['size']:,} store {store} {impl} ({run.get('mode', '?')} run)"
                    found += run_problems(run, result, where) + version_problems(run, impl, engine_version, where)
                known = [p for p in found if is_known_reference_defect(p, impl, store)]
                problems += [p for p in found if p not in known]
                notes += [
                    f"{p} (known diffsync 2.2.3 RedisStore defect: it stores copies, so the children lists "
                    "changed during the sync are lost; not counted as a benchmark failure)"
                    for p in known[:1]
                ]
    return problems, notes


def find(results: list[SizeResult], size: int) -> SizeResult | None:
    """The result for one size, if it was run."""
    return next((result for result in results if result["size"] == size), None)


def verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, None when either is missing."""
    return None if numerator is None or not denominator else numerator / denominator


def check_line(label: str, value: float | None, goal: float, at_least: bool) -> str:
    """One target line: the measured ratio against its goal."""
    if value is None:
        return f"- {label}: not measured in this run"
    ok = value >= goal if at_least else value <= goal
    sign = ">=" if at_least else "<="
    return f"- {label}: {value:.1f}x (target {sign} {goal:g}x) **{verdict(ok)}**"


def memory_targets(result: SizeResult) -> list[str]:
    """Issue 2: engine vs diffsync on LocalStore at 100k objects a side."""
    cells = result["stores"]["memory"]
    ref, eng = cells.get("diffsync", {}), cells.get("engine", {})
    lines = [
        check_line(
            f"{phase} speedup (memory store, {result['size']:,})",
            ratio(seconds(ref, phase), seconds(eng, phase)),
            goal,
            at_least=True,
        )
        for phase, goal in (("load", 5), ("diff", 10), ("sync", 10))
    ]
    mem = ratio(peak_mb(ref, TOTAL), peak_mb(eng, TOTAL))
    label = f"peak memory diffsync/engine (memory store, {result['size']:,})"
    return [*lines, check_line(label, mem, 3, at_least=True)]


def redis_reference_target(result: SizeResult) -> list[str]:
    """Issue 3: engine RedisStore diff+sync vs diffsync's RedisStore at 10k."""
    cells = result["stores"]["redis"]
    value = ratio(diff_sync_seconds(cells.get("diffsync", {})), diff_sync_seconds(cells.get("engine", {})))
    return [check_line(f"diff+sync speedup on RedisStore ({result['size']:,})", value, 50, at_least=True)]


def store_targets(result: SizeResult, stores: list[str]) -> list[str]:
    """Issue 3: engine persistent stores vs the engine's memory store at 100k."""
    base = diff_sync_seconds(result["stores"]["memory"].get("engine", {}))
    lines = []
    for store, goal in (("redis", 3), ("sqlite", 2)):
        if store in stores:
            value = ratio(diff_sync_seconds(result["stores"][store].get("engine", {})), base)
            lines.append(
                check_line(
                    f"engine {store} diff+sync vs engine memory ({result['size']:,})", value, goal, at_least=False
                )
            )
    return lines


def target_lines(results: list[SizeResult], stores: list[str]) -> list[str]:
    """The targets that this run measured, each with PASS or MISS."""
    lines: list[str] = []
    big, reference = find(results, TARGET_SIZE), find(results, REDIS_REFERENCE_SIZE)
    if big and "memory" in stores:
        lines += memory_targets(big)
        lines += store_targets(big, stores)
    if reference and "redis" in stores:
        lines += redis_reference_target(reference)
    if not lines:
        return [
            "Targets are defined at 100,000 objects a side (10,000 for diffsync's RedisStore): "
            "not measured in this run.",
            "",
        ]
    return ["### Targets", "", *lines, ""]
