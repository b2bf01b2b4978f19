"""Without pydantic (or redis) every plugin still imports, and fails at use with Ansible's install hint."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("pydantic", "pydantic_core", "redis"):
                raise ImportError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    base = "ansible_collections.datasync.diffsync.plugins"
    import importlib
    for plugin in ("action.diffsync_load", "action.diffsync_diff", "action.diffsync_sync", "lookup.diffsync",
                   "modules.diffsync_load", "doc_fragments.store"):
        importlib.import_module(f"{base}.{plugin}")
    operations = importlib.import_module(f"{base}.plugin_utils.operations")
    assert not operations.HAS_DEPENDENCIES
    try:
        operations.lookup_objects(store="memory://", adapter="a", models=["m"])
    except operations.DiffsyncTaskError as exc:
        print(exc)
""")


def test_plugins_import_without_third_party_libraries() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Failed to import the required Python library (pydantic")
