//! The risk field: for every edge of the network, the sum over incidents of a distance kernel
//! times an age decay, as of a date.
//!
//! `field(p) = Σ_i severity_i · K(d(p, i)) · 0.5^(age_i / half_life)`, with the Gaussian kernel
//! `K(d) = exp(-d² / 2h²)` of bandwidth `h` km (`risk.bandwidth_km`), cut at 3h (where it is
//! 1.1%), and `age_i` the days from the incident to the `as_of` date (incidents after it do not
//! exist yet; those older than 12 half-lives weigh less than 0.03% and are dropped). The field
//! is in "effective recent incidents": 1 is one attack a half-life ago right on the lane, or two
//! a half-life ago at 118 km. An edge's value is the maximum over points sampled along it at
//! most h/2 apart (so a long ocean lane is not judged by its ends). Sea incidents bear on sea
//! and ferry edges, land events on rail and road edges, both on port transfers.
//!
//! Incidents are bucketed in a uniform lat/lon grid of cells as wide as the cut-off, so a point
//! looks at 3 x (3 or more, at high latitudes) cells; building the field for the world network
//! (1.2 M edges) and 10,000 incidents takes well under a second on two cores (docs/risk.md).

use rayon::prelude::*;

use super::incident::{Date, Domain, Incident};
use crate::geo::EARTH_RADIUS_KM;
use crate::network::{EdgeKind, Layer, Network};

/// The unit vector of a position.
fn unit(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// The parameters of the field and of the premiums (`risk.*` in `data/params/default.toml`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RiskParams {
    pub bandwidth_km: f64,
    pub half_life_days: f64,
    /// Field value at or above which an area is listed (and an edge is high-risk water).
    pub listing_threshold: f64,
    /// Days before `as_of` whose incidents a route report lists.
    pub window_days: f64,
    /// Distance within which a route report counts an incident as near the route.
    pub exposure_km: f64,
    pub premium_normal_share: f64,
    pub premium_listed_share: f64,
    pub ship_value_usd: f64,
    pub load_factor: f64,
    pub cargo_war_rate_factor: f64,
    /// Ship capacity (`sea.vessel_teu`) and cargo value per FEU (2 x `cargo.value_usd_per_teu`).
    pub vessel_teu: f64,
    pub cargo_value_usd_per_feu: f64,
}

impl RiskParams {
    pub fn from_params(p: &crate::model::params::Params) -> RiskParams {
        RiskParams {
            bandwidth_km: p.get("risk.bandwidth_km").max(1.0),
            half_life_days: p.get("risk.half_life_days").max(1.0),
            listing_threshold: p.get("risk.listing_threshold"),
            window_days: p.get("risk.window_days"),
            exposure_km: p.get("risk.exposure_km"),
            premium_normal_share: p.get("risk.premium_normal_share"),
            premium_listed_share: p.get("risk.premium_listed_share"),
            ship_value_usd: p.get("risk.ship_value_usd"),
            load_factor: p.get("risk.load_factor").max(0.01),
            cargo_war_rate_factor: p.get("risk.cargo_war_rate_factor"),
            vessel_teu: p.get("sea.vessel_teu").max(1.0),
            cargo_value_usd_per_feu: 2.0 * p.get("cargo.value_usd_per_teu"),
        }
    }

    /// The kernel's cut-off (3 bandwidths).
    pub fn cutoff_km(&self) -> f64 {
        3.0 * self.bandwidth_km
    }

    /// The Gaussian kernel at `d` km (0 beyond the cut-off).
    pub fn kernel(&self, d: f64) -> f64 {
        if d > self.cutoff_km() {
            0.0
        } else {
            (-d * d / (2.0 * self.bandwidth_km * self.bandwidth_km)).exp()
        }
    }

    /// The age decay of an incident `age_days` before `as_of` (0 for later incidents).
    pub fn decay(&self, age_days: i32) -> f64 {
        if age_days < 0 {
            0.0
        } else {
            0.5f64.powf(age_days as f64 / self.half_life_days)
        }
    }

    /// The war-risk premium per FEU of one transit at a share of hull (and cargo) value: the
    /// ship's value spread over the boxes it carries, plus the cargo's own war cover.
    pub fn premium_usd_per_feu(&self, share: f64) -> f64 {
        let feu_carried = self.vessel_teu / 2.0 * self.load_factor;
        share * (self.ship_value_usd / feu_carried + self.cargo_war_rate_factor * self.cargo_value_usd_per_feu)
    }
}

/// Incidents that weigh on the field as of a date, in a uniform grid.
pub struct IncidentGrid {
    cell_deg: f64,
    rows: usize,
    cols: usize,
    /// CSR: cell -> incident indices (into `weight`, `lat`, `lon`).
    first: Vec<u32>,
    items: Vec<u32>,
    /// Unit vectors of the incidents' positions (chord distances need no trigonometry).
    xyz: Vec<[f64; 3]>,
    /// Severity x decay.
    weight: Vec<f64>,
    /// Index into the caller's incident list.
    pub source: Vec<u32>,
}

impl IncidentGrid {
    /// The incidents of `domain` dated on or before `as_of` (and within 12 half-lives), with a
    /// positive weight.
    pub fn new(incidents: &[Incident], domain: Domain, rp: &RiskParams, as_of: Date) -> IncidentGrid {
        let max_age = (12.0 * rp.half_life_days).ceil() as i32;
        let cell_deg = (rp.cutoff_km() / 111.195).clamp(0.05, 45.0);
        let rows = (180.0 / cell_deg).ceil() as usize + 1;
        let cols = (360.0 / cell_deg).ceil() as usize + 1;
        let mut keep = Vec::new();
        for (i, x) in incidents.iter().enumerate() {
            let age = as_of.days_since(x.date);
            if x.domain == domain && (0..=max_age).contains(&age) && x.weight > 0.0 {
                keep.push((i, x.weight * rp.decay(age)));
            }
        }
        let cell = |lat: f64, lon: f64| -> usize {
            let r = (((lat + 90.0) / cell_deg) as usize).min(rows - 1);
            let c = (((lon + 180.0) / cell_deg) as usize).min(cols - 1);
            r * cols + c
        };
        let mut count = vec![0u32; rows * cols + 1];
        for &(i, _) in &keep {
            count[cell(incidents[i].lat, incidents[i].lon) + 1] += 1;
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        let first = count.clone();
        let mut fill = count;
        let mut items = vec![0u32; keep.len()];
        let (mut xyz, mut weight, mut source) = (Vec::new(), Vec::new(), Vec::new());
        for (k, &(i, w)) in keep.iter().enumerate() {
            let c = cell(incidents[i].lat, incidents[i].lon);
            items[fill[c] as usize] = k as u32;
            fill[c] += 1;
            xyz.push(unit(incidents[i].lat, incidents[i].lon));
            weight.push(w);
            source.push(i as u32);
        }
        IncidentGrid { cell_deg, rows, cols, first, items, xyz, weight, source }
    }

    pub fn is_empty(&self) -> bool {
        self.weight.is_empty()
    }

    /// Calls `f(k, km)` for every incident within `radius_km` of a point (k indexes
    /// [`IncidentGrid::source`]).
    pub fn near(&self, lat: f64, lon: f64, radius_km: f64, mut f: impl FnMut(usize, f64)) {
        if self.weight.is_empty() {
            return;
        }
        let dr = (radius_km / 111.195 / self.cell_deg).ceil() as i64;
        let coslat = lat.to_radians().cos().max(0.01);
        let dc = ((radius_km / (111.195 * coslat)) / self.cell_deg).ceil() as i64;
        let r0 = ((lat + 90.0) / self.cell_deg) as i64;
        let c0 = ((lon + 180.0) / self.cell_deg) as i64;
        let (rows, cols) = (self.rows as i64, self.cols as i64);
        let dc = dc.min(cols / 2);
        // great-circle distance from the chord: d = 2R asin(chord / 2); compare chords first
        let p = unit(lat, lon);
        let max_chord = 2.0 * (radius_km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2).sin();
        let max_chord2 = max_chord * max_chord;
        for r in (r0 - dr).max(0)..=(r0 + dr).min(rows - 1) {
            for c in c0 - dc..=c0 + dc {
                let c = c.rem_euclid(cols);
                let cell = (r * cols + c) as usize;
                for &k in &self.items[self.first[cell] as usize..self.first[cell + 1] as usize] {
                    let k = k as usize;
                    let q = &self.xyz[k];
                    let (dx, dy, dz) = (p[0] - q[0], p[1] - q[1], p[2] - q[2]);
                    let chord2 = dx * dx + dy * dy + dz * dz;
                    if chord2 <= max_chord2 {
                        let d = 2.0 * EARTH_RADIUS_KM * (chord2.sqrt() / 2.0).min(1.0).asin();
                        if d <= radius_km {
                            f(k, d);
                        }
                    }
                }
            }
        }
    }

    /// The field at a point.
    pub fn value(&self, lat: f64, lon: f64, rp: &RiskParams) -> f64 {
        let mut s = 0.0;
        self.near(lat, lon, rp.cutoff_km(), |k, d| s += self.weight[k] * rp.kernel(d));
        s
    }
}

/// The risk field on every edge of a network.
#[derive(Debug, Clone)]
pub struct Field {
    pub as_of: Date,
    /// Per edge: the maximum of the field along it.
    pub edge: Vec<f32>,
}

/// Points along an edge at most `step_km` apart, ends included (longitudes unwrapped across
/// the antimeridian).
pub fn samples(net: &Network, e: u32, step_km: f64) -> impl Iterator<Item = (f64, f64)> {
    let (a, b) = (net.coord(net.edge_a[e as usize]), net.coord(net.edge_b[e as usize]));
    let km = net.edge_len_m[e as usize] as f64 / 1000.0;
    let n = ((km / step_km).ceil() as usize).clamp(1, 10_000);
    let mut dlon = b.lon - a.lon;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    (0..=n).map(move |k| {
        let t = k as f64 / n as f64;
        let mut lon = a.lon + dlon * t;
        if lon > 180.0 {
            lon -= 360.0;
        } else if lon < -180.0 {
            lon += 360.0;
        }
        (a.lat + (b.lat - a.lat) * t, lon)
    })
}

/// Which incident domains bear on an edge of a kind.
pub fn domains(kind: EdgeKind) -> (bool, bool) {
    match kind {
        EdgeKind::Sea | EdgeKind::Ferry => (true, false),
        EdgeKind::Rail | EdgeKind::Road => (false, true),
        EdgeKind::TransferRail | EdgeKind::TransferRoad => (true, true),
    }
}

impl Field {
    /// Builds the field on every edge (in parallel on rayon's pool): at every node once (the
    /// domains its layer needs: sea nodes the sea field, rail and road nodes the land field,
    /// ports both), then per edge the maximum of its ends and of points sampled inside it when
    /// it is longer than h/2.
    pub fn build(net: &Network, incidents: &[Incident], rp: &RiskParams, as_of: Date) -> Field {
        let sea = IncidentGrid::new(incidents, Domain::Sea, rp, as_of);
        let land = IncidentGrid::new(incidents, Domain::Land, rp, as_of);
        let step = rp.bandwidth_km / 2.0;
        let node: Vec<[f32; 2]> = (0..net.node_count() as u32)
            .into_par_iter()
            .with_min_len(4096)
            .map(|v| {
                let (s, l) = match net.layer(v) {
                    Layer::Sea => (true, false),
                    Layer::Rail | Layer::Road => (false, true),
                    Layer::Port => (true, true),
                };
                let (s, l) = (s && !sea.is_empty(), l && !land.is_empty());
                if !s && !l {
                    return [0.0, 0.0];
                }
                let c = net.coord(v);
                let sv = if s { sea.value(c.lat, c.lon, rp) } else { 0.0 };
                let lv = if l { land.value(c.lat, c.lon, rp) } else { 0.0 };
                [sv as f32, lv as f32]
            })
            .collect();
        let edge: Vec<f32> = (0..net.edge_count() as u32)
            .into_par_iter()
            .with_min_len(4096)
            .map(|e| {
                let (s, l) = domains(net.kind(e));
                let (s, l) = (s && !sea.is_empty(), l && !land.is_empty());
                if !s && !l {
                    return 0.0;
                }
                let at = |x: [f32; 2]| (if s { x[0] } else { 0.0 }) + (if l { x[1] } else { 0.0 });
                let (a, b) = (net.edge_a[e as usize] as usize, net.edge_b[e as usize] as usize);
                let mut best = at(node[a]).max(at(node[b]));
                if net.edge_len_m[e as usize] as f64 / 1000.0 > step {
                    let pts: Vec<(f64, f64)> = samples(net, e, step).collect();
                    for &(lat, lon) in &pts[1..pts.len() - 1] {
                        let mut v = 0.0;
                        if s {
                            v += sea.value(lat, lon, rp);
                        }
                        if l {
                            v += land.value(lat, lon, rp);
                        }
                        best = best.max(v as f32);
                    }
                }
                best
            })
            .collect();
        Field { as_of, edge }
    }

    /// The newest incident date (the default `as_of`), if any.
    pub fn newest(incidents: &[Incident]) -> Option<Date> {
        incidents.iter().map(|i| i.date).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::haversine_km;

    fn rp() -> RiskParams {
        RiskParams::from_params(&crate::model::params::Params::defaults())
    }

    fn inc(lat: f64, lon: f64, date: Date, kind: &str) -> Incident {
        Incident {
            id: String::new(),
            date,
            lat,
            lon,
            kind: kind.into(),
            domain: Domain::Sea,
            vessel: String::new(),
            place: String::new(),
            source: String::new(),
            dataset: "test".into(),
            weight: super::super::incident::severity(kind),
        }
    }

    #[test]
    fn field_is_kernel_times_decay_and_grid_equals_brute_force() {
        let p = rp();
        let d0 = Date::from_ymd(2024, 1, 1).unwrap();
        let one = [inc(12.0, 44.0, d0, "missile")];
        let g = IncidentGrid::new(&one, Domain::Sea, &p, d0);
        assert!((g.value(12.0, 44.0, &p) - 1.0).abs() < 1e-12);
        let later = Date(d0.0 + p.half_life_days as i32);
        let g = IncidentGrid::new(&one, Domain::Sea, &p, later);
        assert!((g.value(12.0, 44.0, &p) - 0.5).abs() < 1e-9, "one half-life halves it");
        let before = Date(d0.0 - 1);
        assert_eq!(IncidentGrid::new(&one, Domain::Sea, &p, before).value(12.0, 44.0, &p), 0.0, "not yet happened");
        assert_eq!(IncidentGrid::new(&one, Domain::Land, &p, d0).value(12.0, 44.0, &p), 0.0, "other domain");
        // at one bandwidth: exp(-1/2)
        let east = 44.0 + p.bandwidth_km / (111.195 * 12f64.to_radians().cos());
        let v = IncidentGrid::new(&one, Domain::Sea, &p, d0).value(12.0, east, &p);
        assert!((v - (-0.5f64).exp()).abs() < 0.01, "{v}");
        // many incidents, random points, including near the antimeridian and the poles
        let mut x: u64 = 7;
        let mut rnd = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 1_000_000) as f64 / 1_000_000.0
        };
        let many: Vec<Incident> = (0..2000)
            .map(|k| {
                let kind = ["missile", "robbery", "approach", "protest"][k % 4];
                inc(rnd() * 170.0 - 85.0, rnd() * 360.0 - 180.0, Date(d0.0 - (rnd() * 900.0) as i32), kind)
            })
            .collect();
        let g = IncidentGrid::new(&many, Domain::Sea, &p, d0);
        for _ in 0..300 {
            let (lat, lon) = (rnd() * 178.0 - 89.0, rnd() * 360.0 - 180.0);
            let brute: f64 = many
                .iter()
                .map(|i| {
                    let age = d0.days_since(i.date);
                    if age > (12.0 * p.half_life_days).ceil() as i32 {
                        return 0.0;
                    }
                    i.weight * p.decay(age) * p.kernel(haversine_km(lat, lon, i.lat, i.lon))
                })
                .sum();
            assert!((g.value(lat, lon, &p) - brute).abs() < 1e-7, "{lat},{lon}");
        }
    }

    #[test]
    fn premium_per_feu_spreads_the_hull_over_the_boxes() {
        let p = rp();
        let feu = p.vessel_teu / 2.0 * p.load_factor;
        let want = 0.01 * (p.ship_value_usd / feu + p.cargo_war_rate_factor * p.cargo_value_usd_per_feu);
        assert!((p.premium_usd_per_feu(0.01) - want).abs() < 1e-9);
        assert!(p.premium_usd_per_feu(p.premium_listed_share) > 10.0 * p.premium_usd_per_feu(p.premium_normal_share));
    }
}
