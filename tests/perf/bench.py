"""The benchmark suite (issue 6), outside the default test run.

    .venv/bin/python -m tests.perf.bench [--runs 5] [--national] [--only core,memo,import,gui]

Generates the large demo once (``out/perf/large.sqlite``; with ``--national``
also ``out/perf/national.sqlite``, whose generation time is reported), measures
each figure ``--runs`` times (at least 5) and prints figure, median, min, max,
the ratio to a reference measured in the same run where there is one, and the
issue's target (met / not met); the same is written to ``out/perf/results.json``.
Absolute times drift on shared machines; ratios hold better.

1. grid for one month in-process, cold and warm, beside the naive per-manager ORM
   loop (whose KB size and paying count must equal the fast path's, or the run stops);
2. ``etm-desktop check --month M --json`` as a whole process;
3. memo what-if of 10 transfers chosen from the data;
4. import of the exported large demo into an empty database beside calamine's bare read;
5. GUI offscreen, each run a fresh process: start, switch to «Соответствие нормам», a filter keystroke;
6. peak memory (ru_maxrss) of 2 and of the GUI start;
7. ``--national``: the grid in-process and ``check`` at 3,000 managers / 300,000 clients.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tests.perf.common import OUT, TODAY, BenchAbort, ensure_demo, generation_time, machine, row
from tests.perf import report

PARTS = ("core", "memo", "import", "gui")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (at least 5)")
    parser.add_argument("--national", action="store_true", help="also the national scale (generated once)")
    parser.add_argument("--only", default=",".join(PARTS), help="parts of the large scale to run: " + ",".join(PARTS))
    parser.add_argument("--db", type=Path, default=OUT / "large.sqlite")
    parser.add_argument("--json", type=Path, default=OUT / "results.json")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5 (a median of fewer says little)")
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error("unknown part(s): " + ", ".join(sorted(parts - set(PARTS))))
    try:
        return _run(args, parts)
    except BenchAbort as error:
        print(f"benchmark aborted: {error}", file=sys.stderr)
        return 2


def _run(args, parts: set[str]) -> int:
    from etm_desktop.db.database import open_database
    from etm_desktop.domain.calendar import last_completed_month
    from tests.perf.figures_core import check_figures, grid_figures, memo_figures

    month = last_completed_month(TODAY)
    rows: list[dict] = []
    extra: dict = {"month": f"{month:%Y-%m}", "runs": args.runs}
    started = time.perf_counter()
    made = ensure_demo(args.db, "large")
    if made is not None:
        rows.append(row("large: demo generation (once, cached in out/perf/)", [made]))
    database = open_database(str(args.db))
    try:
        if "core" in parts:
            rows += grid_figures(database, month, args.runs, label="large")
        if "memo" in parts:
            rows += memo_figures(database, month, args.runs)
    finally:
        database.dispose()
    if "core" in parts:
        rows += check_figures(args.db, month, args.runs, label="large")
    if "import" in parts:
        from tests.perf.figures_import import import_figures

        rows += import_figures(args.db, args.runs)
    if "gui" in parts:
        from tests.perf.figures_gui import gui_figures

        rows += gui_figures(args.db, args.runs)
    if args.national:
        rows += _national(args, month)
    extra["suite_s"] = time.perf_counter() - started
    info = machine()
    print(report.table(rows, info))
    report.write(args.json, rows, info, extra)
    print(f"\nwritten: {args.json}  (suite took {extra['suite_s']:.0f} s)")
    return 0


def _national(args, month) -> list[dict]:
    from etm_desktop.db.database import open_database
    from tests.perf.figures_core import check_figures, grid_figures

    path = OUT / "national.sqlite"
    made = ensure_demo(path, "national")
    took = made if made is not None else generation_time(path)
    rows = []
    if took is not None:
        rows.append(row("national: demo generation (once, cached in out/perf/national.sqlite)", [took]))
    database = open_database(str(path))
    try:
        rows += grid_figures(database, month, args.runs, label="national", target="≤ 2.5 s", limit=2.5)
    finally:
        database.dispose()
    rows += check_figures(path, month, args.runs, label="national", target="", limit=None, memory_limit=None)
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
