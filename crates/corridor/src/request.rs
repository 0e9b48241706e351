//! The parameters of a query as the HTTP API receives them: the CLI's options under the CLI's
//! names, from a query string (`GET`) or a JSON body (`POST`). Parsing and checking them needs no
//! server, so it lives here, where the fuzz target `http_request` exercises it with the same
//! deserializers as `corridor serve` (serde_urlencoded for query strings, serde_json for bodies).
//!
//! Lists are comma-separated strings or JSON arrays; place lists (`via`, matrix `from`/`to`) are
//! separated by `;` because place names may contain commas (`Brest, BY`).

use serde::Deserialize;
use serde_json::Value;

use crate::model::cost::Objective;
use crate::planner::Constraints;

/// A list parameter: a string (split later by the field's separator) or an array of strings.
#[derive(Debug, Clone, Default)]
pub struct List(pub Vec<String>);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<List, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = List;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<List, E> {
                Ok(List(vec![s.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(List(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl List {
    /// The items, each split by `sep`, trimmed, blanks dropped.
    pub fn split(&self, sep: char) -> Vec<String> {
        self.0.iter().flat_map(|s| s.split(sep)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    }
}

/// Parameters of the routing endpoints: the CLI's options, under the CLI's names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Origin (route, compare) or origins separated by ';' (matrix).
    pub from: Option<List>,
    /// Destination (route, compare) or destinations separated by ';' (matrix).
    pub to: Option<List>,
    /// Places to pass through, in order, separated by ';' (route only).
    pub via: Option<List>,
    pub avoid: Option<List>,
    pub avoid_waters: Option<bool>,
    pub avoid_passage: Option<List>,
    pub allow_passage: Option<List>,
    pub modes: Option<List>,
    pub allow_planned: Option<bool>,
    /// Door to door: the truck between each place and the network is in the totals, with a
    /// drayage charge at both ends of a route by rail or container ship (default false:
    /// terminal to terminal).
    pub door: Option<bool>,
    /// Objective: cost (total logistics cost, the default), time, distance or co2.
    pub by: Option<String>,
    /// Freight market state: normal-2023 (default), red-sea-2024 or latest.
    pub market: Option<String>,
    /// Up to this many alternatives (route only).
    pub alternatives: Option<u8>,
    /// Add a GeoJSON FeatureCollection (`geojson`) to each route / corridor.
    pub geometry: Option<bool>,
    /// A time limit for this request in milliseconds, if shorter than the server's.
    pub timeout_ms: Option<u64>,
    /// A scenario shipped in examples/scenarios/, by file stem (scenario only).
    pub example: Option<String>,
    /// A scenario: the TOML text of a scenario file, or a JSON object with its keys (scenario only).
    pub scenario: Option<Value>,
    /// Origin/destination pairs or flows as CSV text with the header `from,to[,demand]`
    /// (scenario, critical).
    pub od: Option<String>,
    /// A corridor of the catalogue: its exclusions and modes, and its shipped flows when `od`
    /// is absent (critical); the one corridor to compute (capacity).
    pub corridor: Option<String>,
    /// Assign the demand of `od` (third column, TEU per year) within the capacities (capacity only).
    pub assign: Option<bool>,
}

/// The items of an optional list field, split by `sep` (see [`List::split`]).
pub fn list(v: &Option<List>, sep: char) -> Vec<String> {
    v.as_ref().map(|l| l.split(sep)).unwrap_or_default()
}

impl Request {
    /// The exclusions, parsed and validated exactly as the CLI does.
    pub fn constraints(&self) -> crate::Result<Constraints> {
        crate::planner::Constraints::from_lists(
            &list(&self.avoid, ','),
            &list(&self.avoid_passage, ','),
            &list(&self.allow_passage, ','),
            &list(&self.modes, ','),
            self.allow_planned.unwrap_or(false),
            self.avoid_waters.unwrap_or(false),
        )
        .map(|c| Constraints { door: self.door.unwrap_or(false), ..c })
    }

    /// The objective (`by`), the default (total cost) when absent; an error message otherwise.
    pub fn objective(&self) -> Result<Objective, String> {
        match &self.by {
            None => Ok(Objective::Cost),
            Some(s) => Objective::parse(s)
                .ok_or_else(|| format!("unknown objective '{s}' (expected distance, time, cost or co2)")),
        }
    }

    /// The places of a place-list field (`from`, `to`), split by ';'.
    pub fn places(&self, field: &str) -> Result<Vec<String>, String> {
        match field {
            "from" => Ok(list(&self.from, ';')),
            "to" => Ok(list(&self.to, ';')),
            _ => Err(format!("'{field}' is not a place list")),
        }
    }

    /// Fails on the first field given that the endpoint does not take; the analysis fields
    /// (`example`, `scenario`, `od`, `corridor`) are refused by the query endpoints.
    pub fn refuse(&self, endpoint: &str, fields: &[(&str, bool)]) -> Result<(), String> {
        let analysis = [
            ("example", self.example.is_some()),
            ("scenario", self.scenario.is_some()),
            ("od", self.od.is_some()),
            ("corridor", self.corridor.is_some()),
        ];
        let query_endpoint = matches!(endpoint, "route" | "compare" | "matrix");
        let extra = analysis.iter().filter(|_| query_endpoint);
        for (name, present) in fields.iter().chain(extra) {
            if *present {
                return Err(format!("'{name}' is not a parameter of {endpoint}"));
            }
        }
        Ok(())
    }
}
