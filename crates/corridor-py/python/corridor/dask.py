"""Batch analyses on a Dask cluster: many routes, large matrices, scenario ensembles and
criticality, partitioned over the workers.

Each worker process opens its :class:`corridor.Planner` once, lazily, on its first task, from the
planner's options (network file, parameter overrides, market, cargo value: a few strings): the
network and the prepared engine are memory-mapped from the cache directory, so the processes of
one machine share their pages and nothing heavy is pickled. Workers on other machines need the
same cache (a shared directory in ``$CORRIDOR_CACHE``, or ``corridor prepare`` run on each).

Every function computes on the active ``dask.distributed`` client when there is one (else on
Dask's local threaded scheduler, which also runs in parallel: searches release the GIL) and gives
the same answer as the single-process :class:`corridor.Planner` call it splits.

>>> from dask.distributed import Client, LocalCluster               # doctest: +SKIP
>>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))  # doctest: +SKIP
>>> import corridor.dask as cd                                       # doctest: +SKIP
>>> cd.route_many(pairs_df, avoid=["RU", "IR"])                       # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import dask
import pandas as pd

from . import _CONSTRAINT_KEYS, _ROUTE_DTYPES, ROUTE_COLUMNS, Planner, _check, _constraints, _params, _places, _scenario, od_text
from .errors import BadInput
from .frames import scenario_rows

__all__ = ["route_many", "matrix", "scenario_ensemble", "critical", "planner_on_worker", "ROUTE_COLUMNS"]

_PLANNER_OPTIONS = ("network", "params", "market", "cargo_value")

_planners: Dict[Tuple[Any, ...], Planner] = {}
_planners_lock = threading.Lock()


def planner_on_worker(spec: Tuple[Any, ...]) -> Planner:
    """This process's planner for the options ``spec`` (opened on first use, then reused by
    every task of the process)."""
    with _planners_lock:
        p = _planners.get(spec)
        if p is None:
            p = _planners[spec] = Planner._from_spec(spec, prepare=False)
        return p


def _split(kwargs: Dict[str, Any]) -> Tuple[Tuple[Any, ...], Tuple[Any, ...], Optional[str]]:
    """The planner spec, the constraint lists and the objective from keyword arguments."""
    _check(kwargs, _PLANNER_OPTIONS + _CONSTRAINT_KEYS, "corridor.dask")
    network = kwargs.get("network")
    text, origin = _params(kwargs.get("params"))
    spec = (None if network is None else str(network), text, origin, kwargs.get("market"), kwargs.get("cargo_value"))
    lists, by = _constraints(kwargs)
    return spec, lists, by


def _client() -> Any:
    try:
        from distributed import get_client
    except ImportError:  # pragma: no cover - distributed is optional
        return None
    try:
        return get_client()
    except ValueError:
        return None


def _workers() -> int:
    c = _client()
    if c is None:
        return 2
    return max(1, sum(c.nthreads().values()))


def _chunks(items: Sequence[Any], n: int) -> List[Sequence[Any]]:
    size = max(1, math.ceil(len(items) / max(1, n)))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _route_partition(df: pd.DataFrame, spec: Tuple[Any, ...], lists: Tuple[Any, ...], by: Optional[str]) -> pd.DataFrame:
    """Routes one partition of pairs on this process's planner."""
    return planner_on_worker(spec)._route_frame(df, lists, by, 1)


def route_many(pairs: Any, *, npartitions: Optional[int] = None, **options: Any) -> Any:
    """The best route of every origin/destination pair: ``pairs`` is a pandas or Dask DataFrame
    with columns ``from``, ``to`` (place names, UN/LOCODEs or "lat,lon") and optionally
    ``demand``. Options: the constraints of :meth:`corridor.Planner.route` (``avoid``,
    ``avoid_passage``, ``allow_passage``, ``modes``, ``by``, ``allow_planned``,
    ``avoid_waters``, ``door``) and the planner's (``network``, ``params``, ``market``, ``cargo_value``).

    Returns the pairs with the columns :data:`ROUTE_COLUMNS`: resolved origin and destination,
    distance_km, days, usd_per_feu (charges), total_usd_per_feu, kg_co2e_per_teu, countries
    (" > "-joined) and status (``ok``, ``no route: ...``, ``bad input: ...``). A pandas input
    gives a pandas DataFrame (computed now, on the cluster when a client is active, in
    ``npartitions`` parts: default 4 per worker thread); a Dask input gives a lazy Dask
    DataFrame with the same partitions.
    """
    import dask.dataframe as dd

    spec, lists, by = _split(options)
    if not isinstance(pairs, (pd.DataFrame, dd.DataFrame)):
        raise BadInput("route_many: pairs must be a pandas or Dask DataFrame with columns from, to[, demand]")
    missing = {"from", "to"} - set(pairs.columns)
    if missing:
        raise BadInput(f"route_many: pairs need columns from, to (missing: {', '.join(sorted(missing))})")
    demand = [("demand", pairs["demand"].dtype)] if "demand" in pairs.columns else []
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                         [("from", pairs["from"].dtype), ("to", pairs["to"].dtype)] + demand
                         + [(c, _ROUTE_DTYPES[c]) for c in ROUTE_COLUMNS]})
    if isinstance(pairs, dd.DataFrame):
        return pairs.map_partitions(_route_partition, spec, lists, by, meta=meta)
    if len(pairs) == 0:
        return planner_on_worker(spec)._route_frame(pairs, lists, by, 1)
    n = npartitions or min(len(pairs), 4 * _workers())
    ddf = dd.from_pandas(pairs, npartitions=n, sort=False)
    got = ddf.map_partitions(_route_partition, spec, lists, by, meta=meta).compute()
    # Dask may turn text columns into its own string type: give back the input's types
    kept = {c: pairs[c].dtype for c in ("from", "to", "demand") if c in pairs.columns}
    return got.astype({**kept, **_ROUTE_DTYPES})


def _matrix_part(spec: Tuple[Any, ...], origins: List[str], destinations: List[str], lists: Tuple[Any, ...],
                 by: Optional[str]) -> str:
    return planner_on_worker(spec)._p.matrix(origins, destinations, lists, by, 1)


def matrix(origins: Any, destinations: Any, *, chunks: Optional[int] = None, **options: Any) -> Dict[str, Any]:
    """The many-to-many matrix of :meth:`corridor.Planner.matrix` (same dict, same values), the
    origins split into ``chunks`` parts (default 2 per worker thread) computed on the workers."""
    import json

    spec, lists, by = _split(options)
    o, d = _places(origins, "origins"), _places(destinations, "destinations")
    parts = _chunks(o, chunks or 2 * _workers())
    tasks = [dask.delayed(_matrix_part, pure=False)(spec, list(p), d, lists, by) for p in parts]
    answers = [json.loads(t) for t in dask.compute(*tasks)]
    whole = dict(answers[0])
    whole["origins"] = [x for a in answers for x in a["origins"]]
    whole["values"] = [row for a in answers for row in a["values"]]
    return whole


def _scenario_part(spec: Tuple[Any, ...], sc: Tuple[str, str, bool], od: str, lists: Tuple[Any, ...],
                   by: Optional[str]) -> List[Dict[str, Any]]:
    import json

    text, name, is_json = sc
    report = json.loads(planner_on_worker(spec)._p.scenario(text, name, is_json, None, None, od, lists, by))
    rows = scenario_rows(report)
    for r in rows:
        r["scenario_file"] = name
    return rows


def scenario_ensemble(scenarios: Iterable[Any], pairs: Any, *, chunks: Optional[int] = None,
                      **options: Any) -> pd.DataFrame:
    """Every scenario (TOML files, TOML texts or dicts, as :meth:`corridor.Planner.scenario`
    takes) on every pair (a CSV file, DataFrame or rows ``(from, to)``), split into tasks of one
    scenario and a part of the pairs (``chunks`` parts per scenario; default so that there are
    about 2 tasks per worker thread). One row per scenario, pair and corridor (``route`` for the
    best route): the columns of ``corridor scenario --format csv`` plus ``scenario`` and
    ``scenario_file``, in the order of the scenarios and pairs."""
    spec, lists, by = _split(options)
    scs = [_scenario(s) for s in scenarios]
    if not scs:
        raise BadInput("scenario_ensemble: no scenarios")
    text, name = od_text(pairs)
    frame = pd.read_csv(io.StringIO(text), comment="#", skipinitialspace=True, dtype=str)
    rows = list(frame.itertuples(index=False, name=None))
    if not rows:
        raise BadInput(f"scenario_ensemble: no pairs in {name}")
    header = list(frame.columns)
    n = chunks or max(1, math.ceil(2 * _workers() / len(scs)))
    tasks = []
    for sc in scs:
        for part in _chunks(rows, n):
            tasks.append(dask.delayed(_scenario_part, pure=False)(spec, sc, _csv(header, part), lists, by))
    out = [r for rows_ in dask.compute(*tasks) for r in rows_]
    return pd.DataFrame(out)


def _csv(header: List[str], rows: Sequence[Tuple[Any, ...]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None or (isinstance(v, float) and v != v) else v for v in r])
    return buf.getvalue()


def _critical_part(spec: Tuple[Any, ...], od: Optional[str], corridor: Optional[str], lists: Tuple[Any, ...],
                   by: Optional[str], part: Tuple[int, int]) -> str:
    return planner_on_worker(spec)._critical_part(od, corridor, lists, by, part)


_KIND_ORDER = {"country": 0, "border_crossing": 1, "port": 2, "link": 3, "passage": 4}
_MEASURE = {"distance": "extra_km", "time": "extra_days", "cost": "extra_usd_per_feu", "co2": "extra_kg_co2e_per_teu"}


def _desc(x: float) -> Tuple[float, int]:
    """A sort key putting floats in descending total order (as Rust's ``total_cmp``: -0.0 < 0.0)."""
    return (-x, -1 if math.copysign(1.0, x) > 0 else 0)


def merge_critical(parts: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Joins criticality parts (same flows and constraints) into the whole run's answer: the
    rankings concatenated, sorted as the library sorts (demand lost, then the objective's extra
    measure, most damaging first; then kind and id) and numbered."""
    whole = dict(parts[0])
    measure = _MEASURE[whole["objective"]]
    ranking = [r for p in parts for r in p["ranking"]]
    ranking.sort(key=lambda r: (_desc(r["demand_lost"]), _desc(r[measure]), _KIND_ORDER[r["kind"]], r["id"]))
    for i, r in enumerate(ranking):
        r["rank"] = i + 1
    whole["ranking"] = ranking
    return whole


def critical(pairs: Any = None, *, corridor: Optional[str] = None, parts: Optional[int] = None,
             **options: Any) -> Dict[str, Any]:
    """The criticality ranking of :meth:`corridor.Planner.critical` (same dict), its candidate
    elements split into ``parts`` (default 2 per worker thread) ranked on the workers: each part
    routes the flows, then removes its share of the elements in turn."""
    import json

    spec, lists, by = _split(options)
    od = od_text(pairs)[0] if pairs is not None else None
    n = parts or 2 * _workers()
    tasks = [dask.delayed(_critical_part, pure=False)(spec, od, corridor, lists, by, (k, n)) for k in range(n)]
    return merge_critical([json.loads(t) for t in dask.compute(*tasks)])

