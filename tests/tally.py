"""Counts the reliability tests report at the end of a run (README's figures come from here).

``count("kills survived", "import: writing")`` adds one; ``conftest.py`` prints every
section after the run, as it prints the fuzz tests' malformed inputs.
"""

from __future__ import annotations

from collections import Counter, defaultdict

SECTIONS: dict[str, Counter] = defaultdict(Counter)


def count(section: str, kind: str, n: int = 1) -> None:
    SECTIONS[section][kind] += n


def write_summary(terminalreporter) -> None:
    for section, counts in sorted(SECTIONS.items()):
        if not counts:
            continue
        terminalreporter.section(section)
        for kind, n in sorted(counts.items()):
            terminalreporter.write_line("{0:>8}  {1}".format(n, kind))
        terminalreporter.write_line("{0:>8}  in all".format(sum(counts.values())))
