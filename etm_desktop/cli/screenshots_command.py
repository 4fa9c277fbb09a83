"""``screenshots --out DIR``: the main window's tabs as PNG files, rendered offscreen."""

from __future__ import annotations

from etm_desktop.cli.common import EXIT_OK, open_target, out


def register(command) -> None:
    """Add the ``screenshots`` command through the parser's ``command(name, help, handler)`` helper."""
    p = command("screenshots", "снимки всех вкладок главного окна в PNG (без экрана)", run_screenshots)
    p.add_argument("--out", required=True, metavar="DIR", help="папка для файлов PNG (создаётся при надобности)")


def run_screenshots(args) -> int:
    """Render every tab, the memo editor and the client card on the current database."""
    from etm_desktop.gui.screenshots import render_screenshots

    database = open_target(args)
    try:
        paths = render_screenshots(database, args.out)
    finally:
        database.dispose()
    out("Записано снимков: {0}".format(len(paths)))
    for path in paths:
        out("  {0}".format(path))
    return EXIT_OK
