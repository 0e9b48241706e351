//! The prepared engine of a network: its CCH with the customizations queries read their A*
//! potentials from (unrestricted length, the exclusion families of
//! [`POTENTIAL_FAMILIES`], each objective under the planner's parameters, and the
//! families again under the default objective's weights, [`FAMILY_OBJECTIVE`], so that the
//! default queries with the usual exclusions search near their shortest path).
//! `corridor prepare` builds it once (about 30 s), saves it as one file, and later runs map the
//! file and use it without parsing.

use std::sync::Arc;

use crate::col::{Col, SharedBytes, Verify};
use crate::engine::cch::potential::PotentialSource;
use crate::engine::cch::{ArcDelta, Cch};
use crate::engine::min_weight_per_metre;
use crate::engine::{Metric, Restrictions};
use crate::model::cost::{CostModel, Objective};
use crate::model::params::Params;
use crate::network::Network;

/// Exclusion families with a CCH customization of their own (`corridor prepare`): the
/// exclusions this product's users ask for most (bypassing Russia, Iran or Belarus, the Red Sea,
/// Hormuz, the Turkish straits). A query at least as restrictive as a family gets that family's
/// exact distances as its A* potential, so its search stays small even when the exclusions force
/// a long detour. Any other exclusion set is still answered exactly, from the unrestricted
/// potential. Each family costs one customization (about 0.35 s) and 17 MB.
pub const POTENTIAL_FAMILIES: &[(&str, &[&str], &[&str])] = &[
    ("ru", &["RU"], &[]),
    ("ir", &["IR"], &[]),
    ("by", &["BY"], &[]),
    ("ru-ir", &["RU", "IR"], &[]),
    ("ru-by", &["RU", "BY"], &[]),
    ("suez", &[], &["suez"]),
    ("babalmandab", &[], &["babalmandab"]),
    ("ormuz", &[], &["ormuz"]),
    ("bosporus", &[], &["bosporus"]),
];

/// What the prepared engine needs from the planner it is built for, read for and searched with:
/// the network, the parameters and cost model, how the planner resolves exclusions, and its
/// objective weights. Implemented by [`crate::planner::Planner`] (which holds a `Prepared`);
/// declared here so that this module does not depend on the planner's (no module cycle).
pub trait Basis {
    /// The network.
    fn net(&self) -> &Network;
    /// The parameters (the objective weights depend on them).
    fn params(&self) -> &Params;
    /// The cost model, which gives each objective's per-edge weights.
    fn cost(&self) -> &CostModel;
    /// An exclusion family (country codes, passage names) as restrictions; None if it excludes
    /// nothing on this network.
    fn exclusion_family(&self, countries: &[&str], passages: &[&str]) -> Option<Restrictions>;
    /// The default closures alone (see [`crate::planner::Planner::default_family`]).
    fn default_family(&self) -> Restrictions;
    /// The planner's per-edge weights of an objective (None for distance), shared.
    fn objective_weights(&self, objective: Objective) -> Option<Arc<Vec<u32>>>;
    /// The smallest weight per metre of an objective's weights (its length potential's scale).
    fn objective_scale(&self, objective: Objective) -> f64;
    /// The parameters of this planner's backhaul variant (the return direction of the
    /// Asia-Europe trade, priced at `sea.backhaul_factor`); None when it has none.
    fn backhaul_params(&self) -> Option<Params>;
    /// That variant's [`FAMILY_OBJECTIVE`] weights (this planner's network and dwell changes,
    /// no risk charges).
    fn backhaul_weights(&self) -> Option<Vec<u32>>;
}

/// The default objective's data for the backhaul variant of the parameters a file was built
/// for ([`Basis::backhaul_params`]): its per-edge weights and its customization under the
/// default closures. A backhaul planner reads them ([`Prepared::for_backhaul`]) instead of
/// computing 1.2 M weights and searching with bounds scaled by the backhaul factor (0.3 s more
/// per Europe -> East Asia query).
#[derive(Clone)]
pub struct StoredBackhaul {
    /// [`fingerprint_of`] the variant's parameters.
    pub fingerprint: String,
    /// The restrictions the customization was made under (the default closures).
    pub restrictions: Restrictions,
    pub weights: Col<u32>,
    pub customization: Col<u32>,
}

/// A CCH and its stored customizations.
#[derive(Clone)]
pub struct Prepared {
    pub cch: Cch,
    /// Unrestricted length (metres).
    pub length: Col<u32>,
    /// Length customized under each family's exclusions.
    pub families: Vec<(String, Restrictions, Col<u32>)>,
    /// Each non-distance objective customized under the default closures
    /// ([`crate::planner::Planner::default_family`]: the Arctic routes, the market's closures, Panama for the
    /// vessel class), for the parameters this file was built with (read scaled, [`WeightBasis`], when the planner's
    /// parameters differ). Every query that keeps the default closures, i.e. nearly all,
    /// starts from this bound: exact when nothing else is excluded (an unrestricted
    /// customization would bound Asia-Europe by the closed Northern Sea Route).
    pub objectives: Vec<(Objective, Restrictions, Col<u32>)>,
    /// The families customized with [`FAMILY_OBJECTIVE`]'s weights, for the parameters this file
    /// was built with (read scaled, [`WeightBasis`], when the planner's parameters differ).
    pub objective_families: Vec<(String, Restrictions, Col<u32>)>,
    /// The per-edge search weights of each non-distance objective for the parameters this file
    /// was built with: a planner maps them instead of computing them from the cost model (which
    /// walks every edge's measures, tens of milliseconds per process).
    pub edge_weights: Vec<(Objective, Col<u32>)>,
    /// [`FAMILY_OBJECTIVE`] under the default closures with the war-risk premiums of each
    /// listing state of [`RISK_LISTINGS`] (keyed by [`crate::risk::areas::charges_fingerprint`]),
    /// for the parameters this file was built with: exact potentials for a risk query whose
    /// charges have that fingerprint (premiums depend on which areas are listed, not on the date).
    pub risk_families: Vec<(String, Restrictions, Col<u32>)>,
    /// Single-exclusion families (`delta_restrictions`) of each non-distance objective, stored
    /// as differences from that objective's customization in [`Prepared::objectives`], for the
    /// parameters this file was built with: (objective, name, restrictions, difference). Exact
    /// potentials for that objective under one country or passage excluded; a query excluding
    /// several takes the strongest at its sources (see [`PotentialSource`]).
    pub deltas: Vec<(Objective, String, Restrictions, ArcDelta)>,
    /// The default objective for the backhaul variant of the parameters this file was built
    /// with, if they have one.
    pub backhaul: Option<StoredBackhaul>,
    /// Customizations made for one analysis (not stored): an objective's weights under given
    /// exclusions, on the network copy the analysis runs on. Exact potentials for its queries.
    pub exact: Vec<(Restrictions, Objective, Col<u32>)>,
    /// How the objective customizations relate to the planner's weights: made for them, or
    /// made with other parameters (another market, a scenario's dwell changes, `--params`) and
    /// read scaled.
    pub basis: WeightBasis,
}

/// Whether a prepared engine's objective customizations were made for the planner's weights.
/// Customizations made for other weights, times the largest factor that keeps those weights
/// below the planner's on every edge ([`weight_ratio`]), stay valid A* potentials, far tighter
/// than the length bound.
#[derive(Clone, Default)]
pub enum WeightBasis {
    /// Made for the planner's own weights (factor 1).
    #[default]
    Own,
    /// Made for other weights, kept here per objective (those the file stored): each
    /// objective's factor is computed when a search first needs it, so a process that asks one
    /// objective computes one set of weights.
    Other(Vec<(Objective, Col<u32>, std::sync::OnceLock<f64>)>),
}

/// The largest factor `s` with `s * stored[e] <= own[e]` on every edge, slightly reduced so
/// that rounding never lifts a bound above the true cost; 1.0 when no own weight is below its
/// stored one (the stored customizations are then lower bounds as they are); 0.0 if an edge
/// impassable under the stored weights is passable under the planner's (no bound holds).
pub fn weight_ratio(own: &[u32], stored: &[u32]) -> f64 {
    let mut ratio = f64::INFINITY;
    for (&o, &s) in own.iter().zip(stored) {
        if s == 0 || o >= s {
            continue;
        }
        if s == u32::MAX {
            return 0.0;
        }
        ratio = ratio.min(o as f64 / s as f64);
    }
    if ratio >= 1.0 {
        1.0
    } else {
        ratio * (1.0 - 1e-9)
    }
}

/// The objective whose weights the exclusion families are also customized with: the default
/// (total logistics cost). A length family only bounds a cost search through the smallest cost
/// per metre, far below the detour's real cost; a cost family is exact for its exclusions.
pub const FAMILY_OBJECTIVE: Objective = Objective::Cost;

/// Countries with a single-country family per objective stored as a difference
/// ([`Prepared::deltas`]): the transit countries between China, India and the Atlantic (those
/// `corridor-bench --any` draws its exclusions from). With every passage that is not closed by
/// default, they make the single exclusions whose families each non-distance objective gets.
pub const DELTA_COUNTRIES: [&str; 60] = [
    "CN", "MN", "KZ", "KG", "UZ", "TJ", "TM", "AF", "PK", "IN", "IR", "AZ", "AM", "GE", "TR", "RU", "BY", "UA", "MD",
    "RO", "BG", "GR", "RS", "HU", "SK", "CZ", "PL", "LT", "LV", "EE", "FI", "DE", "AT", "CH", "IT", "FR", "ES", "PT",
    "NL", "BE", "SA", "AE", "OM", "QA", "KW", "BH", "IQ", "SY", "JO", "IL", "LB", "EG", "SD", "ER", "DJ", "YE", "SO",
    "CY", "AL", "MK",
];

/// The single exclusions of [`DELTA_COUNTRIES`] and of every passage not closed by default, as
/// (name, restrictions); those that exclude nothing beyond the default closures are left out.
fn delta_restrictions(planner: &(impl Basis + ?Sized)) -> Vec<(String, Restrictions)> {
    let defaults = planner.default_family();
    let countries = DELTA_COUNTRIES.iter().map(|c| (format!("country-{c}"), planner.exclusion_family(&[c], &[])));
    let passages = planner
        .net()
        .meta
        .passages
        .iter()
        .skip(1)
        .map(|p| (format!("passage-{p}"), planner.exclusion_family(&[], &[p.as_str()])));
    countries.chain(passages).filter_map(|(name, r)| Some((name, r?))).filter(|(_, r)| *r != defaults).collect()
}

/// What [`Prepared::build`] is doing, for progress reports.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// Nested dissection: nodes ordered so far of the total.
    Order(usize, usize),
    /// Customizations done so far of the total.
    Customize(usize, usize),
}

/// The exclusion families of [`POTENTIAL_FAMILIES`] as this planner resolves them (its
/// network's countries and passages, its default closures).
fn family_restrictions(planner: &(impl Basis + ?Sized)) -> Vec<(&'static str, Restrictions)> {
    POTENTIAL_FAMILIES.iter().filter_map(|(name, c, p)| Some((*name, planner.exclusion_family(c, p)?))).collect()
}

const OBJECTIVES: [Objective; 3] = [Objective::Time, Objective::Cost, Objective::Co2];

/// The listing states of the high-risk areas customized at prepare time: none listed (normal
/// times, e.g. 2023) and the southern Red Sea and Gulf of Aden listed (2024-2025). Other states
/// search with the premium-free bounds (exact, slower).
pub const RISK_LISTINGS: [&[&str]; 2] = [&[], &["red_sea_aden"]];

/// The per-edge weights of [`FAMILY_OBJECTIVE`] with the charges of a listing state: `base`
/// with each charged edge recomputed, as a risk planner's own weights are.
fn risk_weights(planner: &(impl Basis + ?Sized), base: &[u32], charges: crate::model::cost::EdgeCharges) -> Vec<u32> {
    let net = planner.net();
    let cost = planner.cost().clone().with_charges(Arc::new(charges));
    let mut w = base.to_vec();
    for e in cost.charged_edges() {
        let m = cost.edge(net, e);
        w[e as usize] = crate::model::cost::CostModel::weight_of(&m, FAMILY_OBJECTIVE).min(u32::MAX as u64) as u32;
    }
    w
}

/// Each listing state of [`RISK_LISTINGS`] as its charges' fingerprint and charges.
fn risk_listings(planner: &(impl Basis + ?Sized)) -> Vec<(String, crate::model::cost::EdgeCharges)> {
    use crate::risk::areas;
    let rp = crate::risk::RiskParams::from_params(planner.params());
    let shipped = areas::Area::shipped();
    RISK_LISTINGS
        .iter()
        .map(|listed| {
            let c = areas::listing_charges(planner.net(), &rp, &shipped, listed);
            (areas::charges_fingerprint(&c), c)
        })
        .collect()
}

/// The parameters' fingerprint the objective data of a file's sections (`names`) were made
/// for: `own` if the file holds data for it, else the one other fingerprint it holds (an engine
/// prepared for the default market read by another market's planner), else `own` (nothing).
fn stored_fingerprint<'a>(names: impl Iterator<Item = &'a str>, own: &str) -> String {
    let mut prints: Vec<&str> = names
        .filter_map(|n| n.strip_prefix("edge-weights:"))
        .filter_map(|rest| rest.split_once(':').map(|(_, fp)| fp))
        .collect();
    prints.sort_unstable();
    prints.dedup();
    match prints.as_slice() {
        [one] => one.to_string(),
        _ => own.to_string(),
    }
}

/// A fingerprint of the parameters the objective weights depend on.
pub fn params_fingerprint(planner: &(impl Basis + ?Sized)) -> String {
    fingerprint_of(planner.params())
}

/// The fingerprint of a parameter set (see [`params_fingerprint`]).
pub fn fingerprint_of(params: &Params) -> String {
    let json = serde_json::to_string(params).unwrap_or_default();
    crate::hash::fnv64_hex(json.as_bytes())
}

/// A stored customization of [`FAMILY_OBJECTIVE`] named `objective:key@restrictions:fingerprint`
/// (an exclusion family or a risk listing state): its key and restrictions, if it was made for
/// the objective and the parameters of fingerprint `fp`.
fn objective_family_entry(rest: &str, fp: &str) -> Option<(String, Restrictions)> {
    let mut parts = rest.splitn(3, ':');
    let (o, f, print) = (parts.next()?, parts.next()?, parts.next()?);
    if o != FAMILY_OBJECTIVE.name() || print != fp {
        return None;
    }
    let (f, k) = f.split_once('@')?;
    Some((f.to_string(), Restrictions::from_key(k)?))
}

/// A stored backhaul entry `objective@restrictions:fingerprint:backhaul fingerprint`: its
/// restrictions and backhaul fingerprint, if made for [`FAMILY_OBJECTIVE`] and the parameters of
/// fingerprint `fp`.
fn backhaul_entry(rest: &str, fp: &str) -> Option<(Restrictions, String)> {
    let mut parts = rest.splitn(3, ':');
    let (o, print, backhaul) = (parts.next()?, parts.next()?, parts.next()?);
    let (o, k) = o.split_once('@')?;
    if o != FAMILY_OBJECTIVE.name() || print != fp {
        return None;
    }
    Some((Restrictions::from_key(k)?, backhaul.to_string()))
}

impl Prepared {
    /// The file name of a network's prepared engine in a cache directory (one per network
    /// version; `corridor prepare` writes it, every command and benchmark looks for it).
    pub fn file_name(net: &Network) -> String {
        format!("engine-{}.cch", net.meta.version)
    }

    /// Builds the CCH and every customization; nested dissection uses all cores.
    pub fn build(planner: &(impl Basis + ?Sized), progress: &(dyn Fn(Stage) + Sync)) -> Prepared {
        let net = planner.net();
        let cch = Cch::build(net, &|d, n| progress(Stage::Order(d, n)));
        let families = family_restrictions(planner);
        let backhaul_params = planner.backhaul_params();
        let total =
            1 + 2 * families.len() + OBJECTIVES.len() + RISK_LISTINGS.len() + usize::from(backhaul_params.is_some());
        progress(Stage::Customize(0, total));
        let length: Col<u32> = cch.customize_for(net, None, Metric::Length).into();
        progress(Stage::Customize(1, total));
        let mut done = 1;
        // each objective's per-edge weights once: stored, customized, and (the default's) used
        // for the families
        let weights: Vec<(Objective, Vec<u32>)> = OBJECTIVES
            .iter()
            .map(|&o| (o, planner.cost().weights(net, o).expect("non-distance objectives have weights")))
            .collect();
        let family_weights = &weights.iter().find(|(o, _)| *o == FAMILY_OBJECTIVE).expect("an objective").1;
        let mut objective_families = Vec::new();
        let families = families
            .into_iter()
            .map(|(name, r)| {
                let w = cch.customize_for(net, Some(&r), Metric::Length);
                let o = cch.customize_for(net, Some(&r), Metric::PerEdge(family_weights));
                objective_families.push((name.to_string(), r, o.into()));
                done += 2;
                progress(Stage::Customize(done, total));
                (name.to_string(), r, w.into())
            })
            .collect();
        let defaults = planner.default_family();
        let objectives: Vec<(Objective, Restrictions, Col<u32>)> = weights
            .iter()
            .map(|(o, w)| {
                let c = cch.customize_for(net, Some(&defaults), Metric::PerEdge(w));
                done += 1;
                progress(Stage::Customize(done, total));
                (*o, defaults, c.into())
            })
            .collect();
        let risk_families = risk_listings(planner)
            .into_iter()
            .map(|(key, charges)| {
                let w = risk_weights(planner, family_weights, charges);
                let c = cch.customize_for(net, Some(&defaults), Metric::PerEdge(&w));
                done += 1;
                progress(Stage::Customize(done, total));
                (key, defaults, c.into())
            })
            .collect();
        let backhaul = backhaul_params.zip(planner.backhaul_weights()).map(|(params, w)| {
            let c = cch.customize_for(net, Some(&defaults), Metric::PerEdge(&w));
            done += 1;
            progress(Stage::Customize(done, total));
            StoredBackhaul {
                fingerprint: fingerprint_of(&params),
                restrictions: defaults,
                weights: w.into(),
                customization: c.into(),
            }
        });
        // single-exclusion families of each objective as differences from its customization
        // (both cores: one full customization each, then only the changed ranks are kept)
        let jobs: Vec<(usize, Objective, String, Restrictions)> = (0..OBJECTIVES.len())
            .flat_map(|k| delta_restrictions(planner).into_iter().map(move |(n, r)| (k, OBJECTIVES[k], n, r)))
            .filter(|(_, o, _, r)| {
                // the default objective's full families already cover theirs
                *o != FAMILY_OBJECTIVE
                    || !objective_families.iter().any(|(_, x, _): &(String, Restrictions, Col<u32>)| x == r)
            })
            .collect();
        let total = total + jobs.len();
        let counter = std::sync::atomic::AtomicUsize::new(done);
        let base: Vec<&[u32]> = objectives.iter().map(|(_, _, c)| &c[..]).collect();
        let deltas = {
            use rayon::prelude::*;
            jobs.into_par_iter()
                .map(|(k, o, name, r)| {
                    let c = cch.customize_from(net, base[k], &defaults, &r, Metric::PerEdge(&weights[k].1));
                    let d = ArcDelta::new(&cch, base[k], &c);
                    let now = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(Stage::Customize(now, total));
                    (o, name, r, d)
                })
                .collect()
        };
        let edge_weights = weights.into_iter().map(|(o, w)| (o, w.into())).collect();
        Prepared {
            cch,
            length,
            families,
            objectives,
            objective_families,
            edge_weights,
            risk_families,
            deltas,
            backhaul,
            exact: Vec::new(),
            basis: WeightBasis::Own,
        }
    }

    /// Whether every customization [`Prepared::build`] makes is present (a file read with other
    /// parameters lacks the objectives'; one from an older version may lack a family).
    pub fn is_complete(&self, planner: &(impl Basis + ?Sized)) -> bool {
        // every family of this version, customized under the restrictions this planner gives it
        let wanted = family_restrictions(planner);
        let has = |list: &[(String, Restrictions, Col<u32>)]| {
            wanted.iter().all(|(name, r)| list.iter().any(|(n, x, _)| n == name && x == r))
        };
        let families = wanted.len();
        has(&self.families)
            && has(&self.objective_families)
            && self.families.len() == families
            && self.objectives.len() == OBJECTIVES.len()
            && self.objectives.iter().all(|(_, r, _)| *r == planner.default_family())
            && self.objective_families.len() == families
            && self.edge_weights.len() == OBJECTIVES.len()
            && self.risk_families.len() == RISK_LISTINGS.len()
            && planner.backhaul_params().map(|p| fingerprint_of(&p))
                == self.backhaul.as_ref().map(|b| b.fingerprint.clone())
            && delta_restrictions(planner).iter().all(|(name, r)| {
                OBJECTIVES.iter().all(|&o| {
                    (o == FAMILY_OBJECTIVE && self.objective_families.iter().any(|(_, x, _)| x == r))
                        || self.deltas.iter().any(|(d, n, x, _)| *d == o && n == name && x == r)
                })
            })
    }

    /// A copy with one more exact customization: `objective`'s weights under `r` on `net` (a
    /// copy of the prepared network with the same topology, e.g. with edges closed). Queries
    /// under `r` or stricter on `net` then search only near their shortest path.
    pub fn with_exact(
        &self,
        planner_on_net: &(impl Basis + ?Sized),
        r: Restrictions,
        objective: Objective,
    ) -> Prepared {
        let net = planner_on_net.net();
        let weights = planner_on_net.objective_weights(objective);
        let metric = match &weights {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        let w = self.cch.customize_for(net, Some(&r), metric);
        let mut out = self.clone();
        out.exact.push((r, objective, w.into()));
        out
    }

    /// The file bytes: the CCH and its customizations, tagged with the network version and the
    /// parameters' fingerprint.
    pub fn to_bytes(&self, planner: &(impl Basis + ?Sized)) -> Vec<u8> {
        let fp = params_fingerprint(planner);
        let mut named: Vec<(String, &[u32])> = vec![("length".into(), &self.length)];
        // each family with the restrictions it was customized under
        for (name, r, w) in &self.families {
            named.push((format!("family:{name}@{}", r.to_key()), w));
        }
        for (o, r, w) in &self.objectives {
            named.push((format!("objective:{}@{}:{fp}", o.name(), r.to_key()), w));
        }
        for (name, r, w) in &self.objective_families {
            named.push((format!("objective-family:{}:{name}@{}:{fp}", FAMILY_OBJECTIVE.name(), r.to_key()), w));
        }
        for (o, w) in &self.edge_weights {
            named.push((format!("edge-weights:{}:{fp}", o.name()), w));
        }
        for (key, r, w) in &self.risk_families {
            named.push((format!("risk-family:{}:{key}@{}:{fp}", FAMILY_OBJECTIVE.name(), r.to_key()), w));
        }
        // backhaul-(weights|objective):objective@restrictions:fingerprint:backhaul fingerprint
        if let Some(b) = &self.backhaul {
            let id = format!("{}@{}:{fp}:{}", FAMILY_OBJECTIVE.name(), b.restrictions.to_key(), b.fingerprint);
            named.push((format!("backhaul-weights:{id}"), &b.weights));
            named.push((format!("backhaul-objective:{id}"), &b.customization));
        }
        let refs: Vec<(&str, &[u32])> = named.iter().map(|(n, w)| (n.as_str(), *w)).collect();
        let deltas: Vec<(String, &ArcDelta)> =
            self.deltas.iter().map(|(o, name, r, d)| (format!("{}:{name}@{}:{fp}", o.name(), r.to_key()), d)).collect();
        let delta_refs: Vec<(&str, &ArcDelta)> = deltas.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        self.cch.to_bytes_with_deltas(&planner.net().meta.version, &refs, &delta_refs)
    }

    /// The engine `corridor prepare` wrote to the directory `$CORRIDOR_CACHE` for this planner's
    /// network, else one built now (about 20 s on the world network): for benchmarks and tests
    /// that must run the prepared engine whether or not it was prepared. The bool says whether it
    /// came from the cache.
    pub fn from_env_cache_or_build(planner: &(impl Basis + ?Sized)) -> (Prepared, bool) {
        let cached = std::env::var_os("CORRIDOR_CACHE")
            .map(|d| std::path::PathBuf::from(d).join(Prepared::file_name(planner.net())))
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| Prepared::from_bytes(Arc::new(b), planner, Verify::Checksums).ok());
        match cached {
            Some(p) => (p, true),
            None => (Prepared::build(planner, &|_| {}), false),
        }
    }

    /// Reads a prepared engine for the planner's network; an error (saying why) if the bytes
    /// are for another network, fail their checksums (as `verify` asks) or their structure
    /// ([`Cch::validate`]). Families unknown to this version are skipped, objective weights for
    /// other parameters are ignored.
    pub fn from_bytes(bytes: SharedBytes, planner: &(impl Basis + ?Sized), verify: Verify) -> Result<Prepared, String> {
        let (cch, metrics, stored_deltas) = Cch::from_bytes_with_deltas(bytes, planner.net(), verify)?;
        let own_fp = params_fingerprint(planner);
        // the parameters the objective data were made for: this planner's if stored, else the
        // one other set the file holds (adopted below as scaled bounds)
        let fp = stored_fingerprint(metrics.iter().map(|(n, _)| n.as_str()), &own_fp);
        // objective:name@restrictions:fingerprint
        let deltas = stored_deltas
            .into_iter()
            .filter_map(|(id, d)| {
                let (o, rest) = id.split_once(':')?;
                let (rest, print) = rest.rsplit_once(':')?;
                let (name, key) = rest.split_once('@')?;
                let o = Objective::parse(o).filter(|_| print == fp)?;
                Some((o, name.to_string(), Restrictions::from_key(key)?, d))
            })
            .collect();
        let mut length = None;
        let mut families = Vec::new();
        let mut objectives = Vec::new();
        let mut objective_families = Vec::new();
        let mut edge_weights = Vec::new();
        let mut risk_families = Vec::new();
        // (weights, customization), each with its restrictions and backhaul fingerprint
        let mut backhaul: [Option<(Restrictions, String, Col<u32>)>; 2] = [None, None];
        for (name, w) in metrics {
            if name == "length" {
                length = Some(w);
            } else if let Some(f) = name.strip_prefix("family:") {
                // the stored restrictions are what the customization bounds: valid for any
                // query at least as restrictive, whatever this version's families are
                if let Some((f, r)) = f.split_once('@').and_then(|(f, k)| Some((f, Restrictions::from_key(k)?))) {
                    families.push((f.to_string(), r, w));
                }
            } else if let Some(rest) = name.strip_prefix("edge-weights:") {
                if let Some((o, f)) = rest.split_once(':') {
                    if let Some(o) = Objective::parse(o).filter(|_| f == fp) {
                        edge_weights.push((o, w));
                    }
                }
            } else if let Some((kind, rest)) = name.strip_prefix("backhaul-").and_then(|n| n.split_once(':')) {
                if let Some((r, print)) = backhaul_entry(rest, &fp) {
                    match kind {
                        "weights" => backhaul[0] = Some((r, print, w)),
                        "objective" => backhaul[1] = Some((r, print, w)),
                        _ => {}
                    }
                }
            } else if let Some(rest) = name.strip_prefix("risk-family:") {
                if let Some((f, r)) = objective_family_entry(rest, &fp) {
                    risk_families.push((f, r, w));
                }
            } else if let Some(rest) = name.strip_prefix("objective-family:") {
                if let Some((f, r)) = objective_family_entry(rest, &fp) {
                    objective_families.push((f, r, w));
                }
            } else if let Some(rest) = name.strip_prefix("objective:") {
                // objective@restrictions:fingerprint
                if let Some((o, f)) = rest.split_once(':') {
                    let parsed =
                        o.split_once('@').and_then(|(o, k)| Some((Objective::parse(o)?, Restrictions::from_key(k)?)));
                    if let Some((o, r)) = parsed.filter(|_| f == fp) {
                        objectives.push((o, r, w));
                    }
                }
            }
        }
        let backhaul = match backhaul {
            [Some((r, f, weights)), Some((x, g, customization))] if r == x && f == g => {
                Some(StoredBackhaul { fingerprint: f, restrictions: r, weights, customization })
            }
            _ => None,
        };
        let mut out = Prepared {
            cch,
            length: length.ok_or("no length customization")?,
            families,
            objectives,
            objective_families,
            edge_weights,
            risk_families,
            deltas,
            backhaul,
            exact: Vec::new(),
            basis: WeightBasis::Own,
        };
        if fp != own_fp {
            out.adopt_for_other_weights();
        }
        Ok(out)
    }

    /// Marks the objective customizations as made for weights other than those of the planner
    /// this engine goes to (another market, dwell changes, a backhaul's sea rates; see
    /// [`WeightBasis`]): their factors are computed again for it, on first use. Drops what only
    /// the weights they were made for can use: the stored edge weights (kept as the reference
    /// of the factors), the risk listings' customizations and an analysis's exact ones.
    pub fn adopt_for_other_weights(&mut self) {
        let reference = match std::mem::take(&mut self.basis) {
            WeightBasis::Own => std::mem::take(&mut self.edge_weights),
            WeightBasis::Other(r) => r.into_iter().map(|(o, w, _)| (o, w)).collect(),
        };
        self.edge_weights.clear();
        self.risk_families.clear();
        self.backhaul = None;
        self.exact.clear();
        self.basis =
            WeightBasis::Other(reference.into_iter().map(|(o, w)| (o, w, std::sync::OnceLock::new())).collect());
    }

    /// The engine for the backhaul planner whose parameters have `fingerprint`, from the data
    /// stored for it ([`StoredBackhaul`]): adopted for other weights (its other objectives
    /// and the families read scaled), with the variant's default-objective weights as its own
    /// and its customization as an exact potential under the default closures. None if this
    /// engine stores none for those parameters (then [`Prepared::adopt_for_other_weights`]).
    pub fn for_backhaul(&self, fingerprint: &str) -> Option<Prepared> {
        let stored = self
            .backhaul
            .as_ref()
            .filter(|b| b.fingerprint == fingerprint && matches!(self.basis, WeightBasis::Own))?;
        let stored = stored.clone();
        let mut out = self.clone();
        out.adopt_for_other_weights();
        out.edge_weights = vec![(FAMILY_OBJECTIVE, stored.weights)];
        out.exact.push((stored.restrictions, FAMILY_OBJECTIVE, stored.customization));
        Some(out)
    }

    /// The factor an objective's customizations are read with for `planner`'s weights: 1.0 if
    /// made for them, 0.0 if no factor is known (they bound nothing then).
    pub fn objective_scale(&self, planner: &(impl Basis + ?Sized), objective: Objective) -> f64 {
        match &self.basis {
            WeightBasis::Own => 1.0,
            WeightBasis::Other(s) => s.iter().find(|(o, _, _)| *o == objective).map_or(0.0, |(_, stored, f)| {
                *f.get_or_init(|| planner.objective_weights(objective).map_or(0.0, |own| weight_ratio(&own, stored)))
            }),
        }
    }

    /// The stored per-edge weights of an objective (for the parameters the file was built with).
    pub fn edge_weights_of(&self, objective: Objective) -> Option<&[u32]> {
        self.edge_weights.iter().find(|(o, _)| *o == objective).map(|(_, w)| &w[..])
    }

    /// The potential sources for a search minimising `metric`, whose weights are at least those
    /// of `objective` (equal, or raised by the alternatives' penalties).
    pub fn potentials(
        &self,
        planner: &(impl Basis + ?Sized),
        objective: Objective,
        metric: Metric,
    ) -> Vec<PotentialSource<'_>> {
        let length_scale = match metric {
            Metric::Length => 1.0,
            // the objective's own weights: the planner has the scale cached
            Metric::PerEdge(w)
                if planner.objective_weights(objective).is_some_and(|own| std::ptr::eq(own.as_slice(), w)) =>
            {
                planner.objective_scale(objective)
            }
            Metric::PerEdge(_) => min_weight_per_metre(planner.net(), metric),
        };
        // customizations made with other parameters count scaled (1.0 for the planner's own)
        let scale = self.objective_scale(planner, objective);
        let own = self.objectives.iter().find(|(o, _, _)| *o == objective).filter(|_| scale > 0.0);
        // the base bound: the objective under the default closures where the query keeps them,
        // else (a query that reopens a default closure) the unrestricted length, scaled
        let mut out = Vec::new();
        // exact customizations first: where they apply they are the tightest, and the search
        // starts from the first that applies
        out.extend(self.exact.iter().filter(|(_, o, _)| *o == objective).map(|(r, _, w)| PotentialSource {
            weights: w,
            scale: 1.0,
            family: Some(*r),
            delta: None,
        }));
        if let Some((_, r, w)) = own {
            out.push(PotentialSource { weights: w, scale, family: Some(*r), delta: None });
        }
        out.push(PotentialSource { weights: &self.length, scale: length_scale, family: None, delta: None });
        if let Some(charges) = planner.cost().charges().filter(|_| objective == FAMILY_OBJECTIVE && own.is_some()) {
            // the premiums of this listing state: exact under the default closures
            let key = crate::risk::areas::charges_fingerprint(charges);
            out.extend(self.risk_families.iter().filter(|(k, _, _)| *k == key).map(|(_, r, w)| PotentialSource {
                weights: w,
                scale: 1.0,
                family: Some(*r),
                delta: None,
            }));
        }
        if objective == FAMILY_OBJECTIVE && own.is_some() {
            // exact for the family's exclusions (the search's weights are the objective's, or
            // raised by penalties)
            out.extend(self.objective_families.iter().map(|(_, r, w)| PotentialSource {
                weights: w,
                scale,
                family: Some(*r),
                delta: None,
            }));
        }
        if let Some((_, _, base)) = own {
            // single exclusions, exact for the objective: its customization changed by each
            out.extend(self.deltas.iter().filter(|(o, _, _, _)| *o == objective).map(|(_, _, r, d)| PotentialSource {
                weights: base,
                scale,
                family: Some(*r),
                delta: Some(d),
            }));
        }
        out.extend(self.families.iter().map(|(_, r, w)| PotentialSource {
            weights: w,
            scale: length_scale,
            family: Some(*r),
            delta: None,
        }));
        out
    }
}
