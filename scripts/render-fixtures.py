#!/usr/bin/env python3
"""Renders the .xls and .ods returns of the sample month from fixtures/specs/<period>.json.

No Rust crate writes BIFF8 (.xls) or, simply, .ods; the generator (crates/fixtures) writes
the cells of those files as JSON and this script turns them into files with xlwt 1.3.0 and
odfpy 1.4.1, as an old Excel and LibreOffice would. Run by scripts/gen-fixtures.sh; its output
is committed, so neither the tests nor the monthly job need Python.
"""
import datetime
import json
import pathlib
import sys

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableCellProperties, TextProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from odf.number import DateStyle, Day, Month, Text as NumberText, Year

# Fixed metadata so that the same specification gives the same bytes.
FIXED = datetime.datetime(2024, 2, 25, 8, 0, 0)


def render_xls(spec, target):
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in spec["sheets"]:
        ws = book.add_sheet(sheet["name"])
        font = xlwt.Font()
        font.name = sheet["font"]
        text_style = xlwt.XFStyle()
        text_style.font = font
        date_style = xlwt.XFStyle()
        date_style.font = font
        date_style.num_format_str = "dd/mm/yyyy"
        merged = {(m[0], m[1]) for m in sheet["merges"]}
        covered = covered_cells(sheet["merges"])
        for r1, c1, r2, c2 in sheet["merges"]:
            cell = cell_at(sheet, r1, c1)
            ws.write_merge(r1, r2, c1, c2, cell.get("t", "") if isinstance(cell, dict) else "", text_style)
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                if (r, c) in merged or (r, c) in covered or cell is None:
                    continue
                if "t" in cell:
                    ws.write(r, c, cell["t"], text_style)
                elif "n" in cell:
                    ws.write(r, c, cell["n"], text_style)
                elif "d" in cell:
                    ws.write(r, c, datetime.datetime.strptime(cell["d"], "%Y-%m-%d"), date_style)
    book.save(str(target))


def covered_cells(merges):
    """The cells a merged range hides (all but its top-left cell)."""
    return {
        (r, c)
        for r1, c1, r2, c2 in merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }


def cell_at(sheet, r, c):
    rows = sheet["rows"]
    if r < len(rows) and c < len(rows[r]):
        return rows[r][c]
    return None


def render_ods(spec, target):
    doc = OpenDocumentSpreadsheet()
    doc.meta.childNodes = []
    date_style = DateStyle(name="ddmmyyyy")
    date_style.addElement(Day(style="long"))
    date_style.addElement(NumberText(text="/"))
    date_style.addElement(Month(style="long"))
    date_style.addElement(NumberText(text="/"))
    date_style.addElement(Year(style="long"))
    doc.automaticstyles.addElement(date_style)
    date_cell = Style(name="datecell", family="table-cell", datastylename="ddmmyyyy")
    doc.automaticstyles.addElement(date_cell)
    for sheet in spec["sheets"]:
        table = Table(name=sheet["name"])
        spans = {(m[0], m[1]): (m[2] - m[0] + 1, m[3] - m[1] + 1) for m in sheet["merges"]}
        covered = covered_cells(sheet["merges"])
        width = max((len(r) for r in sheet["rows"]), default=0)
        for r, row in enumerate(sheet["rows"]):
            tr = TableRow()
            for c in range(max(width, len(row))):
                cell = row[c] if c < len(row) else None
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                attrs = {}
                if (r, c) in spans:
                    attrs["numberrowsspanned"], attrs["numbercolumnsspanned"] = spans[(r, c)]
                if cell is None:
                    tr.addElement(TableCell(**attrs))
                elif "t" in cell:
                    tc = TableCell(valuetype="string", **attrs)
                    tc.addElement(P(text=cell["t"]))
                    tr.addElement(tc)
                elif "n" in cell:
                    tc = TableCell(valuetype="float", value=cell["n"], **attrs)
                    tc.addElement(P(text=str(cell["n"])))
                    tr.addElement(tc)
                elif "d" in cell:
                    tc = TableCell(valuetype="date", datevalue=cell["d"], stylename=date_cell, **attrs)
                    tc.addElement(P(text=cell["d"]))
                    tr.addElement(tc)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(target))


def main():
    period = sys.argv[1] if len(sys.argv) > 1 else "2024-02"
    root = pathlib.Path(__file__).resolve().parent.parent
    specs = json.loads((root / "fixtures" / "specs" / f"{period}.json").read_text(encoding="utf-8"))
    for spec in specs:
        target = root / "fixtures" / "returns" / period / spec["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        {"xls": render_xls, "ods": render_ods}[spec["format"]](spec, target)
        print(f"rendered {target.relative_to(root)}")


if __name__ == "__main__":
    main()
