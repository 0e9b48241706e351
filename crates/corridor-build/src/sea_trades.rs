//! Sea trades closed to liners (data/curated/sea_trade_bans.csv): since 2022 no container line
//! sails directly between Russia's ports and those of the EU, the EEA and the United Kingdom,
//! while both sides still trade by sea with everyone else. A shortest path over shared sea lanes
//! cannot see where a voyage began, so each ban gets its own copy of the maritime layer: the
//! ports of its side `a` reach the sea only through their copy, the ports of its side `b` only
//! through the original lanes, every other port through both. A voyage between the two sides
//! then has no path, while a box may still change ships at a third country's port (two voyages,
//! each with its calls, as the cost model charges any transshipment). The copies keep each
//! lane's length, passage and flags (plus `edge_flags::SEA_COPY`, so that a canal's length is
//! measured on the original alone), so distances, avoided passages, canal dues and the risk
//! layer are the same on either copy. With several bans, the ports of two banned sides `a`
//! cannot meet either (each reaches only its own copy); a ban needs at least one port on each
//! side, or the build fails (a silent no-op).

use std::collections::HashSet;

use corridor::network::{EdgeKind, Layer, NodeColumns};
use serde_json::{json, Value};

use crate::edge::{retain_edges, EdgeRec};
use crate::error::BuildError;
use crate::sources::SeaTradeBanRow;

struct Ban {
    a: HashSet<String>,
    b: HashSet<String>,
}

fn ban(r: &SeaTradeBanRow) -> Result<Ban, BuildError> {
    let bad = |what: &str| BuildError::Curated(format!("sea trade ban {} / {}: {what}", r.a, r.b));
    let set = |s: &str| -> Result<HashSet<String>, BuildError> {
        let codes: HashSet<String> = s.split_whitespace().map(|c| c.to_ascii_uppercase()).collect();
        if codes.is_empty() || codes.iter().any(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
            return Err(bad("each side must list ISO 3166-1 alpha-2 codes, space-separated"));
        }
        Ok(codes)
    };
    let (a, b) = (set(&r.a)?, set(&r.b)?);
    if !a.is_disjoint(&b) {
        return Err(bad("a country cannot be on both sides"));
    }
    if r.source.trim().is_empty() {
        return Err(bad("a source is required"));
    }
    Ok(Ban { a, b })
}

/// Copies the maritime layer once per ban and reattaches the ports' sea approaches; returns one
/// report per ban (ports on each side, lanes copied). `nodes` with the country table its
/// country indices point into; a copied node keeps its original's coordinates, country and flags.
pub(crate) fn separate(
    (nodes, countries): (&mut NodeColumns, &[String]),
    edges: &mut Vec<EdgeRec>,
    rows: &[SeaTradeBanRow],
) -> Result<Value, BuildError> {
    let bans = rows.iter().map(ban).collect::<Result<Vec<_>, _>>()?;
    let (sea, port) = (Layer::Sea as u8, Layer::Port as u8);
    let layer = |nodes: &NodeColumns, v: u32| nodes.layer[v as usize];
    let country = |nodes: &NodeColumns, v: u32| countries[nodes.country[v as usize] as usize].as_str();
    // the lanes (sea to sea) and the approaches (port hub to sea), as they are before the copies
    let lanes: Vec<usize> = (0..edges.len())
        .filter(|&i| {
            let e = &edges[i];
            e.kind == EdgeKind::Sea && layer(nodes, e.a) == sea && layer(nodes, e.b) == sea
        })
        .collect();
    let approaches: Vec<usize> = (0..edges.len())
        .filter(|&i| {
            let e = &edges[i];
            e.kind == EdgeKind::Sea && (layer(nodes, e.a) == port) != (layer(nodes, e.b) == port)
        })
        .collect();
    let mut laned: Vec<u32> = lanes.iter().flat_map(|&i| [edges[i].a, edges[i].b]).collect();
    laned.sort_unstable();
    laned.dedup();
    // copies[k][v]: node v's copy in ban k's layer
    let mut copies: Vec<std::collections::HashMap<u32, u32>> = Vec::new();
    for _ in &bans {
        let mut map = std::collections::HashMap::with_capacity(laned.len());
        for &v in &laned {
            let (w, i) = (nodes.lat_e6.len() as u32, v as usize);
            let (lat, lon, c, l, f) =
                (nodes.lat_e6[i], nodes.lon_e6[i], nodes.country[i], nodes.layer[i], nodes.flags[i]);
            nodes.lat_e6.push(lat);
            nodes.lon_e6.push(lon);
            nodes.country.push(c);
            nodes.layer.push(l);
            nodes.flags.push(f);
            map.insert(v, w);
        }
        for &i in &lanes {
            let e = edges[i];
            edges.push(e.sea_copy(map[&e.a], map[&e.b]));
        }
        copies.push(map);
    }
    let mut sides = vec![(0usize, 0usize); bans.len()];
    let mut keep = vec![true; edges.len()];
    let mut added: Vec<EdgeRec> = Vec::new();
    for &i in &approaches {
        let e = &edges[i];
        let (hub, at) = if layer(nodes, e.a) == port { (e.a, e.b) } else { (e.b, e.a) };
        let cc = country(nodes, hub).to_string();
        let banned_side = |k: usize| bans[k].a.contains(&cc);
        if (0..bans.len()).any(banned_side) {
            keep[i] = false;
        }
        for (k, ban) in bans.iter().enumerate() {
            if ban.a.contains(&cc) {
                sides[k].0 += 1;
            }
            if ban.b.contains(&cc) {
                sides[k].1 += 1;
            }
            // this ban's copy: its own side a, and every port on neither side of any ban's `a`
            let other_a = (0..bans.len()).any(|j| j != k && bans[j].a.contains(&cc));
            if ban.b.contains(&cc) || other_a {
                continue;
            }
            let Some(&w) = copies[k].get(&at) else { continue };
            added.push(e.sea_copy(hub, w));
        }
    }
    if let Some(k) = sides.iter().position(|&(a, b)| a == 0 || b == 0) {
        return Err(BuildError::Curated(format!(
            "sea trade ban {} / {} has no port on one side: fix or remove the row",
            rows[k].a, rows[k].b
        )));
    }
    retain_edges(edges, keep);
    edges.extend(added);
    Ok(Value::Array(
        rows.iter()
            .zip(&sides)
            .map(|(r, &(a, bb))| {
                json!({"a": r.a, "b": r.b, "since": r.since, "ports_a": a, "ports_b": bb,
                       "sea_nodes_copied": laned.len(), "lanes_copied": lanes.len(), "source": r.source})
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor::network::edge_flags;

    fn row(a: &str, b: &str) -> SeaTradeBanRow {
        SeaTradeBanRow { a: a.into(), b: b.into(), since: "2022".into(), source: "s".into(), note: String::new() }
    }

    fn edge(a: u32, b: u32, len_m: u32, passage: u8) -> EdgeRec {
        EdgeRec { a: a.min(b), b: a.max(b), len_m, kind: EdgeKind::Sea, passage, flags: 0, link: 0 }
    }

    /// Three ports (RU, NL, TR) on a line of three sea nodes: RU and NL share no lanes after the
    /// ban, each shares lanes with TR, and the copy keeps lengths and passages.
    #[test]
    fn banned_sides_share_no_lane_and_third_countries_reach_both() {
        let countries: Vec<String> = ["", "RU", "NL", "TR"].iter().map(|c| c.to_string()).collect();
        let mut nodes = NodeColumns::default();
        // sea nodes 0-2 (open sea), ports 3-5 (RU, NL, TR)
        for (i, (layer, country)) in
            [(Layer::Sea, 0), (Layer::Sea, 0), (Layer::Sea, 0), (Layer::Port, 1), (Layer::Port, 2), (Layer::Port, 3)]
                .into_iter()
                .enumerate()
        {
            nodes.lat_e6.push(0);
            nodes.lon_e6.push(i as i32 * 1_000_000);
            nodes.country.push(country);
            nodes.layer.push(layer as u8);
            nodes.flags.push(0);
        }
        let mut edges =
            vec![edge(0, 1, 1000, 3), edge(1, 2, 2000, 0), edge(3, 0, 500, 0), edge(4, 1, 500, 0), edge(5, 2, 500, 0)];
        let report = separate((&mut nodes, &countries), &mut edges, &[row("RU", "NL DE")]).unwrap();
        assert_eq!(report[0]["ports_a"], 1);
        assert_eq!(report[0]["ports_b"], 1);
        assert_eq!(nodes.lat_e6.len(), 9, "three sea nodes copied");
        // the sea nodes each port reaches
        let reach = |p: u32| -> Vec<u32> {
            edges.iter().filter(|e| e.a == p || e.b == p).map(|e| if e.a == p { e.b } else { e.a }).collect()
        };
        let (ru, nl, tr) = (reach(3), reach(4), reach(5));
        assert_eq!(nl, vec![1], "NL keeps the original lanes");
        assert_eq!(ru, vec![6], "RU reaches only the copy");
        assert_eq!(tr.len(), 2, "TR reaches both: {tr:?}");
        let lane = |x: u32, y: u32| edges.iter().find(|e| (e.a, e.b) == (x.min(y), x.max(y)));
        let copied = lane(6, 7).expect("the copied lane");
        assert_eq!((copied.len_m, copied.passage), (1000, 3), "the copy keeps length and passage");
        assert!(copied.flags & edge_flags::SEA_COPY != 0);
        assert!(lane(0, 1).is_some_and(|e| e.flags & edge_flags::SEA_COPY == 0));
        // no path joins RU and NL: the copy (6-8) and the original (0-2) meet only at TR's hub
        assert!(lane(0, 6).is_none() && lane(1, 7).is_none());
        // a ban whose side has no port is a silent no-op: the build fails
        assert!(separate((&mut nodes, &countries), &mut edges, &[row("IR", "NL")]).is_err());
        assert!(ban(&row("RU", "RU NL")).is_err());
        assert!(ban(&row("RUS", "NL")).is_err());
    }
}
