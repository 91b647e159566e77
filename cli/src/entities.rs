//! `--expand-entities`: opt-in expansion of internal DOCTYPE entities before reading
//! ([`iodef::rt::entities`]), and the hint naming the flag when a DOCTYPE is refused without it.

use std::borrow::Cow;

use clap::Args;
use iodef::rt::entities::{expand_internal_entities, EntityLimits};
use iodef::{Error, ErrorKind};

/// The command-line flag, named in the hint.
pub const FLAG: &str = "--expand-entities";

/// `--expand-entities`, shared by `convert` and `validate`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct EntityArgs {
    /// Accept a DOCTYPE whose internal subset declares internal entities (`<!ENTITY name
    /// "text">`) and expand their references, within limits (1,000 declarations, references
    /// nested 8 deep, 10,000 references, 1 MiB of expanded text). External subsets, external
    /// and parameter entities are still refused; nothing is ever fetched. Without it any
    /// DOCTYPE is refused.
    #[arg(long)]
    pub expand_entities: bool,
}

impl EntityArgs {
    /// The expansion limits when the flag is given.
    pub fn limits(&self) -> Option<EntityLimits> {
        self.expand_entities.then(EntityLimits::default)
    }
}

/// `input` with its internal entities expanded when `limits` is given, else `input` itself.
pub fn expand<'a>(input: &'a [u8], limits: Option<&EntityLimits>) -> Result<Cow<'a, [u8]>, Error> {
    match limits {
        Some(limits) => expand_internal_entities(input, limits),
        None => Ok(Cow::Borrowed(input)),
    }
}

/// A DOCTYPE refused because expansion was not asked for: the message names the flag.
pub fn hint(mut e: Error, limits: Option<&EntityLimits>) -> Error {
    if e.kind == ErrorKind::Doctype && limits.is_none() {
        e.message
            .push_str(&format!(" (use {FLAG} to expand internal entities)"));
    }
    e
}
