//! Criticality: which curated links, ports, border crossings, passages and countries a set of
//! flows depends on, ranked by the damage their loss does.
//!
//! For every origin/destination pair the best route under the given constraints is found. Every
//! element those routes use is a candidate; removing an element can only change the flows whose
//! route uses it (exclusions never shorten a route), so each candidate is re-routed for those
//! flows only, with the element closed: a link's edges, every edge at a port hub, a border
//! crossing's edges (the elements and their closures are those of [`crate::analysis::elements`],
//! shared with capacity and scenarios), or a country or passage excluded. Elements run in parallel; the searches use the prepared engine,
//! which stays exact on the closed copies of the network. Damage: flows that lose every route,
//! and the extra km, days, US$ per FEU and kg CO2e per TEU of those that re-route (summed over
//! flows, weighted by each flow's demand). Ranked by demand lost, then by the increase of the
//! measure the routes minimise. A country is not counted against the flows that start or end in
//! it (that would only say that a flow needs its own ends).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::Serialize;

use crate::analysis::elements::{Closure, Elements, RouteElement};
pub use crate::analysis::elements::{ElementKind, CROSSING_RADIUS_KM};
use crate::model::cost::Objective;
use crate::od::OdPair;
use crate::planner::{Constraints, Planner, Query};
use crate::route::Route;
use crate::{Error, Result};

/// From this many affected flows on, an element's removal gets its own CCH customization.
const EXACT_FROM_FLOWS: usize = 12;

/// One candidate element and what removing it does.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub rank: usize,
    pub kind: ElementKind,
    /// Stable identifier: the link id, the country or passage code, `port:<node>` or
    /// `border:<from>-<to>:<node>`.
    pub id: String,
    pub name: String,
    /// The country the element lies in (for a border crossing: "AZ>GE").
    pub country: String,
    /// Where the element comes from in the network's data.
    pub source: String,
    /// Flows whose route uses the element, and their demand.
    pub flows_using: usize,
    pub demand_using: f64,
    /// Flows (and demand) left without any route when it is removed.
    pub flows_lost: usize,
    pub demand_lost: f64,
    /// Extra km, days, US$ per FEU and kg CO2e per TEU of the flows that re-route, summed and
    /// weighted by demand.
    pub extra_km: f64,
    pub extra_days: f64,
    pub extra_usd_per_feu: f64,
    pub extra_kg_co2e_per_teu: f64,
    /// Number of edges closed (0 for a country or passage, which is excluded instead).
    pub edges_closed: usize,
}

/// A flow and its route before anything is removed.
#[derive(Debug, Clone, Serialize)]
pub struct BaseFlow {
    pub from: String,
    pub to: String,
    pub demand: f64,
    /// None when the flow has no route even before removal (it is left out of the ranking).
    pub distance_km: Option<f64>,
    pub days: Option<f64>,
    pub usd_per_feu: Option<f64>,
    pub error: Option<String>,
}

/// The result: flows, ranking (most damaging first) and what it was computed on.
#[derive(Debug, Clone, Serialize)]
pub struct Criticality {
    pub network_version: String,
    pub objective: Objective,
    pub constraints: Constraints,
    pub flows: Vec<BaseFlow>,
    pub ranking: Vec<Ranked>,
}

struct Candidate {
    element: RouteElement,
    /// Indices of the flows whose route uses it.
    flows: Vec<usize>,
}

/// Origin/destination sets shipped for corridors (`data/od/`), by corridor id.
pub const DEFAULT_OD: &[(&str, &str)] = &[("middle", crate::od::MIDDLE_CSV)];

/// The flows and constraints of a criticality run, whatever the front end: flows from `od_text`
/// (CSV `from,to[,demand]`) or else the corridor's shipped set ([`DEFAULT_OD`]); a corridor adds
/// its exclusions and modes (not its via points, so that flows can re-route).
pub fn inputs(
    od_text: Option<&str>,
    corridor_id: Option<&str>,
    mut constraints: Constraints,
    catalogue: &crate::compare::Catalogue,
) -> Result<(Vec<OdPair>, Constraints)> {
    if let Some(id) = corridor_id {
        let c = catalogue.get(id).ok_or_else(|| {
            let known: Vec<&str> = catalogue.corridor.iter().map(|c| c.id.as_str()).collect();
            Error::BadQuery(format!("unknown corridor '{id}' (known: {})", known.join(", ")))
        })?;
        constraints = crate::compare::corridor_constraints(&constraints, c)?;
    }
    let od_text = match (od_text, corridor_id) {
        (Some(t), _) => t,
        (None, Some(id)) => {
            DEFAULT_OD.iter().find(|(c, _)| c.eq_ignore_ascii_case(id)).map(|(_, t)| *t).ok_or_else(|| {
                Error::BadQuery(format!("no default flows for corridor '{id}': give the flows (from,to[,demand])"))
            })?
        }
        (None, None) => {
            return Err(Error::BadQuery(
                "give the flows (an origin/destination file: from,to[,demand]) or a corridor (e.g. middle)".into(),
            ))
        }
    };
    Ok((crate::od::parse(od_text, "origin/destination file")?, constraints))
}

/// Ranks the elements the flows depend on. `progress(done, total)` reports elements evaluated
/// (first with 0 once the candidates are known); it returns false to stop, and the call then
/// ends with [`Error::Cancelled`] after the removals in progress (a server's time limit).
pub fn critical(
    planner: &Planner,
    ods: &[OdPair],
    constraints: &Constraints,
    objective: Objective,
    threads: usize,
    progress: &(dyn Fn(usize, usize) -> bool + Sync),
) -> Result<Criticality> {
    critical_part(planner, ods, constraints, objective, threads, (0, 1), progress)
}

/// [`critical`] for one part of the candidate elements, for distributing a run over processes or
/// machines (the Python package's `corridor.dask.critical`): part `k` of `n` ranks the
/// candidates whose index (in the deterministic order of [`critical`]) is `k` modulo `n`. Each
/// element's figures are exactly those of the whole run; [`merge`] joins the parts into the
/// whole run's answer.
pub fn critical_part(
    planner: &Planner,
    ods: &[OdPair],
    constraints: &Constraints,
    objective: Objective,
    threads: usize,
    (k, n): (usize, usize),
    progress: &(dyn Fn(usize, usize) -> bool + Sync),
) -> Result<Criticality> {
    if n == 0 || k >= n {
        return Err(Error::BadQuery(format!("part {k} of {n}: expected 0 <= part < parts")));
    }
    let net = planner.net();
    planner.restrictions(constraints)?;
    let query = |od: &OdPair, c: &Constraints| Query {
        from: od.from.clone(),
        to: od.to.clone(),
        via: vec![],
        constraints: c.clone(),
        objective,
    };
    // base routes; unknown places are bad input, a flow without a route is reported
    let mut base: Vec<Option<Route>> = Vec::with_capacity(ods.len());
    let mut flows = Vec::with_capacity(ods.len());
    for od in ods {
        let (route, error) = match planner.route_undiagnosed(&query(od, constraints)) {
            Ok(Some(r)) => (Some(r), None),
            Ok(None) => (None, Some("no route under the constraints".to_string())),
            Err(e) if e.is_bad_input() => return Err(e),
            Err(e) => (None, Some(e.to_string())),
        };
        flows.push(BaseFlow {
            from: od.from.clone(),
            to: od.to.clone(),
            demand: od.weight(),
            distance_km: route.as_ref().map(|r| r.distance_km),
            days: route.as_ref().map(|r| r.totals.days),
            usd_per_feu: route.as_ref().map(|r| r.totals.usd_per_feu),
            error,
        });
        base.push(route);
    }
    let candidates: Vec<Candidate> =
        candidates(planner, &base).into_iter().enumerate().filter(|(i, _)| i % n == k).map(|(_, c)| c).collect();
    let total = candidates.len();
    let stop = AtomicBool::new(!progress(0, total));
    let done = AtomicUsize::new(0);
    // candidates in parallel on a pool of `threads`; a `false` from `progress` stops the
    // candidates not yet started
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::BadQuery(format!("cannot start {threads} worker threads: {e}")))?;
    let ranked: Vec<Option<Ranked>> = pool.install(|| {
        use rayon::prelude::*;
        candidates
            .par_iter()
            .map(|cand| {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let ranked = evaluate(planner, ods, &base, constraints, objective, cand, &query);
                if !progress(done.fetch_add(1, Ordering::Relaxed) + 1, total) {
                    stop.store(true, Ordering::Relaxed);
                }
                Some(ranked)
            })
            .collect()
    });
    if stop.into_inner() {
        return Err(Error::Cancelled);
    }
    let mut ranking: Vec<Ranked> = ranked.into_iter().flatten().collect();
    rank(&mut ranking, objective);
    Ok(Criticality {
        network_version: net.meta.version.clone(),
        objective,
        constraints: constraints.clone(),
        flows,
        ranking,
    })
}

/// Joins the parts of a run ([`critical_part`] with the same flows, constraints and objective,
/// parts 0..n): the whole run's answer.
pub fn merge(parts: Vec<Criticality>) -> Option<Criticality> {
    let mut parts = parts.into_iter();
    let mut whole = parts.next()?;
    for p in parts {
        whole.ranking.extend(p.ranking);
    }
    rank(&mut whole.ranking, whole.objective);
    Some(whole)
}

/// Most demand lost first, then the largest increase of what the routes minimise; numbers the
/// ranks.
fn rank(ranking: &mut [Ranked], objective: Objective) {
    let measure = |r: &Ranked| match objective {
        Objective::Distance => r.extra_km,
        Objective::Time => r.extra_days,
        Objective::Cost => r.extra_usd_per_feu,
        Objective::Co2 => r.extra_kg_co2e_per_teu,
    };
    ranking.sort_by(|a, b| {
        b.demand_lost
            .total_cmp(&a.demand_lost)
            .then(measure(b).total_cmp(&measure(a)))
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
    });
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

/// Re-routes the flows that use a candidate with it removed.
#[allow(clippy::too_many_arguments)]
fn evaluate(
    planner: &Planner,
    ods: &[OdPair],
    base: &[Option<Route>],
    constraints: &Constraints,
    objective: Objective,
    cand: &Candidate,
    query: &(dyn Fn(&OdPair, &Constraints) -> Query + Sync),
) -> Ranked {
    let mut c = constraints.clone();
    let closed_net = match &cand.element.closure {
        Closure::Country(code) => {
            c.avoid.push(code.clone());
            None
        }
        Closure::Passage(name) => {
            c.avoid_passages.push(name.clone());
            None
        }
        Closure::Edges(edges) => Some(planner.net().with_edge_changes(edges, &[])),
    };
    let net = closed_net.map(std::sync::Arc::new).unwrap_or_else(|| planner.network().clone());
    let mut p = planner.rebind(net).expect("a copy of the planner's network");
    // one customization for this removal (about 0.3 s) makes every re-route an exact-potential
    // search that settles little more than its path (and proves "no route" at once); worth it
    // when many flows re-route
    if let (true, Some(prep), Ok(r)) = (cand.flows.len() >= EXACT_FROM_FLOWS, p.prepared(), p.restrictions(&c)) {
        let exact = std::sync::Arc::new(prep.with_exact(&p, r, objective));
        p = p.with_prepared(Some(exact));
    }
    let mut r = Ranked {
        rank: 0,
        kind: cand.element.kind,
        id: cand.element.id.clone(),
        name: cand.element.name.clone(),
        country: cand.element.country.clone(),
        source: cand.element.source.clone(),
        flows_using: cand.flows.len(),
        demand_using: cand.flows.iter().map(|&f| ods[f].weight()).sum(),
        flows_lost: 0,
        demand_lost: 0.0,
        extra_km: 0.0,
        extra_days: 0.0,
        extra_usd_per_feu: 0.0,
        extra_kg_co2e_per_teu: 0.0,
        edges_closed: match &cand.element.closure {
            Closure::Edges(e) => e.len(),
            _ => 0,
        },
    };
    for &f in &cand.flows {
        let before = base[f].as_ref().expect("candidates come from routed flows");
        // removing the country a flow starts or ends in says nothing about its transit
        if let Closure::Country(code) = &cand.element.closure {
            if before.countries.first() == Some(code) || before.countries.last() == Some(code) {
                r.flows_using -= 1;
                r.demand_using -= ods[f].weight();
                continue;
            }
        }
        let d = ods[f].weight();
        match p.route_undiagnosed(&query(&ods[f], &c)) {
            Ok(Some(after)) => {
                r.extra_km += d * (after.distance_km - before.distance_km);
                r.extra_days += d * (after.totals.days - before.totals.days);
                r.extra_usd_per_feu += d * (after.totals.usd_per_feu - before.totals.usd_per_feu);
                r.extra_kg_co2e_per_teu += d * (after.totals.kg_co2e_per_teu - before.totals.kg_co2e_per_teu);
            }
            // no route, or the origin or destination itself lies in what was removed
            Ok(None) | Err(_) => {
                r.flows_lost += 1;
                r.demand_lost += d;
            }
        }
    }
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    r.extra_km = round(r.extra_km);
    r.extra_days = round(r.extra_days);
    r.extra_usd_per_feu = round(r.extra_usd_per_feu);
    r.extra_kg_co2e_per_teu = round(r.extra_kg_co2e_per_teu);
    r
}

/// Every element the routed flows use ([`Elements::on_route`]), with the flows that use it, in
/// the order of (kind, id).
fn candidates(planner: &Planner, base: &[Option<Route>]) -> Vec<Candidate> {
    let elements = Elements::new(planner);
    let mut by_key: BTreeMap<(ElementKind, String), Candidate> = BTreeMap::new();
    for (f, route) in base.iter().enumerate() {
        let Some(route) = route else { continue };
        for element in elements.on_route(route) {
            let c = by_key
                .entry((element.kind, element.id.clone()))
                .or_insert_with(|| Candidate { element, flows: vec![] });
            c.flows.push(f);
        }
    }
    by_key.into_values().collect()
}
