//! What Today's handlers share: the query, rows of recent days, loading a day, and keeping a check-in typed while the session locked.

use super::*;

/// The query of `GET /today`: `day` (the browser's local date), `saved` (a day just saved),
/// `done` (what just happened).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TodayQuery {
    pub(super) day: String,
    pub(super) saved: String,
    pub(super) done: String,
}

pub(super) fn today_url(today: Day, rest: &str) -> String {
    format!("/today?day={today}{rest}")
}

pub(super) fn note_excerpt(note: &str) -> String {
    const MAX: usize = 160;
    let first: String = note.chars().take(MAX).collect();
    if note.chars().count() > MAX {
        format!("{}…", first.trim_end())
    } else {
        first
    }
}

pub(super) fn day_row(
    item: &Item<CheckIn>,
    goals: &[Item<Goal>],
    words: fn(Day) -> String,
) -> DayRow {
    DayRow {
        words: words(item.value.day),
        id: Some(item.id.to_string()),
        summary: item.value.summary(),
        note: note_excerpt(&item.value.note),
        goals_done: goals
            .iter()
            .filter(|g| g.value.done_on(item.value.day))
            .map(|g| g.value.text.clone())
            .collect(),
    }
}

/// Recent days: every day of the last two weeks with a check-in or a small thing done, newest
/// first. Days with neither are simply absent.
pub(super) fn recent_rows(
    today: Day,
    checkins: &[Item<CheckIn>],
    goals: &[Item<Goal>],
) -> Vec<DayRow> {
    let from = today.minus_days(today::RECENT_DAYS - 1);
    let mut days: Vec<Day> = checkins.iter().map(|c| c.value.day).collect();
    for g in goals {
        days.extend(
            g.value
                .done_days
                .iter()
                .copied()
                .filter(|d| *d >= from && *d <= today.next()),
        );
    }
    days.sort();
    days.dedup();
    days.reverse();
    days.into_iter()
        .map(|d| match checkins.iter().find(|c| c.value.day == d) {
            Some(c) => day_row(c, goals, Day::words),
            None => DayRow {
                words: d.words(),
                id: None,
                summary: Vec::new(),
                note: String::new(),
                goals_done: goals
                    .iter()
                    .filter(|g| g.value.done_on(d))
                    .map(|g| g.value.text.clone())
                    .collect(),
            },
        })
        .collect()
}

/// What a page knows before drawing Today.
pub(super) struct TodayState {
    pub(super) today: Day,
    pub(super) prefs: TodayPrefs,
    pub(super) checkins: Vec<Item<CheckIn>>,
    pub(super) goals: Vec<Item<Goal>>,
}

pub(super) async fn load(
    state: &AppState,
    unlocked: &Unlocked,
    today: Day,
) -> Result<TodayState, ErrorPage> {
    let t = &state.trellis;
    Ok(TodayState {
        today,
        prefs: t.today(unlocked).prefs().await?,
        checkins: t.today(unlocked).recent_checkins(today).await?,
        goals: t.today(unlocked).goals().await?,
    })
}

/// Today, with `form` (or today's check-in, or a new one) and whatever message.
pub(super) fn today_view(chrome: Chrome, s: TodayState, form: Option<CheckInForm>) -> TodayView {
    let todays = s.checkins.iter().find(|c| c.value.day == s.today);
    let form = form.unwrap_or_else(|| {
        let draft = todays.map_or_else(|| Draft::for_day(s.today), |c| c.value.draft());
        CheckInForm::new(
            "/today/checkin".to_owned(),
            draft,
            &s.prefs,
            todays.map(|c| &c.id),
            s.today,
        )
    });
    let row = |g: &Item<Goal>| GoalRow {
        id: g.id.to_string(),
        text: g.value.text.clone(),
        done: g.value.done_on(s.today),
    };
    let ideas = GOAL_IDEAS
        .iter()
        .copied()
        .filter(|idea| {
            !s.goals
                .iter()
                .any(|g| g.value.text.eq_ignore_ascii_case(idea))
        })
        .collect();
    TodayView {
        chrome,
        today: s.today.to_string(),
        today_words: s.today.words(),
        message: None,
        hard: false,
        moment: None,
        joy: None,
        checked_in: todays.is_some(),
        goals: s.goals.iter().filter(|g| g.value.active).map(row).collect(),
        aside: s
            .goals
            .iter()
            .filter(|g| !g.value.active)
            .map(row)
            .collect(),
        ideas,
        goal_text: String::new(),
        goal_problem: None,
        days: recent_rows(s.today, &s.checkins, &s.goals),
        form,
    }
}

/// The typed check-in and what comes with it (which check-in, which day is today, which page).
pub(super) struct Typed {
    pub(super) draft: Draft,
    pub(super) id: String,
    pub(super) today: String,
    pub(super) from_edit: bool,
}

impl Typed {
    pub(super) fn read(form: &FormFields) -> Self {
        Self {
            draft: Draft::read(|f| form.get(f)),
            id: form.get("id").to_owned(),
            today: form.get("today").to_owned(),
            from_edit: form.get("from") == "edit",
        }
    }

    /// The typed check-in, carried by an unlock page.
    pub(super) fn carried_form(&self) -> Kept {
        let mut carried: Vec<(String, String)> = self
            .draft
            .fields()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        carried.push(("id".to_owned(), self.id.clone()));
        carried.push(("today".to_owned(), self.today.clone()));
        if self.from_edit {
            carried.push(("from".to_owned(), "edit".to_owned()));
        }
        Kept {
            what: "your check-in",
            unlock_action: "/today/checkin/unlock",
            carried,
        }
    }

    /// What to keep across a lock: the typed check-in, when anything was answered.
    pub(super) fn kept(&self) -> Option<Kept> {
        self.draft.has_answers().then(|| self.carried_form())
    }
}

/// Validates and saves a typed check-in for an unlocked person: a redirect to Today when
/// saved, else the form again (400) exactly as typed.
pub(super) async fn save_typed(
    state: &AppState,
    chrome: Chrome,
    unlocked: &Unlocked,
    typed: Typed,
) -> Result<Response, ErrorPage> {
    let t = &state.trellis;
    let today = local_today(t.now(), &typed.today);
    let id = match typed.id.trim() {
        "" => None,
        s => Some(crate::handlers::record_id(s)?),
    };
    let prefs = t.today(unlocked).prefs().await?;
    let from_edit = typed.from_edit && id.is_some();
    let action = match (&id, from_edit) {
        (Some(id), true) => format!("/today/{id}"),
        _ => "/today/checkin".to_owned(),
    };
    let mut form = CheckInForm::new(action, typed.draft.clone(), &prefs, id.as_ref(), today);
    form.from_edit = from_edit;
    match read_checkin(&typed.draft, today) {
        Ok(checkin) if checkin.is_blank() && id.is_none() => {
            Ok(Redirect::to(&today_url(today, "&done=blank")).into_response())
        }
        Ok(checkin) if checkin.is_blank() => {
            form.problems.push(Problem {
                field: "mood",
                message: "Every answer is blank now. To remove this check-in, use Delete instead."
                    .to_owned(),
            });
            form_again(state, chrome, unlocked, form, today).await
        }
        Ok(checkin) => match t.today(unlocked).save_checkin(id.as_ref(), &checkin).await? {
            CheckInSaved::Saved(_) => {
                tracing::info!(event = "checkin_saved");
                Ok(
                    Redirect::to(&today_url(today, &format!("&saved={}", checkin.day)))
                        .into_response(),
                )
            }
            CheckInSaved::DayTaken(other) => {
                form.problems.push(Problem {
                    field: "day",
                    message: format!(
                        "There is already a check-in for {}. Your answers are still here: choose another day, \
                         or change that day's check-in instead.",
                        checkin.day.words()
                    ),
                });
                form.taken = Some((other.to_string(), checkin.day.words()));
                form_again(state, chrome, unlocked, form, today).await
            }
            CheckInSaved::NotFound => Err(ErrorPage::not_found()),
        },
        Err(problems) => {
            form.problems = problems;
            form_again(state, chrome, unlocked, form, today).await
        }
    }
}

/// The form shown again with its problems, on the page it came from (400).
pub(super) async fn form_again(
    state: &AppState,
    chrome: Chrome,
    unlocked: &Unlocked,
    form: CheckInForm,
    today: Day,
) -> Result<Response, ErrorPage> {
    if form.from_edit {
        let day_words = Day::parse(form.value("day")).map_or_else(String::new, Day::words);
        let id = form.id.clone().unwrap_or_default();
        return Ok((
            StatusCode::BAD_REQUEST,
            EditView {
                chrome,
                id,
                day_words,
                form,
            },
        )
            .into_response());
    }
    let s = load(state, unlocked, today).await?;
    Ok((StatusCode::BAD_REQUEST, today_view(chrome, s, Some(form))).into_response())
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// On a hard day, what the person asked to see then (each only if turned on): one of their own
/// past good moments (Journal settings) and a note from their joy jar (Progress).
pub(super) async fn add_hard_day_comfort(
    state: &AppState,
    me: &Unlocked,
    today: Day,
    view: &mut TodayView,
) -> Result<(), ErrorPage> {
    view.joy = state
        .trellis
        .progress(me)
        .joy(today)
        .await?
        .map(|(name, note)| (name, note.day.date_words(), note.felt));
    view.moment = state
        .trellis
        .journal(me)
        .past_good_moment()
        .await?
        .map(|m| crate::handlers::journal::MomentView {
            day: Day::of_unix(m.day).date_words(),
            text: m.text,
        });
    Ok(())
}
