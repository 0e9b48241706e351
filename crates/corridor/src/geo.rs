//! Geodesy helpers: WGS84 coordinates stored as integer micro-degrees, great-circle distances.

/// Mean Earth radius in km (IUGG), the value haversine distances use throughout.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Kilometres per international nautical mile.
pub const KM_PER_NM: f64 = 1.852;

/// Degrees to the integer micro-degrees the network stores (about 0.1 m resolution).
pub fn to_e6(deg: f64) -> i32 {
    (deg * 1e6).round() as i32
}

/// Integer micro-degrees back to degrees.
pub fn from_e6(v: i32) -> f64 {
    v as f64 / 1e6
}

/// Great-circle distance in km between two (lat, lon) points in degrees.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// A WGS84 point in degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// A checked point: latitude in [-90, 90], longitude in [-180, 180], both finite.
    pub fn new(lat: f64, lon: f64) -> Option<LatLon> {
        (lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
            .then_some(LatLon { lat, lon })
    }

    /// Great-circle distance to another point in km.
    pub fn km_to(&self, other: &LatLon) -> f64 {
        haversine_km(self.lat, self.lon, other.lat, other.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distances() {
        // London-Paris is about 344 km great-circle.
        let d = haversine_km(51.5074, -0.1278, 48.8566, 2.3522);
        assert!((d - 343.5).abs() < 1.5, "{d}");
        // Across the antimeridian is short, not half the globe.
        let d = haversine_km(0.0, 179.5, 0.0, -179.5);
        assert!((d - 111.2).abs() < 0.5, "{d}");
        assert_eq!(haversine_km(10.0, 10.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn latlon_bounds() {
        assert!(LatLon::new(91.0, 0.0).is_none());
        assert!(LatLon::new(0.0, -181.0).is_none());
        assert!(LatLon::new(f64::NAN, 0.0).is_none());
        assert!(LatLon::new(-90.0, 180.0).is_some());
    }
}
