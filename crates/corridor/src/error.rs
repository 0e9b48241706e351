//! Typed errors of the library. The CLI renders them for people and maps them to exit codes:
//! [`Error::is_bad_input`] errors exit with 2, [`Error::NoRoute`] with 1.

use thiserror::Error;

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
    /// No route satisfies the constraints. `hint` says which single exclusion blocks it, if known.
    #[error("no route from {from} to {to} under the given constraints{}", hint.as_ref().map(|h| format!(": {h}")).unwrap_or_default())]
    NoRoute { from: String, to: String, hint: Option<String> },
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
    /// True for errors caused by the user's input (exit code 2 at the CLI).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::UnknownPlace { .. }
                | Error::UnknownCountry(_)
                | Error::UnknownPassage { .. }
                | Error::UnknownMode(_)
                | Error::BadCoordinate(_)
                | Error::CannotSnap(_)
                | Error::BadQuery(_)
                | Error::MissingColumn { .. }
                | Error::BadIncident { .. }
        )
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
