//! Analyses that answer a whole question from many routes, each returning a typed report that
//! is the JSON of every front end (CLI `--format json`, HTTP API, Python).
//!
//! * [`capacity`]: how much the corridors can carry between a set of origin/destination pairs
//!   (maximum flow with its minimum cut per corridor and for all together) and, given a demand
//!   per pair, the least-cost assignment within the capacities.
//!
//! * [`elements`]: the one model of the elements on a route (countries, passages, ports, curated
//!   links, border crossings, with the one border-crossing radius) that criticality, capacity and
//!   scenarios share.
//!
//! (Comparison, scenarios and criticality live in `compare`, `scenario` and `critical`; they
//! move here as the library-first restructuring continues.)

pub mod capacity;
pub mod elements;
