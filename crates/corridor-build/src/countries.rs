//! Country tagging of nodes with the OSM-derived boundaries of the `country-boundaries` crate
//! (ODbL, © OpenStreetMap contributors), plus the disputed-areas policy below.
//!
//! Policy: a node gets the ISO 3166-1 alpha-2 code of the state that the UN recognises as
//! sovereign there, because sanctions, customs and "avoid" decisions follow recognised borders:
//! Crimea and Sevastopol -> UA; Abkhazia and South Ossetia -> GE; Nagorno-Karabakh -> AZ;
//! Transnistria -> MD; Northern Cyprus -> CY; the Golan Heights -> SY; Western Sahara -> EH (its
//! own ISO code); Kosovo -> XK (as in the boundary data); Taiwan -> TW.
//! Territorial waters are tagged as the boundary data has them (often the 12 nm sea); whether
//! avoiding a country also avoids its waters is a query option.

use country_boundaries::{CountryBoundaries, LatLon, BOUNDARIES_ODBL_360X180};

/// Text of the policy stored in the network file and shown by `corridor network info`.
pub const DISPUTED_POLICY: &str = "Nodes carry the ISO 3166-1 alpha-2 code of the UN-recognised sovereign: Crimea and Sevastopol -> UA; \
Abkhazia, South Ossetia -> GE; Nagorno-Karabakh -> AZ; Transnistria -> MD; Northern Cyprus -> CY; Golan Heights -> SY; \
Western Sahara -> EH; Kosovo -> XK; Taiwan -> TW. Territorial waters carry the coastal state's code; --avoid covers them only with --avoid-waters.";

/// The Golan Heights (approximate polygon of the 1967 line), assigned to SY by the policy.
const GOLAN: &[(f64, f64)] = &[
    (33.34, 35.62),
    (33.30, 35.85),
    (33.10, 35.95),
    (32.87, 35.95),
    (32.70, 35.79),
    (32.70, 35.64),
    (32.96, 35.62),
    (33.20, 35.57),
];

/// Western Sahara (approximate polygon; the coast is taken a little offshore), assigned to EH
/// where the boundary data says MA.
const WESTERN_SAHARA: &[(f64, f64)] = &[
    (27.667, -13.3),
    (27.667, -8.667),
    (26.0, -8.667),
    (26.0, -12.0),
    (23.45, -12.0),
    (21.33, -13.0),
    (21.33, -16.95),
    (20.77, -17.05),
    (20.77, -17.5),
    (21.5, -17.4),
    (23.0, -16.6),
    (24.5, -15.5),
    (26.0, -14.8),
    (27.0, -13.8),
];

fn in_polygon(lat: f64, lon: f64, poly: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (yi, xi) = poly[i];
        let (yj, xj) = poly[j];
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Tags points with country codes.
pub struct Tagger {
    boundaries: CountryBoundaries,
}

impl Tagger {
    pub fn new() -> Tagger {
        Tagger {
            boundaries: CountryBoundaries::from_reader(BOUNDARIES_ODBL_360X180)
                .expect("embedded boundary data is valid"),
        }
    }

    /// ISO alpha-2 code at (lat, lon), "" for open sea.
    pub fn country(&self, lat: f64, lon: f64) -> String {
        let Ok(p) = LatLon::new(lat, lon) else {
            return String::new();
        };
        let ids = self.boundaries.ids(p);
        if ids.iter().any(|id| *id == "UA-43" || *id == "UA-40") {
            return "UA".into();
        }
        if in_polygon(lat, lon, GOLAN) && ids.iter().any(|id| *id == "IL" || *id == "SY") {
            return "SY".into();
        }
        if in_polygon(lat, lon, WESTERN_SAHARA) && ids.iter().any(|id| *id == "MA" || *id == "EH") {
            return "EH".into();
        }
        // ids are sorted smallest area first; the first without '-' is the country
        let code = ids.iter().find(|s| !s.contains('-')).copied().unwrap_or("");
        match code {
            // subdivision-like codes some boundary sets use for disputed areas
            "AB" | "OS" => "GE".into(),
            other => other.to_string(),
        }
    }
}

impl Default for Tagger {
    fn default() -> Self {
        Tagger::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_cases() {
        let t = Tagger::new();
        assert_eq!(t.country(44.95, 34.10), "UA", "Simferopol, Crimea");
        assert_eq!(t.country(44.60, 33.52), "UA", "Sevastopol");
        assert_eq!(t.country(43.00, 41.02), "GE", "Sukhumi, Abkhazia");
        assert_eq!(t.country(39.82, 46.75), "AZ", "Khankendi, Nagorno-Karabakh");
        assert_eq!(t.country(33.00, 35.75), "SY", "Golan Heights");
        assert_eq!(t.country(32.08, 34.78), "IL", "Tel Aviv");
        assert_eq!(t.country(27.15, -13.20), "EH", "Laayoune, Western Sahara");
        assert_eq!(t.country(43.22, 76.85), "KZ", "Almaty");
        assert_eq!(t.country(33.57, -7.59), "MA", "Casablanca");
        assert_eq!(t.country(23.70, -15.93), "EH", "Dakhla");
        assert_eq!(t.country(40.0, -40.0), "", "mid-Atlantic");
    }
}
