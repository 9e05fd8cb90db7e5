//! Why something typed in the Safety area was not saved.

use super::*;

/// Why something typed in the Safety area was not saved. Each reads as a calm sentence that
/// says the text is still there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SafetyProblem {
    /// The boundary has no words.
    #[error("Please write the boundary in a few words. It can be as short as you like.")]
    BoundaryEmpty,
    /// The boundary is over 1,000 characters.
    #[error("That boundary is longer than 1,000 characters, so it wasn't saved yet. Your words are still below: you could shorten it or split it into two.")]
    BoundaryTooLong,
    /// The new group name is over 60 characters.
    #[error("Please keep the group name to 60 characters or fewer. Your words are still below.")]
    GroupTooLong,
    /// A group key we do not know.
    #[error("Please choose one of the groups in the list, or name a new one.")]
    UnknownGroup,
    /// A state other than firm / for now / revisiting.
    #[error("Please choose firm, for now or revisiting.")]
    UnknownState,
    /// One part of the plan is over 4,000 characters.
    #[error("One part of the plan is longer than 4,000 characters, so the plan wasn't saved yet. Everything you typed is still below.")]
    PlanPartTooLong,
    /// A help-line country we do not have.
    #[error("Please choose a country from the list.")]
    UnknownCountry,
    /// A contact with neither a name nor a number.
    #[error("Please add a name or a number, so you know who this is.")]
    ContactEmpty,
    /// The name is over 100 characters.
    #[error("Please keep the name to 100 characters or fewer. What you typed is still below.")]
    NameTooLong,
    /// The number is over 40 characters.
    #[error("Please keep the number to 40 characters or fewer. What you typed is still below.")]
    PhoneTooLong,
    /// The note is over 500 characters.
    #[error("Please keep the note to 500 characters or fewer. What you typed is still below.")]
    NoteTooLong,
}

/// Why the plan was not saved.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Something typed needs changing first.
    #[error(transparent)]
    Invalid(#[from] SafetyProblem),
    /// The service failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}
