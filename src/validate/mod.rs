//! Package validation.

pub mod xsd;
