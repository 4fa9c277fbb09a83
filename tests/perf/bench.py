"""Benchmarks at the "large" demo scale, outside the default test run.

    .venv/bin/python -m tests.perf.bench [--runs 5] [--db PATH]

Prints figure, median, min and max of each measurement and writes them as JSON
to ``out/perf/results.json``. The large demo database is generated once and
kept (``out/perf/large.sqlite``) so repeated runs measure the same data.
Absolute times drift on shared machines; each figure that has a reference
measured in the same run is also given as a ratio to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "perf"
TODAY = date(2026, 12, 3)  # the demo ends with the last completed month before it


def _timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _row(name: str, times: list[float], reference: float | None = None) -> dict:
    row = {"figure": name, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
           "runs": len(times)}
    if reference:
        row["ratio_to_reference"] = row["median_s"] / reference
    return row


def ensure_large_demo(path: Path) -> None:
    if path.exists():
        return
    from etm_desktop.db.database import open_database
    from etm_desktop.demo import generate

    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(str(path))
    generate(database, scale="large", today=TODAY)
    database.dispose()


def naive_orm_grid(database, month: date, managers: int) -> None:
    """The reference: what a per-manager ORM loop costs (KB size and paying only), for ``managers`` managers."""
    from sqlalchemy import select

    from etm_desktop.db.models import Binding, Client, Employee, Turnover
    from etm_desktop.domain.calendar import month_end

    day = month_end(month)
    with database.session() as session:
        for employee in session.scalars(select(Employee).limit(managers)):
            bindings = session.scalars(select(Binding).where(Binding.employee_id == employee.id)).all()
            groups, paying = set(), 0
            for binding in bindings:
                if binding.valid_from > day or (binding.valid_to and binding.valid_to <= day):
                    continue
                client = session.get(Client, binding.client_id)
                group = client.head_id or client.id
                if group in groups:
                    continue
                groups.add(group)
                members = session.scalars(select(Client.id).where((Client.id == group) | (Client.head_id == group)))
                total = sum(t.amount for m in members for t in session.scalars(
                    select(Turnover).where(Turnover.client_id == m, Turnover.month == month)))
                paying += total > 15000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=OUT / "large.sqlite")
    args = parser.parse_args(argv)
    ensure_large_demo(args.db)

    from etm_desktop.compliance import service
    from etm_desktop.compliance.engine import evaluate
    from etm_desktop.compliance.inputs import InputsCache, load_inputs
    from etm_desktop.db.database import open_database
    from etm_desktop.domain.calendar import last_completed_month, month_end
    from etm_desktop.norms.store import NormBook

    month = last_completed_month(TODAY)
    database = open_database(str(args.db))
    norms = NormBook.load(database).in_force(month_end(month))
    rows = []

    sample = 30
    reference = _timed(lambda: naive_orm_grid(database, month, sample), 1)[0]
    managers = len(service.month_grid(database, month).managers)
    naive_full = reference * managers / sample
    rows.append({"figure": f"reference: naive ORM loop, {sample} managers (extrapolated to {managers})",
                 "median_s": naive_full, "min_s": naive_full, "max_s": naive_full, "runs": 1})

    def cold_grid():
        service._cache = InputsCache()
        service.month_grid(database, month)

    rows.append(_row("grid in-process, cold (load + evaluate)", _timed(cold_grid, args.runs), naive_full))
    inputs = load_inputs(database, month_end(month), month, service.history_months(norms))
    rows.append(_row("grid in-process, warm (evaluate on loaded frames)",
                     _timed(lambda: evaluate(inputs, norms), args.runs), naive_full))
    rows.append(_row("load frames (SQL)", _timed(
        lambda: load_inputs(database, month_end(month), month, service.history_months(norms)), args.runs)))
    command = [sys.executable, "-m", "etm_desktop", "--db", str(args.db), "check", "--month",
               f"{month:%Y-%m}", "--json"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    rows.append(_row("etm-desktop check --json (whole process)", _timed(
        lambda: subprocess.run(command, check=True, capture_output=True, env=env), args.runs)))
    database.dispose()

    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
               "system": platform.platform()}
    print(f"{'figure':<62} {'median':>9} {'min':>9} {'max':>9} {'ratio':>8}")
    for row in rows:
        ratio = f"{row['ratio_to_reference']:.4f}" if "ratio_to_reference" in row else ""
        print(f"{row['figure']:<62} {row['median_s']:>8.3f}s {row['min_s']:>8.3f}s {row['max_s']:>8.3f}s {ratio:>8}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"machine": machine, "figures": rows}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
