//! The economic model on top of the network: parameters with their sources ([`params`]) and the
//! per-edge time, cost and emission measures with dwell events ([`cost`]).

pub mod cost;
pub mod params;
