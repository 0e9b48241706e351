"""pandas DataFrames from the reports of :class:`corridor.Planner` (pandas is optional: only
these helpers need it).

:func:`to_frame` recognises the report: a route (one row per leg), a comparison (one row per
corridor), a matrix (origins x destinations), a criticality ranking (one row per element), a
scenario (one row per pair and corridor, the columns of ``corridor scenario --format csv``) or a
capacity report (one row per corridor).
"""

from __future__ import annotations

from typing import Any, Dict, List

__all__ = ["to_frame", "legs_frame", "compare_frame", "matrix_frame", "critical_frame", "scenario_frame",
           "capacity_frame", "SCENARIO_MEASURES"]

#: The measures a scenario reports before, after and as a delta.
SCENARIO_MEASURES = ("distance_km", "days", "usd_per_feu", "kg_co2e_per_teu")


def _pd():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("DataFrames need pandas: pip install 'corridor[pandas]'") from e
    return pandas


def legs_frame(route: Dict[str, Any]) -> Any:
    """One row per leg of a route: mode, distance_km, days, usd_per_feu, kg_co2e_per_teu, from,
    to, countries, passages (lists joined with ' > ' and ', ')."""
    rows = []
    for i, leg in enumerate(route["legs"]):
        rows.append({
            "leg": i + 1,
            "mode": leg["mode"],
            "distance_km": leg["distance_km"],
            "days": leg["days"],
            "usd_per_feu": leg["usd_per_feu"],
            "kg_co2e_per_teu": leg["kg_co2e_per_teu"],
            "from": leg["from"],
            "to": leg["to"],
            "countries": " > ".join(leg.get("countries", [])),
            "passages": ", ".join(leg.get("passages", [])),
        })
    return _pd().DataFrame(rows)


def compare_frame(report: Dict[str, Any]) -> Any:
    """One row per corridor of ``compare`` (lists joined with spaces, as the CLI's CSV)."""
    rows = []
    for c in report["corridors"]:
        row = dict(c)
        for k in ("countries", "borders", "passages", "planned_links"):
            if isinstance(row.get(k), list):
                row[k] = " ".join(str(x) for x in row[k])
        rows.append(row)
    return _pd().DataFrame(rows)


def matrix_frame(m: Dict[str, Any]) -> Any:
    """The matrix as a DataFrame: origins as the index, destinations as the columns (NaN where no
    route exists)."""
    pd = _pd()
    return pd.DataFrame(m["values"], index=pd.Index(m["origins"], name="origin"),
                        columns=pd.Index(m["destinations"], name="destination"), dtype=float)


def critical_frame(c: Dict[str, Any]) -> Any:
    """One row per element of a criticality ranking, most damaging first."""
    return _pd().DataFrame(c["ranking"])


def scenario_rows(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The rows of ``corridor scenario --format csv`` as dicts (plus the scenario's name)."""
    rows = []
    for p in report["pairs"]:
        parts = [("route", p["route"])] + [(c["id"], c) for c in p["corridors"]]
        for cid, ch in parts:
            row: Dict[str, Any] = {
                "scenario": report["scenario"],
                "from": p["from"],
                "to": p["to"],
                "corridor": cid,
                "available_before": ch["available_before"],
                "available_after": ch["available_after"],
                "status_before": ch["status_before"],
                "status_after": ch["status_after"],
            }
            for m in SCENARIO_MEASURES:
                for side in ("before", "after", "delta"):
                    v = ch.get(side)
                    row[f"{m}_{side}"] = None if v is None else v[m]
            rows.append(row)
    return rows


def scenario_frame(report: Dict[str, Any]) -> Any:
    """One row per pair and corridor (``route`` for the best route) of a scenario report."""
    return _pd().DataFrame(scenario_rows(report))


def capacity_frame(report: Dict[str, Any]) -> Any:
    """One row per corridor of a capacity report: routes, max flow (TEU/year, None when
    unbounded) and the bottleneck's elements."""
    rows = []
    for c in report["corridors"]:
        rows.append({
            "corridor": c["id"],
            "name": c["name"],
            "routes": c["routes"],
            "max_flow_teu_per_year": c["max_flow_teu_per_year"],
            "bottleneck": ";".join(e["id"] for e in c["bottleneck"]),
        })
    return _pd().DataFrame(rows)


def to_frame(report: Any) -> Any:
    """A DataFrame of any report of :class:`corridor.Planner` (see the module's doc)."""
    if isinstance(report, dict):
        if "legs" in report:
            return legs_frame(report)
        if "values" in report and "origins" in report:
            return matrix_frame(report)
        if "ranking" in report:
            return critical_frame(report)
        if "pairs" in report and "scenario" in report and isinstance(report["pairs"], list):
            return scenario_frame(report)
        if "capacity_version" in report:
            return capacity_frame(report)
        if "corridors" in report:
            return compare_frame(report)
    raise TypeError("to_frame: not a corridor report (route, compare, matrix, critical, scenario or capacity)")
