//! Load: course sources → a checked, typed [`model::Course`].

pub mod blocks;
pub mod budget;
pub mod load;
pub mod markdown;
pub mod model;
pub mod raw;
pub mod stats;
pub mod yaml;

pub use load::{load, LoadError, Loaded};
pub use model::Course;
