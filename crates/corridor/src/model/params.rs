//! Cost, time and emission parameters with their provenance. The defaults live in
//! `data/params/default.toml` (embedded at compile time); a user file of `key = value` pairs (TOML,
//! nested tables allowed: `[ferry] wait_hours = 24`) overrides them. Unknown keys are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The default parameter file, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../../../data/params/default.toml");

/// One numeric parameter and where it comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Param {
    pub key: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    pub unit: String,
    pub source: String,
    pub year: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Set when a user file changed the value (the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden_by: Option<String>,
}

/// A named set of countries (gauge zone, customs union).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Zone {
    pub key: String,
    pub countries: Vec<String>,
    pub source: String,
    pub year: u32,
}

#[derive(Debug, Deserialize)]
struct ParamFile {
    version: String,
    param: Vec<Param>,
    #[serde(default)]
    zone: Vec<Zone>,
}

/// The effective parameters.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Params {
    pub version: String,
    pub params: Vec<Param>,
    pub zones: Vec<Zone>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl Params {
    /// The shipped defaults.
    pub fn defaults() -> Params {
        Params::parse(DEFAULT_TOML).expect("the shipped parameter file is valid")
    }

    /// Parses a full parameter file (the format of `data/params/default.toml`).
    pub fn parse(text: &str) -> Result<Params> {
        let f: ParamFile = toml::from_str(text).map_err(|e| Error::BadQuery(format!("parameter file: {e}")))?;
        let mut index = BTreeMap::new();
        for (i, p) in f.param.iter().enumerate() {
            if index.insert(p.key.clone(), i).is_some() {
                return Err(Error::BadQuery(format!("parameter file: duplicate key {}", p.key)));
            }
            if !p.value.is_finite() || p.value < 0.0 {
                return Err(Error::BadQuery(format!("parameter {}: value must be a non-negative number", p.key)));
            }
        }
        Ok(Params { version: f.version, params: f.param, zones: f.zone, index })
    }

    /// Applies a user override file (`key = value`, nested tables flattened with dots).
    pub fn apply_overrides(&mut self, text: &str, origin: &str) -> Result<()> {
        let table: toml::Table = toml::from_str(text).map_err(|e| Error::BadQuery(format!("{origin}: {e}")))?;
        let mut flat = Vec::new();
        flatten("", &toml::Value::Table(table), &mut flat);
        for (key, v) in flat {
            let value = match v {
                toml::Value::Float(f) => f,
                toml::Value::Integer(i) => i as f64,
                other => return Err(Error::BadQuery(format!("{origin}: {key} must be a number, not {other}"))),
            };
            let Some(&i) = self.index.get(&key) else {
                return Err(Error::BadQuery(format!("{origin}: unknown parameter '{key}' (see `corridor params`)")));
            };
            if !value.is_finite() || value < 0.0 {
                return Err(Error::BadQuery(format!("{origin}: {key} must be a non-negative number")));
            }
            let p = &mut self.params[i];
            p.value = value;
            // a user value is a point estimate: its range collapses to it
            p.low = p.low.map(|_| value);
            p.high = p.high.map(|_| value);
            p.overridden_by = Some(origin.to_string());
        }
        Ok(())
    }

    /// The value of a parameter. Panics on a key the shipped file lacks: keys are fixed in code.
    pub fn get(&self, key: &str) -> f64 {
        self.params[self.index[key]].value
    }
    /// (low, value, high) of a parameter; low and high default to the value.
    pub fn range(&self, key: &str) -> (f64, f64, f64) {
        let p = &self.params[self.index[key]];
        (p.low.unwrap_or(p.value), p.value, p.high.unwrap_or(p.value))
    }
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.index.get(key).map(|&i| &self.params[i])
    }
    pub fn zone(&self, key: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.key == key)
    }
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut Vec<(String, toml::Value)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_sources_and_overrides_apply() {
        let mut p = Params::defaults();
        assert!(p.params.iter().all(|x| !x.source.is_empty() && x.year > 2000));
        assert_eq!(p.get("border.rail_hours"), 40.6);
        p.apply_overrides("\"sea.speed_knots\" = 14\n[ferry]\nwait_hours = 24\n", "test.toml").unwrap();
        assert_eq!(p.get("ferry.wait_hours"), 24.0);
        assert_eq!(p.range("ferry.wait_hours"), (24.0, 24.0, 24.0));
        assert_eq!(p.get("sea.speed_knots"), 14.0);
        assert!(p.apply_overrides("nonsense = 1", "t").is_err());
        assert!(p.apply_overrides("[sea]\nspeed_knots = -3", "t").is_err());
        assert!(p.apply_overrides("[sea]\nspeed_knots = \"fast\"", "t").is_err());
        assert!(p.apply_overrides("not toml [", "t").is_err());
        assert!(p.zone("gauge.1520").unwrap().countries.contains(&"KZ".to_string()));
    }
}
