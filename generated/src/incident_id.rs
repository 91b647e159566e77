//! Random incident IDs (RFC 8134 §7.4): `IncidentID` values that reveal nothing.
//!
//! A sequence number (`492382`, `2024-0042`) tells every recipient how many incidents the
//! issuing CSIRT handled, and when; RFC 8134 §7.4 (IODEF implementation report) advises
//! randomized incident IDs instead. [`v2::IncidentIdType::random`] and
//! [`v1::IncidentIdType::random`] draw 128 bits from the operating system's CSPRNG
//! ([`getrandom`](https://docs.rs/getrandom)) and write them as 32 lower-case hex digits: no
//! counter, no clock, no process state, so two IDs say nothing about each other or about the
//! issuer's volume (two equal IDs become likely only after about 2^64 draws).
//!
//! ```
//! use iodef::v2::IncidentIdType;
//! let id = IncidentIdType::random("csirt.example.com")?;
//! assert_eq!(id.name, "csirt.example.com");
//! assert_eq!(id.value.len(), 32);
//! assert!(id.value.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
//! assert_ne!(id.value, IncidentIdType::random("csirt.example.com")?.value);
//! # Ok::<(), iodef::incident_id::RandomError>(())
//! ```

use crate::{v1, v2};
use std::fmt::Write as _;

/// Random bits in an ID: 128, as in a UUID, without the UUID's fixed version bits.
const RANDOM_BYTES: usize = 16;

/// The operating system's random number generator failed (`getrandom`); no ID was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomError(getrandom::Error);

impl std::fmt::Display for RandomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the system random number generator failed: {}", self.0)
    }
}

impl std::error::Error for RandomError {}

/// A fresh random ID value: 128 bits from the OS CSPRNG as 32 lower-case hex digits.
///
/// ```
/// let value = iodef::incident_id::random_value()?;
/// assert_eq!(value.len(), 32);
/// # Ok::<(), iodef::incident_id::RandomError>(())
/// ```
pub fn random_value() -> Result<String, RandomError> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    let mut value = String::with_capacity(2 * RANDOM_BYTES);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(value, "{b:02x}");
    }
    Ok(value)
}

impl v2::IncidentIdType {
    /// An `IncidentID` of the CSIRT `name` (its FQDN, RFC 7970 §3.4) whose value is random
    /// ([`random_value`]): RFC 8134 §7.4's advice, so that the ID leaks no sequence.
    pub fn random(name: impl Into<String>) -> Result<Self, RandomError> {
        Ok(Self {
            name: name.into(),
            value: random_value()?,
            ..Default::default()
        })
    }
}

impl v1::IncidentIdType {
    /// An IODEF 1.0 `IncidentID` of the CSIRT `name` (RFC 5070 §3.3) with a random value
    /// ([`random_value`]).
    pub fn random(name: impl Into<String>) -> Result<Self, RandomError> {
        Ok(Self {
            name: name.into(),
            value: random_value()?,
            ..Default::default()
        })
    }
}
