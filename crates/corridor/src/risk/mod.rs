//! Threats to routes: an incident-driven risk layer (issue 13). Method, figures and sources:
//! `docs/risk.md`.
//!
//! * [`incident`]: the [`Incident`] record (date, position, kind, vessel, source, place), civil
//!   [`Date`]s and the severity weight of each kind of incident.
//! * [`load`]: loaders for the formats users bring (the project table, NGA ASAM CSV and JSON,
//!   chokepointR, ACLED, UCDP GED, GDELT events), with typed errors naming a missing column.
//! * [`field`]: the risk field on every edge: a Gaussian distance kernel times a half-life decay,
//!   summed over incidents as of a date, built on a spatial grid.
//! * [`areas`]: high-risk waters (`data/risk/areas.toml`), which are listed as of the date, the
//!   war-risk premium per FEU of a transit, and the per-edge charges that carry it into the cost
//!   model.
//! * [`report`]: what a route or an area is exposed to: incidents near it in the window, days in
//!   high-risk waters, premiums paid, the nearest incidents with their sources.
//!
//! [`RiskLayer`] ties them together for one query: `build` computes the field and the areas'
//! states, `planner` gives a [`Planner`] whose cost objective includes the premiums and whose
//! network has the edges above `--max-risk` closed (a copy with the same topology, so the
//! prepared engine stays exact). Nothing changes unless a caller builds a layer: routes without
//! risk options are those of the parameters alone.

pub mod areas;
pub mod field;
pub mod incident;
pub mod load;
pub mod report;

use std::sync::Arc;

pub use areas::{Area, AreaState};
pub use field::{Field, RiskParams};
pub use incident::{Date, Domain, Incident};

use crate::model::cost::EdgeCharges;
use crate::model::params::Params;
use crate::network::{EdgeId, Network};
use crate::planner::Planner;
use crate::{Error, Result};

/// The risk layer of one query: field, areas, premiums and closures as of a date.
#[derive(Debug, Clone)]
pub struct RiskLayer {
    pub params: RiskParams,
    pub as_of: Date,
    pub incidents: Arc<Vec<Incident>>,
    pub field: Field,
    pub areas: Vec<AreaState>,
    pub charges: Arc<EdgeCharges>,
    /// Edges whose field exceeds this are closed.
    pub max_risk: Option<f64>,
    /// The edges `max_risk` closes.
    pub closed: Vec<EdgeId>,
    /// Milliseconds spent building the field.
    pub field_ms: f64,
}

/// Parses an as-of date (`YYYY-MM-DD`).
pub fn parse_as_of(s: &str) -> Result<Date> {
    let d = s.trim();
    if d.len() != 10 {
        return Err(Error::BadQuery(format!("as-of date '{s}': expected a date as YYYY-MM-DD")));
    }
    Date::parse(d).ok_or_else(|| Error::BadQuery(format!("as-of date '{s}': expected a date as YYYY-MM-DD")))
}

impl RiskLayer {
    /// Builds the layer: `as_of` defaults to the newest incident; `max_risk` (a field value,
    /// zero or more) closes the edges above it.
    pub fn build(
        net: &Network,
        params: &Params,
        incidents: Vec<Incident>,
        as_of: Option<Date>,
        max_risk: Option<f64>,
    ) -> Result<RiskLayer> {
        if let Some(m) = max_risk {
            if !(m.is_finite() && m >= 0.0) {
                return Err(Error::BadQuery(format!(
                    "maximum risk {m}: expected a field value, zero or more (the listing threshold is {})",
                    params.get("risk.listing_threshold")
                )));
            }
        }
        let as_of = match as_of.or_else(|| Field::newest(&incidents)) {
            Some(d) => d,
            None => return Err(Error::BadQuery("no incidents to build the risk field from".into())),
        };
        let rp = RiskParams::from_params(params);
        let t = std::time::Instant::now();
        let field = Field::build(net, &incidents, &rp, as_of);
        let field_ms = t.elapsed().as_secs_f64() * 1e3;
        let (areas, charges) = areas::assess(net, &field, &rp, &Area::shipped());
        let closed = match max_risk {
            Some(m) => (0..net.edge_count() as u32).filter(|&e| field.edge[e as usize] as f64 > m).collect(),
            None => Vec::new(),
        };
        Ok(RiskLayer {
            params: rp,
            as_of,
            incidents: Arc::new(incidents),
            field,
            areas,
            charges: Arc::new(charges),
            max_risk,
            closed,
            field_ms,
        })
    }

    /// A planner like `base` (same indexes and prepared engine) whose cost model carries the
    /// premiums and whose network has the edges above `max_risk` closed.
    pub fn planner(&self, base: &Planner) -> Planner {
        let net = if self.closed.is_empty() {
            base.network().clone()
        } else {
            Arc::new(base.net().with_edge_changes(&self.closed, &[]))
        };
        base.rebind(net).expect("a copy of the planner's own network").with_charges(self.charges.clone())
    }

    /// The incidents loaded with the layer's default data: the project table.
    pub fn shipped_incidents() -> Vec<Incident> {
        load::project()
    }
}
