"""corridor: freight routes and corridors across Asia, the Middle East and Europe, under
geopolitical constraints, on real open data.

The Python face of the corridor library (Rust, PyO3). A :class:`Planner` opens the network that
ships inside the package (or a network file) and the prepared engine from the cache
(memory-mapped, so many processes share its pages); its methods answer the questions of the
``corridor`` command line and return dicts with exactly the fields of its ``--format json``:

>>> import corridor
>>> p = corridor.Planner()
>>> r = p.route("Almaty", "Istanbul", avoid=["RU", "IR"])
>>> r["distance_km"], r["countries"]                                     # doctest: +SKIP
(5699.4, ['KZ', 'KG', 'KZ', 'AZ', 'GE', 'TR'])

Every search runs with the GIL released and one planner may serve many threads. Errors are
:class:`BadInput` (with ``suggestions``) and :class:`NoRoute` (with ``hint``). Tables become
pandas DataFrames with :func:`to_frame` (pandas optional), routes GeoDataFrames with
:meth:`Planner.to_geodataframe` (geopandas optional). :mod:`corridor.dask` runs batches on a
Dask cluster.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _corridor
from .errors import BadInput, CorridorError, NoRoute
from .frames import to_frame

__all__ = [
    "Planner",
    "BadInput",
    "NoRoute",
    "CorridorError",
    "prepare",
    "to_frame",
    "ROUTE_COLUMNS",
    "__version__",
]

__version__: str = _corridor.__version__

PathLike = Union[str, "os.PathLike[str]"]
Names = Union[None, str, Iterable[str]]
Pairs = Any  # a path to a CSV file from,to[,demand], a DataFrame, or rows (from, to[, demand])

OBJECTIVES = ("distance", "time", "cost", "co2")

#: The columns :meth:`Planner.route_frame` (and ``corridor.dask.route_many``) add to the pairs.
ROUTE_COLUMNS = ["origin", "destination", "distance_km", "days", "usd_per_feu", "total_usd_per_feu",
                 "kg_co2e_per_teu", "countries", "status"]
_ROUTE_DTYPES = {"origin": object, "destination": object, "distance_km": float, "days": float,
                 "usd_per_feu": float, "total_usd_per_feu": float, "kg_co2e_per_teu": float, "countries": object,
                 "status": object}


def prepare(network: Optional[PathLike] = None, *, force: bool = False) -> str:
    """Writes the cache files ``corridor prepare`` writes (the network's raw mappable copy and
    the prepared engine) into ``$CORRIDOR_CACHE`` (else ``~/.cache/corridor``) unless they are up
    to date; ``force`` rebuilds. About 25 s on two cores. Returns the engine file's path."""
    return _corridor.prepare(_fspath(network), force)


def _fspath(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


def _names(value: Names, what: str) -> List[str]:
    """A list of names as the CLI reads a comma-separated flag: ``"RU,IR"``, ``["RU", "IR"]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split(",")
    out: List[str] = []
    for v in value:
        if not isinstance(v, str):
            raise BadInput(f"{what}: expected strings, got {type(v).__name__}")
        out.extend(v.split(","))
    return out


def _lists(
    avoid: Names,
    avoid_passage: Names,
    allow_passage: Names,
    modes: Names,
    allow_planned: bool,
    avoid_waters: bool,
) -> Tuple[List[str], List[str], List[str], List[str], bool, bool]:
    return (
        _names(avoid, "avoid"),
        _names(avoid_passage, "avoid_passage"),
        _names(allow_passage, "allow_passage"),
        _names(modes, "modes"),
        bool(allow_planned),
        bool(avoid_waters),
    )


def _by(by: Optional[str]) -> Optional[str]:
    if by is not None and by not in OBJECTIVES:
        raise BadInput(f"unknown objective '{by}' (expected distance, time, cost or co2)")
    return by


def _places(value: Union[PathLike, Iterable[str]], what: str) -> List[str]:
    """Places as the CLI's ``matrix --from/--to`` read them: a file with one place per line
    ('#' comments), a ';'-separated string, or an iterable of names."""
    if isinstance(value, os.PathLike) or (isinstance(value, str) and os.path.isfile(value)):
        with open(value, encoding="utf-8") as f:
            text = f.read()
    elif isinstance(value, str):
        text = value.replace(";", "\n")
    else:
        items = list(value)
        if not all(isinstance(v, str) for v in items):
            raise BadInput(f"{what}: expected place names (strings)")
        text = "\n".join(items)
    out = [line.strip() for line in text.splitlines()]
    out = [line for line in out if line and not line.startswith("#")]
    if not out:
        raise BadInput(f"no places in {what}")
    return out


def od_text(pairs: Pairs) -> Tuple[str, str]:
    """Origin/destination pairs as CSV text ``from,to[,demand]`` and a name for errors: from a
    CSV file, a pandas DataFrame (columns ``from``, ``to``, optional ``demand``) or rows
    ``(from, to)`` / ``(from, to, demand)`` / dicts with those keys."""
    if isinstance(pairs, os.PathLike) or (isinstance(pairs, str) and os.path.isfile(pairs)):
        with open(pairs, encoding="utf-8") as f:
            return f.read(), os.fspath(pairs)
    if isinstance(pairs, str):
        raise BadInput(f"pairs: no such file '{pairs}'")
    if hasattr(pairs, "columns") and hasattr(pairs, "itertuples"):
        missing = {"from", "to"} - set(pairs.columns)
        if missing:
            raise BadInput(f"pairs: the DataFrame needs columns from, to (missing: {', '.join(sorted(missing))})")
        cols = ["from", "to"] + (["demand"] if "demand" in pairs.columns else [])
        rows: List[Sequence[Any]] = [tuple(r) for r in pairs[cols].itertuples(index=False, name=None)]
    else:
        rows = []
        for r in pairs:
            if isinstance(r, dict):
                rows.append((r["from"], r["to"]) + ((r["demand"],) if r.get("demand") is not None else ()))
            else:
                rows.append(tuple(r))
    with_demand = any(len(r) > 2 and r[2] is not None for r in rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["from", "to", "demand"] if with_demand else ["from", "to"])
    for r in rows:
        if len(r) < 2:
            raise BadInput(f"pairs: a row needs from and to, got {r!r}")
        row = [str(r[0]), str(r[1])]
        if with_demand:
            d = r[2] if len(r) > 2 else None
            row.append("" if d is None or d != d else repr(float(d)))
        w.writerow(row)
    return buf.getvalue(), "pairs"


def _scenario(scenario: Union[PathLike, Dict[str, Any]]) -> Tuple[str, str, bool]:
    """A scenario as (text, name, is_json): a TOML file, a dict with the file's keys, or TOML text."""
    if isinstance(scenario, dict):
        return json.dumps(scenario), str(scenario.get("name", "scenario")), True
    if isinstance(scenario, os.PathLike) or (isinstance(scenario, str) and os.path.isfile(scenario)):
        with open(scenario, encoding="utf-8") as f:
            return f.read(), os.fspath(scenario), False
    if isinstance(scenario, str) and "=" in scenario:
        return scenario, "scenario", False
    raise BadInput(f"scenario: no such file '{scenario}' (give a TOML file, TOML text or a dict)")


def _params(params: Union[None, PathLike, Dict[str, Any]]) -> Tuple[Optional[str], Optional[str]]:
    """Parameter overrides as (TOML text, name): a TOML file of ``key = value`` pairs (as
    ``corridor --params``), a dict ``{"ferry.port_hours": 24}`` or TOML text."""
    if params is None:
        return None, None
    if isinstance(params, dict):
        lines = [f"{json.dumps(str(k))} = {json.dumps(v)}" for k, v in params.items()]
        return "\n".join(lines) + "\n", "params"
    if isinstance(params, os.PathLike) or (isinstance(params, str) and os.path.isfile(params)):
        with open(params, encoding="utf-8") as f:
            return f.read(), os.fspath(params)
    if isinstance(params, str) and "=" in params:
        return params, "params"
    raise BadInput(f"params: no such file '{params}' (give a TOML file, TOML text or a dict)")


class Planner:
    """Routes, corridors, matrices and what-if analyses on one network with one parameter set.

    ``network``: a network file (``.cnet``); default ``$CORRIDOR_NETWORK``, else the network
    embedded in the package. ``params``: parameter overrides, as ``corridor --params`` (a TOML
    file, TOML text or a dict ``{"ferry.port_hours": 24}``). ``market``: the freight market state
    (``normal-2023``, the default; ``red-sea-2024``; ``latest``). ``cargo_value``: US$ per TEU
    (capital cost in transit). ``prepare``: when the cache has no prepared engine for the
    network, build and write it first (about 25 s; as ``corridor prepare``); otherwise searches
    fall back to bidirectional Dijkstra (same answers, slower).

    A planner is safe to share between threads; every search releases the GIL. It pickles as
    its options (the receiving process opens its own, memory-mapped, copy).
    """

    def __init__(
        self,
        network: Optional[PathLike] = None,
        params: Union[None, PathLike, Dict[str, Any]] = None,
        market: Optional[str] = None,
        *,
        cargo_value: Optional[float] = None,
        prepare: bool = True,
    ) -> None:
        text, origin = _params(params)
        self._spec = (_fspath(network), text, origin, market, cargo_value)
        self._p = _corridor.Planner(_fspath(network), text, origin, market, cargo_value, prepare)

    @classmethod
    def _from_spec(cls, spec: Tuple[Any, ...], prepare: bool = True) -> "Planner":
        network, text, origin, market, cargo_value = spec
        self = cls.__new__(cls)
        self._spec = tuple(spec)
        self._p = _corridor.Planner(network, text, origin, market, cargo_value, prepare)
        return self

    def __reduce__(self):  # type: ignore[override]
        return (Planner._from_spec, (self._spec,))

    def __repr__(self) -> str:
        engine = "prepared engine" if self.has_engine else "no prepared engine"
        return f"<corridor.Planner network {self.network_version}, market {self.market}, {engine}>"

    @property
    def network_version(self) -> str:
        """The network's version (a hash of its content)."""
        return self._p.network_version

    @property
    def params_version(self) -> str:
        """The parameters' version."""
        return self._p.params_version

    @property
    def market(self) -> str:
        """The freight market state of the parameters."""
        return self._p.market

    @property
    def has_engine(self) -> bool:
        """Whether the prepared engine (CCH) is attached."""
        return self._p.has_engine

    def route(
        self,
        origin: str,
        destination: str,
        *,
        via: Union[str, Sequence[str]] = (),
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        alternatives: int = 0,
        allow_planned: bool = False,
        avoid_waters: bool = False,
    ) -> Dict[str, Any]:
        """The best route from ``origin`` to ``destination`` (place names such as ``"Xi'an"`` or
        ``"Brest, BY"``, UN/LOCODEs such as ``NLRTM``, or ``"lat,lon"``), through ``via`` in
        order, avoiding the countries ``avoid`` (ISO alpha-2, e.g. ``["RU", "IR"]`` or
        ``"RU,IR"``; ``avoid_waters`` closes their territorial seas too) and the passages
        ``avoid_passage`` (``suez``, ``babalmandab``, ``ormuz``, ``bosporus``...), opening the
        Arctic ``allow_passage`` (``nsr``, ``northwest``), with the ``modes`` given (subset of
        rail, road, sea, ferry; default all) and planned links when ``allow_planned``; minimising
        ``by`` (``cost``, the default: total logistics cost; ``time``, ``distance``, ``co2``);
        with up to ``alternatives`` (0-5) meaningfully different routes.

        Returns the dict of ``corridor route --format json``: legs, totals, countries, borders,
        passages, links used with their sources, the constraints and the provenance, and
        ``alternatives``. Raises :class:`BadInput` or :class:`NoRoute`.
        """
        return json.loads(self._p.route(*self._route_args(
            origin, destination, via=via, avoid=avoid, avoid_passage=avoid_passage, allow_passage=allow_passage,
            modes=modes, by=by, alternatives=alternatives, allow_planned=allow_planned, avoid_waters=avoid_waters)))

    def geojson(self, origin: str, destination: str, **kwargs: Any) -> Dict[str, Any]:
        """The route (keyword arguments of :meth:`route`) as the GeoJSON FeatureCollection of
        ``corridor route --format geojson``: one LineString (or MultiLineString across the
        antimeridian) per leg, alternatives marked by an ``alternative`` property."""
        return json.loads(self._p.route(*self._route_args(origin, destination, **kwargs), True))

    def to_geodataframe(self, origin: str, destination: str, **kwargs: Any) -> Any:
        """The route's legs (arguments of :meth:`route`) as a geopandas GeoDataFrame in EPSG:4326
        (needs geopandas)."""
        try:
            import geopandas
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_geodataframe needs geopandas: pip install 'corridor[geo]'") from e
        fc = self.geojson(origin, destination, **kwargs)
        return geopandas.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")

    def _route_args(self, origin: str, destination: str, *, via: Union[str, Sequence[str]] = (), avoid: Names = (),
                    avoid_passage: Names = (), allow_passage: Names = (), modes: Names = None,
                    by: Optional[str] = None, alternatives: int = 0, allow_planned: bool = False,
                    avoid_waters: bool = False) -> Tuple[Any, ...]:
        if not isinstance(alternatives, int) or not 0 <= alternatives <= 5:
            raise BadInput(f"alternatives: expected 0 to 5, got {alternatives!r}")
        via_list = [via] if isinstance(via, str) else list(via)
        return (str(origin), str(destination), via_list,
                _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters), _by(by),
                alternatives)

    def compare(
        self,
        origin: str,
        destination: str,
        *,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
    ) -> Dict[str, Any]:
        """Every named corridor (Middle Corridor, Northern route, Southern route via Iran, INSTC,
        IMEC and its land bridge, sea via Suez, sea via the Cape) between two places under the
        same constraints as :meth:`route`: the dict of ``corridor compare --format json``
        (``corridors``: id, name, available, status, distance_km, days, usd_per_feu,
        kg_co2e_per_teu, countries...)."""
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return json.loads(self._p.compare(str(origin), str(destination), lists, _by(by)))

    def matrix(
        self,
        origins: Union[PathLike, Iterable[str]],
        destinations: Union[PathLike, Iterable[str]],
        *,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
        threads: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Many-to-many matrix of the objective ``by`` (default cost, US$/FEU; distance in km,
        time in hours, co2 in kg CO2e/TEU): the dict of ``corridor matrix --format json``
        (``objective``, ``unit``, ``origins``, ``destinations``, ``values[i][j]``, None where no
        route exists). Places as lists, a ';'-separated string or a file (one per line)."""
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        o, d = _places(origins, "origins"), _places(destinations, "destinations")
        return json.loads(self._p.matrix(o, d, lists, _by(by), threads))

    def scenario(
        self,
        scenario: Union[PathLike, Dict[str, Any]],
        origin: Optional[str] = None,
        destination: Optional[str] = None,
        *,
        pairs: Pairs = None,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
    ) -> Dict[str, Any]:
        """What-if: applies ``scenario`` (a TOML file as ``corridor scenario`` reads, TOML text,
        or a dict of the file's keys) and reports each pair before, after and the delta, as the
        best route and on every corridor: the dict of ``corridor scenario --format json``. Pairs:
        ``origin`` and ``destination``, else ``pairs`` (CSV file, DataFrame or rows), else the
        file's ``[[pair]]``s, else the shipped scenario pairs."""
        text, name, is_json = _scenario(scenario)
        if (origin is None) != (destination is None):
            raise BadInput("give both origin and destination, or pairs")
        od = od_text(pairs)[0] if pairs is not None else None
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return json.loads(self._p.scenario(text, name, is_json, origin, destination, od, lists, _by(by)))

    def critical(
        self,
        pairs: Pairs = None,
        *,
        corridor: Optional[str] = None,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
        threads: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Criticality: every link, port, border crossing, passage and country the flows' routes
        use, removed in turn, ranked by the demand lost and the extra cost of re-routing: the
        dict of ``corridor critical --format json``. Flows: ``pairs`` (CSV file, DataFrame or rows
        ``(from, to[, demand])``) or a ``corridor``'s shipped set (``middle``); a corridor adds its
        exclusions and modes."""
        od = od_text(pairs)[0] if pairs is not None else None
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return json.loads(self._p.critical(od, corridor, lists, _by(by), threads, (0, 1)))

    def _critical_part(self, od: Optional[str], corridor: Optional[str], lists, by, part: Tuple[int, int]) -> str:
        return self._p.critical(od, corridor, lists, _by(by), 1, part)

    def capacity(
        self,
        *,
        corridor: Optional[str] = None,
        pairs: Pairs = None,
        demand: Pairs = None,
        scenario: Union[None, PathLike, Dict[str, Any]] = None,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
    ) -> Dict[str, Any]:
        """Maximum flow (TEU/year) of one corridor (``corridor``, e.g. ``middle``) or of each and
        all together, for the ``pairs`` (default the Middle Corridor set), with the bottleneck
        (minimum cut); with ``demand`` (pairs with a demand column), a least-cost assignment
        within the capacities; after ``scenario`` when given: the dict of ``corridor capacity
        --format json``."""
        if pairs is not None and demand is not None:
            raise BadInput("give pairs or demand (which lists the pairs), not both")
        src = demand if demand is not None else pairs
        od, od_name = od_text(src) if src is not None else (None, None)
        sc = _scenario(scenario) if scenario is not None else (None, None, False)
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return json.loads(self._p.capacity(corridor, od, od_name, demand is not None, sc[0], sc[1], sc[2], lists,
                                           _by(by)))

    def places(self, query: Optional[str] = None, limit: int = 10) -> List[Dict[str, Any]]:
        """Gazetteer places whose names start with ``query`` (as ``corridor places``), at most
        ``limit``; without a query, every place of the network."""
        return json.loads(self._p.places(query, limit))

    def route_rows(
        self,
        pairs: Iterable[Tuple[str, str]],
        *,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
        threads: int = 1,
    ) -> List[Tuple[Any, ...]]:
        """The best route of each pair, compactly, for batch work: tuples (origin name,
        destination name, distance_km, days, usd_per_feu, total_usd_per_feu, kg_co2e_per_teu,
        countries, status), the figures None unless status is ``"ok"`` (else ``"no route: ..."``
        or ``"bad input: ..."``). The same figures as :meth:`route`. ``threads`` searches in
        parallel (Rust threads, GIL released)."""
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return self._p.route_rows([(str(a), str(b)) for a, b in pairs], lists, _by(by), threads)

    def route_frame(
        self,
        pairs: Any,
        *,
        avoid: Names = (),
        avoid_passage: Names = (),
        allow_passage: Names = (),
        modes: Names = None,
        by: Optional[str] = None,
        allow_planned: bool = False,
        avoid_waters: bool = False,
        threads: int = 1,
    ) -> Any:
        """:meth:`route_rows` over a pandas DataFrame with columns ``from``, ``to`` (and
        optionally ``demand``): the pairs with the columns :data:`ROUTE_COLUMNS` added (same
        index). What ``corridor.dask.route_many`` runs on each partition, and what a Spark
        ``mapInPandas`` function can call (see the README)."""
        lists = _lists(avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters)
        return self._route_frame(pairs, lists, _by(by), threads)

    def _route_frame(self, df: Any, lists: Any, by: Optional[str], threads: int) -> Any:
        import pandas as pd

        missing = {"from", "to"} - set(df.columns)
        if missing:
            raise BadInput(f"pairs: the DataFrame needs columns from, to (missing: {', '.join(sorted(missing))})")
        out = df[[c for c in ("from", "to", "demand") if c in df.columns]].copy()
        pairs = list(zip(df["from"].astype(str), df["to"].astype(str)))
        rows = self._p.route_rows(pairs, lists, by, threads) if pairs else []
        res = pd.DataFrame(rows, columns=ROUTE_COLUMNS, index=df.index)
        for c in ROUTE_COLUMNS:
            out[c] = res[c].astype(_ROUTE_DTYPES[c])
        return out
