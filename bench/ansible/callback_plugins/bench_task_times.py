"""Callback of the Ansible benchmark: each task's wall time, and the diff summary, written as JSON."""

from __future__ import annotations

import json
import os
import time
import typing as t

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: bench_task_times
    type: aggregate
    short_description: per-task wall times for bench/ansible/run.py
    description:
      - Writes a JSON list of task names with their wall seconds, and the registered diff summary,
        to the file named by the BENCH_TASK_TIMES environment variable when the playbook ends.
"""


class CallbackModule(CallbackBase):  # type: ignore[misc]
    """Times each task from its start to the start of the next one (or the end of the play)."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._tasks: list[dict[str, t.Any]] = []
        self._started: float | None = None
        self._summary: dict[str, int] | None = None

    def _close_task(self) -> None:
        if self._started is not None and self._tasks:
            self._tasks[-1]["seconds"] = round(time.perf_counter() - self._started, 2)
        self._started = None

    def v2_playbook_on_task_start(self, task: t.Any, is_conditional: bool) -> None:
        self._close_task()
        self._tasks.append({"task": task.get_name()})
        self._started = time.perf_counter()

    def v2_runner_on_ok(self, result: t.Any) -> None:
        summary = result._result.get("summary")  # the task result as the callback API hands it
        if summary and self._summary is None:
            self._summary = dict(summary)

    def v2_playbook_on_stats(self, stats: t.Any) -> None:
        self._close_task()
        path = os.environ.get("BENCH_TASK_TIMES")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"tasks": self._tasks, "summary": self._summary}, handle)
