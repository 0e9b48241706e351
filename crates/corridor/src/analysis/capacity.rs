//! Corridor capacity: route every pair on every corridor of a catalogue, find the capacitated
//! elements each route uses ([`Capacities::elements_on`]), then solve the corridor-level flow
//! problems of [`crate::capacity`]: the maximum TEU per year per corridor and for all corridors
//! together, each with its bottleneck (minimum cut, by element), and with a demand per pair the
//! least-cost assignment. The report is the JSON of `corridor capacity` and `/api/capacity`.

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::elements::Elements;
use crate::capacity::{self, Capacities, CapacityFile, Conversion, MaxFlowResult, Reference, RoutePath};
use crate::compare::{compare, Catalogue};
use crate::model::cost::Objective;
use crate::od::OdPair;
use crate::planner::{Constraints, Planner};
use crate::scenario::Scenario;
use crate::{Error, Result};

/// What a capacity run is asked.
pub struct CapacityQuery<'a> {
    pub catalogue: &'a Catalogue,
    pub pairs: &'a [OdPair],
    /// Where the pairs came from (a file name, "request"), echoed in the report.
    pub od_name: String,
    /// Assign each pair's demand (every pair must have one) within the capacities.
    pub assign: bool,
    pub constraints: Constraints,
    pub objective: Objective,
    /// The capacities (the shipped file, or a scenario's).
    pub capacities: CapacityFile,
    /// The scenario the planner and capacities come from, echoed in the report.
    pub scenario: Option<&'a Scenario>,
}

/// A capacitated element as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct ElementInfo {
    pub id: String,
    pub name: String,
    pub teu_per_year: f64,
    pub published: String,
    pub source: String,
    pub year: u32,
    pub note: String,
    pub changed_by: Option<String>,
}

/// A pair routed on a corridor.
#[derive(Debug, Clone, Serialize)]
pub struct PairCorridor {
    pub from: String,
    pub to: String,
    pub corridor: String,
}

/// The maximum flow of a set of routes.
#[derive(Debug, Clone, Serialize)]
pub struct FlowReport {
    /// TEU per year; None when unbounded or when there is no route.
    pub max_flow_teu_per_year: Option<f64>,
    /// True if a route meets no capacitated element (the model has no figure to bound it).
    pub unbounded: bool,
    /// The minimum cut: the elements whose capacities sum to the maximum flow.
    pub bottleneck: Vec<ElementInfo>,
    pub routes_without_capacity_data: Vec<PairCorridor>,
}

/// One corridor's capacity.
#[derive(Debug, Clone, Serialize)]
pub struct CorridorCapacity {
    pub id: String,
    pub name: String,
    /// Routes found (pairs on which the corridor is available).
    pub routes: usize,
    /// The corridor's published capacity figure, if one is in the capacity file.
    pub published: Option<Reference>,
    #[serde(flatten)]
    pub flow: FlowReport,
}

/// An element with its use in the pooled maximum flow.
#[derive(Debug, Clone, Serialize)]
pub struct ElementUse {
    #[serde(flatten)]
    pub element: ElementInfo,
    /// Flow through it in the maximum flow of all corridors together (None if unbounded).
    pub flow_teu_per_year: Option<f64>,
    pub routes_through: usize,
}

/// A pair/corridor without an available route, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unavailable {
    pub from: String,
    pub to: String,
    pub corridor: String,
    pub status: String,
}

/// Flow of one route in the assignment.
#[derive(Debug, Clone, Serialize)]
pub struct AssignedFlow {
    pub from: String,
    pub to: String,
    pub corridor: String,
    pub teu_per_year: f64,
    pub usd_per_teu: f64,
}

/// Demand a pair could not place.
#[derive(Debug, Clone, Serialize)]
pub struct Unserved {
    pub from: String,
    pub to: String,
    pub teu_per_year: f64,
}

/// The least-cost assignment of the demand within the capacities.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentReport {
    pub total_demand_teu_per_year: f64,
    pub unserved_teu_per_year: f64,
    pub total_usd_per_year: f64,
    /// Elements used to capacity.
    pub binding: Vec<ElementInfo>,
    pub flows: Vec<AssignedFlow>,
    pub unserved: Vec<Unserved>,
}

/// The scenario a report was computed under.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRef {
    pub name: String,
    pub fingerprint: String,
}

/// The whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityReport {
    pub network_version: String,
    pub capacity_version: String,
    pub od: String,
    pub pairs: usize,
    pub scenario: Option<ScenarioRef>,
    pub conversions: Vec<Conversion>,
    /// All corridors together.
    pub all: FlowReport,
    pub corridors: Vec<CorridorCapacity>,
    /// Every capacitated element of the file.
    pub elements: Vec<ElementUse>,
    pub unavailable: Vec<Unavailable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment: Option<AssignmentReport>,
}

/// Runs the capacity analysis. `progress` is called once per pair routed (pairs run in
/// parallel on rayon's pool).
pub fn capacity(planner: &Planner, q: &CapacityQuery, progress: &(dyn Fn() + Sync)) -> Result<CapacityReport> {
    let demand: Option<Vec<f64>> = if q.assign {
        let d: Option<Vec<f64>> = q.pairs.iter().map(|p| p.demand).collect();
        Some(d.ok_or_else(|| Error::BadQuery("every pair needs a demand (from,to,demand in TEU per year)".into()))?)
    } else {
        None
    };
    let caps = Capacities::resolve(q.capacities.clone(), planner.net(), planner.gazetteer())?;
    let elements = Elements::new(planner);
    let per_pair: Vec<Result<Vec<crate::compare::Row>>> = q
        .pairs
        .par_iter()
        .map(|p| {
            let rows = compare(planner, q.catalogue, &p.from, &p.to, &q.constraints, q.objective);
            progress();
            rows
        })
        .collect();
    let mut routes = Vec::new();
    let mut unavailable = Vec::new();
    for (i, rows) in per_pair.into_iter().enumerate() {
        for row in rows? {
            match (&row.route, row.available) {
                (Some(route), true) => routes.push(RoutePath {
                    pair: i,
                    corridor: row.id.clone(),
                    usd_per_teu: route.totals.usd_per_teu,
                    elements: caps.elements_on(planner.net(), &elements.on_route(route)),
                }),
                _ => unavailable.push(Unavailable {
                    from: q.pairs[i].from.clone(),
                    to: q.pairs[i].to.clone(),
                    corridor: row.id.clone(),
                    status: row.status.clone(),
                }),
            }
        }
    }
    let teu = &caps.teu;
    let info = |i: usize| {
        let e = &caps.file.element[i];
        ElementInfo {
            id: e.id.clone(),
            name: e.name.clone(),
            teu_per_year: teu[i],
            published: e.published.clone(),
            source: e.source.clone(),
            year: e.year,
            note: e.note.clone(),
            changed_by: e.changed_by.clone(),
        }
    };
    let flow_report = |f: &MaxFlowResult, rs: &[&RoutePath]| FlowReport {
        max_flow_teu_per_year: f.teu_per_year,
        unbounded: f.teu_per_year.is_none() && !f.unbounded_routes.is_empty(),
        bottleneck: f.cut.iter().map(|&i| info(i)).collect(),
        routes_without_capacity_data: f
            .unbounded_routes
            .iter()
            .map(|&k| PairCorridor {
                from: q.pairs[rs[k].pair].from.clone(),
                to: q.pairs[rs[k].pair].to.clone(),
                corridor: rs[k].corridor.clone(),
            })
            .collect(),
    };
    let all_refs: Vec<&RoutePath> = routes.iter().collect();
    let pooled = capacity::max_flow(teu, &routes);
    let corridors = q
        .catalogue
        .corridor
        .iter()
        .map(|c| {
            let rs: Vec<RoutePath> = routes.iter().filter(|r| r.corridor == c.id).cloned().collect();
            let refs: Vec<&RoutePath> = rs.iter().collect();
            let f = capacity::max_flow(teu, &rs);
            CorridorCapacity {
                id: c.id.clone(),
                name: c.name.clone(),
                routes: rs.len(),
                published: caps.file.reference.iter().find(|r| r.corridor == c.id).cloned(),
                flow: flow_report(&f, &refs),
            }
        })
        .collect();
    let elements = (0..teu.len())
        .map(|i| ElementUse {
            element: info(i),
            flow_teu_per_year: pooled.teu_per_year.map(|_| pooled.element_flow[i]),
            routes_through: routes.iter().filter(|r| r.elements.contains(&i)).count(),
        })
        .collect();
    let assignment = demand.as_ref().map(|d| {
        let a = capacity::assign(teu, &routes, d);
        AssignmentReport {
            total_demand_teu_per_year: d.iter().sum(),
            unserved_teu_per_year: a.unserved.iter().sum(),
            total_usd_per_year: a.total_usd.round(),
            binding: a.binding.iter().map(|&i| info(i)).collect(),
            flows: routes
                .iter()
                .zip(&a.route_flow)
                .filter(|(_, f)| **f > 0.0)
                .map(|(r, f)| AssignedFlow {
                    from: q.pairs[r.pair].from.clone(),
                    to: q.pairs[r.pair].to.clone(),
                    corridor: r.corridor.clone(),
                    teu_per_year: *f,
                    usd_per_teu: r.usd_per_teu,
                })
                .collect(),
            unserved: q
                .pairs
                .iter()
                .zip(&a.unserved)
                .filter(|(_, u)| **u > 0.0)
                .map(|(p, u)| Unserved { from: p.from.clone(), to: p.to.clone(), teu_per_year: *u })
                .collect(),
        }
    });
    Ok(CapacityReport {
        network_version: planner.net().meta.version.clone(),
        capacity_version: caps.file.version.clone(),
        od: q.od_name.clone(),
        pairs: q.pairs.len(),
        scenario: q.scenario.map(|s| ScenarioRef { name: s.name.clone(), fingerprint: s.fingerprint() }),
        conversions: caps.file.conversion.clone(),
        all: flow_report(&pooled, &all_refs),
        corridors,
        elements,
        unavailable,
        assignment,
    })
}
