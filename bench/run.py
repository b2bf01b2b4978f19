"""Benchmark: the same workload through diffsync 2.2.3 and through the collection's engine.

Usage (see bench/README.md)::

    python bench/run.py --sizes 1000,10000 --store memory --impl both --repeat 1

Each implementation, size, store and measurement mode runs in its own subprocess
(``run.py --worker ...``), so the memory of one run never pollutes another.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import data  # noqa: E402
import engine_import  # noqa: E402
import report  # noqa: E402

IMPLS = ("diffsync", "engine")
STORES = ("memory", "sqlite", "redis")


def parse_csv(value: str, allowed: tuple[str, ...] | None = None) -> list[str]:
    """Split a comma-separated option, checking each item against ``allowed``."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    bad = [item for item in items if allowed is not None and item not in allowed]
    if bad or not items:
        raise argparse.ArgumentTypeError(f"got {value!r}; choose from {', '.join(allowed or ())}")
    return items


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=lambda v: [int(x) for x in parse_csv(v)],
        default=[1000, 10000, 100000],
        help="objects per side, comma-separated (default: 1000,10000,100000)",
    )
    parser.add_argument(
        "--store",
        type=lambda v: parse_csv(v, STORES),
        default=["memory"],
        help="memory, sqlite or redis; a comma-separated list runs each (default: memory)",
    )
    parser.add_argument("--impl", choices=("both", "engine", "diffsync"), default="both")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per cell, best kept (default: 1)")
    parser.add_argument(
        "--reference-max",
        type=int,
        default=10000,
        help="largest size run through diffsync's RedisStore, which is very slow (default: 10000)",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--profile",
        metavar="PHASES",
        type=lambda v: parse_csv(v, ("load", "diff", "sync", "verify")),
        default=[],
        help="also profile these engine phases (cProfile, top 15 by cumulative time), e.g. diff,sync",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every raw result to this JSON file")
    return parser.parse_args(argv)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A private redis-server on a free loopback port, in a temp dir, without persistence."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("--store redis needs redis-server on PATH (Debian: apt-get install redis-server)")
        self.port = free_port()
        command = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--loglevel",
            "warning",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        self._wait_ready()

    def _wait_ready(self, timeout: float = 10.0) -> None:
        """Block until the server accepts connections."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"redis-server exited with code {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f"redis-server did not start on 127.0.0.1:{self.port} within {timeout} s")

    def stop(self) -> None:
        """Terminate the server (this process started it) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Job(t.NamedTuple):
    """What every worker of one size and store needs."""

    data_path: Path
    workdir: Path
    redis_port: int | None
    profile: list[str]


def worker_command(impl: str, store: str, mode: str, job: Job, result_path: Path) -> list[str]:
    """The argv of one worker process."""
    command = [sys.executable, str(HERE / "run.py"), "--worker", "--impl", impl, "--store", store, "--mode", mode]
    command += ["--data", str(job.data_path), "--result", str(result_path), "--workdir", str(job.workdir)]
    if job.redis_port:
        command += ["--redis-port", str(job.redis_port)]
    if mode == "profile":
        command += ["--profile", ",".join(job.profile)]
    return command


def run_worker(impl: str, store: str, mode: str, job: Job) -> dict[str, t.Any]:
    """One measurement in a fresh interpreter; returns its result or an ``error`` record."""
    result_path = job.workdir / f"result-{impl}-{store}-{mode}.json"
    command = worker_command(impl, store, mode, job, result_path)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
    if done.returncode != 0 or not result_path.exists():
        return {"impl": impl, "store": store, "mode": mode, "error": (done.stderr or done.stdout)[-4000:]}
    result: dict[str, t.Any] = json.loads(result_path.read_text())
    result_path.unlink()
    return result


def best_of(runs: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    """Merge repeated timing runs, keeping each phase's best time."""
    good = [run for run in runs if "error" not in run]
    if not good:
        return runs[0]
    merged = dict(good[0])
    merged["phases"] = {
        phase: {"seconds": min(run["phases"][phase]["seconds"] for run in good)} for phase in good[0]["phases"]
    }
    merged["runs"] = len(good)
    return merged


def skip_reason(impl: str, store: str, size: int, args: argparse.Namespace) -> str | None:
    """Why a cell is not run, or None."""
    if impl == "diffsync" and store == "sqlite":
        return "n/a (no SQLiteStore)"
    if impl == "diffsync" and store == "redis" and size > args.reference_max:
        return "skipped (too slow)"
    return None


def timing_runs(store: str, impls: list[str], job: Job, args: argparse.Namespace) -> dict[str, list[dict[str, t.Any]]]:
    """``--repeat`` timing runs per implementation, alternating between them (diffsync, engine, diffsync, ...)
    so that a machine that gets slower or faster during the run affects both alike."""
    runs: dict[str, list[dict[str, t.Any]]] = {impl: [] for impl in impls}
    for round_number in range(args.repeat):
        for impl in impls:
            if round_number == 0 or not is_slow_reference(impl, store):
                started = time.perf_counter()
                runs[impl].append(run_worker(impl, store, "time", job))
                seconds = time.perf_counter() - started
                progress(f"    {impl:8} on {store:6}: timing run {round_number + 1} in {seconds:.1f} s")
    return runs


def is_slow_reference(impl: str, store: str) -> bool:
    """diffsync's RedisStore takes minutes per run: measured once, without tracemalloc."""
    return impl == "diffsync" and store == "redis"


def measure_cell(
    impl: str, store: str, job: Job, args: argparse.Namespace, runs: list[dict[str, t.Any]]
) -> dict[str, t.Any]:
    """The best of the timing ``runs``, then one memory run and, for the engine, one profile run."""
    timing = best_of(runs)
    cell: dict[str, t.Any] = {"time": timing}
    if is_slow_reference(impl, store):
        cell["memory"] = {"skipped": "not measured (too slow)"}
    elif not args.no_memory and "error" not in timing:
        cell["memory"] = run_worker(impl, store, "memory", job)
    if job.profile and impl == "engine" and "error" not in timing:
        cell["profile"] = run_worker(impl, store, "profile", job)
    return cell


def progress(message: str) -> None:
    """Progress on stderr, so stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


def run_size(size: int, args: argparse.Namespace, workdir: Path, redis_port: int | None) -> dict[str, t.Any]:
    """Generate the data set for ``size`` once and measure every requested cell on it."""
    dataset = data.generate(size, seed=args.seed)
    data_path = workdir / f"data-{size}.json"
    data_path.write_text(json.dumps(dataset))
    progress(
        f"size {size}: {data.count_objects(dataset['source'])} source / "
        f"{data.count_objects(dataset['target'])} target objects, fingerprint {data.fingerprint(dataset)}"
    )
    impls = IMPLS if args.impl == "both" else (args.impl,)
    stores: dict[str, dict[str, t.Any]] = {}
    for store in args.store:
        job = Job(data_path, workdir, redis_port if store == "redis" else None, args.profile)
        skipped = {impl: reason for impl in impls if (reason := skip_reason(impl, store, size, args))}
        measured = [impl for impl in impls if impl not in skipped]
        runs = timing_runs(store, measured, job, args)
        stores[store] = {impl: {"skipped": reason} for impl, reason in skipped.items()}
        for impl in measured:
            stores[store][impl] = measure_cell(impl, store, job, args, runs[impl])
        stores[store] = {impl: stores[store][impl] for impl in impls}  # report order: as requested
    data_path.unlink()
    return {
        "size": size,
        "expected_summary": dataset["expected_summary"],
        "fingerprint": data.fingerprint(dataset),
        "stores": stores,
    }


def freeze_engine(args: argparse.Namespace) -> None:
    """Let every worker import one frozen copy of the engine, whatever happens to the checkout meanwhile."""
    args.engine_version = None
    if args.impl != "diffsync":
        root, args.engine_version = engine_import.freeze_engine()
        os.environ[engine_import.ROOT_VARIABLE] = str(root)
        progress(f"engine frozen for this run: {args.engine_version}")


def run_all(args: argparse.Namespace) -> list[dict[str, t.Any]]:
    """Every size, with a private redis-server when a Redis store is requested."""
    freeze_engine(args)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        server = RedisServer(workdir) if "redis" in args.store else None
        try:
            return [run_size(size, args, workdir, server.port if server else None) for size in args.sizes]
        finally:
            if server:
                server.stop()


def main(argv: list[str]) -> int:
    """Entry point: ``--worker`` runs one measurement, otherwise the whole benchmark."""
    if "--worker" in argv:
        import worker

        return worker.main(argv)
    args = parse_args(argv)
    results = run_all(args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return report.print_report(results, args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
