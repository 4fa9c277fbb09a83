"""Where the database lives: --db, $ETM_DESKTOP_DB, etm-desktop.ini beside the executable, the user's setting, the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from etm_desktop import config, paths


@pytest.fixture
def places(tmp_path, monkeypatch):
    """No environment variable, an absent config file in tmp, the per-user folder in tmp."""
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    ini = tmp_path / "app" / config.CONFIG_NAME
    ini.parent.mkdir()
    monkeypatch.setattr(config, "config_path", lambda: ini)
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    return ini


def write_ini(ini: Path, url: str) -> None:
    ini.write_text("[database]\nurl = {0}\n".format(url), encoding="utf-8")


def test_default_is_the_per_user_file(places, tmp_path):
    assert paths.database_source() == (str(tmp_path / "user" / "etm-desktop.sqlite"), "default")
    assert paths.default_database() == str(tmp_path / "user" / "etm-desktop.sqlite")


def test_user_setting_beats_the_default(places):
    assert paths.database_source(None, lambda: "/data/mine.sqlite") == ("/data/mine.sqlite", "user")
    assert paths.default_database(user_setting=lambda: None).endswith("etm-desktop.sqlite")


def test_config_file_beats_the_user_setting_which_is_then_not_read(places):
    write_ini(places, "postgresql+psycopg://etm@server/etm")

    def unread():
        raise AssertionError("the user's setting must not be read when the config file decides")

    assert paths.database_source(None, unread) == ("postgresql+psycopg://etm@server/etm", "config")


def test_environment_beats_the_config_file(places, monkeypatch):
    write_ini(places, "postgresql+psycopg://etm@server/etm")
    monkeypatch.setenv(paths.DB_ENV_VAR, "/env/base.sqlite")
    assert paths.database_source(None, lambda: "/user.sqlite") == ("/env/base.sqlite", "environment")


def test_option_beats_everything(places, monkeypatch):
    write_ini(places, "postgresql+psycopg://etm@server/etm")
    monkeypatch.setenv(paths.DB_ENV_VAR, "/env/base.sqlite")
    assert paths.database_source("/option.sqlite", lambda: "/user.sqlite") == ("/option.sqlite", "option")


def test_relative_sqlite_path_is_taken_from_the_config_folder(places):
    write_ini(places, "shared/etm.sqlite")
    assert config.configured_database() == str(places.parent / "shared" / "etm.sqlite")


@pytest.mark.parametrize("text", ["", "[database]\n", "[database]\nurl =   \n", "[other]\nurl = x.sqlite\n",
                                  "not an ini file at all\n"])
def test_empty_or_broken_config_file_is_ignored(places, text, tmp_path):
    places.write_text(text, encoding="utf-8")
    assert config.configured_database() is None
    assert paths.database_source()[1] == "default"


def test_config_file_with_bom_from_notepad(places):
    places.write_bytes("\ufeff[database]\nurl = C:/ЭТМ/база.sqlite\n".encode("utf-8"))
    assert config.configured_database().endswith("ЭТМ/база.sqlite")


def test_config_file_is_beside_the_frozen_executable(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", str(tmp_path / "etm-desktop.exe"))
    assert config.config_path() == tmp_path.resolve() / config.CONFIG_NAME


def test_command_line_opens_the_configured_database(places, tmp_path, capsys):
    from etm_desktop.cli.main import main

    write_ini(places, str(tmp_path / "from-ini.sqlite"))
    assert main(["memo", "list"]) == 0
    assert (tmp_path / "from-ini.sqlite").exists()
