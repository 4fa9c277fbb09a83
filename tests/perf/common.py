"""Shared pieces of the benchmark suite: paths, timing, subprocess measurement, demo databases."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "perf"
TODAY = date(2026, 12, 3)  # the demo ends with the last completed month before it
SEED = 2026


class BenchAbort(RuntimeError):
    """A check of the suite failed (e.g. the fast grid disagrees with the reference): the run stops."""


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, values: list[float], reference: float | None = None, *, unit: str = "s",
        target: str = "", limit: float | None = None, limit_on_ratio: bool = False) -> dict:
    """One figure: median/min/max of ``values``; ``limit`` decides met / not met — on the median
    (same unit), or with ``limit_on_ratio`` on the ratio to ``reference`` (import ≤ 1.5× the read)."""
    median = statistics.median(values)
    out = {"figure": name, "unit": unit, "median": median, "min": min(values), "max": max(values),
           "runs": len(values)}
    if reference:
        out["reference"] = reference
        out["ratio_to_reference"] = median / reference
    if target:
        out["target"] = target
    if limit is not None:
        value = out["ratio_to_reference"] if unit == "ratio" or limit_on_ratio else median
        out["met"] = value <= limit
    return out


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "implementation": platform.python_implementation(),
            "machine": platform.machine(), "platform": platform.platform(), "processor": platform.processor()}


def child_env() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_measured(command: list[str], *, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run ``command`` to its end: (wall seconds, peak resident memory in MB, stdout). Fails on a non-zero exit.

    The command is started by the small ``tests.perf.measure`` process, so that its
    ``ru_maxrss`` is not inflated by this (large) process's memory; see there.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json", delete=False) as result:
        result.close()
        try:
            process = subprocess.run([sys.executable, "-m", "tests.perf.measure", result.name, *command],
                                     stdout=out, stderr=err, env=env or child_env(), cwd=cwd or ROOT)
            out.seek(0)
            err.seek(0)
            text = out.read().decode("utf-8", "replace")
            if process.returncode != 0:
                raise BenchAbort("{0} exited {1}:\n{2}".format(" ".join(command), process.returncode,
                                                               err.read().decode("utf-8", "replace")[-3000:]))
            measured = json.loads(Path(result.name).read_text(encoding="utf-8"))
        finally:
            Path(result.name).unlink(missing_ok=True)
    return measured["wall_s"], measured["maxrss_kb"] / 1024.0, text  # ru_maxrss is in KiB on Linux


def empty_database(path: Path) -> None:
    """A migrated database with the default norms at ``path`` (made once as a template, then copied)."""
    template = OUT / "empty-template.sqlite"
    if not template.exists():
        from etm_desktop.db.database import open_database

        OUT.mkdir(parents=True, exist_ok=True)
        scratch = template.with_suffix(".tmp")
        for leftover in (scratch, Path(str(scratch) + "-wal"), Path(str(scratch) + "-shm")):
            leftover.unlink(missing_ok=True)
        database = open_database(str(scratch))
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.dispose()
        scratch.replace(template)
    for leftover in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template, path)


def ensure_demo(path: Path, scale: str) -> float | None:
    """Generate the ``scale`` demo at ``path`` once; returns the generation time when it was made now.

    The time is kept beside the file (``<name>.json``) so later runs can report it.
    """
    meta = path.with_suffix(".json")
    if path.exists():
        return None
    from etm_desktop.db.database import open_database
    from etm_desktop.demo import generate

    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.stem + ".partial.sqlite")
    empty_database(scratch)
    start = time.perf_counter()
    database = open_database(str(scratch))
    summary = generate(database, scale=scale, seed=SEED, today=TODAY)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    took = time.perf_counter() - start
    scratch.replace(path)
    meta.write_text(json.dumps({"scale": scale, "seed": SEED, "today": TODAY.isoformat(), "generation_s": took,
                                "counts": summary.counts, "related_clients": summary.related_clients},
                               indent=2), encoding="utf-8")
    return took


def generation_time(path: Path) -> float | None:
    meta = path.with_suffix(".json")
    if meta.exists():
        return json.loads(meta.read_text(encoding="utf-8")).get("generation_s")
    return None


def python() -> str:
    return sys.executable
