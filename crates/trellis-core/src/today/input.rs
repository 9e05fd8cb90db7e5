//! Reading a check-in form: every field optional, every problem named calmly.

use super::*;

/// A check-in form exactly as typed (field → text), so it can be shown again unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft(pub(super) BTreeMap<&'static str, String>);

impl Draft {
    /// Reads the check-in fields through `get` ("" when absent).
    pub fn read<'a>(get: impl Fn(&str) -> &'a str) -> Self {
        Self(FIELDS.iter().map(|&f| (f, get(f).to_owned())).collect())
    }

    /// A new form for `day`, nothing answered.
    pub fn for_day(day: Day) -> Self {
        CheckIn::empty(day).draft()
    }

    /// A field's text ("" when absent).
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    /// Every field and its text (to carry a form through unlocking).
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// Whether anything besides the day was typed or chosen.
    pub fn has_answers(&self) -> bool {
        self.0
            .iter()
            .any(|(k, v)| *k != "day" && !v.trim().is_empty())
    }

    /// Which followable items were answered in this form.
    pub fn answered_items(&self) -> Vec<Followed> {
        Followed::ALL
            .into_iter()
            .filter(|i| {
                let fields: &[&str] = match i {
                    Followed::Sleep => &["sleep_hours", "sleep_quality"],
                    _ => &[i.key()],
                };
                fields.iter().any(|f| !self.get(f).trim().is_empty())
            })
            .collect()
    }
}

/// Something in a check-in form that needs a small change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field.
    pub field: &'static str,
    /// Calm words about it.
    pub message: String,
}

pub(super) fn choice_value(
    field: &'static str,
    raw: &str,
) -> Result<Option<&'static str>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let q = question(field).ok_or_else(|| Problem {
        field,
        message: String::new(),
    })?;
    q.choices
        .iter()
        .find(|c| c.value == raw)
        .map(|c| Some(c.value))
        .ok_or_else(|| Problem {
            field,
            message: format!(
                "For \u{201c}{}\u{201d}, please choose one of the answers, or Skip.",
                q.legend
            ),
        })
}

pub(super) fn number_choice(field: &'static str, raw: &str) -> Result<Option<u8>, Problem> {
    // The choices of numeric questions are numbers, so this parse cannot fail once accepted.
    Ok(choice_value(field, raw)?.and_then(|v| v.parse().ok()))
}

/// Reads "7", "7.5" or "7,5" as half hours, rounded to the nearest half hour.
pub(super) fn sleep_half_hours(raw: &str) -> Result<Option<u8>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let problem = || Problem {
        field: "sleep_hours",
        message: "Please write the hours of sleep as a number from 0 to 24, like 7 or 7.5."
            .to_owned(),
    };
    if raw.len() > 8
        || !raw
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(problem());
    }
    let hours: f64 = raw.replace(',', ".").parse().map_err(|_| problem())?;
    if !(0.0..=24.0).contains(&hours) {
        return Err(problem());
    }
    // In range 0..=48 after the check above, so the cast keeps the value.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "0 ≤ hours·2 ≤ 48"
    )]
    let half = (hours * 2.0).round() as u8;
    Ok(Some(half))
}

/// Reads a check-in form. `today` is the person's today: a day after it is refused (a day
/// ahead of it is allowed, for people whose date is already tomorrow). On problems, every one
/// is returned so the form can be shown again as typed.
pub fn read_checkin(draft: &Draft, today: Day) -> Result<CheckIn, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut ok = |r: Result<Option<u8>, Problem>| match r {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let mood = ok(number_choice("mood", draft.get("mood")));
    let sleep_half_hours = ok(sleep_half_hours(draft.get("sleep_hours")));
    let sleep_quality = ok(number_choice("sleep_quality", draft.get("sleep_quality")));
    let startle = ok(number_choice("startle", draft.get("startle")));
    let numb = ok(number_choice("numb", draft.get("numb")));
    let urge = ok(number_choice("urge", draft.get("urge")));
    let mut named = |field: &'static str| match choice_value(field, draft.get(field)) {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let nightmares = named("nightmares").map(|v| match v {
        "many" => Nightmares::Many,
        "some" => Nightmares::Some,
        _ => Nightmares::None,
    });
    let touch = named("touch").map(|v| match v {
        "yes" => Touch::Yes,
        "ask" => Touch::Ask,
        _ => Touch::No,
    });
    let connected = named("connected").map(|v| v == "yes");
    let note = draft.get("note").replace("\r\n", "\n").trim().to_owned();
    let note_chars = note.chars().count();
    if note_chars > NOTE_MAX_CHARS {
        problems.push(Problem {
            field: "note",
            message: format!(
                "The note can be up to 2,000 characters, and this one has {}. Everything you wrote is \
                 still here, so you can shorten it.",
                thousands(note_chars)
            ),
        });
    }
    let typed_day = draft.get("day").trim();
    let day = match checkin_day(typed_day) {
        Some(d) if d > today.next() => {
            problems.push(Problem {
                field: "day",
                message: "That date is still to come. Please choose today or an earlier day."
                    .to_owned(),
            });
            None
        }
        Some(d) => Some(d),
        None if typed_day.is_empty() => Some(today),
        None => {
            problems.push(Problem {
                field: "day",
                message: format!("Please choose a date, written like {today}."),
            });
            None
        }
    };
    match day {
        Some(day) if problems.is_empty() => Ok(CheckIn {
            day,
            mood,
            scale: MoodScale::ONE,
            sleep_half_hours,
            sleep_quality,
            nightmares,
            startle,
            numb,
            touch,
            urge,
            connected,
            note,
        }),
        _ => Err(problems),
    }
}

/// 2000 → "2,000".
pub(super) fn thousands(n: usize) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|g| g.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

// ---------------------------------------------------------------------------------------------
// Preferences and goals
// ---------------------------------------------------------------------------------------------
