"""Everything that imports Qt lives under this package; the core never imports it."""


def open_main_window(database) -> int:
    """The command line's entry into the GUI (``etm-desktop`` with no command)."""
    from etm_desktop.gui.app import open_main_window as _open

    return _open(database, database.display_name)
