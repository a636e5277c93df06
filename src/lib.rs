//! lmspack: compile a course written as YAML + Markdown into LMS packages.
//!
//! The pipeline is visible in the module tree: [`course`] loads and checks the sources into a typed
//! model, [`render`] turns a module into HTML and the runtime, [`target`] lays out one package per
//! standard, [`package`] zips it reproducibly and atomically, and [`validate`] checks what was built.
//! [`build`] runs the stages; [`cli`] is the only module that prints.

pub mod build;
pub mod cli;
pub mod course;
pub mod diagnostics;
pub mod package;
pub mod paths;
pub mod preview;
pub mod render;
pub mod target;
pub mod validate;
