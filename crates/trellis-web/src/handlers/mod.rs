//! Handlers by area. Each one parses, authorises (through its extractor), calls one use case
//! and renders.

pub mod access;
pub mod help;
pub mod home;
pub mod settings;
