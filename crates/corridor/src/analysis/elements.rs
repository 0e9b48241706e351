//! The elements on a route, one model for every analysis that closes, counts or caps what a
//! route uses: criticality (`critical`: each element removed in turn), capacity
//! (`capacity::Capacities::elements_on`: the capacitated elements a route passes) and scenarios
//! (`scenario`: ports, links and border crossings closed or changed by a file).
//!
//! An element is a country, a maritime passage, a port hub, a curated link or a border
//! crossing. A **border crossing edge** is a rail or road edge whose two ends lie in two
//! different countries ([`crossing_edge`]); it is located at its midpoint (as the cost model
//! locates the border dwell of `[[border]]` overrides). A **border crossing** is a checkpoint
//! area: the crossing edges of the same two countries and mode whose midpoints lie within
//! [`CROSSING_RADIUS_KM`] of a point ([`Elements::crossing_area`]: parallel lanes and tracks).
//! A border selector (`BorderSel`, `between`/`mode`/`near`/`radius_km` in capacity and scenario
//! files) selects the crossing edges of its pair and mode whose midpoints lie within `radius_km`
//! (by default the same [`CROSSING_RADIUS_KM`]) of `near`; so the selector written from a
//! crossing's point selects exactly that crossing. A port is every edge at its hub
//! ([`port_edges`]); a link is its edges ([`Elements::link_edges`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::network::{EdgeId, EdgeKind, Layer, Network, NodeId};
use crate::planner::Planner;
use crate::route::Route;
use crate::{Error, Result};

/// The one border-crossing radius: crossing edges of the same two countries and mode within
/// this distance of a crossing's point are the same crossing (a checkpoint area), and a border
/// selector's `near` point selects the crossings within it unless the selector gives
/// `radius_km`.
pub const CROSSING_RADIUS_KM: f64 = 20.0;

/// What kind of element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    Country,
    BorderCrossing,
    Port,
    Link,
    Passage,
}

impl ElementKind {
    pub fn name(self) -> &'static str {
        match self {
            ElementKind::Country => "country",
            ElementKind::BorderCrossing => "border_crossing",
            ElementKind::Port => "port",
            ElementKind::Link => "link",
            ElementKind::Passage => "passage",
        }
    }
}

/// A rail or road edge between two countries, located at its midpoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossingEdge {
    pub edge: EdgeId,
    /// Country indexes of the edge's ends (`edge_a`, `edge_b`).
    pub a: u8,
    pub b: u8,
    pub kind: EdgeKind,
    pub lat: f64,
    pub lon: f64,
}

impl CrossingEdge {
    /// The two countries, smaller index first.
    pub fn pair(&self) -> (u8, u8) {
        (self.a.min(self.b), self.a.max(self.b))
    }

    pub fn km_to(&self, lat: f64, lon: f64) -> f64 {
        crate::geo::haversine_km(self.lat, self.lon, lat, lon)
    }
}

/// Edge `e` as a border crossing edge, if it is one.
pub fn crossing_edge(net: &Network, e: EdgeId) -> Option<CrossingEdge> {
    let kind = net.kind(e);
    let (va, vb) = (net.edge_a[e as usize], net.edge_b[e as usize]);
    let (a, b) = (net.node_country[va as usize], net.node_country[vb as usize]);
    if !matches!(kind, EdgeKind::Rail | EdgeKind::Road) || a == 0 || b == 0 || a == b {
        return None;
    }
    let (p, q) = (net.coord(va), net.coord(vb));
    Some(CrossingEdge { edge: e, a, b, kind, lat: (p.lat + q.lat) / 2.0, lon: (p.lon + q.lon) / 2.0 })
}

/// Every border crossing edge of the network, by edge id.
pub fn crossing_edges(net: &Network) -> Vec<CrossingEdge> {
    (0..net.edge_count() as EdgeId).filter_map(|e| crossing_edge(net, e)).collect()
}

/// The edges of a port: every edge at its hub.
pub fn port_edges(net: &Network, hub: NodeId) -> Vec<EdgeId> {
    let mut edges: Vec<EdgeId> = net.arcs(hub).map(|(_, _, e)| e).collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Edges of each curated link (index = link number, 1-based as in `edge_link`).
pub fn edges_by_link(net: &Network) -> Vec<Vec<EdgeId>> {
    let mut out = vec![Vec::new(); net.meta.links.len() + 1];
    for (e, &l) in net.edge_link.iter().enumerate() {
        if l != 0 {
            out[l as usize].push(e as EdgeId);
        }
    }
    out
}

/// A border selector: crossings between two countries, optionally of one mode and near a point
/// (capacity and scenario files).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BorderSel {
    #[serde(deserialize_with = "two_countries")]
    pub between: [String; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// [lat, lon] of the crossing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<[f64; 2]>,
    /// Radius around `near` (default [`CROSSING_RADIUS_KM`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
}

/// `between = ["A", "B"]`: exactly two countries (TOML arrays of three were read as their
/// first two).
pub fn two_countries<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<[String; 2], D::Error> {
    let v: Vec<String> = Deserialize::deserialize(d)?;
    let n = v.len();
    <[String; 2]>::try_from(v)
        .map_err(|_| serde::de::Error::custom(format!("between takes exactly two countries, not {n}")))
}

impl BorderSel {
    pub const DEFAULT_RADIUS_KM: f64 = CROSSING_RADIUS_KM;

    /// The selector of the crossing at `c`'s point: its two countries and mode.
    pub fn of_crossing(net: &Network, c: &CrossingEdge) -> BorderSel {
        let code = |i: u8| net.meta.countries[i as usize].clone();
        BorderSel {
            between: [code(c.a), code(c.b)],
            mode: Some(c.kind.mode().name().to_string()),
            near: Some([c.lat, c.lon]),
            radius_km: None,
        }
    }

    /// Checks the codes and mode; errors name the selector.
    pub fn validate(&self, net: &Network, what: &str) -> Result<()> {
        for c in &self.between {
            if net.country_index(c.trim()).is_none() {
                return Err(Error::BadQuery(format!("{what}: unknown country '{c}' in between")));
            }
        }
        if let Some(m) = &self.mode {
            if !matches!(m.as_str(), "rail" | "road") {
                return Err(Error::BadQuery(format!("{what}: border mode must be rail or road, not '{m}'")));
            }
        }
        if let Some([lat, lon]) = self.near {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(Error::BadQuery(format!("{what}: near = [{lat}, {lon}] is not a [lat, lon] pair")));
            }
        }
        Ok(())
    }

    /// The radius around `near`.
    pub fn radius(&self) -> f64 {
        self.radius_km.unwrap_or(Self::DEFAULT_RADIUS_KM)
    }

    /// Whether a crossing between `from` and `to` by `mode` at (lat, lon) is selected.
    pub fn matches(&self, from: &str, to: &str, mode: &str, lat: f64, lon: f64) -> bool {
        let [a, b] = &self.between;
        let pair = (a.eq_ignore_ascii_case(from) && b.eq_ignore_ascii_case(to))
            || (a.eq_ignore_ascii_case(to) && b.eq_ignore_ascii_case(from));
        pair && self.mode.as_deref().is_none_or(|m| m == mode)
            && self.near.is_none_or(|[la, lo]| crate::geo::haversine_km(la, lo, lat, lon) <= self.radius())
    }

    /// Whether the selector selects a crossing edge.
    pub fn selects(&self, net: &Network, c: &CrossingEdge) -> bool {
        let code = |i: u8| net.meta.countries[i as usize].as_str();
        self.matches(code(c.a), code(c.b), c.kind.mode().name(), c.lat, c.lon)
    }

    pub fn label(&self) -> String {
        format!(
            "{}-{}{}",
            self.between[0],
            self.between[1],
            self.mode.as_ref().map(|m| format!(" ({m})")).unwrap_or_default()
        )
    }
}

/// How an element is closed.
#[derive(Debug, Clone, PartialEq)]
pub enum Closure {
    /// These edges closed (ports, links, border crossings).
    Edges(Vec<EdgeId>),
    /// The country avoided.
    Country(String),
    /// The passage avoided.
    Passage(String),
}

/// One element a route uses.
#[derive(Debug, Clone)]
pub struct RouteElement {
    pub kind: ElementKind,
    /// Stable identifier: the link id, the country or passage code, `port:<node>` or
    /// `border:<from>-<to>:<smallest edge of the crossing>`.
    pub id: String,
    pub name: String,
    /// The country the element lies in (for a border crossing or a link: "AZ>GE").
    pub country: String,
    /// Where the element comes from in the network's data.
    pub source: String,
    pub closure: Closure,
    /// Where the route first meets it, in half-edges along `route.edges`: the node before edge
    /// `k` is `2k`, edge `k` itself `2k + 1`, the node after it `2k + 2`. None for countries and
    /// passages.
    pub at: Option<usize>,
    /// The port's hub.
    pub hub: Option<NodeId>,
    /// The link's id.
    pub link: Option<String>,
    /// The crossing edge the route uses.
    pub crossing: Option<CrossingEdge>,
}

/// The network's elements, indexed once for many routes.
pub struct Elements<'p> {
    planner: &'p Planner,
    crossings: Vec<CrossingEdge>,
    link_edges: Vec<Vec<EdgeId>>,
    hubs: HashMap<NodeId, usize>,
    osm: String,
    sea: String,
    borders: String,
}

impl<'p> Elements<'p> {
    pub fn new(planner: &'p Planner) -> Elements<'p> {
        let net = planner.net();
        Elements {
            planner,
            crossings: crossing_edges(net),
            link_edges: edges_by_link(net),
            hubs: net.meta.places.iter().enumerate().filter_map(|(i, p)| p.hub.map(|h| (h, i))).collect(),
            osm: source_name(net, "OpenStreetMap"),
            sea: source_name(net, "searoute"),
            borders: source_name(net, "country"),
        }
    }

    /// Every border crossing edge of the network.
    pub fn crossings(&self) -> &[CrossingEdge] {
        &self.crossings
    }

    /// The edges a selector selects.
    pub fn selected(&self, sel: &BorderSel) -> Vec<EdgeId> {
        let net = self.planner.net();
        self.crossings.iter().filter(|c| sel.selects(net, c)).map(|c| c.edge).collect()
    }

    /// The crossing at `c`: the crossing edges its selector ([`BorderSel::of_crossing`]) selects
    /// (same countries and mode, midpoint within [`CROSSING_RADIUS_KM`] of `c`'s), by edge id.
    pub fn crossing_area(&self, c: &CrossingEdge) -> Vec<EdgeId> {
        self.selected(&BorderSel::of_crossing(self.planner.net(), c))
    }

    /// The edges of curated link `link` (1-based, as in `edge_link`).
    pub fn link_edges(&self, link: u16) -> &[EdgeId] {
        &self.link_edges[link as usize]
    }

    /// The elements a route uses, each once: ports, links and border crossings in the order the
    /// route meets them, then its countries and passages in route order.
    pub fn on_route(&self, route: &Route) -> Vec<RouteElement> {
        let net = self.planner.net();
        let mut out: Vec<RouteElement> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut add = |out: &mut Vec<RouteElement>, e: RouteElement| {
            if seen.insert((e.kind, e.id.clone())) {
                out.push(e);
            }
        };
        let element = |kind, id: String, name, country, source: &str, closure, at| RouteElement {
            kind,
            id,
            name,
            country,
            source: source.to_string(),
            closure,
            at,
            hub: None,
            link: None,
            crossing: None,
        };
        for (k, (from, to)) in oriented(net, &route.edges).into_iter().enumerate() {
            let e = route.edges[k];
            for (v, at) in [(from, 2 * k), (to, 2 * k + 2)] {
                if net.layer(v) != Layer::Port {
                    continue;
                }
                let name = match self.hubs.get(&v) {
                    Some(&i) => format!("{}, {}", net.meta.places[i].name, net.meta.places[i].country),
                    None => self.planner.node_name(v),
                };
                let country = net.country(v).to_string();
                let closure = Closure::Edges(port_edges(net, v));
                let el = element(ElementKind::Port, format!("port:{v}"), name, country, &self.sea, closure, Some(at));
                add(&mut out, RouteElement { hub: Some(v), ..el });
            }
            if let Some(info) = net.link(e) {
                let (a, b) = (net.edge_a[e as usize], net.edge_b[e as usize]);
                let l = net.edge_link[e as usize];
                let el = element(
                    ElementKind::Link,
                    info.id.clone(),
                    format!("{} - {} ({})", end_name(&info.from_name), end_name(&info.to_name), info.mode.name()),
                    format!("{}>{}", net.country(a), net.country(b)),
                    &info.source,
                    Closure::Edges(self.link_edges(l).to_vec()),
                    Some(2 * k + 1),
                );
                add(&mut out, RouteElement { link: Some(info.id.clone()), ..el });
            }
            if let Some(c) = crossing_edge(net, e) {
                let (lo, hi) = c.pair();
                let code = |i: u8| net.meta.countries[i as usize].as_str();
                let pair = format!("{}-{}", code(lo), code(hi));
                let edges = self.crossing_area(&c);
                // one crossing per pair, mode and area: keyed on the smallest edge id of the area
                let key = edges.iter().min().copied().unwrap_or(e);
                let el = element(
                    ElementKind::BorderCrossing,
                    format!("border:{pair}:{key}"),
                    format!("{} ({} {})", self.planner.node_name(net.edge_b[e as usize]), pair, c.kind.mode().name()),
                    format!("{}>{}", code(lo), code(hi)),
                    &self.osm,
                    Closure::Edges(edges),
                    Some(2 * k + 1),
                );
                add(&mut out, RouteElement { crossing: Some(c), ..el });
            }
        }
        for code in &route.countries {
            let c = Closure::Country(code.clone());
            add(
                &mut out,
                element(ElementKind::Country, code.clone(), code.clone(), code.clone(), &self.borders, c, None),
            );
        }
        for name in &route.passages {
            let c = Closure::Passage(name.clone());
            add(&mut out, element(ElementKind::Passage, name.clone(), name.clone(), String::new(), &self.sea, c, None));
        }
        out
    }
}

/// The route's edges as (from, to) in travel order: an edge's start is the end it does not
/// share with the next edge (the last edge continues from the previous one's end).
fn oriented(net: &Network, edges: &[EdgeId]) -> Vec<(NodeId, NodeId)> {
    let ends = |e: EdgeId| (net.edge_a[e as usize], net.edge_b[e as usize]);
    let mut out: Vec<(NodeId, NodeId)> = Vec::with_capacity(edges.len());
    for (k, &e) in edges.iter().enumerate() {
        let (a, b) = ends(e);
        let forward = match (out.last(), edges.get(k + 1).map(|&n| ends(n))) {
            (Some(&(_, prev_to)), _) if prev_to == a || prev_to == b => prev_to == a,
            (_, Some((na, nb))) => b == na || b == nb,
            _ => true,
        };
        out.push(if forward { (a, b) } else { (b, a) });
    }
    out
}

fn source_name(net: &Network, contains: &str) -> String {
    net.meta
        .sources
        .iter()
        .find(|s| s.name.contains(contains) || s.attribution.contains(contains) || s.version.contains(contains))
        .map(|s| format!("{} {}", s.name, s.version))
        .unwrap_or_else(|| contains.to_string())
}

/// A curated link end's name without the curator's note in brackets ("Turkmenbashi (west end of
/// rail in data, node 98212)" reads "Turkmenbashi"): the note stays in the link's record.
fn end_name(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim()
}
