//! The areas of Trellis: one registry, used by the home page and by settings
//! (where each area can be hidden).

/// One area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    /// Stable key, stored in the profile when hidden.
    pub key: &'static str,
    /// Where it lives.
    pub href: &'static str,
    /// Its name.
    pub name: &'static str,
    /// One gentle line about it.
    pub about: &'static str,
    /// Whether the person may hide it. Help now and Calm now stay reachable from the
    /// header on every page whatever is chosen here.
    pub hideable: bool,
}

/// Every area, in home-page order.
pub const AREAS: &[Area] = &[
    // --- Today (issue 3) ---
    Area {
        key: "today",
        href: "/today",
        name: "Today",
        about: "A gentle check-in and small things to do today.",
        hideable: true,
    },
    // --- Calm now (issue 3) ---
    Area {
        key: "calm",
        href: "/calm",
        name: "Calm now",
        about: "Grounding, breathing and gentle movement, whenever you need them.",
        hideable: true,
    },
    // --- Journal (issue 4) ---
    Area {
        key: "journal",
        href: "/journal",
        name: "Journal",
        about: "Write freely, or use a gentle prompt. Only you can read it.",
        hideable: true,
    },
    // --- Safety (issue 4) ---
    Area {
        key: "safety",
        href: "/safety",
        name: "Safety",
        about: "Your boundaries, your safety plan and the people you trust.",
        hideable: true,
    },
    // --- Support (issue 4) ---
    Area {
        key: "support",
        href: "/support",
        name: "Support",
        about: "The people and services that support you.",
        hideable: true,
    },
    Area {
        key: "help",
        href: "/help",
        name: "Help now",
        about: "People to call, text or chat with, any time.",
        hideable: true,
    },
    Area {
        key: "settings",
        href: "/settings",
        name: "Settings",
        about: "Passphrase, auto-lock, name, areas and devices.",
        hideable: false,
    },
];

/// The areas shown, given the keys the person hid.
pub fn visible(hidden: &[String]) -> impl Iterator<Item = &'static Area> + '_ {
    AREAS
        .iter()
        .filter(move |a| !a.hideable || !hidden.iter().any(|h| h == a.key))
}

/// Whether `key` names a hideable area.
pub fn is_hideable(key: &str) -> bool {
    AREAS.iter().any(|a| a.key == key && a.hideable)
}
