"""Where the program finds its shipped files and the user's database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ETM Desktop"
DB_ENV_VAR = "ETM_DESKTOP_DB"


def install_root() -> Path:
    """The folder holding ``data/`` and ``resources/`` (source tree or frozen build)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return install_root() / "data"


def resources_dir() -> Path:
    return install_root() / "resources"


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, appauthor=False))


def default_database() -> str:
    """The database named by ``$ETM_DESKTOP_DB``, else the per-user data folder's file."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return env
    return str(user_data_dir() / "etm-desktop.sqlite")
