"""Logging for the engine: silent unless the user turns console logging on.

All engine loggers live under ``LOGGER_NAME``. A ``NullHandler`` keeps Python's last-resort handler
from printing anything, so an Ansible plugin's stdout stays clean.
"""

from __future__ import annotations

import logging
import sys

LOGGER_NAME = "diffsync"
_CONSOLE_HANDLER_NAME = "diffsync-console"
_LEVELS = {0: logging.WARNING, 1: logging.INFO, 2: logging.DEBUG}

logging.getLogger(LOGGER_NAME).addHandler(logging.NullHandler())


def get_logger(name: str = "") -> logging.Logger:
    """Return the engine logger, or a child of it when ``name`` is given."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


def enable_console_logging(verbosity: int = 0) -> None:
    """Send engine logs to stderr: 0 shows warnings, 1 adds info, 2 (or more) adds debug.

    Calling it again replaces the previous console handler instead of adding a second one.
    """
    logger = get_logger()
    for handler in list(logger.handlers):
        if handler.get_name() == _CONSOLE_HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_CONSOLE_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)-8s] %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(_LEVELS.get(verbosity, logging.DEBUG) if verbosity >= 0 else logging.WARNING)
