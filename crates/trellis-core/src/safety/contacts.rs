//! Trusted contacts and the digits dialled for them.

use super::*;

/// Someone the person trusts, with a number to call or text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedContact {
    /// Name (up to 100 characters).
    #[serde(default)]
    pub name: String,
    /// Number exactly as typed (up to 40 characters).
    #[serde(default)]
    pub phone: String,
    /// A note (up to 500 characters).
    #[serde(default)]
    pub note: String,
}

impl RecordKind for TrustedContact {
    const KIND: &'static str = "trusted_contact";
    const SCHEMA_VERSION: u16 = 1;
}

impl TrustedContact {
    /// Checks what was typed (trimmed): a name or a number, each within its limit.
    pub fn new(name: &str, phone: &str, note: &str) -> Result<Self, SafetyProblem> {
        let name = Bounded::<NAME_MAX_CHARS>::new(name).map_err(|_| SafetyProblem::NameTooLong)?;
        let phone =
            Bounded::<PHONE_MAX_CHARS>::new(phone).map_err(|_| SafetyProblem::PhoneTooLong)?;
        let note = Bounded::<NOTE_MAX_CHARS>::new(note).map_err(|_| SafetyProblem::NoteTooLong)?;
        if name.is_empty() && phone.is_empty() {
            return Err(SafetyProblem::ContactEmpty);
        }
        Ok(Self {
            name: name.into_string(),
            phone: phone.into_string(),
            note: note.into_string(),
        })
    }

    /// The number to dial, for `tel:` and `sms:` links (None when there is none).
    pub fn dial(&self) -> Option<String> {
        dial_digits(&self.phone)
    }
}

/// The digits to dial for a number as people write it: digits only, with a leading `+` kept,
/// and the "(0)" that some countries write after the country code dropped
/// ("+44 (0)7700 900123" → "+447700900123"). None when fewer than three digits remain.
pub fn dial_digits(typed: &str) -> Option<String> {
    let typed = typed.trim();
    let plus = typed.starts_with('+');
    let without_trunk = if plus {
        typed.replacen("(0)", "", 1)
    } else {
        typed.to_owned()
    };
    let digits: String = without_trunk.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return None;
    }
    Some(if plus { format!("+{digits}") } else { digits })
}

impl Handle<'_, Area> {
    /// Every trusted contact, by name.
    pub async fn contacts(self) -> Result<Vec<Item<TrustedContact>>, ServiceError> {
        let unlocked = self.me;
        let mut items = self
            .trellis
            .records::<TrustedContact>(unlocked)
            .list()
            .await?;
        items.sort_by(|a, b| {
            (a.value.name.to_lowercase(), &a.value.phone, a.id.as_str()).cmp(&(
                b.value.name.to_lowercase(),
                &b.value.phone,
                b.id.as_str(),
            ))
        });
        Ok(items)
    }

    /// One trusted contact (None when unknown or someone else's).
    pub async fn contact(
        self,
        id: &RecordId,
    ) -> Result<Option<Item<TrustedContact>>, ServiceError> {
        let unlocked = self.me;
        self.trellis
            .records::<TrustedContact>(unlocked)
            .get(id)
            .await
    }

    /// Adds a trusted contact.
    pub async fn add_contact(self, contact: &TrustedContact) -> Result<RecordId, ServiceError> {
        self.trellis.records(self.me).add(contact).await
    }

    /// Changes a trusted contact. False (nothing changed) when the id is unknown or someone
    /// else's.
    pub async fn change_contact(
        self,
        id: &RecordId,
        contact: &TrustedContact,
    ) -> Result<bool, ServiceError> {
        self.trellis.records(self.me).replace(id, contact).await
    }

    /// Deletes a trusted contact. False (nothing changed) when the id is unknown or someone
    /// else's.
    pub async fn delete_contact(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis
            .records::<TrustedContact>(self.me)
            .delete(id)
            .await
    }
}
