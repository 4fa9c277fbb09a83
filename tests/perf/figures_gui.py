"""Figure 5 and the GUI half of 6: each run is a fresh process (``gui_probe``) so Qt starts anew."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from tests.perf.common import python, row, run_measured


def gui_figures(db_path: Path, runs: int) -> list[dict]:
    shown, loaded, switch, strokes, peaks, process = [], [], [], [], [], []
    rows = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            settings = Path(folder) / "settings.ini"  # a fresh layout: the first tab is shown first
            took, peak, out = run_measured([python(), "-m", "tests.perf.gui_probe", str(db_path), str(settings),
                                            "5"])
        answer = json.loads(out.strip().splitlines()[-1])
        shown.append(answer["shown_s"])
        loaded.append(answer["first_tab_loaded_s"])
        switch.append(answer["switch_compliance_s"])
        strokes += answer["keystrokes_s"]
        peaks.append(answer["peak_start_mb"])
        process.append(took)
        rows = answer["client_rows"]
    return [
        row("large: GUI start to the main window shown (in-process)", shown),
        row("large: GUI start to the first tab loaded (in-process)", loaded, target="≤ 1.5 s", limit=1.5),
        row("large: GUI probe process, whole (start, 3 tabs, exit)", process),
        row("large: switch to «Соответствие нормам» until loaded", switch, target="≤ 300 ms", limit=0.300),
        row(f"large: one keystroke of the client filter ({rows:,} rows)", strokes, target="≤ 50 ms", limit=0.050),
        row("large: peak memory of the GUI start (VmHWM at first tab loaded)", peaks, unit="MB", target="≤ 500 MB", limit=500.0),
    ]
