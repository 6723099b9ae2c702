"""Reading an uploaded catalogue (XLSX or YAML) within limits a county server can afford.

Why: an .xlsx is a zip, and a 389 KB upload unpacking to a million rows took 183 s
of CPU and grew a worker from 150 MB to 809 MB (issue 14). Before the workbook is
parsed, its zip directory is checked (entries, unpacked size) and each sheet's
declared dimension; then the rows and cells are counted with openpyxl's streaming
read-only mode against a clock. Only a workbook inside every limit reaches
`bianmin.domain.catalogue_xlsx` (the CLI's importer). A refusal names the limit.
"""

from __future__ import annotations

import io
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bianmin.domain import catalogue_xlsx
from bianmin.domain.catalogue import Catalogue, CatalogueInvalid, parse_catalogue

MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # the sample catalogue unpacks to well under 1 MB
MAX_ROWS_PER_SHEET = 10_000  # a county lists a few hundred items, a few thousand material rows
MAX_CELLS = 300_000  # all sheets together
MAX_SECONDS = 15.0
MAX_YAML_NODES = 200_000  # also stops alias ("billion laughs") expansion

_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


@dataclass(frozen=True)
class TooLarge(Exception):
    """A workbook over one of the limits; `key` names which, `fmt` its numbers."""

    key: str
    fmt: dict


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def check_zip(data: bytes) -> None:
    """Entries and unpacked size from the zip directory, and each sheet's declared size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not a zip: the importer says "not a valid .xlsx"
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise TooLarge("console.catalogue.limit.entries", {"limit": MAX_ZIP_ENTRIES})
        unpacked = sum(e.file_size for e in entries)
        if unpacked > MAX_UNPACKED_BYTES:
            raise TooLarge("console.catalogue.limit.unpacked", {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})
        cells = 0
        for entry in entries:
            if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
                continue
            with archive.open(entry) as sheet:
                head = sheet.read(4096)
            match = _DIMENSION.search(head)
            if not match or not match.group(3):
                continue
            rows = int(match.group(4)) - int(match.group(2)) + 1
            columns = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
            if rows > MAX_ROWS_PER_SHEET + 1:
                raise TooLarge("console.catalogue.limit.rows", {"limit": MAX_ROWS_PER_SHEET, "sheet": Path(entry.filename).stem})
            cells += rows * columns
        if cells > MAX_CELLS:
            raise TooLarge("console.catalogue.limit.cells", {"limit": MAX_CELLS})


def count_rows(path: Path, started: float) -> None:
    """Stream every sheet once, counting rows and cells against the limits and the clock."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - unreadable: the importer reports it in its own words
        return
    try:
        cells = 0
        for sheet in wb.worksheets:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS_PER_SHEET + 1:
                    raise TooLarge("console.catalogue.limit.rows", {"limit": MAX_ROWS_PER_SHEET, "sheet": sheet.title})
                cells += len(row)
                if cells > MAX_CELLS:
                    raise TooLarge("console.catalogue.limit.cells", {"limit": MAX_CELLS})
                if number % 500 == 0 and time.monotonic() - started > MAX_SECONDS:
                    raise TooLarge("console.catalogue.limit.seconds", {"limit": int(MAX_SECONDS)})
    finally:
        wb.close()


def _yaml(data: bytes) -> Catalogue:
    try:
        nodes = 0
        for event in yaml.parse(io.BytesIO(data), Loader=yaml.SafeLoader):
            nodes += 1
            if nodes > MAX_YAML_NODES:
                raise TooLarge("console.catalogue.limit.cells", {"limit": MAX_YAML_NODES})
            if isinstance(event, yaml.AliasEvent):  # a few aliases can expand to billions of nodes
                raise CatalogueInvalid(["YAML: 不支持别名（*）/ aliases are not accepted"])
        raw = yaml.safe_load(io.BytesIO(data))
    except yaml.YAMLError as exc:
        raise CatalogueInvalid([f"YAML: {str(exc)[:300]}"]) from exc
    return parse_catalogue(raw)


def parse_upload(name: str, data: bytes) -> Catalogue:
    """The uploaded catalogue; raises TooLarge (which limit) or CatalogueInvalid (every problem)."""
    if not name.endswith(".xlsx"):
        return _yaml(data)
    started = time.monotonic()
    check_zip(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        count_rows(path, started)
        catalogue = catalogue_xlsx.import_xlsx(path)
    if time.monotonic() - started > MAX_SECONDS:
        raise TooLarge("console.catalogue.limit.seconds", {"limit": int(MAX_SECONDS)})
    return catalogue
