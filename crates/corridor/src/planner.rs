//! High-level route planning: resolve places, snap them to the network under the query's
//! restrictions, chain exact searches through via points, explain the result, and, when no route
//! exists, find which single exclusion blocks it.

use crate::engine::bidir::Searcher;
use crate::engine::{mode_bit, CountrySet, Path, Restrictions, Terminal};
use crate::network::grid::Grid;
use crate::network::{node_flags, Layer, Mode, Network, NodeId};
use crate::places::{Gazetteer, Resolved};
use crate::route::{explain, Endpoint, Namer, Route, Segment};
use crate::{Error, Result};

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
#[derive(Debug, Clone, Default, PartialEq)]
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
}

/// A route request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub via: Vec<String>,
    pub constraints: Constraints,
}

/// Planner state for one network: gazetteer and spatial indexes, built once.
pub struct Planner<'n> {
    pub net: &'n Network,
    pub gazetteer: Gazetteer,
    place_grid: Grid,
    /// One grid per snappable layer (rail, road, port) over the node ids listed beside it.
    layer_grids: Vec<(Layer, Grid, Vec<NodeId>)>,
}

/// A place attached to the network: candidate terminals (one per usable layer).
struct Snapped {
    resolved: Resolved,
    terminals: Vec<Terminal>,
}

impl<'n> Planner<'n> {
    pub fn new(net: &'n Network) -> Planner<'n> {
        let places = &net.meta.places;
        let place_grid = Grid::new(places.iter().map(|p| (p.lat, p.lon)));
        let layer_grids = [Layer::Rail, Layer::Road, Layer::Port]
            .into_iter()
            .map(|layer| {
                let ids: Vec<NodeId> = (0..net.node_count() as u32).filter(|&v| net.layer(v) == layer).collect();
                let grid = Grid::new(ids.iter().map(|&v| {
                    let c = net.coord(v);
                    (c.lat, c.lon)
                }));
                (layer, grid, ids)
            })
            .collect();
        Planner { net, gazetteer: Gazetteer::new(places), place_grid, layer_grids }
    }

    /// Resolves names into index-based restrictions, with clear errors for unknown names.
    pub fn restrictions(&self, c: &Constraints) -> Result<Restrictions> {
        let net = self.net;
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
        for name in &net.meta.default_closed_passages {
            if let Some(i) = net.passage_index(name) {
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
    fn snap(&self, resolved: Resolved, r: &Restrictions) -> Result<Snapped> {
        let net = self.net;
        if let Some(c) = &resolved.country {
            if let Some(i) = net.country_index(c) {
                if r.avoid_countries.contains(i) {
                    return Err(Error::BadQuery(format!("{} lies in {c}, which the query avoids", resolved.name)));
                }
            }
        }
        let mut terminals = Vec::new();
        for (layer, grid, ids) in &self.layer_grids {
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
            let usable = |i: u32| {
                let v = ids[i as usize];
                r.node_ok(net, v) && net.arcs(v).any(|(_, _, e)| r.edge_ok(net, e))
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
                terminals.push(Terminal { node: ids[i as usize], cost: (km * 1000.0).round() as u64 });
            }
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
        Ok(Snapped { resolved, terminals })
    }

    fn endpoint(&self, s: &Snapped, t: Terminal) -> Endpoint {
        let c = self.net.coord(t.node);
        Endpoint {
            query: s.resolved.query.clone(),
            name: s.resolved.name.clone(),
            lat: s.resolved.point.lat,
            lon: s.resolved.point.lon,
            network_lat: c.lat,
            network_lon: c.lon,
            access_km: t.cost as f64 / 1000.0,
            layer: self.net.layer(t.node),
        }
    }

    /// Plans the route for a query. Errors: bad input (unknown names, unsnappable places) or
    /// [`Error::NoRoute`] with a hint naming the exclusion that blocks it when one is found.
    pub fn route(&self, q: &Query, searcher: &mut Searcher) -> Result<Route> {
        let r = self.restrictions(&q.constraints)?;
        let stops = self.resolve_stops(q)?;
        match self.route_resolved(&stops, &r, searcher)? {
            Some(route) => Ok(route),
            None => Err(Error::NoRoute {
                from: stops[0].name.clone(),
                to: stops.last().unwrap().name.clone(),
                hint: self.diagnose(q, &stops, &r, searcher),
            }),
        }
    }

    fn resolve_stops(&self, q: &Query) -> Result<Vec<Resolved>> {
        let places = &self.net.meta.places;
        let mut stops = vec![self.gazetteer.resolve(places, &q.from)?];
        for v in &q.via {
            stops.push(self.gazetteer.resolve(places, v)?);
        }
        stops.push(self.gazetteer.resolve(places, &q.to)?);
        Ok(stops)
    }

    /// Routes through resolved stops; Ok(None) if no route exists under `r`.
    fn route_resolved(&self, stops: &[Resolved], r: &Restrictions, searcher: &mut Searcher) -> Result<Option<Route>> {
        let snapped: Vec<Snapped> = stops.iter().map(|s| self.snap(s.clone(), r)).collect::<Result<_>>()?;
        // Chain the searches: the cost of arriving at stop k is carried into the sources of the
        // next search, so the chain is exact for "visit every stop in order".
        let mut sources: Vec<Terminal> = snapped[0].terminals.clone();
        let mut paths: Vec<Path> = Vec::new();
        let mut first_terminal = None;
        for (k, next) in snapped.iter().enumerate().skip(1) {
            let Some(path) = searcher.shortest_path(self.net, r, &sources, &next.terminals) else {
                return Ok(None);
            };
            if k == 1 {
                first_terminal = Some(snapped[0].terminals[path.source]);
            }
            let arrive = path.cost;
            sources = next.terminals.iter().map(|t| Terminal { node: t.node, cost: arrive + t.cost }).collect();
            paths.push(path);
        }
        let origin = self.endpoint(&snapped[0], first_terminal.expect("at least one segment"));
        let last = snapped.last().unwrap();
        let last_path = paths.last().unwrap();
        let destination = self.endpoint(last, last.terminals[last_path.target]);
        let via: Vec<Endpoint> = (1..snapped.len() - 1)
            .map(|k| self.endpoint(&snapped[k], snapped[k].terminals[paths[k - 1].target]))
            .collect();
        let segments: Vec<Segment> = paths.iter().map(|p| Segment { nodes: &p.nodes, edges: &p.edges }).collect();
        let namer = Namer::new(self.net, &self.place_grid);
        Ok(Some(explain(self.net, &namer, origin, via, destination, &segments)))
    }

    /// Tries lifting one exclusion at a time and says which ones make a route exist.
    fn diagnose(&self, q: &Query, stops: &[Resolved], r: &Restrictions, searcher: &mut Searcher) -> Option<String> {
        let mut tries: Vec<(String, Restrictions)> = Vec::new();
        for c in r.avoid_countries.iter() {
            let mut x = *r;
            x.avoid_countries.remove(c);
            tries.push((format!("reachable if {} is allowed", self.net.meta.countries[c as usize]), x));
        }
        for p in 1..self.net.meta.passages.len() {
            if r.closed_passages & (1 << p) != 0 {
                let mut x = *r;
                x.closed_passages &= !(1 << p);
                tries.push((format!("reachable if passage {} is open", self.net.meta.passages[p]), x));
            }
        }
        if !r.allow_planned {
            let mut x = *r;
            x.allow_planned = true;
            tries.push(("reachable with planned links (--allow-planned)".into(), x));
        }
        if r.avoid_waters {
            let mut x = *r;
            x.avoid_waters = false;
            tries.push(("reachable if the avoided countries' waters may be crossed".into(), x));
        }
        if r.modes != 0b1111 {
            let mut x = *r;
            x.modes = 0b1111;
            tries.push(("reachable with all modes".into(), x));
        }
        let _ = q;
        let hints: Vec<String> = tries
            .into_iter()
            .take(12)
            .filter(|(_, x)| matches!(self.route_resolved(stops, x, searcher), Ok(Some(_))))
            .map(|(h, _)| h)
            .collect();
        (!hints.is_empty()).then(|| hints.join("; "))
    }
}

/// ISO 3166-1 alpha-2 codes in current use (plus XK for Kosovo, used by OSM-derived data).
fn is_iso_alpha2(code: &str) -> bool {
    const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";
    let up = code.to_ascii_uppercase();
    CODES.split(' ').any(|c| c == up)
}
