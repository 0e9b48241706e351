//! Smooths border excursions out of the country tags of a rail or road layer.
//!
//! The boundary data is simplified, and a line that runs along a border is sometimes tagged with
//! the neighbour for a few kilometres: the Turksib near Taraz read KZ > KG > KZ for about 14 km,
//! which charged two rail border crossings (81 h) to every Almaty-Tashkent train that never
//! leaves Kazakhstan. A short run of one country that enters from and leaves to the same other
//! country is such an artefact (or, where a line really cuts a corner of a neighbour, a sealed
//! transit without formalities): it takes the country around it. Guarded so that nothing real is
//! lost: a run counts only if it has at least two exits (a dead-end spur across the border stays
//! a border crossing), all its exits lead to one country, its own length is at most `max_km`,
//! its country has other nodes in the layer (a microstate is never erased), and neither country's
//! tags follow the disputed-areas policy (Israel and Palestine, Syria, Cyprus, Serbia and Kosovo,
//! Morocco and Western Sahara, Taiwan: there the tags are a stated policy, not a precision matter).

use crate::stitch::Dsu;

/// What the smoothing changed: runs retagged and nodes in them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Smoothed {
    pub runs: usize,
    pub nodes: usize,
}

/// Retags the excursions of `country` (indices per node) in place. `edges` are the layer's edges
/// in local node indices with their lengths in km; runs of or into a `frozen` country (one whose
/// tags follow the disputed-areas policy) are never retagged.
pub fn smooth_excursions(
    country: &mut [u8],
    edges: &[(u32, u32, f64)],
    max_km: f64,
    frozen: &dyn Fn(u8) -> bool,
) -> Smoothed {
    let n = country.len();
    let mut dsu = Dsu::new(n);
    for &(a, b, _) in edges {
        if country[a as usize] == country[b as usize] {
            dsu.union(a, b);
        }
    }
    let root: Vec<u32> = (0..n as u32).map(|v| dsu.find(v)).collect();
    // per run (by root): internal km, exits, the single neighbour country (or a conflict)
    #[derive(Clone, Copy)]
    struct Run {
        km: f64,
        exits: u32,
        neighbour: Option<u8>,
        mixed: bool,
    }
    let mut runs = vec![Run { km: 0.0, exits: 0, neighbour: None, mixed: false }; n];
    for &(a, b, km) in edges {
        let (ra, rb) = (root[a as usize], root[b as usize]);
        if ra == rb {
            runs[ra as usize].km += km;
            continue;
        }
        for (r, other) in [(ra, country[b as usize]), (rb, country[a as usize])] {
            let run = &mut runs[r as usize];
            run.exits += 1;
            match run.neighbour {
                None => run.neighbour = Some(other),
                Some(c) if c != other => run.mixed = true,
                Some(_) => {}
            }
        }
    }
    // nodes per country and per run, to keep a country that lives in one run only
    let mut per_country = [0usize; 256];
    let mut per_run = vec![0usize; n];
    for v in 0..n {
        per_country[country[v] as usize] += 1;
        per_run[root[v] as usize] += 1;
    }
    let mut retag: Vec<Option<u8>> = vec![None; n];
    let mut out = Smoothed::default();
    for r in 0..n {
        let run = runs[r];
        if root[r] as usize != r || run.exits < 2 || run.mixed || run.km > max_km {
            continue;
        }
        let Some(to) = run.neighbour else { continue };
        if per_run[r] == per_country[country[r] as usize] || frozen(to) || frozen(country[r]) {
            continue;
        }
        retag[r] = Some(to);
        out.runs += 1;
    }
    for v in 0..n {
        if let Some(to) = retag[root[v] as usize] {
            country[v] = to;
            out.nodes += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // a line 0-1-2-3-4-5 in country 0 with nodes 2 and 3 tagged 1; country 1 also elsewhere (6-7)
    fn line(km_inside: f64) -> (Vec<u8>, Vec<(u32, u32, f64)>) {
        let country = vec![0, 0, 1, 1, 0, 0, 1, 1];
        let edges = vec![(0, 1, 5.0), (1, 2, 5.0), (2, 3, km_inside), (3, 4, 5.0), (4, 5, 5.0), (6, 7, 50.0)];
        (country, edges)
    }

    #[test]
    fn a_short_excursion_takes_the_country_around_it() {
        let (mut c, e) = line(14.0);
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|_| false), Smoothed { runs: 1, nodes: 2 });
        assert_eq!(c, vec![0, 0, 0, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn long_runs_spurs_mixed_exits_and_whole_countries_stay() {
        let (mut c, e) = line(30.0);
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|_| false), Smoothed::default());
        // a dead-end spur into country 1: one exit
        let mut c = vec![0, 0, 1, 1, 1, 1];
        let e = vec![(0, 1, 5.0), (1, 2, 5.0), (2, 3, 1.0), (4, 5, 40.0)];
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|_| false), Smoothed::default());
        // exits to two different countries: a real transit
        let mut c = vec![0, 1, 2, 1, 1];
        let e = vec![(0, 1, 5.0), (1, 2, 5.0), (3, 4, 40.0)];
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|_| false), Smoothed::default());
        // the country's only run (a microstate inside its neighbour)
        let mut c = vec![0, 1, 1, 0];
        let e = vec![(0, 1, 5.0), (1, 2, 3.0), (2, 3, 5.0)];
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|_| false), Smoothed::default());
        // a frozen country (disputed-areas policy)
        let (mut c, e) = line(14.0);
        assert_eq!(smooth_excursions(&mut c, &e, 20.0, &|c| c == 1), Smoothed::default());
    }
}
