//! What-if scenarios: a TOML file that closes countries, passages, links, ports or border
//! crossings, opens planned links, changes dwell times and fees at named borders, ports and
//! ferries, overrides parameters and sets capacities (schema: `docs/scenarios.md`; examples:
//! `examples/scenarios/`).
//!
//! Applying a scenario ([`Scenario::apply`]) gives an [`Applied`]: a copy of the network with
//! edges closed and planned edges opened ([`Network::with_edge_changes`]: same topology and
//! version, so the prepared engine stays exact on it), constraints every query adds (closed
//! countries and passages), the parameters with overrides, per-place dwell overrides for the cost
//! model, and the capacities with the scenario's changes. [`evaluate`] routes each pair and each
//! corridor before and after and reports the differences. Every result names the scenario's
//! fingerprint (a hash of its parsed content, so comments do not count) and the network version.

use serde::{Deserialize, Serialize};

use crate::analysis::elements::{port_edges, BorderSel, Elements};
use crate::capacity::{CapacityFile, Element};
use crate::compare::{compare, Catalogue, Row};
use crate::model::cost::{Adjust, DwellOverride, DwellTarget, Objective};
use crate::model::params::Params;
use crate::network::{EdgeId, EdgeKind, Network};
use crate::od::OdPair;
use crate::planner::{Constraints, Planner, Query};
use crate::route::Route;
use crate::{Error, Result};

/// What a scenario closes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// ISO codes: every query avoids them (as `--avoid`).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Maritime passages (names or aliases as `--avoid-passage`: suez, red-sea, bosporus...).
    #[serde(default)]
    pub passages: Vec<String>,
    /// Curated link ids (data/curated/links.csv).
    #[serde(default)]
    pub links: Vec<String>,
    /// Ports by place name: every edge of the port's hub is closed.
    #[serde(default)]
    pub ports: Vec<String>,
    /// Border crossings (rail and road edges between the two countries; mode and near narrow it).
    #[serde(default)]
    pub borders: Vec<BorderSel>,
}

/// What a scenario opens.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// Planned curated links to treat as built.
    #[serde(default)]
    pub planned_links: Vec<String>,
}

/// A change of dwell at border crossings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BorderChange {
    #[serde(deserialize_with = "crate::analysis::elements::two_countries")]
    pub between: [String; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_feu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_factor: Option<f64>,
}

/// A change of port handling (per move between land and ship) at a port.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PortChange {
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_feu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_factor: Option<f64>,
}

/// A change of the wait for a departure on one curated ferry link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FerryChange {
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_factor: Option<f64>,
}

/// A change of a capacity of `data/params/capacity.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CapacityChange {
    pub element: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teu_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
}

/// An origin/destination pair the scenario reports by default.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PairSpec {
    pub from: String,
    pub to: String,
}

/// A scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Network version the scenario was written for; when given, it must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(default)]
    pub close: Close,
    #[serde(default)]
    pub open: Open,
    /// Parameter overrides (keys of `corridor params`, e.g. `"ferry.wait_hours" = 24`).
    #[serde(default)]
    pub params: toml::Table,
    #[serde(default)]
    pub border: Vec<BorderChange>,
    #[serde(default)]
    pub port: Vec<PortChange>,
    #[serde(default)]
    pub ferry: Vec<FerryChange>,
    #[serde(default)]
    pub capacity: Vec<CapacityChange>,
    /// New capacitated elements (a new ferry line, a new terminal), same fields as
    /// `[[element]]` in `data/params/capacity.toml`.
    #[serde(default)]
    pub new_capacity: Vec<Element>,
    #[serde(default)]
    pub pair: Vec<PairSpec>,
}

/// A scenario applied to a network.
pub struct Applied {
    pub network: std::sync::Arc<Network>,
    /// Countries and passages every query avoids in addition to its own.
    pub avoid: Vec<String>,
    pub avoid_passages: Vec<String>,
    pub params: Params,
    pub dwell: Vec<DwellOverride>,
    pub capacities: CapacityFile,
    pub closed_edges: usize,
    pub opened_edges: usize,
}

impl Applied {
    /// The planner after the scenario: its network copy, parameters and dwell overrides, sharing
    /// the base planner's lookup indexes and prepared engine (same topology). The engine's
    /// objective customizations are kept only if the weights they were made for are unchanged
    /// (same parameters, no dwell overrides); otherwise searches fall back to the length
    /// potential, which stays a valid bound (closures only raise costs).
    pub fn planner(&self, base: &Planner) -> Planner {
        let mut p =
            Planner::with_params(self.network.clone(), self.params.clone()).with_dwell_overrides(self.dwell.clone());
        p.share_engine_of(base);
        p
    }

    /// The user's constraints with the scenario's closures added.
    pub fn constrain(&self, c: &Constraints) -> Constraints {
        let mut k = c.clone();
        k.avoid.extend(self.avoid.iter().cloned());
        k.avoid_passages.extend(self.avoid_passages.iter().cloned());
        k
    }
}

fn adjust(what: &str, set: Option<f64>, factor: Option<f64>) -> Result<Option<Adjust>> {
    for v in [set, factor].into_iter().flatten() {
        if !v.is_finite() || v < 0.0 {
            return Err(Error::BadQuery(format!("scenario: {what} must be a non-negative number, not {v}")));
        }
    }
    match (set, factor) {
        (Some(_), Some(_)) => Err(Error::BadQuery(format!("scenario: {what}: give a value or a factor, not both"))),
        (Some(v), None) => Ok(Some(Adjust::Set(v))),
        (None, Some(f)) => Ok(Some(Adjust::Factor(f))),
        (None, None) => Ok(None),
    }
}

impl Scenario {
    /// A scenario given as JSON with the file's keys (the HTTP API), checked exactly as a file:
    /// it goes through the TOML parser.
    pub fn from_json(value: &serde_json::Value, origin: &str) -> Result<Scenario> {
        let text = toml::to_string(value).map_err(|e| Error::BadQuery(format!("{origin}: {e}")))?;
        Scenario::parse(&text, origin)
    }

    /// Parses a scenario; unknown keys and wrong types are errors naming the key.
    pub fn parse(text: &str, origin: &str) -> Result<Scenario> {
        let s: Scenario = toml::from_str(text).map_err(|e| Error::BadQuery(format!("{origin}: {e}")))?;
        if s.name.trim().is_empty() {
            return Err(Error::BadQuery(format!("{origin}: name must not be empty")));
        }
        Ok(s)
    }

    /// FNV-64 of the parsed content (comments and layout do not count).
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        crate::hash::fnv64_hex(json.as_bytes())
    }

    /// Applies the scenario to the base planner's network, parameters and the capacities.
    pub fn apply(&self, base: &Planner, capacities: &CapacityFile) -> Result<Applied> {
        let net = base.net();
        if let Some(v) = &self.network {
            if v != &net.meta.version {
                return Err(Error::BadQuery(format!(
                    "scenario '{}' names network {v}, but this network is {}",
                    self.name, net.meta.version
                )));
            }
        }
        // countries and passages: validated by the planner's own resolution
        base.restrictions(&Constraints {
            avoid: self.close.countries.clone(),
            avoid_passages: self.close.passages.clone(),
            ..Default::default()
        })
        .map_err(|e| Error::BadQuery(format!("scenario [close]: {e}")))?;
        let link_index = |id: &str, what: &str| -> Result<u16> {
            net.meta.links.iter().position(|l| l.id == id).map(|i| i as u16 + 1).ok_or_else(|| {
                Error::BadQuery(format!("scenario {what}: unknown link '{id}' (see data/curated/links.csv)"))
            })
        };
        let hub_of = |place: &str, what: &str| -> Result<u32> {
            let r = base
                .gazetteer()
                .resolve(&net.meta.places, place)
                .map_err(|e| Error::BadQuery(format!("scenario {what}: {e}")))?;
            r.place
                .and_then(|i| net.meta.places[i].hub)
                .ok_or_else(|| Error::BadQuery(format!("scenario {what}: '{place}' is not a port on the network")))
        };
        let mut close: Vec<EdgeId> = Vec::new();
        let mut open: Vec<EdgeId> = Vec::new();
        let mut close_links = Vec::new();
        for id in &self.close.links {
            close_links.push(link_index(id, "[close] links")?);
        }
        let mut open_links = Vec::new();
        for id in &self.open.planned_links {
            let i = link_index(id, "[open] planned_links")?;
            if !net.meta.links[i as usize - 1].planned {
                return Err(Error::BadQuery(format!("scenario [open] planned_links: '{id}' is not a planned link")));
            }
            open_links.push(i);
        }
        let mut hubs = Vec::new();
        for p in &self.close.ports {
            hubs.push(hub_of(p, "[close] ports")?);
        }
        for b in &self.close.borders {
            b.validate(net, "scenario [close] borders")?;
        }
        // dwell changes at borders: each must select at least one crossing (FR-JP has none)
        let dwell_sels: Vec<BorderSel> = self
            .border
            .iter()
            .map(|b| BorderSel {
                between: b.between.clone(),
                mode: b.mode.clone(),
                near: b.near,
                radius_km: b.radius_km,
            })
            .collect();
        for sel in &dwell_sels {
            sel.validate(net, "scenario [[border]]")?;
        }
        // ports, links and border crossings close as the elements of a route do
        // (crate::analysis::elements), so that criticality, capacity and scenarios agree
        let elements = Elements::new(base);
        for &l in &close_links {
            close.extend_from_slice(elements.link_edges(l));
        }
        for &l in &open_links {
            open.extend_from_slice(elements.link_edges(l));
        }
        for &hub in &hubs {
            close.extend(port_edges(net, hub));
        }
        for sel in &self.close.borders {
            let edges = elements.selected(sel);
            if edges.is_empty() {
                return Err(Error::BadQuery(format!(
                    "scenario [close] borders: no crossing {} on the network",
                    sel.label()
                )));
            }
            close.extend(edges);
        }
        for sel in &dwell_sels {
            if elements.selected(sel).is_empty() {
                return Err(Error::BadQuery(format!(
                    "scenario [[border]]: no crossing {} on the network",
                    sel.label()
                )));
            }
        }
        close.sort_unstable();
        close.dedup();
        open.sort_unstable();
        open.dedup();
        let network = std::sync::Arc::new(net.with_edge_changes(&close, &open));

        let mut params = base.params().clone();
        if !self.params.is_empty() {
            let text = toml::to_string(&self.params).map_err(|e| Error::BadQuery(format!("scenario [params]: {e}")))?;
            params.apply_overrides(&text, &format!("scenario '{}'", self.name))?;
        }

        let mut dwell = Vec::new();
        for b in &self.border {
            let sel =
                BorderSel { between: b.between.clone(), mode: b.mode.clone(), near: b.near, radius_km: b.radius_km };
            sel.validate(net, "scenario [[border]]")?;
            let idx = |c: &str| net.country_index(c.trim()).expect("validated");
            let kind = b.mode.as_deref().map(|m| if m == "rail" { EdgeKind::Rail } else { EdgeKind::Road });
            let near = b.near.map(|[lat, lon]| (lat, lon, sel.radius()));
            let o = DwellOverride {
                target: DwellTarget::Border { a: idx(&b.between[0]), b: idx(&b.between[1]), kind, near },
                hours: adjust("[[border]] hours", b.hours, b.hours_factor)?,
                usd_per_feu: adjust("[[border]] usd_per_feu", b.usd_per_feu, b.usd_factor)?,
            };
            if o.hours.is_none() && o.usd_per_feu.is_none() {
                return Err(Error::BadQuery(format!("scenario [[border]] {}: nothing to change", sel.label())));
            }
            dwell.push(o);
        }
        for p in &self.port {
            let o = DwellOverride {
                target: DwellTarget::Port { hub: hub_of(&p.place, "[[port]]")? },
                hours: adjust("[[port]] hours", p.hours, p.hours_factor)?,
                usd_per_feu: adjust("[[port]] usd_per_feu", p.usd_per_feu, p.usd_factor)?,
            };
            if o.hours.is_none() && o.usd_per_feu.is_none() {
                return Err(Error::BadQuery(format!("scenario [[port]] {}: nothing to change", p.place)));
            }
            dwell.push(o);
        }
        for f in &self.ferry {
            let link = link_index(&f.link, "[[ferry]]")?;
            if net.meta.links[link as usize - 1].mode != crate::network::Mode::Ferry {
                return Err(Error::BadQuery(format!("scenario [[ferry]]: '{}' is not a ferry link", f.link)));
            }
            let hours = adjust("[[ferry]] wait", f.wait_hours, f.wait_factor)?
                .ok_or_else(|| Error::BadQuery(format!("scenario [[ferry]] {}: nothing to change", f.link)))?;
            dwell.push(DwellOverride { target: DwellTarget::Ferry { link }, hours: Some(hours), usd_per_feu: None });
        }

        let mut capacities = capacities.clone();
        for c in &self.capacity {
            let adj = adjust(&format!("[[capacity]] {}", c.element), c.teu_per_year, c.factor)?.ok_or_else(|| {
                Error::BadQuery(format!("scenario [[capacity]] {}: give teu_per_year or factor", c.element))
            })?;
            let current = capacities.get(&c.element).map(|e| capacities.teu_per_year(e)).ok_or_else(|| {
                Error::BadQuery(format!(
                    "scenario [[capacity]]: unknown element '{}' (see data/params/capacity.toml)",
                    c.element
                ))
            })?;
            let e = capacities.element.iter_mut().find(|e| e.id == c.element).expect("found above");
            e.set_teu(adj.apply_to(current));
            e.changed_by = Some(self.name.clone());
        }
        for e in &self.new_capacity {
            e.check()?;
            if capacities.get(&e.id).is_some() {
                return Err(Error::BadQuery(format!(
                    "scenario [[new_capacity]]: element '{}' exists; use [[capacity]]",
                    e.id
                )));
            }
            let mut e = e.clone();
            e.changed_by = Some(self.name.clone());
            capacities.element.push(e);
        }

        let closed_edges = close.len();
        Ok(Applied {
            network,
            avoid: self.close.countries.clone(),
            avoid_passages: self.close.passages.clone(),
            params,
            dwell,
            capacities,
            closed_edges,
            opened_edges: open.len(),
        })
    }
}

/// The measures a scenario reports, as the route's JSON names them.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Measures {
    pub distance_km: f64,
    pub days: f64,
    pub usd_per_feu: f64,
    pub kg_co2e_per_teu: f64,
}

impl Measures {
    fn minus(self, o: Measures) -> Measures {
        let r = |x: f64| (x * 1000.0).round() / 1000.0;
        Measures {
            distance_km: r(self.distance_km - o.distance_km),
            days: r(self.days - o.days),
            usd_per_feu: r(self.usd_per_feu - o.usd_per_feu),
            kg_co2e_per_teu: r(self.kg_co2e_per_teu - o.kg_co2e_per_teu),
        }
    }
}

/// One thing (a pair's best route, or one corridor) before and after.
#[derive(Debug, Clone, Serialize)]
pub struct BeforeAfter {
    pub available_before: bool,
    pub available_after: bool,
    pub status_before: String,
    pub status_after: String,
    pub before: Option<Measures>,
    pub after: Option<Measures>,
    /// after - before; None unless both exist.
    pub delta: Option<Measures>,
}

impl BeforeAfter {
    fn new(b: (bool, String, Option<Measures>), a: (bool, String, Option<Measures>)) -> BeforeAfter {
        let delta = match (b.2, a.2) {
            (Some(x), Some(y)) => Some(y.minus(x)),
            _ => None,
        };
        BeforeAfter {
            available_before: b.0,
            available_after: a.0,
            status_before: b.1,
            status_after: a.1,
            before: b.2,
            after: a.2,
            delta,
        }
    }
}

/// A corridor of one pair before and after.
#[derive(Debug, Clone, Serialize)]
pub struct CorridorChange {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub change: BeforeAfter,
}

/// One pair before and after: its best route and each corridor.
#[derive(Debug, Clone, Serialize)]
pub struct PairReport {
    pub from: String,
    pub to: String,
    pub route: BeforeAfter,
    pub corridors: Vec<CorridorChange>,
    /// The best routes themselves, before and after (for geometry; not in the JSON).
    #[serde(skip)]
    pub routes: [Option<Route>; 2],
}

/// A corridor over all pairs: availability counts and the mean change where it has a route
/// before and after.
#[derive(Debug, Clone, Serialize)]
pub struct CorridorSummary {
    pub id: String,
    pub name: String,
    pub pairs_available_before: usize,
    pub pairs_available_after: usize,
    pub pairs_compared: usize,
    pub mean_delta: Option<Measures>,
}

/// What changed, in numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    pub closed_edges: usize,
    pub opened_edges: usize,
    pub avoid: Vec<String>,
    pub avoid_passages: Vec<String>,
    pub params_overridden: Vec<String>,
    pub dwell_overrides: usize,
    pub capacity_changes: usize,
}

/// The scenario report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub description: String,
    pub fingerprint: String,
    pub network_version: String,
    pub params_version: String,
    pub objective: Objective,
    pub changes: ChangeSummary,
    pub pairs: Vec<PairReport>,
    pub corridors: Vec<CorridorSummary>,
}

fn measures_of(r: &Route) -> Measures {
    Measures {
        distance_km: r.distance_km,
        days: r.totals.days,
        usd_per_feu: r.totals.usd_per_feu,
        kg_co2e_per_teu: r.totals.kg_co2e_per_teu,
    }
}

fn row_state(r: &Row) -> (bool, String, Option<Measures>) {
    let m = match (r.distance_km, r.days, r.usd_per_feu, r.kg_co2e_per_teu) {
        (Some(d), Some(t), Some(u), Some(k)) if r.available => {
            Some(Measures { distance_km: d, days: t, usd_per_feu: u, kg_co2e_per_teu: k })
        }
        _ => None,
    };
    (r.available, r.status.clone(), m)
}

/// Availability, status and measures of a pair's best route, and the route.
type RouteState = ((bool, String, Option<Measures>), Option<Route>);

fn route_state(p: &Planner, q: &Query) -> Result<RouteState> {
    match p.route(q) {
        Ok(r) => Ok(((true, "ok".into(), Some(measures_of(&r))), Some(r))),
        Err(e @ Error::NoRoute { .. }) => Ok(((false, e.to_string(), None), None)),
        Err(e) if e.is_bad_input() && matches!(e, Error::BadQuery(_) | Error::CannotSnap(_)) => {
            Ok(((false, e.to_string(), None), None))
        }
        Err(e) => Err(e),
    }
}

/// Routes every pair (best route and each corridor) on the base planner and on the scenario's,
/// and reports before, after and delta. `user` are the query's own constraints; the scenario's
/// closures are added on the after side.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    scenario: &Scenario,
    applied: &Applied,
    before: &Planner,
    after: &Planner,
    catalogue: &Catalogue,
    pairs: &[OdPair],
    user: &Constraints,
    objective: Objective,
) -> Result<Report> {
    let after_c = applied.constrain(user);
    let mut reports = Vec::new();
    for p in pairs {
        let q = Query { from: p.from.clone(), to: p.to.clone(), via: vec![], constraints: user.clone(), objective };
        let qa = Query { constraints: after_c.clone(), ..q.clone() };
        let (state_before, route_before) = route_state(before, &q)?;
        let (state_after, route_after) = route_state(after, &qa)?;
        let route = BeforeAfter::new(state_before, state_after);
        let rb = compare(before, catalogue, &p.from, &p.to, user, objective)?;
        let ra = compare(after, catalogue, &p.from, &p.to, &after_c, objective)?;
        let corridors = rb
            .iter()
            .zip(&ra)
            .map(|(b, a)| CorridorChange {
                id: b.id.clone(),
                name: b.name.clone(),
                change: BeforeAfter::new(row_state(b), row_state(a)),
            })
            .collect();
        reports.push(PairReport {
            from: p.from.clone(),
            to: p.to.clone(),
            route,
            corridors,
            routes: [route_before, route_after],
        });
    }
    let corridors = catalogue
        .corridor
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let changes: Vec<&BeforeAfter> = reports.iter().map(|r| &r.corridors[i].change).collect();
            let deltas: Vec<Measures> = changes.iter().filter_map(|c| c.delta).collect();
            let n = deltas.len() as f64;
            let mean_delta = (!deltas.is_empty()).then(|| {
                let sum = |f: fn(&Measures) -> f64| (deltas.iter().map(f).sum::<f64>() / n * 1000.0).round() / 1000.0;
                Measures {
                    distance_km: sum(|m| m.distance_km),
                    days: sum(|m| m.days),
                    usd_per_feu: sum(|m| m.usd_per_feu),
                    kg_co2e_per_teu: sum(|m| m.kg_co2e_per_teu),
                }
            });
            CorridorSummary {
                id: c.id.clone(),
                name: c.name.clone(),
                pairs_available_before: changes.iter().filter(|c| c.available_before).count(),
                pairs_available_after: changes.iter().filter(|c| c.available_after).count(),
                pairs_compared: deltas.len(),
                mean_delta,
            }
        })
        .collect();
    let params_overridden = applied
        .params
        .params
        .iter()
        .filter(|p| p.overridden_by.as_deref().is_some_and(|o| o.starts_with("scenario")))
        .map(|p| format!("{} = {}", p.key, p.value))
        .collect();
    Ok(Report {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        fingerprint: scenario.fingerprint(),
        network_version: before.net().meta.version.clone(),
        params_version: before.params().version.clone(),
        objective,
        changes: ChangeSummary {
            closed_edges: applied.closed_edges,
            opened_edges: applied.opened_edges,
            avoid: applied.avoid.clone(),
            avoid_passages: applied.avoid_passages.clone(),
            params_overridden,
            dwell_overrides: applied.dwell.len(),
            capacity_changes: scenario.capacity.len() + scenario.new_capacity.len(),
        },
        pairs: reports,
        corridors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_unknown_keys_and_bad_values() {
        let s = Scenario::parse("name = \"x\"\n[close]\npassages = [\"red-sea\"]\n", "t").unwrap();
        assert_eq!(s.close.passages, vec!["red-sea"]);
        let e = Scenario::parse("name = \"x\"\n[close]\npasages = [\"suez\"]\n", "t").unwrap_err().to_string();
        assert!(e.contains("pasages"), "{e}");
        assert!(Scenario::parse("name = \"\"", "t").is_err());
        assert!(Scenario::parse("name = \"x\"\n[[border]]\nbetween = [\"CN\"]\n", "t").is_err());
        let three = "name = \"x\"\n[[border]]\nbetween = [\"CN\", \"KZ\", \"RU\"]\nhours = 1\n";
        let e = Scenario::parse(three, "t").unwrap_err().to_string();
        assert!(e.contains("exactly two countries"), "{e}");
        let three = "name = \"x\"\n[close]\nborders = [{ between = [\"CN\", \"KZ\", \"RU\"] }]\n";
        assert!(Scenario::parse(three, "t").is_err());
        assert!(adjust("h", Some(1.0), Some(2.0)).is_err());
        assert!(adjust("h", Some(-1.0), None).is_err());
        assert_eq!(adjust("h", None, Some(0.5)).unwrap(), Some(Adjust::Factor(0.5)));
        // comments do not change the fingerprint; content does
        let a = Scenario::parse("# c\nname = \"x\"\n", "t").unwrap();
        let b = Scenario::parse("name = \"x\" # other\n", "t").unwrap();
        let c = Scenario::parse("name = \"y\"\n", "t").unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
