//! Trusted contacts.

use super::*;

impl ContactFields {
    /// The contact as typed, if it can be kept.
    fn contact(&self) -> Result<TrustedContact, SafetyProblem> {
        TrustedContact::new(&self.name, &self.phone, &self.note)
    }
}

pub(super) fn contact_form(form: &ContactFields) -> ContactForm {
    ContactForm {
        name: form.name.clone(),
        phone: form.phone.clone(),
        note: form.note.clone(),
    }
}

/// `GET /safety/contacts`.
pub async fn contacts(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(ContactsView {
        chrome: me.ctx.chrome,
        contacts,
        form: ContactForm::default(),
        problem: None,
    }
    .into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ContactFields {
    name: String,
    phone: String,
    note: String,
}

/// `POST /safety/contacts`: adds one.
pub async fn add_contact(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<ContactFields>,
) -> Result<Response, ErrorPage> {
    match form.contact() {
        Ok(c) => {
            let id = state.trellis.safety(&me.unlocked).add_contact(&c).await?;
            Ok(Redirect::to(&format!("/safety/contacts#c-{id}")).into_response())
        }
        Err(problem) => {
            let contacts = contact_rows(&state, &me.unlocked).await?;
            Ok(bad(ContactsView {
                chrome: me.ctx.chrome,
                contacts,
                form: contact_form(&form),
                problem: Some(problem.to_string()),
            }))
        }
    }
}

/// `GET /safety/contacts/{id}/edit`.
pub async fn edit_contact(Own { me, item }: Own<TrustedContact>) -> Result<Response, ErrorPage> {
    let c = item.value;
    Ok(ContactEditView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        form: ContactForm {
            name: c.name,
            phone: c.phone,
            note: c.note,
        },
        problem: None,
    }
    .into_response())
}

/// `POST /safety/contacts/{id}`: changes one.
pub async fn change_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
    Form(form): Form<ContactFields>,
) -> Result<Response, ErrorPage> {
    match form.contact() {
        Ok(c) => {
            crate::handlers::found(
                state
                    .trellis
                    .safety(&me.unlocked)
                    .change_contact(&item.id, &c)
                    .await?,
            )?;
            Ok(Redirect::to(&format!("/safety/contacts#c-{}", item.id)).into_response())
        }
        Err(problem) => Ok(bad(ContactEditView {
            chrome: me.ctx.chrome,
            id: item.id.to_string(),
            form: contact_form(&form),
            problem: Some(problem.to_string()),
        })),
    }
}

/// `POST /safety/contacts/{id}/delete`: removes one.
pub async fn delete_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
) -> Result<Response, ErrorPage> {
    crate::handlers::found(
        state
            .trellis
            .safety(&me.unlocked)
            .delete_contact(&item.id)
            .await?,
    )?;
    Ok(Redirect::to("/safety/contacts").into_response())
}
