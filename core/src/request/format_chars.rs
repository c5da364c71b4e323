//! Unicode format characters (general category Cf): invisible, yet they make an id
//! differ from the one it looks like (`ab` vs `a\u{200B}b`) or reorder how it is shown
//! (U+202E). The standard library has no category lookup, hence this table.

/// Every Cf range of Unicode 15.1, inclusive, sorted.
const FORMAT_RANGES: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` is a format character (general category Cf).
pub(crate) fn is_format(c: char) -> bool {
    // Everything below U+00AD is ASCII or Latin-1 without a Cf: skip the search.
    c >= '\u{00AD}'
        && FORMAT_RANGES
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spoofing_characters_are_format_characters() {
        let listed = ['\u{00AD}', '\u{FEFF}']
            .into_iter()
            .chain('\u{200B}'..='\u{200F}')
            .chain('\u{202A}'..='\u{202E}')
            .chain('\u{2060}'..='\u{2064}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{E0001}', '\u{E007F}', '\u{0600}', '\u{1D17A}']);
        for c in listed {
            assert!(is_format(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn ordinary_characters_are_not() {
        for c in [
            'a', 'é', '中', '-', ' ', '\u{00AC}', '\u{00AE}', '\u{200A}', '\u{2010}', '\u{2065}',
            '\u{FEFE}', '😀',
        ] {
            assert!(!is_format(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn ranges_are_sorted_and_disjoint() {
        for pair in FORMAT_RANGES.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }
}
