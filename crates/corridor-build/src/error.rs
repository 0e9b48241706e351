//! Errors of the build (their own module, so that the readers in `sources` do not depend on
//! the crate root that uses them).

/// Errors of the build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("input: {0}")]
    Input(String),
    #[error("curated data: {0}")]
    Curated(String),
    #[error(transparent)]
    Network(#[from] corridor::Error),
}
