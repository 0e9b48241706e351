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
:meth:`Planner.to_geodataframe` (geopandas optional). The risk layer (war-risk premiums, closures
above a risk field, exposure reports) comes through the :class:`RiskOptions` keywords and
:meth:`Planner.risk_route` / :meth:`Planner.risk_areas`; the gas supply model through :class:`Gas`
(and :meth:`Planner.gas_flow` / :meth:`Planner.gas_security`). :mod:`corridor.dask` runs batches on
a Dask cluster.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from typing import TypedDict

if TYPE_CHECKING:  # only type checkers read the keyword lists through Unpack (PEP 692)
    from typing_extensions import Unpack

from . import _corridor
from .errors import BadInput, CorridorError, NoRoute
from .frames import to_frame

__all__ = [
    "Planner",
    "Gas",
    "Constraints",
    "RiskOptions",
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
    door: bool,
) -> Tuple[List[str], List[str], List[str], List[str], bool, bool, bool]:
    return (
        _names(avoid, "avoid"),
        _names(avoid_passage, "avoid_passage"),
        _names(allow_passage, "allow_passage"),
        _names(modes, "modes"),
        bool(allow_planned),
        bool(avoid_waters),
        bool(door),
    )


def _by(by: Optional[str]) -> Optional[str]:
    if by is not None and by not in OBJECTIVES:
        raise BadInput(f"unknown objective '{by}' (expected distance, time, cost or co2)")
    return by


class Constraints(TypedDict, total=False):
    """The constraint keywords of every routing method (:meth:`Planner.route`, ``compare``,
    ``matrix``, ``scenario``, ``critical``, ``capacity``, ``route_rows``, ``route_frame`` and
    :mod:`corridor.dask`), as the CLI's flags:

    * ``avoid``: countries no route may cross (ISO alpha-2, ``["RU", "IR"]`` or ``"RU,IR"``);
    * ``avoid_passage``: passages closed (``suez``, ``babalmandab``, ``ormuz``, ``bosporus``...);
    * ``allow_passage``: Arctic passages opened (``nsr``, ``northwest``);
    * ``modes``: a subset of rail, road, sea, ferry (default all);
    * ``by``: the objective minimised: ``cost`` (default: total logistics cost), ``time``,
      ``distance``, ``co2``;
    * ``allow_planned``: use planned links too;
    * ``avoid_waters``: close the avoided countries' territorial seas as well;
    * ``door``: door to door: the truck between each place and the network in the totals, with
      the drayage charge at both ends of a route by rail or container ship (``matrix`` refuses it).
    """

    avoid: Names
    avoid_passage: Names
    allow_passage: Names
    modes: Names
    by: Optional[str]
    allow_planned: bool
    avoid_waters: bool
    door: bool


class RiskOptions(TypedDict, total=False):
    """The risk keywords of :meth:`Planner.route`, ``compare``, ``risk_route`` and ``risk_areas``,
    as the CLI's ``--risk``, ``--as-of``, ``--max-risk`` and ``--risk-incidents``:

    * ``risk``: put war-risk premiums of high-risk waters in the cost (as of the newest incident
      unless ``as_of``); implied by the others;
    * ``as_of``: the date of the risk field, ``"YYYY-MM-DD"``: incidents up to it, weighted by age;
    * ``max_risk``: close edges whose risk field exceeds this value (areas are listed at 2);
    * ``risk_incidents``: incident files added to the shipped table (NGA ASAM CSV/JSON, ACLED,
      UCDP GED, GDELT events, chokepointR ``incidents_recent.csv``): a path or a list of paths.
    """

    risk: bool
    as_of: Optional[str]
    max_risk: Optional[float]
    risk_incidents: Union[PathLike, Sequence[PathLike]]


class CompareOptions(Constraints, RiskOptions, total=False):
    """The keywords of :meth:`Planner.compare`: :class:`Constraints` and :class:`RiskOptions`."""


class RiskRouteOptions(CompareOptions, total=False):
    """The keywords of :meth:`Planner.risk_route`: ``via`` (places in order),
    :class:`Constraints` and :class:`RiskOptions`."""

    via: Union[str, Sequence[str]]


class RouteOptions(RiskRouteOptions, total=False):
    """The keywords of :meth:`Planner.route`: ``via``, ``alternatives`` (0-5 meaningfully different
    routes), :class:`Constraints` and :class:`RiskOptions`."""

    alternatives: int


_CONSTRAINT_KEYS = ("avoid", "avoid_passage", "allow_passage", "modes", "by", "allow_planned", "avoid_waters", "door")
_RISK_KEYS = ("risk", "as_of", "max_risk", "risk_incidents")


def _check(kwargs: Mapping[str, Any], allowed: Tuple[str, ...], method: str) -> Mapping[str, Any]:
    """The keyword arguments, refused as Python refuses them when one is not ``allowed``."""
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(f"{method}() got unexpected keyword arguments: {', '.join(unknown)}")
    return kwargs


def _constraints(kw: Mapping[str, Any]) -> Tuple[Tuple[Any, ...], Optional[str]]:
    """The constraint lists and the objective of :class:`Constraints` keywords."""
    lists = _lists(kw.get("avoid", ()), kw.get("avoid_passage", ()), kw.get("allow_passage", ()), kw.get("modes"),
                   kw.get("allow_planned", False), kw.get("avoid_waters", False), kw.get("door", False))
    return lists, _by(kw.get("by"))


def _risk(kw: Mapping[str, Any]) -> Tuple[bool, Optional[str], Optional[float], List[str]]:
    """The (risk, as_of, max_risk, incident files) of :class:`RiskOptions` keywords."""
    as_of, max_risk = kw.get("as_of"), kw.get("max_risk")
    if as_of is not None and not isinstance(as_of, str):
        as_of = as_of.isoformat() if hasattr(as_of, "isoformat") else str(as_of)
    if max_risk is not None:
        if isinstance(max_risk, bool) or not isinstance(max_risk, (int, float)):
            raise BadInput(f"max_risk: expected a number, got {max_risk!r}")
        max_risk = float(max_risk)
    files = kw.get("risk_incidents") or ()
    if isinstance(files, (str, os.PathLike)):
        files = [files]
    return bool(kw.get("risk", False)), as_of, max_risk, [os.fspath(f) for f in files]


def _via(via: Union[str, Sequence[str]]) -> List[str]:
    return [via] if isinstance(via, str) else [str(v) for v in via]


def _count(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise BadInput(f"{what}: expected a whole number, zero or more, got {n!r}")
    return n


def _route_args(origin: str, destination: str, options: Mapping[str, Any], method: str) -> Tuple[Any, ...]:
    """The arguments of the extension's ``route`` (without ``geojson``) from :meth:`Planner.route`'s."""
    kw = _check(options, ("via", "alternatives") + _CONSTRAINT_KEYS + _RISK_KEYS, method)
    alternatives = kw.get("alternatives", 0)
    if isinstance(alternatives, bool) or not isinstance(alternatives, int) or not 0 <= alternatives <= 5:
        raise BadInput(f"alternatives: expected 0 to 5, got {alternatives!r}")
    lists, by = _constraints(kw)
    return (str(origin), str(destination), _via(kw.get("via", ())), lists, by), alternatives, False, _risk(kw)


def _items(value: Names) -> List[str]:
    """Comma-separated names (a string or strings) as a list, trimmed, empty items dropped."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
    return [p.strip() for p in parts if p.strip()]


class Gas:
    """The gas supply model (``corridor gas ...``): maximum deliverable gas from suppliers to
    countries with its bottleneck, per-country security of supply without a supplier (with the
    N-1 formula of Reg. 2017/1938), and scenarios. ``network``: a gas network file (written by
    ``corridor gas network build``); default the one embedded in the package
    (``data/gas/network.json``). Thread-safe; every question releases the GIL. Pickles as its
    file name.
    """

    def __init__(self, network: Optional[PathLike] = None) -> None:
        self._network = _fspath(network)
        self._g = _corridor.Gas(self._network)

    def __reduce__(self):  # type: ignore[override]
        return (Gas, (self._network,))

    def __repr__(self) -> str:
        return f"<corridor.Gas network version {self.version}>"

    @property
    def version(self) -> str:
        """The gas network file's format version."""
        return self._g.version

    def flow(self, suppliers: Names, countries: Names, *, avoid: Names = (), without: Names = (),
             no_reserve: bool = False, no_supply_cap: bool = False) -> Dict[str, Any]:
        """Maximum deliverable gas (bcm/y) from ``suppliers`` (codes or names: RU, NO, DZ, LY,
        AZ, TM, IR, KZ, UZ, EG, IL, LNG; a list or ``"AZ,LNG"``) to ``countries`` (codes or names;
        ``EU`` = the 27 member states; ``-XX`` removes one: ``"EU,-GR"``), with no gas through the
        countries ``avoid`` and without the pipelines or LNG terminals ``without`` (names, e.g.
        ``"TurkStream"``): the bottleneck (minimum cut) and the paths with their flows, after the
        suppliers' committed offtakes outside ``countries`` (``no_reserve=True`` does not serve
        them first) with each supplier capped at its availability (``no_supply_cap=True`` lifts
        it; both: the pure physical maximum flow). The dict of ``corridor gas flow --format
        json``. Raises :class:`BadInput` with ``suggestions``."""
        return json.loads(self._g.flow(",".join(_items(suppliers)), ",".join(_items(countries)), _items(avoid),
                                       _items(without), no_reserve, no_supply_cap))

    def security(self, *, without_supplier: Names = "RU", avoid: Names = (), without: Names = (),
                 country: Names = None) -> Dict[str, Any]:
        """Per country (or only ``country``: codes, names or EU): gas deliverable without the
        suppliers ``without_supplier`` (default RU; ``"none"`` or ``()`` for none), the share of
        demand covered, the single infrastructure whose loss hurts most, and the N-1 formula.
        The dict of ``corridor gas security --format json``."""
        only = ",".join(_items(country)) if country is not None else None
        return json.loads(self._g.security(_suppliers(without_supplier), _items(avoid), _items(without), only))

    def scenario(self, scenario: PathLike, *, without_supplier: Names = "RU") -> Dict[str, Any]:
        """Applies a scenario (a TOML file with a ``[gas]`` section, or its TOML text) and
        reports its flow questions and the security table before and after: the dict of
        ``corridor gas scenario FILE --format json``."""
        if isinstance(scenario, os.PathLike) or (isinstance(scenario, str) and os.path.isfile(scenario)):
            with open(scenario, encoding="utf-8") as f:
                text, name = f.read(), os.fspath(scenario)
        elif isinstance(scenario, str) and "=" in scenario:
            text, name = scenario, "scenario"
        else:
            raise BadInput(f"scenario: no such file '{scenario}' (give a TOML file or TOML text)")
        return json.loads(self._g.scenario(text, name, _suppliers(without_supplier)))


def _suppliers(value: Names) -> List[str]:
    """Suppliers to exclude, as the CLI's ``--without-supplier`` ("none" for none)."""
    return [s for s in _items(value) if s.lower() != "none"]


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
        self._gas: Optional[Gas] = None

    @classmethod
    def _from_spec(cls, spec: Tuple[Any, ...], prepare: bool = True) -> "Planner":
        network, text, origin, market, cargo_value = spec
        self = cls.__new__(cls)
        self._spec = tuple(spec)
        self._p = _corridor.Planner(network, text, origin, market, cargo_value, prepare)
        self._gas = None
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

    def route(self, origin: str, destination: str, **options: Unpack[RouteOptions]) -> Dict[str, Any]:
        """The best route from ``origin`` to ``destination`` (place names such as ``"Xi'an"`` or
        ``"Brest, BY"``, UN/LOCODEs such as ``NLRTM``, or ``"lat,lon"``), through ``via`` in
        order, under the constraints of :class:`Constraints` (``avoid=["RU", "IR"]``,
        ``avoid_passage="suez"``, ``modes="rail,sea"``, ``by="time"``...), with up to
        ``alternatives`` (0-5) meaningfully different routes; with the options of
        :class:`RiskOptions` (``risk=True``, ``as_of="2024-03-01"``, ``max_risk=2``), war-risk
        premiums of high-risk waters in the cost and edges above ``max_risk`` closed.

        Returns the dict of ``corridor route --format json``: legs, totals, countries, borders,
        passages, links used with their sources, the constraints and the provenance, and
        ``alternatives``. Raises :class:`BadInput` or :class:`NoRoute`.
        """
        return json.loads(self._p.route(*_route_args(origin, destination, options, "route")))

    def geojson(self, origin: str, destination: str, **options: Unpack[RouteOptions]) -> Dict[str, Any]:
        """The route (keyword arguments of :meth:`route`) as the GeoJSON FeatureCollection of
        ``corridor route --format geojson``: one LineString (or MultiLineString across the
        antimeridian) per leg, alternatives marked by an ``alternative`` property."""
        query, alternatives, _, risk = _route_args(origin, destination, options, "geojson")
        return json.loads(self._p.route(query, alternatives, True, risk))

    def to_geodataframe(self, origin: str, destination: str, **options: Unpack[RouteOptions]) -> Any:
        """The route's legs (keyword arguments of :meth:`route`) as a geopandas GeoDataFrame in
        EPSG:4326, one row per leg with the properties of :meth:`geojson` (needs geopandas:
        ``pip install 'corridor[geo]'``)."""
        try:
            import geopandas
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_geodataframe needs geopandas: pip install 'corridor[geo]'") from e
        fc = self.geojson(origin, destination, **options)
        return geopandas.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")

    def compare(self, origin: str, destination: str, **options: Unpack[CompareOptions]) -> Dict[str, Any]:
        """Every named corridor (Middle Corridor, Northern route, Southern route via Iran, INSTC,
        IMEC and its land bridge, sea via Suez, sea via the Cape) between two places under the
        constraints of :class:`Constraints` and the options of :class:`RiskOptions`: the dict of
        ``corridor compare --format json`` (``corridors``: id, name, available, status,
        distance_km, days, usd_per_feu, kg_co2e_per_teu, countries...)."""
        kw = _check(options, _CONSTRAINT_KEYS + _RISK_KEYS, "compare")
        lists, by = _constraints(kw)
        return json.loads(self._p.compare(str(origin), str(destination), lists, by, _risk(kw)))

    def matrix(
        self,
        origins: Union[PathLike, Iterable[str]],
        destinations: Union[PathLike, Iterable[str]],
        *,
        threads: Optional[int] = None,
        **constraints: Unpack[Constraints],
    ) -> Dict[str, Any]:
        """Many-to-many matrix of the objective ``by`` (default cost, US$/FEU; distance in km,
        time in hours, co2 in kg CO2e/TEU) under the :class:`Constraints`: the dict of
        ``corridor matrix --format json`` (``objective``, ``unit``, ``origins``,
        ``destinations``, ``values[i][j]``, None where no route exists). Places as lists, a
        ';'-separated string or a file (one per line). ``threads``: default all cores."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "matrix"))
        o, d = _places(origins, "origins"), _places(destinations, "destinations")
        return json.loads(self._p.matrix(o, d, lists, by, threads))

    def scenario(
        self,
        scenario: Union[PathLike, Dict[str, Any]],
        origin: Optional[str] = None,
        destination: Optional[str] = None,
        *,
        pairs: Pairs = None,
        **constraints: Unpack[Constraints],
    ) -> Dict[str, Any]:
        """What-if: applies ``scenario`` (a TOML file as ``corridor scenario`` reads, TOML text,
        or a dict of the file's keys) and reports each pair before, after and the delta, as the
        best route and on every corridor: the dict of ``corridor scenario --format json``. Pairs:
        ``origin`` and ``destination``, else ``pairs`` (CSV file, DataFrame or rows), else the
        file's ``[[pair]]``s, else the shipped scenario pairs. Keywords: :class:`Constraints`."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "scenario"))
        text, name, is_json = _scenario(scenario)
        if (origin is None) != (destination is None):
            raise BadInput("give both origin and destination, or pairs")
        od = od_text(pairs)[0] if pairs is not None else None
        return json.loads(self._p.scenario(text, name, is_json, origin, destination, od, lists, by))

    def critical(
        self,
        pairs: Pairs = None,
        *,
        corridor: Optional[str] = None,
        threads: Optional[int] = None,
        **constraints: Unpack[Constraints],
    ) -> Dict[str, Any]:
        """Criticality: every link, port, border crossing, passage and country the flows' routes
        use, removed in turn, ranked by the demand lost and the extra cost of re-routing: the
        dict of ``corridor critical --format json``. Flows: ``pairs`` (CSV file, DataFrame or rows
        ``(from, to[, demand])``) or a ``corridor``'s shipped set (``middle``); a corridor adds its
        exclusions and modes. Keywords: :class:`Constraints`."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "critical"))
        od = od_text(pairs)[0] if pairs is not None else None
        return json.loads(self._p.critical(od, corridor, lists, by, threads, (0, 1)))

    def _critical_part(self, od: Optional[str], corridor: Optional[str], lists, by, part: Tuple[int, int]) -> str:
        return self._p.critical(od, corridor, lists, _by(by), 1, part)

    def capacity(
        self,
        *,
        corridor: Optional[str] = None,
        pairs: Pairs = None,
        demand: Pairs = None,
        scenario: Union[None, PathLike, Dict[str, Any]] = None,
        **constraints: Unpack[Constraints],
    ) -> Dict[str, Any]:
        """Maximum flow (TEU/year) of one corridor (``corridor``, e.g. ``middle``) or of each and
        all together, for the ``pairs`` (default the Middle Corridor set), with the bottleneck
        (minimum cut); with ``demand`` (pairs with a demand column), a least-cost assignment
        within the capacities; after ``scenario`` when given: the dict of ``corridor capacity
        --format json``. Keywords: :class:`Constraints`."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "capacity"))
        if pairs is not None and demand is not None:
            raise BadInput("give pairs or demand (which lists the pairs), not both")
        src = demand if demand is not None else pairs
        od, od_name = od_text(src) if src is not None else (None, None)
        sc = _scenario(scenario) if scenario is not None else (None, None, False)
        return json.loads(self._p.capacity(corridor, od, od_name, demand is not None, sc[0], sc[1], sc[2], lists, by))

    def risk_route(
        self, origin: str, destination: str, *, limit: int = 10, **options: Unpack[RiskRouteOptions]
    ) -> Dict[str, Any]:
        """The exposure of the best route (arguments of :meth:`route`, without alternatives)
        on the risk layer as of ``as_of`` (default the newest incident): incidents near it in the
        window, days in high-risk waters, war-risk premiums paid, the ``limit`` nearest incidents
        with their sources, and the areas' state. The dict of ``corridor risk route --format
        json``. Raises :class:`BadInput` (e.g. a bad date) or :class:`NoRoute`."""
        kw = _check(options, ("via",) + _CONSTRAINT_KEYS + _RISK_KEYS, "risk_route")
        lists, by = _constraints(kw)
        query = (str(origin), str(destination), _via(kw.get("via", ())), lists, by)
        return json.loads(self._p.risk_route(query, _risk(kw), _count(limit, "limit")))

    def risk_areas(self, area: Optional[str] = None, *, limit: int = 5, **options: Unpack[RiskOptions]) -> Dict[str, Any]:
        """The high-risk areas (``red_sea_aden``, ``gulf_hormuz``, ``black_sea_north``; or only
        ``area``) as of ``as_of``: field, listed or not, premium per FEU, and their ``limit`` most
        recent incidents in the window. The dict of ``corridor risk areas --format json``."""
        kw = _check(options, _RISK_KEYS, "risk_areas")
        return json.loads(self._p.risk_areas(area, _risk(kw), _count(limit, "limit")))

    @property
    def gas(self) -> "Gas":
        """The gas supply model on the embedded gas network (a :class:`Gas`, opened on first
        use)."""
        if self._gas is None:
            self._gas = Gas()
        return self._gas

    def gas_flow(self, suppliers: Names, countries: Names, *, avoid: Names = (), without: Names = (),
                 no_reserve: bool = False, no_supply_cap: bool = False) -> Dict[str, Any]:
        """:meth:`Gas.flow` on the embedded gas network."""
        return self.gas.flow(suppliers, countries, avoid=avoid, without=without, no_reserve=no_reserve,
                             no_supply_cap=no_supply_cap)

    def gas_security(self, *, without_supplier: Names = "RU", avoid: Names = (), without: Names = (),
                     country: Names = None) -> Dict[str, Any]:
        """:meth:`Gas.security` on the embedded gas network."""
        return self.gas.security(without_supplier=without_supplier, avoid=avoid, without=without, country=country)

    def places(self, query: Optional[str] = None, limit: int = 10) -> List[Dict[str, Any]]:
        """Gazetteer places whose names start with ``query`` (as ``corridor places``), at most
        ``limit``; without a query, every place of the network."""
        return json.loads(self._p.places(query, limit))

    def route_rows(
        self, pairs: Iterable[Tuple[str, str]], *, threads: int = 1, **constraints: Unpack[Constraints]
    ) -> List[Tuple[Any, ...]]:
        """The best route of each pair, compactly, for batch work: tuples (origin name,
        destination name, distance_km, days, usd_per_feu, total_usd_per_feu, kg_co2e_per_teu,
        countries, status), the figures None unless status is ``"ok"`` (else ``"no route: ..."``
        or ``"bad input: ..."``). The same figures as :meth:`route`. ``threads`` searches in
        parallel (Rust threads, GIL released). Keywords: :class:`Constraints`."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "route_rows"))
        return self._p.route_rows([(str(a), str(b)) for a, b in pairs], lists, by, threads)

    def route_frame(self, pairs: Any, *, threads: int = 1, **constraints: Unpack[Constraints]) -> Any:
        """:meth:`route_rows` over a pandas DataFrame with columns ``from``, ``to`` (and
        optionally ``demand``): the pairs with the columns :data:`ROUTE_COLUMNS` added (same
        index). What ``corridor.dask.route_many`` runs on each partition, and what a Spark
        ``mapInPandas`` function can call (see the README)."""
        lists, by = _constraints(_check(constraints, _CONSTRAINT_KEYS, "route_frame"))
        return self._route_frame(pairs, lists, by, threads)

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
