"""Refusing a sheet whose extent is absurd, before the reader lays it out in memory.

python-calamine keeps a sheet as one dense block from its first to its last cell:
one value of cell XFD1048576 in a file of a few hundred bytes asks for 17 billion
cells (half a terabyte), and the process dies on the allocation, before Python
could catch anything. Here each sheet's XML is streamed once and its extent
bounded from the cell references: the rows and columns beyond the ordinary
(columns past Z, rows from a million on) are collected exactly, the last
reference of each piece read gives the usual last row and column, and a sheet
with wide columns is scanned for its exact last row. A sheet bounded above
:data:`MAX_CELLS` is refused. Left out, knowingly: a stray cell in columns A-Z
before row 1,000,000 in the middle of a sheet (at most 26 million cells, which
the reader survives), and cells without a reference in a far row.
"""

from __future__ import annotations

import re
import zipfile

from etm_desktop.exchange import messages as msg
from etm_desktop.exchange.errors import failed

#: The largest block of cells a sheet may span (rows × columns): about 640 MB in the reader.
#: A million rows of up to 20 columns pass.
MAX_CELLS = 20_000_000
CHUNK = 1 << 22
#: A reference to a cell that may hold a value: the reader ignores self-closing cells
#: (``<c r="XFD9" s="1"/>``, formatting only), so they do not count here either.
_HOLDS = rb'(?=[^>/]*>)'
#: Cell references past column Z or from row 1,000,000 on (rare in real sheets: few matches).
_UNUSUAL = re.compile(rb' r="([A-Z]{2,3}[0-9]+|[A-Z][0-9]{7,})"' + _HOLDS)
_REF = re.compile(rb'([A-Z]+)([0-9]+)')
_ANY_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]+)"' + _HOLDS)
_LAST = re.compile(rb' r="([A-Z]{1,3})([0-9]+)"' + _HOLDS)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _chunks(archive: zipfile.ZipFile, part: str):
    """The part's bytes in pieces that never cut a reference in two."""
    tail = b""
    with archive.open(part) as stream:
        while True:
            piece = stream.read(CHUNK)
            if not piece:
                if tail:
                    yield tail
                return
            data = tail + piece
            cut = data.rfind(b"<")
            cut = len(data) if cut <= 0 else cut
            yield data[:cut]
            tail = data[cut:]


def sheet_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """An upper bound of (last row, last column) of the sheet XML ``part``."""
    rows, columns = 1, 1
    wide = False
    for data in _chunks(archive, part):
        for ref in _UNUSUAL.findall(data):
            letters, digits = _REF.fullmatch(ref).groups()
            rows = max(rows, int(digits))
            columns = max(columns, _column(letters))
            wide = wide or len(letters) > 1
        last = data.rfind(b' r="')
        while last >= 0:  # the last cell with a value: the usual last row and, as rows are
            found = _LAST.match(data, last)  # written left to right, the usual last column
            if found:
                rows = max(rows, int(found.group(2)))
                columns = max(columns, _column(found.group(1)))
                break
            last = data.rfind(b' r="', 0, last)
    if wide:  # columns past Z: the exact last row matters (a stray row in the middle counts)
        for data in _chunks(archive, part):
            numbers = _ANY_ROW.findall(data)
            if numbers:
                rows = max(rows, max(map(int, numbers)))
    return rows, columns


def check_extents(archive: zipfile.ZipFile) -> None:
    """Raise ImportFailed if a worksheet of ``archive`` spans more than :data:`MAX_CELLS` cells."""
    for info in archive.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        rows, columns = sheet_extent(archive, name)
        if rows * columns > MAX_CELLS:
            raise failed(msg.SHEET_TOO_WIDE.format(name, rows, columns, MAX_CELLS // 1_000_000))
