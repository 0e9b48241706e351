//! Liner ports (data/curated/liner_ports.csv): where a container can change between ship and land.
//!
//! searoute lists some 3,900 UN/LOCODE ports, from Rotterdam to river villages (Groot-Ammers),
//! and every one got a hub with rail and road transfers, so the cheapest route to an inland city
//! landed its box at whichever port lies nearest the city: Shanghai to Duisburg "sailed" to
//! Groot-Ammers. Containers change mode only at a container terminal that a liner or feeder
//! service calls at. The rule: a seaport keeps its rail/road transfers when searoute flags it
//! as a terminal (its `terminal` column, 797 ports: Rotterdam, Antwerp, Hamburg, Gdansk, Koper,
//! Poti, Jebel Ali...), when the curated file adds it (container ports the flag misses, with a
//! source), or when a curated ferry ends at it (the ferry's source documents the service). The
//! curated file also removes the flag where a port has no container service. Every other seaport
//! keeps its sea approach (sea distances to any port still work) but no transfers. Inland
//! terminals (no sea approach) keep theirs: they are rail-road hubs.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::error::BuildError;
use crate::sources::{LinerPortRow, PortRow};

/// The liner ports' UN/LOCODEs and the report: the source's flags, amended by the curated rows.
/// A row must name a port of the source, say `yes` or `no`, change its flag (a row that repeats
/// the flag would be a silent no-op) and carry a source; a port is listed once.
pub(crate) fn liner_ports(ports: &[PortRow], rows: &[LinerPortRow]) -> Result<(HashSet<String>, Value), BuildError> {
    let flagged: HashSet<String> =
        ports.iter().filter(|p| p.terminal.trim() == "1").map(|p| p.locode.trim().to_ascii_uppercase()).collect();
    let known: HashMap<String, &str> =
        ports.iter().map(|p| (p.locode.trim().to_ascii_uppercase(), p.name.as_str())).collect();
    let mut liner = flagged.clone();
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for r in rows {
        let locode = r.locode.trim().to_ascii_uppercase();
        let bad = |what: &str| BuildError::Curated(format!("liner_ports.csv {locode} ({}): {what}", r.name));
        if !known.contains_key(&locode) {
            return Err(bad("not a port of the source (data/sources/ports.csv.gz)"));
        }
        if !seen.insert(locode.clone()) {
            return Err(bad("listed twice"));
        }
        if r.source.trim().is_empty() {
            return Err(bad("a source is required"));
        }
        match r.liner.trim() {
            "yes" if flagged.contains(&locode) => return Err(bad("already a terminal in the source")),
            "no" if !flagged.contains(&locode) => return Err(bad("not a terminal in the source")),
            "yes" => {
                liner.insert(locode.clone());
                added.push(locode);
            }
            "no" => {
                liner.remove(&locode);
                removed.push(locode);
            }
            other => return Err(bad(&format!("liner must be yes or no, not '{other}'"))),
        }
    }
    let report = json!({"source_terminals": flagged.len(), "curated_added": added, "curated_removed": removed});
    Ok((liner, report))
}

/// Which port hubs lose their rail/road transfers: those that reach the sea lane, are not liner
/// ports and are no ferry's end. `hubs` holds (hub node, UN/LOCODE, reaches the sea) per source port.
pub(crate) fn hubs_without_transfers(
    hubs: &[(u32, String, bool)],
    liner: &HashSet<String>,
    ferry_hubs: &HashSet<u32>,
) -> HashSet<u32> {
    hubs.iter()
        .filter(|(hub, locode, at_sea)| *at_sea && !liner.contains(locode) && !ferry_hubs.contains(hub))
        .map(|(hub, _, _)| *hub)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(locode: &str, terminal: &str) -> PortRow {
        PortRow {
            locode: locode.into(),
            name: locode.into(),
            country_name: String::new(),
            lat: 0.0,
            lon: 0.0,
            terminal: terminal.into(),
        }
    }

    fn row(locode: &str, liner: &str, source: &str) -> LinerPortRow {
        LinerPortRow { locode: locode.into(), name: locode.into(), liner: liner.into(), source: source.into() }
    }

    #[test]
    fn curated_rows_amend_the_source_flags() {
        let ports = [port("NLRTM", "1"), port("NLGRO", ""), port("AEKLF", ""), port("NLDHR", "1")];
        let (set, report) =
            liner_ports(&ports, &[row("AEKLF", "yes", "a source"), row("NLDHR", "no", "a source")]).unwrap();
        let mut got: Vec<&str> = set.iter().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["AEKLF", "NLRTM"]);
        assert_eq!(report["source_terminals"], 2);
        assert_eq!(report["curated_added"][0], "AEKLF");
        assert_eq!(report["curated_removed"][0], "NLDHR");
    }

    #[test]
    fn bad_rows_fail_the_build() {
        let ports = [port("NLRTM", "1"), port("NLGRO", "")];
        for rows in [
            vec![row("XXABC", "yes", "s")],
            vec![row("NLRTM", "yes", "s")],
            vec![row("NLGRO", "no", "s")],
            vec![row("NLGRO", "maybe", "s")],
            vec![row("NLGRO", "yes", " ")],
            vec![row("NLGRO", "yes", "s"), row("nlgro", "yes", "s")],
        ] {
            assert!(matches!(liner_ports(&ports, &rows), Err(BuildError::Curated(_))), "{rows:?}");
        }
    }

    #[test]
    fn only_non_liner_seaports_without_a_ferry_lose_transfers() {
        let liner: HashSet<String> = ["NLRTM".to_string()].into();
        let hubs = vec![
            (1, "NLRTM".to_string(), true),  // liner port
            (2, "NLGRO".to_string(), true),  // seaport, no container service
            (3, "CNZZU".to_string(), false), // inland terminal: no sea approach
            (4, "KZAAU".to_string(), true),  // ferry end
        ];
        let ferries: HashSet<u32> = [4].into();
        assert_eq!(hubs_without_transfers(&hubs, &liner, &ferries), [2].into());
    }
}
