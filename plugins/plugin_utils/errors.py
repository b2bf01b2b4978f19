# Copyright: (c) 2025, datasync maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one error the plugin glue raises: its message is ready to show to the user."""

from __future__ import annotations

from typing import Any


class DiffsyncTaskError(Exception):
    """A task cannot do what it was asked; ``str(exc)`` says why and never holds a password.

    ``details`` are extra keys for the failed task result (for example the operations a sync
    attempted before it failed).
    """

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


def scrub_secrets(text: str, url: str | None) -> str:
    """``text`` with the store URL's password hidden (the store code is imported lazily: it needs pydantic)."""
    if not url:
        return text
    try:
        from .stores import scrub
    except ImportError:
        return text.replace(url, "<store URL>")
    return scrub(text, url)
