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
//! layer are the same on either copy. With several bans, the ports of two banned sides `a` cannot meet either
//! (each reaches only its own copy); a ban needs at least one port on each side, or the build
//! fails (a silent no-op).

use std::collections::HashSet;

use corridor::network::{edge_flags, EdgeKind, Layer};
use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::SeaTradeBanRow;
use crate::{Builder, EdgeRec};

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
/// report per ban (ports on each side, lanes copied).
pub(crate) fn separate(b: &mut Builder, rows: &[SeaTradeBanRow]) -> Result<Value, BuildError> {
    let bans = rows.iter().map(ban).collect::<Result<Vec<_>, _>>()?;
    let sea = Layer::Sea as u8;
    let port = Layer::Port as u8;
    let layer = |b: &Builder, v: u32| b.nodes.layer[v as usize];
    let country = |b: &Builder, v: u32| b.countries[b.nodes.country[v as usize] as usize].clone();
    // the lanes (sea to sea) and the approaches (port hub to sea), as they are before the copies
    let lanes: Vec<usize> = (0..b.edges.len())
        .filter(|&i| b.edges[i].kind == EdgeKind::Sea && layer(b, b.edges[i].a) == sea && layer(b, b.edges[i].b) == sea)
        .collect();
    let approaches: Vec<usize> = (0..b.edges.len())
        .filter(|&i| {
            let e = &b.edges[i];
            e.kind == EdgeKind::Sea && (layer(b, e.a) == port) != (layer(b, e.b) == port)
        })
        .collect();
    let mut laned: Vec<u32> = lanes.iter().flat_map(|&i| [b.edges[i].a, b.edges[i].b]).collect();
    laned.sort_unstable();
    laned.dedup();
    // copy[k][v]: node v's copy in ban k's layer
    let mut copies: Vec<std::collections::HashMap<u32, u32>> = Vec::new();
    for _ in &bans {
        let mut map = std::collections::HashMap::with_capacity(laned.len());
        for &v in &laned {
            let (lat, lon) = b.coord(v);
            let c = country(b, v);
            let w = b.add_node(lat, lon, Layer::Sea, Some(&c));
            b.nodes.flags[w as usize] = b.nodes.flags[v as usize];
            map.insert(v, w);
        }
        for &i in &lanes {
            let e = &b.edges[i];
            let attrs = (e.passage, e.flags | edge_flags::SEA_COPY, e.link);
            let (x, y, len_m, kind) = (map[&e.a], map[&e.b], e.len_m, e.kind);
            b.add_edge(x, y, len_m, kind, attrs);
        }
        copies.push(map);
    }
    let mut sides = vec![(0usize, 0usize); bans.len()];
    let mut drop_original: HashSet<usize> = HashSet::new();
    let mut added: Vec<EdgeRec> = Vec::new();
    for &i in &approaches {
        let e = &b.edges[i];
        let (hub, at) = if layer(b, e.a) == port { (e.a, e.b) } else { (e.b, e.a) };
        let cc = country(b, hub);
        let banned_side = |k: usize| bans[k].a.contains(&cc);
        if (0..bans.len()).any(banned_side) {
            drop_original.insert(i);
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
            added.push(EdgeRec {
                a: hub.min(w),
                b: hub.max(w),
                len_m: e.len_m,
                kind: e.kind,
                passage: e.passage,
                flags: e.flags | edge_flags::SEA_COPY,
                link: e.link,
            });
        }
    }
    if let Some(k) = sides.iter().position(|&(a, b)| a == 0 || b == 0) {
        return Err(BuildError::Curated(format!(
            "sea trade ban {} / {} has no port on one side: fix or remove the row",
            rows[k].a, rows[k].b
        )));
    }
    let mut k = 0;
    b.edges.retain(|_| {
        let keep = !drop_original.contains(&k);
        k += 1;
        keep
    });
    b.edges.extend(added);
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

    fn row(a: &str, b: &str) -> SeaTradeBanRow {
        SeaTradeBanRow { a: a.into(), b: b.into(), since: "2022".into(), source: "s".into(), note: String::new() }
    }

    /// Three ports (RU, NL, TR) on a line of three sea nodes: RU and NL share no lanes after the
    /// ban, each shares lanes with TR, and the copy keeps lengths and passages.
    #[test]
    fn banned_sides_share_no_lane_and_third_countries_reach_both() {
        let mut b = Builder::new();
        let s: Vec<u32> = (0..3).map(|i| b.add_node(0.0, i as f64, Layer::Sea, Some(""))).collect();
        b.add_edge(s[0], s[1], 1000, EdgeKind::Sea, (3, 0, 0));
        b.add_edge(s[1], s[2], 2000, EdgeKind::Sea, (0, 0, 0));
        let ports: Vec<u32> = ["RU", "NL", "TR"].iter().map(|c| b.add_node(0.1, 0.0, Layer::Port, Some(c))).collect();
        for (&p, &v) in ports.iter().zip(&s) {
            b.add_edge(p, v, 500, EdgeKind::Sea, (0, 0, 0));
        }
        let report = separate(&mut b, &[row("RU", "NL DE")]).unwrap();
        assert_eq!(report[0]["ports_a"], 1);
        assert_eq!(report[0]["ports_b"], 1);
        // the sea nodes each port reaches
        let reach = |b: &Builder, p: u32| -> Vec<u32> {
            b.edges.iter().filter(|e| e.a == p || e.b == p).map(|e| if e.a == p { e.b } else { e.a }).collect()
        };
        let (ru, nl, tr) = (reach(&b, ports[0]), reach(&b, ports[1]), reach(&b, ports[2]));
        assert_eq!(nl, vec![s[1]], "NL keeps the original lanes");
        assert_eq!(ru.len(), 1);
        assert!(!s.contains(&ru[0]), "RU reaches only the copy");
        assert_eq!(tr.len(), 2, "TR reaches both: {tr:?}");
        let lane = |x: u32, y: u32| b.edges.iter().find(|e| (e.a, e.b) == (x.min(y), x.max(y)));
        let copy_of_first = ru[0];
        let copied = b
            .edges
            .iter()
            .find(|e| e.kind == EdgeKind::Sea && (e.a == copy_of_first || e.b == copy_of_first) && e.passage == 3);
        let copied = copied.expect("the copied lane keeps its passage");
        assert_eq!(copied.len_m, 1000);
        assert!(copied.flags & edge_flags::SEA_COPY != 0);
        assert!(lane(s[0], s[1]).is_some_and(|e| e.flags & edge_flags::SEA_COPY == 0));
        // a ban whose side has no port is a silent no-op: the build fails
        assert!(separate(&mut b, &[row("IR", "NL")]).is_err());
        assert!(ban(&row("RU", "RU NL")).is_err());
        assert!(ban(&row("RUS", "NL")).is_err());
    }
}
