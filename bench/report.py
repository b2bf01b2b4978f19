"""Markdown report for bench/run.py: method, one table per store, correctness and target checks."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import typing as t
from importlib import metadata

PHASES = ("load", "diff", "sync", "verify")
TOTAL = "load+diff+sync"
MB = 1024 * 1024

Cell = dict[str, t.Any]
SizeResult = dict[str, t.Any]


def fmt_seconds(value: float) -> str:
    """Seconds with about three significant digits."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}" if value >= 0.01 else f"{value:.4f}"


def fmt_ratio(numerator: float | None, denominator: float | None) -> str:
    """``numerator / denominator`` as ``12.3x``, or a dash when either is missing."""
    if numerator is None or not denominator:
        return "—"
    ratio = numerator / denominator
    return f"{ratio:.1f}x" if ratio < 100 else f"{ratio:.0f}x"


def seconds(cell: Cell, phase: str) -> float | None:
    """Best time of ``phase`` (or the load+diff+sync total) in a cell, None when not measured."""
    phases = cell.get("time", {}).get("phases")
    if not phases or (phase != TOTAL and phase not in phases):
        return None
    if phase == TOTAL:
        return sum(phases[name]["seconds"] for name in ("load", "diff", "sync"))
    return float(phases[phase]["seconds"])


def peak_mb(cell: Cell, phase: str) -> float | None:
    """Traced peak of ``phase`` in MB (for the total: the highest of load, diff and sync)."""
    phases = cell.get("memory", {}).get("phases")
    if not phases or (phase != TOTAL and phase not in phases):
        return None
    if phase == TOTAL:
        return max(phases[name]["peak_bytes"] for name in ("load", "diff", "sync")) / MB
    return float(phases[phase]["peak_bytes"]) / MB


def show(value: float | None, cell: Cell, formatter: t.Callable[[float], str]) -> str:
    """A measured value, or why there is none."""
    if value is not None:
        return formatter(value)
    if cell.get("skipped"):
        return str(cell["skipped"])
    if "error" in cell.get("time", {}):
        return "error"
    return "failed (see notes)" if cell.get("time", {}).get("verify_error") else "—"


def show_mb(value: float | None, cell: Cell) -> str:
    """A traced peak in MB, or why there is none."""
    reason = cell.get("memory", {}).get("skipped")
    return str(reason) if value is None and reason else show(value, cell, "{:.1f}".format)


def table_rows(result: SizeResult, store: str) -> list[str]:
    """The rows of one size in one store's table."""
    cells = result["stores"][store]
    ref, eng = cells.get("diffsync", {}), cells.get("engine", {})
    rows = []
    for phase in (*PHASES, TOTAL):
        ref_s, eng_s, ref_m, eng_m = seconds(ref, phase), seconds(eng, phase), peak_mb(ref, phase), peak_mb(eng, phase)
        rows.append(
            f"| {result['size']:,} | {phase} | {show(ref_s, ref, fmt_seconds)} | {show(eng_s, eng, fmt_seconds)}"
            f" | {fmt_ratio(ref_s, eng_s)} | {show_mb(ref_m, ref)} | {show_mb(eng_m, eng)}"
            f" | {fmt_ratio(ref_m, eng_m)} |"
        )
    return rows


def store_table(results: list[SizeResult], store: str) -> list[str]:
    """Markdown table for one store."""
    engine_store = {"memory": "LocalStore", "sqlite": "SQLiteStore (temp file)", "redis": "RedisStore"}[store]
    reference_store = {"memory": "LocalStore", "sqlite": "none", "redis": "RedisStore"}[store]
    lines = [
        f"### Store: {store} (engine {engine_store}; diffsync {reference_store})",
        "",
        "| size | phase | diffsync s | engine s | speedup x | diffsync MB | engine MB | memory ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines += table_rows(result, store)
    return [*lines, ""]


def store_comparison(results: list[SizeResult], stores: list[str]) -> list[str]:
    """Engine only: each persistent store against the engine's memory store."""
    others = [store for store in stores if store != "memory"]
    if "memory" not in stores or not others or args_impl_lacks_engine(results):
        return []
    lines = [
        "### Engine stores compared with the engine's memory store",
        "",
        "| size | store | load s | diff+sync s | diff+sync vs memory | peak MB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        base = diff_sync_seconds(result["stores"]["memory"].get("engine", {}))
        for store in stores:
            cell = result["stores"][store].get("engine", {})
            value = diff_sync_seconds(cell)
            load, peak = seconds(cell, "load"), peak_mb(cell, TOTAL)
            lines.append(
                f"| {result['size']:,} | {store} | {show(load, cell, fmt_seconds)} | "
                f"{show(value, cell, fmt_seconds)} | {fmt_ratio(value, base)} | {show_mb(peak, cell)} |"
            )
    return [*lines, ""]


def args_impl_lacks_engine(results: list[SizeResult]) -> bool:
    """True when no engine cell was run at all."""
    return not any("engine" in cells for result in results for cells in result["stores"].values())


def diff_sync_seconds(cell: Cell) -> float | None:
    """Diff plus sync time of a cell."""
    diff, sync = seconds(cell, "diff"), seconds(cell, "sync")
    return None if diff is None or sync is None else diff + sync


def version_line(args: argparse.Namespace) -> str:
    """Python, diffsync and engine versions, and the machine."""
    engine = f"`{args.engine_version}`, frozen for the run" if args.engine_version else "not run"
    return (
        f"- Python {platform.python_version()}, diffsync {metadata.version('diffsync')}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}; engine {engine}."
    )


def method_lines(args: argparse.Namespace) -> list[str]:
    """How the numbers were measured, and on what."""
    return [
        version_line(args),
        f"- Time: `time.perf_counter` per phase in runs without tracemalloc, best of {args.repeat} (diffsync's "
        "RedisStore: one run), each run a fresh process (`run.py --worker`), the two libraries' runs "
        "alternating.",
        "- Memory: "
        + (
            "not measured (--no-memory)."
            if args.no_memory
            else "tracemalloc peak of Python allocations per phase (peak reset before each phase), in a separate "
            "process, minus what was held before the first phase (input dicts, imported modules). "
            "Memory inside redis-server and SQLite's own page cache is not counted; diffsync's RedisStore "
            "gets no tracemalloc run (under tracemalloc its 10k-object run took about half an hour here)."
        ),
        "- Ratios are diffsync / engine: above 1x the engine is faster or smaller. "
        "`verify` is a second `diff_from` after the sync (must find nothing).",
        "",
    ]


def profile_sections(results: list[SizeResult]) -> list[str]:
    """The engine's cProfile listings, one fenced block per size, store and phase."""
    lines: list[str] = []
    for result in results:
        for store, cells in result["stores"].items():
            run = cells.get("engine", {}).get("profile", {})
            if "error" in run:
                lines += [f"Profile run failed (size {result['size']:,}, {store}):", "```", run["error"], "```", ""]
            for phase, text in run.get("profiles", {}).items():
                title = f"### cProfile: engine {phase}, {result['size']:,} objects a side, {store} store"
                lines += [title, "", "Top 15 by cumulative time (profiled run, slower than the timed run).", ""]
                lines += ["```", text, "```", ""]
    return lines


def print_report(results: list[SizeResult], args: argparse.Namespace) -> int:
    """Print the whole report; return the exit code (1 when any correctness check failed)."""
    import checks

    lines = ["## Benchmark: diffsync 2.2.3 vs engine", "", *method_lines(args)]
    for store in args.store:
        lines += store_table(results, store)
    lines += store_comparison(results, args.store)
    problems, notes = checks.correctness(results, args.engine_version)
    lines += checks.target_lines(results, args.store)
    lines += [f"Note: {note}" for note in notes] + ([""] if notes else [])
    lines += profile_sections(results)
    print("\n".join(lines))
    if problems:
        banner = "!" * 78
        print(
            f"\n{banner}\nBENCHMARK CORRECTNESS FAILURE\n" + "\n".join(f"- {p}" for p in problems) + f"\n{banner}",
            file=sys.stderr,
        )
        return 1
    print(
        "Correctness: every run loaded the same data and found the expected diff summary; every run but "
        "those in the notes found an empty diff after the sync."
        if notes
        else "Correctness: every run loaded the same data, found the expected diff summary, and found an empty "
        "diff after the sync."
    )
    return 0
