//! Trusted contacts, changed with the passphrase asked again.

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
    current: Secret,
}

/// `POST /safety/contacts`: adds one (passphrase again).
pub async fn add_contact(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<ContactFields>,
) -> Result<Response, ErrorPage> {
    let safety = state.trellis.safety(&me.unlocked);
    let result = match form.contact() {
        Ok(c) => safety.add_contact(form.current.as_str(), &me.ctx.requester, &c).await,
        Err(p) => Err(p.into()),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/safety/contacts#c-{id}")).into_response()),
        Err(e) => {
            let problem = step_up_problem(e)?;
            let contacts = contact_rows(&state, &me.unlocked).await?;
            Ok(bad(ContactsView {
                chrome: me.ctx.chrome,
                contacts,
                form: contact_form(&form),
                problem: Some(problem),
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
        section: "",
        problem: None,
    }
    .into_response())
}

/// `POST /safety/contacts/{id}`: changes one (passphrase again).
pub async fn change_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
    Form(form): Form<ContactFields>,
) -> Result<Response, ErrorPage> {
    let safety = state.trellis.safety(&me.unlocked);
    let result = match form.contact() {
        Ok(c) => {
            safety
                .change_contact(&item.id, form.current.as_str(), &me.ctx.requester, &c)
                .await
        }
        Err(p) => Err(p.into()),
    };
    match result {
        Ok(true) => Ok(Redirect::to(&format!("/safety/contacts#c-{}", item.id)).into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(e) => Ok(bad(ContactEditView {
            chrome: me.ctx.chrome,
            id: item.id.to_string(),
            form: contact_form(&form),
            section: "change",
            problem: Some(step_up_problem(e)?),
        })),
    }
}



/// `POST /safety/contacts/{id}/delete`: removes one (passphrase again).
pub async fn delete_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
    Form(form): Form<Confirm>,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .safety(&me.unlocked).delete_contact(
            &item.id,
            form.current.as_str(),
            &me.ctx.requester,
        )
        .await
    {
        Ok(true) => Ok(Redirect::to("/safety/contacts").into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(e) => {
            let c = item.value;
            Ok(bad(ContactEditView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: ContactForm {
                    name: c.name,
                    phone: c.phone,
                    note: c.note,
                },
                section: "delete",
                problem: Some(step_up_problem(e)?),
            }))
        }
    }
}
