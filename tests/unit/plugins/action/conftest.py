"""Run an action plugin's ``run()`` the way Ansible does, with a mocked task and a real DataLoader."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import MagicMock

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task

RunAction = Callable[..., dict[str, Any]]


@pytest.fixture
def run_action(tmp_path: Path) -> RunAction:
    """``run_action(module, args, check_mode=False, diff=False)`` -> the task result."""

    def run(module: ModuleType, args: dict[str, Any], *, check_mode: bool = False, diff: bool = False) -> dict:
        task = MagicMock(Task)
        task.args = copy.deepcopy(args)
        task.check_mode, task.diff, task.async_val = check_mode, diff, 0
        task.action = module.__name__.rpartition(".")[2]
        task.get_search_path.return_value = [str(tmp_path)]
        loader = DataLoader()
        loader.set_basedir(str(tmp_path))
        plugin = module.ActionModule(task=task, connection=MagicMock(), play_context=MagicMock(), loader=loader,
                                     templar=MagicMock(), shared_loader_obj=None)
        return plugin.run(task_vars={"inventory_hostname": "localhost"})

    return run


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path}/store.db"



