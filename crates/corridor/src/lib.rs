//! `corridor`: multimodal freight route planning across Eurasia with exact per-query exclusions.
//!
//! Data flows one way through the modules of this crate:
//!
//! * [`network`]: the in-memory multimodal graph (rail, road, sea, port hubs, ferries, transfers),
//!   its compact file format and spatial lookup. One representation shared by every layer.
//! * [`engine`]: shortest paths under [`engine::Restrictions`] (avoided countries, closed passages,
//!   allowed modes, planned links). Pure computation, no I/O.
//! * [`places`]: the gazetteer (cities, ports, curated corridor places) and query parsing.
//! * [`route`]: turns a path into an explained route (legs, countries, borders, passages).
//! * [`planner`]: the high-level "route from A to B via C under these constraints" API used by the
//!   CLI and tests; it snaps places to the network and chains engine searches.
//! * [`scenario`], [`capacity`], [`flow`], [`od`]: what-if analyses (scenario files applied to
//!   the network, parameters and capacities; corridor capacity by max-flow/min-cut and min-cost
//!   assignment of a demand matrix; origin/destination files).
//! * [`risk`]: threats to routes: incidents, the risk field on every edge, listed high-risk waters,
//!   war-risk premiums in the cost, exposure reports (`docs/risk.md`).
//!
//! The crate never prints and never reads files except through [`network::format`], which takes
//! bytes or a path given by the caller, and, with the `embedded` feature, `embedded`: the
//! network shipped in the build and the cache files `corridor prepare` writes (memory-mapped).

pub mod analysis;
pub mod capacity;
pub mod col;
pub mod compare;
pub mod critical;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod engine;
pub mod error;
pub mod flow;
pub mod gas;
pub mod geo;
pub mod hash;
pub mod model;
pub mod network;
pub mod od;
pub mod places;
pub mod planner;
pub mod prepared;
pub mod qa;
pub mod report;
pub mod request;
pub mod risk;
pub mod route;
pub mod scenario;
#[doc(hidden)]
pub mod testing;
pub mod validation;

pub use error::{Error, Result};
pub use network::Network;
