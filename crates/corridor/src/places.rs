//! The gazetteer: finds places by name (accents, case, apostrophes and punctuation ignored),
//! UN/LOCODE, `lat,lon`, or `name, CC` to pick a country; suggests close names when nothing matches.
//!
//! Entries come from the network file's [`Meta::places`](crate::network::Meta): curated corridor
//! places first, then GeoNames cities (population >= 15,000) and searoute's ports.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::col::{Col, SectionWriter, Sections};
use crate::geo::LatLon;
use crate::network::types::{Place, PlaceKind};
use crate::{Error, Result};

/// The longest place name (or coordinate text) a query may give, in characters: the longest
/// gazetteer names are under 100.
pub const MAX_PLACE_CHARS: usize = 200;

/// Folds a name to its lookup key: NFKD, combining marks dropped, lowercase ASCII letters and
/// digits, apostrophes removed (Xi'an, Xi’an and XIAN match), other punctuation as single spaces.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    if name.is_ascii() {
        // the same rules without decomposition, which ASCII does not need (most names)
        for b in name.bytes() {
            if matches!(b, b'\'' | b'`') {
                continue;
            }
            if b.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(b.to_ascii_lowercase() as char);
            } else {
                space = true;
            }
        }
        return out;
    }
    normalize_unicode(name)
}

/// [`normalize`] for any string: compatibility decomposition, marks dropped.
fn normalize_unicode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) || matches!(c, '\'' | '’' | '‘' | 'ʻ' | 'ʼ' | '`' | '´')
        {
            continue;
        }
        let c = match c {
            'ı' => 'i',
            'ł' | 'Ł' => 'l',
            'ø' | 'Ø' => 'o',
            'đ' | 'Đ' => 'd',
            'ß' => 's',
            other => other,
        };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// A resolved query point.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// What the user typed.
    pub query: String,
    /// Display name ("Almaty, KZ" or the coordinates).
    pub name: String,
    pub country: Option<String>,
    pub point: LatLon,
    /// The gazetteer entry, if the query named one.
    pub place: Option<usize>,
}

/// Sorted strings stored as two columns (text and offsets), so that they load in place.
#[derive(Debug, Clone)]
struct Strings {
    text: Col<u8>,
    /// String i is `text[start[i]..start[i+1]]`.
    start: Col<u32>,
}

impl Strings {
    fn new<'a>(sorted: impl Iterator<Item = &'a str>) -> Strings {
        let (mut text, mut start) = (Vec::new(), vec![0u32]);
        for k in sorted {
            text.extend_from_slice(k.as_bytes());
            start.push(text.len() as u32);
        }
        Strings { text: text.into(), start: start.into() }
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    fn get(&self, i: usize) -> &str {
        // valid UTF-8 on every boundary (checked by `read`), so this never yields ""
        std::str::from_utf8(&self.text[self.start[i] as usize..self.start[i + 1] as usize]).unwrap_or("")
    }

    /// Index of the first string not less than `key`.
    fn lower_bound(&self, key: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn find(&self, key: &str) -> Option<usize> {
        let i = self.lower_bound(key);
        (i < self.len() && self.get(i) == key).then_some(i)
    }

    fn write(&self, w: &mut SectionWriter, prefix: &str) {
        w.add(&format!("{prefix}.text"), &self.text);
        w.add(&format!("{prefix}.start"), &self.start);
    }

    /// Checks offsets, UTF-8 boundaries and order, so that `get` and `find` are sound.
    fn read(s: &Sections, prefix: &str) -> Option<Strings> {
        let t = Strings { text: s.col(&format!("{prefix}.text"))?, start: s.col(&format!("{prefix}.start"))? };
        let text = std::str::from_utf8(&t.text).ok()?;
        let ok = !t.start.is_empty()
            && t.start[0] == 0
            && *t.start.last()? as usize == text.len()
            && t.start.windows(2).all(|w| w[0] <= w[1] && text.is_char_boundary(w[1] as usize))
            && (1..t.len()).all(|i| t.get(i - 1) < t.get(i));
        ok.then_some(t)
    }
}

/// Name index over the places: sorted folded names with their places (best-ranked first) and
/// sorted UN/LOCODEs, as columns so that the index saved in the network's raw cache loads in
/// place instead of folding 50,000 names on every CLI start.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    keys: Strings,
    /// Places named by key i: `hits[hit_start[i]..hit_start[i+1]]`, best-ranked first.
    hit_start: Col<u32>,
    hits: Col<u32>,
    locodes: Strings,
    locode_place: Col<u32>,
}

/// Rank among entries sharing a name: curated first, then cities by population, then ports,
/// then cities known by the name only as another spelling (GeoNames' alternate names: a city's
/// own name beats another's alias, so "Brest" is never a town that some language calls Brest).
fn rank(p: &Place, by_alias: bool) -> (u8, std::cmp::Reverse<u32>) {
    let tier = match (p.origin, p.kind, by_alias) {
        (2, _, _) => 0,
        (_, _, true) => 3,
        (_, PlaceKind::City, false) => 1,
        _ => 2,
    };
    (tier, std::cmp::Reverse(p.population))
}

impl Gazetteer {
    pub fn new(places: &[Place]) -> Gazetteer {
        // each key's places, with whether the key is only an alias of the place
        let mut by_key: BTreeMap<String, Vec<(u32, bool)>> = BTreeMap::new();
        let mut by_locode: BTreeMap<String, u32> = BTreeMap::new();
        for (i, p) in places.iter().enumerate() {
            let names = std::iter::once((&p.name, false)).chain(p.aliases.iter().map(|a| (a, true)));
            for (name, by_alias) in names {
                let k = normalize(name);
                if !k.is_empty() {
                    let v = by_key.entry(k).or_default();
                    if !v.iter().any(|&(j, _)| j == i as u32) {
                        v.push((i as u32, by_alias));
                    }
                }
            }
            if let Some(l) = &p.locode {
                by_locode.entry(l.to_ascii_uppercase()).or_insert(i as u32);
            }
        }
        let (mut hit_start, mut hits) = (vec![0u32], Vec::new());
        for v in by_key.values_mut() {
            v.sort_by_key(|&(i, by_alias)| (rank(&places[i as usize], by_alias), i));
            hits.extend(v.iter().map(|&(i, _)| i));
            hit_start.push(hits.len() as u32);
        }
        Gazetteer {
            keys: Strings::new(by_key.keys().map(String::as_str)),
            hit_start: hit_start.into(),
            hits: hits.into(),
            locodes: Strings::new(by_locode.keys().map(String::as_str)),
            locode_place: by_locode.values().copied().collect::<Vec<_>>().into(),
        }
    }

    /// Saves the index as sections named `{prefix}.*`.
    pub fn write(&self, w: &mut SectionWriter, prefix: &str) {
        self.keys.write(w, &format!("{prefix}.keys"));
        w.add(&format!("{prefix}.hit_start"), &self.hit_start);
        w.add(&format!("{prefix}.hits"), &self.hits);
        self.locodes.write(w, &format!("{prefix}.locodes"));
        w.add(&format!("{prefix}.locode_place"), &self.locode_place);
    }

    /// An index saved by [`Gazetteer::write`] for `places`, in place; None if a section is
    /// missing or inconsistent (every offset and place id is checked against `places`).
    pub fn read(s: &Sections, prefix: &str, places: &[Place]) -> Option<Gazetteer> {
        let g = Gazetteer {
            keys: Strings::read(s, &format!("{prefix}.keys"))?,
            hit_start: s.col(&format!("{prefix}.hit_start"))?,
            hits: s.col(&format!("{prefix}.hits"))?,
            locodes: Strings::read(s, &format!("{prefix}.locodes"))?,
            locode_place: s.col(&format!("{prefix}.locode_place"))?,
        };
        let n = places.len();
        let ok = g.hit_start.len() == g.keys.len() + 1
            && g.hit_start[0] == 0
            && g.hit_start.windows(2).all(|w| w[0] < w[1])
            && *g.hit_start.last()? as usize == g.hits.len()
            && g.hits.iter().all(|&i| (i as usize) < n)
            && g.locode_place.len() == g.locodes.len()
            && g.locode_place.iter().all(|&i| (i as usize) < n);
        ok.then_some(g)
    }

    /// The places named by key i, best-ranked first.
    fn hits_of(&self, i: usize) -> &[u32] {
        &self.hits[self.hit_start[i] as usize..self.hit_start[i + 1] as usize]
    }

    /// Resolves a query: `lat,lon`, a UN/LOCODE, `name` or `name, CC`.
    pub fn resolve(&self, places: &[Place], query: &str) -> Result<Resolved> {
        let q = query.trim();
        if q.is_empty() {
            return Err(Error::BadQuery("empty place name".into()));
        }
        // one bound for every front end and file (CLI, API, scenario and OD files): the
        // suggestion search costs time in proportion to the name's length
        if q.chars().count() > MAX_PLACE_CHARS {
            return Err(Error::BadQuery(format!("a place name is longer than {MAX_PLACE_CHARS} characters")));
        }
        if let Some(point) = parse_coordinate(q)? {
            return Ok(Resolved {
                query: q.into(),
                name: format!("{:.4},{:.4}", point.lat, point.lon),
                country: None,
                point,
                place: None,
            });
        }
        let (name, country) = match q.rsplit_once(',') {
            Some((n, c)) if c.trim().len() == 2 && c.trim().chars().all(|c| c.is_ascii_alphabetic()) => {
                (n.trim(), Some(c.trim().to_ascii_uppercase()))
            }
            _ => (q, None),
        };
        let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() == 5
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
            && compact[..2].chars().all(|c| c.is_ascii_uppercase())
        {
            if let Some(k) = self.locodes.find(&compact) {
                return Ok(self.resolved(places, q, self.locode_place[k] as usize));
            }
        }
        let key = normalize(name);
        if let Some(k) = self.keys.find(&key) {
            let hit = self
                .hits_of(k)
                .iter()
                .find(|&&i| country.as_ref().is_none_or(|c| places[i as usize].country.eq_ignore_ascii_case(c)));
            if let Some(&i) = hit {
                return Ok(self.resolved(places, q, i as usize));
            }
        }
        Err(Error::UnknownPlace { query: q.into(), suggestions: self.suggest(places, &key, 5) })
    }

    fn resolved(&self, places: &[Place], query: &str, i: usize) -> Resolved {
        let p = &places[i];
        Resolved {
            query: query.into(),
            name: format!("{}, {}", p.name, p.country),
            country: Some(p.country.clone()),
            point: LatLon { lat: p.lat, lon: p.lon },
            place: Some(i),
        }
    }

    /// Up to `k` names closest to `key` (Jaro-Winkler on the folded names, prefix matches first).
    pub fn suggest(&self, places: &[Place], key: &str, k: usize) -> Vec<String> {
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, usize)> = (0..self.keys.len())
            .map(|i| {
                let cand = self.keys.get(i);
                let mut s = strsim::jaro_winkler(key, cand);
                if cand.starts_with(key) {
                    s += 0.2;
                }
                (s, i)
            })
            .filter(|(s, _)| *s > 0.75)
            .collect();
        // keys are sorted, so the index breaks ties alphabetically
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, cand) in scored {
            let p = &places[self.hits_of(cand)[0] as usize];
            let label = format!("{}, {}", p.name, p.country);
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == k {
                break;
            }
        }
        out
    }

    /// Places whose folded name starts with the folded prefix, best-ranked first (for type-ahead).
    pub fn complete(&self, places: &[Place], prefix: &str, k: usize) -> Vec<usize> {
        let key = normalize(prefix);
        let start = self.keys.lower_bound(&key);
        let mut out: Vec<usize> = (start..self.keys.len())
            .take_while(|&i| self.keys.get(i).starts_with(&key))
            .flat_map(|i| self.hits_of(i).iter().map(|&p| p as usize))
            .collect();
        // the places known by exactly the typed text (own name or another spelling: "Wien" is
        // Vienna before Wiener Neustadt), then those whose own name starts with it before those
        // matched by another spelling (the key folds the name once per place, not once per comparison)
        let exact: &[u32] =
            if start < self.keys.len() && self.keys.get(start) == key { self.hits_of(start) } else { &[] };
        out.sort_by_cached_key(|&i| {
            (!exact.contains(&(i as u32)), rank(&places[i], !normalize(&places[i].name).starts_with(&key)), i)
        });
        out.dedup();
        out.truncate(k);
        out
    }
}

/// Parses `lat,lon` (degrees). Ok(None) if the text does not look like a coordinate pair.
pub fn parse_coordinate(q: &str) -> Result<Option<LatLon>> {
    let Some((a, b)) = q.split_once(',') else {
        return Ok(None);
    };
    let looks_numeric = |s: &str| {
        let s = s.trim();
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    };
    if !looks_numeric(a) || !looks_numeric(b) {
        return Ok(None);
    }
    let lat: f64 = a.trim().parse().map_err(|_| Error::BadCoordinate(q.into()))?;
    let lon: f64 = b.trim().parse().map_err(|_| Error::BadCoordinate(q.into()))?;
    LatLon::new(lat, lon).map(Some).ok_or_else(|| Error::BadCoordinate(q.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, country: &str, pop: u32, kind: PlaceKind, origin: u8) -> Place {
        Place {
            name: name.into(),
            aliases: vec![],
            country: country.into(),
            lat: 1.0,
            lon: 2.0,
            kind,
            population: pop,
            locode: None,
            hub: None,
            origin,
        }
    }

    #[test]
    fn ascii_fast_path_equals_the_unicode_rules() {
        let samples =
            ["Xi'an", "  Port of Baku (Alat) ", "ST. PETERSBURG", "a`b--c", "", "N'Djamena 2", "Jebel-Ali_FZ"];
        for s in samples {
            assert_eq!(normalize(s), normalize_unicode(s), "{s:?}");
        }
        // every printable ASCII character, alone and between letters
        for b in 0x20u8..0x7f {
            let s = format!("a{}b {}", b as char, b as char);
            assert_eq!(normalize(&s), normalize_unicode(&s), "{s:?}");
        }
    }

    #[test]
    fn normalization_folds_accents_case_apostrophes() {
        assert_eq!(normalize("Xi'an"), "xian");
        assert_eq!(normalize("Xi’an"), "xian");
        assert_eq!(normalize("XI'AN"), "xian");
        assert_eq!(normalize("Malaszewicze"), normalize("Małaszewicze"));
        assert_eq!(normalize("İstanbul"), "istanbul");
        assert_eq!(normalize("  São   Paulo "), "sao paulo");
        assert_eq!(normalize("Baku/Alat"), "baku alat");
    }

    #[test]
    fn resolve_names_codes_and_coordinates() {
        let mut ps = vec![
            place("Brest", "FR", 144_899, PlaceKind::City, 0),
            place("Brest", "BY", 347_138, PlaceKind::City, 0),
            place("Xi’an", "CN", 9_600_000, PlaceKind::City, 0),
            place("Rotterdam", "NL", 0, PlaceKind::Port, 1),
        ];
        ps[3].locode = Some("NLRTM".into());
        let g = Gazetteer::new(&ps);
        assert_eq!(g.resolve(&ps, "brest").unwrap().country.as_deref(), Some("BY"));
        assert_eq!(g.resolve(&ps, "Brest, FR").unwrap().country.as_deref(), Some("FR"));
        assert_eq!(g.resolve(&ps, "XI'AN").unwrap().place, Some(2));
        assert_eq!(g.resolve(&ps, "Xian").unwrap().place, Some(2));
        assert_eq!(g.resolve(&ps, "NLRTM").unwrap().place, Some(3));
        let c = g.resolve(&ps, "41.0, 29.0").unwrap();
        assert_eq!(c.point, LatLon { lat: 41.0, lon: 29.0 });
        assert!(matches!(g.resolve(&ps, "95,10"), Err(Error::BadCoordinate(_))));
        match g.resolve(&ps, "Rotterdm") {
            Err(Error::UnknownPlace { suggestions, .. }) => {
                assert_eq!(suggestions[0], "Rotterdam, NL")
            }
            other => panic!("{other:?}"),
        }
        assert!(g.resolve(&ps, "   ").is_err());
    }

    /// Other spellings find a city (Ulaanbaatar for Ulan Bator), but never take a name from a
    /// place that bears it as its own, however large the city whose alias it is; among
    /// aliases the larger city wins, and a curated place's aliases keep their first rank.
    #[test]
    fn aliases_find_a_city_after_every_own_name() {
        let mut ps = vec![
            place("Ulan Bator", "MN", 844_818, PlaceKind::City, 0),
            place("Kashgar", "CN", 506_640, PlaceKind::City, 0),
            place("Varanasi", "IN", 1_164_404, PlaceKind::City, 0),
            place("Vin", "IT", 15_100, PlaceKind::City, 0),
            place("Vienna", "AT", 1_691_468, PlaceKind::City, 0),
            place("Khorgos Gateway", "KZ", 0, PlaceKind::Dryport, 2),
            place("Khorgos", "KZ", 20_000, PlaceKind::City, 0),
            place("Wiener Neustadt", "AT", 44_820, PlaceKind::City, 0),
        ];
        ps[0].aliases = vec!["Ulaanbaatar".into(), "Urga".into()];
        ps[1].aliases = vec!["Kashi".into()];
        ps[2].aliases = vec!["Kashi".into(), "Benares".into()];
        ps[4].aliases = vec!["Vin".into(), "Wien".into()];
        ps[5].aliases = vec!["Khorgos".into()];
        let g = Gazetteer::new(&ps);
        let name = |q: &str| g.resolve(&ps, q).map(|r| r.name).unwrap_or_else(|e| e.to_string());
        assert_eq!(name("ulaanbaatar"), "Ulan Bator, MN");
        assert_eq!(name("Wien"), "Vienna, AT");
        assert_eq!(name("Vin"), "Vin, IT", "an own name beats a larger city's alias");
        assert_eq!(name("Kashi"), "Varanasi, IN", "the larger of two cities with the alias");
        assert_eq!(name("Kashi, CN"), "Kashgar, CN");
        assert_eq!(name("Khorgos"), "Khorgos Gateway, KZ", "curated places first, by alias too");
        // type-ahead lists own names before other spellings
        let done: Vec<&str> = g.complete(&ps, "vi", 3).iter().map(|&i| ps[i].name.as_str()).collect();
        assert_eq!(done, ["Vienna", "Vin"]);
        // ... but a place known by exactly the typed text comes first, by its other spelling too
        let done: Vec<&str> = g.complete(&ps, "Wien", 3).iter().map(|&i| ps[i].name.as_str()).collect();
        assert_eq!(done, ["Vienna", "Wiener Neustadt"]);
        let done: Vec<&str> = g.complete(&ps, "vin", 3).iter().map(|&i| ps[i].name.as_str()).collect();
        assert_eq!(done, ["Vin", "Vienna"], "two exact matches: the own name first");
    }
}
