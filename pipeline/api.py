"""The analysts' entry point: run the pipeline from Python and read its tables as pandas DataFrames.

    from pipeline.api import process, read_tables

    summary = process(["data/raw"], "data/out")      # what `minutes run data/raw --out data/out` does
    tables = read_tables("data/out")                  # {"documents": DataFrame, "decisions": ..., ...}

``read_tables`` gives every column a nullable dtype: ``Int64`` for counts, ``boolean`` for flags
(``<NA>`` when the document does not tell), ``datetime64[ns]`` for dates (``NaT`` when unknown),
``Float64`` for measures and ``string`` for text (``<NA>`` when missing). It reads the Parquet files
when the output folder has them, else the CSV files with the types ``datapackage.json`` declares.

pandas is imported only here, and only when a function is called: a plain ``minutes run`` does not
load it.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.export.files import FORMULA_START

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.run import Summary

PathLike = str | os.PathLike[str]


def process(inputs: PathLike | Iterable[PathLike], out: PathLike, **options: Any) -> Summary:
    """Process ``inputs`` (files and folders, read recursively) into ``out``, as ``minutes run``
    does, and return the run's summary. ``options`` are fields of :class:`pipeline.run.RunOptions`:
    ``workers`` (default 1), ``formats`` (a tuple or ``"csv,parquet"``), ``full``, ``rollup``,
    ``lang``, ``per_region``, ``timeout``, ``debug``; no progress bar unless ``progress=True``."""
    from pipeline.run import RunOptions, run

    allowed = {f.name for f in fields(RunOptions)} - {"inputs", "out"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"unknown option {', '.join(unknown)}: choose from {', '.join(sorted(allowed))}")
    if isinstance(options.get("formats"), str):
        options["formats"] = tuple(f.strip() for f in options["formats"].split(",") if f.strip())
    paths = (inputs,) if isinstance(inputs, str | os.PathLike) else tuple(inputs)
    return run(RunOptions(tuple(Path(p) for p in paths), Path(out), **{"progress": False, **options}))


def read_tables(out: PathLike) -> dict[str, pd.DataFrame]:
    """Every table of the output folder ``out`` as a DataFrame with nullable dtypes, by table name
    in the order of ``datapackage.json`` (documents, decisions, participants, ...)."""
    folder = Path(out)
    package = _package(folder)
    found: dict[str, tuple[list[str], list[str]]] = {}  # table -> its columns and their types
    parquet: set[str] = set()
    for resource in package.get("resources", []):
        path = Path(str(resource.get("path", "")))
        fields_ = resource.get("schema", {}).get("fields", [])
        table = path.stem
        if resource.get("format") == "parquet" and (folder / path).is_file():
            parquet.add(table)
        if table not in found:
            found[table] = ([f["name"] for f in fields_], [f.get("type", "string") for f in fields_])
    if not package:  # no datapackage.json: every table there, as text
        found = {p.stem: ([], []) for p in sorted((folder / "tables").glob("*.csv"))}
        parquet = {p.stem for p in (folder / "tables").glob("*.parquet")}
    if not found:
        raise FileNotFoundError(f"no tables in {folder}: give the output folder of a run (with datapackage.json)")
    return {table: (_read_parquet(folder / "tables" / f"{table}.parquet") if table in parquet
                    else _read_csv(folder / "tables" / f"{table}.csv", *types))
            for table, types in found.items()}


def _package(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet table with nullable dtypes (dates as ``datetime64[ns]``)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    for k, column in enumerate(table.schema):
        if pa.types.is_date(column.type):
            table = table.set_column(k, column.name, table.column(k).cast(pa.timestamp("ns")))
    nullable = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype(),
                pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}
    return table.to_pandas(types_mapper=nullable.get)


def _read_csv(path: Path, header: list[str], types: list[str]) -> pd.DataFrame:
    """A CSV table with the types of its schema (``datapackage.json``); empty cells are missing."""
    import pandas as pd

    frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8")
    for column, kind in zip(header, types):
        if column not in frame:
            continue
        values = frame[column]
        if kind == "integer":
            frame[column] = pd.to_numeric(values).astype("Int64")
        elif kind == "number":
            frame[column] = pd.to_numeric(values).astype("Float64")
        elif kind == "boolean":
            frame[column] = values.map({"true": True, "false": False}, na_action="ignore").astype("boolean")
        elif kind == "date":
            frame[column] = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
        else:  # the CSV puts an apostrophe before text a spreadsheet would take for a formula
            starts = values.str.startswith("'") & values.str[1:2].isin(list(FORMULA_START))
            frame[column] = values.mask(starts.fillna(False), values.str[1:])
    return frame
