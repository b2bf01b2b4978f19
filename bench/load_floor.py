"""The lower bound of the benchmark's load phase: what no store can avoid, measured beside the real loads.

Usage (see bench/README.md)::

    python bench/load_floor.py --size 100000 --repeat 3

The load phase of ``run.py`` builds both adapters through each library's ``Adapter.load()``. Part of that
time is the caller's: ``load()`` builds every pydantic model itself, the same way with either library.
This script times, each in a fresh interpreter, the four variants alternating, best of ``--repeat``:

- ``diffsync``: the benchmark's load through diffsync 2.2.3;
- ``engine``: the benchmark's load through the engine;
- ``construct``: only the caller's share: the same engine models built from the same dicts and kept;
- ``bare``: ``construct`` plus the least any in-memory store must do: each object put in a dict under its
  unique id, each child's unique id appended to its parent's list. No duplicate or shortname checks, no
  adapter binding, nothing shared, and the unique ids written out for these two models (``get_unique_id()``
  on an object that never computed it pays for the exception of its unset cache slot, about 1.4 µs): a
  floor, not an implementation.

The engine variants run with the garbage collector paused, as the engine's ``Adapter.load()`` runs.
The report gives each time and diffsync's time divided by it: the ``bare`` ratio is the most any
library that takes caller-built pydantic objects could reach on this machine.
"""

from __future__ import annotations

import argparse
import json
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
import models  # noqa: E402

VARIANTS = ("diffsync", "engine", "construct", "bare")
Side = list[dict[str, t.Any]]


def build_models(classes: models.Classes, side: Side, keep: list[t.Any]) -> None:
    """The caller's share of a load: every device and interface built from its dict and kept."""
    for record in side:
        device = classes.device(**{key: value for key, value in record.items() if key != "interfaces"})
        keep.append(device)
        for interface_fields in record["interfaces"]:
            keep.append(classes.interface(**interface_fields))


def bare_store(classes: models.Classes, side: Side, objects: dict[str, dict[str, t.Any]]) -> None:
    """The caller's share plus the least a store does: index by unique id, list children's unique ids."""
    devices, interfaces = objects.setdefault("device", {}), objects.setdefault("interface", {})
    for record in side:
        device = classes.device(**{key: value for key, value in record.items() if key != "interfaces"})
        children = device.interfaces
        for interface_fields in record["interfaces"]:
            interface = classes.interface(**interface_fields)
            fields = interface.__dict__
            uid = f"{fields['device_name']}__{fields['name']}"  # the unique id, with no call at all
            interfaces[uid] = interface
            children.append(uid)
        devices[device.__dict__["name"]] = device


def load_variant(variant: str, dataset: dict[str, t.Any]) -> float:
    """Seconds to load both sides of ``dataset`` the way ``variant`` does."""
    impl = "diffsync" if variant == "diffsync" else "engine"
    lib = models.import_library(impl)  # type: ignore[arg-type]
    classes = models.build_classes(lib)
    sides = (dataset["source"], dataset["target"])
    held: list[t.Any] = []
    start = time.perf_counter()
    if variant in ("diffsync", "engine"):
        for name, side in zip(("src", "dst"), sides, strict=True):
            adapter = classes.adapter(name=name)
            adapter.records = side
            adapter.load()  # the engine's load() pauses the collector itself
            held.append(adapter)
    else:
        gcpause = __import__(f"{engine_import.ENGINE_MODULE}.gcpause", fromlist=["paused_gc"])
        for side in sides:
            with gcpause.paused_gc():
                if variant == "construct":
                    build_models(classes, side, held)
                else:
                    objects: dict[str, dict[str, t.Any]] = {}
                    bare_store(classes, side, objects)
                    held.append(objects)
    return time.perf_counter() - start


def worker(variant: str, data_path: str) -> int:
    """Measure one variant once and print its seconds as JSON."""
    import worker as bench_worker

    bench_worker.quiet_logging()
    dataset = json.loads(Path(data_path).read_text())
    print(json.dumps({"variant": variant, "seconds": load_variant(variant, dataset)}))
    return 0


def measure(variant: str, data_path: Path) -> float:
    """One fresh-interpreter run of ``variant``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", variant, "--data", str(data_path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own argv
    if done.returncode != 0:
        raise SystemExit(f"{variant} run failed:\n{done.stderr.strip()}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def report(size: int, best: dict[str, float]) -> str:
    """A markdown table: best seconds per variant and diffsync's time divided by each."""
    lines = [
        f"Load of both sides, {size:,} objects a side, best of the runs (seconds; ratio = diffsync / variant):",
        "",
        "| variant | seconds | diffsync / variant |",
        "|---|---:|---:|",
    ]
    for variant in VARIANTS:
        lines.append(f"| {variant} | {best[variant]:.3f} | {best['diffsync'] / best[variant]:.1f}x |")
    share = best["construct"] / best["engine"]
    lines += ["", f"The caller's model construction is {share:.0%} of the engine's load time."]
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100000, help="objects per side (default: 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant, best kept (default: 3)")
    parser.add_argument("--seed", type=int, default=20240601, help="data generator seed")
    parser.add_argument("--worker", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Generate the data once, run the variants alternating, print the report."""
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker, args.data)
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as workdir:
        data_path = Path(workdir) / "data.json"
        data_path.write_text(json.dumps(data.generate(args.size, seed=args.seed)))
        runs: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        for round_number in range(1, args.repeat + 1):
            for variant in VARIANTS:
                runs[variant].append(measure(variant, data_path))
                print(f"round {round_number}: {variant} {runs[variant][-1]:.3f} s", file=sys.stderr)
    engine = engine_import.git_state(engine_import.REPO_ROOT / "plugins" / "module_utils" / "engine")
    print(f"Python {sys.version.split()[0]}, engine {engine}, {args.repeat} run(s) per variant.\n")
    print(report(args.size, {variant: min(times) for variant, times in runs.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
