//! A uniform latitude/longitude grid over points for nearest-neighbour lookups (snapping places to
//! the network, naming leg ends after the nearest place). Cells are `CELL_DEG` degrees; a query
//! scans rings of cells outwards until the ring's minimum possible distance exceeds the best hit.

use crate::col::{Col, SectionWriter, Sections};
use crate::geo::haversine_km;

#[cfg(not(fuzzing))]
const CELL_DEG: f64 = 0.5;
/// Under the fuzz targets (`cargo fuzz` builds with `--cfg fuzzing`) the cells are 30 degrees:
/// the same code, but a grid's offset column is 73 entries instead of 259,201, so that a raw
/// cache of the fuzzers' small network is 20 KB rather than 4 MB (libFuzzer's inputs stop at
/// 1 MB, and every execution copies and checksums its input).
#[cfg(fuzzing)]
const CELL_DEG: f64 = 30.0;
const COLS: usize = (360.0 / CELL_DEG) as usize;
const ROWS: usize = (180.0 / CELL_DEG) as usize;
/// Lower bound of km per degree of latitude on the sphere used by [`haversine_km`].
const KM_PER_DEG: f64 = 111.19;

/// Points bucketed by cell, stored as CSR: the ids in cell c are `ids[start[c]..start[c+1]]`.
/// Columns, so that a grid saved in a cache file loads in place ([`Grid::read`]).
#[derive(Debug, Clone)]
pub struct Grid {
    start: Col<u32>,
    ids: Col<u32>,
    lat: Col<f64>,
    lon: Col<f64>,
}

fn cell_of(lat: f64, lon: f64) -> (usize, usize) {
    let r = (((lat + 90.0) / CELL_DEG) as usize).min(ROWS - 1);
    let c = (((lon + 180.0) / CELL_DEG) as usize).min(COLS - 1);
    (r, c)
}

impl Grid {
    /// Indexes the points (lat, lon in degrees); point i keeps id i.
    pub fn new(points: impl Iterator<Item = (f64, f64)>) -> Grid {
        let (lat, lon): (Vec<f64>, Vec<f64>) = points.unzip();
        let mut count = vec![0u32; ROWS * COLS + 1];
        let cells: Vec<usize> = lat
            .iter()
            .zip(&lon)
            .map(|(&la, &lo)| {
                let (r, c) = cell_of(la, lo);
                r * COLS + c
            })
            .collect();
        for &c in &cells {
            count[c + 1] += 1;
        }
        for i in 1..count.len() {
            count[i] += count[i - 1];
        }
        let mut pos = count.clone();
        let mut ids = vec![0u32; cells.len()];
        for (i, &c) in cells.iter().enumerate() {
            ids[pos[c] as usize] = i as u32;
            pos[c] += 1;
        }
        Grid { start: count.into(), ids: ids.into(), lat: lat.into(), lon: lon.into() }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.lat.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lat.is_empty()
    }

    /// Saves the grid as sections named `{prefix}.start`, `.ids`, `.lat`, `.lon`.
    pub fn write(&self, w: &mut SectionWriter, prefix: &str) {
        w.add(&format!("{prefix}.start"), &self.start);
        w.add(&format!("{prefix}.ids"), &self.ids);
        w.add(&format!("{prefix}.lat"), &self.lat);
        w.add(&format!("{prefix}.lon"), &self.lon);
    }

    /// A grid saved by [`Grid::write`], viewing the sections in place; None if a section is
    /// missing or the lengths disagree (the CSR offsets are checked, so a lookup cannot index
    /// out of bounds).
    pub fn read(s: &Sections, prefix: &str) -> Option<Grid> {
        let g = Grid {
            start: s.col(&format!("{prefix}.start"))?,
            ids: s.col(&format!("{prefix}.ids"))?,
            lat: s.col(&format!("{prefix}.lat"))?,
            lon: s.col(&format!("{prefix}.lon"))?,
        };
        let n = g.lat.len();
        let ok = g.lon.len() == n
            && g.ids.len() == n
            && g.start.len() == ROWS * COLS + 1
            && g.start[0] == 0
            && g.start.windows(2).all(|w| w[0] <= w[1])
            && g.start[ROWS * COLS] as usize == n
            && g.ids.iter().all(|&i| (i as usize) < n);
        ok.then_some(g)
    }

    /// The nearest point accepted by `keep` within `max_km`, as (id, km).
    pub fn nearest(&self, lat: f64, lon: f64, max_km: f64, mut keep: impl FnMut(u32) -> bool) -> Option<(u32, f64)> {
        let mut best: Option<(u32, f64)> = None;
        self.visit_rings(lat, lon, max_km, |id, d| {
            if d <= max_km && best.is_none_or(|(_, b)| d < b) && keep(id) {
                best = Some((id, d));
            }
            best.map(|(_, b)| b).unwrap_or(max_km)
        });
        best
    }

    /// All points within `max_km` accepted by `keep`, sorted by distance.
    pub fn within(&self, lat: f64, lon: f64, max_km: f64, mut keep: impl FnMut(u32) -> bool) -> Vec<(u32, f64)> {
        let mut out = Vec::new();
        self.visit_rings(lat, lon, max_km, |id, d| {
            if d <= max_km && keep(id) {
                out.push((id, d));
            }
            max_km
        });
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Visits points ring by ring; `f` returns the current search radius, and the scan stops once
    /// a ring lies entirely beyond it.
    fn visit_rings(&self, lat: f64, lon: f64, max_km: f64, mut f: impl FnMut(u32, f64) -> f64) {
        let (r0, c0) = cell_of(lat, lon);
        let mut radius = max_km;
        let max_ring = ROWS.max(COLS) as i64;
        for ring in 0..max_ring {
            // A point in ring k is at least k-1 whole cells away in latitude or in longitude. A
            // longitude cell shrinks with cos(latitude), and great circles cut corners near the
            // poles, hence the 0.9 safety factor and no bound at all within a cell of a pole.
            let lat_max = (lat.abs() + (ring + 1) as f64 * CELL_DEG).min(90.0);
            let shrink = 0.9 * lat_max.to_radians().cos();
            let min_km = ((ring - 1).max(0) as f64) * CELL_DEG * KM_PER_DEG * shrink;
            if min_km > radius {
                break;
            }
            let r0i = r0 as i64;
            for dr in -ring..=ring {
                let r = r0i + dr;
                if r < 0 || r >= ROWS as i64 {
                    continue;
                }
                let full_row = dr.abs() == ring;
                let c_range: Vec<i64> = if full_row { (-ring..=ring).collect() } else { vec![-ring, ring] };
                for dc in c_range {
                    if ring as usize * 2 + 1 > COLS && dc.abs() > (COLS as i64) / 2 {
                        continue;
                    }
                    let c = (c0 as i64 + dc).rem_euclid(COLS as i64) as usize;
                    let cell = r as usize * COLS + c;
                    for &id in &self.ids[self.start[cell] as usize..self.start[cell + 1] as usize] {
                        let d = haversine_km(lat, lon, self.lat[id as usize], self.lon[id as usize]);
                        radius = f(id, d);
                    }
                }
            }
            if ring as usize > COLS / 2 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_brute_force() {
        let mut s = 12345u64;
        let mut rnd = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1_000_000) as f64 / 1_000_000.0
        };
        let pts: Vec<(f64, f64)> = (0..3000).map(|_| (rnd() * 160.0 - 80.0, rnd() * 360.0 - 180.0)).collect();
        let g = Grid::new(pts.iter().copied());
        for _ in 0..200 {
            let (la, lo) = (rnd() * 160.0 - 80.0, rnd() * 360.0 - 180.0);
            let brute = pts
                .iter()
                .enumerate()
                .map(|(i, p)| (i as u32, haversine_km(la, lo, p.0, p.1)))
                .filter(|x| x.1 <= 800.0)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let got = g.nearest(la, lo, 800.0, |_| true);
            assert_eq!(brute.map(|b| b.0), got.map(|g| g.0), "query {la},{lo}");
        }
    }

    #[test]
    fn nearest_across_antimeridian() {
        let g = Grid::new([(10.0, 179.9), (10.0, 0.0)].into_iter());
        let (id, d) = g.nearest(10.0, -179.9, 100.0, |_| true).unwrap();
        assert_eq!(id, 0);
        assert!(d < 25.0);
    }
}
