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

/// Each area's state, and the per-edge charges of their premiums.
pub fn assess(net: &Network, field: &Field, rp: &RiskParams, areas: &[Area]) -> (Vec<AreaState>, EdgeCharges) {
    let mut states = Vec::new();
    let mut charges: EdgeCharges = HashMap::new();
    // which area each sea node lies in (nodes of sea and ferry edges only)
    for area in areas {
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
                max = max.max(field.edge[e as usize] as f64);
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
        let listed = max >= rp.listing_threshold;
        let premium_share = if listed { rp.premium_listed_share } else { rp.premium_normal_share };
        let usd = rp.premium_usd_per_feu(premium_share);
        let key = if listed { "risk.premium_listed_share" } else { "risk.premium_normal_share" };
        for (e, share) in ends {
            if usd * share > 0.0 {
                charges.entry(e).or_default().push((
                    usd * share,
                    vec![
                        format!(
                            "risk-area:{} ({}, field {:.2} as of {})",
                            area.key,
                            if listed { "listed" } else { "not listed" },
                            max,
                            field.as_of
                        ),
                        key.to_string(),
                        "risk.ship_value_usd".to_string(),
                        "risk.load_factor".to_string(),
                        "risk.cargo_war_rate_factor".to_string(),
                    ],
                ));
            }
        }
        states.push(AreaState {
            key: area.key.clone(),
            name: area.name.clone(),
            field: (max * 1000.0).round() / 1000.0,
            listed,
            premium_share,
            premium_usd_per_feu: (usd * 100.0).round() / 100.0,
            source: area.source.clone(),
        });
    }
    (states, charges)
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
