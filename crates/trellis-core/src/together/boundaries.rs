//! Sharing boundaries: the person picks which of their boundaries (Safety) the partner may
//! read. A shared copy holds the group, the words and the state now (never earlier versions),
//! and follows each change; deleting a boundary deletes the copy.

use serde::{Deserialize, Serialize};

use super::*;
use crate::ids::RecordId;
use crate::safety::Boundary;

/// What a partner reads of a shared boundary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedBoundary {
    /// Its group's heading.
    pub group: String,
    /// The words now.
    pub text: String,
    /// "Firm", "For now" or "Revisiting".
    pub state: String,
}

impl SharedBoundary {
    /// The partner's copy of a boundary as it is now.
    pub fn of(boundary: &Boundary) -> Self {
        Self {
            group: boundary.group.name().to_owned(),
            text: boundary.text().to_owned(),
            state: boundary.state().label().to_owned(),
        }
    }
}

/// The item name a shared boundary is kept under.
pub fn boundary_item(id: &RecordId) -> String {
    format!("boundary/{id}")
}

impl Handle<'_, Area> {
    /// Shares exactly the boundaries in `chosen` (of this person's own; other ids are
    /// ignored) and stops sharing the rest. Returns how many are shared now.
    pub async fn share_boundaries(self, chosen: &[RecordId]) -> Result<usize, ServiceError> {
        let mut shared = 0;
        for item in self.trellis.records::<Boundary>(self.me).list().await? {
            let name = boundary_item(&item.id);
            if chosen.contains(&item.id) {
                if self.share(&name, &SharedBoundary::of(&item.value)).await? {
                    shared += 1;
                }
            } else if self.shares(&name).await? {
                self.stop_sharing(&name).await?;
            }
        }
        Ok(shared)
    }

    /// The boundaries the partner shares, with when each was shared.
    pub async fn partner_boundaries(
        self,
    ) -> Result<Vec<SharedWithMe<SharedBoundary>>, ServiceError> {
        self.shared_with_me(|item| item.starts_with("boundary/"))
            .await
    }
}
