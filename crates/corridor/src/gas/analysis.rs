//! The questions, as flow problems on the country graph.
//!
//! The graph (rebuilt per question: a few hundred arcs, microseconds): one node per country, one
//! arc per pipeline and border crossed (in the flow direction, plus one against it where the
//! pipeline has reverse capacity), a node for the world LNG market with one arc per import
//! terminal, a super-source and a super-sink. Only operating pipelines and terminals carry gas.
//! Capacities are integer mcm/year for [`FlowGraph`]; results are reported in bcm/year.
//!
//! * [`max_flow`]: suppliers -> countries. Each supplier sends at most its availability
//!   (`data/gas/supply.csv`: a year's exports or production, sourced; uncapped without a row),
//!   and its committed offtakes in countries outside the question (`data/gas/commitments.csv`:
//!   Turkey's and Georgia's contracts for Azerbaijani gas...) are served first: a lexicographic
//!   maximum flow. Phase 1 sends each commitment, in file order, from its supplier's own source
//!   node to a sink of its own (one arc in, so later phases can neither grow nor shrink it);
//!   phase 2 is Dinic's maximum flow from the super-source to the destinations in the residual
//!   graph, which is the largest flow to the destinations among those that serve the
//!   commitments as phase 1 did. `no_reserve` and `no_supply_cap` give the pure physical
//!   question (how much the pipes and terminals can carry). The minimum cut names the
//!   bottleneck (each cut arc with the committed flow it carries); a flow decomposition gives the
//!   paths with their flows, the committed ones apart. Commitments of several suppliers share one
//!   flow (not a multi-commodity model); the data has commitments of one supplier (AZ).
//! * [`security`]: per country, what the network can deliver to it alone from every supplier but
//!   the excluded ones (plus domestic production at its curated annual level), the share of its
//!   annual demand that covers, the single pipeline or terminal whose loss lowers that most, and
//!   the N-1 formula of Regulation (EU) 2017/1938 Annex II. An excluded supplier's territory
//!   carries no gas either (no transit through Russia when Russian gas is excluded).
//!
//! Country-level caveat: gas entering a country can leave by any of its exits (a single node per
//! country, as ENTSOG's zone model), so national grid limits are not modelled.

use std::collections::HashMap;

use serde::Serialize;

use super::{GasError, GasNetwork, Result, LNG};
use crate::flow::{FlowGraph, INF};

/// Graph units per bcm (integer mcm).
const UNIT: f64 = 1000.0;

/// Exclusions shared by every question.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Countries no gas may flow through (nor come from).
    pub avoid: Vec<String>,
    /// Pipelines and terminals removed (names as `find_infrastructure` accepts).
    pub without: Vec<String>,
    /// Suppliers whose gas is excluded (security: default RU).
    pub without_suppliers: Vec<String>,
    /// Flow questions: do not serve the committed offtakes first (`data/gas/commitments.csv`).
    pub no_reserve: bool,
    /// Do not cap suppliers at their availability (`data/gas/supply.csv`): with `no_reserve`,
    /// the pure physical maximum flow.
    pub no_supply_cap: bool,
}

impl Options {
    /// The exclusions as users write them, resolved against the network: countries (codes or
    /// names) to codes, pipeline names trimmed, suppliers checked; blank items and a supplier
    /// list of "none" are dropped. Shared by the CLI, the HTTP API and the Python package.
    pub fn resolve(
        net: &GasNetwork,
        avoid: &[String],
        without: &[String],
        without_supplier: &[String],
    ) -> Result<Options> {
        let avoid = avoid
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(|c| net.country_code(c))
            .collect::<Result<Vec<_>>>()?;
        let without = without.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        let list: Vec<&str> = without_supplier
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("none"))
            .collect();
        let without_suppliers = if list.is_empty() { vec![] } else { net.parse_suppliers(&list.join(","))? };
        Ok(Options { avoid, without, without_suppliers, ..Options::default() })
    }
}

/// What an arc of the graph stands for.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Pipeline(usize),
    Terminal(usize),
    /// Super-source -> a supplier's source node (uncapacitated).
    Source,
    /// A supplier's source node -> the supplier (its availability).
    Supply,
    Production,
    Sink,
    /// Offtaker -> the sink of one committed offtake (index into `net.commitments`).
    Reserve(usize),
}

/// The graph of one question with its arc labels.
struct Model {
    g: FlowGraph,
    s: usize,
    t: usize,
    lng: usize,
    node: HashMap<String, usize>,
    codes: Vec<String>,
    arcs: Vec<(Kind, usize)>, // (kind, arc id)
}

/// Removed pipelines and terminals (indexes) after resolving names.
#[derive(Debug, Clone, Default)]
struct Removed {
    pipelines: Vec<usize>,
    terminals: Vec<usize>,
}

fn resolve(net: &GasNetwork, opts: &Options) -> Result<Removed> {
    let mut r = Removed::default();
    for name in &opts.without {
        let infra = net.find_infrastructure(name)?;
        r.pipelines.extend(infra.pipelines);
        r.terminals.extend(infra.terminals);
    }
    for c in &opts.avoid {
        net.country_code(c)?;
    }
    Ok(r)
}

fn cap(bcm: f64) -> i64 {
    (bcm * UNIT).round() as i64
}

impl Model {
    /// Countries, pipelines and terminals without supply or sinks.
    fn new(net: &GasNetwork, avoid: &[String], removed: &Removed) -> Model {
        let mut g = FlowGraph::new(0);
        let s = g.add_node();
        let t = g.add_node();
        let lng = g.add_node();
        let mut node = HashMap::new();
        let mut codes = vec!["source".into(), "sink".into(), LNG.into()];
        for c in &net.countries {
            node.insert(c.code.clone(), g.add_node());
            codes.push(c.code.clone());
        }
        let ok = |c: &String| !avoid.contains(c);
        let mut arcs = Vec::new();
        // larger pipelines first: Dinic tries arcs in insertion order, so among equal maximum
        // flows the one found fills trunk lines (TANAP) before smaller parallel ones (ITGI)
        let mut order: Vec<usize> = (0..net.pipelines.len()).collect();
        order.sort_by(|&a, &b| net.pipelines[b].capacity.total_cmp(&net.pipelines[a].capacity).then(a.cmp(&b)));
        for i in order {
            let p = &net.pipelines[i];
            if !p.operating() || removed.pipelines.contains(&i) {
                continue;
            }
            for w in p.route.windows(2) {
                if !(ok(&w[0]) && ok(&w[1])) {
                    continue;
                }
                let (a, b) = (node[&w[0]], node[&w[1]]);
                if p.capacity > 0.0 {
                    arcs.push((Kind::Pipeline(i), g.add_arc(a, b, cap(p.capacity), 1)));
                }
                if p.reverse > 0.0 {
                    arcs.push((Kind::Pipeline(i), g.add_arc(b, a, cap(p.reverse), 1)));
                }
            }
        }
        for (i, term) in net.terminals.iter().enumerate() {
            if term.status == "operating" && !removed.terminals.contains(&i) && ok(&term.country) && term.capacity > 0.0
            {
                arcs.push((Kind::Terminal(i), g.add_arc(lng, node[&term.country], cap(term.capacity), 1)));
            }
        }
        Model { g, s, t, lng, node, codes, arcs }
    }

    /// The supplier's source node (labelled with its code), fed by the super-source, with an
    /// arc of capacity `limit` (its availability, or INF) into the supplier; returns the node.
    fn supply(&mut self, supplier: &str, limit: i64) -> usize {
        let to = if supplier == LNG { self.lng } else { self.node[supplier] };
        let src = self.g.add_node();
        self.codes.push(supplier.to_string());
        let id = self.g.add_arc(self.s, src, INF, 0);
        self.arcs.push((Kind::Source, id));
        let id = self.g.add_arc(src, to, limit, 0);
        self.arcs.push((Kind::Supply, id));
        src
    }

    fn production(&mut self, country: &str, bcm: f64) {
        let id = self.g.add_arc(self.s, self.node[country], cap(bcm), 0);
        self.arcs.push((Kind::Production, id));
    }

    fn sink(&mut self, country: &str, limit: i64) {
        let id = self.g.add_arc(self.node[country], self.t, limit, 0);
        self.arcs.push((Kind::Sink, id));
    }

    fn label(&self, net: &GasNetwork, kind: &Kind) -> String {
        match kind {
            Kind::Pipeline(i) => net.pipelines[*i].name.clone(),
            Kind::Terminal(i) => net.terminals[*i].name.clone(),
            Kind::Source => "source".into(),
            Kind::Supply => "supply".into(),
            Kind::Production => "domestic production".into(),
            Kind::Sink => "demand".into(),
            Kind::Reserve(i) => net.commitments[*i].name.clone(),
        }
    }
}

/// The availability cap of a supplier used by a question, bcm/y.
fn supply_limit(net: &GasNetwork, supplier: &str, opts: &Options) -> i64 {
    match net.supply_cap(supplier) {
        Some(c) if !opts.no_supply_cap => cap(c.bcm),
        _ => INF,
    }
}

/// An arc of the minimum cut.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CutArc {
    /// Pipeline or terminal name.
    pub name: String,
    /// "pipeline", "terminal", "supply" (the supplier's availability: `from` = `to` = its
    /// code), "production" or "demand".
    pub kind: String,
    pub from: String,
    pub to: String,
    /// bcm/y.
    pub capacity: f64,
    /// Part of the capacity taken by the committed offtakes served first, bcm/y (0 without).
    pub reserved: f64,
}

/// One leg of a path: a pipeline (or terminal) and the countries it carries the gas through.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Leg {
    pub via: String,
    pub countries: Vec<String>,
}

/// A path of the flow decomposition.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PathFlow {
    /// bcm/y.
    pub flow: f64,
    pub supplier: String,
    pub legs: Vec<Leg>,
}

impl PathFlow {
    /// "SCP (AZ>GE>TR) -> TANAP (TR>GR) -> TAP (GR>AL>IT)".
    pub fn text(&self) -> String {
        self.legs.iter().map(|l| format!("{} ({})", l.via, l.countries.join(">"))).collect::<Vec<_>>().join(" -> ")
    }
}

/// A supplier of a flow question and its availability.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SupplyUse {
    pub supplier: String,
    /// Availability cap, bcm/y (None: uncapped, no sourced figure, or `no_supply_cap`).
    pub cap: Option<f64>,
    pub year: Option<String>,
    pub basis: Option<String>,
    pub source: Option<String>,
    /// Sent in this answer, bcm/y: committed offtakes plus the flow to the destinations.
    pub sent: f64,
}

/// A committed offtake served before the question (`data/gas/commitments.csv`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reserved {
    pub supplier: String,
    pub offtaker: String,
    pub name: String,
    /// Committed, bcm/y.
    pub bcm: f64,
    /// Served, bcm/y (less than `bcm` when the network or the supply cannot carry it all; 0 when
    /// the offtaker is avoided).
    pub served: f64,
    pub year: String,
    pub basis: String,
    pub source: String,
    /// How it is served (one decomposition).
    pub paths: Vec<PathFlow>,
}

/// Result of [`max_flow`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowResult {
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Maximum deliverable, bcm/y, after the committed offtakes.
    pub max_bcm: f64,
    /// The bottleneck: a minimum cut. Its capacities less their `reserved` parts sum to
    /// `max_bcm` (plus any committed flow the answer moved off a cut arc's reverse direction,
    /// rare).
    pub cut: Vec<CutArc>,
    pub paths: Vec<PathFlow>,
    /// Delivered per destination country, bcm/y (one maximum flow; other splits may exist).
    pub delivered: Vec<(String, f64)>,
    /// True when suppliers are capped at their availability (`data/gas/supply.csv`).
    pub supply_caps: bool,
    /// The suppliers with their caps and what they send.
    pub supply: Vec<SupplyUse>,
    /// True when committed offtakes are served first (`data/gas/commitments.csv`).
    pub reserve: bool,
    /// The committed offtakes served first (suppliers of the question, offtakers outside it).
    pub reserved: Vec<Reserved>,
}

/// Maximum deliverable flow from `from` (suppliers) to `to` (countries) under the options,
/// after the committed offtakes (see the module documentation).
pub fn max_flow(net: &GasNetwork, from: &[String], to: &[String], opts: &Options) -> Result<FlowResult> {
    solve(net, from, to, opts).map(|(r, _)| r)
}

/// [`max_flow`] and the committed flow that crossed the cut backwards and was moved (graph
/// units): `max_bcm` = sum over the cut of (capacity - reserved) + that, exactly.
fn solve(net: &GasNetwork, from: &[String], to: &[String], opts: &Options) -> Result<(FlowResult, i64)> {
    let removed = resolve(net, opts)?;
    if let Some(c) = from.iter().find(|c| to.contains(c)) {
        return Err(GasError::BadQuery(format!("{c} is both a supplier and a destination: remove it from --to")));
    }
    if let Some(c) = from.iter().chain(to).find(|c| opts.avoid.contains(c)) {
        return Err(GasError::BadQuery(format!("{c} is avoided but is also a supplier or destination")));
    }
    let mut m = Model::new(net, &opts.avoid, &removed);
    let mut sources: HashMap<String, usize> = HashMap::new();
    for f in from {
        let src = m.supply(f, supply_limit(net, f, opts));
        sources.insert(f.clone(), src);
    }
    // phase 1: the committed offtakes, each from its supplier's source to a sink of its own
    let mut reserved: Vec<(usize, usize, Option<usize>)> = Vec::new(); // (commitment, sink node, arc)
    if !opts.no_reserve {
        for (i, c) in net.commitments.iter().enumerate() {
            if !from.contains(&c.supplier) || to.contains(&c.offtaker) {
                continue;
            }
            if opts.avoid.contains(&c.offtaker) {
                reserved.push((i, usize::MAX, None));
                continue;
            }
            let sink = m.g.add_node();
            m.codes.push(format!("{} ({})", c.offtaker, c.name));
            let id = m.g.add_arc(m.node[&c.offtaker], sink, cap(c.bcm), 0);
            m.arcs.push((Kind::Reserve(i), id));
            m.g.max_flow(sources[&c.supplier], sink);
            reserved.push((i, sink, Some(id)));
        }
    }
    let phase1: HashMap<usize, i64> = m.arcs.iter().map(|&(_, id)| (id, m.g.flow(id))).collect();
    // phase 2: the question in the residual graph
    for c in to {
        m.sink(c, INF);
    }
    let mf = m.g.max_flow(m.s, m.t);
    let label_of: HashMap<usize, Kind> = m.arcs.iter().map(|(k, id)| (*id, k.clone())).collect();
    let mut cut: Vec<CutArc> = mf
        .cut
        .iter()
        .filter(|id| !matches!(label_of[id], Kind::Reserve(_)))
        .map(|&id| {
            let kind = &label_of[&id];
            let (a, b) = m.g.ends(id);
            CutArc {
                name: m.label(net, kind),
                kind: match kind {
                    Kind::Pipeline(_) => "pipeline",
                    Kind::Terminal(_) => "terminal",
                    Kind::Source | Kind::Supply => "supply",
                    Kind::Production => "production",
                    Kind::Sink => "demand",
                    Kind::Reserve(_) => "reserve",
                }
                .into(),
                from: m.codes[a].clone(),
                to: if *kind == Kind::Supply { m.codes[a].clone() } else { m.codes[b].clone() },
                capacity: m.g.capacity(id) as f64 / UNIT,
                reserved: phase1.get(&id).copied().unwrap_or(0) as f64 / UNIT,
            }
        })
        .collect();
    cut.sort_by(|a, b| b.capacity.total_cmp(&a.capacity).then(a.name.cmp(&b.name)));
    // committed flow on arcs from the sink side back to the source side of the cut (moved)
    let seen = m.g.reachable(m.s);
    let back: i64 = m
        .arcs
        .iter()
        .filter(|(_, id)| {
            let (a, b) = m.g.ends(*id);
            !seen[a] && seen[b]
        })
        .map(|(_, id)| phase1.get(id).copied().unwrap_or(0))
        .sum();
    let sinks: Vec<usize> = reserved.iter().map(|r| r.1).filter(|&n| n != usize::MAX).collect();
    let (paths, committed_paths) = decompose(net, &m, &sinks);
    let mut delivered: Vec<(String, f64)> = m
        .arcs
        .iter()
        .filter(|(k, _)| *k == Kind::Sink)
        .map(|&(_, id)| (m.codes[m.g.ends(id).0].clone(), m.g.flow(id) as f64 / UNIT))
        .filter(|(_, f)| *f > 0.0)
        .collect();
    delivered.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let supply = from
        .iter()
        .map(|f| {
            let c = net.supply_cap(f).filter(|_| !opts.no_supply_cap);
            let sent = m
                .arcs
                .iter()
                .filter(|(k, id)| *k == Kind::Supply && m.g.ends(*id).0 == sources[f])
                .map(|(_, id)| m.g.flow(*id))
                .sum::<i64>();
            SupplyUse {
                supplier: f.clone(),
                cap: c.map(|c| c.bcm),
                year: c.map(|c| c.year.clone()),
                basis: c.map(|c| c.basis.clone()),
                source: c.map(|c| c.source.clone()),
                sent: sent as f64 / UNIT,
            }
        })
        .collect();
    let reserved = reserved
        .into_iter()
        .map(|(i, sink, arc)| {
            let c = &net.commitments[i];
            Reserved {
                supplier: c.supplier.clone(),
                offtaker: c.offtaker.clone(),
                name: c.name.clone(),
                bcm: c.bcm,
                served: arc.map(|id| m.g.flow(id)).unwrap_or(0) as f64 / UNIT,
                year: c.year.clone(),
                basis: c.basis.clone(),
                source: c.source.clone(),
                paths: committed_paths.iter().filter(|(n, _)| *n == sink).map(|(_, p)| p.clone()).collect(),
            }
        })
        .collect();
    let r = FlowResult {
        from: from.to_vec(),
        to: to.to_vec(),
        max_bcm: mf.value as f64 / UNIT,
        cut,
        paths,
        delivered,
        supply_caps: !opts.no_supply_cap,
        supply,
        reserve: !opts.no_reserve,
        reserved,
    };
    Ok((r, back))
}

/// Splits the arc flows into source-to-sink paths (cancelling any cycle met on the way), largest
/// first: the paths to the question's sink, and those to each committed offtake's sink (with
/// that sink's node). A supplier's source node sends what its supply arc carries (phase 1 as
/// well as phase 2).
fn decompose(net: &GasNetwork, m: &Model, reserve_sinks: &[usize]) -> (Vec<PathFlow>, Vec<(usize, PathFlow)>) {
    let supply_out: HashMap<usize, i64> =
        m.arcs.iter().filter(|(k, _)| *k == Kind::Supply).map(|(_, id)| (m.g.ends(*id).0, m.g.flow(*id))).collect();
    let mut rest: Vec<(usize, usize, i64, Kind)> = m
        .arcs
        .iter()
        .map(|(k, id)| {
            let (a, b) = m.g.ends(*id);
            let f = if *k == Kind::Source { supply_out.get(&b).copied().unwrap_or(0) } else { m.g.flow(*id) };
            (a, b, f, k.clone())
        })
        .filter(|r| r.2 > 0)
        .collect();
    let is_sink = |n: usize| n == m.t || reserve_sinks.contains(&n);
    let mut paths: Vec<(usize, PathFlow)> = Vec::new();
    loop {
        // walk from the source along arcs with flow left
        let mut path: Vec<usize> = Vec::new(); // indexes into rest
        let mut at = m.s;
        let mut seen = vec![m.s];
        while !is_sink(at) {
            let Some(i) = (0..rest.len()).find(|&i| rest[i].0 == at && rest[i].2 > 0) else { break };
            path.push(i);
            at = rest[i].1;
            if let Some(pos) = seen.iter().position(|&n| n == at) {
                // a cycle: cancel it and walk again
                let cyc = path.split_off(pos);
                let d = cyc.iter().map(|&j| rest[j].2).min().unwrap_or(0);
                for &j in &cyc {
                    rest[j].2 -= d;
                }
                path.clear();
                at = m.s;
                seen = vec![m.s];
                continue;
            }
            seen.push(at);
        }
        if !is_sink(at) || path.is_empty() {
            break;
        }
        let d = path.iter().map(|&j| rest[j].2).min().unwrap_or(0);
        for &j in &path {
            rest[j].2 -= d;
        }
        // the source node after the super-source carries the supplier's code
        let supplier = m.codes[rest[path[0]].1].clone();
        let mut legs: Vec<Leg> = Vec::new();
        for &j in &path {
            let (a, b, _, ref k) = rest[j];
            if matches!(k, Kind::Source | Kind::Supply | Kind::Sink | Kind::Production | Kind::Reserve(_)) {
                continue;
            }
            let via = m.label(net, k);
            match legs.last_mut() {
                Some(l) if l.via == via && l.countries.last() == Some(&m.codes[a]) => {
                    l.countries.push(m.codes[b].clone())
                }
                _ => legs.push(Leg { via, countries: vec![m.codes[a].clone(), m.codes[b].clone()] }),
            }
        }
        paths.push((at, PathFlow { flow: d as f64 / UNIT, supplier, legs }));
    }
    // merge identical paths, largest first
    let mut merged: Vec<(usize, PathFlow)> = Vec::new();
    for (n, p) in paths {
        match merged.iter_mut().find(|(k, q)| *k == n && q.legs == p.legs && q.supplier == p.supplier) {
            Some((_, q)) => q.flow += p.flow,
            None => merged.push((n, p)),
        }
    }
    merged.sort_by(|a, b| b.1.flow.total_cmp(&a.1.flow).then(a.1.text().cmp(&b.1.text())));
    let (main, committed): (Vec<_>, Vec<_>) = merged.into_iter().partition(|(n, _)| *n == m.t);
    (main.into_iter().map(|(_, p)| p).collect(), committed)
}

/// The N-1 formula of Regulation (EU) 2017/1938 Annex II for one country, mcm/d.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NMinus1 {
    /// Entry capacity of the pipelines, each neighbour's entries limited to what it can pass on
    /// after its own peak-day demand (ENTSOG's regional N-1 rule; `epm_transit_aware`).
    pub epm: f64,
    /// Technical capacity of all border entry points (Annex II read literally, transit included).
    pub epm_technical: f64,
    /// Production (curated annual production / 365: the model has no peak production capacity).
    pub pm: f64,
    /// Storage withdrawal.
    pub sm: f64,
    /// LNG send-out (annual regasification capacity / 365).
    pub lngm: f64,
    /// The largest single infrastructure and its capacity.
    pub im_name: String,
    pub im: f64,
    /// Peak-day demand.
    pub dmax: f64,
    /// True when Dmax is the documented default (annual demand / 365 x the mean peak ratio of
    /// the countries with a published peak), not a published figure.
    pub dmax_estimated: bool,
    /// (EPm + Pm + Sm + LNGm - Im) / Dmax x 100.
    pub percent: f64,
}

/// One country's security figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SecurityRow {
    pub code: String,
    pub name: String,
    pub eu: bool,
    /// True for a supplier that is not excluded (its own gas covers it).
    pub own_supplier: bool,
    /// Annual demand, bcm/y (curated), if sourced.
    pub demand: Option<f64>,
    /// What the network can deliver to this country alone from the allowed suppliers and domestic
    /// production, bcm/y (infinite for an allowed supplier: reported as None).
    pub deliverable: Option<f64>,
    /// Share of annual demand covered (0..=100), if demand is sourced.
    pub covered_pct: Option<f64>,
    /// The single pipeline or terminal whose loss lowers the coverage (or the deliverable flow)
    /// most, with the value after its loss.
    pub worst_loss: Option<(String, f64)>,
    pub n1: Option<NMinus1>,
    /// Why a figure is missing or special (`data/gas/countries.csv` note: no gas market, demand
    /// not found, a supplier...); None when demand, peak and production need no comment.
    pub note: Option<String>,
}

/// The answer of `corridor gas security --format json` and `/api/gas/security`: the exclusions
/// and one row per country.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SecurityReport {
    pub without_suppliers: Vec<String>,
    pub avoid: Vec<String>,
    pub without: Vec<String>,
    pub countries: Vec<SecurityRow>,
}

/// [`security`] as a report, keeping only the `only` countries when given.
pub fn security_report(net: &GasNetwork, opts: &Options, only: Option<&[String]>) -> Result<SecurityReport> {
    let countries = security(net, opts)?.into_iter().filter(|r| only.is_none_or(|o| o.contains(&r.code))).collect();
    Ok(SecurityReport {
        without_suppliers: opts.without_suppliers.clone(),
        avoid: opts.avoid.clone(),
        without: opts.without.clone(),
        countries,
    })
}

/// Per-country security under the options (`without_suppliers` excluded; default in the CLI: RU).
pub fn security(net: &GasNetwork, opts: &Options) -> Result<Vec<SecurityRow>> {
    let removed = resolve(net, opts)?;
    let allowed: Vec<&String> =
        net.suppliers.iter().filter(|s| !opts.without_suppliers.contains(s) && !opts.avoid.contains(s)).collect();
    // an excluded supplier carries no gas for others either ("without Russian gas" also means
    // no transit through Russia: Gazprom's grid takes no third-party gas to Belarus or Europe)
    let mut blocked = opts.avoid.clone();
    for s in &opts.without_suppliers {
        if s != LNG && !blocked.contains(s) {
            blocked.push(s.clone());
        }
    }
    let mut rows = Vec::new();
    for c in &net.countries {
        // avoided countries and excluded suppliers have no row (no gas for them to receive)
        if opts.avoid.contains(&c.code) || opts.without_suppliers.contains(&c.code) {
            continue;
        }
        let own_supplier = allowed.contains(&&c.code);
        let demand = c.demand.as_ref().map(|d| d.value);
        let limit = demand.map(cap).unwrap_or(INF);
        // the question for this country with some infrastructure removed
        let run = |removed: &Removed| -> (i64, Model) {
            let mut m = Model::new(net, &blocked, removed);
            for s in &allowed {
                m.supply(s, supply_limit(net, s, opts));
            }
            for other in &net.countries {
                if let Some(p) = &other.production {
                    let excluded = opts.without_suppliers.contains(&other.code) || opts.avoid.contains(&other.code);
                    if !allowed.contains(&&other.code) && !excluded {
                        m.production(&other.code, p.value);
                    }
                }
            }
            m.sink(&c.code, limit);
            let v = m.g.max_flow(m.s, m.t).value;
            (v, m)
        };
        let (deliverable, covered_pct, worst_loss) = if own_supplier {
            (None, demand.filter(|d| *d > 0.0).map(|_| 100.0), None)
        } else {
            let (base, m) = run(&removed);
            // only infrastructure that carries flow in this solution can lower the maximum
            let mut cands: Vec<Kind> = Vec::new();
            for (k, id) in &m.arcs {
                if matches!(k, Kind::Pipeline(_) | Kind::Terminal(_)) && m.g.flow(*id) > 0 && !cands.contains(k) {
                    cands.push(k.clone());
                }
            }
            let mut worst: Option<(String, i64)> = None;
            for k in cands {
                let mut r = removed.clone();
                match k {
                    Kind::Pipeline(i) => r.pipelines.push(i),
                    Kind::Terminal(i) => r.terminals.push(i),
                    _ => unreachable!(),
                }
                let (v, _) = run(&r);
                if v < base && !matches!(worst, Some((_, w)) if w <= v) {
                    worst = Some((m.label(net, &k), v));
                }
            }
            // no coverage share without a sourced demand, nor for a country without a gas market
            let pct = demand.filter(|d| *d > 0.0).map(|d| (base as f64 / UNIT / d * 100.0).min(100.0));
            (Some(base as f64 / UNIT), pct, worst.map(|(n, v)| (n, v as f64 / UNIT)))
        };
        rows.push(SecurityRow {
            code: c.code.clone(),
            name: c.name.clone(),
            eu: c.eu,
            own_supplier,
            demand,
            deliverable,
            covered_pct,
            worst_loss,
            n1: n_minus_1(net, &c.code, &opts.avoid, &removed),
            note: c.note.clone(),
        });
    }
    Ok(rows)
}

/// bcm/y -> mcm/d.
fn per_day(bcm: f64) -> f64 {
    bcm * 1000.0 / 365.0
}

/// Technical entry capacity of every operating pipeline into `code` from each neighbour, mcm/d:
/// (pipeline index, neighbour, capacity). A pipeline crossing into `code` twice counts twice.
fn entries(net: &GasNetwork, code: &str, avoid: &[String], removed: &Removed) -> Vec<(usize, String, f64)> {
    let mut out = Vec::new();
    for (i, p) in net.pipelines.iter().enumerate() {
        if !p.operating() || removed.pipelines.contains(&i) {
            continue;
        }
        for w in p.route.windows(2) {
            if w[1] == code && w[0] != code && !avoid.contains(&w[0]) && p.capacity > 0.0 {
                out.push((i, w[0].clone(), per_day(p.capacity)));
            }
            if w[0] == code && w[1] != code && !avoid.contains(&w[1]) && p.reverse > 0.0 {
                out.push((i, w[1].clone(), per_day(p.reverse)));
            }
        }
    }
    out
}

/// A country's own daily supply capacity (production, storage withdrawal, LNG send-out), mcm/d.
fn own_capacity(net: &GasNetwork, code: &str, removed: &Removed) -> f64 {
    let pm = net.country(code).and_then(|c| c.production.as_ref()).map(|p| per_day(p.value)).unwrap_or(0.0);
    let sm: f64 = net.storages.iter().filter(|s| s.country == code).map(|s| s.withdrawal).sum();
    let lngm: f64 = net
        .terminals
        .iter()
        .enumerate()
        .filter(|(i, t)| t.country == code && t.status == "operating" && !removed.terminals.contains(i))
        .map(|(_, t)| per_day(t.capacity))
        .sum();
    pm + sm + lngm
}

/// EPm with transit taken into account as ENTSOG's regional N-1 does (GRIP CEE 2014 and 2017,
/// section "Regional N-1 formula": after matching the entry and exit capacities of each point, an
/// upstream country passes on only "the rest of the gas volume after the demand in the given
/// country is covered"): the entries from a neighbour count up to that neighbour's surplus on the
/// peak day, i.e. its own entries from third countries at technical capacity plus its production,
/// storage withdrawal and LNG send-out, less its own Dmax. A supplier (or a neighbour without a
/// sourced Dmax, whose demand is unknown) passes on its whole entry capacity. One level upstream
/// only: the neighbour's own entries are not limited in turn. Returns the transit-aware EPm and
/// the technical sum of Annex II (every border entry point capable of supplying the area).
fn epm_transit_aware(net: &GasNetwork, code: &str, avoid: &[String], removed: &Removed) -> (f64, f64) {
    let ins = entries(net, code, avoid, removed);
    // fold from +0.0: an empty f64 sum is -0.0
    let technical = ins.iter().fold(0.0, |a, e| a + e.2);
    let mut by_neighbour: Vec<(String, f64)> = Vec::new();
    for (_, from, cap) in &ins {
        match by_neighbour.iter_mut().find(|(n, _)| n == from) {
            Some((_, c)) => *c += cap,
            None => by_neighbour.push((from.clone(), *cap)),
        }
    }
    let mut epm = 0.0;
    for (from, cap) in by_neighbour {
        let dmax = net.country(&from).and_then(|c| c.peak.as_ref()).map(|p| p.value);
        let limited = match dmax {
            Some(d) if !net.suppliers.contains(&from) => {
                let upstream: f64 =
                    entries(net, &from, avoid, removed).iter().filter(|(_, n, _)| n != code).map(|e| e.2).sum::<f64>()
                        + own_capacity(net, &from, removed);
                cap.min((upstream - d).max(0.0))
            }
            _ => cap,
        };
        epm += limited;
    }
    (epm, technical)
}

/// N-1 for `code` (None without a sourced peak day). EPm counts the operating pipelines entering
/// the country (from countries not avoided, not removed), whatever the supplier, each neighbour's
/// entries limited to its peak-day surplus ([`epm_transit_aware`]); Im is the single pipeline,
/// terminal or storage whose loss lowers EPm + Pm + Sm + LNGm most.
fn n_minus_1(net: &GasNetwork, code: &str, avoid: &[String], removed: &Removed) -> Option<NMinus1> {
    let c = net.country(code)?;
    let peak = c.peak.as_ref()?;
    let (dmax, dmax_estimated) = (peak.value, peak.estimated);
    if dmax <= 0.0 {
        return None;
    }
    let (epm, epm_technical) = epm_transit_aware(net, code, avoid, removed);
    let mut singles: Vec<(String, f64)> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for (i, _, _) in entries(net, code, avoid, removed) {
        if seen.contains(&i) {
            continue;
        }
        seen.push(i);
        let mut r = removed.clone();
        r.pipelines.push(i);
        let loss = epm - epm_transit_aware(net, code, avoid, &r).0;
        singles.push((net.pipelines[i].name.clone(), loss));
    }
    let mut lngm = 0.0;
    for (i, t) in net.terminals.iter().enumerate() {
        if t.country == code && t.status == "operating" && !removed.terminals.contains(&i) {
            lngm += per_day(t.capacity);
            singles.push((t.name.clone(), per_day(t.capacity)));
        }
    }
    let mut sm = 0.0;
    for s in net.storages.iter().filter(|s| s.country == code) {
        sm += s.withdrawal;
        singles.push((s.name.clone(), s.withdrawal));
    }
    let pm = c.production.as_ref().map(|p| per_day(p.value)).unwrap_or(0.0);
    let (im_name, im) =
        singles.into_iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).unwrap_or(("none".into(), 0.0));
    let percent = (epm + pm + sm + lngm - im) / dmax * 100.0;
    Some(NMinus1 { epm, epm_technical, pm, sm, lngm, im_name, im, dmax, dmax_estimated, percent })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::GasNetwork;

    fn net() -> GasNetwork {
        GasNetwork::embedded().expect("embedded gas network")
    }

    #[test]
    fn gas_max_flow_equals_its_cut_and_its_paths() {
        let net = net();
        let eu = net.parse_countries("EU").unwrap();
        let physical = Options { no_reserve: true, no_supply_cap: true, ..Options::default() };
        for from in ["AZ", "NO", "DZ,LY", "LNG", "AZ,NO,DZ,LY,LNG,TM,IR"] {
            let from = net.parse_suppliers(from).unwrap();
            for opts in
                [Options::default(), physical.clone(), Options { avoid: vec!["RU".into()], ..Options::default() }]
            {
                let (r, back) = solve(&net, &from, &eu, &opts).unwrap();
                // the cut less what the committed offtakes take of it is the answer, exactly
                let left: f64 = r.cut.iter().map(|c| c.capacity - c.reserved).sum::<f64>() + back as f64 / UNIT;
                let paths: f64 = r.paths.iter().map(|p| p.flow).sum();
                let delivered: f64 = r.delivered.iter().map(|d| d.1).sum();
                assert!((left - r.max_bcm).abs() < 1e-6, "{from:?}: cut {left} vs max {}", r.max_bcm);
                assert!((paths - r.max_bcm).abs() < 1e-6, "{from:?}: paths {paths} vs max {}", r.max_bcm);
                assert!((delivered - r.max_bcm).abs() < 1e-6);
                assert!(r.max_bcm > 0.0, "{from:?} reaches the EU");
                // each committed offtake's paths carry what it was served; nobody sends beyond its cap
                for x in &r.reserved {
                    let p: f64 = x.paths.iter().map(|p| p.flow).sum();
                    assert!((p - x.served).abs() < 1e-6 && x.served <= x.bcm + 1e-9, "{x:?}");
                }
                for s in &r.supply {
                    assert!(s.cap.is_none_or(|c| s.sent <= c + 1e-9), "{s:?}");
                }
                if opts.no_reserve {
                    assert!(r.reserved.is_empty() && r.cut.iter().all(|c| c.reserved == 0.0));
                }
            }
        }
    }

    /// Azerbaijan to the EU without swaps: its export availability less Turkey's and Georgia's
    /// contracts, not the whole SCP; the pure physical question still gives the SCP.
    #[test]
    fn gas_az_to_eu_serves_turkey_and_georgia_first() {
        let net = net();
        let (from, to) = (net.parse_suppliers("AZ").unwrap(), net.parse_countries("EU").unwrap());
        let opts = Options { avoid: vec!["RU".into(), "IR".into()], ..Options::default() };
        let r = max_flow(&net, &from, &to, &opts).unwrap();
        let cap = net.supply_cap("AZ").expect("AZ has a sourced availability").bcm;
        let committed: f64 = net.commitments.iter().filter(|c| c.supplier == "AZ").map(|c| c.bcm).sum();
        let served: f64 = r.reserved.iter().map(|x| x.served).sum();
        assert!((served - committed).abs() < 1e-6, "every AZ commitment is served: {:?}", r.reserved);
        assert!((r.max_bcm - (cap - committed)).abs() < 1e-6, "{} vs {cap} - {committed}", r.max_bcm);
        assert!(r.reserved.iter().any(|x| x.offtaker == "TR") && r.reserved.iter().any(|x| x.offtaker == "GE"));
        // Turkey asked about: its own contracts are part of the answer, not reserved
        let tr = max_flow(&net, &from, &net.parse_countries("TR").unwrap(), &opts).unwrap();
        assert!(tr.reserved.iter().all(|x| x.offtaker != "TR"));
        // an avoided offtaker gets nothing reserved
        let no_ge = Options { avoid: vec!["RU".into(), "IR".into(), "GE".into()], ..Options::default() };
        let r2 = max_flow(&net, &from, &to, &no_ge).unwrap();
        assert!(r2.reserved.iter().all(|x| x.served == 0.0) && r2.max_bcm == 0.0, "SCP crosses Georgia");
        // the pure physical question: the SCP
        let phys = Options { no_reserve: true, no_supply_cap: true, ..opts.clone() };
        let p = max_flow(&net, &from, &to, &phys).unwrap();
        assert!((p.max_bcm - 23.4).abs() < 1e-6 && p.cut.iter().any(|c| c.name == "SCP"), "{:?}", p.cut);
        // without --avoid the Iranian swap adds nothing once Azerbaijan's gas is counted
        let all = max_flow(&net, &from, &to, &Options::default()).unwrap();
        assert!((all.max_bcm - r.max_bcm).abs() < 1e-6);
    }

    /// Plain reference: on small random networks the lexicographic answer equals the plain maximum
    /// flow (commitments as sink arcs) less the committed volumes, whenever these are served in
    /// full, and the plain maximum flow equals a brute-force minimum cut over all node subsets.
    #[test]
    fn gas_max_flow_matches_a_brute_force_reference() {
        use crate::gas::{Commitment, Country, Pipeline, SupplyCap};
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let codes = ["SA", "SB", "T1", "T2", "D1", "D2"];
        let country = |c: &str| Country {
            code: c.into(),
            name: c.into(),
            eu: c.starts_with('D'),
            demand: None,
            peak: None,
            production: None,
            note: None,
        };
        let (mut checked, mut partial) = (0, 0);
        for _ in 0..400 {
            let mut pipelines = Vec::new();
            for _ in 0..(8 + rnd(8)) {
                let (a, b) = (rnd(6) as usize, rnd(6) as usize);
                if a == b || codes[b].starts_with('S') {
                    continue;
                }
                pipelines.push(Pipeline {
                    name: format!("P{}", pipelines.len()),
                    ggit_name: String::new(),
                    ids: vec![],
                    status: "operating".into(),
                    capacity: (1 + rnd(9)) as f64,
                    reverse: if rnd(3) == 0 { rnd(4) as f64 } else { 0.0 },
                    route: vec![codes[a].into(), codes[b].into()],
                    route_from: "test".into(),
                    notes: vec![],
                });
            }
            let sup = |code: &str, v: u64| SupplyCap {
                supplier: code.into(),
                bcm: v as f64,
                year: "t".into(),
                basis: "t".into(),
                source: "t".into(),
            };
            let com = |sup: &str, off: &str, v: u64| Commitment {
                supplier: sup.into(),
                offtaker: off.into(),
                name: format!("{sup}>{off}"),
                bcm: v as f64,
                year: "t".into(),
                basis: "t".into(),
                source: "t".into(),
            };
            let net = GasNetwork {
                version: crate::gas::VERSION,
                sources: vec![],
                countries: codes.iter().map(|c| country(c)).collect(),
                suppliers: vec!["SA".into(), "SB".into(), LNG.into()],
                pipelines,
                terminals: vec![],
                storages: vec![],
                supply: vec![sup("SA", 2 + rnd(15))],
                commitments: vec![com("SA", "T1", 1 + rnd(5)), com("SA", "T2", rnd(2) + 1)],
            };
            let from = vec!["SA".to_string()];
            let to = vec!["D1".to_string(), "D2".to_string()];
            let (r, back) = solve(&net, &from, &to, &Options::default()).unwrap();
            let left: f64 = r.cut.iter().map(|c| c.capacity - c.reserved).sum::<f64>() + back as f64 / UNIT;
            assert!((left - r.max_bcm).abs() < 1e-9, "cut {left} vs {}", r.max_bcm);
            // reference: nodes 0 source, 1 sink, 2.. countries; arcs as (from, to, capacity)
            let idx = |c: &str| 2 + codes.iter().position(|k| *k == c).unwrap();
            let mut arcs: Vec<(usize, usize, f64)> = vec![(0, idx("SA"), net.supply[0].bcm)];
            for p in &net.pipelines {
                arcs.push((idx(&p.route[0]), idx(&p.route[1]), p.capacity));
                if p.reverse > 0.0 {
                    arcs.push((idx(&p.route[1]), idx(&p.route[0]), p.reverse));
                }
            }
            for c in &net.commitments {
                arcs.push((idx(&c.offtaker), 1, c.bcm));
            }
            arcs.push((idx("D1"), 1, 1e6));
            arcs.push((idx("D2"), 1, 1e6));
            let n = 2 + codes.len();
            let mut best = f64::INFINITY;
            for mask in 0u32..(1 << n) {
                if mask & 1 == 0 || mask & 2 != 0 {
                    continue; // source inside, sink outside
                }
                let inside = |v: usize| mask & (1 << v) != 0;
                let c: f64 = arcs.iter().filter(|a| inside(a.0) && !inside(a.1)).map(|a| a.2).sum();
                best = best.min(c);
            }
            let committed: f64 = net.commitments.iter().map(|c| c.bcm).sum();
            let served: f64 = r.reserved.iter().map(|x| x.served).sum();
            if (served - committed).abs() < 1e-9 {
                assert!((r.max_bcm - (best - committed)).abs() < 1e-9, "{} vs {best} - {committed}", r.max_bcm);
                checked += 1;
            } else {
                assert!(r.max_bcm + served <= best + 1e-9);
                partial += 1;
            }
            let phys =
                max_flow(&net, &from, &to, &Options { no_reserve: true, no_supply_cap: true, ..Options::default() })
                    .unwrap();
            let cut: f64 = phys.cut.iter().map(|c| c.capacity).sum();
            assert!((cut - phys.max_bcm).abs() < 1e-9 && phys.max_bcm + 1e-9 >= r.max_bcm);
        }
        assert!(checked > 40 && partial > 5, "both cases exercised: {checked} full, {partial} partial");
    }

    #[test]
    fn gas_removing_a_bottleneck_pipeline_lowers_the_maximum() {
        let net = net();
        let (from, to) = (net.parse_suppliers("AZ").unwrap(), net.parse_countries("EU").unwrap());
        // the infrastructure question (the supply cap is the bottleneck otherwise)
        let opts = Options {
            avoid: vec!["RU".into(), "IR".into()],
            no_reserve: true,
            no_supply_cap: true,
            ..Options::default()
        };
        let base = max_flow(&net, &from, &to, &opts).unwrap();
        let first = base.cut.iter().find(|c| c.kind == "pipeline").expect("a pipeline in the cut").name.clone();
        let cut = Options { without: vec![first.clone()], ..opts };
        let after = max_flow(&net, &from, &to, &cut).unwrap();
        assert!(after.max_bcm < base.max_bcm, "without {first}: {} !< {}", after.max_bcm, base.max_bcm);
        assert!(after.paths.iter().all(|p| p.legs.iter().all(|l| l.via != first)));
    }

    #[test]
    fn gas_avoided_countries_carry_no_flow() {
        let net = net();
        let from = net.parse_suppliers("AZ,NO,DZ,LY,LNG,TM,IR,RU").unwrap();
        let to = net.parse_countries("EU,-PL").unwrap();
        let all = max_flow(&net, &from, &to, &Options::default()).unwrap();
        assert!(all.paths.iter().any(|p| p.legs.iter().any(|l| l.countries.contains(&"TR".to_string()))));
        let opts = Options { avoid: vec!["TR".into(), "UA".into()], ..Options::default() };
        let r = max_flow(&net, &from, &to, &opts).unwrap();
        for p in &r.paths {
            for l in &p.legs {
                assert!(!l.countries.iter().any(|c| c == "TR" || c == "UA"), "{}", p.text());
            }
        }
        assert!(r.max_bcm <= all.max_bcm);
    }

    #[test]
    fn gas_n1_follows_the_annex_ii_formula() {
        let net = net();
        let rows = security(&net, &Options::default()).unwrap();
        let tr = rows.iter().find(|r| r.code == "TR").and_then(|r| r.n1.clone()).expect("TR has a peak day");
        let expect = (tr.epm + tr.pm + tr.sm + tr.lngm - tr.im) / tr.dmax * 100.0;
        assert!((tr.percent - expect).abs() < 1e-9);
        assert_eq!(tr.im_name, "TurkStream", "the largest single entry into Turkey");
        // losing the largest infrastructure is what N-1 subtracts: removing it lowers EPm by Im
        let without = Options { without: vec!["TurkStream".into()], ..Options::default() };
        let rows2 = security(&net, &without).unwrap();
        let tr2 = rows2.iter().find(|r| r.code == "TR").and_then(|r| r.n1.clone()).unwrap();
        assert!((tr.epm - tr2.epm - tr.im).abs() < 1e-6);
    }

    #[test]
    fn gas_epm_counts_a_neighbour_up_to_its_surplus() {
        let net = net();
        let none = Removed::default();
        for c in &net.countries {
            let (epm, technical) = epm_transit_aware(&net, &c.code, &[], &none);
            assert!(epm <= technical + 1e-9 && epm >= 0.0, "{}: {epm} > {technical}", c.code);
            assert!(technical.is_sign_positive(), "{}: no -0.0", c.code);
        }
        // Romania's entries from Ukraine (Trans-Balkan, Hust-Satu Mare...) exceed what Ukraine has
        // left on its own peak day: its entries from third countries plus Pm + Sm + LNGm less its
        // Dmax; each neighbour counts min(its entries into RO, that surplus)
        let (epm, technical) = epm_transit_aware(&net, "RO", &[], &none);
        assert!(epm < technical - 1.0, "RO: {epm} vs {technical}");
        let ro = entries(&net, "RO", &[], &none);
        let mut expect = 0.0;
        let mut neighbours: Vec<&String> = ro.iter().map(|e| &e.1).collect();
        neighbours.sort();
        neighbours.dedup();
        for n in neighbours {
            let cap: f64 = ro.iter().filter(|e| &e.1 == n).map(|e| e.2).sum();
            let dmax = net.country(n).and_then(|c| c.peak.as_ref()).map(|p| p.value);
            expect += match dmax {
                Some(d) if !net.suppliers.contains(n) => {
                    let up: f64 = entries(&net, n, &[], &none).iter().filter(|e| e.1 != "RO").map(|e| e.2).sum();
                    cap.min((up + own_capacity(&net, n, &none) - d).max(0.0))
                }
                _ => cap,
            };
        }
        assert!((epm - expect).abs() < 1e-6, "RO: {epm} vs {expect}");
        // a supplier passes on its whole entry capacity: Turkey's entries from Russia, Iran and
        // Azerbaijan are not limited, only those from Georgia and Bulgaria can be
        let tr = entries(&net, "TR", &[], &none);
        let from_suppliers: f64 = tr.iter().filter(|e| net.suppliers.contains(&e.1)).map(|e| e.2).sum();
        assert!(epm_transit_aware(&net, "TR", &[], &none).0 >= from_suppliers - 1e-9);
    }

    #[test]
    fn gas_missing_figures_are_flagged_not_zero() {
        let net = net();
        let rows = security(&net, &Options::default()).unwrap();
        let row = |c: &str| rows.iter().find(|r| r.code == c).unwrap().clone();
        // a published peak day: TR's N-1 uses it as is
        assert!(!row("TR").n1.unwrap().dmax_estimated);
        // annual demand without a published peak: the documented default, flagged
        let de = row("DE").n1.expect("DE has demand, so an estimated Dmax");
        assert!(de.dmax_estimated);
        let d = net.country("DE").unwrap().demand.as_ref().unwrap().value;
        let ratio = crate::gas::build::peak_ratio(&net.countries).unwrap().0;
        assert!((de.dmax - (d * 1000.0 / 365.0 * ratio * 10.0).round() / 10.0).abs() < 1e-9);
        // no gas market (sourced 0): no coverage share, no N-1, a note
        let cy = row("CY");
        assert_eq!((cy.demand, cy.covered_pct, cy.n1.is_none()), (Some(0.0), None, true));
        assert!(cy.note.as_deref().unwrap_or_default().contains("no natural gas market"));
        // demand not found: no coverage share, no N-1, and the note says so
        let si = row("SI");
        assert!(si.demand.is_none() && si.covered_pct.is_none() && si.n1.is_none());
        assert!(si.note.as_deref().unwrap_or_default().contains("not found"));
        // the interconnection points that used to leave countries at 0 without Russian gas
        for c in ["IE", "LU", "SE", "FI", "EE", "LV"] {
            assert!(row(c).covered_pct.unwrap_or(0.0) > 99.0, "{c}: {:?}", row(c));
        }
        assert!(row("BA").deliverable.unwrap_or(0.0) > 0.0, "Zvornik");
    }

    #[test]
    fn gas_bad_names_get_suggestions() {
        let net = net();
        match net.find_infrastructure("Turkstrem") {
            Err(crate::gas::GasError::UnknownInfrastructure { suggestions, .. }) => {
                assert!(suggestions.contains(&"TurkStream".to_string()))
            }
            other => panic!("{other:?}"),
        }
        assert!(net.parse_suppliers("FR").is_err(), "France is not a supplier");
        assert!(net.parse_countries("Itlay").is_err());
    }
}
