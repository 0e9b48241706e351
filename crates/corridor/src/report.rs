//! The answers front ends return, as typed `Serialize` structs: these ARE the JSON of the CLI
//! (`--format json`), of the HTTP API and, later, of the Python package, so every front end
//! gives the same fields. Each report carries its provenance: the parameters' version and the
//! network's version and attribution.

use serde::Serialize;

use crate::compare::Row;
use crate::planner::{Planner, Query};
use crate::route::Route;

/// Where an answer comes from: the network file and the parameter set.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkInfo {
    pub version: String,
    pub attribution: String,
}

impl NetworkInfo {
    pub fn of(planner: &Planner) -> NetworkInfo {
        let meta = &planner.net().meta;
        NetworkInfo { version: meta.version.clone(), attribution: meta.attribution.clone() }
    }
}

/// The query's constraints as the answer echoes them (modes spelled out: all four when the query
/// named none).
#[derive(Debug, Clone, Serialize)]
pub struct ConstraintsEcho {
    pub avoid: Vec<String>,
    pub avoid_waters: bool,
    pub avoid_passages: Vec<String>,
    pub allow_passages: Vec<String>,
    pub modes: Vec<&'static str>,
    pub allow_planned: bool,
    /// Door to door (the access trucks and drayage in the totals).
    pub door: bool,
}

impl ConstraintsEcho {
    pub fn of(q: &Query) -> ConstraintsEcho {
        let c = &q.constraints;
        let modes = if c.modes.is_empty() {
            vec!["rail", "road", "sea", "ferry"]
        } else {
            c.modes.iter().map(|m| m.name()).collect()
        };
        ConstraintsEcho {
            avoid: c.avoid.clone(),
            avoid_waters: c.avoid_waters,
            avoid_passages: c.avoid_passages.clone(),
            allow_passages: c.allow_passages.clone(),
            modes,
            allow_planned: c.allow_planned,
            door: c.door,
        }
    }
}

/// One route with the query's constraints and the provenance (`corridor route --format json`
/// without alternatives; each alternative has this shape too).
#[derive(Debug, Clone, Serialize)]
pub struct RouteReport<'a> {
    #[serde(flatten)]
    pub route: &'a Route,
    pub params_version: String,
    pub network: NetworkInfo,
    pub constraints: ConstraintsEcho,
}

/// The best route and its alternatives (`corridor route --format json`, `/api/route`).
#[derive(Debug, Clone, Serialize)]
pub struct RoutesReport<'a> {
    #[serde(flatten)]
    pub best: RouteReport<'a>,
    pub alternatives: Vec<RouteReport<'a>>,
}

impl<'a> RouteReport<'a> {
    pub fn new(planner: &Planner, q: &Query, route: &'a Route) -> RouteReport<'a> {
        RouteReport {
            route,
            params_version: planner.params().version.clone(),
            network: NetworkInfo::of(planner),
            constraints: ConstraintsEcho::of(q),
        }
    }
}

impl<'a> RoutesReport<'a> {
    /// `routes[0]` is the best route; the rest are alternatives. `routes` must not be empty (the
    /// planner returns at least one route or an error).
    pub fn new(planner: &Planner, q: &Query, routes: &'a [Route]) -> RoutesReport<'a> {
        RoutesReport {
            best: RouteReport::new(planner, q, &routes[0]),
            alternatives: routes[1..].iter().map(|r| RouteReport::new(planner, q, r)).collect(),
        }
    }
}

/// The corridor comparison (`corridor compare --format json`, `/api/compare`).
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport<'a> {
    pub corridors: &'a [Row],
    pub params_version: String,
    pub network: NetworkInfo,
}

impl<'a> CompareReport<'a> {
    pub fn new(planner: &Planner, rows: &'a [Row]) -> CompareReport<'a> {
        CompareReport {
            corridors: rows,
            params_version: planner.params().version.clone(),
            network: NetworkInfo::of(planner),
        }
    }
}
