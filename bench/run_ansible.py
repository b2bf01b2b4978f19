"""The Ansible benchmark: 100k records through the collection's modules, on SQLite and on Redis.

Usage (see bench/README.md)::

    python bench/run_ansible.py --devices 20000 --store sqlite,redis

Writes ``sot.json`` (``--devices`` devices with four interfaces each: 100,000 records by default),
a drifted ``net.json`` and the schema to a temporary folder, then runs ``sync_100k.yml`` with
``ansible-playbook`` once per store, each from a fresh interpreter so that its CPU time and peak memory
are its own: load both files, plan, apply the plan, sync again. Prints a markdown table of each task's
wall time, the whole playbook's wall and CPU time (all Ansible processes), the peak memory of the
largest process and the load average, with the plan's summary.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HERE = BENCH / "ansible"  # the playbook, its callback and its data generator
REPO_ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(HERE)]

import make_data  # noqa: E402
import run as bench_run  # noqa: E402 - the benchmark's private redis-server

STORES = ("sqlite", "redis")


def collections_root(workdir: Path) -> Path:
    """A collections root holding ``ansible_collections/datasync/diffsync`` as a symlink to this checkout."""
    link = workdir / "collections" / "ansible_collections" / "datasync" / "diffsync"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO_ROOT, target_is_directory=True)
    return workdir / "collections"


def write_inputs(workdir: Path, *, devices: int, seed: int) -> dict[str, int]:
    """Write sot.json, net.json and schema.json; return their record counts."""
    sot, net = make_data.make_records(devices=devices, seed=seed)
    (workdir / "sot.json").write_text(json.dumps(sot))
    (workdir / "net.json").write_text(json.dumps(net))
    (workdir / "schema.json").write_text(json.dumps(make_data.SCHEMA))
    return {"sot": make_data.count_records(sot), "net": make_data.count_records(net)}


def playbook_command(workdir: Path, store_url: str) -> list[str]:
    """``ansible-playbook`` of this interpreter's environment, on the benchmark playbook."""
    binary = Path(sys.executable).parent / "ansible-playbook"
    extra = json.dumps({"bench_dir": str(workdir), "bench_store": store_url})
    return [str(binary), str(HERE / "sync_100k.yml"), "-e", extra]


def run_playbook(workdir: Path, store_url: str) -> dict[str, t.Any]:
    """Run the playbook once (in this process's children) and measure it."""
    times_path = workdir / "task-times.json"
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(collections_root(workdir)),
        "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_task_times",
        "BENCH_TASK_TIMES": str(times_path),
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
    }
    start = time.perf_counter()
    done = subprocess.run(playbook_command(workdir, store_url), env=env, capture_output=True, text=True, check=False)  # noqa: S603
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ansible-playbook failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": round(wall, 1),
        "cpu": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "load_average": round(os.getloadavg()[0], 1),
        **json.loads(times_path.read_text()),
    }


def one_store(store: str, workdir: Path) -> int:
    """Worker: start the store if needed, run the playbook, print the measurement as JSON."""
    server = bench_run.RedisServer(workdir) if store == "redis" else None
    try:
        url = f"redis://127.0.0.1:{server.port}/0" if server else f"sqlite:///{workdir / 'store.db'}"
        result = run_playbook(workdir, url)
    finally:
        if server:
            server.stop()
    print(json.dumps(result))
    return 0


def measure(store: str, inputs: Path) -> dict[str, t.Any]:
    """One store in a fresh interpreter and its own folder (inputs linked in)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-ansible-{store}-") as folder:
        workdir = Path(folder)
        for name in ("sot.json", "net.json", "schema.json"):
            (workdir / name).symlink_to(inputs / name)
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", store, "--workdir", str(workdir)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
        if done.returncode != 0:
            raise SystemExit(f"{store} run failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return t.cast(dict[str, t.Any], json.loads(done.stdout.strip().splitlines()[-1]))


def row(label: str, cells: t.Iterable[str]) -> str:
    """One markdown table row."""
    return f"| {label} | " + " | ".join(cells) + " |"


def report(results: dict[str, dict[str, t.Any]], counts: dict[str, int]) -> str:
    """Markdown: one column per store, one row per task, then the totals."""
    stores = list(results)
    summary = json.dumps(next(iter(results.values()))["summary"])
    lines = [
        f"Records: sot.json {counts['sot']:,}, net.json {counts['net']:,}. Plan: {summary}.",
        "",
        row("task", stores),
        "|---|" + "---:|" * len(stores),
    ]
    for index, task in enumerate(results[stores[0]]["tasks"]):
        lines.append(row(task["task"], (f"{results[s]['tasks'][index].get('seconds', 0):.1f} s" for s in stores)))
    walls = (f"**{results[s]['wall']:.0f} s** (load avg {results[s]['load_average']})" for s in stores)
    lines.append(row("**whole playbook, wall**", walls))
    lines.append(row("whole playbook, CPU (user + sys)", (f"{results[s]['cpu']:.0f} s" for s in stores)))
    lines.append(row("peak memory (largest process)", (f"{results[s]['peak_mb']} MB" for s in stores)))
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=20000, help="devices (each with 4 interfaces; default 20000)")
    parser.add_argument(
        "--store",
        type=lambda value: bench_run.parse_csv(value, STORES),
        default=list(STORES),
        help="sqlite, redis or both, comma-separated (default: both)",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--worker", choices=STORES, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Write the inputs once, measure each store, print the report."""
    args = parse_args(argv)
    if args.worker:
        return one_store(args.worker, Path(args.workdir))
    with tempfile.TemporaryDirectory(prefix="bench-ansible-") as folder:
        inputs = Path(folder)
        counts = write_inputs(inputs, devices=args.devices, seed=args.seed)
        results = {}
        for store in args.store:
            print(f"running the playbook on {store} ...", file=sys.stderr)
            results[store] = measure(store, inputs)
    print(report(results, counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
