//! Exposure reports: what a route, or an area, is exposed to as of the layer's date. These are
//! the JSON of `corridor risk` (and of the API's risk endpoint).

use serde::Serialize;

use super::field::IncidentGrid;
use super::incident::{Date, Domain, Incident};
use super::{AreaState, RiskLayer, RiskParams};
use crate::model::cost::{CostModel, DwellKind};
use crate::network::Network;
use crate::planner::Planner;
use crate::route::Route;
use crate::{Error, Result};

/// An incident near a route or in an area, with its distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearIncident {
    pub date: Date,
    pub km: f64,
    pub lat: f64,
    pub lon: f64,
    pub kind: String,
    pub vessel: String,
    pub place: String,
    pub source: String,
    pub dataset: String,
}

impl NearIncident {
    fn of(i: &Incident, km: f64) -> NearIncident {
        NearIncident {
            date: i.date,
            km: (km * 10.0).round() / 10.0,
            lat: i.lat,
            lon: i.lon,
            kind: i.kind.clone(),
            vessel: i.vessel.clone(),
            place: i.place.clone(),
            source: i.source.clone(),
            dataset: i.dataset.clone(),
        }
    }
}

/// A high-risk area a route passes, with the premium it pays there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTransit {
    pub key: String,
    pub name: String,
    pub listed: bool,
    pub field: f64,
    pub premium_usd_per_feu: f64,
}

/// A route's exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteRisk {
    pub as_of: Date,
    pub window_days: f64,
    pub exposure_km: f64,
    /// Incidents within `exposure_km` of the route, dated in the window before `as_of`.
    pub incidents_near: usize,
    /// Days the route spends on edges whose field reaches the listing threshold.
    pub days_in_high_risk: f64,
    /// The highest field along the route.
    pub max_field: f64,
    /// War-risk premiums the route pays (US$/FEU).
    pub premium_usd_per_feu: f64,
    pub areas: Vec<AreaTransit>,
    /// The nearest incidents in the window, nearest first (at most `limit`).
    pub nearest: Vec<NearIncident>,
}

/// An area's state with the incidents inside it in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReport {
    #[serde(flatten)]
    pub state: AreaState,
    pub as_of: Date,
    pub window_days: f64,
    /// Incidents inside the area in the window.
    pub incidents: usize,
    /// The most recent of them, newest first (at most `limit`).
    pub recent: Vec<NearIncident>,
}

/// The route a [`RouteRiskReport`] is about: its ends, length, time, cost, passages, countries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteSummary {
    pub origin: String,
    pub destination: String,
    pub distance_km: f64,
    pub days: f64,
    pub usd_per_feu: f64,
    pub total_usd_per_feu: f64,
    pub passages: Vec<String>,
    pub countries: Vec<String>,
}

/// A route's exposure with the layer's state: the JSON of `corridor risk route|corridor
/// --format json` (and of `/api/risk/route`, and of the Python package's `risk_route`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteRiskReport {
    pub as_of: Date,
    pub route: RouteSummary,
    pub exposure: RouteRisk,
    pub areas: Vec<AreaState>,
    pub max_risk: Option<f64>,
    /// How many edges `max_risk` closes.
    pub closed_edges: usize,
}

/// The high-risk areas as of the layer's date: the JSON of `corridor risk areas --format json`
/// (and of `/api/risk/areas`, and of the Python package's `risk_areas`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreasReport {
    pub as_of: Date,
    pub params: RiskParams,
    pub areas: Vec<AreaReport>,
}

fn in_window(layer: &RiskLayer, i: &Incident) -> bool {
    let age = layer.as_of.days_since(i.date);
    age >= 0 && (age as f64) <= layer.params.window_days
}

impl RiskLayer {
    /// The exposure of a route found on this layer's network (its edges index the network).
    pub fn route_report(&self, net: &Network, cost: &CostModel, route: &Route, limit: usize) -> RouteRisk {
        let rp = &self.params;
        let mut days = 0.0;
        let mut max_field = 0.0f64;
        for &e in &route.edges {
            let f = self.field.edge[e as usize] as f64;
            max_field = max_field.max(f);
            if f >= rp.listing_threshold {
                days += cost.edge(net, e).hours / 24.0;
            }
        }
        // incidents in the window near the route: a grid of the window's incidents, queried
        // from points along the route at most a quarter of the exposure distance apart
        let window: Vec<Incident> = self
            .incidents
            .iter()
            .filter(|i| in_window(self, i))
            .map(|i| Incident { domain: Domain::Sea, weight: 1.0, date: self.as_of, ..i.clone() })
            .collect();
        let originals: Vec<&Incident> = self.incidents.iter().filter(|i| in_window(self, i)).collect();
        let grid_params = super::RiskParams { bandwidth_km: rp.exposure_km / 3.0, ..rp.clone() };
        let grid = IncidentGrid::new(&window, Domain::Sea, &grid_params, self.as_of);
        let mut best: Vec<f64> = vec![f64::INFINITY; window.len()];
        let step = (rp.exposure_km / 4.0).max(1.0);
        for &e in &route.edges {
            for (lat, lon) in super::field::samples(net, e, step) {
                grid.near(lat, lon, rp.exposure_km, |k, d| {
                    let i = grid.source[k] as usize;
                    best[i] = best[i].min(d);
                });
            }
        }
        let mut near: Vec<(usize, f64)> =
            best.iter().enumerate().filter(|(_, d)| d.is_finite()).map(|(i, d)| (i, *d)).collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1).then(originals[b.0].date.cmp(&originals[a.0].date)));
        let mut areas: Vec<AreaTransit> = Vec::new();
        let mut premium = 0.0;
        for d in route.dwell.iter().filter(|d| d.kind == DwellKind::WarRisk) {
            premium += d.usd_per_feu;
            let key = d.params.first().and_then(|p| p.strip_prefix("risk-area:")).and_then(|p| p.split(' ').next());
            if let Some(s) = key.and_then(|k| self.areas.iter().find(|a| a.key == k)) {
                match areas.iter_mut().find(|a| a.key == s.key) {
                    Some(a) => a.premium_usd_per_feu += d.usd_per_feu,
                    None => areas.push(AreaTransit {
                        key: s.key.clone(),
                        name: s.name.clone(),
                        listed: s.listed,
                        field: s.field,
                        premium_usd_per_feu: d.usd_per_feu,
                    }),
                }
            }
        }
        RouteRisk {
            as_of: self.as_of,
            window_days: rp.window_days,
            exposure_km: rp.exposure_km,
            incidents_near: near.len(),
            days_in_high_risk: (days * 100.0).round() / 100.0,
            max_field: (max_field * 1000.0).round() / 1000.0,
            premium_usd_per_feu: premium.round(),
            areas,
            nearest: near.iter().take(limit).map(|&(i, d)| NearIncident::of(originals[i], d)).collect(),
        }
    }

    /// Every area's state with its incidents in the window (newest first).
    pub fn area_reports(&self, limit: usize) -> Vec<AreaReport> {
        let shipped = super::Area::shipped();
        self.areas
            .iter()
            .map(|s| {
                let area = shipped.iter().find(|a| a.key == s.key);
                let mut inside: Vec<&Incident> = self
                    .incidents
                    .iter()
                    .filter(|i| in_window(self, i) && area.is_some_and(|a| a.contains(i.lat, i.lon)))
                    .collect();
                inside.sort_by_key(|i| std::cmp::Reverse(i.date));
                AreaReport {
                    state: s.clone(),
                    as_of: self.as_of,
                    window_days: self.params.window_days,
                    incidents: inside.len(),
                    recent: inside.iter().take(limit).map(|i| NearIncident::of(i, 0.0)).collect(),
                }
            })
            .collect()
    }
}

impl RiskLayer {
    /// The report of a route found by `planner` (this layer's planner: `self.planner(base)`),
    /// with at most `limit` nearest incidents.
    pub fn route_risk_report(&self, planner: &Planner, route: &Route, limit: usize) -> RouteRiskReport {
        RouteRiskReport {
            as_of: self.as_of,
            route: RouteSummary {
                origin: route.origin.name.clone(),
                destination: route.destination.name.clone(),
                distance_km: route.distance_km,
                days: route.totals.days,
                usd_per_feu: route.totals.usd_per_feu,
                total_usd_per_feu: route.totals.total_usd_per_feu,
                passages: route.passages.clone(),
                countries: route.countries.clone(),
            },
            exposure: self.route_report(planner.net(), planner.cost(), route, limit),
            areas: self.areas.clone(),
            max_risk: self.max_risk,
            closed_edges: self.closed.len(),
        }
    }

    /// Every area's report, or only `area`'s (a key such as `red_sea_aden`; an unknown key is
    /// [`Error::BadQuery`] listing the known ones), with at most `limit` recent incidents each.
    pub fn areas_report(&self, area: Option<&str>, limit: usize) -> Result<AreasReport> {
        let mut areas = self.area_reports(limit);
        if let Some(a) = area {
            let known: Vec<String> = areas.iter().map(|r| r.state.key.clone()).collect();
            areas.retain(|r| r.state.key == a);
            if areas.is_empty() {
                return Err(Error::BadQuery(format!("unknown area '{a}' (known: {})", known.join(", "))));
            }
        }
        Ok(AreasReport { as_of: self.as_of, params: self.params.clone(), areas })
    }
}

/// The incidents that weigh on the field as of the layer's date, as a GeoJSON FeatureCollection
/// of points: the JSON of `corridor risk incidents --format json` and of `/api/risk/incidents`,
/// drawn by the web map (points with their sources, and the field as a heat layer: each point
/// spreads `field_weight` with the layer's Gaussian kernel of `params.bandwidth_km`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentsReport {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub as_of: Date,
    pub params: RiskParams,
    pub features: Vec<IncidentFeature>,
}

/// One incident as a GeoJSON Feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentFeature {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub geometry: PointGeometry,
    pub properties: IncidentProperties,
}

/// A GeoJSON Point: `[lon, lat]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointGeometry {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub coordinates: [f64; 2],
}

/// What the map's popup shows, and the incident's weight in the field as of the date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentProperties {
    pub id: String,
    pub date: Date,
    pub age_days: i32,
    pub kind: String,
    pub domain: Domain,
    pub vessel: String,
    pub place: String,
    pub source: String,
    pub dataset: String,
    /// Severity of the kind, in [0, 1].
    pub severity: f64,
    /// Severity x age decay (`0.5^(age / half_life)`): the incident's peak contribution to the field.
    pub field_weight: f64,
    /// Within the reports' window (`params.window_days` before the date).
    pub in_window: bool,
}

impl RiskLayer {
    /// The incidents dated on or before the layer's date that still weigh on the field (within
    /// 12 half-lives, as [`IncidentGrid`] keeps them), newest first.
    pub fn incidents_report(&self) -> IncidentsReport {
        let rp = &self.params;
        let max_age = (12.0 * rp.half_life_days).ceil() as i32;
        let mut features: Vec<IncidentFeature> = self
            .incidents
            .iter()
            .filter_map(|i| {
                let age = self.as_of.days_since(i.date);
                let w = i.weight * rp.decay(age);
                if !(0..=max_age).contains(&age) || w <= 0.0 {
                    return None;
                }
                Some(IncidentFeature {
                    kind: "Feature",
                    geometry: PointGeometry { kind: "Point", coordinates: [i.lon, i.lat] },
                    properties: IncidentProperties {
                        id: i.id.clone(),
                        date: i.date,
                        age_days: age,
                        kind: i.kind.clone(),
                        domain: i.domain,
                        vessel: i.vessel.clone(),
                        place: i.place.clone(),
                        source: i.source.clone(),
                        dataset: i.dataset.clone(),
                        severity: i.weight,
                        field_weight: (w * 1e4).round() / 1e4,
                        in_window: in_window(self, i),
                    },
                })
            })
            .collect();
        features.sort_by(|a, b| (b.properties.date, &a.properties.id).cmp(&(a.properties.date, &b.properties.id)));
        IncidentsReport { kind: "FeatureCollection", as_of: self.as_of, params: self.params.clone(), features }
    }
}
