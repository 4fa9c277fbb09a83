"""Writing a file so that it appears whole or not at all.

The content is written beside the target under a temporary hidden name (same
folder, so the final rename is atomic) and renamed over the target only once
complete: a failure half-way leaves the old file as it was and no temporary
file behind. The temporary file gets the usual permissions (not mkstemp's
owner-only ones), so the result is like any file the user saves.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def temporary_next_to(target: Path) -> Path:
    """A new empty file beside ``target``: ``.~name.<pid>.<random>.ext``."""
    for _ in range(100):
        candidate = target.with_name(".~{0}.{1}.{2}{3}".format(
            target.stem, os.getpid(), secrets.token_hex(4), target.suffix))
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(str(target))


@contextmanager
def replacing(target: str | os.PathLike) -> Iterator[Path]:
    """``with replacing(path) as temporary:`` write ``temporary``; on leaving it replaces ``path``.

    On any exception (also KeyboardInterrupt) the temporary file is removed and ``path`` is untouched.
    """
    target = Path(target)
    temporary = temporary_next_to(target)
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
