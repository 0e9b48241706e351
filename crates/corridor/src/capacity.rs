//! Capacities and flows on corridors.
//!
//! # The model
//! The world network has no capacities on its 850k nodes; published figures exist only for a
//! few elements: ports, border crossings, ferries and some railways (`data/params/capacity.toml`,
//! each with its source and year, converted to TEU per year). So capacity runs on a
//! corridor-level graph built from real routes:
//!
//! * the planner finds the routes (one per origin/destination pair and corridor, on the real
//!   network, under the scenario's changes);
//! * each route is reduced to the ordered list of capacitated elements it passes
//!   ([`Capacities::elements_on`]: port hubs it visits, border crossings, curated links, as
//!   [`crate::analysis::elements`] finds them on the route);
//! * every element becomes an arc `in -> out` with its capacity; consecutive elements of a route
//!   are joined by uncapacitated arcs (the stretches between them), the source feeds each
//!   route's first element and its last feeds the sink.
//!
//! [`max_flow`] is then the throughput the routes can carry together (origins pooled,
//! destinations pooled) and its minimum cut names the binding elements. Flow may switch from one
//! route to another at a shared element; such a switch is still a real network path (a piece of
//! one route followed by a piece of another), so the value is exact for the union of the routes.
//! A route that meets no capacitated element makes the flow unbounded: the model has no figure
//! for anything on it, which the result says.
//!
//! [`assign`] spreads a demand matrix (TEU per year per pair) over the corridors at minimum total
//! cost (US$ per TEU of each route) within the capacities; demand that does not fit is reported
//! as unserved. Each pair's split over corridors is exact at the origin (what each pair sends on
//! each corridor); downstream, the single-commodity formulation lets flows swap routes at a
//! shared element (the same relaxation as above), so the assignment is an optimum of that
//! relaxation, exact when routes that share an element also share what follows it.

use serde::{Deserialize, Serialize};

pub use crate::analysis::elements::{two_countries, BorderSel};
use crate::analysis::elements::{ElementKind, RouteElement};
use crate::flow::{FlowGraph, INF};
use crate::network::{Network, NodeId};
use crate::places::Gazetteer;
use crate::{Error, Result};

/// The shipped capacity file.
pub const CAPACITY_TOML: &str = include_str!("../../../data/params/capacity.toml");

/// Cost (US cents per TEU) of leaving a unit of demand unserved: above any route's cost.
const UNSERVED_CENTS: i64 = 1_000_000_000;

/// One capacitated element with its published figure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub border: Option<BorderSel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teu_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mt_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trains_per_day: Option<f64>,
    /// The figure as published (free text).
    #[serde(default)]
    pub published: String,
    pub source: String,
    pub year: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Set when a scenario changed the capacity (the scenario's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

/// A conversion factor with its provenance.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    pub key: String,
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub year: u32,
    #[serde(default)]
    pub note: String,
}

/// A published capacity of a whole corridor, shown beside the model's result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub corridor: String,
    pub teu_per_year: f64,
    pub published: String,
    pub source: String,
    pub year: u32,
}

/// The capacity data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CapacityFile {
    pub version: String,
    #[serde(default)]
    pub conversion: Vec<Conversion>,
    #[serde(default)]
    pub element: Vec<Element>,
    #[serde(default)]
    pub reference: Vec<Reference>,
}

impl CapacityFile {
    pub fn shipped() -> CapacityFile {
        CapacityFile::parse(CAPACITY_TOML).expect("the shipped capacity file is valid")
    }

    /// Parses and checks a capacity file: unique ids, exactly one selector and one unit per
    /// element, positive figures.
    pub fn parse(text: &str) -> Result<CapacityFile> {
        let f: CapacityFile = toml::from_str(text).map_err(|e| Error::BadQuery(format!("capacity file: {e}")))?;
        for k in ["tonnes_per_teu", "teu_per_train"] {
            if !f.conversion.iter().any(|c| c.key == k && c.value > 0.0) {
                return Err(Error::BadQuery(format!("capacity file: conversion {k} missing or not positive")));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for e in &f.element {
            if !ids.insert(e.id.as_str()) {
                return Err(Error::BadQuery(format!("capacity file: duplicate element id {}", e.id)));
            }
            e.check()?;
        }
        Ok(f)
    }

    pub fn conversion(&self, key: &str) -> f64 {
        self.conversion.iter().find(|c| c.key == key).map(|c| c.value).unwrap_or(1.0)
    }

    /// An element's capacity in TEU per year.
    pub fn teu_per_year(&self, e: &Element) -> f64 {
        if let Some(t) = e.teu_per_year {
            t
        } else if let Some(mt) = e.mt_per_year {
            mt * 1e6 / self.conversion("tonnes_per_teu")
        } else {
            e.trains_per_day.unwrap_or(0.0) * 365.0 * self.conversion("teu_per_train")
        }
    }

    pub fn get(&self, id: &str) -> Option<&Element> {
        self.element.iter().find(|e| e.id == id)
    }
}

impl Element {
    /// Exactly one selector and one unit; figures positive.
    pub fn check(&self) -> Result<()> {
        let selectors = self.port.is_some() as u8 + self.border.is_some() as u8 + (!self.links.is_empty()) as u8;
        if selectors != 1 {
            return Err(Error::BadQuery(format!(
                "capacity element {}: give exactly one of port, border, links",
                self.id
            )));
        }
        let units = [self.teu_per_year, self.mt_per_year, self.trains_per_day];
        if units.iter().filter(|u| u.is_some()).count() != 1 {
            return Err(Error::BadQuery(format!(
                "capacity element {}: give exactly one of teu_per_year, mt_per_year, trains_per_day",
                self.id
            )));
        }
        if units.iter().flatten().any(|&v| !v.is_finite() || v < 0.0) {
            return Err(Error::BadQuery(format!(
                "capacity element {}: capacity must be a non-negative number",
                self.id
            )));
        }
        Ok(())
    }

    /// Sets the capacity to `teu` TEU per year (dropping the other units).
    pub fn set_teu(&mut self, teu: f64) {
        self.teu_per_year = Some(teu);
        self.mt_per_year = None;
        self.trains_per_day = None;
    }
}

/// How an element is recognised on a route, resolved against the network.
#[derive(Debug, Clone)]
enum Matcher {
    /// Port hub node.
    Port(NodeId),
    Border(BorderSel),
    Links(Vec<String>),
}

/// Capacities resolved against a network: elements, their TEU/year and how to find them.
#[derive(Debug, Clone)]
pub struct Capacities {
    pub file: CapacityFile,
    /// TEU per year, per element (same order as `file.element`).
    pub teu: Vec<f64>,
    matchers: Vec<Matcher>,
}

impl Capacities {
    /// Resolves every element: ports through the gazetteer to their hub node, link ids against
    /// the network's curated links, border codes against its countries.
    pub fn resolve(file: CapacityFile, net: &Network, gazetteer: &Gazetteer) -> Result<Capacities> {
        let mut matchers = Vec::new();
        for e in &file.element {
            e.check()?;
            let m = if let Some(p) = &e.port {
                let r = gazetteer.resolve(&net.meta.places, p)?;
                let hub = r.place.and_then(|i| net.meta.places[i].hub).ok_or_else(|| {
                    Error::BadQuery(format!("capacity element {}: '{p}' is not a port with a hub on the network", e.id))
                })?;
                Matcher::Port(hub)
            } else if let Some(b) = &e.border {
                b.validate(net, &format!("capacity element {}", e.id))?;
                Matcher::Border(b.clone())
            } else {
                for l in &e.links {
                    if !net.meta.links.iter().any(|x| &x.id == l) {
                        return Err(Error::BadQuery(format!("capacity element {}: unknown link '{l}'", e.id)));
                    }
                }
                Matcher::Links(e.links.clone())
            };
            matchers.push(m);
        }
        let teu = file.element.iter().map(|e| file.teu_per_year(e)).collect();
        Ok(Capacities { file, teu, matchers })
    }

    /// The capacitated elements a route passes, in route order (each once), from the route's
    /// elements ([`crate::analysis::elements::Elements::on_route`]): a port element at its hub,
    /// a border element at a crossing edge of the route that its selector selects, a links
    /// element at any of its links.
    pub fn elements_on(&self, net: &Network, on_route: &[RouteElement]) -> Vec<usize> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (i, m) in self.matchers.iter().enumerate() {
            let pos = on_route.iter().find_map(|el| {
                let hit = match (m, el.kind) {
                    (Matcher::Port(hub), ElementKind::Port) => el.hub == Some(*hub),
                    (Matcher::Border(sel), ElementKind::BorderCrossing) => {
                        el.crossing.is_some_and(|c| sel.selects(net, &c))
                    }
                    (Matcher::Links(ids), ElementKind::Link) => el.link.as_ref().is_some_and(|l| ids.contains(l)),
                    _ => false,
                };
                if hit {
                    el.at
                } else {
                    None
                }
            });
            if let Some(p) = pos {
                found.push((p, i));
            }
        }
        found.sort_unstable();
        found.into_iter().map(|(_, i)| i).collect()
    }
}

/// One route in a capacity computation.
#[derive(Debug, Clone, Serialize)]
pub struct RoutePath {
    /// Index of the origin/destination pair.
    pub pair: usize,
    pub corridor: String,
    /// Route cost per TEU (the assignment minimises it).
    pub usd_per_teu: f64,
    /// Capacitated elements in route order (indices into the capacities).
    pub elements: Vec<usize>,
}

/// The throughput of a set of routes and what limits it.
#[derive(Debug, Clone, Serialize)]
pub struct MaxFlowResult {
    /// TEU per year; None if unbounded (a route meets no capacitated element).
    pub teu_per_year: Option<f64>,
    /// Elements of the minimum cut (the bottleneck), by index; their capacities sum to the flow.
    pub cut: Vec<usize>,
    /// Routes with no capacitated element (why the flow is unbounded).
    pub unbounded_routes: Vec<usize>,
    /// Flow through each element (TEU/year) in the maximum flow found.
    pub element_flow: Vec<f64>,
}

/// Builds the corridor graph: node 0 source, 1 sink, element i = arc (2+2i) -> (3+2i).
fn corridor_graph(caps: &[f64], routes: &[RoutePath]) -> (FlowGraph, Vec<usize>) {
    let mut g = FlowGraph::new(2 + 2 * caps.len());
    let element_arcs =
        caps.iter().enumerate().map(|(i, &c)| g.add_arc(2 + 2 * i, 3 + 2 * i, c.round() as i64, 0)).collect();
    let mut joined = std::collections::HashSet::new();
    let mut join = |g: &mut FlowGraph, a: usize, b: usize| {
        if joined.insert((a, b)) {
            g.add_arc(a, b, INF, 0);
        }
    };
    for r in routes {
        if let (Some(&first), Some(&last)) = (r.elements.first(), r.elements.last()) {
            join(&mut g, 0, 2 + 2 * first);
            for w in r.elements.windows(2) {
                join(&mut g, 3 + 2 * w[0], 2 + 2 * w[1]);
            }
            join(&mut g, 3 + 2 * last, 1);
        }
    }
    (g, element_arcs)
}

/// Maximum throughput of the routes together and the binding elements (see the module docs).
pub fn max_flow(caps: &[f64], routes: &[RoutePath]) -> MaxFlowResult {
    let unbounded_routes: Vec<usize> =
        routes.iter().enumerate().filter(|(_, r)| r.elements.is_empty()).map(|(i, _)| i).collect();
    let (mut g, element_arcs) = corridor_graph(caps, routes);
    let f = g.max_flow(0, 1);
    let element_flow = element_arcs.iter().map(|&a| g.flow(a) as f64).collect();
    if !unbounded_routes.is_empty() || f.value >= INF {
        return MaxFlowResult { teu_per_year: None, cut: vec![], unbounded_routes, element_flow };
    }
    let cut = element_arcs.iter().enumerate().filter(|(_, a)| f.cut.contains(a)).map(|(i, _)| i).collect();
    MaxFlowResult { teu_per_year: Some(f.value as f64), cut, unbounded_routes, element_flow }
}

/// A demand assignment across corridors.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    /// TEU per year per route (same order as the routes given).
    pub route_flow: Vec<f64>,
    /// TEU per year per pair that no route could take within the capacities.
    pub unserved: Vec<f64>,
    /// TEU per year through each element.
    pub element_flow: Vec<f64>,
    /// Elements used to capacity.
    pub binding: Vec<usize>,
    /// Total US$ per year of the served flow.
    pub total_usd: f64,
}

/// Minimum-cost assignment of `demand[pair]` TEU per year over the routes within the
/// capacities (see the module docs for the formulation and its limit).
pub fn assign(caps: &[f64], routes: &[RoutePath], demand: &[f64]) -> Assignment {
    // source -> pair (its demand) -> route (its cost) -> elements... -> sink; pair -> sink unserved
    let mut g = FlowGraph::new(2 + 2 * caps.len());
    let element_arcs: Vec<usize> =
        caps.iter().enumerate().map(|(i, &c)| g.add_arc(2 + 2 * i, 3 + 2 * i, c.round() as i64, 0)).collect();
    let mut joined = std::collections::HashSet::new();
    let pair_nodes: Vec<usize> = demand.iter().map(|_| g.add_node()).collect();
    let mut unserved_arcs = Vec::new();
    let mut total_demand = 0i64;
    for (k, &d) in demand.iter().enumerate() {
        let d = d.round().max(0.0) as i64;
        total_demand += d;
        g.add_arc(0, pair_nodes[k], d, 0);
        unserved_arcs.push(g.add_arc(pair_nodes[k], 1, INF, UNSERVED_CENTS));
    }
    let mut route_arcs = Vec::new();
    for r in routes {
        let node = g.add_node();
        let cents = (r.usd_per_teu * 100.0).round().max(0.0) as i64;
        route_arcs.push(g.add_arc(pair_nodes[r.pair], node, INF, cents));
        match (r.elements.first(), r.elements.last()) {
            (Some(&first), Some(&last)) => {
                g.add_arc(node, 2 + 2 * first, INF, 0);
                for w in r.elements.windows(2) {
                    if joined.insert((w[0], w[1])) {
                        g.add_arc(3 + 2 * w[0], 2 + 2 * w[1], INF, 0);
                    }
                }
                if joined.insert((last, usize::MAX)) {
                    g.add_arc(3 + 2 * last, 1, INF, 0);
                }
            }
            _ => {
                g.add_arc(node, 1, INF, 0);
            }
        }
    }
    g.min_cost_flow(0, 1, total_demand);
    let route_flow: Vec<f64> = route_arcs.iter().map(|&a| g.flow(a) as f64).collect();
    let element_flow: Vec<f64> = element_arcs.iter().map(|&a| g.flow(a) as f64).collect();
    let binding = (0..caps.len()).filter(|&i| caps[i] > 0.0 && element_flow[i] >= caps[i].round()).collect();
    let total_usd = routes.iter().zip(&route_flow).map(|(r, f)| r.usd_per_teu * f).sum();
    Assignment {
        route_flow,
        unserved: unserved_arcs.iter().map(|&a| g.flow(a) as f64).collect(),
        element_flow,
        binding,
        total_usd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(pair: usize, corridor: &str, usd: f64, elements: &[usize]) -> RoutePath {
        RoutePath { pair, corridor: corridor.into(), usd_per_teu: usd, elements: elements.to_vec() }
    }

    #[test]
    fn corridor_max_flow_names_the_bottleneck() {
        // border 0 (300) -> port 1 (100) -> ferry 2 (500); a second route: border 3 (50) -> port 1
        let caps = [300.0, 100.0, 500.0, 50.0];
        let r = max_flow(&caps, &[route(0, "m", 1.0, &[0, 1, 2]), route(1, "m", 1.0, &[3, 1, 2])]);
        assert_eq!(r.teu_per_year, Some(100.0));
        assert_eq!(r.cut, vec![1]);
        // doubling the port moves the cut to the borders: 300 + 50 = 350 < 500
        let caps2 = [300.0, 1000.0, 500.0, 50.0];
        let r2 = max_flow(&caps2, &[route(0, "m", 1.0, &[0, 1, 2]), route(1, "m", 1.0, &[3, 1, 2])]);
        assert_eq!(r2.teu_per_year, Some(350.0));
        assert_eq!(r2.cut, vec![0, 3]);
        // a route without capacitated elements is unbounded
        let r3 = max_flow(&caps, &[route(0, "m", 1.0, &[])]);
        assert_eq!((r3.teu_per_year, r3.unbounded_routes), (None, vec![0]));
    }

    #[test]
    fn assignment_fills_the_cheap_corridor_then_spills() {
        // pair 0 wants 150: corridor a costs 10 through element 0 (cap 100), b costs 30 through
        // element 1 (cap 1000). Pair 1 wants 40 and has only a (cost 12): it competes for element 0.
        let caps = [100.0, 1000.0];
        let routes = [route(0, "a", 10.0, &[0]), route(0, "b", 30.0, &[1]), route(1, "a", 12.0, &[0])];
        let a = assign(&caps, &routes, &[150.0, 40.0]);
        // optimum: pair 1's 40 on a (only option, else unserved), pair 0: 60 on a, 90 on b
        assert_eq!(a.route_flow, vec![60.0, 90.0, 40.0]);
        assert_eq!(a.unserved, vec![0.0, 0.0]);
        assert_eq!(a.binding, vec![0]);
        assert_eq!(a.total_usd, 60.0 * 10.0 + 90.0 * 30.0 + 40.0 * 12.0);
        // with element 1 cut to 20, 120 of 190 fit; every unserved TEU costs the same, so the
        // optimum gives element 0 to the cheaper pair 0 (10 < 12): 100 + 20 served for pair 0
        let a = assign(&[100.0, 20.0], &routes, &[150.0, 40.0]);
        assert_eq!(a.route_flow, vec![100.0, 20.0, 0.0]);
        assert_eq!(a.unserved, vec![30.0, 40.0]);
        assert_eq!(a.binding, vec![0, 1]);
    }

    #[test]
    fn shipped_capacity_file_is_valid_and_sourced() {
        let f = CapacityFile::shipped();
        assert!(f.element.len() >= 8);
        for e in &f.element {
            assert!(!e.source.is_empty() && e.year >= 2000, "{}", e.id);
            assert!(f.teu_per_year(e) > 0.0, "{}", e.id);
        }
        // 28 trains/day x 365 x 82 TEU
        assert_eq!(f.teu_per_year(f.get("border_dostyk_alashankou").unwrap()), 28.0 * 365.0 * 82.0);
        assert_eq!(f.teu_per_year(f.get("port_aktau").unwrap()), 1_100_000.0);
        assert!(CapacityFile::parse("version = \"x\"\n[[element]]\nid=\"a\"").is_err());
        let bad = CAPACITY_TOML.replace("port = \"Kuryk port\"", "port = \"Kuryk port\"\nlinks = [\"x\"]");
        assert!(CapacityFile::parse(&bad).is_err());
    }
}
