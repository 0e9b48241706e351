//! Typed errors of the library, each with a machine-readable [`Reason`] ([`Error::reason`]).
//! Messages name things in the library's terms (countries avoided, planned links), never a
//! front end's flag or parameter; each front end words them for its users and maps the reason:
//! the CLI to exit codes ([`Reason::is_bad_input`] exits with 2, the others with 1), the HTTP
//! server to a status and the `reason` of its JSON error body, the Python package to an
//! exception class.

use serde::Serialize;
use thiserror::Error;

/// Why a call failed, for machines: the `reason` of the HTTP API's error body, the CLI's exit
/// code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A place the gazetteer does not know.
    UnknownPlace,
    /// A country code not in the network.
    UnknownCountry,
    /// A passage the maritime network does not have.
    UnknownPassage,
    /// A mode outside rail, road, sea, ferry.
    UnknownMode,
    /// A coordinate out of bounds or unparsable.
    BadCoordinate,
    /// A place that cannot be attached to the network with the allowed modes.
    CannotSnap,
    /// Any other invalid parameter or input file content (scenario, capacity, flows...).
    BadParameter,
    /// An incident file that lacks a column or has an unreadable row.
    BadIncidentFile,
    /// No route under the constraints.
    NoRoute,
    /// The network or cache file is corrupt or of another version.
    BadNetworkFile,
    /// The caller stopped the computation.
    Cancelled,
    /// Reading or writing a file failed.
    Io,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 12] = [
        Reason::UnknownPlace,
        Reason::UnknownCountry,
        Reason::UnknownPassage,
        Reason::UnknownMode,
        Reason::BadCoordinate,
        Reason::CannotSnap,
        Reason::BadParameter,
        Reason::BadIncidentFile,
        Reason::NoRoute,
        Reason::BadNetworkFile,
        Reason::Cancelled,
        Reason::Io,
    ];

    /// The reason's name (as serialized).
    pub fn name(self) -> &'static str {
        match self {
            Reason::UnknownPlace => "unknown_place",
            Reason::UnknownCountry => "unknown_country",
            Reason::UnknownPassage => "unknown_passage",
            Reason::UnknownMode => "unknown_mode",
            Reason::BadCoordinate => "bad_coordinate",
            Reason::CannotSnap => "cannot_snap",
            Reason::BadParameter => "bad_parameter",
            Reason::BadIncidentFile => "bad_incident_file",
            Reason::NoRoute => "no_route",
            Reason::BadNetworkFile => "bad_network_file",
            Reason::Cancelled => "cancelled",
            Reason::Io => "io",
        }
    }

    /// True for failures caused by the caller's input (exit code 2 at the CLI, 4xx over HTTP).
    pub fn is_bad_input(self) -> bool {
        !matches!(self, Reason::NoRoute | Reason::BadNetworkFile | Reason::Cancelled | Reason::Io)
    }
}

/// One exclusion whose lifting makes a route exist (the diagnosis of [`Error::NoRoute`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "lift", rename_all = "snake_case")]
pub enum Lift {
    /// The avoided country allowed.
    AllowCountry { country: String },
    /// The closed passage opened.
    OpenPassage { passage: String },
    /// Planned links allowed.
    AllowPlanned,
    /// The avoided countries' waters crossed.
    CrossWaters,
    /// Every mode allowed.
    AllModes,
}

impl Lift {
    /// In the library's words.
    pub fn describe(&self) -> String {
        match self {
            Lift::AllowCountry { country } => format!("reachable if {country} is allowed"),
            Lift::OpenPassage { passage } => format!("reachable if passage {passage} is open"),
            Lift::AllowPlanned => "reachable with planned links".into(),
            Lift::CrossWaters => "reachable if the avoided countries' waters may be crossed".into(),
            Lift::AllModes => "reachable with all modes".into(),
        }
    }
}

/// The lifts as one hint, each worded by `word`.
pub fn hint_of(lifts: &[Lift], word: impl Fn(&Lift) -> String) -> Option<String> {
    (!lifts.is_empty()).then(|| lifts.iter().map(word).collect::<Vec<_>>().join("; "))
}

/// Everything that can go wrong in the library.
#[derive(Debug, Error)]
pub enum Error {
    /// A place name that the gazetteer does not know; carries the closest suggestions.
    #[error("unknown place '{query}'{}", suggest(.suggestions))]
    UnknownPlace { query: String, suggestions: Vec<String> },
    /// A country code that is not ISO 3166-1 alpha-2 or does not occur in the network.
    #[error("unknown country code '{0}' (expected an ISO 3166-1 alpha-2 code such as RU, IR, BY)")]
    UnknownCountry(String),
    /// A passage name that the maritime network does not have.
    #[error("unknown passage '{name}' (known: {known})")]
    UnknownPassage { name: String, known: String },
    /// A mode name outside rail, road, sea, ferry.
    #[error("unknown mode '{0}' (expected rail, road, sea or ferry)")]
    UnknownMode(String),
    /// A coordinate outside WGS84 bounds or unparsable.
    #[error("invalid coordinate '{0}' (expected 'lat,lon' in degrees, lat in [-90,90], lon in [-180,180])")]
    BadCoordinate(String),
    /// The place cannot be attached to the network with the allowed modes.
    #[error("{0}")]
    CannotSnap(String),
    /// Other invalid query (e.g. the origin lies in an avoided country).
    #[error("{0}")]
    BadQuery(String),
    /// No route satisfies the constraints. `hint` says why, if known; `lifts` are the single
    /// exclusions whose lifting makes a route exist (the hint is then their description), so
    /// that a front end can word them in its own terms.
    #[error("no route from {from} to {to} under the given constraints{}", hint.as_ref().map(|h| format!(": {h}")).unwrap_or_default())]
    NoRoute { from: String, to: String, hint: Option<String>, lifts: Vec<Lift> },
    /// The network file is corrupt, truncated or of another format version.
    #[error("network file: {0}")]
    Format(String),
    /// The caller stopped a long computation (its progress callback asked to).
    #[error("stopped before it finished")]
    Cancelled,
    /// An incident file lacks a column its format needs (see [`crate::risk::load`]).
    #[error("{file}: not a valid {format} file: missing column '{column}' (expected columns include {expected})")]
    MissingColumn { file: String, format: String, column: String, expected: String },
    /// A row of an incident file that cannot be read (bad date, position or number).
    #[error("{file}: line {line}: {message}")]
    BadIncident { file: String, line: usize, message: String },
    /// An I/O error reading or writing a network file.
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", s.join(", "))
    }
}

impl Error {
    /// Why it failed, for machines.
    pub fn reason(&self) -> Reason {
        match self {
            Error::UnknownPlace { .. } => Reason::UnknownPlace,
            Error::UnknownCountry(_) => Reason::UnknownCountry,
            Error::UnknownPassage { .. } => Reason::UnknownPassage,
            Error::UnknownMode(_) => Reason::UnknownMode,
            Error::BadCoordinate(_) => Reason::BadCoordinate,
            Error::CannotSnap(_) => Reason::CannotSnap,
            Error::BadQuery(_) => Reason::BadParameter,
            Error::MissingColumn { .. } | Error::BadIncident { .. } => Reason::BadIncidentFile,
            Error::NoRoute { .. } => Reason::NoRoute,
            Error::Format(_) => Reason::BadNetworkFile,
            Error::Cancelled => Reason::Cancelled,
            Error::Io { .. } => Reason::Io,
        }
    }

    /// True for errors caused by the user's input (exit code 2 at the CLI).
    pub fn is_bad_input(&self) -> bool {
        self.reason().is_bad_input()
    }

    /// A [`Error::NoRoute`] whose hint is the description of `lifts`.
    pub fn no_route(from: String, to: String, lifts: Vec<Lift>) -> Error {
        Error::NoRoute { from, to, hint: hint_of(&lifts, Lift::describe), lifts }
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_named_as_serialized_and_bad_input_as_before() {
        for r in Reason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.name());
        }
        let no_route = Error::no_route("A".into(), "B".into(), vec![Lift::AllowPlanned]);
        assert_eq!(no_route.reason(), Reason::NoRoute);
        assert!(!no_route.is_bad_input());
        assert_eq!(
            no_route.to_string(),
            "no route from A to B under the given constraints: reachable with planned links"
        );
        assert!(Error::BadQuery("x".into()).is_bad_input());
        assert!(Error::MissingColumn {
            file: "f".into(),
            format: "x".into(),
            column: "c".into(),
            expected: "e".into()
        }
        .is_bad_input());
        assert!(!Error::Format("x".into()).is_bad_input());
        assert!(!Error::Cancelled.is_bad_input());
    }
}
