//! What every request shares: the planners (the server's and one per shipped market state), the
//! corridor catalogue, the limits, the job permits and the front end's cache warnings.

use std::sync::Arc;

use corridor::compare::Catalogue;
use corridor::planner::Planner;

use crate::limits::{ApiError, Limits};

/// What every request shares.
pub struct State {
    pub planner: Planner,
    /// Planners of the other shipped market states (same network, indexes and prepared engine;
    /// the shipped parameters of that market, without the server's --params overrides).
    pub markets: Vec<Planner>,
    pub catalogue: Catalogue,
    pub limits: Limits,
    /// One permit per engine job allowed to run at once.
    pub jobs: Arc<tokio::sync::Semaphore>,
    /// The cache warnings the front end reported while loading (shown by `/api/info`).
    pub cache_warnings: fn() -> Vec<String>,
}

impl State {
    pub fn new(planner: Planner, limits: Limits, cache_warnings: fn() -> Vec<String>) -> State {
        let markets = corridor::model::params::MARKETS
            .iter()
            .filter(|(name, _)| *name != planner.params().market.name)
            .filter_map(|(name, _)| {
                let params = corridor::model::params::Params::for_market(name).ok()?;
                let mut p = Planner::with_params(planner.network().clone(), params);
                p.share_engine_of(&planner);
                Some(p)
            })
            .collect();
        State {
            markets,
            planner,
            catalogue: Catalogue::shipped(),
            jobs: Arc::new(tokio::sync::Semaphore::new(limits.workers.max(1))),
            limits,
            cache_warnings,
        }
    }

    /// Which planner serves a request's market state (0 = the server's own, i = markets[i - 1]).
    pub fn market_index(&self, market: Option<&str>) -> Result<usize, ApiError> {
        let Some(m) = market.map(str::trim).filter(|m| !m.is_empty()) else { return Ok(0) };
        let m = m.to_ascii_lowercase();
        if m == self.planner.params().market.name {
            return Ok(0);
        }
        match self.markets.iter().position(|p| p.params().market.name == m) {
            Some(i) => Ok(i + 1),
            None => {
                let known: Vec<&str> = corridor::model::params::MARKETS.iter().map(|(n, _)| *n).collect();
                Err(ApiError::bad(format!("unknown market '{m}' (known: {})", known.join(", "))))
            }
        }
    }

    /// The planner of a market index from [`State::market_index`].
    pub fn planner_of(&self, i: usize) -> &Planner {
        if i == 0 {
            &self.planner
        } else {
            &self.markets[i - 1]
        }
    }
}

/// Which search engine the planner uses (the prepared engine when the front end attached one).
pub fn engine_name(planner: &Planner) -> &'static str {
    if planner.prepared().is_some() {
        "prepared (CCH potentials)"
    } else {
        "bidirectional Dijkstra (run `corridor prepare` for the prepared engine)"
    }
}
