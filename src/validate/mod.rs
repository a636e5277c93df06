//! Validate: check packages against the official schemas and the rules LMSs enforce.

pub mod references;
pub mod xsd;
