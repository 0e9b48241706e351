//! Validation against published figures (`data/validation/published.csv`): corridor computes the
//! same measure for the same origin, destination and corridor, and each result is checked against
//! the published range widened by a stated tolerance. Gaps beyond the tolerance must be explained
//! in `data/validation/explanations.csv`; the test suite enforces both directions (every gap is
//! explained, every explanation still refers to a gap).

use serde::{Deserialize, Serialize};

use crate::compare::{Catalogue, Corridor};
use crate::geo::KM_PER_NM;
use crate::model::cost::Objective;
use crate::planner::{Constraints, Planner, Query};
use crate::route::Route;
use crate::{Error, Result};

/// The shipped published figures and explanations.
pub const PUBLISHED_CSV: &str = include_str!("../../../data/validation/published.csv");
pub const EXPLANATIONS_CSV: &str = include_str!("../../../data/validation/explanations.csv");

/// Relative tolerance per measure: the published [low, high] is widened to
/// [low x (1 - tol), high x (1 + tol)]. Sea distances (nm, port to port on the maritime network)
/// are held to 3%.
pub fn tolerance(measure: &str) -> f64 {
    match measure {
        "distance_nm" => 0.03,
        "distance_km" => 0.10,
        "days" | "transit_days" | "port_to_port_days" | "sailing_days" => 0.25,
        _ => 0.30,
    }
}

/// A published figure.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Published {
    pub id: String,
    pub from: String,
    pub to: String,
    pub corridor: String,
    pub measure: String,
    pub low: f64,
    pub high: f64,
    pub unit: String,
    pub year: String,
    pub source: String,
    pub note: String,
    /// The market state the figure belongs to (empty: it does not depend on the market, checked
    /// on the default market).
    #[serde(default)]
    pub market: String,
    /// Places the source names on the route, `;`-separated (a pilot run through Manzhouli, a
    /// trial caravan over the Pamir): the model is asked for the same route. Empty: its own.
    #[serde(default)]
    pub via: String,
    /// How the source states the figure: empty for a value or a range; `at_least` for a lower
    /// bound ("more than 7,000 km", "over 5 thousand km"), `at_most` for an upper bound: the
    /// model is checked on the one side the source states.
    #[serde(default)]
    pub bound: String,
    /// What kind of evidence the figure is ([`EVIDENCE`]), classed from its own source and note
    /// without looking at the model (docs/research/validation_evidence.md).
    #[serde(default)]
    pub evidence: String,
}

/// The kinds of evidence a published figure can be (column `evidence`), from the firmest to the
/// least comparable with an ordinary shipment:
/// * `observed`: a measured time, distance or cost of ordinary operations (a monitoring series,
///   an average, a regular run as it happened);
/// * `schedule`: a carrier's or operator's timetable, transit promise or service guidance;
/// * `market`: a freight index, a market rate, a quote or a tariff;
/// * `length`: a published length of a line, road or sea route;
/// * `first_run`: a first, pilot, trial or showcase run, even as observed;
/// * `estimate`: a study's estimate, a value derived by the collector, a market overview's range;
/// * `claim`: a target, a time expected before the run, a promoter's claim.
pub const EVIDENCE: [&str; 7] = ["observed", "schedule", "market", "length", "first_run", "estimate", "claim"];

fn evidence_of(p: &Published) -> Result<&str> {
    let e = p.evidence.trim();
    if EVIDENCE.contains(&e) {
        Ok(e)
    } else {
        Err(Error::BadQuery(format!("validation {}: evidence must be one of {}, not {e:?}", p.id, EVIDENCE.join(", "))))
    }
}

/// The side(s) of the published range a check holds the model to (column `bound`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Range,
    AtLeast,
    AtMost,
}

fn bound_of(p: &Published) -> Result<Bound> {
    match p.bound.trim() {
        "" => Ok(Bound::Range),
        "at_least" => Ok(Bound::AtLeast),
        "at_most" => Ok(Bound::AtMost),
        other => Err(Error::BadQuery(format!(
            "validation {}: bound must be empty, at_least or at_most, not {other:?}",
            p.id
        ))),
    }
}

/// Whether `model` lies within the published figure widened by `tol`, and the ratio of the
/// model to the nearest published bound it passes (1.0 inside).
fn judge(p: &Published, bound: Bound, model: f64, tol: f64) -> (bool, f64) {
    let (check_low, check_high) = match bound {
        Bound::Range => (true, true),
        Bound::AtLeast => (true, false),
        Bound::AtMost => (false, true),
    };
    let (lo, hi) = (p.low * (1.0 - tol), p.high * (1.0 + tol));
    let within = (!check_low || model >= lo) && (!check_high || model <= hi);
    let ratio = if check_low && model < p.low {
        model / p.low
    } else if check_high && model > p.high {
        model / p.high
    } else {
        1.0
    };
    (within, ratio)
}

/// The outcome of one comparison.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Check {
    pub id: String,
    pub from: String,
    pub to: String,
    pub corridor: String,
    pub measure: String,
    /// The market state the model ran with.
    pub market: String,
    pub published_low: f64,
    pub published_high: f64,
    /// As [`Published::bound`]: empty, `at_least` or `at_most`.
    pub bound: String,
    /// As [`Published::evidence`]: one of [`EVIDENCE`].
    pub evidence: String,
    pub model: Option<f64>,
    pub tolerance: f64,
    /// Model / nearest published bound; 1.0 inside the range.
    pub ratio: Option<f64>,
    pub within: bool,
    pub source: String,
    pub explanation: Option<String>,
}

/// Reads a CSV table with a header row into records (the csv crate: quoted fields, `""` escapes).
fn parse_csv<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::Headers).from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|r| {
            r.map_err(|e| {
                let line = e.position().map(|p| format!(" (line {})", p.line())).unwrap_or_default();
                Error::BadQuery(format!("validation data{line}: {e}"))
            })
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct Explanation {
    id: String,
    explanation: String,
}

pub fn published() -> Result<Vec<Published>> {
    parse_csv(PUBLISHED_CSV)
}

/// Explanations by figure id.
pub fn explanations() -> Result<Vec<(String, String)>> {
    Ok(parse_csv::<Explanation>(EXPLANATIONS_CSV)?.into_iter().map(|e| (e.id, e.explanation)).collect())
}

/// The places a figure's source names on its route (column `via`).
fn named_via(p: &Published) -> Vec<String> {
    p.via.split(';').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

/// The corridor's route for a published figure: the corridor's constraints; its via places are
/// dropped for a section of the corridor, i.e. when an endpoint lies in a via's country or
/// neither endpoint lies in the countries the corridor serves (`applies`).
fn model_route(planner: &Planner, c: Option<&Corridor>, p: &Published) -> Result<Route> {
    let Some(c) = c else {
        // `any`: the model's free choice; `mode:road` (or another mode list): the best route in
        // those modes, for figures of one mode that no corridor of the catalogue describes
        let mut q = Query::new(&p.from, &p.to);
        q.via = named_via(p);
        if let Some(modes) = p.corridor.strip_prefix("mode:") {
            q.constraints.modes = modes.split('+').filter_map(crate::network::Mode::parse).collect();
        }
        return planner.route(&q);
    };
    let places = &planner.net().meta.places;
    let ends: Vec<Option<String>> = [&p.from, &p.to]
        .iter()
        .map(|q| planner.gazetteer().resolve(places, q).map(|r| r.country))
        .collect::<Result<_>>()?;
    let via_countries: Vec<Option<String>> =
        c.via.iter().map(|v| planner.gazetteer().resolve(places, v).map(|r| r.country)).collect::<Result<_>>()?;
    let served = c.applies.is_empty() || ends.iter().flatten().any(|e| c.applies.contains(e));
    let section = !served || ends.iter().any(|e| e.is_some() && via_countries.contains(e));
    let modes = c.modes.iter().filter_map(|m| crate::network::Mode::parse(m)).collect();
    let constraints = Constraints {
        avoid: c.avoid_for(&[ends[0].as_deref(), ends[1].as_deref()]),
        avoid_passages: c.avoid_passages.clone(),
        modes,
        allow_planned: c.planned,
        ..Default::default()
    };
    let q = Query {
        from: p.from.clone(),
        to: p.to.clone(),
        via: if !p.via.trim().is_empty() {
            named_via(p)
        } else if section {
            vec![]
        } else {
            c.via_for(ends[0].as_deref(), ends[1].as_deref())
        },
        constraints,
        objective: Objective::Cost,
    };
    if c.sea_main {
        planner.route_sea_main_through(&q, &c.require_passages)
    } else {
        planner.route(&q)
    }
}

/// The model's value of a measure. Besides the route's totals:
/// * `transit_days`: from the departure of the first sailing to the arrival of the last, as
///   carriers' schedules count a transit (`departure_to_arrival_hours`);
/// * `port_to_port_days`: the same with the ship's calls at the ports of loading and discharge,
///   as a cut-off-to-availability promise or a "one way" port-to-port time counts them;
/// * `sailing_days`: the time at sea of the sea and ferry legs (moving time plus canal transits,
///   without port calls, handling and waits), as a crossing's duration is quoted;
/// * `freight_usd_per_feu`: charges without terminal handling (port calls' lifts and dues, land
///   transfers), as freight indices (Drewry WCI, Freightos FBX, SCFI) quote them;
/// * `kg_co2e_per_teu_ttw`: tank-to-wheel emissions, as carriers and ports publish a voyage's.
pub fn measure_of(r: &Route, measure: &str) -> Option<f64> {
    use crate::model::cost::DwellKind;
    let dwell_sum = |kinds: &[DwellKind], f: &dyn Fn(&crate::route::DwellAt) -> f64| -> f64 {
        r.dwell.iter().filter(|d| kinds.contains(&d.kind)).map(f).sum()
    };
    Some(match measure {
        "distance_km" => r.distance_km,
        "distance_nm" => r.distance_km / KM_PER_NM,
        "days" => r.totals.days,
        "transit_days" => departure_to_arrival_hours(r, false) / 24.0,
        "port_to_port_days" => departure_to_arrival_hours(r, true) / 24.0,
        "sailing_days" => {
            let water = |leg: usize| r.legs.get(leg).is_some_and(|l| l.service.is_some());
            let leg_hours: f64 = r.legs.iter().filter(|l| l.service.is_some()).map(|l| l.totals.hours).sum();
            let dwell: f64 =
                r.dwell.iter().filter(|d| water(d.leg) && d.kind != DwellKind::Canal).map(|d| d.hours).sum();
            (leg_hours - dwell) / 24.0
        }
        "usd_per_feu" => r.totals.usd_per_feu,
        "freight_usd_per_feu" => {
            r.measures.usd_per_feu
                - dwell_sum(&[DwellKind::PortCall, DwellKind::PortHandling, DwellKind::TerminalLift], &|d| {
                    d.usd_per_feu
                })
        }
        "kg_co2e_per_teu" => r.totals.kg_co2e_per_teu,
        "kg_co2e_per_teu_ttw" => r.totals.kg_co2e_per_teu_ttw,
        _ => return None,
    })
}

/// Hours from the departure of a route's first sailing to the arrival of its last, as carriers'
/// schedules count a transit (ETD to ETA): without the legs before and after the water, the
/// handling and the ship's call at the port of loading (before it sails) and at the port of
/// discharge (after it arrives), and the waits for a sailing. Calls, transshipments and canal
/// transits between the two stay. A route without a water leg keeps all but its waits.
/// `with_end_calls` keeps the two end calls (the box's time in the ports of loading and discharge).
fn departure_to_arrival_hours(r: &Route, with_end_calls: bool) -> f64 {
    use crate::model::cost::DwellKind;
    let waits: f64 = r
        .dwell
        .iter()
        .filter(|d| matches!(d.kind, DwellKind::SailingWait | DwellKind::FerryWait))
        .map(|d| d.hours)
        .sum();
    let water: Vec<usize> = (0..r.legs.len()).filter(|&i| r.legs[i].service.is_some()).collect();
    let (Some(&first), Some(&last)) = (water.first(), water.last()) else {
        return r.measures.hours - waits;
    };
    let outside: f64 =
        r.legs.iter().enumerate().filter(|(i, _)| *i < first || *i > last).map(|(_, l)| l.measures.hours).sum();
    let at_port = |d: &crate::route::DwellAt| match d.kind {
        DwellKind::PortCall => !with_end_calls,
        DwellKind::PortHandling | DwellKind::TerminalLift => true,
        _ => false,
    };
    let loading = r.dwell.iter().position(|d| d.leg == first && d.kind == DwellKind::PortCall);
    let discharge = r.dwell.iter().rposition(|d| d.leg == last && d.kind == DwellKind::PortCall);
    let before: f64 = r
        .dwell
        .iter()
        .enumerate()
        .filter(|(i, d)| d.leg == first && loading.is_some_and(|k| *i <= k) && at_port(d))
        .map(|(_, d)| d.hours)
        .sum();
    let after: f64 = r
        .dwell
        .iter()
        .enumerate()
        .filter(|(i, d)| d.leg == last && discharge.is_some_and(|k| *i >= k) && at_port(d))
        .map(|(_, d)| d.hours)
        .sum();
    r.measures.hours - outside - before - after - waits
}

/// Runs every published figure through the model: figures of a market state with that market's
/// parameters (a planner per market, sharing `planner`'s network and prepared engine), the others
/// with `planner`'s.
pub fn run(planner: &Planner, catalogue: &Catalogue) -> Result<Vec<Check>> {
    run_with_overrides(planner, catalogue, None)
}

/// [`run`] with a user override file (`key = value`, as `--params`) applied on top of every
/// market's parameters, so a calibration experiment is one command. `planner` must already
/// carry the overrides.
pub fn run_with_overrides(
    planner: &Planner,
    catalogue: &Catalogue,
    overrides: Option<(&str, &str)>,
) -> Result<Vec<Check>> {
    let expl = explanations()?;
    let mut out = Vec::new();
    let mut markets: Vec<(String, Planner)> = Vec::new();
    for p in published()? {
        if !p.market.is_empty()
            && p.market != planner.params().market.name
            && !markets.iter().any(|(m, _)| *m == p.market)
        {
            let mut params = crate::model::params::Params::for_market(&p.market)
                .map_err(|e| Error::BadQuery(format!("validation {}: {e}", p.id)))?;
            if let Some((text, origin)) = overrides {
                params.apply_overrides(text, origin)?;
            }
            let mut mp = Planner::with_params(planner.network().clone(), params);
            mp.share_engine_of(planner);
            markets.push((p.market.clone(), mp));
        }
        let planner = match markets.iter().find(|(m, _)| *m == p.market) {
            Some((_, mp)) => mp,
            None => planner,
        };
        let corridor = if p.corridor == "any" || p.corridor.starts_with("mode:") {
            None
        } else {
            Some(
                catalogue
                    .get(&p.corridor)
                    .ok_or_else(|| Error::BadQuery(format!("validation {}: unknown corridor {}", p.id, p.corridor)))?,
            )
        };
        let model = match model_route(planner, corridor, &p) {
            Ok(r) => measure_of(&r, &p.measure),
            Err(Error::NoRoute { .. }) => None,
            Err(e) => return Err(Error::BadQuery(format!("validation {}: {e}", p.id))),
        };
        let tol = tolerance(&p.measure);
        let bound = bound_of(&p)?;
        let evidence = evidence_of(&p)?.to_string();
        let judged = model.map(|m| judge(&p, bound, m, tol));
        let within = judged.is_some_and(|(w, _)| w);
        let ratio = judged.map(|(_, r)| r);
        out.push(Check {
            id: p.id.clone(),
            from: p.from.clone(),
            to: p.to.clone(),
            corridor: p.corridor.clone(),
            measure: p.measure.clone(),
            market: planner.params().market.name.clone(),
            published_low: p.low,
            published_high: p.high,
            bound: p.bound.trim().to_string(),
            evidence,
            model: model.map(|m| (m * 100.0).round() / 100.0),
            tolerance: tol,
            ratio: ratio.map(|r| (r * 1000.0).round() / 1000.0),
            within,
            source: p.source.clone(),
            explanation: expl.iter().find(|(id, _)| *id == p.id).map(|(_, e)| e.clone()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(low: f64, high: f64, bound: &str) -> Published {
        Published {
            id: "t".into(),
            from: "A".into(),
            to: "B".into(),
            corridor: "any".into(),
            measure: "distance_km".into(),
            low,
            high,
            unit: "km".into(),
            year: "2024".into(),
            source: "s".into(),
            note: String::new(),
            market: String::new(),
            via: String::new(),
            bound: bound.into(),
            evidence: "observed".into(),
        }
    }

    #[test]
    fn a_range_is_checked_on_both_sides_a_bound_on_its_own_side() {
        let tol = 0.10;
        let range = figure(7000.0, 7000.0, "");
        assert_eq!(judge(&range, bound_of(&range).unwrap(), 7600.0, tol), (true, 7600.0 / 7000.0));
        assert!(!judge(&range, Bound::Range, 9224.0, tol).0);
        assert!(!judge(&range, Bound::Range, 6000.0, tol).0);

        // "more than 7,000 km": any longer route agrees with the source, a much shorter one does not
        let at_least = figure(7000.0, 7000.0, "at_least");
        assert_eq!(bound_of(&at_least).unwrap(), Bound::AtLeast);
        assert_eq!(judge(&at_least, Bound::AtLeast, 9224.0, tol), (true, 1.0));
        assert!(judge(&at_least, Bound::AtLeast, 6400.0, tol).0, "inside the tolerance below the bound");
        assert!(!judge(&at_least, Bound::AtLeast, 6000.0, tol).0);

        let at_most = figure(12.0, 12.0, "at_most");
        assert_eq!(judge(&at_most, bound_of(&at_most).unwrap(), 3.0, tol), (true, 1.0));
        assert!(!judge(&at_most, Bound::AtMost, 14.0, tol).0);
    }

    #[test]
    fn an_unknown_bound_is_a_data_error() {
        assert!(matches!(bound_of(&figure(1.0, 1.0, "about")), Err(Error::BadQuery(_))));
    }

    #[test]
    fn an_unknown_or_missing_evidence_class_is_a_data_error() {
        let mut f = figure(1.0, 1.0, "");
        assert_eq!(evidence_of(&f).unwrap(), "observed");
        f.evidence = "anecdote".into();
        assert!(matches!(evidence_of(&f), Err(Error::BadQuery(_))));
        f.evidence = String::new();
        assert!(matches!(evidence_of(&f), Err(Error::BadQuery(_))));
    }

    #[test]
    fn the_shipped_figures_name_only_known_bounds_and_evidence() {
        for p in published().unwrap() {
            evidence_of(&p).unwrap();
            bound_of(&p).unwrap();
            if !p.bound.is_empty() {
                assert_eq!(p.low, p.high, "{}: a bound is one published value", p.id);
            }
        }
    }
}
