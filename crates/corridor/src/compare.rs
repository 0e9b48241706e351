//! Named corridors (`data/corridors.toml`) and their side-by-side comparison between two places.
//!
//! Each corridor is a set of constraints added to the user's (via places, avoided and required
//! countries, modes, passages, planned links). Maritime corridors (`sea_main`) go by land (rail
//! or road) to an ocean gateway port, by sea between gateway ports, and by land from the arrival
//! port: of the six ocean ports nearest each land end (under the objective), the pair that makes
//! the cheapest whole route among those whose sea route passes the corridor's required passages
//! (Suez, the Cape). A coastal place on the open ocean is its own gateway; Caspian ports are not
//! gateways (no liner reaches them).

use serde::{Deserialize, Serialize};

use crate::model::cost::Objective;
use crate::network::Mode;
use crate::planner::{Constraints, Planner, Query};
use crate::route::Route;
use crate::{Error, Result};

/// The shipped catalogue.
pub const CATALOGUE_TOML: &str = include_str!("../../../data/corridors.toml");

/// One named corridor.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Corridor {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub via: Vec<String>,
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Countries the corridor does not cross, though a route may start or end in them (the
    /// China-Iran block trains run through Kazakhstan and Turkmenistan, not Uzbekistan, yet
    /// Tashkent -> Tehran is a route of the corridor).
    #[serde(default)]
    pub avoid_in_transit: Vec<String>,
    #[serde(default)]
    pub require: Vec<String>,
    pub modes: Vec<String>,
    #[serde(default)]
    pub avoid_passages: Vec<String>,
    #[serde(default)]
    pub require_passages: Vec<String>,
    #[serde(default)]
    pub planned: bool,
    #[serde(default)]
    pub sea_main: bool,
    /// If not empty, the corridor applies only when the origin or destination is in one of these.
    #[serde(default)]
    pub applies: Vec<String>,
    pub source: String,
}

impl Corridor {
    /// The via places in the order a route from `from_country` to `to_country` meets them. A
    /// corridor's vias are listed from the side it serves (`applies`, e.g. China): a route that
    /// starts on the other side and ends on the served side runs the corridor backwards, so it
    /// visits the vias in reverse (Istanbul -> Xi'an meets Alat before Aktau; in the listed order
    /// it would cross the Caspian three times).
    pub fn via_for(&self, from_country: Option<&str>, to_country: Option<&str>) -> Vec<String> {
        let served = |c: Option<&str>| c.is_some_and(|c| self.applies.iter().any(|a| a.eq_ignore_ascii_case(c)));
        let mut via = self.via.clone();
        if !served(from_country) && served(to_country) {
            via.reverse();
        }
        via
    }

    /// The countries a route between countries `ends` avoids: `avoid`, and `avoid_in_transit`
    /// except the ends' own countries (an unknown end keeps every transit exclusion).
    pub fn avoid_for(&self, ends: &[Option<&str>]) -> Vec<String> {
        let is_end = |x: &str| ends.iter().flatten().any(|e| e.eq_ignore_ascii_case(x));
        let mut avoid = self.avoid.clone();
        avoid.extend(self.avoid_in_transit.iter().filter(|x| !is_end(x)).cloned());
        avoid
    }
}

/// The corridor catalogue.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Catalogue {
    pub version: String,
    pub corridor: Vec<Corridor>,
}

impl Catalogue {
    pub fn shipped() -> Catalogue {
        Catalogue::parse(CATALOGUE_TOML).expect("the shipped corridor catalogue is valid")
    }
    pub fn parse(text: &str) -> Result<Catalogue> {
        let c: Catalogue = toml::from_str(text).map_err(|e| Error::BadQuery(format!("corridor catalogue: {e}")))?;
        for k in &c.corridor {
            for m in &k.modes {
                Mode::parse(m).ok_or_else(|| Error::UnknownMode(m.clone()))?;
            }
        }
        Ok(c)
    }
    pub fn get(&self, id: &str) -> Option<&Corridor> {
        self.corridor.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }
}

/// One row of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    /// True if the corridor has a route as the network stands under the user's constraints.
    pub available: bool,
    /// "ok", "needs 2 planned links", "excluded by --avoid RU", "no route: ...".
    pub status: String,
    pub distance_km: Option<f64>,
    pub days: Option<f64>,
    pub days_low: Option<f64>,
    pub days_high: Option<f64>,
    pub usd_per_feu: Option<f64>,
    /// Total logistics cost per FEU (charges plus capital cost in transit).
    pub total_usd_per_feu: Option<f64>,
    pub usd_per_teu: Option<f64>,
    pub kg_co2e_per_teu: Option<f64>,
    pub kg_co2e_per_tonne: Option<f64>,
    pub countries: Vec<String>,
    pub borders: Vec<String>,
    pub transfers: usize,
    pub passages: Vec<String>,
    /// Planned links the route needs (ids).
    pub planned_links: Vec<String>,
    #[serde(skip)]
    pub route: Option<Route>,
}

/// The constraints of a corridor added to the user's (its exclusions, modes and passages; planned
/// links on if it depends on them), without its via points and required countries. Without the
/// route's ends, every transit exclusion (`avoid_in_transit`) applies.
pub fn corridor_constraints(user: &Constraints, c: &Corridor) -> Result<Constraints> {
    merge(user, c, c.planned, &[])
}

fn merge(user: &Constraints, c: &Corridor, allow_planned: bool, ends: &[Option<&str>]) -> Result<Constraints> {
    let mut k = user.clone();
    k.avoid.extend(c.avoid_for(ends));
    k.avoid_passages.extend(c.avoid_passages.iter().cloned());
    let corridor_modes: Vec<Mode> =
        c.modes.iter().map(|m| Mode::parse(m).ok_or_else(|| Error::UnknownMode(m.clone()))).collect::<Result<_>>()?;
    k.modes = if user.modes.is_empty() {
        corridor_modes
    } else {
        corridor_modes.into_iter().filter(|m| user.modes.contains(m)).collect()
    };
    // an empty list would mean "every mode": a corridor none of whose modes is allowed has none
    if k.modes.is_empty() {
        return Err(Error::BadQuery(format!("corridor {} uses none of the modes given ({})", c.id, c.modes.join(","))));
    }
    k.allow_planned = user.allow_planned || allow_planned;
    Ok(k)
}

fn row_from(c: &Corridor, route: Route, status: String, available: bool) -> Row {
    let planned_links: Vec<String> =
        route.links.iter().filter(|l| l.status == "planned").map(|l| l.id.clone()).collect();
    Row {
        id: c.id.clone(),
        name: c.name.clone(),
        available,
        status,
        distance_km: Some(route.distance_km),
        days: Some(route.totals.days),
        days_low: Some(route.totals.days_low),
        days_high: Some(route.totals.days_high),
        usd_per_feu: Some(route.totals.usd_per_feu),
        total_usd_per_feu: Some(route.totals.total_usd_per_feu),
        usd_per_teu: Some(route.totals.usd_per_teu),
        kg_co2e_per_teu: Some(route.totals.kg_co2e_per_teu),
        kg_co2e_per_tonne: Some(route.totals.kg_co2e_per_tonne),
        countries: route.countries.clone(),
        borders: route.borders.iter().map(|b| format!("{}>{}", b.from, b.to)).collect(),
        transfers: route.transfers,
        passages: route.passages.clone(),
        planned_links,
        route: Some(route),
    }
}

fn unavailable(c: &Corridor, status: String) -> Row {
    Row {
        id: c.id.clone(),
        name: c.name.clone(),
        available: false,
        status,
        distance_km: None,
        days: None,
        days_low: None,
        days_high: None,
        usd_per_feu: None,
        total_usd_per_feu: None,
        usd_per_teu: None,
        kg_co2e_per_teu: None,
        kg_co2e_per_tonne: None,
        countries: vec![],
        borders: vec![],
        transfers: 0,
        passages: vec![],
        planned_links: vec![],
        route: None,
    }
}

/// Routes one corridor; Ok(None) if no route exists under the constraints.
fn route_corridor(planner: &Planner, c: &Corridor, q: &Query) -> Result<Option<Route>> {
    let res = if c.sea_main { planner.route_sea_main_through(q, &c.require_passages) } else { planner.route(q) };
    match res {
        Ok(r) => Ok(Some(r)),
        Err(Error::NoRoute { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Compares every corridor of the catalogue between two places under the user's constraints.
pub fn compare(
    planner: &Planner,
    catalogue: &Catalogue,
    from: &str,
    to: &str,
    user: &Constraints,
    objective: Objective,
) -> Result<Vec<Row>> {
    // Validate the places and the user's constraints once, with the user's own words.
    planner.restrictions(user)?;
    let places = &planner.net().meta.places;
    let ends = [planner.gazetteer().resolve(places, from)?, planner.gazetteer().resolve(places, to)?];
    let end_countries: Vec<String> = ends.iter().filter_map(|r| r.country.clone()).collect();
    let mut rows = Vec::new();
    for c in &catalogue.corridor {
        if !c.applies.is_empty() && !end_countries.iter().any(|e| c.applies.iter().any(|a| a.eq_ignore_ascii_case(e))) {
            rows.push(unavailable(
                c,
                format!("not applicable: serves origins or destinations in {}", c.applies.join(",")),
            ));
            continue;
        }
        let blocked: Vec<&String> =
            c.require.iter().filter(|r| user.avoid.iter().any(|a| a.eq_ignore_ascii_case(r))).collect();
        if !blocked.is_empty() {
            let list: Vec<&str> = blocked.iter().map(|s| s.as_str()).collect();
            rows.push(unavailable(c, format!("excluded by avoiding {}", list.join(","))));
            continue;
        }
        let shares_a_mode =
            user.modes.is_empty() || c.modes.iter().filter_map(|m| Mode::parse(m)).any(|m| user.modes.contains(&m));
        if !shares_a_mode {
            rows.push(unavailable(
                c,
                format!("excluded by the modes allowed: the corridor uses {}", c.modes.join(",")),
            ));
            continue;
        }
        let end_of = |i: usize| ends[i].country.as_deref();
        let k = merge(user, c, false, &[end_of(0), end_of(1)])?;
        let via = c.via_for(ends[0].country.as_deref(), ends[1].country.as_deref());
        let query = |constraints: Constraints| Query {
            from: from.into(),
            to: to.into(),
            via: via.clone(),
            constraints,
            objective,
        };
        let route = match route_corridor(planner, c, &query(k.clone())) {
            Ok(r) => r,
            Err(e) if e.is_bad_input() => {
                rows.push(unavailable(c, format!("not applicable: {e}")));
                continue;
            }
            Err(e) => return Err(e),
        };
        let misses = |r: &Route| -> Vec<String> {
            c.require
                .iter()
                .filter(|x| !r.countries.contains(x))
                .chain(c.require_passages.iter().filter(|x| !r.passages.contains(x)))
                .cloned()
                .collect()
        };
        let complete = route.as_ref().is_some_and(|r| misses(r).is_empty());
        let row = if complete {
            row_from(c, route.unwrap(), "ok".into(), true)
        } else if c.planned && !user.allow_planned {
            // The corridor as defined depends on planned links: route with them and count them.
            let k2 = merge(user, c, true, &[end_of(0), end_of(1)])?;
            match route_corridor(planner, c, &query(k2))? {
                Some(r) if misses(&r).is_empty() => {
                    let n = r.links.iter().filter(|l| l.status == "planned").count();
                    row_from(c, r, format!("needs {n} planned link{}", if n == 1 { "" } else { "s" }), false)
                }
                Some(r) => {
                    let m = misses(&r);
                    row_from(c, r, format!("no route through {} even with planned links", m.join(",")), false)
                }
                None => unavailable(c, "no route, even with planned links".into()),
            }
        } else {
            match route {
                Some(r) => {
                    let m = misses(&r);
                    row_from(c, r, format!("the best route misses {}", m.join(",")), false)
                }
                None => unavailable(c, "no route under the constraints".into()),
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vias_run_backwards_when_the_route_ends_on_the_served_side() {
        let c = Catalogue::shipped();
        let middle = c.get("middle").unwrap();
        let forward = middle.via_for(Some("CN"), Some("DE"));
        assert_eq!(forward, middle.via);
        let mut backward = middle.via.clone();
        backward.reverse();
        assert_eq!(middle.via_for(Some("TR"), Some("CN")), backward);
        // both ends served, or neither: the listed order
        assert_eq!(middle.via_for(Some("CN"), Some("KZ")), middle.via);
        assert_eq!(middle.via_for(None, None), middle.via);
    }

    #[test]
    fn transit_exclusions_spare_the_route_ends() {
        let c = Catalogue::shipped();
        let southern = c.get("southern").unwrap();
        assert!(southern.avoid_in_transit.iter().any(|x| x == "UZ"));
        let through = southern.avoid_for(&[Some("CN"), Some("TR")]);
        assert!(through.iter().any(|x| x == "UZ") && through.iter().any(|x| x == "RU"));
        let from_uz = southern.avoid_for(&[Some("uz"), Some("TR")]);
        assert!(!from_uz.iter().any(|x| x == "UZ") && from_uz.iter().any(|x| x == "RU"));
        assert!(southern.avoid_for(&[None, None]).iter().any(|x| x == "UZ"));
    }
}
