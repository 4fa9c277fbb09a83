"""Run a command and write its wall time and peak memory to a file (used by ``common.run_measured``).

    python -m tests.perf.measure RESULT_JSON COMMAND...

Linux carries a process's ``ru_maxrss`` across ``execve`` from the memory it had
before: a child forked from the large benchmark process would report at least
the benchmark's own size. This small process forks the measured command
instead, so the child's ``ru_maxrss`` is its own peak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result, command = argv[0], argv[1:]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    with open(result, "w", encoding="utf-8") as out:
        json.dump({"wall_s": took, "maxrss_kb": usage.ru_maxrss, "exit": code}, out)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
