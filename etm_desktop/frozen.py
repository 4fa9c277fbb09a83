"""Entry script of the PyInstaller build (build.spec): safe streams first, then the command line."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from etm_desktop.logging_setup import guard_streams

    guard_streams()  # a windowed executable has no stdout/stderr
    from etm_desktop.cli.main import main

    sys.exit(main())
