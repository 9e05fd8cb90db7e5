//! Handlers by area. Each one parses, authorises (through its extractor), calls one use case
//! and renders.

pub mod access;
pub mod calm;
pub mod help;
pub mod home;
pub mod journal;
pub mod safety;
pub mod settings;
pub mod support;
pub mod today;
