"""The rotating log file in the user's folder, and standard streams that never crash."""

from __future__ import annotations

import io
import logging
import os
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "etm-desktop.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: RotatingFileHandler | None = None


def guard_streams() -> None:
    """Give None streams (a windowed executable has none) a sink, so every print path is safe."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, io.TextIOWrapper(open(os.devnull, "wb"), encoding="utf-8", errors="replace"))  # noqa: SIM115


def _writable_dir(preferred: Path) -> Path:
    """``preferred`` if it can be created, else a folder in the temporary directory."""
    for folder in (preferred, Path(tempfile.gettempdir()) / "etm-desktop-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def log_path() -> Path | None:
    """The current log file, or None before :func:`setup_logging`."""
    return Path(_handler.baseFilename) if _handler is not None else None


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``folder`` (default: the user's log folder) in a rotating file; returns its path."""
    global _handler
    if folder is None:
        from etm_desktop.paths import user_log_dir

        folder = user_log_dir()
    path = _writable_dir(Path(folder)) / LOG_NAME
    if _handler is not None and Path(_handler.baseFilename) == path.resolve():
        return path
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    try:
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return path
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    _handler = handler
    return path
