# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared options of every plugin: the ``store`` argument spec and its default.

Pairs with ``plugins/doc_fragments/store.py`` (the documentation of the same option) and
``stores.py`` (the factory that turns the option into a store).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping
from typing import Any

from .errors import DiffsyncTaskError

try:
    import yaml
except ImportError:
    HAS_YAML = False
    YAML_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None

STORE_ENV = "DIFFSYNC_STORE"
"""Environment variable naming the store URL used when a task gives none (AWX injects it)."""

STORE_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "store": {"type": "str", "no_log": True},
}
"""The argument spec of the shared options; the default is resolved at run time by ``resolve_store_url``."""

# Documentation keys that mean the same in an argument spec (``suboptions`` is renamed to ``options``).
_SPEC_KEYS = ("type", "required", "default", "choices", "elements", "aliases")


def default_store_url(environ: Mapping[str, str] | None = None) -> str:
    """``$DIFFSYNC_STORE``, else an SQLite file in the user's state directory (``$XDG_STATE_HOME``)."""
    env = os.environ if environ is None else environ
    if env.get(STORE_ENV):
        return env[STORE_ENV]
    home = env.get("HOME") or os.path.expanduser("~")
    state_home = env.get("XDG_STATE_HOME") or os.path.join(home, ".local", "state")
    return "sqlite://" + os.path.join(os.path.abspath(state_home), "datasync-diffsync", "store.db")


def resolve_store_url(value: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The store URL a task uses: ``value`` when given and not empty, else ``default_store_url()``."""
    return value if value else default_store_url(environ)


def _option_spec(name: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    spec = {key: doc[key] for key in _SPEC_KEYS if key in doc}
    if isinstance(spec.get("choices"), Mapping):
        spec["choices"] = list(spec["choices"])
    if "suboptions" in doc:
        spec["options"] = {sub: _option_spec(f"{name}.{sub}", subdoc) for sub, subdoc in doc["suboptions"].items()}
    return spec


def argument_spec(documentation: str) -> dict[str, dict[str, Any]]:
    """The argument spec of a module documented by ``documentation`` plus the shared ``store`` option.

    Options come from the DOCUMENTATION block itself (so docs and validation cannot drift); the
    shared options come from ``STORE_ARGUMENT_SPEC`` because doc fragments are merged only by
    ansible-doc, and because ``no_log`` is not a documentation key.
    """
    if not HAS_YAML:
        raise DiffsyncTaskError(missing_library("PyYAML"))
    doc = yaml.safe_load(documentation)
    spec = {name: _option_spec(name, option) for name, option in (doc.get("options") or {}).items()}
    spec.update({name: dict(option) for name, option in STORE_ARGUMENT_SPEC.items()})
    return spec


def missing_library(library: str, reason: str | None = None) -> str:
    """The message of ``ansible.module_utils.basic.missing_required_lib`` (without importing AnsibleModule)."""
    try:
        from ansible.module_utils.basic import missing_required_lib
    except ImportError:  # pragma: no cover - the plugins always run under ansible-core
        return f"Failed to import the required Python library ({library}). Please install it."
    return str(missing_required_lib(library, reason=reason))
