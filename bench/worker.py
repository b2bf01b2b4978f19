"""One benchmark run: one implementation, one size, one store, in its own process.

``run.py --worker`` calls ``main()``. The worker reads the data set written by the parent, loads
both adapters, diffs, syncs and verifies, and writes a JSON result file. In ``time`` mode the
phases are timed with ``time.perf_counter`` and tracemalloc is off; in ``memory`` mode
tracemalloc is on and each phase records its peak of traced Python memory (the peak is reset
before each phase; the memory held by the input dicts and the imported modules is subtracted);
in ``profile`` mode the ``--profile`` phases run under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import logging
import pstats
import time
import tracemalloc
import typing as t
import uuid
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import data
import engine_import
import models

PHASES = ("load", "diff", "sync", "verify")


def quiet_logging() -> None:
    """Drop every log event below CRITICAL, for structlog (diffsync) and the standard library."""
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    logging.disable(logging.ERROR)


def redis_store(lib_module: str, side: str, port: int) -> t.Any:
    """A RedisStore of ``lib_module`` on the bench's own redis-server."""
    store_module = __import__(f"{lib_module}.store.redis", fromlist=["RedisStore"])
    store_id = f"bench-{uuid.uuid4().hex[:8]}-{side}"
    return store_module.RedisStore(host="127.0.0.1", port=port, store_id=store_id)


def sqlite_store(lib_module: str, side: str, path: Path) -> t.Any:
    """An engine SQLiteStore in this run's own file (both sides share it, as two store_ids)."""
    store_module = __import__(f"{lib_module}.store.sqlite", fromlist=["SQLiteStore"])
    return store_module.SQLiteStore(database_path=str(path), store_id=side)


def make_adapter(classes: models.Classes, lib_module: str, side: str, args: argparse.Namespace) -> t.Any:
    """An empty adapter on the requested store."""
    if args.store == "memory":
        return classes.adapter(name=side)
    if args.store == "redis":
        return classes.adapter(name=side, internal_storage_engine=redis_store(lib_module, side, args.redis_port))
    return classes.adapter(name=side, internal_storage_engine=sqlite_store(lib_module, side, args.sqlite_path))


class Recorder:
    """Runs phases and records their time or traced-memory peak."""

    def __init__(self, mode: str, profile: tuple[str, ...] = ()) -> None:
        self.mode = mode
        self.profile = profile
        self.profiles: dict[str, str] = {}
        self.results: dict[str, dict[str, float]] = {}
        self.baseline = 0
        if mode == "memory":
            tracemalloc.start()

    def set_baseline(self) -> None:
        """Memory already held before the first phase (input dicts, modules) is not counted."""
        gc.collect()
        if self.mode == "memory":
            self.baseline = tracemalloc.get_traced_memory()[0]

    def phase(self, name: str, func: Callable[[], t.Any]) -> t.Any:
        """Run ``func`` as phase ``name`` and return its result."""
        gc.collect()
        if self.mode == "memory":
            tracemalloc.reset_peak()
        profiler = cProfile.Profile() if name in self.profile else None
        start = time.perf_counter()
        result = profiler.runcall(func) if profiler else func()
        seconds = time.perf_counter() - start
        if profiler:
            self.profiles[name] = profile_text(profiler)
        record: dict[str, float] = {"seconds": seconds}
        if self.mode == "memory":
            current, peak = tracemalloc.get_traced_memory()
            record.update(peak_bytes=peak - self.baseline, held_bytes=current - self.baseline)
        self.results[name] = record
        return result


def profile_text(profiler: cProfile.Profile, limit: int = 15) -> str:
    """The ``limit`` most expensive calls by cumulative time, as pstats prints them."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(limit)
    text = out.getvalue()
    return text[text.find("   ncalls") :].rstrip() if "   ncalls" in text else text.strip()


def load_both(
    classes: models.Classes, lib_module: str, dataset: dict[str, t.Any], args: argparse.Namespace
) -> tuple[t.Any, t.Any]:
    """Build the source and target adapters from the data set."""
    src = make_adapter(classes, lib_module, "src", args)
    dst = make_adapter(classes, lib_module, "dst", args)
    src.records, dst.records = dataset["source"], dataset["target"]
    src.load()  # each library's Adapter.load(): the way adapters are filled in real use
    dst.load()
    return src, dst


def run(args: argparse.Namespace) -> dict[str, t.Any]:
    """All phases for one implementation; returns the result record."""
    dataset = json.loads(Path(args.data).read_text())
    lib = models.import_library(args.impl)
    classes = models.build_classes(lib)
    profile = tuple(args.profile.split(",")) if args.mode == "profile" else ()
    recorder = Recorder(args.mode, profile)
    recorder.set_baseline()
    src, dst = recorder.phase("load", lambda: load_both(classes, lib.__name__, dataset, args))
    counts = {"src": len(src), "dst": len(dst)}
    diffs = [recorder.phase("diff", lambda: dst.diff_from(src))]
    recorder.phase("sync", lambda: dst.sync_from(src, diff=diffs[0]))
    summary = diffs.pop().summary()  # the first diff is released before the verification diff
    return {
        "impl": args.impl,
        "store": args.store,
        "mode": args.mode,
        "size": dataset["size"],
        "fingerprint": data.fingerprint(dataset),
        "library": str(Path(lib.__file__ or "").resolve().parent),
        "version": engine_import.files_hash(Path(lib.__file__ or "").parent)
        if args.impl == "engine"
        else metadata.version("diffsync"),
        "counts": counts,
        "summary": summary,
        **verify(recorder, src, dst),
        "phases": recorder.results,
        "profiles": recorder.profiles,
    }


def verify(recorder: Recorder, src: t.Any, dst: t.Any) -> dict[str, t.Any]:
    """Diff again after the sync; an error is recorded, not raised (diffsync's RedisStore fails here)."""
    try:
        after = recorder.phase("verify", lambda: dst.diff_from(src))
    except Exception as exc:  # reported by the parent
        return {"verify_error": f"{type(exc).__name__}: {exc}"}
    return {"verify_has_diffs": after.has_diffs(), "verify_summary": after.summary()}


def clean_stores(args: argparse.Namespace) -> None:
    """Empty the bench's own redis-server database and remove this run's SQLite files."""
    if args.redis_port:
        import redis

        redis.Redis(host="127.0.0.1", port=args.redis_port).flushdb()
    for path in args.sqlite_path.parent.glob(f"{args.sqlite_path.name}*"):
        path.unlink()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Worker options (set by run.py, not meant for people)."""
    parser = argparse.ArgumentParser(prog="run.py --worker")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--impl", choices=("diffsync", "engine"), required=True)
    parser.add_argument("--store", choices=("memory", "sqlite", "redis"), required=True)
    parser.add_argument("--mode", choices=("time", "memory", "profile"), required=True)
    parser.add_argument("--profile", default="", help="phases to run under cProfile (profile mode)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--redis-port", type=int, default=None)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run one measurement and write its JSON result."""
    args = parse_args(argv)
    args.sqlite_path = Path(args.workdir) / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
    quiet_logging()
    clean_stores(args)
    try:
        result = run(args)
    finally:
        clean_stores(args)
    Path(args.result).write_text(json.dumps(result))
    return 0
