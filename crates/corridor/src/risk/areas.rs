//! High-risk waters (`data/risk/areas.toml`): which are listed as of a date, the war-risk
//! premium of a transit, and the per-edge charges that put it in the cost model.
//!
//! A transit of an area pays its premium once: half on each sea edge that crosses the area's
//! boundary, half on each sea approach to a port inside it (a voyage that starts, ends or calls
//! inside has that end there instead of a boundary), the whole on a ferry edge with an end
//! inside. So a voyage through the area pays one premium, a voyage to a port in it one, a
//! voyage in and out of a port in it (two legs) two, as each call is a separate entry for the
//! underwriters (their additional premium covers a 7-day stay). The premium is the listed share
//! when the field reaches `risk.listing_threshold` on any sea edge inside the area, else the
//! normal-times share.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::field::{Field, RiskParams};
use crate::model::cost::EdgeCharges;
use crate::network::{EdgeKind, Layer, Network};

/// The shipped areas file.
pub const AREAS_TOML: &str = include_str!("../../../../data/risk/areas.toml");

/// A high-risk sea area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub key: String,
    pub name: String,
    /// [lat, lon] vertices.
    pub polygon: Vec<[f64; 2]>,
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasFile {
    area: Vec<Area>,
}

impl Area {
    /// The shipped areas.
    pub fn shipped() -> Vec<Area> {
        toml::from_str::<AreasFile>(AREAS_TOML).expect("data/risk/areas.toml is valid").area
    }

    /// Point in polygon (ray casting on lat/lon; the areas are far from the antimeridian).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let p = &self.polygon;
        let mut inside = false;
        let mut j = p.len() - 1;
        for i in 0..p.len() {
            let ([yi, xi], [yj, xj]) = (p[i], p[j]);
            if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    }
}

/// An area's state as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaState {
    pub key: String,
    pub name: String,
    /// The highest field on the area's sea edges.
    pub field: f64,
    pub listed: bool,
    /// The premium's share of hull value per transit.
    pub premium_share: f64,
    /// The premium per FEU of one transit.
    pub premium_usd_per_feu: f64,
    pub source: String,
}

/// The sea and ferry edges where a transit of `area` pays (with the share of the premium each
/// carries), and the highest field on the area's inner sea edges (0 without a field).
fn area_edges(net: &Network, field: Option<&Field>, area: &Area) -> (Vec<(u32, f64)>, f64) {
    let inside = |v: u32| {
        let c = net.coord(v);
        area.contains(c.lat, c.lon)
    };
    let mut max = 0.0f64;
    let mut ends: Vec<(u32, f64)> = Vec::new();
    for e in 0..net.edge_count() as u32 {
        let kind = net.kind(e);
        if !matches!(kind, EdgeKind::Sea | EdgeKind::Ferry) {
            continue;
        }
        let (a, b) = (net.edge_a[e as usize], net.edge_b[e as usize]);
        let (ia, ib) = (inside(a), inside(b));
        if ia && ib {
            if let Some(f) = field {
                max = max.max(f.edge[e as usize] as f64);
            }
        }
        let share = match kind {
            EdgeKind::Ferry if ia || ib => 1.0,
            EdgeKind::Sea if ia != ib => 0.5,
            EdgeKind::Sea if ia && ib && (net.layer(a) == Layer::Port || net.layer(b) == Layer::Port) => 0.5,
            _ => 0.0,
        };
        if share > 0.0 {
            ends.push((e, share));
        }
    }
    (ends, max)
}

/// Adds an area's premium (listed or not) to its paying edges; `label` names the area's state.
fn charge(charges: &mut EdgeCharges, ends: &[(u32, f64)], rp: &RiskParams, listed: bool, label: String) -> f64 {
    let premium_share = if listed { rp.premium_listed_share } else { rp.premium_normal_share };
    let usd = rp.premium_usd_per_feu(premium_share);
    let key = if listed { "risk.premium_listed_share" } else { "risk.premium_normal_share" };
    for &(e, share) in ends {
        if usd * share > 0.0 {
            charges.entry(e).or_default().push((
                usd * share,
                vec![
                    label.clone(),
                    key.to_string(),
                    "risk.ship_value_usd".to_string(),
                    "risk.load_factor".to_string(),
                    "risk.cargo_war_rate_factor".to_string(),
                ],
            ));
        }
    }
    usd
}

/// Each area's state, and the per-edge charges of their premiums.
pub fn assess(net: &Network, field: &Field, rp: &RiskParams, areas: &[Area]) -> (Vec<AreaState>, EdgeCharges) {
    let mut states = Vec::new();
    let mut charges: EdgeCharges = HashMap::new();
    for area in areas {
        let (ends, max) = area_edges(net, Some(field), area);
        let listed = max >= rp.listing_threshold;
        let label = format!(
            "risk-area:{} ({}, field {:.2} as of {})",
            area.key,
            if listed { "listed" } else { "not listed" },
            max,
            field.as_of
        );
        let usd = charge(&mut charges, &ends, rp, listed, label);
        states.push(AreaState {
            key: area.key.clone(),
            name: area.name.clone(),
            field: (max * 1000.0).round() / 1000.0,
            listed,
            premium_share: if listed { rp.premium_listed_share } else { rp.premium_normal_share },
            premium_usd_per_feu: (usd * 100.0).round() / 100.0,
            source: area.source.clone(),
        });
    }
    (states, charges)
}

/// The charges of a listing state whatever the date: the areas named in `listed` pay the listed
/// premium, the others the normal one. [`assess`] gives the same charges (the same US$ on the
/// same edges) for any date on which exactly those areas are listed: the prepared engine
/// customizes the cost objective with them ([`crate::prepared::RISK_LISTINGS`]).
pub fn listing_charges(net: &Network, rp: &RiskParams, areas: &[Area], listed: &[&str]) -> EdgeCharges {
    let mut charges: EdgeCharges = HashMap::new();
    for area in areas {
        let (ends, _) = area_edges(net, None, area);
        let on = listed.contains(&area.key.as_str());
        charge(&mut charges, &ends, rp, on, format!("risk-area:{}", area.key));
    }
    charges
}

/// A fingerprint of what charges add to edge weights: each charged edge with its total in
/// cents. Two charge sets with the same fingerprint give the same search weights.
pub fn charges_fingerprint(charges: &EdgeCharges) -> String {
    let mut v: Vec<(u32, u64)> =
        charges.iter().map(|(e, c)| (*e, (c.iter().map(|(usd, _)| usd).sum::<f64>() * 100.0).round() as u64)).collect();
    v.sort_unstable();
    let bytes: Vec<u8> = v.iter().flat_map(|(e, c)| e.to_le_bytes().into_iter().chain(c.to_le_bytes())).collect();
    crate::hash::fnv64_hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_areas_contain_their_straits_and_not_their_neighbours() {
        let areas = Area::shipped();
        let by = |k: &str| areas.iter().find(|a| a.key == k).unwrap().clone();
        let (rs, gulf, bs) = (by("red_sea_aden"), by("gulf_hormuz"), by("black_sea_north"));
        assert!(rs.contains(12.6, 43.33), "Bab-el-Mandeb");
        assert!(rs.contains(12.5, 47.0), "Gulf of Aden");
        assert!(rs.contains(14.8, 42.8), "off Hodeidah");
        assert!(!rs.contains(29.9, 32.5), "Suez");
        assert!(!rs.contains(21.5, 39.2), "Jeddah");
        assert!(gulf.contains(26.57, 56.25), "Hormuz");
        assert!(gulf.contains(25.0, 55.06), "Jebel Ali");
        assert!(!gulf.contains(24.8, 66.99), "Karachi");
        assert!(bs.contains(46.48, 30.75), "Odesa");
        assert!(bs.contains(44.72, 37.78), "Novorossiysk");
        assert!(!bs.contains(44.17, 28.65), "Constanta");
        assert!(!bs.contains(41.1, 29.05), "Bosporus");
        assert!(!bs.contains(41.64, 41.63), "Batumi");
    }
}
