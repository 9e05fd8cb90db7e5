//! trellis-core: domain types, rules and use cases. Defines the [`store::Store`] port.
//! No HTTP and no SQL here; sealing and opening happen only in this crate's use cases.

pub mod access;
pub mod calm;
pub mod clock;
pub mod data;
pub mod events;
pub mod helplines;
pub mod ids;
pub mod journal;
pub mod learn;
pub mod mood;
pub mod passphrase;
pub mod progress;
pub mod records;
pub mod recovery;
pub mod safety;
pub mod settings;
pub mod store;
pub mod support;
pub mod text;
pub mod therapy;
pub mod today;
pub mod together;
pub mod trellis;

pub use access::{NewSession, Requester, SessionProblem, SetUp, SetupState, UnlockError, Unlocked};
pub use trellis::{KdfLoad, Policy, ServiceError, Trellis};
