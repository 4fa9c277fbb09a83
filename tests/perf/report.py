"""The table printed by the suite and the JSON written to out/perf/results.json."""

from __future__ import annotations

import json
from pathlib import Path


def _value(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def table(rows: list[dict], machine: dict) -> str:
    lines = ["machine: {cpus} cpus, {implementation} {python}, {platform}".format(**machine),
             f"{'figure':<74} {'median':>10} {'min':>10} {'max':>10} {'ratio':>8}  target"]
    for r in rows:
        ratio = f"{r['ratio_to_reference']:.3f}" if "ratio_to_reference" in r else ""
        target = r.get("target", "")
        if "met" in r:
            target += " — " + ("met" if r["met"] else "NOT met")
        lines.append(f"{r['figure']:<74} {_value(r['median'], r['unit']):>10} {_value(r['min'], r['unit']):>10} "
                     f"{_value(r['max'], r['unit']):>10} {ratio:>8}  {target}")
    return "\n".join(lines)


def markdown(rows: list[dict]) -> str:
    lines = ["| figure | median | min | max | ratio to reference | target |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ratio = f"{r['ratio_to_reference']:.3f}" if "ratio_to_reference" in r else ""
        target = r.get("target", "")
        if "met" in r:
            target += " — " + ("met" if r["met"] else "**not met**")
        lines.append(f"| {r['figure']} | {_value(r['median'], r['unit'])} | {_value(r['min'], r['unit'])} | "
                     f"{_value(r['max'], r['unit'])} | {ratio} | {target} |")
    return "\n".join(lines)


def write(path: Path, rows: list[dict], machine: dict, extra: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine, **extra, "figures": rows}, indent=2, ensure_ascii=False),
                    encoding="utf-8")
