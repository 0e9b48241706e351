//! Closes small gaps in a source graph: every node is joined to its nearest node in each other
//! connected component of the same country that lies within `max_km` (the source's line
//! simplification breaks lines at many places, and one join per component pair would make the
//! repaired route detour to that join). Never across a border: a cross-border link must be
//! curated, with a source.

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
    let mut best: HashMap<(u32, u32), Stitch> = HashMap::new();
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
                let Some(list) = cells.get(&(r + dr, c + dc)) else {
                    continue;
                };
                for &w in list {
                    if w == v || comp[w as usize] == comp[v as usize] || country[w as usize] != country[v as usize] {
                        continue;
                    }
                    let (wl, wo) = coords[w as usize];
                    let d = haversine_km(lat, lon, wl, wo);
                    if d > max_km {
                        continue;
                    }
                    let cand = Stitch { a: v.min(w), b: v.max(w), km: d };
                    let k = (v, comp[w as usize]);
                    match best.get(&k) {
                        Some(s) if (s.km, s.a, s.b) <= (d, cand.a, cand.b) => {}
                        _ => {
                            best.insert(k, cand);
                        }
                    }
                }
            }
        }
    }
    let mut out: Vec<Stitch> = best.into_values().collect();
    out.sort_by_key(|x| (x.a, x.b));
    out.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    out
}

/// Joins dead ends that the source's simplification cut off from a line they belong to, inside one
/// component: a node of degree 1 is joined to the nearest node of its country within `max_km`
/// whose distance through the graph exceeds `DETOUR_FACTOR` times the gap plus `DETOUR_SLACK_KM`
/// (a short bounded search decides). `edges` are (a, b, km).
pub fn find_dead_end_joins(
    coords: &[(f64, f64)],
    country: &[u8],
    edges: &[(u32, u32, f64)],
    max_km: f64,
) -> Vec<Stitch> {
    const DETOUR_FACTOR: f64 = 5.0;
    const DETOUR_SLACK_KM: f64 = 5.0;
    let n = coords.len();
    let mut adj: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    for &(a, b, km) in edges {
        adj[a as usize].push((b, km));
        adj[b as usize].push((a, km));
    }
    let cell = (max_km / 111.0).max(1e-4);
    let key = |lat: f64, lon: f64| (((lat + 90.0) / cell).floor() as i32, ((lon + 180.0) / cell).floor() as i32);
    let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
    for (v, &(lat, lon)) in coords.iter().enumerate() {
        cells.entry(key(lat, lon)).or_default().push(v as u32);
    }
    let mut out = Vec::new();
    let mut dist: HashMap<u32, f64> = HashMap::new();
    for v in 0..n as u32 {
        if adj[v as usize].len() != 1 || country[v as usize] == 0 {
            continue;
        }
        let (lat, lon) = coords[v as usize];
        let (r, c) = key(lat, lon);
        let widen = (1.0 / lat.to_radians().cos().max(0.05)).ceil() as i32;
        let mut cands: Vec<(f64, u32)> = Vec::new();
        for dr in -1..=1 {
            for dc in -widen..=widen {
                for &w in cells.get(&(r + dr, c + dc)).map(Vec::as_slice).unwrap_or(&[]) {
                    if w != v && country[w as usize] == country[v as usize] {
                        let d = haversine_km(lat, lon, coords[w as usize].0, coords[w as usize].1);
                        if d <= max_km {
                            cands.push((d, w));
                        }
                    }
                }
            }
        }
        if cands.is_empty() {
            continue;
        }
        // graph distances from v up to the largest bound any candidate needs
        let limit = max_km * DETOUR_FACTOR + DETOUR_SLACK_KM;
        dist.clear();
        let mut heap = std::collections::BinaryHeap::new();
        dist.insert(v, 0.0);
        heap.push(std::cmp::Reverse((Ord64(0.0), v)));
        while let Some(std::cmp::Reverse((Ord64(d), u))) = heap.pop() {
            if d > dist[&u] || d > limit {
                continue;
            }
            for &(w, km) in &adj[u as usize] {
                let nd = d + km;
                if nd <= limit && dist.get(&w).is_none_or(|&x| nd < x) {
                    dist.insert(w, nd);
                    heap.push(std::cmp::Reverse((Ord64(nd), w)));
                }
            }
        }
        let best = cands
            .into_iter()
            .filter(|&(d, w)| dist.get(&w).is_none_or(|&g| g > d * DETOUR_FACTOR + DETOUR_SLACK_KM))
            .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        if let Some((d, w)) = best {
            out.push(Stitch { a: v.min(w), b: v.max(w), km: d });
        }
    }
    out.sort_by_key(|x| (x.a, x.b));
    out.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    out
}

/// f64 with a total order, for the bounded search's heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ord64(f64);
impl Eq for Ord64 {}
impl PartialOrd for Ord64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ord64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_end_joined_when_graph_detour_is_long() {
        // a line 0-1 ... 2-3 broken between 1 and 2 (1.1 km), joined the long way round via 4
        let coords = [(0.0, 0.0), (0.0, 0.01), (0.0, 0.02), (0.0, 0.03), (1.0, 0.015)];
        let country = [1; 5];
        let edges = [(0, 1, 1.1), (2, 3, 1.1), (0, 4, 111.0), (3, 4, 111.0)];
        let s = find_dead_end_joins(&coords, &country, &edges, 2.0);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].a, s[0].b), (1, 2));
        // with a short way round nothing is added
        let edges = [(0, 1, 1.1), (2, 3, 1.1), (1, 4, 1.0), (2, 4, 1.0)];
        assert!(find_dead_end_joins(&coords, &country, &edges, 2.0).is_empty());
    }

    #[test]
    fn stitches_only_same_country_close_components() {
        // two components 1.1 km apart in country 1, a third 1.1 km away in country 2
        let coords = [(0.0, 0.0), (0.0, 0.01), (0.0, 0.02), (0.0, 0.03), (0.0, 0.04), (0.0, 0.05)];
        let country = [1, 1, 1, 1, 2, 2];
        let edges = [(0, 1), (2, 3), (4, 5)];
        let s = find_stitches(&coords, &country, &edges, 2.0);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].a, s[0].b), (1, 2));
        assert!((s[0].km - 1.11).abs() < 0.01);
        // nothing within 0.5 km
        assert!(find_stitches(&coords, &country, &edges, 0.5).is_empty());
    }
}
