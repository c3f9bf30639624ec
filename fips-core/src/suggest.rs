//! "Did you mean": the judged flag a misspelt flag was probably meant to be.

use crate::request::{judged_flag_named, JUDGED_FLAGS};

/// The judged flag that `flag` (a flag the request keeps unjudged) is a likely misspelling
/// of: at most one edit away (an insertion, a deletion, a substitution or two neighbours
/// swapped) for names under 8 letters, at most two for longer ones. `None` when no judged
/// flag is that close, or when two are.
///
/// ```
/// use fips_core::suggest_judged_flag;
/// assert_eq!(suggest_judged_flag("--kubernetes-verison"), Some("--kubernetes-version"));
/// assert_eq!(suggest_judged_flag("--etcd-versions"), Some("--etcd-version"));
/// assert_eq!(suggest_judged_flag("--region"), None);
/// // Judged already (in a spelling pflag or kubectl accepts): nothing to suggest.
/// assert_eq!(suggest_judged_flag("--kubernetes_version"), None);
/// ```
pub fn suggest_judged_flag(flag: &str) -> Option<&'static str> {
    if judged_flag_named(flag).is_some() {
        return None;
    }
    let name = flag
        .split('=')
        .next()
        .unwrap_or_default()
        .trim_start_matches('-')
        .to_ascii_lowercase();
    let close: Vec<&'static str> = JUDGED_FLAGS
        .iter()
        .copied()
        .filter(|judged| {
            let judged_name = judged.trim_start_matches('-');
            let most = if judged_name.len() < 8 { 1 } else { 2 };
            edit_distance(&name, judged_name) <= most
        })
        .collect();
    match close[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// The optimal string alignment distance (Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("verison", "version"), 1);
        assert_eq!(edit_distance("", "ami"), 3);
        assert_eq!(edit_distance("os", "ami"), 3);
    }

    #[test]
    fn short_flags_take_one_edit_only() {
        assert_eq!(suggest_judged_flag("--am"), Some("--ami"));
        assert_eq!(suggest_judged_flag("--amii"), Some("--ami"));
        assert_eq!(suggest_judged_flag("--az"), None);
    }
}
