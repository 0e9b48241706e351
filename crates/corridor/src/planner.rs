//! High-level route planning: resolve places, snap them to the network under the query's
//! restrictions, chain exact searches through via points, explain the result, and, when no route
//! exists, find which single exclusion blocks it.

use crate::engine::bidir::Searcher;
use crate::engine::cch::potential::CchSearcher;
use crate::engine::{mode_bit, CountrySet, Metric, Path, Restrictions, Terminal};
use crate::error::Lift;
use crate::model::cost::{CostModel, Objective};
use crate::model::params::Params;
pub use crate::model::params::Trade;
use crate::network::lookup::{LayerGrid, Lookup};
use crate::network::{node_flags, EdgeKind, Layer, Mode, Network, NodeId};
use crate::places::{Gazetteer, Resolved};
use crate::route::{explain, Endpoint, Namer, Route, Segment};
use crate::{Error, Result};
use std::sync::Arc;

/// How far (km) a place may be from the network node it is attached to, per layer.
pub const SNAP_KM_LAND: f64 = 100.0;
/// Ports: sea-only queries from inland places are refused beyond this.
pub const SNAP_KM_PORT: f64 = 300.0;

/// Aliases users type for passage names; the network uses searoute's labels.
const PASSAGE_ALIASES: &[(&str, &str)] = &[
    ("hormuz", "ormuz"),
    ("strait-of-hormuz", "ormuz"),
    ("bab-el-mandeb", "babalmandab"),
    ("bab-al-mandab", "babalmandab"),
    ("bab el mandeb", "babalmandab"),
    ("red-sea", "babalmandab"),
    ("suez-canal", "suez"),
    ("panama-canal", "panama"),
    ("bosphorus", "bosporus"),
    ("cape", "south_africa"),
    ("cape-of-good-hope", "south_africa"),
    ("northwest-passage", "northwest"),
    ("northern-sea-route", "nsr"),
    ("northeast", "nsr"),
];

/// User-facing constraints, as names; resolved against a network by [`Planner::restrictions`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Constraints {
    /// ISO 3166-1 alpha-2 codes.
    pub avoid: Vec<String>,
    pub avoid_passages: Vec<String>,
    /// Passages closed by default (Arctic) that this query opens.
    pub allow_passages: Vec<String>,
    /// Empty = all modes.
    pub modes: Vec<Mode>,
    pub allow_planned: bool,
    pub avoid_waters: bool,
    /// Door to door: the truck from the place asked for to the network and back at the other
    /// end is in the route's totals ([`crate::model::cost::DwellKind::Drayage`]), with the
    /// drayage charge at both ends of a route by rail or container ship
    /// (`Planner::door_to_door`). Off by default: terminal to terminal, port to port.
    pub door: bool,
}

impl Constraints {
    /// Constraints from lists of names as front ends receive them (CLI flags, HTTP parameters,
    /// Python keyword arguments): surrounding blanks trimmed, empty entries dropped, modes
    /// parsed (an unknown mode is [`Error::UnknownMode`]).
    pub fn from_lists(
        avoid: &[String],
        avoid_passages: &[String],
        allow_passages: &[String],
        modes: &[String],
        allow_planned: bool,
        avoid_waters: bool,
    ) -> Result<Constraints> {
        // a list that is given but holds only blanks (`--modes ""`, `avoid=,,,`) is a mistake, not
        // "no restriction"
        for (list, what) in [
            (avoid, "countries to avoid"),
            (avoid_passages, "passages to avoid"),
            (allow_passages, "passages to allow"),
            (modes, "modes"),
        ] {
            if !list.is_empty() && list.iter().all(|s| s.trim().is_empty()) {
                return Err(Error::BadQuery(format!("empty list of {what}")));
            }
        }
        let modes = modes
            .iter()
            .filter(|m| !m.trim().is_empty())
            .map(|m| Mode::parse(m).ok_or_else(|| Error::UnknownMode(m.clone())))
            .collect::<Result<Vec<_>>>()?;
        let clean = |v: &[String]| v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
        Ok(Constraints {
            avoid: clean(avoid),
            avoid_passages: clean(avoid_passages),
            allow_passages: clean(allow_passages),
            modes,
            allow_planned,
            avoid_waters,
            door: false,
        })
    }
}

/// A route request.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub via: Vec<String>,
    pub constraints: Constraints,
    pub objective: Objective,
}

impl Query {
    /// A shortest-distance query between two places without constraints.
    pub fn new(from: &str, to: &str) -> Query {
        Query {
            from: from.into(),
            to: to.into(),
            via: vec![],
            constraints: Constraints::default(),
            objective: Objective::Cost,
        }
    }
}

pub use crate::prepared::POTENTIAL_FAMILIES;

/// The prepared engine reads the planner through [`crate::prepared::Basis`] (its own trait, so
/// that `prepared` does not depend on this module); each method is the planner's own.
impl crate::prepared::Basis for Planner {
    fn net(&self) -> &Network {
        Planner::net(self)
    }
    fn params(&self) -> &Params {
        Planner::params(self)
    }
    fn cost(&self) -> &CostModel {
        Planner::cost(self)
    }
    fn exclusion_family(&self, countries: &[&str], passages: &[&str]) -> Option<Restrictions> {
        Planner::exclusion_family(self, countries, passages)
    }
    fn default_family(&self) -> Restrictions {
        Planner::default_family(self)
    }
    fn objective_weights(&self, objective: Objective) -> Option<Arc<Vec<u32>>> {
        Planner::objective_weights(self, objective)
    }
    fn objective_scale(&self, objective: Objective) -> f64 {
        Planner::objective_scale(self, objective)
    }
    fn backhaul_params(&self) -> Option<Params> {
        Planner::backhaul_params(self)
    }
    fn backhaul_weights(&self) -> Option<Vec<u32>> {
        let params = self.backhaul_params()?;
        let cost = CostModel::new(&self.net, &params).with_overrides(self.cost.overrides().to_vec());
        cost.weights(&self.net, crate::prepared::FAMILY_OBJECTIVE)
    }
}

/// Alternatives: penalty method. Each round multiplies the weights of edges already used by
/// [`ALT_PENALTY`]; a candidate is kept if its true cost is within [`ALT_MAX_STRETCH`] of the best
/// and at most [`ALT_MAX_OVERLAP`] of its km is shared with any route kept before.
pub const ALT_PENALTY: f64 = 1.5;
pub const ALT_MAX_STRETCH: f64 = 1.5;
pub const ALT_MAX_OVERLAP: f64 = 0.7;

/// A lazily computed set of per-edge weights (None for distance).
type WeightsCell = std::sync::OnceLock<Option<std::sync::Arc<Vec<u32>>>>;

/// Planner state for one network: the network itself (shared), parameters, cost model, the
/// network's lookup indexes (gazetteer, grids: [`Network::lookup`]), the prepared engine, and a
/// pool of search states so that callers never hold one. A `Planner` is `Send + Sync`: threads
/// share one and each query takes a search state from the pool.
pub struct Planner {
    net: Arc<Network>,
    /// The prepared engine (CCH and customizations); when present, searches are A* with CCH
    /// potentials and matrices use the CCH, else bidirectional Dijkstra.
    prepared: Option<Arc<crate::prepared::Prepared>>,
    params: Params,
    cost: CostModel,
    /// The network's gazetteer and grids ([`Network::lookup`]).
    lookup: Arc<Lookup>,
    /// Per-edge search weights of each objective, computed on first use (they depend on the
    /// parameters and the network's topology only, so rebound planners share them).
    weights: Arc<[WeightsCell; 4]>,
    /// [`crate::engine::min_weight_per_metre`] of each objective's weights, on first use.
    scales: Arc<[std::sync::OnceLock<f64>; 4]>,
    /// Idle bidirectional search states (sized for the network; shared by rebound planners).
    searchers: Arc<Pool<Searcher>>,
    /// Idle prepared-engine (CCH A*) search states, likewise.
    cch_searchers: Arc<Pool<CchSearcher>>,
    /// The planners of the sea trades priced apart from the Asia-Europe headhaul ([`Trade`],
    /// indexed by `Trade as usize`), each built on its first query; None when this planner
    /// already is one or the trade has no parameters.
    trades: [std::sync::OnceLock<Option<Arc<Planner>>>; Trade::ALL.len()],
}

/// Idle search states, at most [`SEARCHER_POOL`]. A state holds node-sized arrays that start
/// zeroed: a fresh allocation gets its zero pages lazily from the OS, but in a long-running
/// process (the server, the Python package) the allocator soon recycles large freed blocks and
/// zeroes them in full, a pass over tens of MB per search; a reused state only resets the
/// entries its last search touched.
struct Pool<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T> Pool<T> {
    /// Runs `f` with an idle state (a new one from `make` if none is idle), then keeps it.
    fn with<R>(&self, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let idle = self.0.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut s = idle.unwrap_or_else(make);
        let out = f(&mut s);
        let mut pool = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < SEARCHER_POOL {
            pool.push(s);
        }
        out
    }
}

/// At most this many idle search states are kept (about 40 MB each on the world network).
const SEARCHER_POOL: usize = 4;

/// A place attached to the network: candidate terminals (one per usable layer).
#[derive(Clone)]
struct Snapped {
    resolved: Resolved,
    terminals: Vec<Terminal>,
    /// Great-circle km from the place to each terminal.
    access_km: Vec<f64>,
    /// A route's end counted from the door (door-to-door queries; never a via stop).
    door: bool,
}

impl Planner {
    /// A planner with the shipped parameters.
    pub fn new(net: impl Into<Arc<Network>>) -> Planner {
        Planner::with_params(net, Params::defaults())
    }

    /// A planner with the given parameters.
    pub fn with_params(net: impl Into<Arc<Network>>, params: Params) -> Planner {
        let net: Arc<Network> = net.into();
        let cost = CostModel::new(&net, &params);
        Planner {
            lookup: net.lookup().clone(),
            net,
            prepared: None,
            params,
            cost,
            weights: Default::default(),
            scales: Default::default(),
            searchers: Default::default(),
            cch_searchers: Default::default(),
            trades: Default::default(),
        }
    }

    /// The planner with a prepared engine attached (built by [`crate::prepared::Prepared::build`]
    /// or read by [`crate::prepared::Prepared::from_bytes`] for this planner's network).
    pub fn with_prepared(mut self, prepared: Option<Arc<crate::prepared::Prepared>>) -> Planner {
        self.prepared = prepared;
        self.trades = Default::default();
        self
    }

    /// The planner with per-place dwell changes (a scenario's) on top of its parameters.
    pub fn with_dwell_overrides(mut self, overrides: Vec<crate::model::cost::DwellOverride>) -> Planner {
        self.cost = CostModel::new(&self.net, &self.params).with_overrides(overrides);
        self.weights = Default::default();
        self.scales = Default::default();
        self.trades = Default::default();
        self
    }

    /// The planner with per-edge charges (the risk layer's war-risk premiums, [`crate::risk`])
    /// in its cost model. The prepared engine stays attached as it is: charges only raise edge
    /// weights, so its customizations remain exact lower bounds (A* potentials), and its stored
    /// per-edge weights are used with the charged edges recomputed.
    pub fn with_charges(mut self, charges: Arc<crate::model::cost::EdgeCharges>) -> Planner {
        self.cost = self.cost.clone().with_charges(charges);
        self.weights = Default::default();
        self.scales = Default::default();
        self.trades = Default::default();
        self
    }

    /// The network this planner routes on.
    pub fn net(&self) -> &Network {
        &self.net
    }

    /// The shared handle of the network (for building scenario copies or other planners).
    pub fn network(&self) -> &Arc<Network> {
        &self.net
    }

    /// The parameters (with their market state).
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The cost model built from the parameters.
    pub fn cost(&self) -> &CostModel {
        &self.cost
    }

    /// The prepared engine, if one is attached.
    pub fn prepared(&self) -> Option<&Arc<crate::prepared::Prepared>> {
        self.prepared.as_ref()
    }

    /// Runs `f` with a bidirectional search state from the pool (a new one if none is idle).
    fn with_searcher<R>(&self, f: impl FnOnce(&mut Searcher) -> R) -> R {
        self.searchers.with(|| Searcher::new(&self.net), f)
    }

    /// The trade of a query between `stops` (first and last stop), if its sea freight is priced
    /// apart from the Asia-Europe headhaul; checked in [`Trade::ALL`] order.
    pub fn trade_of(&self, stops: &[Resolved]) -> Option<Trade> {
        let (first, last) = (stops.first()?, stops.last()?);
        Trade::ALL.into_iter().find(|&t| self.trade_end(t, first, true) && self.trade_end(t, last, false))
    }

    /// Whether `s` can be the origin (`origin`) or the destination of a query on trade `t`.
    fn trade_end(&self, t: Trade, s: &Resolved, origin: bool) -> bool {
        match t {
            Trade::Backhaul => self.in_zone(Some(s), if origin { "sea_backhaul.from" } else { "sea_backhaul.to" }),
            Trade::ShortSea => self.cost.in_short_sea(s.point.lat, s.point.lon),
            Trade::BackhaulSouthAsia => {
                self.in_zone(Some(s), if origin { "sea_backhaul.from" } else { "sea_backhaul_south_asia.to" })
            }
        }
    }

    /// The planner for a query between `stops` when it is on a [`Trade`]: its sea freight
    /// follows [`Planner::trade_params`]; everything else (network, prepared engine, dwell
    /// changes, risk charges) is shared. Built on the first such query. None for queries on the
    /// Asia-Europe headhaul (and for every query of a trade's own planner).
    fn trade_for(&self, stops: &[Resolved]) -> Option<(Trade, Arc<Planner>)> {
        let t = self.trade_of(stops)?;
        self.trades[t as usize]
            .get_or_init(|| {
                let params = self.trade_params(t)?;
                let mut cost = CostModel::new(&self.net, &params).with_overrides(self.cost.overrides().to_vec());
                if let Some(c) = self.cost.charges_arc() {
                    cost = cost.with_charges(c);
                }
                let mut b = Planner::with_params(self.net.clone(), params);
                b.cost = cost;
                // the engine's data for the backhaul (`corridor prepare` stores it for the
                // parameters it was run with; dwell changes make other weights), else the
                // engine read with scaled bounds (the short-sea line only raises sea weights,
                // so the default's customizations stay lower bounds)
                let stored = (t == Trade::Backhaul)
                    .then_some(self.prepared.as_ref())
                    .flatten()
                    .filter(|_| self.cost.overrides().is_empty())
                    .and_then(|p| p.for_backhaul(&crate::prepared::fingerprint_of(&b.params)));
                match stored {
                    Some(p) => b.prepared = Some(Arc::new(p)),
                    None => b.share_engine_of(self),
                }
                // the variant is final: it is on no other trade
                for cell in &b.trades {
                    let _ = cell.set(None);
                }
                Some(Arc::new(b))
            })
            .clone()
            .map(|b| (t, b))
    }

    /// Whether `s` lies in a country of the parameters' zone `key`.
    fn in_zone(&self, s: Option<&Resolved>, key: &str) -> bool {
        let c = s.and_then(|s| s.country.as_ref());
        c.is_some_and(|c| self.params.zone(key).is_some_and(|z| z.countries.contains(c)))
    }

    /// This planner's parameters with the backhaul's sea freight: `sea.usd_per_feu_km` and
    /// `sea.voyage_usd_per_feu` times `sea.backhaul_factor` (then 1). None when the factor is not
    /// in (0, 1): no backhaul pricing, or this planner is a backhaul planner.
    pub fn backhaul_params(&self) -> Option<Params> {
        self.trade_params(Trade::Backhaul)
    }

    /// This planner's parameters with the sea freight of trade `t` (None if it has none):
    /// * backhaul: `sea.usd_per_feu_km` and `sea.voyage_usd_per_feu` times `sea.backhaul_factor`
    ///   (then 1), when the factor is in (0, 1);
    /// * short sea: the `shortsea.*` line for the ocean's rate, voyage and schedule speed, and the full rate on
    ///   the North Range lanes (`sea.rate_factor_north_range` = 1: the discount is the
    ///   Asia-Europe strings' extension, not a short-sea service's); no transshipment at a
    ///   feeder port (`feeder.*` = 0): short-sea ships are feeder-sized and call there.
    pub fn trade_params(&self, t: Trade) -> Option<Params> {
        let get = |k: &str| self.params.param(k).map(|p| p.value);
        let (text, origin) = match t {
            Trade::Backhaul | Trade::BackhaulSouthAsia => {
                let key = if t == Trade::Backhaul { "sea.backhaul_factor" } else { "sea.backhaul_factor_south_asia" };
                let factor = get(key)?;
                if !(factor > 0.0 && factor < 1.0) {
                    return None;
                }
                (
                    format!(
                        "sea.usd_per_feu_km = {}\nsea.voyage_usd_per_feu = {}\nsea.backhaul_factor = 1.0\nsea.backhaul_factor_south_asia = 1.0\n",
                        get("sea.usd_per_feu_km")? * factor,
                        get("sea.voyage_usd_per_feu")? * factor,
                    ),
                    format!("backhaul ({key} {factor})"),
                )
            }
            Trade::ShortSea => (
                format!(
                    "sea.usd_per_feu_km = {}\nsea.voyage_usd_per_feu = {}\nsea.speed_knots = {}\nsea.rate_factor_north_range = 1.0\nsea.backhaul_factor = 1.0\n\
                     feeder.hub_hours = 0\nfeeder.service_interval_days = 0\nfeeder.usd_per_feu = 0\n",
                    get("shortsea.usd_per_feu_km")?,
                    get("shortsea.voyage_usd_per_feu")?,
                    get("shortsea.speed_knots")?,
                ),
                "short sea (shortsea.usd_per_feu_km, shortsea.voyage_usd_per_feu)".to_string(),
            ),
        };
        let mut params = self.params.clone();
        params.apply_overrides(&text, &origin).ok()?;
        if t == Trade::ShortSea {
            // a short-sea string's schedule speed ranges from direct sailings to calls on the way
            params.copy_range("sea.speed_knots", "shortsea.speed_knots").ok()?;
        }
        Some(params)
    }

    /// A route of the planner of trade `t`, labelled with how its sea freight was priced (the
    /// label only on a route that sails on an ocean or short-sea leg: a train or a ferry is not
    /// priced by the trade).
    fn mark_trade(&self, t: Trade, mut route: Route) -> Route {
        route.trade = Some(t);
        let sails = route.legs.iter().any(|l| l.service == Some(crate::model::cost::Service::Ocean));
        if !sails {
            return route;
        }
        route.trade_direction = Some(match t {
            Trade::Backhaul => format!(
                "backhaul, Europe to East Asia: sea freight at {} x the market's headhaul rates (sea.backhaul_factor)",
                self.params.get("sea.backhaul_factor")
            ),
            Trade::BackhaulSouthAsia => format!(
                "backhaul, Europe to South Asia: sea freight at {} x the market's headhaul rates (sea.backhaul_factor_south_asia)",
                self.params.get("sea.backhaul_factor_south_asia")
            ),
            Trade::ShortSea => format!(
                "short sea, both ends in Europe, the Mediterranean, the Black Sea or the Caucasus (areas short_sea): \
                 ocean freight at US${:.0} per voyage + US${} per FEU-km (shortsea.voyage_usd_per_feu, shortsea.usd_per_feu_km)",
                self.params.get("shortsea.voyage_usd_per_feu"),
                self.params.get("shortsea.usd_per_feu_km")
            ),
        });
        route
    }

    /// Attaches `other`'s prepared engine (same network). If this planner's weights differ
    /// (other parameters, dwell overrides), the objective customizations stay as bounds scaled
    /// by the smallest ratio of this planner's weights to those they were made with on any edge
    /// ([`crate::prepared::weight_ratio`], computed on the first search of each objective), so
    /// another market's or a scenario's queries search about as narrowly as the default's.
    pub fn share_engine_of(&mut self, other: &Planner) {
        self.trades = Default::default();
        let mut prepared = other.prepared.clone();
        let differs = crate::prepared::params_fingerprint(self) != crate::prepared::params_fingerprint(other)
            || self.cost.overrides() != other.cost.overrides();
        if differs {
            // this planner's own weights are computed from its cost model, not read from the engine
            self.weights = Default::default();
            self.scales = Default::default();
            if let Some(prep) = prepared.as_mut() {
                Arc::make_mut(prep).adopt_for_other_weights();
            }
        }
        self.prepared = prepared;
    }

    /// The smallest weight per metre of an objective's weights (1 for distance), computed once.
    pub fn objective_scale(&self, objective: Objective) -> f64 {
        *self.scales[objective as usize].get_or_init(|| match self.objective_weights(objective) {
            Some(w) => crate::engine::min_weight_per_metre(&self.net, Metric::PerEdge(&w)),
            None => 1.0,
        })
    }

    /// The per-edge search weights of an objective (None for distance: edge lengths), computed
    /// once per planner.
    pub fn objective_weights(&self, objective: Objective) -> Option<std::sync::Arc<Vec<u32>>> {
        self.weights[objective as usize]
            .get_or_init(|| {
                // the prepared engine stores them for its parameters (checked by fingerprint
                // when it was read, dropped for planners whose weights differ)
                if let Some(w) = self.prepared.as_ref().and_then(|p| p.edge_weights_of(objective)) {
                    let mut w = w.to_vec();
                    // charges of the risk layer: those edges' weights with their premium
                    for e in self.cost.charged_edges() {
                        let m = self.cost.edge(&self.net, e);
                        w[e as usize] = CostModel::weight_of(&m, objective).min(u32::MAX as u64) as u32;
                    }
                    return Some(Arc::new(w));
                }
                self.cost.weights(&self.net, objective).map(Arc::new)
            })
            .clone()
    }

    /// The same planner (indexes, parameters, prepared engine) over another copy of its network
    /// with the same topology, e.g. a scenario's ([`Network::with_edge_changes`]); nothing is
    /// rebuilt. None if `net` is not a copy of this planner's network.
    pub fn rebind(&self, net: Arc<Network>) -> Option<Planner> {
        let same = net.meta.version == self.net.meta.version
            && net.node_count() == self.net.node_count()
            && net.edge_count() == self.net.edge_count();
        same.then(|| Planner {
            net,
            prepared: self.prepared.clone(),
            params: self.params.clone(),
            cost: self.cost.clone(),
            lookup: self.lookup.clone(),
            weights: self.weights.clone(),
            scales: self.scales.clone(),
            searchers: self.searchers.clone(),
            cch_searchers: self.cch_searchers.clone(),
            trades: Default::default(),
        })
    }

    /// The gazetteer of the planner's network.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.lookup.gazetteer
    }

    /// The restrictions of an exclusion family given by its countries and passages (None if
    /// both are empty: the unrestricted graph).
    pub fn exclusion_family(&self, countries: &[&str], passages: &[&str]) -> Option<Restrictions> {
        if countries.is_empty() && passages.is_empty() {
            return None;
        }
        let c = Constraints {
            avoid: countries.iter().map(|s| s.to_string()).collect(),
            allow_planned: true,
            ..Default::default()
        };
        // the default closures (Arctic routes, the market's, Panama for the vessel class) stay:
        // a family without them bounds every query by routes the query cannot take (the Northern
        // Sea Route for Asia-Europe), far below its real cost
        let mut r = self.restrictions(&c).ok()?;
        r.closed_passages |= passages.iter().filter_map(|p| self.net.passage_index(p)).fold(0, |a, i| a | (1u64 << i));
        Some(r)
    }

    /// The default closures alone (Arctic routes, the market's, Panama for the vessel class),
    /// with planned links allowed: the loosest restrictions an ordinary query has, under which
    /// the prepared engine customizes each objective (a bound for every query that keeps them).
    pub fn default_family(&self) -> Restrictions {
        let c = Constraints { allow_planned: true, ..Default::default() };
        self.restrictions(&c).expect("empty constraints resolve")
    }

    /// Resolves names into index-based restrictions, with clear errors for unknown names.
    pub fn restrictions(&self, c: &Constraints) -> Result<Restrictions> {
        let net: &Network = &self.net;
        let mut r = Restrictions::open();
        let mut avoid = CountrySet::default();
        for code in &c.avoid {
            let code = code.trim();
            if code.len() != 2 || !code.chars().all(|ch| ch.is_ascii_alphabetic()) {
                return Err(Error::UnknownCountry(code.into()));
            }
            // A valid code that the network does not contain simply excludes nothing.
            if let Some(i) = net.country_index(code) {
                avoid.insert(i);
            } else if !is_iso_alpha2(code) {
                return Err(Error::UnknownCountry(code.into()));
            }
        }
        r.avoid_countries = avoid;
        r.avoid_waters = c.avoid_waters;
        for name in self.default_closed_passages() {
            if let Some(i) = net.passage_index(&name) {
                r.closed_passages |= 1 << i;
            }
        }
        for name in &c.allow_passages {
            r.closed_passages &= !(1 << self.passage(name)?);
        }
        for name in &c.avoid_passages {
            r.closed_passages |= 1 << self.passage(name)?;
        }
        if !c.modes.is_empty() {
            r.modes = c.modes.iter().map(|&m| mode_bit(m)).fold(0, |a, b| a | b);
        }
        r.allow_planned = c.allow_planned;
        Ok(r)
    }

    /// Passages closed unless a query opens them: the network's (Arctic routes), the market
    /// state's (e.g. Bab-el-Mandeb in the Red Sea crisis), and Panama when the vessel class of
    /// the parameters (`sea.vessel_teu`) exceeds the Neopanamax locks (`canal.panama_max_teu`).
    pub fn default_closed_passages(&self) -> Vec<String> {
        let mut out: Vec<String> = self.net.meta.default_closed_passages.clone();
        out.extend(self.params.market.close_passages.iter().cloned());
        if self.params.get("sea.vessel_teu") > self.params.get("canal.panama_max_teu") {
            out.push("panama".into());
        }
        out.sort();
        out.dedup();
        out
    }

    fn passage(&self, name: &str) -> Result<u8> {
        let key = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let canon = PASSAGE_ALIASES
            .iter()
            .find(|(a, _)| *a == key)
            .map(|(_, c)| c.to_string())
            .unwrap_or_else(|| key.replace('-', "_"));
        self.net
            .passage_index(&canon)
            .ok_or_else(|| Error::UnknownPassage { name: name.into(), known: self.net.meta.passages[1..].join(", ") })
    }

    /// Attaches a resolved place to the network: the nearest usable node of each allowed layer.
    /// Cost of reaching the network from a place `km` away (by road), in the objective's units.
    fn access_cost(&self, km: f64, objective: Objective) -> u64 {
        CostModel::weight_of(&self.cost.road(km), objective)
    }

    /// Search weight of the lift at a route's end on `node` ([`CostModel::end_lift`]).
    fn end_lift_weight(&self, node: NodeId, objective: Objective) -> u64 {
        self.cost
            .end_lift(self.net.layer(node))
            .map_or(0, |d| CostModel::weight_of(&self.cost.dwell_measures(&d), objective))
    }

    /// Adds the end lifts to the terminals of a route's origin and destination (not to its via
    /// stops, which the box passes through), so that the search minimises what the route's
    /// explanation reports; marks the two ends as counted from the door on a door-to-door query.
    fn with_end_lifts(&self, mut snapped: Vec<Snapped>, objective: Objective, door: bool) -> Vec<Snapped> {
        let last = snapped.len() - 1;
        for k in [0, last] {
            snapped[k].door = door;
            for t in snapped[k].terminals.iter_mut() {
                t.cost += self.end_lift_weight(t.node, objective);
            }
            if last == 0 {
                break;
            }
        }
        snapped
    }

    fn snap(&self, resolved: Resolved, r: &Restrictions, objective: Objective) -> Result<Snapped> {
        let net: &Network = &self.net;
        if let Some(c) = &resolved.country {
            if let Some(i) = net.country_index(c) {
                if r.avoid_countries.contains(i) {
                    return Err(Error::BadQuery(format!("{} lies in {c}, which the query avoids", resolved.name)));
                }
            }
        }
        // A named place attaches to its own country's network where it can: across a border the
        // access (not in the totals) could jump a closed border (Yerevan to Lake Van's port in
        // Turkey) or a customs post the route never pays. Other countries' nodes serve only a
        // place without a usable node of its own within reach (an enclave, sea-only queries from
        // a landlocked country).
        let own = resolved.country.as_deref().and_then(|c| net.country_index(c));
        let (mut terminals, mut access_km) = self.terminals_near(&resolved, r, objective, own);
        if terminals.is_empty() && own.is_some() {
            (terminals, access_km) = self.terminals_near(&resolved, r, objective, None);
        }
        if terminals.is_empty() {
            let modes: Vec<&str> =
                Mode::CHOOSABLE.iter().filter(|&&m| r.modes & mode_bit(m) != 0).map(|m| m.name()).collect();
            return Err(Error::CannotSnap(format!(
                "{} is not within {SNAP_KM_LAND} km of a usable rail/road node or {SNAP_KM_PORT} km of a port for modes {}",
                resolved.name,
                modes.join(",")
            )));
        }
        Ok(Snapped { resolved, terminals, access_km, door: false })
    }

    /// The nearest usable node of each allowed layer within reach of `resolved` (of country
    /// `country` only, if given), with its access cost; and the access distances.
    fn terminals_near(
        &self,
        resolved: &Resolved,
        r: &Restrictions,
        objective: Objective,
        country: Option<u8>,
    ) -> (Vec<Terminal>, Vec<f64>) {
        let net: &Network = &self.net;
        let mut terminals = Vec::new();
        let mut access_km = Vec::new();
        for LayerGrid { layer, grid, nodes: ids } in &self.lookup.layer_grids {
            let allowed = match layer {
                Layer::Rail => r.modes & mode_bit(Mode::Rail) != 0,
                Layer::Road => r.modes & mode_bit(Mode::Road) != 0,
                _ => r.modes & (mode_bit(Mode::Sea) | mode_bit(Mode::Ferry)) != 0,
            };
            if !allowed {
                continue;
            }
            let max_km = if *layer == Layer::Port { SNAP_KM_PORT } else { SNAP_KM_LAND };
            let p = resolved.point;
            // A seaport without rail/road transfers is not a liner port (the network build keeps
            // transfers at container terminals only): it serves a query that names it, never a
            // city or a point near it, whose box would otherwise land where no ship calls.
            let named_hub = resolved.place.and_then(|i| net.meta.places[i].hub);
            // A ferry line's own terminal (a ro-ro berth) is reached through its gate, by road or
            // rail, where the query allows either: snapped onto directly, the box would skip
            // the line's handling, and a city would lose its container port to the berth.
            let by_land = r.modes & (mode_bit(Mode::Rail) | mode_bit(Mode::Road)) != 0;
            let usable = |i: u32| {
                let v = ids[i as usize];
                country.is_none_or(|c| net.node_country[v as usize] == c)
                    && r.node_ok(net, v)
                    && net.arcs(v).any(|(_, _, e)| r.edge_ok(net, e))
                    && (*layer != Layer::Port || named_hub == Some(v) || net.has_transfer(v))
                    && !(by_land && net.node_flags[v as usize] & node_flags::OWN_TERMINAL != 0)
            };
            // Prefer a node of a large component unless a small one is much closer (an island of
            // the source data would otherwise capture the query).
            let big = grid.nearest(p.lat, p.lon, max_km, |i| {
                usable(i) && net.node_flags[ids[i as usize] as usize] & node_flags::SMALL_COMPONENT == 0
            });
            let any = grid.nearest(p.lat, p.lon, max_km, usable);
            let pick = match (big, any) {
                (Some(b), Some(a)) if a.1 + 5.0 < b.1 && a.1 < 2.0 => Some(a),
                (Some(b), _) => Some(b),
                (None, a) => a,
            };
            if let Some((i, km)) = pick {
                terminals.push(Terminal { node: ids[i as usize], cost: self.access_cost(km, objective) });
                access_km.push(km);
            }
        }
        (terminals, access_km)
    }

    fn endpoint(&self, s: &Snapped, k: usize) -> Endpoint {
        let t = s.terminals[k];
        let c = self.net.coord(t.node);
        Endpoint {
            query: s.resolved.query.clone(),
            name: s.resolved.name.clone(),
            lat: s.resolved.point.lat,
            lon: s.resolved.point.lon,
            network_lat: c.lat,
            network_lon: c.lon,
            access_km: (s.access_km[k] * 1000.0).round() / 1000.0,
            layer: self.net.layer(t.node),
            door: s.door,
        }
    }

    /// Plans the route for a query. Errors: bad input (unknown names, unsnappable places) or
    /// [`Error::NoRoute`] with a hint naming the exclusion that blocks it when one is found.
    pub fn route(&self, q: &Query) -> Result<Route> {
        Ok(self.routes(q, 0)?.remove(0))
    }

    /// The best route, or None when none exists, without the "what blocks it" diagnosis (which
    /// costs one search per exclusion): for analyses that run many queries.
    pub fn route_undiagnosed(&self, q: &Query) -> Result<Option<Route>> {
        let r = self.restrictions(&q.constraints)?;
        let stops = self.resolve_stops(q)?;
        if let Some((t, b)) = self.trade_for(&stops) {
            return Ok(b.route_undiagnosed(q)?.map(|r| self.mark_trade(t, r)));
        }
        let snapped: Vec<Snapped> =
            stops.iter().map(|s| self.snap(s.clone(), &r, q.objective)).collect::<Result<_>>()?;
        let snapped = self.with_end_lifts(snapped, q.objective, q.constraints.door);
        let rs = vec![r; snapped.len() - 1];
        let best = self.best_and_alternatives(&snapped, &rs, q.objective, 0).filter(|v| collapsed(&v[0]).is_none());
        // door to door as `routes` does (the road-only search this makes is by road, so it stops)
        Ok(best.map(|v| if q.constraints.door { self.door_to_door(q, v, 0) } else { v }).map(|mut v| v.remove(0)))
    }

    /// The explanation of one engine path (legs, borders, dwell, measures) between its first and
    /// last node, the work a route does after its search: for benchmarks and tests that draw
    /// node pairs rather than places. The end lifts are charged as for a route.
    pub fn explain_path(&self, path: &Path, objective: Objective) -> Route {
        let end = |v: NodeId| {
            let c = self.net.coord(v);
            Endpoint {
                query: String::new(),
                name: self.node_name(v),
                lat: c.lat,
                lon: c.lon,
                network_lat: c.lat,
                network_lon: c.lon,
                access_km: 0.0,
                layer: self.net.layer(v),
                door: false,
            }
        };
        let (first, last) = (path.nodes[0], *path.nodes.last().unwrap());
        let namer = Namer::new(&self.net, &self.lookup.place_grid);
        let segment = Segment { nodes: &path.nodes, edges: &path.edges };
        let mut route = explain(&self.net, &namer, &self.cost, objective, (end(first), vec![], end(last)), &[segment]);
        route.market = self.params.market.name.clone();
        route
    }

    /// Name of a node after the nearest gazetteer place ("Aktau, KZ", "near Poti, GE").
    pub fn node_name(&self, v: NodeId) -> String {
        Namer::new(&self.net, &self.lookup.place_grid).name(v)
    }

    /// The best route and up to `alternatives` meaningfully different ones (see [`ALT_PENALTY`]).
    pub fn routes(&self, q: &Query, alternatives: usize) -> Result<Vec<Route>> {
        let r = self.restrictions(&q.constraints)?;
        let stops = self.resolve_stops(q)?;
        if let Some((t, b)) = self.trade_for(&stops) {
            return Ok(b.routes(q, alternatives)?.into_iter().map(|r| self.mark_trade(t, r)).collect());
        }
        let snapped: Vec<Snapped> =
            stops.iter().map(|s| self.snap(s.clone(), &r, q.objective)).collect::<Result<_>>()?;
        let snapped = self.with_end_lifts(snapped, q.objective, q.constraints.door);
        let rs = vec![r; snapped.len() - 1];
        let routes = self.best_and_alternatives(&snapped, &rs, q.objective, alternatives).ok_or_else(|| {
            Error::no_route(
                stops[0].name.clone(),
                stops.last().unwrap().name.clone(),
                self.diagnose(&stops, &r, q.objective),
            )
        })?;
        match collapsed(&routes[0]) {
            Some(hint) => Err(Error::NoRoute {
                from: stops[0].name.clone(),
                to: stops.last().unwrap().name.clone(),
                hint: Some(hint),
                lifts: vec![],
            }),
            None if q.constraints.door => Ok(self.door_to_door(q, routes, alternatives)),
            None => Ok(routes),
        }
    }

    /// Door to door by total cost: an intermodal route (a leg by rail or container ship) pays the
    /// drayage at both ends and a route by road alone does not (one truck from door to door), so
    /// the cheapest door-to-door route is the cheaper of the best route found and the best by
    /// road alone. Exact: every intermodal route pays the same two charges, so the search's best
    /// is the best intermodal route whenever it is intermodal. The other objectives are
    /// unchanged by the charge (money only).
    fn door_to_door(&self, q: &Query, mut routes: Vec<Route>, alternatives: usize) -> Vec<Route> {
        let modes = &q.constraints.modes;
        if q.objective != Objective::Cost
            || !crate::route::is_intermodal(&routes[0].legs)
            || self.cost.drayage_usd() <= 0.0
            || !(modes.is_empty() || modes.contains(&Mode::Road))
        {
            return routes;
        }
        let by_road =
            Query { constraints: Constraints { modes: vec![Mode::Road], ..q.constraints.clone() }, ..q.clone() };
        // no road route (an island, a closed border): the intermodal route stands
        if let Ok(Some(road)) = self.route_undiagnosed(&by_road) {
            if road.measures.total_usd_per_feu() < routes[0].measures.total_usd_per_feu() {
                routes.insert(0, road);
                routes.truncate(alternatives + 1);
            }
        }
        routes
    }

    /// The best chain through `snapped` and up to `alternatives` others, explained.
    fn best_and_alternatives(
        &self,
        snapped: &[Snapped],
        rs: &[Restrictions],
        objective: Objective,
        alternatives: usize,
    ) -> Option<Vec<Route>> {
        let base = self.objective_weights(objective);
        let metric = match &base {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        let (best_cost, paths) = self.search_chain(snapped, rs, objective, metric)?;
        let mut kept: Vec<Vec<Path>> = vec![paths];
        if alternatives > 0 {
            let mut penalised: Vec<u32> = match &base {
                Some(w) => w.to_vec(),
                None => self.net.edge_len_m.to_vec(),
            };
            let edge_km = |paths: &[Path]| -> std::collections::HashMap<u32, f64> {
                let mut m = std::collections::HashMap::new();
                for p in paths {
                    for &e in &p.edges {
                        m.insert(e, self.net.edge_len_m[e as usize] as f64);
                    }
                }
                m
            };
            let mut used: std::collections::HashSet<u32> =
                kept[0].iter().flat_map(|p| p.edges.iter().copied()).collect();
            for _round in 0..alternatives * 3 {
                if kept.len() > alternatives {
                    break;
                }
                for &e in &used {
                    penalised[e as usize] = ((penalised[e as usize] as f64) * ALT_PENALTY).min(u32::MAX as f64) as u32;
                }
                let Some((_, cand)) = self.search_chain(snapped, rs, objective, Metric::PerEdge(&penalised)) else {
                    break;
                };
                let cand_cost = chain_cost(&self.net, metric, snapped, &cand);
                let cand_km = edge_km(&cand);
                let total_km: f64 = cand_km.values().sum();
                let overlap = kept
                    .iter()
                    .map(|k| {
                        let kk = edge_km(k);
                        cand_km.iter().filter(|(e, _)| kk.contains_key(e)).map(|(_, km)| km).sum::<f64>()
                            / total_km.max(1.0)
                    })
                    .fold(0.0, f64::max);
                used.extend(cand.iter().flat_map(|p| p.edges.iter().copied()));
                if (cand_cost as f64) <= best_cost as f64 * ALT_MAX_STRETCH && overlap <= ALT_MAX_OVERLAP {
                    kept.push(cand);
                }
            }
        }
        Some(kept.iter().map(|paths| self.explain_chain(snapped, paths, objective)).collect())
    }

    /// A maritime route: by land (rail or road) to an ocean gateway port, by sea to another, by
    /// land to the destination. A port place on the open ocean is its own gateway.
    /// `q.constraints.modes` is ignored: the stages fix their modes. Same as
    /// [`Planner::route_sea_main_through`] with no passage required.
    pub fn route_sea_main(&self, q: &Query) -> Result<Route> {
        self.route_sea_main_through(q, &[])
    }

    /// A maritime route whose sea leg passes the named passages (a maritime corridor's
    /// `require_passages`: Suez, the Cape). A land end may sail from any of its six
    /// (`GATEWAY_CANDIDATES`) ocean ports nearest under the objective; of those pairs of gateways
    /// whose cheapest sea route passes every required passage, the one that makes the cheapest
    /// whole route (exact over the candidates). Without such a pair it is the cheapest pair
    /// (whose route then misses a passage: Baku -> Rotterdam has no route through Suez).
    pub fn route_sea_main_through(&self, q: &Query, through: &[String]) -> Result<Route> {
        let mut sea_c = q.constraints.clone();
        sea_c.modes = vec![Mode::Sea];
        let mut land_c = q.constraints.clone();
        land_c.modes = vec![Mode::Rail, Mode::Road];
        let (r_sea, r_land) = (self.restrictions(&sea_c)?, self.restrictions(&land_c)?);
        let required: Vec<u8> = through
            .iter()
            .map(|name| {
                self.net.passage_index(name).ok_or_else(|| Error::BadQuery(format!("unknown passage '{name}'")))
            })
            .collect::<Result<_>>()?;
        let stops = self.resolve_stops(&Query { via: vec![], ..q.clone() })?;
        if let Some((t, b)) = self.trade_for(&stops) {
            return b.route_sea_main_through(q, through).map(|r| self.mark_trade(t, r));
        }
        let door = q.constraints.door;
        let no_route = |hint: &str| Error::NoRoute {
            from: stops[0].name.clone(),
            to: stops[1].name.clone(),
            hint: Some(hint.to_string()),
            lifts: vec![],
        };
        // gateway hubs usable by sea
        let gateways: Vec<Terminal> = self
            .net
            .meta
            .places
            .iter()
            .filter_map(|p| p.hub)
            .filter(|&h| {
                r_sea.node_ok(&self.net, h)
                    && self
                        .net
                        .arcs(h)
                        .any(|(_, _, e)| self.net.kind(e) == EdgeKind::Sea && r_sea.edge_ok(&self.net, e))
            })
            .map(|h| Terminal { node: h, cost: 0 })
            .collect();
        let gateways = self.ocean_gateways(gateways, &r_sea);
        let own_hub = |stop: &Resolved| {
            stop.place.and_then(|p| self.net.meta.places[p].hub).filter(|h| gateways.iter().any(|g| g.node == *h))
        };
        let weights = self.objective_weights(q.objective);
        let metric = match &weights {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        // Each end: its own gateway, or its land stop (with the end lift) and the gateways
        // nearest to it, each with the cost of getting there; and, when the place itself snaps
        // onto a gateway port (a port city: Shanghai's centre is 20 km from its port), that port
        // straight, as `route` takes it: with its access and end lift, without a truck to the
        // quay and a land-to-sea transfer that a box starting at the port does not make.
        let end = |stop: &Resolved| -> Result<SeaEnd> {
            if let Some(h) = own_hub(stop) {
                return Ok(SeaEnd { land: None, direct: None, near: vec![(h, self.end_lift_weight(h, q.objective))] });
            }
            let direct = self
                .snap(stop.clone(), &r_sea, q.objective)
                .ok()
                .map(|s| {
                    let mut s = self.with_end_lifts(vec![s], q.objective, door).pop().unwrap();
                    let (terminals, access_km) = s
                        .terminals
                        .iter()
                        .zip(&s.access_km)
                        .filter(|(t, _)| gateways.iter().any(|g| g.node == t.node))
                        .map(|(&t, &km)| (t, km))
                        .unzip();
                    (s.terminals, s.access_km) = (terminals, access_km);
                    s
                })
                .filter(|s| !s.terminals.is_empty());
            let land = self.snap(stop.clone(), &r_land, q.objective)?;
            let land = self.with_end_lifts(vec![land], q.objective, door).pop().unwrap();
            let near = crate::engine::many::ManySearcher::new(&self.net).nearest(
                &self.net,
                &r_land,
                metric,
                &land.terminals,
                &gateways,
                GATEWAY_CANDIDATES,
            );
            let end = SeaEnd { land: Some(land), direct, near };
            if end.candidates().next().is_none() {
                return Err(no_route("no ocean port reachable by land"));
            }
            Ok(end)
        };
        let end_o = end(&stops[0])?;
        let end_d = end(&stops[1])?;
        // the pairs, cheapest land first: a pair whose land alone costs more than the best whole
        // route found cannot win
        let mut pairs: Vec<(u64, NodeId, NodeId)> =
            end_o.candidates().flat_map(|(a, ca)| end_d.candidates().map(move |(b, cb)| (ca + cb, a, b))).collect();
        pairs.sort_unstable();
        let mut best: Option<(u64, bool, NodeId, NodeId)> = None;
        for (land_cost, a, b) in pairs {
            if a == b || best.is_some_and(|(c, passes, _, _)| passes && land_cost >= c) {
                continue;
            }
            let Some((sea_cost, paths)) =
                self.search_chain(&[self.hub_stop(a), self.hub_stop(b)], &[r_sea], q.objective, metric)
            else {
                continue;
            };
            let passed: Vec<u8> =
                paths.iter().flat_map(|p| p.edges.iter().map(|&e| self.net.edge_passage[e as usize])).collect();
            let passes = required.iter().all(|r| passed.contains(r));
            let total = land_cost + sea_cost;
            // a pair that passes the required passages beats every pair that does not
            if best.is_none_or(|(c, p, _, _)| (passes, std::cmp::Reverse(total)) > (p, std::cmp::Reverse(c))) {
                best = Some((total, passes, a, b));
            }
        }
        let no_sea = || no_route("no sea route between the gateway ports under the constraints");
        let (_, _, a, b) = best.ok_or_else(no_sea)?;
        // route and explain through the chosen ports: [origin by land?] gateway, gateway
        // [destination by land?], one restriction per segment; a port the place snaps onto
        // stands for the place itself
        let mut chain: Vec<Snapped> = Vec::new();
        let mut rs: Vec<Restrictions> = Vec::new();
        let own_gateway = |h: NodeId| {
            let mut s = self.hub_stop(h);
            s.door = door;
            s.terminals[0].cost = self.end_lift_weight(h, q.objective);
            s
        };
        match end_o.stop_for(a) {
            EndStop::Land(land) => {
                chain.extend([land, self.hub_stop(a)]);
                rs.push(r_land);
            }
            EndStop::Direct(s) => chain.push(s),
            EndStop::Own => chain.push(own_gateway(a)),
        }
        rs.push(r_sea);
        match end_d.stop_for(b) {
            EndStop::Land(land) => {
                chain.extend([self.hub_stop(b), land]);
                rs.push(r_land);
            }
            EndStop::Direct(s) => chain.push(s),
            EndStop::Own => chain.push(own_gateway(b)),
        }
        let routes = self.best_and_alternatives(&chain, &rs, q.objective, 0).ok_or_else(no_sea)?;
        Ok(routes.into_iter().next().unwrap())
    }

    /// The gateways on the open ocean: those in the sea component (connected by open sea edges)
    /// that holds the most gateways. Ports on enclosed waters (the Caspian: Aktau, Alat,
    /// Turkmenbashi) have sea edges but no ocean liner reaches them, so a maritime corridor from
    /// Tashkent or Baku lands at an ocean port (Poti, Bandar Abbas...) instead of finding no route.
    fn ocean_gateways(&self, gateways: Vec<Terminal>, r_sea: &Restrictions) -> Vec<Terminal> {
        let mut component: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
        let mut sizes: Vec<usize> = Vec::new();
        for g in &gateways {
            if component.contains_key(&g.node) {
                continue;
            }
            let id = sizes.len();
            sizes.push(0);
            component.insert(g.node, id);
            let mut stack = vec![g.node];
            while let Some(v) = stack.pop() {
                for (w, _, e) in self.net.arcs(v) {
                    if self.net.kind(e) == EdgeKind::Sea && r_sea.edge_ok(&self.net, e) && r_sea.node_ok(&self.net, w) {
                        if let std::collections::hash_map::Entry::Vacant(slot) = component.entry(w) {
                            slot.insert(id);
                            stack.push(w);
                        }
                    }
                }
            }
        }
        for g in &gateways {
            sizes[component[&g.node]] += 1;
        }
        let Some(ocean) = (0..sizes.len()).max_by_key(|&i| sizes[i]) else { return gateways };
        gateways.into_iter().filter(|g| component[&g.node] == ocean).collect()
    }

    /// A stop at a port hub (a gateway), named after its port.
    fn hub_stop(&self, hub: NodeId) -> Snapped {
        let place = self.net.meta.places.iter().position(|p| p.hub == Some(hub));
        let c = self.net.coord(hub);
        let name = place
            .map(|i| format!("{}, {}", self.net.meta.places[i].name, self.net.meta.places[i].country))
            .unwrap_or_else(|| format!("port {:.3},{:.3}", c.lat, c.lon));
        Snapped {
            resolved: Resolved {
                query: name.clone(),
                name,
                country: Some(self.net.country(hub).to_string()),
                point: c,
                place,
            },
            terminals: vec![Terminal { node: hub, cost: 0 }],
            access_km: vec![0.0],
            door: false,
        }
    }

    fn resolve_stops(&self, q: &Query) -> Result<Vec<Resolved>> {
        let places = &self.net.meta.places;
        let mut stops = vec![self.gazetteer().resolve(places, &q.from)?];
        for v in &q.via {
            stops.push(self.gazetteer().resolve(places, v)?);
        }
        stops.push(self.gazetteer().resolve(places, &q.to)?);
        Ok(stops)
    }

    /// Chains searches through the stops: the cost of arriving at stop k is carried into the
    /// sources of the next search, so the chain is exact for "visit every stop in order".
    /// Returns the total cost and one path per segment, or None if a segment is unreachable.
    fn search_chain(
        &self,
        snapped: &[Snapped],
        rs: &[Restrictions],
        objective: Objective,
        metric: Metric,
    ) -> Option<(u64, Vec<Path>)> {
        if let Some(prep) = &self.prepared {
            let pots = prep.potentials(self, objective, metric);
            return self.cch_searchers.with(
                || CchSearcher::new(&self.net),
                |cch| {
                    chain_through_vias(snapped, rs, |r, sources, targets| {
                        cch.shortest_path(&self.net, &prep.cch, &pots, r, metric, sources, targets)
                    })
                },
            );
        }
        self.with_searcher(|searcher| {
            chain_through_vias(snapped, rs, |r, sources, targets| {
                searcher.shortest_path(&self.net, r, metric, sources, targets)
            })
        })
    }

    fn explain_chain(&self, snapped: &[Snapped], paths: &[Path], objective: Objective) -> Route {
        let origin = self.endpoint(&snapped[0], paths[0].source);
        let last = snapped.last().unwrap();
        let destination = self.endpoint(last, paths.last().unwrap().target);
        let via: Vec<Endpoint> =
            (1..snapped.len() - 1).map(|k| self.endpoint(&snapped[k], paths[k - 1].target)).collect();
        let segments: Vec<Segment> = paths.iter().map(|p| Segment { nodes: &p.nodes, edges: &p.edges }).collect();
        let namer = Namer::new(&self.net, &self.lookup.place_grid);
        let mut route = explain(&self.net, &namer, &self.cost, objective, (origin, via, destination), &segments);
        route.market = self.params.market.name.clone();
        route
    }

    /// Tries lifting one exclusion at a time: the ones that make a route exist.
    fn diagnose(&self, stops: &[Resolved], r: &Restrictions, objective: Objective) -> Vec<Lift> {
        let mut tries: Vec<(Lift, Restrictions)> = Vec::new();
        for c in r.avoid_countries.iter() {
            let mut x = *r;
            x.avoid_countries.remove(c);
            tries.push((Lift::AllowCountry { country: self.net.meta.countries[c as usize].clone() }, x));
        }
        for p in 1..self.net.meta.passages.len() {
            if r.closed_passages & (1 << p) != 0 {
                let mut x = *r;
                x.closed_passages &= !(1 << p);
                tries.push((Lift::OpenPassage { passage: self.net.meta.passages[p].clone() }, x));
            }
        }
        if !r.allow_planned {
            let mut x = *r;
            x.allow_planned = true;
            tries.push((Lift::AllowPlanned, x));
        }
        if r.avoid_waters {
            let mut x = *r;
            x.avoid_waters = false;
            tries.push((Lift::CrossWaters, x));
        }
        if r.modes != 0b1111 {
            let mut x = *r;
            x.modes = 0b1111;
            tries.push((Lift::AllModes, x));
        }
        tries
            .into_iter()
            .take(12)
            .filter(|(_, x)| {
                let Ok(snapped) = stops.iter().map(|s| self.snap(s.clone(), x, objective)).collect::<Result<Vec<_>>>()
                else {
                    return false;
                };
                self.search_chain(&snapped, std::slice::from_ref(x), Objective::Distance, Metric::Length).is_some()
            })
            .map(|(l, _)| l)
            .collect()
    }
}

/// A many-to-many matrix of an objective between places.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Matrix {
    pub objective: Objective,
    /// Unit of the values: km, hours, usd_per_feu or kg_co2e_per_teu.
    pub unit: &'static str,
    pub origins: Vec<String>,
    pub destinations: Vec<String>,
    /// `values[i][j]`: origin i to destination j on the network, with the lifts at both ends
    /// (access to the network excluded, as in a route's totals); None when no route exists
    /// under the constraints.
    pub values: Vec<Vec<Option<f64>>>,
}

impl Planner {
    /// Many-to-many matrix: one one-to-many search per origin, origins shared among `threads`
    /// workers; `progress` is called after each origin.
    pub fn matrix(
        &self,
        origins: &[String],
        destinations: &[String],
        c: &Constraints,
        objective: Objective,
        threads: usize,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Matrix> {
        if c.door {
            // a cell's door-to-door value depends on whether its path is by road alone (see
            // `Planner::door_to_door`), which a many-to-many search does not see
            return Err(Error::BadQuery(
                "door to door is for routes (route, compare, scenario, critical), not matrices: ask without it".into(),
            ));
        }
        let r = self.restrictions(c)?;
        let places = &self.net.meta.places;
        let resolve = |qs: &[String]| -> Result<Vec<Snapped>> {
            qs.iter().map(|q| self.snap(self.gazetteer().resolve(places, q)?, &r, objective)).collect()
        };
        // every origin and destination is a route's end: its terminals carry the end lifts,
        // which the values keep (only the access is taken out, as in a route's totals)
        let lifted = |v: Vec<Snapped>| -> Vec<Snapped> {
            v.into_iter().map(|s| self.with_end_lifts(vec![s], objective, false).remove(0)).collect()
        };
        let (os, ds) = (lifted(resolve(origins)?), lifted(resolve(destinations)?));
        // a cell's value without the access; the lifts stay, except on the empty path of two
        // places attached to one node (no leg, no lift: what a route reports, and the collapse
        // check below needs its 0)
        let access = |t: &Terminal| t.cost - self.end_lift_weight(t.node, objective);
        let value = |total: u64, o: &Terminal, d: &Terminal| {
            if o.node == d.node {
                total - o.cost - d.cost
            } else {
                total - access(o) - access(d)
            }
        };
        let weights = self.objective_weights(objective);
        let metric = match &weights {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        // all destination terminals in one list; remember which destination each belongs to
        let mut targets = Vec::new();
        let mut owner = Vec::new();
        for (j, d) in ds.iter().enumerate() {
            for t in &d.terminals {
                targets.push(*t);
                owner.push(j);
            }
        }
        let unit_div = match objective {
            Objective::Distance => 1000.0,
            Objective::Time => 3600.0,
            Objective::Cost => 100.0,
            Objective::Co2 => 1000.0,
        };
        let to_unit = |v: u64| (v as f64 / unit_div * 1000.0).round() / 1000.0;
        let values: Vec<Vec<Option<f64>>> = if let Some(prep) = &self.prepared {
            // one customization for this exclusion set and objective, then bucket many-to-many
            let w = prep.cch.customize_for(&self.net, Some(&r), metric);
            let keep = |s: &Snapped| -> Vec<Terminal> {
                s.terminals.iter().filter(|t| r.node_ok(&self.net, t.node)).copied().collect()
            };
            let o_terms: Vec<Vec<Terminal>> = os.iter().map(keep).collect();
            let d_terms: Vec<Vec<Terminal>> = ds.iter().map(keep).collect();
            let cells = crate::engine::cch::matrix::many_to_many(&prep.cch, &w, &o_terms, &d_terms, threads, progress);
            cells
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(j, c)| {
                            let c = (*c)?;
                            Some(to_unit(value(c.total, &o_terms[i][c.source], &d_terms[j][c.target])))
                        })
                        .collect()
                })
                .collect()
        } else {
            self.matrix_by_search(&r, metric, &os, &targets, &owner, ds.len(), threads, progress, &to_unit, &value)
        };
        let mut values = values;
        // cells on a trade (Europe -> East Asia, short sea) pay its sea freight, as their routes
        // do: a sub-matrix of those origins and destinations on the trade's planner (the
        // backhaul changes only money; the short-sea trade also the ships' schedule speed)
        for t in Trade::ALL {
            if objective == Objective::Cost || (t == Trade::ShortSea && objective == Objective::Time) {
                let from: Vec<usize> = (0..os.len()).filter(|&i| self.trade_end(t, &os[i].resolved, true)).collect();
                let to: Vec<usize> = (0..ds.len()).filter(|&j| self.trade_end(t, &ds[j].resolved, false)).collect();
                let ends =
                    from.first().zip(to.first()).map(|(&i, &j)| [os[i].resolved.clone(), ds[j].resolved.clone()]);
                let Some((_, b)) = ends.and_then(|ends| self.trade_for(&ends)).filter(|(u, _)| *u == t) else {
                    continue;
                };
                let pick =
                    |idx: &[usize], qs: &[String]| -> Vec<String> { idx.iter().map(|&k| qs[k].clone()).collect() };
                let sub = b.matrix(&pick(&from, origins), &pick(&to, destinations), c, objective, threads, &|| {})?;
                for (a, &i) in from.iter().enumerate() {
                    for (k, &j) in to.iter().enumerate() {
                        values[i][j] = sub.values[a][k];
                    }
                }
            }
        }
        // distinct places that attach to the same network point have no route between them
        // (see [`collapsed`]): a 0 there would be a silent wrong answer
        for (i, row) in values.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                if *cell == Some(0.0) && os[i].resolved.point.km_to(&ds[j].resolved.point) > COLLAPSE_KM {
                    *cell = None;
                }
            }
        }
        Ok(Matrix {
            objective,
            unit: match objective {
                Objective::Distance => "km",
                Objective::Time => "hours",
                Objective::Cost => "usd_per_feu",
                Objective::Co2 => "kg_co2e_per_teu",
            },
            origins: os.iter().map(|s| s.resolved.name.clone()).collect(),
            destinations: ds.iter().map(|s| s.resolved.name.clone()).collect(),
            values,
        })
    }
}

/// Places further apart than this (km) that attach to the same network point have no route
/// between them on the network: answering "0 km" would be a silent wrong answer.
pub const COLLAPSE_KM: f64 = 1.0;

/// Why a route is no answer: its origin and destination are distinct places (more than
/// [`COLLAPSE_KM`] apart) that attach to the same network point, so the route has no leg.
fn collapsed(r: &Route) -> Option<String> {
    let (o, d) = (&r.origin, &r.destination);
    let apart = crate::geo::haversine_km(o.lat, o.lon, d.lat, d.lon);
    (r.legs.is_empty() && apart > COLLAPSE_KM).then(|| {
        format!(
            "both places ({apart:.0} km apart) attach to the same network point ({:.3},{:.3}): the network has no route between them",
            o.network_lat, o.network_lon
        )
    })
}

/// A source no chain reaches: its cost keeps it out of every search that has a reached source.
const UNREACHED: u64 = u64::MAX / 4;

/// One end of a maritime route: its land stop (None when the place is its own gateway), the
/// place snapped straight onto gateway ports (a port city), and the gateways it may sail from by
/// land, with the cost of reaching each (its own gateway's is its end lift).
struct SeaEnd {
    land: Option<Snapped>,
    direct: Option<Snapped>,
    near: Vec<(NodeId, u64)>,
}

/// How a maritime route's end reaches its chosen gateway.
enum EndStop {
    /// By land from the place (the land stop, then the gateway).
    Land(Snapped),
    /// The place snapped onto the gateway itself.
    Direct(Snapped),
    /// The place is the gateway.
    Own,
}

impl SeaEnd {
    /// Every gateway this end may sail from with its cost: by land, and straight for the ports
    /// the place snaps onto.
    fn candidates(&self) -> impl Iterator<Item = (NodeId, u64)> + '_ {
        let direct = self.direct.iter().flat_map(|s| s.terminals.iter().map(|t| (t.node, t.cost)));
        self.near.iter().copied().chain(direct)
    }

    /// The stop for gateway `g`: straight when the place snaps onto `g` and that is no dearer
    /// than reaching it by land.
    fn stop_for(&self, g: NodeId) -> EndStop {
        let Some(land) = &self.land else { return EndStop::Own };
        let by_land = self.near.iter().filter(|&&(n, _)| n == g).map(|&(_, c)| c).min();
        if let Some(s) = &self.direct {
            if let Some(k) = s.terminals.iter().position(|t| t.node == g) {
                if by_land.is_none_or(|c| s.terminals[k].cost <= c) {
                    let mut s = s.clone();
                    (s.terminals, s.access_km) = (vec![s.terminals[k]], vec![s.access_km[k]]);
                    return EndStop::Direct(s);
                }
            }
        }
        EndStop::Land(land.clone())
    }
}

/// How many of the ocean ports nearest to a land end a maritime corridor may sail from.
const GATEWAY_CANDIDATES: usize = 6;

/// The cheapest chain of segment paths through the stops, leaving each via from the node it
/// arrived at: a box that reaches a via by ship and leaves it by train changes mode on the
/// network, at a transfer edge with its handling, never by the via's access hop between two of
/// its terminals. Exact: one search per terminal of each via (arrival there at least cost), then
/// the next segment starts from every reached terminal at its arrival cost. `segment(r, sources,
/// targets)` is the engine's multi-source, multi-target search.
fn chain_through_vias(
    snapped: &[Snapped],
    rs: &[Restrictions],
    mut segment: impl FnMut(&Restrictions, &[Terminal], &[Terminal]) -> Option<Path>,
) -> Option<(u64, Vec<Path>)> {
    let mut sources: Vec<Terminal> = snapped[0].terminals.clone();
    // the chain that arrives at each source (None: unreached)
    let mut chains: Vec<Option<Vec<Path>>> = vec![Some(Vec::new()); sources.len()];
    for (k, next) in snapped[1..].iter().enumerate() {
        let r = &rs[k.min(rs.len() - 1)];
        if k + 2 == snapped.len() {
            let path = segment(r, &sources, &next.terminals)?;
            let mut chain = chains[path.source].clone()?;
            let cost = path.cost;
            chain.push(path);
            return Some((cost, chain));
        }
        let mut next_sources = Vec::with_capacity(next.terminals.len());
        let mut next_chains = Vec::with_capacity(next.terminals.len());
        for (j, t) in next.terminals.iter().enumerate() {
            let arrival = segment(r, &sources, std::slice::from_ref(t))
                .and_then(|p| chains[p.source].clone().map(|c| (p, c)))
                .filter(|(p, _)| p.cost < UNREACHED);
            match arrival {
                Some((mut path, mut chain)) => {
                    path.target = j;
                    next_sources.push(Terminal { node: t.node, cost: path.cost + t.cost });
                    chain.push(path);
                    next_chains.push(Some(chain));
                }
                None => {
                    next_sources.push(Terminal { node: t.node, cost: UNREACHED });
                    next_chains.push(None);
                }
            }
        }
        if next_chains.iter().all(Option::is_none) {
            return None;
        }
        sources = next_sources;
        chains = next_chains;
    }
    None
}

/// Cost of a chain of segment paths under `metric`, with the access costs at every stop: what
/// [`Planner::search_chain`] minimises, recomputed for paths found under other weights.
fn chain_cost(net: &Network, metric: Metric, snapped: &[Snapped], paths: &[Path]) -> u64 {
    let mut total = snapped[0].terminals[paths[0].source].cost;
    for (k, p) in paths.iter().enumerate() {
        total += p.network_weight(net, metric);
        total += snapped[k + 1].terminals[p.target].cost;
        if let Some(next) = paths.get(k + 1) {
            total += snapped[k + 1].terminals[next.source].cost;
        }
    }
    total
}

/// ISO 3166-1 alpha-2 codes in current use (plus XK for Kosovo, used by OSM-derived data).
fn is_iso_alpha2(code: &str) -> bool {
    const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";
    let up = code.to_ascii_uppercase();
    CODES.split(' ').any(|c| c == up)
}

impl Planner {
    /// The matrix without a prepared engine: one one-to-many Dijkstra per origin.
    #[allow(clippy::too_many_arguments)]
    fn matrix_by_search(
        &self,
        r: &Restrictions,
        metric: Metric,
        os: &[Snapped],
        targets: &[Terminal],
        owner: &[usize],
        n_dest: usize,
        threads: usize,
        progress: &(dyn Fn() + Sync),
        to_unit: &(dyn Fn(u64) -> f64 + Sync),
        value: &(dyn Fn(u64, &Terminal, &Terminal) -> u64 + Sync),
    ) -> Vec<Vec<Option<f64>>> {
        let r = *r;
        // one many-to-many search per origin row, a searcher per worker
        crate::engine::on_threads(threads, || {
            use rayon::prelude::*;
            os.par_iter()
                .map_init(
                    || crate::engine::many::ManySearcher::new(&self.net),
                    |many, o| {
                        let reached = many.search(&self.net, &r, metric, &o.terminals, targets);
                        // best (total) per destination; report it without the access
                        let mut best: Vec<Option<(u64, u64)>> = vec![None; n_dest];
                        for (k, x) in reached.iter().enumerate() {
                            if let Some(x) = x {
                                let net_only = value(x.total, &o.terminals[x.source], &targets[k]);
                                let j = owner[k];
                                if best[j].is_none_or(|(b, _)| x.total < b) {
                                    best[j] = Some((x.total, net_only));
                                }
                            }
                        }
                        progress();
                        best.iter().map(|b| b.map(|(_, v)| to_unit(v))).collect()
                    },
                )
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stop(terminals: Vec<Terminal>) -> Snapped {
        let access_km = vec![0.0; terminals.len()];
        Snapped {
            resolved: Resolved {
                query: String::new(),
                name: String::new(),
                country: None,
                point: crate::geo::LatLon { lat: 0.0, lon: 0.0 },
                place: None,
            },
            terminals,
            access_km,
            door: false,
        }
    }

    /// The engine's search on a complete graph given by its distance matrix (None: no edge):
    /// the cheapest source cost + distance + target cost.
    fn search(d: &[Vec<Option<u64>>], sources: &[Terminal], targets: &[Terminal]) -> Option<Path> {
        let mut best: Option<Path> = None;
        for (i, s) in sources.iter().enumerate() {
            for (j, t) in targets.iter().enumerate() {
                let Some(w) = d[s.node as usize][t.node as usize] else { continue };
                let cost = s.cost + w + t.cost;
                if best.as_ref().is_none_or(|b| cost < b.cost) {
                    let nodes = vec![s.node, t.node];
                    best = Some(Path { cost, source: i, target: j, nodes, edges: vec![] });
                }
            }
        }
        best
    }

    proptest! {
        /// A chain leaves each via from the node it reached: its cost is the minimum over the
        /// choice of one terminal per via of the segment costs, each via's access counted on
        /// arrival and departure, as `chain_cost` recomputes it.
        #[test]
        fn chains_leave_each_via_where_they_arrived(
            n in 3usize..7,
            cells in proptest::collection::vec(proptest::option::weighted(0.8, 0u64..100), 49),
            stops in proptest::collection::vec(proptest::collection::vec((0u32..7, 0u64..20), 1..4), 2..5),
        ) {
            let d: Vec<Vec<Option<u64>>> = (0..7)
                .map(|a| (0..7).map(|b| if a == b { Some(0) } else { cells[a * 7 + b] }).collect())
                .collect();
            let stops: Vec<Snapped> = stops
                .iter()
                .map(|ts| stop(ts.iter().map(|&(v, c)| Terminal { node: v % n as u32, cost: c }).collect()))
                .collect();
            let rs = [Restrictions::open()];
            let got = chain_through_vias(&stops, &rs, |_, s, t| search(&d, s, t));
            // brute force: every choice of an arrival terminal per via
            let vias = &stops[1..stops.len() - 1];
            let mut best: Option<u64> = None;
            let combos: usize = vias.iter().map(|s| s.terminals.len()).product();
            for mut k in 0..combos {
                let mut pick = Vec::new();
                for s in vias {
                    pick.push(k % s.terminals.len());
                    k /= s.terminals.len();
                }
                let mut total = Some(0u64);
                let mut from: Vec<Terminal> = stops[0].terminals.clone();
                for (i, s) in vias.iter().enumerate() {
                    let t = s.terminals[pick[i]];
                    total = total.and_then(|_| search(&d, &from, &[t]).map(|p| p.cost));
                    from = vec![Terminal { node: t.node, cost: total.unwrap_or(0) + t.cost }];
                }
                let last = search(&d, &from, &stops[stops.len() - 1].terminals);
                if let (Some(_), Some(p)) = (total, last) {
                    best = Some(best.map_or(p.cost, |b| b.min(p.cost)));
                }
            }
            prop_assert_eq!(got.as_ref().map(|g| g.0), best);
            if let Some((cost, paths)) = got {
                // consecutive segments meet at one node of each via
                for w in paths.windows(2) {
                    prop_assert_eq!(w[0].nodes.last(), w[1].nodes.first());
                }
                let _ = cost;
            }
        }
    }
}
