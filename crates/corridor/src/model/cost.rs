//! Time, cost and CO2e of every edge, for reporting and as search weights.
//!
//! An edge's measures are its moving part (km at the mode's speed, rate and emission factor) plus
//! the dwell events that the edge stands for:
//! * a rail or road edge whose ends lie in different countries is a border crossing: the published
//!   time and fee of that crossing point where one exists (`data/params/crossings.csv`), else the
//!   first regional default of that table whose region holds one of the two countries (CAREC,
//!   the Western Balkans, the Middle East; rail by same or different gauge), else the `border.*`
//!   parameters; a short operational stop inside a customs union;
//! * a rail edge between gauge zones (1520/1435/1676/...) is a gauge break (transshipment or bogie
//!   exchange), counted in addition to the border;
//! * a transfer edge is one port handling move (rail or road to the port's yard: the land-side
//!   lift, yard dwell and clearance);
//! * a sea edge that ends at a port hub (the approach) is a **port call**: terminal handling
//!   (ship-side lift) and port dues, half of the voyage's fixed cost, the ship's time in port, and
//!   half of the wait for a sailing (half the service interval): a sea leg has two ends, so it
//!   carries one voyage cost and one wait. The service (ocean liner, Caspian or Black Sea feeder)
//!   follows the sea area of the port;
//! * a ferry edge is a whole crossing: both port calls, the voyage cost and the wait;
//! * a sea edge inside the Suez or Panama passage carries its share of the canal time and toll.
//!
//! Money is charges per FEU; the **total logistics cost** adds the capital cost of the cargo in
//! transit (cargo value x annual rate x time), which makes it a sum over edges too. Because every
//! measure is a sum over edges, a route's totals are the sum of its legs, and a shortest path
//! under an edge weight is exact for that objective.

use serde::Serialize;

use crate::geo::KM_PER_NM;
use crate::network::{edge_flags, node_flags, EdgeId, EdgeKind, Layer, Network, NodeId};

use super::params::{Params, SpeedMode};

/// What a route minimises. [`Objective::Cost`] is the total logistics cost (charges plus the
/// capital cost of the cargo in transit), the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    Distance,
    Time,
    #[default]
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
    /// Hours with every ranged parameter (speeds, ferry waits, port dwell, a truck's crew) at its fast / slow end.
    pub hours_low: f64,
    pub hours_high: f64,
    /// Charges: freight, handling, dues, fees and tolls.
    pub usd_per_feu: f64,
    /// Capital cost of the cargo in transit (value x annual rate x hours).
    pub capital_usd_per_feu: f64,
    /// Tank-to-wheel and well-to-wheel kg CO2e per TEU.
    pub kg_co2e_per_teu_ttw: f64,
    pub kg_co2e_per_teu: f64,
}

impl Measures {
    /// Total logistics cost: charges plus capital cost in transit.
    pub fn total_usd_per_feu(&self) -> f64 {
        self.usd_per_feu + self.capital_usd_per_feu
    }
}

impl std::ops::AddAssign for Measures {
    fn add_assign(&mut self, o: Measures) {
        self.km += o.km;
        self.hours += o.hours;
        self.hours_low += o.hours_low;
        self.hours_high += o.hours_high;
        self.usd_per_feu += o.usd_per_feu;
        self.capital_usd_per_feu += o.capital_usd_per_feu;
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
    /// Land-side handling at a port: lift between truck/train and yard, yard dwell, clearance.
    PortHandling,
    /// A ship's call at a port: ship-side lift (terminal handling), dues and time in port.
    PortCall,
    /// The fixed part of a voyage's freight (half at each end of a sea leg, reported once).
    Voyage,
    /// Waiting for a sailing (half the service interval; a range where sailings are irregular).
    SailingWait,
    /// The whole wait of a ferry crossing (kept apart from [`DwellKind::SailingWait`] for
    /// scenario targets).
    FerryWait,
    /// The change of ship at a hub for a port of a feeder sea (areas `feeder`: the Baltic, Amsterdam) that
    /// deep-sea strings do not call: the box's dwell at the hub, the wait for the
    /// feeder and the feeder's freight (parameter group `feeder.`).
    Transshipment,
    Canal,
    /// The wait for a section's freight window (a gate of the parameters, `[[gate]]`: the
    /// Marmaray tunnel under the Bosporus takes freight trains between 00:00 and 05:00 only).
    TimeWindow,
    /// A war-risk insurance premium for a transit of high-risk waters (the risk layer,
    /// [`crate::risk`]; only when a query asks for it).
    WarRisk,
    /// A box's change between train and truck at an inland terminal (a dry port or a rail-road
    /// hub without a quay): one lift and the wait for the onward vehicle, without the port's
    /// clearance (`rail.transfer_hours`, `rail.terminal_usd_per_feu`). Half is charged on each of
    /// the hub's two transfer edges, reported once per hub.
    TerminalTransfer,
    /// The lift between the road vehicle of the first or last mile and the train or the port at
    /// the route's origin or destination (money only: terminal-to-terminal and port-to-port
    /// times start with the departure).
    TerminalLift,
    /// Door to door only (`--door`): the truck between the door (the place asked for) and the
    /// route's first or last node, over the access distance at the road's rate and speed, plus
    /// on an intermodal route the fixed charge of a short truck move to or from the terminal
    /// (`drayage.usd_per_feu`).
    Drayage,
}

/// Charges added per edge by a layer outside the parameters (the war-risk premiums of
/// [`crate::risk`]): US$/FEU with the keys they come from, as [`DwellKind::WarRisk`] events.
pub type EdgeCharges = std::collections::HashMap<EdgeId, Vec<(f64, Vec<String>)>>;

/// A dwell event: hours and money that are not movement, with the parameter keys (or the
/// crossing-table row, `crossing:<id>`) they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dwell {
    pub kind: DwellKind,
    pub hours: f64,
    pub hours_low: f64,
    pub hours_high: f64,
    pub usd_per_feu: f64,
    pub params: Vec<String>,
}

/// The kind of water service that moves a box on a sea or ferry edge, by the sea area it lies
/// in (`[[area]]` in the parameter file): each has its own speed, rates, port figures and
/// sailing interval (parameter groups `sea.`, `caspian.`, `blacksea.`, `ferry.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Deep-sea container liners (the open ocean and the seas connected to it).
    Ocean,
    /// Caspian ferries and feeders (a closed sea: its ports are reached only from each other).
    Caspian,
    /// Black Sea feeders, ro-ro and rail ferries.
    BlackSea,
    /// Other curated ferries (lake and strait ferries).
    Ferry,
    /// Trailer and intermodal ro-ro lines (Turkey to the EU, the Black Sea's Karasu-Constanta
    /// and Samsun-Novorossiysk): a ferry edge with an end in an area `roro` (the Turkish
    /// Marmara, Aegean and Mediterranean coasts) or at a terminal of its own (a curated line
    /// with `terminal = own`, [`node_flags::OWN_TERMINAL`]: only ro-ro lines have berths of their
    /// own); the container ships of those ports stay ocean liners.
    #[serde(rename = "roro")]
    RoRo,
}

impl Service {
    /// The parameter group of the service's figures.
    fn group(self) -> &'static str {
        match self {
            Service::Ocean => "sea",
            Service::Caspian => "caspian",
            Service::BlackSea => "blacksea",
            Service::Ferry => "ferry",
            Service::RoRo => "roro",
        }
    }
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
            DwellTarget::Port { hub } => {
                matches!(kind, DwellKind::PortHandling | DwellKind::TerminalTransfer) && (a == *hub || b == *hub)
            }
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
    /// Speeds with the ranged parameters at their fastest and slowest ends: a truck with a
    /// double-manned crew or one driver (`road.driving_hours_per_day` high and low); the other
    /// modes move at `kmh` in both.
    kmh_range: (f64, f64),
    usd_km: f64,
    /// kg CO2e per loaded TEU and km, tank-to-wheel and well-to-tank.
    kg_teu_km_ttw: f64,
    kg_teu_km_wtt: f64,
}

/// A water service's fixed figures: per port call (ship-side lift and dues, hours in port), per
/// voyage (fixed part of the freight), and the interval between sailings (days: low, value, high).
#[derive(Debug, Clone)]
struct WaterCoef {
    moving: ModeCoef,
    call_usd: f64,
    /// Hours in port per call (low, value, high).
    port_hours: (f64, f64, f64),
    voyage_usd: f64,
    interval_days: (f64, f64, f64),
    /// Hours of a transfer between land and this service's ships at its ports (low, value,
    /// high), where it has its own figure (`{group}.handling_hours`); else `port.handling_hours`.
    handling_hours: Option<(f64, f64, f64)>,
}

/// A published border-crossing point (`data/params/crossings.csv`) resolved to country indices.
#[derive(Debug, Clone)]
struct CrossingCoef {
    id: String,
    a: u8,
    b: u8,
    kind: EdgeKind,
    lat: f64,
    lon: f64,
    radius_km: f64,
    hours: (f64, f64, f64),
    usd: Option<f64>,
    includes_gauge_break: bool,
}

/// A regional default border time (`data/params/crossings.csv`, rows with a `region`): borders
/// of `kind` touching one of `members` (by network country index), optionally only where the
/// two sides run the same gauge (`Some(true)`) or different ones (`Some(false)`).
#[derive(Debug, Clone)]
struct RegionalBorder {
    id: String,
    kind: EdgeKind,
    members: Vec<bool>,
    same_gauge: Option<bool>,
    hours: (f64, f64, f64),
    usd: Option<f64>,
    includes_gauge_break: bool,
}

/// The cost model for one network and parameter set.
#[derive(Debug, Clone)]
pub struct CostModel {
    /// Rail by speed zone: index 0 moves at `rail.speed_km_per_day`, index i at the speed of the
    /// i-th `rail_speed.<name>` zone (`rail.speed_<name>_km_per_day`).
    rail: Vec<ModeCoef>,
    /// The rail speed zone of each country index (0: none).
    rail_zone: Vec<u8>,
    /// Rail emissions by traction per country index (kg CO2e per TEU-km, TTW and WTT) where the
    /// country's electric share and grid are given; None: the mode's factor.
    rail_traction: Vec<Option<(f64, f64)>>,
    /// Road by speed zone, as rail: index 0 at `road.speed_kmh`, index i at the i-th
    /// `road_speed.<name>` zone's `road.speed_<name>_kmh` (both per driving hour).
    road: Vec<ModeCoef>,
    /// The road speed zone of each country index (0: none).
    road_zone: Vec<u8>,
    water: [WaterCoef; 5],
    tonnes_per_teu: f64,
    /// Capital cost of the cargo per FEU and hour in transit (US$).
    capital_usd_per_hour: f64,
    border_rail: (f64, f64),
    border_road: (f64, f64),
    union_hours: f64,
    gauge: (f64, f64),
    /// Port handling hours (low, value, high) and fee.
    handling: (f64, f64, f64, f64),
    /// The lift at a rail terminal at the route's origin or destination (US$/FEU).
    rail_terminal_usd: f64,
    /// The fixed charge of a truck move between a door and a rail terminal or a port (US$/FEU;
    /// door-to-door queries only).
    drayage_usd: f64,
    /// A train-truck change at an inland terminal, hours (low, value, high).
    rail_transfer_hours: (f64, f64, f64),
    /// Sea areas: (service, min_lat, max_lat, min_lon, max_lon).
    areas: Vec<(Service, [f64; 4])>,
    /// The coasts of the ro-ro lines (areas `roro`): a ferry edge with an end inside is a
    /// [`Service::RoRo`] crossing.
    roro: Vec<[f64; 4]>,
    /// The North Range extension of the Asia-Europe strings (areas `north_range`: Gibraltar to
    /// the North Sea) and the share of the ocean rate per km charged there
    /// (`sea.rate_factor_north_range`): lanes are priced per trade, and the WCI has
    /// Shanghai-Genoa at or above Shanghai-Rotterdam though Genoa is 3,600 km closer.
    north_range: (Vec<[f64; 4]>, f64),
    /// The waters of the short-sea trade (areas `short_sea`: Europe, the Mediterranean, the
    /// Black Sea, the Caucasus): a query with both ends inside is priced at the `shortsea.*` line
    /// ([`crate::model::params::Trade::ShortSea`]).
    short_sea: Vec<[f64; 4]>,
    /// Feeder seas (areas `feeder`), the direct-call terminals inside them (areas
    /// `direct_call`), and the transshipment of a feeder port: hours at the hub (low, central,
    /// high), the feeder's sailing interval in days (low, central, high) and the feeder freight.
    feeder: FeederCoef,
    crossings: Vec<CrossingCoef>,
    /// Regional defaults for the borders no crossing point covers, in table order.
    regional_borders: Vec<RegionalBorder>,
    /// Gauge zone per country index (0 = unknown: no break is assumed).
    gauge_zone: Vec<u8>,
    /// Customs union per country index (0 = none).
    union: Vec<u8>,
    /// Canal hours and toll (US$/FEU) per km for each passage index (0 where not a canal).
    canal_per_km: Vec<(f64, f64)>,
    /// The gates of the parameters (`[[gate]]`) and the edges that cross each (sorted).
    gates: Vec<GateCoef>,
    /// Per-place dwell changes (scenarios), applied in order after the parameters.
    overrides: Vec<DwellOverride>,
    /// Per-edge war-risk charges (the risk layer), none by default.
    charges: Option<std::sync::Arc<EdgeCharges>>,
}

/// A gate of the parameters resolved on the network: its name, its wait (low, central, high
/// hours) with the parameter key, and the edges that cross its line.
#[derive(Debug, Clone)]
struct GateCoef {
    name: String,
    hours: (f64, f64, f64),
    key: String,
    edges: Vec<EdgeId>,
}

/// Whether segments p-q and r-s (points as (lat, lon)) cross (touching counts).
fn segments_cross(p: (f64, f64), q: (f64, f64), r: (f64, f64), s: (f64, f64)) -> bool {
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if v > 0.0 {
            1
        } else if v < 0.0 {
            -1
        } else {
            0
        }
    };
    let (d1, d2, d3, d4) = (orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s));
    d1 * d2 <= 0 && d3 * d4 <= 0 && !(d1 == 0 && d2 == 0 && d3 == 0 && d4 == 0)
}

/// How far (degrees) beyond a gate line's box an edge crossing it may have both its ends: the
/// network's edges join coarse OpenStreetMap nodes a few km apart, far less than this.
const GATE_REACH_DEG: f64 = 0.5;

/// The edges of `gate`'s mode whose straight segment crosses its line (sorted). Only the nodes
/// near the line are visited (one pass over the node coordinates), not every edge of the world.
fn gate_edges(net: &Network, gate: &crate::model::params::Gate) -> Vec<EdgeId> {
    let kind = if gate.mode == "rail" { EdgeKind::Rail } else { EdgeKind::Road };
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &[lat, lon] in &gate.line {
        (lat0, lat1, lon0, lon1) = (lat0.min(lat), lat1.max(lat), lon0.min(lon), lon1.max(lon));
    }
    // the node columns as slices, compared in micro-degrees: one tight pass over 850,000 nodes
    let e6 = |deg: f64| (deg * 1e6).round() as i32;
    let (la0, la1) = (e6(lat0 - GATE_REACH_DEG), e6(lat1 + GATE_REACH_DEG));
    let (lo0, lo1) = (e6(lon0 - GATE_REACH_DEG), e6(lon1 + GATE_REACH_DEG));
    let (lats, lons): (&[i32], &[i32]) = (&net.lat_e6, &net.lon_e6);
    let mut edges: Vec<EdgeId> = (0..lats.len())
        .filter(|&v| (la0..=la1).contains(&lats[v]) && (lo0..=lo1).contains(&lons[v]))
        .map(|v| v as NodeId)
        .flat_map(|v| net.arcs(v).map(|(_, _, e)| e))
        .filter(|&e| net.kind(e) == kind)
        .filter(|&e| {
            let (a, b) = (net.coord(net.edge_a[e as usize]), net.coord(net.edge_b[e as usize]));
            gate.line
                .windows(2)
                .any(|w| segments_cross((a.lat, a.lon), (b.lat, b.lon), (w[0][0], w[0][1]), (w[1][0], w[1][1])))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// The hub-and-feeder service of the ports of feeder seas (see [`DwellKind::Transshipment`]).
#[derive(Debug, Clone, Default)]
struct FeederCoef {
    seas: Vec<[f64; 4]>,
    direct: Vec<[f64; 4]>,
    hub_hours: (f64, f64, f64),
    interval_days: (f64, f64, f64),
    usd: f64,
}

fn in_box(b: &[f64; 4], lat: f64, lon: f64) -> bool {
    (b[0]..=b[1]).contains(&lat) && (b[2]..=b[3]).contains(&lon)
}

/// Rail emissions by traction for each country index of `net` (kg CO2e per TEU-km, TTW and
/// WTT) where the parameters give its electric share (`rail.electric_share_<cc>`) and grid
/// intensity (`grid.kg_co2e_per_kwh_<cc>`): the diesel part at the diesel container train's
/// factor, the electric part at kWh per t-km x the grid, all upstream (nothing at the wheel).
fn rail_traction(net: &Network, p: &Params) -> Vec<Option<(f64, f64)>> {
    let t = p.get("cargo.tonnes_per_teu");
    let kwh = p.get("rail.kwh_per_tkm_electric");
    let (d_ttw, d_wtt) = (p.get("rail.kg_co2e_per_tkm_diesel_ttw"), p.get("rail.kg_co2e_per_tkm_diesel_wtt"));
    net.meta
        .countries
        .iter()
        .map(|c| {
            let cc = c.to_ascii_lowercase();
            let share = p.param(&format!("rail.electric_share_{cc}"))?.value;
            let grid = p.param(&format!("grid.kg_co2e_per_kwh_{cc}"))?.value;
            let diesel = 1.0 - share;
            Some((diesel * d_ttw * t, (diesel * d_wtt + share * kwh * grid) * t))
        })
        .collect()
}

impl CostModel {
    pub fn new(net: &Network, p: &Params) -> CostModel {
        let tonnes_per_teu = p.get("cargo.tonnes_per_teu");
        // Emission factors per tonne-km (DEFRA) count per TEU at the cargo's tonnes per TEU;
        // ocean liner factors are published per TEU-km (Clean Cargo, GLEC allocate a container
        // ship's emissions by TEU, not by weight), so a heavier box does not change them.
        // `kmh` is (fastest, central, slowest) per calendar hour: moving time ranges with the
        // speed parameter's published high and low, like every other ranged figure
        let coef = |mode: &str, emissions: &str, (fast, kmh, slow): (f64, f64, f64)| {
            let per_teu_km = |part: &str| match p.param(&format!("{emissions}.kg_co2e_per_teu_km_{part}")) {
                Some(f) => f.value,
                None => p.get(&format!("{emissions}.kg_co2e_per_tkm_{part}")) * tonnes_per_teu,
            };
            ModeCoef {
                kmh,
                kmh_range: (fast, slow),
                usd_km: p.get(&format!("{mode}.usd_per_feu_km")),
                kg_teu_km_ttw: per_teu_km("ttw"),
                kg_teu_km_wtt: per_teu_km("wtt"),
            }
        };
        let water = |s: Service| {
            let g = s.group();
            // Ocean liner strings run ships of 8,000 TEU and more (`sea.vessel_teu`), with the
            // Asia-North Europe trade's factor per TEU-km; DEFRA's average container ship per
            // tonne-km stands for the feeders of closed and regional seas.
            let emissions = match s {
                Service::Ocean => "sea_large",
                Service::Caspian | Service::BlackSea => "sea",
                Service::Ferry | Service::RoRo => "ferry",
            };
            WaterCoef {
                moving: {
                    let (low, knots, high) = p.range(&format!("{g}.speed_knots"));
                    coef(g, emissions, (high * KM_PER_NM, knots * KM_PER_NM, low * KM_PER_NM))
                },
                call_usd: p.get(&format!("{g}.call_usd_per_feu")),
                port_hours: p.range(&format!("{g}.port_hours")),
                voyage_usd: p.get(&format!("{g}.voyage_usd_per_feu")),
                interval_days: p.range(&format!("{g}.service_interval_days")),
                handling_hours: p
                    .param(&format!("{g}.handling_hours"))
                    .map(|_| p.range(&format!("{g}.handling_hours"))),
            }
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
        // the canal's own length: its lanes in the original maritime layer, not their copies
        // (one per sea trade closed to liners), which carry the same share per km
        for e in (0..net.edge_count()).filter(|&e| net.edge_flags[e] & edge_flags::SEA_COPY == 0) {
            canal_km[net.edge_passage[e] as usize] += net.edge_len_m[e] as f64 / 1000.0;
        }
        let mut canal_per_km = vec![(0.0, 0.0); net.meta.passages.len()];
        for name in ["suez", "panama"] {
            if let Some(i) = net.passage_index(name) {
                let km = canal_km[i as usize];
                if km > 0.0 {
                    canal_per_km[i as usize] =
                        (p.get(&format!("canal.{name}_hours")) / km, p.get(&format!("canal.{name}_usd_per_feu")) / km);
                }
            }
        }
        let areas = p
            .areas
            .iter()
            .filter_map(|a| {
                let s = match a.key.as_str() {
                    "caspian" => Service::Caspian,
                    "blacksea" => Service::BlackSea,
                    _ => return None,
                };
                Some((s, [a.min_lat, a.max_lat, a.min_lon, a.max_lon]))
            })
            .collect();
        let crossings = p
            .crossings
            .iter()
            .filter_map(|c| {
                Some(CrossingCoef {
                    id: c.id.clone(),
                    a: net.country_index(&c.a)?,
                    b: net.country_index(&c.b)?,
                    kind: if c.mode == "rail" { EdgeKind::Rail } else { EdgeKind::Road },
                    lat: c.lat?,
                    lon: c.lon?,
                    radius_km: c.radius_km,
                    hours: (c.hours_low, c.hours, c.hours_high),
                    usd: c.usd_per_feu,
                    includes_gauge_break: c.includes_gauge_break,
                })
            })
            .collect();
        let regional_borders = p
            .crossings
            .iter()
            .filter(|c| c.is_regional())
            .map(|c| {
                let mut members = vec![false; net.meta.countries.len()];
                for cc in &c.region {
                    if let Some(i) = net.country_index(cc) {
                        members[i as usize] = true;
                    }
                }
                RegionalBorder {
                    id: c.id.clone(),
                    kind: if c.mode == "rail" { EdgeKind::Rail } else { EdgeKind::Road },
                    members,
                    same_gauge: match c.gauge.as_str() {
                        "same" => Some(true),
                        "break" => Some(false),
                        _ => None,
                    },
                    hours: (c.hours_low, c.hours, c.hours_high),
                    usd: c.usd_per_feu,
                    includes_gauge_break: c.includes_gauge_break,
                }
            })
            .collect();
        let (one_driver, driving, two_drivers) = p.range("road.driving_hours_per_day");
        // each zone's speed key and rate (`Params::zone_rate_key`), the default zone first;
        // `per_hour` turns a zone's speed (low, value, high) into speeds per calendar hour:
        // (fastest, central, slowest)
        let zoned_coefs = |mode: SpeedMode, per_hour: &dyn Fn((f64, f64, f64)) -> (f64, f64, f64)| -> Vec<ModeCoef> {
            let group = mode.name();
            std::iter::once((mode.speed_key(None), None))
                .chain(p.speed_zones(mode).map(|(z, key)| (key, Some(z))))
                .map(|(speed_key, zone)| {
                    let rate = p.zone_rate_key(mode, zone);
                    ModeCoef { usd_km: p.get(&rate), ..coef(group, group, per_hour(p.range(&speed_key))) }
                })
                .collect()
        };
        // the boxes of the parameter file's areas with key `key`
        let boxes = |key: &str| -> Vec<[f64; 4]> {
            p.areas.iter().filter(|a| a.key == key).map(|a| [a.min_lat, a.max_lat, a.min_lon, a.max_lon]).collect()
        };
        let feu_value = 2.0 * p.get("cargo.value_usd_per_teu");
        CostModel {
            rail: zoned_coefs(SpeedMode::Rail, &|(low, km_per_day, high)| (high / 24.0, km_per_day / 24.0, low / 24.0)),
            rail_zone: zone_index(SpeedMode::Rail.zone_prefix()),
            // a truck's fastest: the zone's high speed with a double-manned crew; its slowest: the
            // low speed with one driver
            road: zoned_coefs(SpeedMode::Road, &|(low, kmh, high)| {
                (high * two_drivers / 24.0, kmh * driving / 24.0, low * one_driver / 24.0)
            }),
            road_zone: zone_index(SpeedMode::Road.zone_prefix()),
            rail_traction: rail_traction(net, p),
            water: [
                water(Service::Ocean),
                water(Service::Caspian),
                water(Service::BlackSea),
                water(Service::Ferry),
                water(Service::RoRo),
            ],
            tonnes_per_teu: p.get("cargo.tonnes_per_teu"),
            capital_usd_per_hour: feu_value * p.get("cargo.capital_rate_per_year") / (365.0 * 24.0),
            border_rail: (p.get("border.rail_hours"), p.get("border.rail_usd_per_feu")),
            border_road: (p.get("border.road_hours"), p.get("border.road_usd_per_feu")),
            union_hours: p.get("border.customs_union_hours"),
            gauge: (p.get("gauge.break_hours"), p.get("gauge.break_usd_per_feu")),
            handling: {
                let (lo, mid, hi) = p.range("port.handling_hours");
                (lo, mid, hi, p.get("port.handling_usd_per_feu"))
            },
            rail_terminal_usd: p.get("rail.terminal_usd_per_feu"),
            drayage_usd: p.get("drayage.usd_per_feu"),
            rail_transfer_hours: p.range("rail.transfer_hours"),
            areas,
            north_range: (boxes("north_range"), p.param("sea.rate_factor_north_range").map_or(1.0, |f| f.value)),
            short_sea: boxes("short_sea"),
            roro: boxes("roro"),
            feeder: {
                let seas = boxes("feeder");
                let none = ["feeder.hub_hours", "feeder.service_interval_days", "feeder.usd_per_feu"]
                    .iter()
                    .all(|k| p.param(k).is_none_or(|f| f.value == 0.0 && f.high.is_none_or(|h| h == 0.0)));
                // no feeder seas, or a service that calls feeder ports itself (the short-sea trade)
                if seas.is_empty() || none {
                    FeederCoef::default()
                } else {
                    FeederCoef {
                        seas,
                        direct: boxes("direct_call"),
                        hub_hours: p.range("feeder.hub_hours"),
                        interval_days: p.range("feeder.service_interval_days"),
                        usd: p.get("feeder.usd_per_feu"),
                    }
                }
            },
            crossings,
            regional_borders,
            gauge_zone: zone_index("gauge."),
            union: zone_index("union."),
            canal_per_km,
            gates: p
                .gates
                .iter()
                .map(|g| GateCoef {
                    name: g.name.clone(),
                    hours: p.range(&g.hours),
                    key: g.hours.clone(),
                    edges: gate_edges(net, g),
                })
                .collect(),
            overrides: Vec::new(),
            charges: None,
        }
    }

    /// The gate an edge crosses, if any (its name: where the route waits for the window).
    pub fn gate_name(&self, e: EdgeId) -> Option<&str> {
        self.gate_of(e).map(|g| g.name.as_str())
    }

    fn gate_of(&self, e: EdgeId) -> Option<&GateCoef> {
        self.gates.iter().find(|g| g.edges.binary_search(&e).is_ok())
    }

    /// The model with per-edge charges added as [`DwellKind::WarRisk`] events (they only raise
    /// edge weights, so every prepared lower bound stays valid).
    pub fn with_charges(mut self, charges: std::sync::Arc<EdgeCharges>) -> CostModel {
        self.charges = Some(charges);
        self
    }

    /// The per-edge charges of [`CostModel::with_charges`], if any.
    pub fn charges(&self) -> Option<&EdgeCharges> {
        self.charges.as_deref()
    }

    /// The charges, shared (to give another cost model the same).
    pub fn charges_arc(&self) -> Option<std::sync::Arc<EdgeCharges>> {
        self.charges.clone()
    }

    /// The edges that carry a charge of [`CostModel::with_charges`].
    pub fn charged_edges(&self) -> Vec<EdgeId> {
        self.charges.as_ref().map(|c| c.keys().copied().collect()).unwrap_or_default()
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
        let at = |kmh: f64| if kmh > 0.0 { km / kmh } else { 0.0 };
        let h = at(c.kmh);
        Measures {
            km,
            hours: h,
            hours_low: at(c.kmh_range.0),
            hours_high: at(c.kmh_range.1),
            usd_per_feu: km * c.usd_km,
            capital_usd_per_feu: h * self.capital_usd_per_hour,
            kg_co2e_per_teu_ttw: km * c.kg_teu_km_ttw,
            kg_co2e_per_teu: km * (c.kg_teu_km_ttw + c.kg_teu_km_wtt),
        }
    }

    /// Cargo tonnes per loaded TEU (for per-tonne emissions).
    pub fn tonnes_per_teu(&self) -> f64 {
        self.tonnes_per_teu
    }

    /// Capital cost of the cargo (US$ per FEU) for a number of hours in transit.
    pub fn capital_usd(&self, hours: f64) -> f64 {
        hours * self.capital_usd_per_hour
    }

    /// Measures of `km` of road haulage (access to the network, drayage).
    pub fn road(&self, km: f64) -> Measures {
        self.moving(&self.road[0], km)
    }

    /// The water service at a point (by the sea areas of the parameters; elsewhere the ocean).
    pub fn service_at(&self, lat: f64, lon: f64) -> Service {
        self.areas.iter().find(|(_, b)| in_box(b, lat, lon)).map_or(Service::Ocean, |a| a.0)
    }

    /// The water service of a sea or ferry edge (None for land and transfer edges): a ferry in
    /// a sea area takes that area's service, other ferries the generic ferry figures; a sea edge
    /// takes the area of its port end (an approach) or of its midpoint.
    pub fn service(&self, net: &Network, e: EdgeId) -> Option<Service> {
        let ei = e as usize;
        let (a, b) = (net.edge_a[ei], net.edge_b[ei]);
        let at = |v: NodeId| {
            let c = net.coord(v);
            self.service_at(c.lat, c.lon)
        };
        match net.kind(e) {
            EdgeKind::Ferry => {
                let on_roro_coast = |v: NodeId| {
                    let c = net.coord(v);
                    net.node_flags[v as usize] & node_flags::OWN_TERMINAL != 0
                        || self.roro.iter().any(|bx| in_box(bx, c.lat, c.lon))
                };
                Some(if on_roro_coast(a) || on_roro_coast(b) {
                    Service::RoRo
                } else {
                    match at(a) {
                        Service::Ocean => Service::Ferry,
                        s => s,
                    }
                })
            }
            EdgeKind::Sea => Some(match self.port_end(net, e) {
                Some(h) => at(h),
                None => {
                    let (p, q) = (net.coord(a), net.coord(b));
                    self.service_at((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0)
                }
            }),
            _ => None,
        }
    }

    /// The port hub of a sea approach edge (None for other edges).
    fn port_end(&self, net: &Network, e: EdgeId) -> Option<NodeId> {
        let ei = e as usize;
        let (a, b) = (net.edge_a[ei], net.edge_b[ei]);
        if net.kind(e) != EdgeKind::Sea {
            return None;
        }
        [a, b].into_iter().find(|&v| net.layer(v) == crate::network::Layer::Port)
    }

    /// The border dwell of a crossing edge, and whether it already includes a change of gauge.
    fn border_dwell(&self, net: &Network, e: EdgeId, kind: EdgeKind, ca: usize, cb: usize) -> (Dwell, bool) {
        let ei = e as usize;
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        if self.union[ca] != 0 && self.union[ca] == self.union[cb] {
            let d = Dwell {
                kind: DwellKind::CustomsUnionBorder,
                hours: self.union_hours,
                hours_low: self.union_hours,
                hours_high: self.union_hours,
                usd_per_feu: 0.0,
                params: keys(&["border.customs_union_hours"]),
            };
            return (d, false);
        }
        let (default_h, default_usd, keys_default) = if kind == EdgeKind::Rail {
            (self.border_rail.0, self.border_rail.1, ["border.rail_hours", "border.rail_usd_per_feu"])
        } else {
            (self.border_road.0, self.border_road.1, ["border.road_hours", "border.road_usd_per_feu"])
        };
        // a crossing table row (a point or a regional default): its figures, the parameter
        // default for a fee it does not publish
        let from_row = |id: &str, hours: (f64, f64, f64), usd: Option<f64>, includes_gauge_break: bool| {
            let mut params = vec![format!("crossing:{id}")];
            if usd.is_none() {
                params.push(keys_default[1].to_string());
            }
            let d = Dwell {
                kind: DwellKind::Border,
                hours: hours.1,
                hours_low: hours.0,
                hours_high: hours.2,
                usd_per_feu: usd.unwrap_or(default_usd),
                params,
            };
            (d, includes_gauge_break)
        };
        if !self.crossings.is_empty() {
            let (p, q) = (net.coord(net.edge_a[ei]), net.coord(net.edge_b[ei]));
            let (mlat, mlon) = ((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0);
            let (x, y) = (ca as u8, cb as u8);
            let hit = self.crossings.iter().find(|c| {
                c.kind == kind
                    && ((c.a == x && c.b == y) || (c.a == y && c.b == x))
                    && crate::geo::haversine_km(c.lat, c.lon, mlat, mlon) <= c.radius_km
            });
            if let Some(c) = hit {
                return from_row(&c.id, c.hours, c.usd, c.includes_gauge_break);
            }
        }
        let (za, zb) = (self.gauge_zone[ca], self.gauge_zone[cb]);
        let same_gauge = za == 0 || zb == 0 || za == zb;
        let regional = self.regional_borders.iter().find(|r| {
            r.kind == kind && (r.members[ca] || r.members[cb]) && r.same_gauge.is_none_or(|s| s == same_gauge)
        });
        if let Some(r) = regional {
            return from_row(&r.id, r.hours, r.usd, r.includes_gauge_break);
        }
        let d = Dwell {
            kind: DwellKind::Border,
            hours: default_h,
            hours_low: default_h,
            hours_high: default_h,
            usd_per_feu: default_usd,
            params: keys(&keys_default),
        };
        (d, false)
    }

    /// One port call of a water service, the `share` of the voyage's fixed freight and of the
    /// wait for a sailing it carries (one half at each end of a sea leg; a ferry edge, a whole
    /// crossing, takes the whole and a second call).
    fn port_call(&self, s: Service, share: f64) -> [Dwell; 3] {
        let w = &self.water[s as usize];
        let g = s.group();
        let wait = |days: f64| days * 24.0 / 2.0 * share;
        [
            Dwell {
                kind: DwellKind::PortCall,
                hours: w.port_hours.1,
                hours_low: w.port_hours.0,
                hours_high: w.port_hours.2,
                usd_per_feu: w.call_usd,
                params: vec![format!("{g}.call_usd_per_feu"), format!("{g}.port_hours")],
            },
            Dwell {
                kind: DwellKind::Voyage,
                hours: 0.0,
                hours_low: 0.0,
                hours_high: 0.0,
                usd_per_feu: w.voyage_usd * share,
                params: vec![format!("{g}.voyage_usd_per_feu")],
            },
            Dwell {
                kind: if s == Service::Ocean { DwellKind::SailingWait } else { DwellKind::FerryWait },
                hours: wait(w.interval_days.1),
                hours_low: wait(w.interval_days.0),
                hours_high: wait(w.interval_days.2),
                usd_per_feu: 0.0,
                params: vec![format!("{g}.service_interval_days")],
            },
        ]
    }

    /// The dwell events an edge stands for (a border and a gauge break; a port call and a wait;
    /// a canal transit).
    pub fn dwells(&self, net: &Network, e: EdgeId) -> Vec<Dwell> {
        let ei = e as usize;
        let kind = net.kind(e);
        let (a, b) = (net.edge_a[ei] as usize, net.edge_b[ei] as usize);
        let (ca, cb) = (net.node_country[a] as usize, net.node_country[b] as usize);
        let mut out: Vec<Dwell> = Vec::new();
        let fixed = |kind, hours: f64, usd: f64, params: &[&str]| Dwell {
            kind,
            hours,
            hours_low: hours,
            hours_high: hours,
            usd_per_feu: usd,
            params: params.iter().map(|s| s.to_string()).collect(),
        };
        match kind {
            EdgeKind::Rail | EdgeKind::Road if ca != 0 && cb != 0 && ca != cb => {
                let (border, gauge_included) = self.border_dwell(net, e, kind, ca, cb);
                out.push(border);
                let (za, zb) = (self.gauge_zone[ca], self.gauge_zone[cb]);
                if kind == EdgeKind::Rail && za != 0 && zb != 0 && za != zb && !gauge_included {
                    out.push(fixed(
                        DwellKind::GaugeBreak,
                        self.gauge.0,
                        self.gauge.1,
                        &["gauge.break_hours", "gauge.break_usd_per_feu"],
                    ));
                }
            }
            _ => {}
        }
        if let Some(g) = self.gate_of(e) {
            let (lo, mid, hi) = g.hours;
            out.push(Dwell {
                hours_low: lo,
                hours_high: hi,
                ..fixed(DwellKind::TimeWindow, mid, 0.0, &[g.key.as_str()])
            });
        }
        match kind {
            EdgeKind::TransferRail | EdgeKind::TransferRoad => {
                let (a, b) = (net.edge_a[ei], net.edge_b[ei]);
                let hub = if net.layer(a) == Layer::Port { a } else { b };
                let waterside = net.arcs(hub).any(|(_, _, x)| matches!(net.kind(x), EdgeKind::Sea | EdgeKind::Ferry));
                if waterside {
                    // land-side handling and clearance at a port; a port of a closed or regional
                    // sea whose service has its own transfer time (block trains roll onto the
                    // Caspian ferries or are re-loaded in hours, with no import clearance:
                    // `caspian.handling_hours`)
                    let (mut lo, mut mid, mut hi, usd) = self.handling;
                    let mut hours_key = "port.handling_hours".to_string();
                    let c = net.coord(hub);
                    // the sea area's service, else the one service of every line calling there
                    // (the Lake Van train ferry's ports lie in no sea area); a port also served by
                    // other lines (Mersin: container ships and ro-ro) keeps the port's figure, as
                    // the transfer cannot tell which line the box takes
                    let area = self.service_at(c.lat, c.lon);
                    let mut lines = net.arcs(hub).filter_map(|(_, _, x)| self.service(net, x));
                    let only = lines.next().filter(|&first| lines.all(|s| s == first));
                    let s = match only {
                        Some(line) if self.water[area as usize].handling_hours.is_none() => line,
                        _ => area,
                    };
                    if let Some(h) = self.water[s as usize].handling_hours {
                        (lo, mid, hi) = h;
                        hours_key = format!("{}.handling_hours", s.group());
                    }
                    let keys = [hours_key.as_str(), "port.handling_usd_per_feu"];
                    out.push(Dwell {
                        hours_low: lo,
                        hours_high: hi,
                        ..fixed(DwellKind::PortHandling, mid, usd, &keys)
                    });
                } else {
                    // an inland terminal: a train-truck change is one lift and no clearance, half
                    // on each of the hub's two transfer edges (a box enters by one, leaves by one)
                    let (lo, mid, hi) = self.rail_transfer_hours;
                    let keys = ["rail.transfer_hours", "rail.terminal_usd_per_feu"];
                    let half = fixed(DwellKind::TerminalTransfer, mid / 2.0, self.rail_terminal_usd / 2.0, &keys);
                    out.push(Dwell { hours_low: lo / 2.0, hours_high: hi / 2.0, ..half });
                }
            }
            EdgeKind::Ferry => {
                // a whole crossing: two port calls, one voyage and one wait
                let s = self.service(net, e).unwrap_or(Service::Ferry);
                let [call, voyage, mut wait] = self.port_call(s, 1.0);
                // a line with a published schedule waits half its own interval
                if let Some((id, days)) = net.link(e).and_then(|l| Some((&l.id, l.service_interval_days?))) {
                    let h = days * 24.0 / 2.0;
                    (wait.hours, wait.hours_low, wait.hours_high) = (h, h, h);
                    wait.params = vec![format!("link:{id}.service_interval_days")];
                }
                out.extend([call.clone(), call, voyage, wait]);
            }
            EdgeKind::Sea => {
                if let Some(hub) = self.port_end(net, e) {
                    let s = self.service(net, e).unwrap_or(Service::Ocean);
                    out.extend(self.port_call(s, 0.5));
                    if s == Service::Ocean && self.is_feeder_port(net, hub) {
                        out.push(self.transshipment());
                    }
                }
                let (h, usd) = self.canal_per_km[net.edge_passage[ei] as usize];
                if h > 0.0 || usd > 0.0 {
                    let km = net.edge_len_m[ei] as f64 / 1000.0;
                    let keys: &[&str] = if net.passage(e) == Some("suez") {
                        &["canal.suez_hours", "canal.suez_usd_per_feu"]
                    } else {
                        &["canal.panama_hours", "canal.panama_usd_per_feu"]
                    };
                    out.push(fixed(DwellKind::Canal, h * km, usd * km, keys));
                }
            }
            _ => {}
        }
        if !self.overrides.is_empty() {
            for d in out.iter_mut() {
                for o in &self.overrides {
                    if o.matches(net, e, d.kind) {
                        o.apply(d);
                    }
                }
            }
        }
        if let Some(charges) = self.charges.as_ref().and_then(|c| c.get(&e)) {
            for (usd, params) in charges {
                out.push(Dwell {
                    kind: DwellKind::WarRisk,
                    hours: 0.0,
                    hours_low: 0.0,
                    hours_high: 0.0,
                    usd_per_feu: *usd,
                    params: params.clone(),
                });
            }
        }
        out
    }

    /// The lift at a route's origin or destination on a node of `layer`: a rail terminal's lift
    /// (`rail.terminal_usd_per_feu`), or at a port the land-side half of the terminal handling
    /// charge (`port.handling_usd_per_feu`; the ship-side half is in the port call); none on the
    /// road (the truck is at the door). A query-side charge: it depends only on where the route
    /// starts and ends, so every prepared bound stays exact.
    pub fn end_lift(&self, layer: crate::network::Layer) -> Option<Dwell> {
        let (usd, key) = match layer {
            crate::network::Layer::Rail => (self.rail_terminal_usd, "rail.terminal_usd_per_feu"),
            crate::network::Layer::Port => (self.handling.3, "port.handling_usd_per_feu"),
            _ => return None,
        };
        Some(Dwell {
            kind: DwellKind::TerminalLift,
            hours: 0.0,
            hours_low: 0.0,
            hours_high: 0.0,
            usd_per_feu: usd,
            params: vec![key.to_string()],
        })
    }

    /// Door to door (`--door`): the truck between the door and a route's end, `access_km` away,
    /// at the road's rate and speed (as the search's access cost, [`CostModel::road`]) plus, on
    /// an intermodal route (a leg by rail or container ship), the drayage charge of a short truck move
    /// to or from the terminal or port (`drayage.usd_per_feu`): a route by road alone is one
    /// truck from door to door. None where there is nothing to drive or pay.
    pub fn door_truck(&self, access_km: f64, intermodal: bool) -> Option<(Measures, Vec<String>)> {
        let fixed = if intermodal { self.drayage_usd } else { 0.0 };
        if fixed == 0.0 && access_km <= 0.0 {
            return None;
        }
        let mut m = self.road(access_km.max(0.0));
        // the km are the access distance, reported with the endpoint, not network km
        m.km = 0.0;
        m.usd_per_feu += fixed;
        let mut keys = vec!["road.usd_per_feu_km".to_string(), "road.speed_kmh".to_string()];
        if fixed > 0.0 {
            keys.insert(0, "drayage.usd_per_feu".to_string());
        }
        Some((m, keys))
    }

    /// The drayage charge per end of an intermodal door-to-door route (US$/FEU).
    pub fn drayage_usd(&self) -> f64 {
        self.drayage_usd
    }

    /// The coefficients of a land edge by the speed zones of its ends: an edge across a zone
    /// boundary (a border) moves at the slower of the two.
    fn zoned<'a>(&self, net: &Network, e: EdgeId, by_zone: &'a [ModeCoef], zone_of: &[u8]) -> &'a ModeCoef {
        let ei = e as usize;
        let zone = |v: NodeId| &by_zone[zone_of[net.node_country[v as usize] as usize] as usize];
        let (a, b) = (zone(net.edge_a[ei]), zone(net.edge_b[ei]));
        if a.kmh <= b.kmh {
            a
        } else {
            b
        }
    }

    /// The emission factors of a rail edge: each end's country by its traction where known, else
    /// the zone's; an edge across a border takes the mean of its two ends.
    fn rail_coef(&self, net: &Network, e: EdgeId) -> ModeCoef {
        let ei = e as usize;
        let zoned = self.zoned(net, e, &self.rail, &self.rail_zone);
        let end = |v: NodeId| {
            self.rail_traction[net.node_country[v as usize] as usize]
                .unwrap_or((zoned.kg_teu_km_ttw, zoned.kg_teu_km_wtt))
        };
        let (a, b) = (end(net.edge_a[ei]), end(net.edge_b[ei]));
        ModeCoef { kg_teu_km_ttw: (a.0 + b.0) / 2.0, kg_teu_km_wtt: (a.1 + b.1) / 2.0, ..zoned.clone() }
    }

    /// Moving part of an edge.
    pub fn moving_part(&self, net: &Network, e: EdgeId) -> Measures {
        let km = net.edge_len_m[e as usize] as f64 / 1000.0;
        let rail;
        let c = match net.kind(e) {
            EdgeKind::Rail => {
                rail = self.rail_coef(net, e);
                &rail
            }
            EdgeKind::Road | EdgeKind::TransferRail | EdgeKind::TransferRoad => {
                self.zoned(net, e, &self.road, &self.road_zone)
            }
            EdgeKind::Sea | EdgeKind::Ferry => {
                let service = self.service(net, e).unwrap_or(Service::Ocean);
                let mut m = self.moving(&self.water[service as usize].moving, km);
                if service == Service::Ocean && net.kind(e) == EdgeKind::Sea && self.in_north_range(net, e) {
                    m.usd_per_feu *= self.north_range.1;
                }
                return m;
            }
        };
        self.moving(c, km)
    }

    /// Whether a port lies in a feeder sea (areas `feeder`) outside every direct-call box
    /// (areas `direct_call`): deep-sea strings do not call it, feeders from a hub do.
    pub fn is_feeder_port(&self, net: &Network, hub: NodeId) -> bool {
        let c = net.coord(hub);
        let f = &self.feeder;
        f.seas.iter().any(|b| in_box(b, c.lat, c.lon)) && !f.direct.iter().any(|b| in_box(b, c.lat, c.lon))
    }

    /// The transshipment of a feeder port's box at the hub: the hub dwell, the wait for the
    /// feeder (half its interval) and the feeder's freight.
    fn transshipment(&self) -> Dwell {
        let f = &self.feeder;
        let wait = |days: f64| days * 24.0 / 2.0;
        Dwell {
            kind: DwellKind::Transshipment,
            hours: f.hub_hours.1 + wait(f.interval_days.1),
            hours_low: f.hub_hours.0 + wait(f.interval_days.0),
            hours_high: f.hub_hours.2 + wait(f.interval_days.2),
            usd_per_feu: f.usd,
            params: ["feeder.hub_hours", "feeder.service_interval_days", "feeder.usd_per_feu"]
                .map(String::from)
                .to_vec(),
        }
    }

    /// Whether a place lies in the short-sea trade's waters and shores (areas `short_sea`).
    pub fn in_short_sea(&self, lat: f64, lon: f64) -> bool {
        self.short_sea.iter().any(|b| in_box(b, lat, lon))
    }

    /// Whether a sea edge's midpoint lies in the North Range extension (areas `north_range`).
    fn in_north_range(&self, net: &Network, e: EdgeId) -> bool {
        let ei = e as usize;
        let (p, q) = (net.coord(net.edge_a[ei]), net.coord(net.edge_b[ei]));
        let (lat, lon) = ((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0);
        self.north_range.0.iter().any(|b| in_box(b, lat, lon))
    }

    /// All measures of an edge: moving part plus its dwell events.
    pub fn edge(&self, net: &Network, e: EdgeId) -> Measures {
        self.measures_with(net, e, &self.dwells(net, e))
    }

    /// The measures of an edge whose dwell events ([`CostModel::dwells`]) are already at hand.
    pub fn measures_with(&self, net: &Network, e: EdgeId, dwells: &[Dwell]) -> Measures {
        let mut m = self.moving_part(net, e);
        for d in dwells {
            m += self.dwell_measures(d);
        }
        m
    }

    /// The measures a dwell event adds (time, charges, and the capital cost of its hours).
    pub fn dwell_measures(&self, d: &Dwell) -> Measures {
        Measures {
            hours: d.hours,
            hours_low: d.hours_low,
            hours_high: d.hours_high,
            usd_per_feu: d.usd_per_feu,
            capital_usd_per_feu: d.hours * self.capital_usd_per_hour,
            ..Default::default()
        }
    }

    /// Integer search weight of a measure set for an objective: metres, seconds, US cents per FEU
    /// of total logistics cost, or grams CO2e (well-to-wheel) per TEU.
    pub fn weight_of(m: &Measures, objective: Objective) -> u64 {
        let x = match objective {
            Objective::Distance => m.km * 1000.0,
            Objective::Time => m.hours * 3600.0,
            Objective::Cost => m.total_usd_per_feu() * 100.0,
            Objective::Co2 => m.kg_co2e_per_teu * 1000.0,
        };
        x.round().max(0.0) as u64
    }

    /// Per-edge search weights for an objective (`None` for distance: the engine uses lengths).
    pub fn weights(&self, net: &Network, objective: Objective) -> Option<Vec<u32>> {
        if objective == Objective::Distance {
            return None;
        }
        // every edge's measures: about 0.2 s on the world network, so on all cores (a planner
        // whose weights the prepared engine does not store computes them on its first search)
        use rayon::prelude::*;
        Some(
            (0..net.edge_count() as u32)
                .into_par_iter()
                .map(|e| CostModel::weight_of(&self.edge(net, e), objective).min(u32::MAX as u64) as u32)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::segments_cross;

    #[test]
    fn a_segment_crosses_a_line_only_when_it_spans_it() {
        // the Marmaray edge Sirkeci -> Uskudar against the Bosporus line's segment
        let (sirkeci, uskudar) = ((41.013, 28.975), (41.026, 29.019));
        let strait = ((40.97, 28.99), (41.02, 29.0));
        let strait_north = ((41.02, 29.0), (41.045, 29.012));
        assert!(
            segments_cross(sirkeci, uskudar, strait.0, strait.1)
                || segments_cross(sirkeci, uskudar, strait_north.0, strait_north.1)
        );
        // an edge on one shore does not
        assert!(!segments_cross((41.0, 28.9), (41.013, 28.975), strait.0, strait.1));
        assert!(!segments_cross((41.0, 28.9), (41.013, 28.975), strait_north.0, strait_north.1));
        // collinear, disjoint segments do not cross
        assert!(!segments_cross((0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)));
        // touching counts
        assert!(segments_cross((0.0, 0.0), (1.0, 1.0), (1.0, 1.0), (2.0, 0.0)));
    }
}
