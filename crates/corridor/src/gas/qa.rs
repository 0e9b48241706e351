//! Quality checks of the gas network.
//!
//! * [`check`]: the known pipelines (`data/gas/qa.csv`: name, first and last country of the route,
//!   published capacity range) are present, operating (or in the expected status) and within the
//!   range. `corridor gas network check` exits 1 when one fails.
//! * [`validate`]: the rows of `data/validation/gas.csv` (published capacities, observed
//!   Azerbaijani exports that the model's maximum must reach, published N-1 values and published
//!   statements that a country fails the standard), each passing
//!   or carrying an explanation of the gap.

use serde::Serialize;

use super::analysis::{self, Options};
use super::{GasError, GasNetwork, Result};

/// The shipped QA list.
pub const QA_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/gas/qa.csv"));
/// The shipped validation rows.
pub const VALIDATION_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/validation/gas.csv"));

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckRow {
    pub name: String,
    pub expected: String,
    pub found: String,
    pub ok: bool,
}

fn records(text: &str, what: &str) -> Result<Vec<csv::StringRecord>> {
    let mut r = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    r.records().collect::<Result<Vec<_>, _>>().map_err(|e| GasError::Format(format!("{what}: {e}")))
}

/// Runs the QA list against the network.
pub fn check(net: &GasNetwork, qa_csv: &str) -> Result<Vec<CheckRow>> {
    let mut out = Vec::new();
    for rec in records(qa_csv, "qa.csv")? {
        let (name, first, last, status) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let lo: f64 = rec[4].parse().map_err(|_| GasError::Format(format!("qa.csv {name}: min")))?;
        let hi: f64 = rec[5].parse().map_err(|_| GasError::Format(format!("qa.csv {name}: max")))?;
        let expected = format!("{first}..{last} {status} {lo}-{hi} bcm/y");
        let (found, ok) = match net.find_infrastructure(name) {
            Err(_) => ("missing".to_string(), false),
            Ok(infra) => {
                // the pipelines of that name in the expected status, capacities added
                let ps: Vec<_> =
                    infra.pipelines.iter().map(|&i| &net.pipelines[i]).filter(|p| p.status == status).collect();
                let cap: f64 = ps.iter().map(|p| p.capacity).sum();
                let route_ok = ps.iter().any(|p| {
                    p.route.first().map(String::as_str) == Some(first)
                        && p.route.last().map(String::as_str) == Some(last)
                });
                let routes: Vec<String> = ps.iter().map(|p| p.route.join(">")).collect();
                let found = if ps.is_empty() {
                    let st: Vec<&str> = infra.pipelines.iter().map(|&i| net.pipelines[i].status.as_str()).collect();
                    format!("status {}", st.join(","))
                } else {
                    format!("{} {} {:.2} bcm/y", routes.join(" + "), status, cap)
                };
                (found, !ps.is_empty() && route_ok && cap >= lo - 1e-9 && cap <= hi + 1e-9)
            }
        };
        out.push(CheckRow { name: name.to_string(), expected, found, ok });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValidationRow {
    pub id: String,
    pub kind: String,
    pub query: String,
    pub observed: f64,
    pub year: String,
    pub model: Option<f64>,
    pub within: bool,
    pub rule: String,
    pub source: String,
    pub explanation: String,
}

/// Compares the model with the validation rows. Kinds: `capacity` (pipeline capacity within the
/// relative tolerance of the published figure), `deliverable` (query `FROM>TO`: the model's
/// maximum must be at least the observed flow), `deliverable_near` (the same, and at most the
/// relative tolerance above it: a supplier that delivered near its availability), `n1` (query a country: model N-1 within the
/// tolerance in percentage points), `n1_below` (a published statement that the country fails the
/// standard: model N-1 below `observed`).
pub fn validate(net: &GasNetwork, csv_text: &str) -> Result<Vec<ValidationRow>> {
    let mut out = Vec::new();
    let sec = analysis::security(net, &Options::default())?;
    for rec in records(csv_text, "validation/gas.csv")? {
        let field = |i: usize| rec.get(i).unwrap_or("").to_string();
        let (id, kind, query) = (field(0), field(1), field(2));
        let observed: f64 = field(3).parse().map_err(|_| GasError::Format(format!("validation {id}: observed")))?;
        let tol: f64 = field(5).parse().unwrap_or(0.0);
        let (model, within, rule) = match kind.as_str() {
            "capacity" => {
                let infra = net.find_infrastructure(&query)?;
                let cap: f64 = infra
                    .pipelines
                    .iter()
                    .map(|&i| &net.pipelines[i])
                    .filter(|p| p.operating())
                    .map(|p| p.capacity)
                    .sum();
                (
                    Some(cap),
                    (cap - observed).abs() <= tol * observed + 1e-9,
                    format!("|model - published| <= {:.0}%", tol * 100.0),
                )
            }
            "deliverable" | "deliverable_near" => {
                let (from, to) =
                    query.split_once('>').ok_or_else(|| GasError::Format(format!("validation {id}: query FROM>TO")))?;
                let r = analysis::max_flow(
                    net,
                    &net.parse_suppliers(from)?,
                    &net.parse_countries(to)?,
                    &Options::default(),
                )?;
                if kind == "deliverable" {
                    (Some(r.max_bcm), r.max_bcm >= observed, "model maximum >= observed flow".into())
                } else {
                    // a supplier delivering near its availability: the maximum must not exceed
                    // the observed flow by more than the tolerance either
                    let ok = r.max_bcm >= observed && r.max_bcm <= observed * (1.0 + tol) + 1e-9;
                    (Some(r.max_bcm), ok, format!("observed <= model <= observed + {:.0}%", tol * 100.0))
                }
            }
            "n1" => {
                let code = net.country_code(&query)?;
                let n1 = sec.iter().find(|r| r.code == code).and_then(|r| r.n1.as_ref()).map(|n| n.percent);
                let ok = n1.is_some_and(|v| (v - observed).abs() <= tol);
                (n1, ok, format!("|model - published| <= {tol} points"))
            }
            "n1_below" => {
                // a published statement that the country fails the standard (N-1 below `observed`)
                let code = net.country_code(&query)?;
                let n1 = sec.iter().find(|r| r.code == code).and_then(|r| r.n1.as_ref()).map(|n| n.percent);
                (n1, n1.is_some_and(|v| v < observed), format!("model N-1 < {observed}% (published: fails)"))
            }
            k => return Err(GasError::Format(format!("validation {id}: unknown kind '{k}'"))),
        };
        out.push(ValidationRow {
            id,
            kind,
            query,
            observed,
            year: field(4),
            model,
            within,
            rule,
            source: field(6),
            explanation: field(7),
        });
    }
    Ok(out)
}
