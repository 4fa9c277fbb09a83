"""Writing .xlsx files by hand, XML and zip, to make workbooks no spreadsheet program would.

The tests of bad input need cells Excel never writes (NaN, a number that is text,
a shared string that does not exist, a formula without a value), sheets of a
million rows written in a second, and archives that lie about their sizes.
:func:`write_raw_book` puts the given sheet XML into the smallest package
python-calamine accepts; :func:`cell` and :func:`row` build that XML.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{0}"><sheetData>'.format(
    MAIN_NS)
SHEET_TAIL = "</sheetData></worksheet>"


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_text(text: str) -> str:
    """Text made safe for XML 1.0: escaped, characters XML cannot carry dropped."""
    kept = "".join(ch for ch in text if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff")
                   or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000")
    return escape(kept)


def cell(ref: str, value: object) -> str:
    """One ``<c>`` element: str as an inline string, bool, int/float as a number;
    a ``("raw", xml)`` tuple is inserted as it is (for hand-made oddities)."""
    if isinstance(value, tuple) and value and value[0] == "raw":
        return value[1].format(ref=ref)
    if value is None:
        return ""
    if isinstance(value, bool):
        return '<c r="{0}" t="b"><v>{1}</v></c>'.format(ref, int(value))
    if isinstance(value, (int, float)):
        return '<c r="{0}"><v>{1!r}</v></c>'.format(ref, value)
    return '<c r="{0}" t="inlineStr"><is><t xml:space="preserve">{1}</t></is></c>'.format(
        ref, xml_text(str(value)))


def row(number: int, values: Iterable[object]) -> str:
    """One ``<row>`` with its cells from column A."""
    cells = "".join(cell(column_letters(i) + str(number), v) for i, v in enumerate(values))
    return '<row r="{0}">{1}</row>'.format(number, cells)


def sheet_xml(rows: Iterable[Iterable[object]]) -> str:
    return SHEET_HEAD + "".join(row(n, values) for n, values in enumerate(rows, start=1)) + SHEET_TAIL


def _package(names: list[str]) -> dict[str, str]:
    overrides = "".join(
        '<Override PartName="/xl/worksheets/sheet{0}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'.format(i)
        for i in range(1, len(names) + 1))
    sheets = "".join('<sheet name="{0}" sheetId="{1}" r:id="rId{1}"/>'.format(xml_text(name), i)
                     for i, name in enumerate(names, start=1))
    rels = "".join('<Relationship Id="rId{0}" Type="{1}/worksheet" Target="worksheets/sheet{0}.xml"/>'.format(
        i, REL_NS) for i in range(1, len(names) + 1))
    return {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + "</Types>",
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="{0}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'.format(REL_NS),
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{0}" xmlns:r="{1}"><sheets>{2}'
            "</sheets></workbook>".format(MAIN_NS, REL_NS, sheets),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">' + rels + "</Relationships>",
    }


def write_raw_book(path: Path, sheets: dict[str, str | Iterable[Iterable[object]]], *,
                   extra: dict[str, bytes | str] | None = None) -> Path:
    """An .xlsx whose sheets are the given XML texts (or rows, turned into XML by :func:`sheet_xml`)."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _package(names).items():
            archive.writestr(name, text)
        for index, body in enumerate(sheets.values(), start=1):
            archive.writestr("xl/worksheets/sheet{0}.xml".format(index),
                             body if isinstance(body, str) else sheet_xml(body))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def write_streamed_sheet(path: Path, name: str, header: list[str], rows: Iterable[str]) -> Path:
    """A one-sheet .xlsx whose data rows (``<row>`` texts) are streamed into the zip, never held whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part, text in _package([name]).items():
            archive.writestr(part, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((SHEET_HEAD + row(1, header)).encode())
            chunk = []
            for text in rows:
                chunk.append(text)
                if len(chunk) >= 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write(("".join(chunk) + SHEET_TAIL).encode())
    return path


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zip_bomb(path: Path, name: str, expanded_bytes: int) -> Path:
    """A workbook whose one sheet's XML truly expands to ``expanded_bytes`` (blanks between the
    header row and the end; CRC right): a few megabytes on disk, gigabytes when read.

    Built without compressing gigabytes: one mebibyte of blanks is deflated once, ending on a
    full flush, and that byte-aligned piece is repeated. Stays under 4 GiB (no zip64 needed).
    """
    assert expanded_bytes < 0xFFFF_FFFF
    head = (SHEET_HEAD + row(1, ["Код ОП", "Название", "Куст", "РЦ"])).encode()
    tail = SHEET_TAIL.encode()
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_block = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeats, rest = divmod(expanded_bytes - len(head) - len(tail), len(block))
    packed_tail = packer.compress(block[:rest] + tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(block[:rest] + tail, crc)
    size = len(head) + repeats * len(block) + rest + len(tail)

    entries = [(part.encode(), zlib.crc32(text.encode()), len(text.encode()), [_deflated(text.encode())])
               for part, text in _package([name]).items()]
    entries.append((b"xl/worksheets/sheet1.xml", crc, size,
                    [packed_head, *([packed_block] * repeats), packed_tail]))
    central, offset = [], 0
    with open(path, "wb") as out:
        for part, part_crc, usize, pieces in entries:
            csize = sum(len(piece) for piece in pieces)
            header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, part_crc, csize, usize,
                                 len(part), 0)
            out.write(header + part)
            for piece in pieces:
                out.write(piece)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, part_crc,
                                       csize, usize, len(part), 0, 0, 0, 0, 0, offset) + part)
            offset += len(header) + len(part) + csize
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                              offset, 0))
    return path


def declare_sizes(path: Path, part: str, size: int) -> Path:
    """Make the archive lie: ``part`` declares ``size`` bytes uncompressed (local and central headers)."""
    raw = bytearray(path.read_bytes())
    wanted = part.encode()
    at = raw.find(b"PK\x01\x02")
    while at != -1:  # central directory entries
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46:at + 46 + length] == wanted:
            struct.pack_into("<I", raw, at + 24, size)
        at = raw.find(b"PK\x01\x02", at + 4)
    at = raw.find(b"PK\x03\x04")
    while at != -1:  # local headers
        length = struct.unpack_from("<H", raw, at + 26)[0]
        if raw[at + 30:at + 30 + length] == wanted:
            struct.pack_into("<I", raw, at + 22, size)
        at = raw.find(b"PK\x03\x04", at + 4)
    path.write_bytes(bytes(raw))
    return path
