//! The calm pages kept for use offline.

use super::*;

/// The calm pages kept for use offline: every tool, full and shorter, every step.
pub(super) fn offline() -> Offline {
    let mut urls = vec!["/calm".to_owned()];
    for tool in calm::tools() {
        for short in [false, true] {
            let links = Links {
                tool,
                short,
                use_id: None,
                rhythm: None,
            };
            urls.push(links.href(Page::Intro));
            for n in 1..=tool.step_count(short) {
                urls.push(links.href(Page::Step(n)));
            }
            urls.push(links.href(Page::End));
        }
    }
    urls.push(Assets::url("calm.js"));
    let mut sources: Vec<String> = [
        include_str!("../../../templates/calm/base.html"),
        include_str!("../../../templates/calm/list.html"),
        include_str!("../../../templates/calm/intro.html"),
        include_str!("../../../templates/calm/step.html"),
        include_str!("../../../templates/calm/end.html"),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    sources.push(format!("{:?}", calm::tools()));
    Offline { urls, sources }
}
