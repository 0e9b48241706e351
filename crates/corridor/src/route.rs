//! Turns engine paths into an explained [`Route`]: legs by mode, countries in order, border
//! crossings, passages, transfers, curated links used. Also renders GeoJSON (RFC 7946).
//!
//! Field names of the JSON form are a stable interface: `distance_km`, `countries`, `passages`,
//! `borders`, `legs` (each with `mode`, `distance_km`, `from`, `to`) stay; later versions add fields.

use serde::Serialize;

use crate::geo::KM_PER_NM;
use crate::model::cost::{CostModel, DwellKind, Measures, Objective};
use crate::network::grid::Grid;
use crate::network::{EdgeId, Layer, Mode, Network, NodeId};

/// One end of the route (or a via point) as resolved and attached to the network.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Endpoint {
    pub query: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Where the route actually starts/ends on the network.
    pub network_lat: f64,
    pub network_lon: f64,
    /// Great-circle km between the place and the network node (not included in `distance_km`).
    pub access_km: f64,
    /// The layer of the network node (rail, road or port).
    pub layer: Layer,
    /// Counted from the door (a door-to-door query): the truck over `access_km` is in the
    /// totals, as a [`DwellKind::Drayage`] row.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub door: bool,
}

/// A stretch of the route in one mode.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Leg {
    pub mode: Mode,
    /// Sea and ferry legs: the water service (ocean, caspian, black_sea, ferry) whose figures apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<crate::model::cost::Service>,
    pub distance_km: f64,
    /// Sea and ferry legs: the distance in nautical miles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_nm: Option<f64>,
    #[serde(flatten)]
    pub totals: Totals,
    pub from: String,
    pub to: String,
    /// [lon, lat] of the leg's ends.
    pub from_coord: [f64; 2],
    pub to_coord: [f64; 2],
    /// Countries of the leg's land nodes, in order.
    pub countries: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<String>,
    /// Curated links (ferries, repaired gaps, planned lines) the leg uses, by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// The leg's polyline as [lon, lat] points.
    #[serde(skip)]
    pub coords: Vec<[f64; 2]>,
    #[serde(skip)]
    pub measures: Measures,
}

/// Time, money and emissions of a route or leg, in the units users quote.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Totals {
    pub days: f64,
    pub hours: f64,
    /// Days with every ranged parameter (ferry waits, port dwell, a truck's crew) at its fast and slow end.
    pub days_low: f64,
    pub days_high: f64,
    /// Charges per FEU: freight, handling, dues, border fees, tolls.
    pub usd_per_feu: f64,
    pub usd_per_teu: f64,
    /// Capital cost of the cargo in transit per FEU (cargo value x annual rate x days).
    pub capital_usd_per_feu: f64,
    /// Total logistics cost per FEU: charges plus capital cost in transit (what `cost` minimises).
    pub total_usd_per_feu: f64,
    /// Well-to-wheel kg CO2e per TEU (the headline figure) and tank-to-wheel.
    pub kg_co2e_per_teu: f64,
    pub kg_co2e_per_teu_ttw: f64,
    pub kg_co2e_per_tonne: f64,
    pub kg_co2e_per_tonne_ttw: f64,
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

impl Totals {
    pub fn from_measures(m: &Measures, tonnes_per_teu: f64) -> Totals {
        let per_t = |x: f64| if tonnes_per_teu > 0.0 { x / tonnes_per_teu } else { 0.0 };
        Totals {
            days: round(m.hours / 24.0, 2),
            hours: round(m.hours, 1),
            days_low: round(m.hours_low / 24.0, 2),
            days_high: round(m.hours_high / 24.0, 2),
            usd_per_feu: round(m.usd_per_feu, 0),
            usd_per_teu: round(m.usd_per_feu / 2.0, 0),
            capital_usd_per_feu: round(m.capital_usd_per_feu, 0),
            total_usd_per_feu: round(m.total_usd_per_feu(), 0),
            kg_co2e_per_teu: round(m.kg_co2e_per_teu, 1),
            kg_co2e_per_teu_ttw: round(m.kg_co2e_per_teu_ttw, 1),
            kg_co2e_per_tonne: round(per_t(m.kg_co2e_per_teu), 2),
            kg_co2e_per_tonne_ttw: round(per_t(m.kg_co2e_per_teu_ttw), 2),
        }
    }
}

/// A dwell event on the route, where it happens and the parameters it comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DwellAt {
    pub kind: DwellKind,
    pub at: String,
    /// Index of the leg it belongs to.
    pub leg: usize,
    pub hours: f64,
    pub hours_low: f64,
    pub hours_high: f64,
    pub usd_per_feu: f64,
    pub params: Vec<String>,
}

/// A change of country between two consecutive land (rail, road or port) nodes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Border {
    pub from: String,
    pub to: String,
    /// The mode of the edge on which the country changes (sea or ferry for a crossing by water).
    pub mode: Mode,
    /// Nearest named place to the crossing.
    pub at: String,
    pub lat: f64,
    pub lon: f64,
}

/// A curated link the route uses, with its provenance.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkUse {
    pub id: String,
    pub mode: Mode,
    pub status: &'static str,
    pub km: f64,
    pub source: String,
    /// Days between sailings where the line's schedule is published (its wait is half of it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_interval_days: Option<f64>,
}

/// An explained route.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Route {
    /// What the route minimises.
    pub objective: Objective,
    /// The freight market state of the parameters (`normal-2023`, `red-sea-2024`, `latest`).
    pub market: String,
    /// Set on a query of a sea trade priced apart from the Asia-Europe headhaul
    /// ([`crate::planner::Trade`]: its backhaul, the short-sea trade): how its sea freight was
    /// priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trade_direction: Option<String>,
    /// The trade whose parameters priced the route, if not the headhaul's (their values are
    /// `Planner::trade_params`; `--explain` prints those).
    #[serde(skip)]
    pub trade: Option<crate::model::params::Trade>,
    pub origin: Endpoint,
    pub destination: Endpoint,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<Endpoint>,
    /// Sum of the legs' km.
    pub distance_km: f64,
    /// Km at sea (sea and ferry legs), also in nautical miles.
    pub sea_km: f64,
    pub sea_nm: f64,
    /// ISO codes of the land and port nodes crossed, in order (consecutive repeats merged).
    pub countries: Vec<String>,
    /// Countries whose waters (territorial sea as tagged) the sea legs cross.
    pub waters: Vec<String>,
    /// Named maritime passages used, in order.
    pub passages: Vec<String>,
    pub borders: Vec<Border>,
    /// Number of changes between modes (transfer legs).
    pub transfers: usize,
    pub legs: Vec<Leg>,
    pub links: Vec<LinkUse>,
    /// km per mode (rail, road, sea, ferry, transfer).
    pub km_by_mode: std::collections::BTreeMap<Mode, f64>,
    #[serde(flatten)]
    pub totals: Totals,
    /// Border, gauge, port, ferry and canal dwell included in the totals.
    pub dwell: Vec<DwellAt>,
    /// The measures summed (unrounded), for analyses that add routes up.
    #[serde(skip)]
    pub measures: Measures,
    /// The network edges of the route, in order (for analyses that close what a route uses).
    #[serde(skip)]
    pub edges: Vec<EdgeId>,
}

/// The name a canal's dwell row carries: the canal, not the place nearest one of its edges.
fn canal_name(passage: Option<&str>) -> String {
    match passage {
        Some("suez") => "Suez Canal".to_string(),
        Some("panama") => "Panama Canal".to_string(),
        Some(p) => format!("{p} canal"),
        None => "canal".to_string(),
    }
}

/// A passage's display name: "bosporus" reads "Bosporus", "babalmandab" "Babalmandab".
fn passage_title(p: &str) -> String {
    let mut c = p.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Names points after the nearest gazetteer place.
pub struct Namer<'a> {
    net: &'a Network,
    grid: &'a Grid,
}

impl<'a> Namer<'a> {
    pub fn new(net: &'a Network, grid: &'a Grid) -> Namer<'a> {
        Namer { net, grid }
    }
    /// "Aktau, KZ" for a port hub or a node within 30 km of a place, else "near X, CC" within
    /// 100 km, else the coordinates.
    pub fn name(&self, v: NodeId) -> String {
        let p = self.net.coord(v);
        if let Some((i, d)) = self.grid.nearest(p.lat, p.lon, 100.0, |_| true) {
            let pl = &self.net.meta.places[i as usize];
            if d <= 30.0 {
                return format!("{}, {}", pl.name, pl.country);
            }
            return format!("near {}, {}", pl.name, pl.country);
        }
        format!("{:.3},{:.3}", p.lat, p.lon)
    }
}

/// One searched segment of a route: the path between two consecutive stops.
pub struct Segment<'p> {
    pub nodes: &'p [NodeId],
    pub edges: &'p [EdgeId],
}

/// Whether a route's box needs a truck at each end to reach it door to door: a leg by train or
/// container ship. A truck that rides a ferry or ro-ro carries the box door to door.
pub fn is_intermodal(legs: &[Leg]) -> bool {
    legs.iter().any(|l| matches!(l.mode, Mode::Rail | Mode::Sea))
}

/// Builds the explained route from consecutive path segments (origin -> via.. -> destination).
/// Consecutive segments that do not meet at the same node are joined by a transfer leg through
/// the via point (its access distances).
pub fn explain(
    net: &Network,
    namer: &Namer,
    cost: &CostModel,
    objective: Objective,
    stops: (Endpoint, Vec<Endpoint>, Endpoint),
    segments: &[Segment],
) -> Route {
    let (origin, via, destination) = stops;
    let mut dwell: Vec<DwellAt> = Vec::new();
    let mut legs: Vec<Leg> = Vec::new();
    let mut borders = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let mut waters: Vec<String> = Vec::new();
    let mut passages: Vec<String> = Vec::new();
    let mut links: Vec<LinkUse> = Vec::new();
    let mut last_land: Option<(String, NodeId)> = None;

    let push_country = |list: &mut Vec<String>, c: &str| {
        if !c.is_empty() && list.last().map(String::as_str) != Some(c) {
            list.push(c.to_string());
        }
    };

    for (si, seg) in segments.iter().enumerate() {
        if si > 0 {
            let prev_end = *segments[si - 1].nodes.last().unwrap();
            let start = seg.nodes[0];
            if prev_end != start {
                let v = &via[si - 1];
                let km = round3(
                    v.access_km + crate::geo::haversine_km(v.lat, v.lon, net.coord(start).lat, net.coord(start).lon),
                );
                let (a, b) = (net.coord(prev_end), net.coord(start));
                legs.push(Leg {
                    service: None,
                    mode: Mode::Transfer,
                    distance_km: km,
                    distance_nm: None,
                    totals: Totals::default(),
                    measures: cost.road(km),
                    from: namer.name(prev_end),
                    to: namer.name(start),
                    from_coord: [a.lon, a.lat],
                    to_coord: [b.lon, b.lat],
                    countries: vec![],
                    passages: vec![],
                    links: vec![],
                    coords: vec![[a.lon, a.lat], [v.lon, v.lat], [b.lon, b.lat]],
                });
            }
        }
        // country bookkeeping for the first node of the segment
        let first = seg.nodes[0];
        if !net.is_open_water(first) {
            let c = net.country(first).to_string();
            push_country(&mut countries, &c);
            if !c.is_empty() {
                last_land = Some((c, first));
            }
        }
        let leg_start = legs.len();
        for (i, &e) in seg.edges.iter().enumerate() {
            let (u, w) = (seg.nodes[i], seg.nodes[i + 1]);
            let kind = net.kind(e);
            let mode = kind.mode();
            let km = net.edge_len_m[e as usize] as f64 / 1000.0;
            let service = cost.service(net, e);
            // a voyage that sails from one service area into another (Suez into the Black Sea)
            // stays one leg: its service changes only where the box can leave the ship, at a
            // port, never in open water (the crossing into the area is not a call)
            let new_leg = legs.len() == leg_start
                || legs.last().unwrap().mode != mode
                || (service.is_some()
                    && !net.is_open_water(u)
                    && legs.last().unwrap().service.is_some_and(|s| Some(s) != service));
            if new_leg {
                let p = net.coord(u);
                legs.push(Leg {
                    service: None,
                    mode,
                    distance_km: 0.0,
                    distance_nm: None,
                    totals: Totals::default(),
                    measures: Measures::default(),
                    from: String::new(),
                    to: String::new(),
                    from_coord: [p.lon, p.lat],
                    to_coord: [p.lon, p.lat],
                    countries: vec![],
                    passages: vec![],
                    links: vec![],
                    coords: vec![[p.lon, p.lat]],
                });
                if !net.is_open_water(u) {
                    let c = net.country(u).to_string();
                    push_country(&mut legs.last_mut().unwrap().countries, &c);
                }
            }
            let leg_index = legs.len() - 1;
            let leg = legs.last_mut().unwrap();
            if leg.service.is_none() {
                leg.service = service;
            }
            leg.distance_km += km;
            // the dwell events once: they make the edge's measures and the explanation
            let dwells = cost.dwells(net, e);
            leg.measures += cost.measures_with(net, e, &dwells);
            // a ferry edge is a whole crossing: its second port call happens at the far end
            let mut calls = 0;
            for d in dwells {
                let far_call = d.kind == DwellKind::PortCall && kind == crate::network::EdgeKind::Ferry && calls == 1;
                calls += (d.kind == DwellKind::PortCall) as usize;
                // the two ends of a sea leg each carry half of its wait and voyage cost: report
                // one wait per leg, at its first port; a canal is charged per km of its edges:
                // report one crossing per leg and canal; an inland terminal's two transfer edges
                // each carry half of its train-truck change: report one per hub
                // a canal or a gate is reported under its own name, not the nearest place's
                let named = match d.kind {
                    DwellKind::Canal => Some(canal_name(net.passage(e))),
                    DwellKind::TimeWindow => cost.gate_name(e).map(str::to_string),
                    _ => None,
                };
                let hub = (d.kind == DwellKind::TerminalTransfer)
                    .then(|| namer.name(if net.layer(u) == Layer::Port { u } else { w }));
                if matches!(
                    d.kind,
                    DwellKind::SailingWait
                        | DwellKind::FerryWait
                        | DwellKind::Voyage
                        | DwellKind::Canal
                        | DwellKind::TerminalTransfer
                ) {
                    let place = named.as_ref().or(hub.as_ref());
                    if let Some(w) = dwell
                        .iter_mut()
                        .find(|w| w.leg == leg_index && w.kind == d.kind && place.is_none_or(|c| &w.at == c))
                    {
                        w.hours = round(w.hours + d.hours, 2);
                        w.hours_low = round(w.hours_low + d.hours_low, 2);
                        w.hours_high = round(w.hours_high + d.hours_high, 2);
                        w.usd_per_feu = round(w.usd_per_feu + d.usd_per_feu, 0);
                        continue;
                    }
                }
                dwell.push(DwellAt {
                    kind: d.kind,
                    at: named
                        .unwrap_or_else(|| namer.name(if net.layer(u) == Layer::Port && !far_call { u } else { w })),
                    leg: leg_index,
                    hours: round(d.hours, 2),
                    hours_low: round(d.hours_low, 2),
                    hours_high: round(d.hours_high, 2),
                    usd_per_feu: round(d.usd_per_feu, 0),
                    params: d.params.iter().map(|p| p.to_string()).collect(),
                });
            }
            let q = net.coord(w);
            leg.coords.push([q.lon, q.lat]);
            leg.to_coord = [q.lon, q.lat];
            if let Some(p) = net.passage(e) {
                if !leg.passages.iter().any(|x| x == p) {
                    leg.passages.push(p.to_string());
                }
                if !passages.iter().any(|x| x == p) {
                    passages.push(p.to_string());
                }
            }
            if let Some(l) = net.link(e) {
                if !leg.links.contains(&l.id) {
                    leg.links.push(l.id.clone());
                }
                if !links.iter().any(|x| x.id == l.id) {
                    links.push(LinkUse {
                        id: l.id.clone(),
                        mode: l.mode,
                        status: if l.planned { "planned" } else { "existing" },
                        km: l.km,
                        source: l.source.clone(),
                        service_interval_days: l.service_interval_days,
                    });
                }
            }
            let c = net.country(w).to_string();
            if net.is_open_water(w) {
                push_country(&mut waters, &c);
            } else if !c.is_empty() {
                push_country(&mut leg.countries, &c);
                push_country(&mut countries, &c);
                if let Some((prev, _)) = &last_land {
                    if *prev != c {
                        borders.push(Border {
                            from: prev.clone(),
                            to: c.clone(),
                            mode,
                            at: namer.name(w),
                            lat: q.lat,
                            lon: q.lon,
                        });
                    }
                }
                last_land = Some((c, w));
            }
        }
        // round and name the legs of this segment after the places at their ends
        // (a leg that ends at sea, where one water service hands over to another, is named after
        // the passage it ends in: "Bosporus (Tarabya, TR)", not a suburb on its shore)
        let end_name = |k: usize| -> String {
            let v = seg.nodes[k];
            let passage = (net.layer(v) == Layer::Sea)
                .then(|| [k.checked_sub(1), Some(k)].into_iter().flatten().filter_map(|i| seg.edges.get(i)))
                .into_iter()
                .flatten()
                .find_map(|&e| net.passage(e));
            match passage {
                Some(p) => format!("{} ({})", passage_title(p), namer.name(v)),
                None => namer.name(v),
            }
        };
        let mut node_at = 0usize;
        for leg in &mut legs[leg_start..] {
            leg.distance_km = round3(leg.distance_km);
            leg.from = end_name(node_at);
            node_at += leg.coords.len() - 1;
            leg.to = end_name(node_at);
        }
    }
    // the lifts at the two ends of the route (rail terminal or port, none at a door by road),
    // and door to door the truck between the door and the network (outside the lift)
    let intermodal = is_intermodal(&legs);
    if let (Some(first), Some(last)) = (segments.first(), segments.last()) {
        if !legs.is_empty() {
            let ends = [(first.nodes[0], 0), (*last.nodes.last().unwrap(), legs.len() - 1)];
            for (i, (node, leg)) in ends.into_iter().enumerate() {
                let end = if i == 0 { &origin } else { &destination };
                let drayage = if end.door { cost.door_truck(end.access_km, intermodal) } else { None };
                let has_drayage = drayage.is_some();
                if let Some((m, params)) = drayage {
                    legs[leg].measures += m;
                    let at = if i == 0 { 0 } else { dwell.len() };
                    dwell.insert(
                        at,
                        DwellAt {
                            kind: DwellKind::Drayage,
                            at: format!("{} ({:.0} km)", end.name, end.access_km),
                            leg,
                            hours: round(m.hours, 2),
                            hours_low: round(m.hours_low, 2),
                            hours_high: round(m.hours_high, 2),
                            usd_per_feu: round(m.usd_per_feu, 0),
                            params,
                        },
                    );
                }
                if let Some(d) = cost.end_lift(net.layer(node)) {
                    legs[leg].measures += cost.dwell_measures(&d);
                    // the origin's lift first in the list (after its drayage), the destination's
                    // last but its drayage
                    let at = match (i, has_drayage) {
                        (0, true) => 1,
                        (0, false) => 0,
                        (_, true) => dwell.len() - 1,
                        (_, false) => dwell.len(),
                    };
                    dwell.insert(
                        at,
                        DwellAt {
                            kind: d.kind,
                            at: namer.name(node),
                            leg,
                            hours: 0.0,
                            hours_low: 0.0,
                            hours_high: 0.0,
                            usd_per_feu: round(d.usd_per_feu, 0),
                            params: d.params.clone(),
                        },
                    );
                }
            }
        }
    }
    let distance_km = round3(legs.iter().map(|l| l.distance_km).sum());
    let sea_km = round3(legs.iter().filter(|l| matches!(l.mode, Mode::Sea | Mode::Ferry)).map(|l| l.distance_km).sum());
    let mut km_by_mode = std::collections::BTreeMap::new();
    for l in &legs {
        *km_by_mode.entry(l.mode).or_insert(0.0) += l.distance_km;
    }
    for v in km_by_mode.values_mut() {
        *v = round3(*v);
    }
    let transfers = legs.iter().filter(|l| l.mode == Mode::Transfer).count();
    let t = cost.tonnes_per_teu();
    let mut measures = Measures::default();
    for l in &mut legs {
        measures += l.measures;
        l.totals = Totals::from_measures(&l.measures, t);
        if matches!(l.mode, Mode::Sea | Mode::Ferry) {
            l.distance_nm = Some(round3(l.distance_km / KM_PER_NM));
        }
    }
    Route {
        objective,
        market: String::new(),
        trade_direction: None,
        trade: None,
        totals: Totals::from_measures(&measures, t),
        measures,
        dwell,
        origin,
        destination,
        via,
        distance_km,
        sea_km,
        sea_nm: round3(sea_km / KM_PER_NM),
        countries,
        waters,
        passages,
        borders,
        transfers,
        legs,
        links,
        km_by_mode,
        edges: segments.iter().flat_map(|s| s.edges.iter().copied()).collect(),
    }
}

/// Splits a polyline where it crosses the antimeridian (RFC 7946 section 3.1.9).
fn split_antimeridian(coords: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let mut parts = vec![Vec::new()];
    for (i, &p) in coords.iter().enumerate() {
        if i > 0 {
            let q = coords[i - 1];
            if (p[0] - q[0]).abs() > 180.0 {
                // interpolate the crossing latitude
                let (qx, px) = if q[0] > 0.0 { (q[0], p[0] + 360.0) } else { (q[0], p[0] - 360.0) };
                let edge = if q[0] > 0.0 { 180.0 } else { -180.0 };
                let t = if (px - qx).abs() < 1e-12 { 0.5 } else { (edge - qx) / (px - qx) };
                let lat = q[1] + t * (p[1] - q[1]);
                parts.last_mut().unwrap().push([edge, lat]);
                parts.push(vec![[-edge, lat]]);
            }
        }
        parts.last_mut().unwrap().push(p);
    }
    parts
}

/// The route as an RFC 7946 FeatureCollection: one feature per leg, properties from the leg.
pub fn geojson(route: &Route) -> serde_json::Value {
    serde_json::json!({"type": "FeatureCollection", "features": leg_features(route)})
}

/// One GeoJSON feature per leg.
fn leg_features(route: &Route) -> Vec<serde_json::Value> {
    route
        .legs
        .iter()
        .enumerate()
        .map(|(i, leg)| {
            let parts = split_antimeridian(&leg.coords);
            let geometry = if parts.len() == 1 {
                serde_json::json!({"type": "LineString", "coordinates": parts[0]})
            } else {
                serde_json::json!({"type": "MultiLineString", "coordinates": parts})
            };
            serde_json::json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "leg": i,
                    "mode": leg.mode,
                    "distance_km": leg.distance_km,
                    "from": leg.from,
                    "to": leg.to,
                    "countries": leg.countries,
                    "passages": leg.passages,
                    "links": leg.links,
                }
            })
        })
        .collect()
}

/// The best route and its alternatives as one FeatureCollection (`corridor route --format
/// geojson`): the legs of `routes[0]`, then those of each alternative with an `alternative`
/// property (1, 2, ...).
pub fn geojson_all(routes: &[Route]) -> serde_json::Value {
    let mut features = Vec::new();
    for (i, r) in routes.iter().enumerate() {
        for mut f in leg_features(r) {
            if i > 0 {
                f["properties"]["alternative"] = serde_json::json!(i);
            }
            features.push(f);
        }
    }
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use super::split_antimeridian;

    #[test]
    fn antimeridian_split() {
        let parts = split_antimeridian(&[[179.0, 10.0], [-179.0, 12.0]]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].last().unwrap()[0], 180.0);
        assert_eq!(parts[1][0][0], -180.0);
        assert!((parts[0].last().unwrap()[1] - 11.0).abs() < 1e-9);
        assert_eq!(split_antimeridian(&[[10.0, 1.0], [11.0, 1.0]]).len(), 1);
    }
}
