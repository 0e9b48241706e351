//! Closes small gaps in a source graph: wherever two connected components come within `max_km`
//! of each other inside one country, the closest node pair is joined by a new edge, once per
//! component pair and 0.1-degree cell (lines broken in several places get several joins, so
//! the repaired route does not detour to a single join). Never across a border: a cross-border
//! link must be curated, with a source.

use std::collections::HashMap;

use corridor::geo::haversine_km;

/// Union-find with path halving.
pub struct Dsu {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Dsu {
    pub fn new(n: usize) -> Dsu {
        Dsu { parent: (0..n as u32).collect(), size: vec![1; n] }
    }
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = p;
            x = p;
        }
        x
    }
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
        true
    }
    pub fn len(&self) -> usize {
        self.parent.len()
    }
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }
    pub fn size_of(&mut self, x: u32) -> u32 {
        let r = self.find(x);
        self.size[r as usize]
    }
}

/// A stitch edge to add: local node indices and length in km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stitch {
    pub a: u32,
    pub b: u32,
    pub km: f64,
}

/// Finds the stitches for one layer. `coords` are (lat, lon); `country` 0 means none (never stitched).
pub fn find_stitches(coords: &[(f64, f64)], country: &[u8], edges: &[(u32, u32)], max_km: f64) -> Vec<Stitch> {
    let n = coords.len();
    let mut dsu = Dsu::new(n);
    for &(a, b) in edges {
        dsu.union(a, b);
    }
    let comp: Vec<u32> = (0..n as u32).map(|v| dsu.find(v)).collect();
    // grid with cells of about max_km
    let cell = (max_km / 111.0).max(1e-4);
    let key = |lat: f64, lon: f64| (((lat + 90.0) / cell).floor() as i32, ((lon + 180.0) / cell).floor() as i32);
    let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
    for (v, &(lat, lon)) in coords.iter().enumerate() {
        cells.entry(key(lat, lon)).or_default().push(v as u32);
    }
    let mut best: HashMap<(u32, u32, i32, i32), Stitch> = HashMap::new();
    for (v, &(lat, lon)) in coords.iter().enumerate() {
        let v = v as u32;
        if country[v as usize] == 0 {
            continue;
        }
        let (r, c) = key(lat, lon);
        // columns widen towards the poles: scan enough of them to cover max_km
        let widen = (1.0 / lat.to_radians().cos().max(0.05)).ceil() as i32;
        for dr in -1..=1 {
            for dc in -widen..=widen {
                let Some(list) = cells.get(&(r + dr, c + dc)) else { continue };
                for &w in list {
                    if w <= v || comp[w as usize] == comp[v as usize] || country[w as usize] != country[v as usize] {
                        continue;
                    }
                    let (wl, wo) = coords[w as usize];
                    let d = haversine_km(lat, lon, wl, wo);
                    if d > max_km {
                        continue;
                    }
                    let (ca, cb) = (comp[v as usize].min(comp[w as usize]), comp[v as usize].max(comp[w as usize]));
                    let cand = Stitch { a: v, b: w, km: d };
                    let k = (ca, cb, (lat * 10.0).floor() as i32, (lon * 10.0).floor() as i32);
                    match best.get(&k) {
                        Some(s) if (s.km, s.a, s.b) <= (d, v, w) => {}
                        _ => {
                            best.insert(k, cand);
                        }
                    }
                }
            }
        }
    }
    let mut out: Vec<Stitch> = best.into_values().collect();
    out.sort_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stitches_only_same_country_close_components() {
        // two components 1.1 km apart in country 1, a third 1.1 km away in country 2
        let coords = [(0.0, 0.0), (0.0, 0.01), (0.0, 0.02), (0.0, 0.03), (0.0, 0.04), (0.0, 0.05)];
        let country = [1, 1, 1, 1, 2, 2];
        let edges = [(0, 1), (2, 3), (4, 5)];
        let s = find_stitches(&coords, &country, &edges, 2.0);
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].a, s[0].b), (1, 2));
        assert!((s[0].km - 1.11).abs() < 0.01);
        // nothing within 0.5 km
        assert!(find_stitches(&coords, &country, &edges, 0.5).is_empty());
    }
}
