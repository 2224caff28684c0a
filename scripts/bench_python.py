"""The Python alternatives of the scale benchmark: read every return under DIR and count
people by unit, with polars + fastexcel (calamine underneath) or pandas + openpyxl.

    python bench_python.py polars|pandas DIR title|column

"title": one file per unit in the recommended template (the unit is the title cell A1, the
header is on row 5); "column": one consolidated file (header on row 3, the unit in column B).
Each file is read once. Prints files, rows, units, seconds.
"""
import glob
import os
import sys
import time

mode, folder, units_from = sys.argv[1], sys.argv[2], sys.argv[3]
paths = sorted(glob.glob(os.path.join(folder, "**", "*.xlsx"), recursive=True))
header = 4 if units_from == "title" else 2  # pandas keeps blank rows: the header's row
started = time.perf_counter()
if mode == "polars":
    import polars as pl

    frames = []
    for path in paths:
        raw = pl.read_excel(path, sheet_id=1, engine="calamine", has_header=False, infer_schema_length=0)
        # The reader drops blank leading rows: the header is found by its "Họ và tên" cell.
        name_col = raw.columns[1 if units_from == "title" else 2]
        at = raw.with_row_index().filter(pl.col(name_col) == "Họ và tên")["index"][0]
        data = raw.slice(at + 1)
        if units_from == "title":
            unit = pl.lit(str(raw[0, 0]))
            frames.append(data.select(unit.alias("unit"), pl.col(raw.columns[1]).alias("name")))
        else:
            frames.append(data.select(pl.col(raw.columns[1]).alias("unit"), pl.col(raw.columns[2]).alias("name")))
    table = pl.concat(frames).filter(pl.col("name").is_not_null())
    counts = table.group_by("unit").len()
    rows, units = table.height, counts.height
elif mode == "pandas":
    import pandas as pd

    frames = []
    for path in paths:
        raw = pd.read_excel(path, sheet_name=0, engine="openpyxl", header=None, dtype=str)
        data = raw.iloc[header + 1 :]
        if units_from == "title":
            frames.append(pd.DataFrame({"unit": raw.iloc[0, 0], "name": data.iloc[:, 1]}))
        else:
            frames.append(pd.DataFrame({"unit": data.iloc[:, 1], "name": data.iloc[:, 2]}))
    table = pd.concat(frames)
    table = table[table["name"].notna()]
    counts = table.groupby("unit").size()
    rows, units = len(table), len(counts)
else:
    sys.exit("mode: polars or pandas")
print(f"{len(paths)} files, {rows} rows, {units} units, {time.perf_counter() - started:.3f} s")
