"""Refusing a workbook whose archive would expand beyond reason, before anything reads it.

An .xlsx is a zip of XML parts. A "zip bomb" packs gigabytes of XML into a few
megabytes; reading it would take the machine's memory and minutes of work. Here
the archive's directory is read first (no part decompressed): the sizes each
part declares are checked against fixed limits and against its compressed size;
only then are the sheets streamed once for their extent (:mod:`sheet_extent`).
The declared size is binding: the reader (python-calamine) stops with an error
on a part that decompresses to more than it declares, so a lying directory
cannot get past these limits either.
"""

from __future__ import annotations

import os
import zipfile
import zlib

from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.errors import failed
from etm_desktop.exchange.sheet_extent import check_extents

MIB = 1024 * 1024
#: One part (a sheet's XML) may not expand beyond this. The large demo centre
#: (30,000 clients, a million turnover rows) is about 150 MB per sheet.
MAX_PART_BYTES = 1024 * MIB
#: All parts together.
MAX_TOTAL_BYTES = 2048 * MIB
#: A part larger than :data:`RATIO_FROM_BYTES` may not expand more than this many
#: times its compressed size (sheet XML compresses 5-30 times; a bomb ~1000 times).
MAX_RATIO = 200
RATIO_FROM_BYTES = 10 * MIB
#: More parts than any workbook has (one per sheet, style, relation …).
MAX_PARTS = 10_000


def _mb(size: int) -> str:
    return "{0:,}".format(max(1, round(size / MIB))).replace(",", " ")


def check_archive(path: str | os.PathLike) -> None:
    """Raise ImportFailed if the zip at ``path`` declares parts too large to read safely,
    or a sheet spans an absurd block of cells (:mod:`sheet_extent`).

    A file that is not a zip at all is left to the reader (it says what it is not).
    """
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(archive.infolist())
            check_extents(archive)  # only once the sizes are known to be sane
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as error:  # also an unknown compression, a password
        raise failed(msg.FILE_UNREADABLE.format(error)) from None


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise failed(msg.ARCHIVE_TOO_MANY_PARTS.format(len(parts), MAX_PARTS))
    total = 0
    for part in parts:
        size = part.file_size
        total += size
        if size > MAX_PART_BYTES:
            raise failed(msg.ARCHIVE_PART_TOO_LARGE.format(part.filename, _mb(size), _mb(MAX_PART_BYTES)))
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(part.compress_size, 1):
            raise failed(msg.ARCHIVE_RATIO_TOO_HIGH.format(
                part.filename, _mb(size), size // max(part.compress_size, 1), MAX_RATIO))
    if total > MAX_TOTAL_BYTES:
        raise failed(msg.ARCHIVE_TOO_LARGE.format(_mb(total), _mb(MAX_TOTAL_BYTES)))
