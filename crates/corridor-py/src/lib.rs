//! `corridor._corridor`: the Python extension of the corridor library. One class, `Planner`,
//! whose methods take plain strings and lists (the Python package `corridor` normalises its
//! keyword arguments first) and return the JSON text of the library's typed reports, the same
//! bytes' worth of fields as `corridor ... --format json`; the package parses it into dicts.
//! Every search runs with the GIL released, and one planner serves many threads (the library's
//! `Planner` is `Send + Sync` and pools its search state). Library errors become the package's
//! exceptions (`corridor.errors`): `BadInput` (with suggestions), `NoRoute` (with the hint),
//! `CorridorError` for the rest. A second class, `Gas`, answers the gas supply model's
//! questions (`corridor gas flow|security|scenario`) on the embedded gas network or a file.

use std::path::PathBuf;
use std::sync::Arc;

use corridor::compare::Catalogue;
use corridor::gas::analysis::{self as gas_analysis, Options as GasOptions};
use corridor::gas::{GasError, GasNetwork};
use corridor::model::cost::Objective;
use corridor::model::params::Params;
use corridor::od::OdPair;
use corridor::planner::{Constraints, Planner, Query};
use corridor::risk::{self, RiskLayer};
use corridor::scenario::Scenario;
use pyo3::prelude::*;
use pyo3::types::PyList;

/// The constraint lists every routing method takes: avoid, avoid_passage, allow_passage, modes,
/// allow_planned, avoid_waters, door.
type Lists = (Vec<String>, Vec<String>, Vec<String>, Vec<String>, bool, bool, bool);

/// A routing query as the package passes it: origin, destination, via, constraint lists, objective.
type Ask = (String, String, Vec<String>, Lists, Option<String>);

/// The risk options of `route`, `compare` and `risk_*`, as the CLI's `--risk`, `--as-of`,
/// `--max-risk` and `--risk-incidents`: (risk, as_of, max_risk, incident files).
type RiskOpts = (bool, Option<String>, Option<f64>, Vec<PathBuf>);

/// A library error or a problem of the extension's own, on its way to a Python exception.
enum Failure {
    Lib(corridor::Error),
    Gas(GasError),
    Bad(String),
}

impl From<GasError> for Failure {
    fn from(e: GasError) -> Failure {
        Failure::Gas(e)
    }
}

impl From<corridor::Error> for Failure {
    fn from(e: corridor::Error) -> Failure {
        Failure::Lib(e)
    }
}

type Res<T> = Result<T, Failure>;

/// The exception for a failure: `corridor.errors.BadInput` / `NoRoute` / `CorridorError`.
fn to_py(py: Python<'_>, f: Failure) -> PyErr {
    let raise = || -> PyResult<PyErr> {
        let errors = py.import("corridor.errors")?;
        let value = match f {
            Failure::Bad(message) => errors.getattr("BadInput")?.call1((message, Vec::<String>::new()))?,
            Failure::Lib(corridor::Error::NoRoute { ref from, ref to, ref hint, ref lifts }) => {
                let message = corridor::Error::NoRoute {
                    from: from.clone(),
                    to: to.clone(),
                    hint: hint.clone(),
                    lifts: lifts.clone(),
                };
                errors.getattr("NoRoute")?.call1((message.to_string(), from, to, hint.clone()))?
            }
            Failure::Lib(e) if e.is_bad_input() => {
                let suggestions = match &e {
                    corridor::Error::UnknownPlace { suggestions, .. } => suggestions.clone(),
                    _ => Vec::new(),
                };
                errors.getattr("BadInput")?.call1((e.to_string(), suggestions))?
            }
            Failure::Lib(e) => errors.getattr("CorridorError")?.call1((e.to_string(),))?,
            Failure::Gas(e) if e.is_bad_input() => {
                let suggestions = match &e {
                    GasError::UnknownCountry { suggestions, .. }
                    | GasError::UnknownSupplier { suggestions, .. }
                    | GasError::UnknownInfrastructure { suggestions, .. } => suggestions.clone(),
                    _ => Vec::new(),
                };
                errors.getattr("BadInput")?.call1((e.to_string(), suggestions))?
            }
            Failure::Gas(e) => errors.getattr("CorridorError")?.call1((e.to_string(),))?,
        };
        Ok(PyErr::from_value(value))
    };
    raise().unwrap_or_else(|e| e)
}

/// Emits each message as a Python `RuntimeWarning` prefixed `corridor: `.
fn warn_all(py: Python<'_>, messages: Vec<String>) -> PyResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let w = py.import("warnings")?;
    for m in messages {
        w.call_method1("warn", (format!("corridor: {m}"), py.get_type::<pyo3::exceptions::PyRuntimeWarning>()))?;
    }
    Ok(())
}

/// Runs `f` with the GIL released and turns its failure into the package's exception.
fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> Res<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(|e| to_py(py, e))
}

fn constraints(
    (avoid, avoid_passage, allow_passage, modes, allow_planned, avoid_waters, door): &Lists,
) -> Res<Constraints> {
    let c = Constraints::from_lists(avoid, avoid_passage, allow_passage, modes, *allow_planned, *avoid_waters)?;
    Ok(Constraints { door: *door, ..c })
}

fn objective(by: Option<&str>) -> Res<Objective> {
    match by {
        None => Ok(Objective::Cost),
        Some(s) => Objective::parse(s)
            .ok_or_else(|| Failure::Bad(format!("unknown objective '{s}' (expected distance, time, cost or co2)"))),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Res<String> {
    serde_json::to_string(value).map_err(|e| Failure::Bad(format!("serializing the answer: {e}")))
}

/// Worker threads: as asked but at most the machine's cores, all of them by default (as the CLI).
fn threads(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    asked.unwrap_or(cores).clamp(1, cores)
}

fn od_pairs(text: &str, name: &str) -> Res<Vec<OdPair>> {
    Ok(corridor::od::parse(text, name)?)
}

/// A corridor planner over a network (the embedded one by default) with its parameters and the
/// prepared engine from the cache. Thread-safe; every method releases the GIL while it works.
#[pyclass(frozen, module = "corridor._corridor", name = "Planner")]
struct PyPlanner {
    planner: Arc<Planner>,
}

impl PyPlanner {
    fn query(&self, (from, to, via, lists, by): Ask) -> Res<Query> {
        Ok(Query { from, to, via, constraints: constraints(&lists)?, objective: objective(by.as_deref())? })
    }

    /// The risk layer of the options (always built: `corridor risk ...`), with a message per
    /// incident file that had rows without a usable position.
    fn layer(&self, (_, as_of, max_risk, files): &RiskOpts) -> Res<(RiskLayer, Vec<String>)> {
        let as_of = as_of.as_deref().map(risk::parse_as_of).transpose()?;
        let mut incidents = RiskLayer::shipped_incidents();
        let mut skipped = Vec::new();
        for f in files {
            let loaded = risk::load::file(f)?;
            if loaded.skipped > 0 {
                skipped.push(format!("{}: {} rows without a usable position skipped", f.display(), loaded.skipped));
            }
            incidents.extend(loaded.incidents);
        }
        let l = RiskLayer::build(self.planner.net(), self.planner.params(), incidents, as_of, *max_risk)?;
        Ok((l, skipped))
    }

    /// The planner of a routing method: this one, or with the risk layer when an option asks
    /// for it (as the CLI's `route` and `compare`).
    fn with_risk(&self, opts: &RiskOpts) -> Res<(Arc<Planner>, Vec<String>)> {
        let (on, as_of, max_risk, files) = opts;
        if !(*on || as_of.is_some() || max_risk.is_some() || !files.is_empty()) {
            return Ok((self.planner.clone(), Vec::new()));
        }
        let (l, skipped) = self.layer(opts)?;
        Ok((Arc::new(l.planner(&self.planner)), skipped))
    }
}

/// Loads the parameters: market state, cargo value, then the override text (as the CLI's
/// `--market`, `--cargo-value`, `--params`).
fn params(market: Option<&str>, cargo_value: Option<f64>, overrides: Option<(&str, &str)>) -> Res<Params> {
    let mut p = match market {
        Some(m) => Params::for_market(m)?,
        None => Params::defaults(),
    };
    if let Some(v) = cargo_value {
        p.apply_overrides(&format!("\"cargo.value_usd_per_teu\" = {v:?}"), "cargo_value")?;
    }
    if let Some((text, origin)) = overrides {
        p.apply_overrides(text, origin)?;
    }
    Ok(p)
}

#[pymethods]
impl PyPlanner {
    /// Opens the network (`network` file, else `$CORRIDOR_NETWORK`, else the embedded one), the
    /// parameters (`market`, `cargo_value`, then the TOML override text `params_text` named
    /// `params_origin` in errors) and the prepared engine from the cache (memory-mapped). With
    /// `prepare`, a missing cache is written first (about 25 s, as `corridor prepare`).
    #[new]
    #[pyo3(signature = (network=None, params_text=None, params_origin=None, market=None, cargo_value=None, prepare=false))]
    fn new(
        py: Python<'_>,
        network: Option<PathBuf>,
        params_text: Option<String>,
        params_origin: Option<String>,
        market: Option<String>,
        cargo_value: Option<f64>,
        prepare: bool,
    ) -> PyResult<PyPlanner> {
        let warnings = std::sync::Mutex::new(Vec::<String>::new());
        let warn = |m: &str| warnings.lock().unwrap_or_else(|e| e.into_inner()).push(m.to_string());
        let planner = run(py, || {
            let origin = params_origin.as_deref().unwrap_or("params");
            let p = params(market.as_deref(), cargo_value, params_text.as_deref().map(|t| (t, origin)))?;
            let net = Arc::new(corridor::embedded::network(network.as_deref(), &warn)?);
            let mut planner = corridor::embedded::attach_engine(Planner::with_params(net.clone(), p.clone()), &warn);
            if prepare && planner.prepared().is_none() {
                corridor::embedded::prepare(network.as_deref(), false, &warn, &|_| {})?;
                planner = corridor::embedded::attach_engine(Planner::with_params(net, p), &warn);
            }
            Ok(planner)
        })?;
        warn_all(py, warnings.into_inner().unwrap_or_default())?;
        Ok(PyPlanner { planner: Arc::new(planner) })
    }

    /// The network's version (FNV-64 of its content).
    #[getter]
    fn network_version(&self) -> String {
        self.planner.net().meta.version.clone()
    }

    /// The parameters' version.
    #[getter]
    fn params_version(&self) -> String {
        self.planner.params().version.clone()
    }

    /// The market state of the parameters.
    #[getter]
    fn market(&self) -> String {
        self.planner.params().market.name.clone()
    }

    /// Whether the prepared engine (CCH) is attached.
    #[getter]
    fn has_engine(&self) -> bool {
        self.planner.prepared().is_some()
    }

    /// The JSON of `corridor route --format json`, or with `geojson` of `--format geojson`;
    /// with the risk options, on the risk layer's planner (as `route --risk ...`).
    #[pyo3(signature = (query, alternatives, geojson=false, risk=(false, None, None, vec![])))]
    fn route(
        &self,
        py: Python<'_>,
        query: Ask,
        alternatives: usize,
        geojson: bool,
        risk: RiskOpts,
    ) -> PyResult<String> {
        let (text, skipped) = run(py, || {
            let q = self.query(query)?;
            let (planner, skipped) = self.with_risk(&risk)?;
            let routes = planner.routes(&q, alternatives)?;
            let text = if geojson {
                json(&corridor::route::geojson_all(&routes))?
            } else {
                json(&corridor::report::RoutesReport::new(&planner, &q, &routes))?
            };
            Ok((text, skipped))
        })?;
        warn_all(py, skipped)?;
        Ok(text)
    }

    /// One row per pair for batch work: (origin name, destination name, distance_km, days,
    /// usd_per_feu, total_usd_per_feu, kg_co2e_per_teu, countries " > "-joined, status), the
    /// figures None unless status is "ok". Pairs run on `threads` threads (default 1).
    #[pyo3(signature = (pairs, lists, by, threads=None))]
    #[allow(clippy::type_complexity)]
    fn route_rows<'py>(
        &self,
        py: Python<'py>,
        pairs: Vec<(String, String)>,
        lists: Lists,
        by: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let rows = run(py, || {
            let c = constraints(&lists)?;
            let objective = objective(by.as_deref())?;
            let one = |(from, to): &(String, String)| -> BatchRow {
                let q = Query { from: from.clone(), to: to.clone(), via: vec![], constraints: c.clone(), objective };
                match self.planner.route(&q) {
                    Ok(r) => (
                        Some(r.origin.name.clone()),
                        Some(r.destination.name.clone()),
                        Some(r.distance_km),
                        Some(r.totals.days),
                        Some(r.totals.usd_per_feu),
                        Some(r.totals.total_usd_per_feu),
                        Some(r.totals.kg_co2e_per_teu),
                        Some(r.countries.join(" > ")),
                        "ok".to_string(),
                    ),
                    Err(e) => {
                        let kind = if matches!(e, corridor::Error::NoRoute { .. }) {
                            "no route"
                        } else if e.is_bad_input() {
                            "bad input"
                        } else {
                            "error"
                        };
                        (None, None, None, None, None, None, None, None, format!("{kind}: {e}"))
                    }
                }
            };
            let n = threads.unwrap_or(1).max(1);
            if n == 1 {
                return Ok(pairs.iter().map(one).collect::<Vec<_>>());
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Failure::Bad(format!("cannot start {n} threads: {e}")))?;
            Ok(pool.install(|| {
                use rayon::prelude::*;
                pairs.par_iter().map(one).collect::<Vec<_>>()
            }))
        })?;
        PyList::new(py, rows)
    }

    /// The JSON of `corridor compare --format json`; with the risk options, on the risk
    /// layer's planner (as `compare --risk ...`).
    #[pyo3(signature = (origin, destination, lists, by, risk=(false, None, None, vec![])))]
    fn compare(
        &self,
        py: Python<'_>,
        origin: String,
        destination: String,
        lists: Lists,
        by: Option<String>,
        risk: RiskOpts,
    ) -> PyResult<String> {
        let (text, skipped) = run(py, || {
            let c = constraints(&lists)?;
            let (planner, skipped) = self.with_risk(&risk)?;
            let by = objective(by.as_deref())?;
            let rows = corridor::compare::compare(&planner, &Catalogue::shipped(), &origin, &destination, &c, by)?;
            Ok((json(&corridor::report::CompareReport::new(&planner, &rows))?, skipped))
        })?;
        warn_all(py, skipped)?;
        Ok(text)
    }

    /// The JSON of `corridor risk route --format json`: the best route on the risk layer's
    /// planner, its exposure (at most `limit` nearest incidents) and the areas' state.
    #[pyo3(signature = (query, risk, limit=10))]
    fn risk_route(&self, py: Python<'_>, query: Ask, risk: RiskOpts, limit: usize) -> PyResult<String> {
        let (text, skipped) = run(py, || {
            let q = self.query(query)?;
            let (l, skipped) = self.layer(&risk)?;
            let planner = l.planner(&self.planner);
            let route = planner.route(&q)?;
            Ok((json(&l.route_risk_report(&planner, &route, limit))?, skipped))
        })?;
        warn_all(py, skipped)?;
        Ok(text)
    }

    /// The JSON of `corridor risk areas [AREA] --format json`: the high-risk areas (or one) as
    /// of the layer's date, with at most `limit` recent incidents each.
    #[pyo3(signature = (area, risk, limit=5))]
    fn risk_areas(&self, py: Python<'_>, area: Option<String>, risk: RiskOpts, limit: usize) -> PyResult<String> {
        let (text, skipped) = run(py, || {
            let (l, skipped) = self.layer(&risk)?;
            Ok((json(&l.areas_report(area.as_deref(), limit)?)?, skipped))
        })?;
        warn_all(py, skipped)?;
        Ok(text)
    }

    /// The JSON of `corridor matrix --format json`.
    #[pyo3(signature = (origins, destinations, lists, by, threads=None))]
    fn matrix(
        &self,
        py: Python<'_>,
        origins: Vec<String>,
        destinations: Vec<String>,
        lists: Lists,
        by: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<String> {
        run(py, || {
            if origins.is_empty() || destinations.is_empty() {
                return Err(Failure::Bad("no places: give at least one origin and one destination".into()));
            }
            let c = constraints(&lists)?;
            let m = self.planner.matrix(
                &origins,
                &destinations,
                &c,
                objective(by.as_deref())?,
                self::threads(threads),
                &|| {},
            )?;
            json(&m)
        })
    }

    /// The JSON of `corridor scenario FILE [FROM TO | --od FILE] --format json`: `scenario_text`
    /// is the file's TOML (or, with `scenario_is_json`, the JSON of its keys), `scenario_file` its
    /// name; pairs from `origin`/`destination`, else `od_text`, else the file's `[[pair]]`s, else
    /// the shipped scenario pairs.
    #[pyo3(signature = (scenario_text, scenario_file, scenario_is_json, origin, destination, od_text, lists, by))]
    #[allow(clippy::too_many_arguments)]
    fn scenario(
        &self,
        py: Python<'_>,
        scenario_text: String,
        scenario_file: String,
        scenario_is_json: bool,
        origin: Option<String>,
        destination: Option<String>,
        od_text: Option<String>,
        lists: Lists,
        by: Option<String>,
    ) -> PyResult<String> {
        run(py, || {
            let sc = read_scenario(&scenario_text, &scenario_file, scenario_is_json)?;
            let user = constraints(&lists)?;
            let pairs = match (origin, destination, od_text) {
                (Some(from), Some(to), None) => vec![OdPair { from, to, demand: None }],
                (None, None, Some(text)) => od_pairs(&text, "pairs")?,
                (None, None, None) if !sc.pair.is_empty() => {
                    sc.pair.iter().map(|p| OdPair { from: p.from.clone(), to: p.to.clone(), demand: None }).collect()
                }
                (None, None, None) => od_pairs(corridor::od::SCENARIO_PAIRS_CSV, "data/od/scenario-pairs.csv")?,
                _ => return Err(Failure::Bad("give origin and destination, or pairs, not both".into())),
            };
            let before = &self.planner;
            let applied = sc.apply(before, &corridor::capacity::CapacityFile::shipped())?;
            let after = applied.planner(before);
            let report = corridor::scenario::evaluate(
                &sc,
                &applied,
                before,
                &after,
                &Catalogue::shipped(),
                &pairs,
                &user,
                objective(by.as_deref())?,
            )?;
            let mut v = serde_json::to_value(&report).map_err(|e| Failure::Bad(e.to_string()))?;
            v["scenario_file"] = serde_json::json!(scenario_file);
            json(&v)
        })
    }

    /// The JSON of `corridor critical --format json` (flows from `od_text`, CSV from,to[,demand],
    /// or the corridor's shipped set). `part` = (k, n) ranks only every n-th candidate element
    /// from the k-th: `corridor.dask.critical` spreads the parts over workers and merges them.
    #[pyo3(signature = (od_text, corridor, lists, by, threads=None, part=(0, 1)))]
    #[allow(clippy::too_many_arguments)]
    fn critical(
        &self,
        py: Python<'_>,
        od_text: Option<String>,
        corridor: Option<String>,
        lists: Lists,
        by: Option<String>,
        threads: Option<usize>,
        part: (usize, usize),
    ) -> PyResult<String> {
        run(py, || {
            let (ods, c) = corridor::critical::inputs(
                od_text.as_deref(),
                corridor.as_deref(),
                constraints(&lists)?,
                &Catalogue::shipped(),
            )?;
            let result = corridor::critical::critical_part(
                &self.planner,
                &ods,
                &c,
                objective(by.as_deref())?,
                self::threads(threads),
                part,
                &|_, _| true,
            )?;
            json(&result)
        })
    }

    /// The JSON of `corridor capacity --format json`: one corridor or all, the pairs of `od_text`
    /// (named `od_name`; default data/od/middle.csv), with `assign` a least-cost assignment of
    /// their demand, after the scenario when one is given.
    #[pyo3(signature = (corridor, od_text, od_name, assign, scenario_text, scenario_file, scenario_is_json, lists, by))]
    #[allow(clippy::too_many_arguments)]
    fn capacity(
        &self,
        py: Python<'_>,
        corridor: Option<String>,
        od_text: Option<String>,
        od_name: Option<String>,
        assign: bool,
        scenario_text: Option<String>,
        scenario_file: Option<String>,
        scenario_is_json: bool,
        lists: Lists,
        by: Option<String>,
    ) -> PyResult<String> {
        run(py, || {
            let user = constraints(&lists)?;
            let shipped = Catalogue::shipped();
            let catalogue = match &corridor {
                None => shipped.clone(),
                Some(id) => match shipped.get(id) {
                    Some(c) => Catalogue { version: shipped.version.clone(), corridor: vec![c.clone()] },
                    None => {
                        let ids: Vec<&str> = shipped.corridor.iter().map(|c| c.id.as_str()).collect();
                        return Err(Failure::Bad(format!("unknown corridor '{id}' (known: {})", ids.join(", "))));
                    }
                },
            };
            let od_name = od_name.unwrap_or_else(|| "data/od/middle.csv".into());
            let pairs = od_pairs(od_text.as_deref().unwrap_or(corridor::od::MIDDLE_CSV), &od_name)?;
            if assign && pairs.iter().any(|p| p.demand.is_none()) {
                return Err(Failure::Bad("demand: every pair needs from,to,demand (TEU per year)".into()));
            }
            let sc = scenario_text
                .as_deref()
                .map(|t| read_scenario(t, scenario_file.as_deref().unwrap_or("scenario"), scenario_is_json))
                .transpose()?;
            let shipped_caps = corridor::capacity::CapacityFile::shipped();
            let applied = sc.as_ref().map(|s| s.apply(&self.planner, &shipped_caps)).transpose()?;
            let after = applied.as_ref().map(|a| a.planner(&self.planner));
            let (planner, capacities, constraints) = match (&applied, &after) {
                (Some(a), Some(p)) => (p, a.capacities.clone(), a.constrain(&user)),
                _ => (&*self.planner, shipped_caps, user),
            };
            let query = corridor::analysis::capacity::CapacityQuery {
                catalogue: &catalogue,
                pairs: &pairs,
                od_name,
                assign,
                constraints,
                objective: objective(by.as_deref())?,
                capacities,
                scenario: sc.as_ref(),
            };
            json(&corridor::analysis::capacity::capacity(planner, &query, &|| {})?)
        })
    }

    /// Gazetteer places whose names start with `query` (the JSON of `corridor places --format
    /// json`); with no query, every place of the network.
    #[pyo3(signature = (query=None, limit=10))]
    fn places(&self, py: Python<'_>, query: Option<String>, limit: usize) -> PyResult<String> {
        run(py, || {
            let places = &self.planner.net().meta.places;
            match query {
                Some(q) => {
                    let hits = self.planner.gazetteer().complete(places, &q, limit);
                    json(&hits.iter().map(|&i| places[i].listing()).collect::<Vec<_>>())
                }
                None => json(&places.iter().map(|p| p.listing()).collect::<Vec<_>>()),
            }
        })
    }
}

/// The gas supply model (`corridor gas ...`) on one gas network: the embedded
/// data/gas/network.json, or a file as `--gas-network`. Immutable and thread-safe; every
/// question releases the GIL.
#[pyclass(frozen, module = "corridor._corridor", name = "Gas")]
struct PyGas {
    net: GasNetwork,
}

impl PyGas {
    /// The exclusions as the CLI resolves its flags (`Options::resolve`).
    fn options(&self, avoid: &[String], without: &[String], without_supplier: &[String]) -> Res<GasOptions> {
        Ok(GasOptions::resolve(&self.net, avoid, without, without_supplier)?)
    }
}

#[pymethods]
impl PyGas {
    /// Opens the gas network: `network` (a file written by `corridor gas network build`), else
    /// the embedded one.
    #[new]
    #[pyo3(signature = (network=None))]
    fn new(py: Python<'_>, network: Option<PathBuf>) -> PyResult<PyGas> {
        let net = run(py, || match &network {
            Some(p) => {
                let bytes = std::fs::read(p).map_err(|e| Failure::Bad(format!("{}: {e}", p.display())))?;
                Ok(GasNetwork::from_json(&bytes)?)
            }
            None => Ok(GasNetwork::embedded()?),
        })?;
        Ok(PyGas { net })
    }

    /// The network's version.
    #[getter]
    fn version(&self) -> String {
        self.net.version.to_string()
    }

    /// The JSON of `corridor gas flow --from FROM --to TO --format json`.
    /// `no_reserve`, `no_supply_cap`: the CLI's `--no-reserve`, `--no-supply-cap`.
    #[pyo3(signature = (suppliers, countries, avoid, without, no_reserve=false, no_supply_cap=false))]
    #[allow(clippy::too_many_arguments)]
    fn flow(
        &self,
        py: Python<'_>,
        suppliers: String,
        countries: String,
        avoid: Vec<String>,
        without: Vec<String>,
        no_reserve: bool,
        no_supply_cap: bool,
    ) -> PyResult<String> {
        run(py, || {
            let mut opts = self.options(&avoid, &without, &[])?;
            (opts.no_reserve, opts.no_supply_cap) = (no_reserve, no_supply_cap);
            let from = self.net.parse_suppliers(&suppliers)?;
            let to = self.net.parse_countries(&countries)?;
            json(&gas_analysis::max_flow(&self.net, &from, &to, &opts)?)
        })
    }

    /// The JSON of `corridor gas security --format json` (`country`: only these countries).
    #[pyo3(signature = (without_supplier, avoid, without, country))]
    fn security(
        &self,
        py: Python<'_>,
        without_supplier: Vec<String>,
        avoid: Vec<String>,
        without: Vec<String>,
        country: Option<String>,
    ) -> PyResult<String> {
        run(py, || {
            let opts = self.options(&avoid, &without, &without_supplier)?;
            let only = country.map(|c| self.net.parse_countries(&c)).transpose()?;
            json(&gas_analysis::security_report(&self.net, &opts, only.as_deref())?)
        })
    }

    /// The JSON of `corridor gas scenario FILE --format json`: `text` is the scenario file's
    /// TOML ([gas] section), `name` its name in errors.
    #[pyo3(signature = (text, name, without_supplier))]
    fn scenario(&self, py: Python<'_>, text: String, name: String, without_supplier: Vec<String>) -> PyResult<String> {
        run(py, || {
            let sc = corridor::gas::scenario::Scenario::parse(&text, &name)?;
            let opts = self.options(&[], &[], &without_supplier)?;
            json(&corridor::gas::scenario::evaluate(&self.net, &sc, &opts)?)
        })
    }
}

/// One row of [`PyPlanner::route_rows`].
type BatchRow = (
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<String>,
    String,
);

fn read_scenario(text: &str, file: &str, is_json: bool) -> Res<Scenario> {
    if is_json {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Failure::Bad(format!("{file}: not JSON: {e}")))?;
        Ok(Scenario::from_json(&value, file)?)
    } else {
        Ok(Scenario::parse(text, file)?)
    }
}

/// Writes the cache files of `corridor prepare` (the raw network copy and the prepared engine)
/// unless they are up to date (`force` rebuilds); returns the engine file's path.
#[pyfunction]
#[pyo3(signature = (network=None, force=false))]
fn prepare(py: Python<'_>, network: Option<PathBuf>, force: bool) -> PyResult<String> {
    let done = run(py, || Ok(corridor::embedded::prepare(network.as_deref(), force, &|_| {}, &|_| {})?))?;
    Ok(done.engine_path.display().to_string())
}

/// The version of the package (the workspace's).
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPlanner>()?;
    m.add_class::<PyGas>()?;
    m.add_function(wrap_pyfunction!(prepare, m)?)?;
    m.add("__version__", VERSION)?;
    m.add("has_embedded_network", !corridor::embedded::bytes().is_empty())?;
    Ok(())
}
