//! The names the demo's generated people are drawn from (common Finnish and Swedish first and last
//! names), and how a name becomes the local part of an email address.

pub(super) const FI_FIRST: [&str; 32] = [
    "Maija", "Anna", "Liisa", "Aino", "Helmi", "Sanna", "Katja", "Elina", "Johanna", "Tiina", "Riikka", "Noora",
    "Laura", "Heidi", "Minna", "Satu", "Mikko", "Juha", "Timo", "Jari", "Ville", "Antti", "Matti", "Pekka", "Janne",
    "Sami", "Tuomas", "Olli", "Eero", "Lauri", "Jukka", "Kalle",
];
pub(super) const FI_LAST: [&str; 32] = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Lindholm",
    "Grönroos",
];
pub(super) const SV_FIRST: [&str; 32] = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ingrid", "Malin", "Sofia", "Johanna",
    "Linnea", "Hanna", "Frida", "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Jonas", "Mikael", "Olof",
    "Fredrik", "Gustav", "Henrik", "Magnus", "Oskar", "Viktor",
];
pub(super) const SV_LAST: [&str; 32] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
];

/// Folds a name into the letters of an email address (ä -> a, ö -> o, å -> a).
pub(super) fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            'ä' | 'Ä' | 'å' | 'Å' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
