"""Write samples/suppliers.xlsx and samples/needs.xlsx from the CSV samples beside them.

    .venv/bin/python scripts/build_import_samples.py

Cells are typed as someone typing them into Excel would get them: figures as numbers, dates as
dates, everything else as text. tests/imports/test_commands.py checks that each XLSX reads as
the same table as its CSV and that both import cleanly into the seeded reference data.
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NUMBER = re.compile(r"^\d+(\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEXT_COLUMNS = {"udyam_number", "gstin", "reference", "phone"}


def typed(column: str, text: str) -> object:
    if column in TEXT_COLUMNS or not text:
        return text or None
    if DATE.match(text):
        return datetime.datetime.strptime(text, "%Y-%m-%d")
    if NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def build(name: str) -> Path:
    with (SAMPLES / f"{name}.csv").open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([typed(column, text) for column, text in zip(rows[0], row, strict=True)])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd"
    target = SAMPLES / f"{name}.xlsx"
    # A fixed timestamp, so rebuilding unchanged samples gives the same bytes.
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2026, 12, 1)
    workbook.save(target)
    return target


if __name__ == "__main__":
    for sample in ("suppliers", "needs"):
        print(f"wrote {build(sample)}")
