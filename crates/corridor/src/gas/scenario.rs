//! Gas scenarios: the `[gas]` section of a TOML file (schema in `docs/gas.md`, examples in
//! `examples/scenarios/gas-*.toml`): capacity, reverse-flow and status changes of named pipelines
//! and terminals (which also switches on GGIT's proposed projects, e.g. the Trans-Caspian or
//! EastMed, with their GGIT routes), new pipelines with a route, supplier cuts and avoided
//! countries, and the flow questions to report. [`evaluate`] answers each question and the
//! per-country security before and after.

use serde::{Deserialize, Serialize};

use super::analysis::{self, Options, SecurityRow};
use super::{GasError, GasNetwork, Pipeline, Result};

#[derive(Debug, Clone, Deserialize)]
pub struct File {
    pub gas: Scenario,
}

/// A change to an existing pipeline or terminal (every pipeline the name designates).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub name: String,
    pub capacity_bcm: Option<f64>,
    pub reverse_bcm: Option<f64>,
    pub status: Option<String>,
}

/// A pipeline that is not in the data.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewPipeline {
    pub name: String,
    /// Countries crossed in flow order.
    pub route: Vec<String>,
    pub capacity_bcm: f64,
    #[serde(default)]
    pub reverse_bcm: f64,
}

/// A change of a supplier's availability (`data/gas/supply.csv`): a new figure (`bcm`) or an
/// increment (`add_bcm`, e.g. a field's new phase), with the source the scenario relies on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyChange {
    pub supplier: String,
    pub bcm: Option<f64>,
    pub add_bcm: Option<f64>,
    #[serde(default)]
    pub source: String,
}

/// A flow question reported before and after.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub from: String,
    pub to: String,
    /// Countries this question avoids, before and after (e.g. RU, IR: no swaps through them).
    #[serde(default)]
    pub avoid: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub pipeline: Vec<Change>,
    #[serde(default)]
    pub terminal: Vec<Change>,
    #[serde(default)]
    pub new_pipeline: Vec<NewPipeline>,
    /// Supplier availability changes (after only).
    #[serde(default)]
    pub supply: Vec<SupplyChange>,
    /// Suppliers whose gas stops (after only).
    #[serde(default)]
    pub cut_suppliers: Vec<String>,
    /// Countries closed to gas (after only).
    #[serde(default)]
    pub avoid: Vec<String>,
    #[serde(default)]
    pub flow: Vec<Question>,
}

impl Scenario {
    pub fn parse(text: &str, what: &str) -> Result<Scenario> {
        let f: File = toml::from_str(text).map_err(|e| GasError::Format(format!("{what}: {e}")))?;
        Ok(f.gas)
    }

    /// A copy of the network with the changes applied.
    pub fn apply(&self, net: &GasNetwork) -> Result<GasNetwork> {
        let mut out = net.clone();
        for ch in &self.pipeline {
            let infra = net.find_infrastructure(&ch.name)?;
            if infra.pipelines.is_empty() {
                return Err(GasError::BadQuery(format!("'{}' is a terminal: list it under [[gas.terminal]]", ch.name)));
            }
            for i in infra.pipelines {
                let p = &mut out.pipelines[i];
                if let Some(c) = ch.capacity_bcm {
                    p.capacity = c;
                }
                if let Some(r) = ch.reverse_bcm {
                    p.reverse = r;
                }
                if let Some(s) = &ch.status {
                    p.status = s.clone();
                }
                p.notes.push(format!("scenario '{}'", self.name));
            }
        }
        for ch in &self.terminal {
            let infra = net.find_infrastructure(&ch.name)?;
            if infra.terminals.is_empty() {
                return Err(GasError::BadQuery(format!("'{}' is a pipeline: list it under [[gas.pipeline]]", ch.name)));
            }
            for i in infra.terminals {
                let t = &mut out.terminals[i];
                if let Some(c) = ch.capacity_bcm {
                    t.capacity = c;
                }
                if let Some(s) = &ch.status {
                    t.status = s.clone();
                }
            }
        }
        for ch in &self.supply {
            let code = net.parse_suppliers(&ch.supplier)?.remove(0);
            let now = net.supply_cap(&code).map(|c| c.bcm);
            let value = match (ch.bcm, ch.add_bcm, now) {
                (Some(v), None, _) => v,
                (None, Some(d), Some(n)) => n + d,
                (None, Some(_), None) => {
                    return Err(GasError::BadQuery(format!(
                        "supply {code}: add_bcm needs a sourced availability to add to (give bcm instead)"
                    )))
                }
                _ => return Err(GasError::BadQuery(format!("supply {code}: give exactly one of bcm or add_bcm"))),
            };
            if !(value > 0.0 && value.is_finite()) {
                return Err(GasError::BadQuery(format!("supply {code}: the availability must be positive")));
            }
            let source = format!("scenario '{}': {}", self.name, ch.source);
            match out.supply.iter_mut().find(|c| c.supplier == code) {
                Some(c) => {
                    c.bcm = value;
                    c.basis = format!("{} (scenario)", c.basis);
                    c.source = format!("{source}; before: {}", c.source);
                }
                None => out.supply.push(super::SupplyCap {
                    supplier: code,
                    bcm: value,
                    year: String::new(),
                    basis: "scenario".into(),
                    source,
                }),
            }
        }
        for np in &self.new_pipeline {
            if np.route.len() < 2 || np.capacity_bcm < 0.0 || np.reverse_bcm < 0.0 {
                return Err(GasError::BadQuery(format!(
                    "new pipeline '{}': give a route of two or more countries and non-negative capacities",
                    np.name
                )));
            }
            let route = np.route.iter().map(|c| net.country_code(c)).collect::<Result<Vec<_>>>()?;
            out.pipelines.push(Pipeline {
                name: np.name.clone(),
                ggit_name: np.name.clone(),
                ids: vec![],
                status: "operating".into(),
                capacity: np.capacity_bcm,
                reverse: np.reverse_bcm,
                route,
                route_from: "scenario".into(),
                notes: vec![format!("scenario '{}'", self.name)],
            });
        }
        Ok(out)
    }
}

/// One flow question before and after.
#[derive(Debug, Clone, Serialize)]
pub struct FlowChange {
    pub from: String,
    pub to: String,
    pub before: analysis::FlowResult,
    pub after: analysis::FlowResult,
}

/// A country whose security figures change.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityChange {
    pub before: SecurityRow,
    pub after: SecurityRow,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub name: String,
    pub description: String,
    pub flows: Vec<FlowChange>,
    pub security: Vec<SecurityChange>,
}

/// Answers the scenario's questions and the security table before and after. `opts` are the
/// command line's exclusions (both sides); the scenario's cuts and avoided countries are added
/// after.
pub fn evaluate(net: &GasNetwork, sc: &Scenario, opts: &Options) -> Result<Report> {
    let after_net = sc.apply(net)?;
    let mut after_opts = opts.clone();
    for s in net.parse_suppliers(&sc.cut_suppliers.join(",")).or_else(|e| {
        if sc.cut_suppliers.is_empty() {
            Ok(vec![])
        } else {
            Err(e)
        }
    })? {
        if !after_opts.without_suppliers.contains(&s) {
            after_opts.without_suppliers.push(s);
        }
    }
    for c in &sc.avoid {
        after_opts.avoid.push(net.country_code(c)?);
    }
    let mut flows = Vec::new();
    for q in &sc.flow {
        let from = net.parse_suppliers(&q.from)?;
        let to = net.parse_countries(&q.to)?;
        let mut q_opts = opts.clone();
        let mut q_after = after_opts.clone();
        for c in &q.avoid {
            let code = net.country_code(c)?;
            q_opts.avoid.push(code.clone());
            q_after.avoid.push(code);
        }
        let before = analysis::max_flow(net, &from, &to, &q_opts)?;
        let from_after: Vec<String> =
            from.iter().filter(|s| !after_opts.without_suppliers.contains(s)).cloned().collect();
        let to_after: Vec<String> = to.iter().filter(|c| !after_opts.avoid.contains(c)).cloned().collect();
        let after = if from_after.is_empty() || to_after.is_empty() {
            analysis::FlowResult {
                from: from_after,
                to: to_after,
                max_bcm: 0.0,
                cut: vec![],
                paths: vec![],
                delivered: vec![],
                supply_caps: !q_after.no_supply_cap,
                supply: vec![],
                reserve: !q_after.no_reserve,
                reserved: vec![],
            }
        } else {
            analysis::max_flow(&after_net, &from_after, &to_after, &q_after)?
        };
        flows.push(FlowChange { from: q.from.clone(), to: q.to.clone(), before, after });
    }
    let before = analysis::security(net, opts)?;
    let after = analysis::security(&after_net, &after_opts)?;
    let mut security = Vec::new();
    for b in before {
        if let Some(a) = after.iter().find(|a| a.code == b.code) {
            let differs = a.deliverable != b.deliverable
                || a.covered_pct != b.covered_pct
                || a.n1.as_ref().map(|n| n.percent) != b.n1.as_ref().map(|n| n.percent);
            if differs {
                security.push(SecurityChange { before: b, after: a.clone() });
            }
        }
    }
    Ok(Report { name: sc.name.clone(), description: sc.description.clone(), flows, security })
}
