//! The readable half of an export: each area's records as plain Markdown, drawn from the
//! opened JSON itself (so a field added later is never left out), in words where Trellis has
//! them: times as dates, moods and check-in answers as the words the person chose them by.

use serde_json::Value;

use super::export::ExportRecord;
use super::kinds::{exported, EXPORTED, FILES};

/// The Markdown files of an export, each with its content, in the order of [`EXPORTED`].
pub(super) fn files(records: &[ExportRecord]) -> Vec<(&'static str, String)> {
    let mut files: Vec<(&'static str, String)> = Vec::new();
    for kind in EXPORTED {
        let of_kind: Vec<&ExportRecord> = records.iter().filter(|r| r.kind == kind.kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let at = match files.iter().position(|(f, _)| *f == kind.file) {
            Some(at) => at,
            None => {
                files.push((kind.file, format!("# {}\n", file_title(kind.file))));
                files.len() - 1
            }
        };
        let text = &mut files[at].1;
        for r in of_kind {
            text.push_str(&format!("\n## {} ({})\n\n", kind.title, r.created_on));
            write_value(text, &readable(&r.kind, &r.value), 0);
        }
    }
    let others: Vec<&ExportRecord> = records
        .iter()
        .filter(|r| exported(&r.kind).is_none())
        .collect();
    if !others.is_empty() {
        let mut text = "# Other\n".to_owned();
        for r in others {
            text.push_str(&format!("\n## {} ({})\n\n", r.kind, r.created_on));
            write_value(&mut text, &r.value, 0);
        }
        files.push(("other.md", text));
    }
    files
}

/// Fields kept as Unix seconds (besides any `…_at`).
const TIMES: &[&str] = &["taken", "added"];

/// `value` with its top-level fields in words where Trellis has them: times (`…_at`, `taken`,
/// `added`) as "21 November 2026, 14:05 UTC", a mood as its word, a check-in's answers under
/// their questions; the mood scale's version, which only Trellis reads, left out.
fn readable(kind: &str, value: &Value) -> Value {
    use crate::mood::{Before, MoodScale};
    let Value::Object(fields) = value else {
        return value.clone();
    };
    let area = match kind {
        "checkin" => Some(Before::Today),
        "journal_entry" | "journal_draft" => Some(Before::Journal),
        _ => None,
    };
    let scale: MoodScale = fields
        .get("scale")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_else(MoodScale::before);
    let mut out = serde_json::Map::new();
    for (key, v) in fields {
        let n = v.as_i64();
        match (key.as_str(), n) {
            ("scale", _) if area.is_some() => {}
            (k, _) if kind == "checkin" && checkin_answer(k, v).is_some() => {
                if let Some((legend, word)) = checkin_answer(k, v) {
                    out.insert(legend.to_owned(), Value::String(word.to_owned()));
                }
            }
            ("mood", Some(m)) if area.is_some() => {
                let word = u8::try_from(m)
                    .ok()
                    .zip(area)
                    .and_then(|(m, a)| scale.read(a, m))
                    .and_then(crate::mood::mood_word);
                out.insert(
                    key.clone(),
                    word.map_or(v.clone(), |w| Value::String(w.to_owned())),
                );
            }
            (k, Some(t)) if (k.ends_with("_at") || TIMES.contains(&k)) && t > 0 => {
                out.insert(key.clone(), Value::String(time_words(t)));
            }
            _ => {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// A check-in field answered with one of its question's choices: the question and the word.
fn checkin_answer(field: &str, v: &Value) -> Option<(&'static str, &'static str)> {
    let q = crate::today::QUESTIONS.iter().find(|q| q.field == field)?;
    let typed = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let choice = q.choices.iter().find(|c| c.value == typed)?;
    Some((q.legend, choice.word))
}

/// Unix seconds as "21 November 2026, 14:05 UTC".
fn time_words(t: i64) -> String {
    let day = crate::clock::Day::of_unix(t).date_words();
    let secs = t.rem_euclid(86_400);
    format!("{day}, {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

fn file_title(file: &str) -> &'static str {
    FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map_or("Other", |(_, title)| title)
}

/// A field name as words: `written_at` → `Written at`.
fn words(key: &str) -> String {
    let mut s = key.replace('_', " ");
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.contains('\n') => Some(s.clone()),
        Value::Bool(true) => Some("yes".to_owned()),
        Value::Bool(false) => Some("no".to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    match value {
        Value::Object(fields) => {
            for (key, v) in fields.iter().filter(|(_, v)| !is_empty(v)) {
                match (v, scalar(v)) {
                    (_, Some(s)) => out.push_str(&format!("{indent}- **{}**: {s}\n", words(key))),
                    (Value::String(text), None) => {
                        out.push_str(&format!("{indent}- **{}**:\n\n", words(key)));
                        for line in text.lines() {
                            out.push_str(&format!("{indent}  > {line}\n"));
                        }
                        out.push('\n');
                    }
                    (Value::Array(items), None) if items.iter().all(|i| scalar(i).is_some()) => {
                        let list: Vec<String> = items.iter().filter_map(scalar).collect();
                        out.push_str(&format!(
                            "{indent}- **{}**: {}\n",
                            words(key),
                            list.join(", ")
                        ));
                    }
                    _ => {
                        out.push_str(&format!("{indent}- **{}**:\n", words(key)));
                        write_value(out, v, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match scalar(item) {
                    Some(s) => out.push_str(&format!("{indent}- {s}\n")),
                    None => {
                        out.push_str(&format!("{indent}-\n"));
                        write_value(out, item, depth + 1);
                    }
                }
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push_str(&format!("{indent}{s}\n"));
            } else if let Value::String(text) = other {
                out.push_str(&format!("{text}\n"));
            }
        }
    }
}
