//! Events that reach a person's open pages at once (the partner's pause). Each node keeps a
//! channel per person with a page open; [`Trellis::publish`] sends through the store when
//! several nodes share a database (PostgreSQL NOTIFY, every node hears it and delivers it
//! here), or delivers directly when one process owns the data (SQLite). An event names what
//! happened, never anything a person wrote; the page asks for the rest as that person.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::broadcast;

use crate::ids::AccountId;
use crate::trellis::{ServiceError, Trellis};

/// Something that happened for one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Their partner asked for a pause.
    PartnerPaused,
    /// Their partner ended the pause ("I'm ready to talk").
    PartnerResumed,
    /// Their partner shared something, or stopped sharing it, or the link ended.
    SharesChanged,
}

impl Event {
    /// Every event.
    pub const ALL: [Self; 3] = [
        Self::PartnerPaused,
        Self::PartnerResumed,
        Self::SharesChanged,
    ];

    /// Its name on the wire (the event stream, NOTIFY).
    pub fn name(self) -> &'static str {
        match self {
            Self::PartnerPaused => "pause",
            Self::PartnerResumed => "resume",
            Self::SharesChanged => "shared",
        }
    }

    /// From its name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// Channels by person, for the pages open on this node.
#[derive(Default)]
pub struct Hub {
    channels: Mutex<HashMap<AccountId, broadcast::Sender<Event>>>,
}

impl Hub {
    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, broadcast::Sender<Event>>> {
        // A panic while holding this lock leaves only a map of senders: still usable.
        self.channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Listens for this person's events (forgetting channels nobody listens to any more).
    pub fn subscribe(&self, account: &AccountId) -> broadcast::Receiver<Event> {
        let mut channels = self.channels();
        channels.retain(|_, tx| tx.receiver_count() > 0);
        channels
            .entry(account.clone())
            .or_insert_with(|| broadcast::channel(16).0)
            .subscribe()
    }

    /// Hands `event` to this person's open pages on this node, if any.
    pub fn deliver(&self, account: &AccountId, event: Event) {
        if let Some(tx) = self.channels().get(account) {
            // No receiver left: nobody to tell.
            let _ = tx.send(event);
        }
    }
}

impl Trellis {
    /// Listens for this person's events on this node.
    pub fn subscribe(&self, account: &AccountId) -> broadcast::Receiver<Event> {
        self.events.subscribe(account)
    }

    /// Delivers an event heard from another node (or from this one through the database):
    /// `account` and `event` as [`Trellis::publish`] sent them; anything else is ignored.
    pub fn deliver_heard(&self, account: &str, event: &str) {
        if let (Some(account), Some(event)) = (AccountId::parse(account), Event::from_name(event)) {
            self.events.deliver(&account, event);
        }
    }

    /// Tells this person's open pages, on whichever node serves them.
    pub(crate) async fn publish(
        &self,
        account: &AccountId,
        event: Event,
    ) -> Result<(), ServiceError> {
        if !self.store.notify(account, event.name()).await? {
            self.events.deliver(account, event);
        }
        Ok(())
    }
}
