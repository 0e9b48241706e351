//! FNV-1a (64-bit): the one content hash behind version strings and fingerprints (the network
//! version, the lookup-index key, the parameters' fingerprint, a scenario's fingerprint). It
//! names content; it does not protect it against deliberate change.
//!
//! (`crates/corridor-cli/build.rs` keeps its own three-line copy: a build script cannot use the
//! library it builds against without compiling it twice.)

/// The FNV-1a offset basis.
const OFFSET: u64 = 0xcbf29ce484222325;
/// The FNV-1a prime.
const PRIME: u64 = 0x100000001b3;

/// An FNV-1a hasher fed in pieces.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(OFFSET)
    }
}

impl Fnv64 {
    /// A hasher whose start differs by `salt` (e.g. a layout version), so that the same bytes
    /// under another layout hash differently.
    pub fn salted(salt: u64) -> Fnv64 {
        Fnv64(OFFSET ^ salt)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }

    /// The hash as 16 lowercase hex digits (the form versions and fingerprints are shown in).
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The FNV-1a hash of `bytes` as 16 hex digits.
pub fn fnv64_hex(bytes: &[u8]) -> String {
    let mut h = Fnv64::default();
    h.write(bytes);
    h.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // published FNV-1a 64 test vectors
        assert_eq!(fnv64_hex(b""), "cbf29ce484222325");
        assert_eq!(fnv64_hex(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fnv64_hex(b"foobar"), "85944171f73967e8");
        let mut h = Fnv64::default();
        h.write(b"foo");
        h.write(b"bar");
        assert_eq!(h.hex(), "85944171f73967e8", "pieces hash as the whole");
    }
}
