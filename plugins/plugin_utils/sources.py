# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Record files on the controller (``src``): JSON, YAML or CSV, read straight into Items.

Reading the file here, rather than passing its content through a templated task argument, keeps
large loads fast: Ansible's variable handling costs far more than parsing (docs/performance.md).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping
from typing import Any

from .errors import DiffsyncTaskError
from .options import HAS_YAML, missing_library
from .records import Item, ModelInfo, items_from_data

if HAS_YAML:
    import yaml

FORMATS = {".json": "json", ".yml": "yaml", ".yaml": "yaml", ".csv": "csv"}


def source_format(path: str) -> str:
    """``json``, ``yaml`` or ``csv`` from the file name's extension."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise DiffsyncTaskError(f"src: cannot tell the format of {path!r} from its extension; "
                                f"name it *.json, *.yml, *.yaml or *.csv")
    return FORMATS[ext]


def read_items(path: str, infos: Mapping[str, ModelInfo], *, model: str | None = None) -> list[Item]:
    """The records of file ``path``: ``{model: [records]}`` (or, with ``model``, a list), or a CSV of ``model``."""
    fmt = source_format(path)
    label = os.path.basename(path)
    if model is not None and model not in infos:
        raise DiffsyncTaskError(f"model: unknown model {model!r}; the adapter's models are {', '.join(infos)}")
    try:
        if fmt == "csv":
            if model is None:
                raise DiffsyncTaskError(f"src: {label!r} is a CSV file, which holds the records of one model: "
                                        f"set the model option")
            return _csv_items(path, label, infos[model])
        data = _read_document(path, fmt)
    except OSError as exc:
        raise DiffsyncTaskError(f"src: cannot read {path!r}: {exc.strerror or exc}") from None
    if model is not None and isinstance(data, list):
        data = {model: data}
    return items_from_data(data, infos, origin=label, sep=": ")


def _read_document(path: str, fmt: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        if fmt == "json":
            try:
                return json.load(handle)
            except ValueError as exc:
                raise DiffsyncTaskError(f"src: {os.path.basename(path)!r} is not valid JSON: {exc}") from None
        if not HAS_YAML:
            raise DiffsyncTaskError(missing_library("PyYAML", reason="to read YAML files"))
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise DiffsyncTaskError(f"src: {os.path.basename(path)!r} is not valid YAML: {exc}") from None


def _csv_items(path: str, label: str, info: ModelInfo) -> list[Item]:
    """One Item per row; empty cells are left out, list/dict fields are parsed as JSON."""
    items = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        if not header or len(set(header)) != len(header):
            raise DiffsyncTaskError(f"src: {label!r} line 1 must name each column once, got {header!r}")
        for row in reader:
            line = reader.line_num
            if len(row) > len(header):
                raise DiffsyncTaskError(f"src: {label!r} line {line} has {len(row)} cells but the header has "
                                        f"{len(header)} columns")
            record = {name: cell for name, cell in zip(header, row, strict=False) if cell != ""}
            for name in info.json_fields.intersection(record):
                record[name] = _json_cell(label, line, name, record[name])
            if record:
                items.append(Item(model=info.name, label=f"{label} line {line}", record=record))
    return items


def _json_cell(label: str, line: int, name: str, cell: str) -> Any:
    try:
        return json.loads(cell)
    except ValueError:
        raise DiffsyncTaskError(f"src: {label!r} line {line}: field {name!r} must hold JSON (a list or mapping), "
                                f"got {cell!r}") from None
