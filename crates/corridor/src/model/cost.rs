//! Time, cost and CO2e of every edge, for reporting and as search weights.
//!
//! An edge's measures are its moving part (km at the mode's speed, rate and emission factor) plus
//! at most one dwell event that the edge stands for:
//! * a rail or road edge whose ends lie in different countries is a border crossing (CAREC rail
//!   or road dwell and fee; a short operational stop inside a customs union);
//! * a rail edge between gauge zones (1520/1435/1676/...) is a gauge break (transshipment or bogie
//!   exchange), counted in addition to the border;
//! * a transfer edge is one port handling move (rail or road to ship or ferry);
//! * a ferry edge includes the wait for a departure (a range: low, value, high);
//! * a sea edge inside the Suez or Panama passage carries its share of the canal transit time.
//!
//! Because every measure is a sum over edges, a route's totals are the sum of its legs, and a
//! shortest path under an edge weight is exact for that objective.

use serde::Serialize;

use crate::geo::KM_PER_NM;
use crate::network::{EdgeId, EdgeKind, Network, NodeId};

use super::params::Params;

/// What a route minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    Distance,
    Time,
    Cost,
    Co2,
}

impl Objective {
    pub fn parse(s: &str) -> Option<Objective> {
        match s.trim().to_ascii_lowercase().as_str() {
            "distance" | "km" => Some(Objective::Distance),
            "time" | "days" => Some(Objective::Time),
            "cost" | "usd" => Some(Objective::Cost),
            "co2" | "co2e" | "emissions" => Some(Objective::Co2),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Objective::Distance => "distance",
            Objective::Time => "time",
            Objective::Cost => "cost",
            Objective::Co2 => "co2",
        }
    }
}

/// Additive measures of a piece of a route (per FEU for money, per TEU for emissions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    pub km: f64,
    pub hours: f64,
    /// Hours with every ranged parameter (ferry waits) at its low / high end.
    pub hours_low: f64,
    pub hours_high: f64,
    pub usd_per_feu: f64,
    /// Tank-to-wheel and well-to-wheel kg CO2e per TEU.
    pub kg_co2e_per_teu_ttw: f64,
    pub kg_co2e_per_teu: f64,
}

impl std::ops::AddAssign for Measures {
    fn add_assign(&mut self, o: Measures) {
        self.km += o.km;
        self.hours += o.hours;
        self.hours_low += o.hours_low;
        self.hours_high += o.hours_high;
        self.usd_per_feu += o.usd_per_feu;
        self.kg_co2e_per_teu_ttw += o.kg_co2e_per_teu_ttw;
        self.kg_co2e_per_teu += o.kg_co2e_per_teu;
    }
}

impl std::ops::Add for Measures {
    type Output = Measures;
    fn add(mut self, o: Measures) -> Measures {
        self += o;
        self
    }
}

/// Kinds of dwell an edge can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DwellKind {
    Border,
    CustomsUnionBorder,
    GaugeBreak,
    PortHandling,
    FerryWait,
    Canal,
}

/// A dwell event: hours and money that are not movement, with the parameter keys they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dwell {
    pub kind: DwellKind,
    pub hours: f64,
    pub hours_low: f64,
    pub hours_high: f64,
    pub usd_per_feu: f64,
    pub params: &'static [&'static str],
}

/// A change to a dwell figure: a new value or a factor on the current one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjust {
    Set(f64),
    Factor(f64),
}

impl Adjust {
    /// The adjusted value of `x`.
    pub fn apply_to(self, x: f64) -> f64 {
        match self {
            Adjust::Set(v) => v,
            Adjust::Factor(f) => x * f,
        }
    }
}

/// Which dwell events a [`DwellOverride`] changes.
#[derive(Debug, Clone, PartialEq)]
pub enum DwellTarget {
    /// Border crossings (and customs-union stops) between two countries (network country
    /// indices, either direction), optionally of one mode (rail or road) and near a point
    /// (lat, lon, radius km, measured to the crossing edge's midpoint).
    Border { a: u8, b: u8, kind: Option<EdgeKind>, near: Option<(f64, f64, f64)> },
    /// Port handling moves at a port hub (transfer edges incident to the hub).
    Port { hub: NodeId },
    /// The wait for a departure on the ferry edges of a curated link (1-based link index).
    Ferry { link: u16 },
}

/// A per-place change of dwell hours and fees (a customs agreement at one border, a port
/// expansion, a new ferry schedule). Gauge breaks and canals are not targeted.
#[derive(Debug, Clone, PartialEq)]
pub struct DwellOverride {
    pub target: DwellTarget,
    /// Hours (ranged dwell such as ferry waits: low, value and high alike).
    pub hours: Option<Adjust>,
    pub usd_per_feu: Option<Adjust>,
}

impl DwellOverride {
    fn matches(&self, net: &Network, e: EdgeId, kind: DwellKind) -> bool {
        let ei = e as usize;
        let (a, b) = (net.edge_a[ei], net.edge_b[ei]);
        match &self.target {
            DwellTarget::Border { a: ca, b: cb, kind: k, near } => {
                if !matches!(kind, DwellKind::Border | DwellKind::CustomsUnionBorder) {
                    return false;
                }
                let (x, y) = (net.node_country[a as usize], net.node_country[b as usize]);
                if !((x == *ca && y == *cb) || (x == *cb && y == *ca)) {
                    return false;
                }
                if k.is_some_and(|k| k != net.kind(e)) {
                    return false;
                }
                near.is_none_or(|(lat, lon, km)| {
                    let (p, q) = (net.coord(a), net.coord(b));
                    crate::geo::haversine_km(lat, lon, (p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0) <= km
                })
            }
            DwellTarget::Port { hub } => kind == DwellKind::PortHandling && (a == *hub || b == *hub),
            DwellTarget::Ferry { link } => kind == DwellKind::FerryWait && net.edge_link[ei] == *link,
        }
    }

    fn apply(&self, d: &mut Dwell) {
        if let Some(h) = self.hours {
            d.hours = h.apply_to(d.hours);
            d.hours_low = h.apply_to(d.hours_low);
            d.hours_high = h.apply_to(d.hours_high);
        }
        if let Some(u) = self.usd_per_feu {
            d.usd_per_feu = u.apply_to(d.usd_per_feu);
        }
    }
}

/// Per-mode coefficients resolved from the parameters.
#[derive(Debug, Clone)]
struct ModeCoef {
    kmh: f64,
    usd_km: f64,
    kg_tkm_ttw: f64,
    kg_tkm_wtt: f64,
}

/// The cost model for one network and parameter set.
#[derive(Debug, Clone)]
pub struct CostModel {
    rail: ModeCoef,
    road: ModeCoef,
    sea: ModeCoef,
    ferry: ModeCoef,
    tonnes_per_teu: f64,
    border_rail: (f64, f64),
    border_road: (f64, f64),
    union_hours: f64,
    gauge: (f64, f64),
    handling: (f64, f64),
    ferry_wait: (f64, f64, f64),
    /// Gauge zone per country index (0 = unknown: no break is assumed).
    gauge_zone: Vec<u8>,
    /// Customs union per country index (0 = none).
    union: Vec<u8>,
    /// Canal hours per km for each passage index (0 where not a canal).
    canal_h_per_km: Vec<f64>,
    /// Per-place dwell changes (scenarios), applied in order after the parameters.
    overrides: Vec<DwellOverride>,
}

impl CostModel {
    pub fn new(net: &Network, p: &Params) -> CostModel {
        let coef = |mode: &str, kmh: f64| ModeCoef {
            kmh,
            usd_km: p.get(&format!("{mode}.usd_per_feu_km")),
            kg_tkm_ttw: p.get(&format!("{mode}.kg_co2e_per_tkm_ttw")),
            kg_tkm_wtt: p.get(&format!("{mode}.kg_co2e_per_tkm_wtt")),
        };
        let zone_index = |prefix: &str| -> Vec<u8> {
            let mut v = vec![0u8; net.meta.countries.len()];
            for (zi, z) in p.zones.iter().filter(|z| z.key.starts_with(prefix)).enumerate() {
                for c in &z.countries {
                    if let Some(i) = net.country_index(c) {
                        v[i as usize] = zi as u8 + 1;
                    }
                }
            }
            v
        };
        let mut canal_km = vec![0.0f64; net.meta.passages.len()];
        for e in 0..net.edge_count() {
            canal_km[net.edge_passage[e] as usize] += net.edge_len_m[e] as f64 / 1000.0;
        }
        let mut canal_h_per_km = vec![0.0; net.meta.passages.len()];
        for (name, key) in [("suez", "canal.suez_hours"), ("panama", "canal.panama_hours")] {
            if let Some(i) = net.passage_index(name) {
                if canal_km[i as usize] > 0.0 {
                    canal_h_per_km[i as usize] = p.get(key) / canal_km[i as usize];
                }
            }
        }
        let road_kmh = p.get("road.speed_kmh") * p.get("road.driving_hours_per_day") / 24.0;
        CostModel {
            rail: coef("rail", p.get("rail.speed_km_per_day") / 24.0),
            road: coef("road", road_kmh),
            sea: coef("sea", p.get("sea.speed_knots") * KM_PER_NM),
            ferry: coef("ferry", p.get("ferry.speed_knots") * KM_PER_NM),
            tonnes_per_teu: p.get("cargo.tonnes_per_teu"),
            border_rail: (p.get("border.rail_hours"), p.get("border.rail_usd_per_feu")),
            border_road: (p.get("border.road_hours"), p.get("border.road_usd_per_feu")),
            union_hours: p.get("border.customs_union_hours"),
            gauge: (p.get("gauge.break_hours"), p.get("gauge.break_usd_per_feu")),
            handling: (p.get("port.handling_hours"), p.get("port.handling_usd_per_feu")),
            ferry_wait: p.range("ferry.wait_hours"),
            gauge_zone: zone_index("gauge."),
            union: zone_index("union."),
            canal_h_per_km,
            overrides: Vec::new(),
        }
    }

    /// The model with per-place dwell changes (applied in order; each matching override changes
    /// the figure the previous ones left).
    pub fn with_overrides(mut self, overrides: Vec<DwellOverride>) -> CostModel {
        self.overrides = overrides;
        self
    }

    /// The per-place dwell changes in force.
    pub fn overrides(&self) -> &[DwellOverride] {
        &self.overrides
    }

    fn moving(&self, c: &ModeCoef, km: f64) -> Measures {
        let h = if c.kmh > 0.0 { km / c.kmh } else { 0.0 };
        let t = self.tonnes_per_teu;
        Measures {
            km,
            hours: h,
            hours_low: h,
            hours_high: h,
            usd_per_feu: km * c.usd_km,
            kg_co2e_per_teu_ttw: km * c.kg_tkm_ttw * t,
            kg_co2e_per_teu: km * (c.kg_tkm_ttw + c.kg_tkm_wtt) * t,
        }
    }

    /// Cargo tonnes per loaded TEU (for per-tonne emissions).
    pub fn tonnes_per_teu(&self) -> f64 {
        self.tonnes_per_teu
    }

    /// Measures of `km` of road haulage (access to the network, drayage).
    pub fn road(&self, km: f64) -> Measures {
        self.moving(&self.road, km)
    }

    /// The dwell events an edge stands for (at most a border plus a gauge break).
    pub fn dwells(&self, net: &Network, e: EdgeId) -> [Option<Dwell>; 2] {
        let ei = e as usize;
        let kind = net.kind(e);
        let (a, b) = (net.edge_a[ei] as usize, net.edge_b[ei] as usize);
        let (ca, cb) = (net.node_country[a] as usize, net.node_country[b] as usize);
        let mut out: [Option<Dwell>; 2] = [None, None];
        let fixed = |kind, hours: f64, usd: f64, params: &'static [&'static str]| Dwell {
            kind,
            hours,
            hours_low: hours,
            hours_high: hours,
            usd_per_feu: usd,
            params,
        };
        match kind {
            EdgeKind::Rail | EdgeKind::Road if ca != 0 && cb != 0 && ca != cb => {
                let same_union = self.union[ca] != 0 && self.union[ca] == self.union[cb];
                if same_union {
                    out[0] = Some(fixed(
                        DwellKind::CustomsUnionBorder,
                        self.union_hours,
                        0.0,
                        &["border.customs_union_hours"],
                    ));
                } else if kind == EdgeKind::Rail {
                    out[0] = Some(fixed(
                        DwellKind::Border,
                        self.border_rail.0,
                        self.border_rail.1,
                        &["border.rail_hours", "border.rail_usd_per_feu"],
                    ));
                } else {
                    out[0] = Some(fixed(
                        DwellKind::Border,
                        self.border_road.0,
                        self.border_road.1,
                        &["border.road_hours", "border.road_usd_per_feu"],
                    ));
                }
                let (za, zb) = (self.gauge_zone[ca], self.gauge_zone[cb]);
                if kind == EdgeKind::Rail && za != 0 && zb != 0 && za != zb {
                    out[1] = Some(fixed(
                        DwellKind::GaugeBreak,
                        self.gauge.0,
                        self.gauge.1,
                        &["gauge.break_hours", "gauge.break_usd_per_feu"],
                    ));
                }
            }
            EdgeKind::TransferRail | EdgeKind::TransferRoad => {
                out[0] = Some(fixed(
                    DwellKind::PortHandling,
                    self.handling.0,
                    self.handling.1,
                    &["port.handling_hours", "port.handling_usd_per_feu"],
                ));
            }
            EdgeKind::Ferry => {
                let (lo, mid, hi) = self.ferry_wait;
                out[0] = Some(Dwell {
                    kind: DwellKind::FerryWait,
                    hours: mid,
                    hours_low: lo,
                    hours_high: hi,
                    usd_per_feu: 0.0,
                    params: &["ferry.wait_hours"],
                });
            }
            EdgeKind::Sea => {
                let h = self.canal_h_per_km[net.edge_passage[ei] as usize] * net.edge_len_m[ei] as f64 / 1000.0;
                if h > 0.0 {
                    let key: &'static [&'static str] =
                        if net.passage(e) == Some("suez") { &["canal.suez_hours"] } else { &["canal.panama_hours"] };
                    out[0] = Some(fixed(DwellKind::Canal, h, 0.0, key));
                }
            }
            _ => {}
        }
        if !self.overrides.is_empty() {
            for d in out.iter_mut().flatten() {
                for o in &self.overrides {
                    if o.matches(net, e, d.kind) {
                        o.apply(d);
                    }
                }
            }
        }
        out
    }

    /// Moving part of an edge.
    pub fn moving_part(&self, net: &Network, e: EdgeId) -> Measures {
        let km = net.edge_len_m[e as usize] as f64 / 1000.0;
        let c = match net.kind(e) {
            EdgeKind::Rail => &self.rail,
            EdgeKind::Road | EdgeKind::TransferRail | EdgeKind::TransferRoad => &self.road,
            EdgeKind::Sea => &self.sea,
            EdgeKind::Ferry => &self.ferry,
        };
        self.moving(c, km)
    }

    /// All measures of an edge: moving part plus its dwell events.
    pub fn edge(&self, net: &Network, e: EdgeId) -> Measures {
        let mut m = self.moving_part(net, e);
        for d in self.dwells(net, e).into_iter().flatten() {
            m.hours += d.hours;
            m.hours_low += d.hours_low;
            m.hours_high += d.hours_high;
            m.usd_per_feu += d.usd_per_feu;
        }
        m
    }

    /// Integer search weight of a measure set for an objective: metres, seconds, US cents per FEU
    /// or grams CO2e (well-to-wheel) per TEU.
    pub fn weight_of(m: &Measures, objective: Objective) -> u64 {
        let x = match objective {
            Objective::Distance => m.km * 1000.0,
            Objective::Time => m.hours * 3600.0,
            Objective::Cost => m.usd_per_feu * 100.0,
            Objective::Co2 => m.kg_co2e_per_teu * 1000.0,
        };
        x.round().max(0.0) as u64
    }

    /// Per-edge search weights for an objective (`None` for distance: the engine uses lengths).
    pub fn weights(&self, net: &Network, objective: Objective) -> Option<Vec<u32>> {
        if objective == Objective::Distance {
            return None;
        }
        Some(
            (0..net.edge_count() as u32)
                .map(|e| CostModel::weight_of(&self.edge(net, e), objective).min(u32::MAX as u64) as u32)
                .collect(),
        )
    }
}
