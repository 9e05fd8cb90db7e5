//! What the binary's tests share.
#![allow(dead_code)]

use std::process::Output;

/// Everything a command printed, standard output then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
