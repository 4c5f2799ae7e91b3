//! The Owned table's columns and their widths: which columns fit a width (the least useful
//! dropped first), how the flexible ones share what is left, and how the room a column's
//! content does not use goes to the columns cut short.

use crate::app::Column;

/// Fixed widths; the last three share what is left.
fn fixed_width(c: Column) -> Option<u16> {
    match c {
        Column::Msisdn => Some(15),
        Column::Country => Some(3),
        Column::Type => Some(18),
        Column::Features => Some(13),
        _ => None,
    }
}

/// Narrowest useful width, and share of the space left, of the flexible columns.
fn flexible(c: Column) -> (u16, u16) {
    match c {
        Column::App => (12, 2),
        Column::SmsUrl => (16, 3),
        _ => (14, 2),
    }
}

/// Columns dropped first when the table is narrow.
const DROP_ORDER: [Column; 6] = [
    Column::Voice,
    Column::SmsUrl,
    Column::App,
    Column::Features,
    Column::Type,
    Column::Country,
];

/// The columns shown in `width` cells, with their widths (spacing of 1 between columns).
pub fn columns(width: u16) -> Vec<(Column, u16)> {
    let mut shown: Vec<Column> = Column::ALL.to_vec();
    for drop in DROP_ORDER {
        let fixed: u16 = shown.iter().filter_map(|c| fixed_width(*c)).sum();
        let min_flex: u16 = shown
            .iter()
            .filter(|c| fixed_width(**c).is_none())
            .map(|c| flexible(*c).0)
            .sum();
        let spacing = shown.len().saturating_sub(1) as u16;
        if fixed + min_flex + spacing <= width {
            break;
        }
        shown.retain(|c| *c != drop);
    }
    let fixed: u16 = shown.iter().filter_map(|c| fixed_width(*c)).sum();
    let spacing = shown.len().saturating_sub(1) as u16;
    let mut left = width.saturating_sub(fixed + spacing);
    let weights: u16 = shown
        .iter()
        .filter(|c| fixed_width(**c).is_none())
        .map(|c| flexible(*c).1)
        .sum();
    let total = left;
    let mut out: Vec<(Column, u16)> = shown
        .iter()
        .map(|&c| match fixed_width(c) {
            Some(w) => (c, w),
            None => {
                let w = total * flexible(c).1 / weights.max(1);
                left -= w;
                (c, w)
            }
        })
        .collect();
    // Rounding leftovers go to the last flexible column.
    if let Some(last) = out
        .iter_mut()
        .rev()
        .find(|(c, _)| fixed_width(*c).is_none())
    {
        last.1 += left;
    }
    out
}

/// No column wider than its content (`need`: the widest of its cells shown, its title
/// included): the room a column does not use goes to the flexible columns whose content is
/// cut, in column order; what nobody needs stays with the last flexible column, so the table
/// keeps its width.
pub fn share_by_content(cols: &mut [(Column, u16)], need: impl Fn(Column) -> u16) {
    let mut spare = 0;
    for (c, w) in cols.iter_mut() {
        let want = need(*c);
        if *w > want {
            spare += *w - want;
            *w = want;
        }
    }
    for (c, w) in cols.iter_mut().filter(|(c, _)| fixed_width(*c).is_none()) {
        let give = need(*c).saturating_sub(*w).min(spare);
        *w += give;
        spare -= give;
    }
    if let Some((_, w)) = cols
        .iter_mut()
        .rev()
        .find(|(c, _)| fixed_width(*c).is_none())
    {
        *w += spare;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_drop_voice_then_webhook() {
        let names = |w| columns(w).iter().map(|(c, _)| *c).collect::<Vec<_>>();
        assert_eq!(names(78).len(), 5);
        assert!(!names(78).contains(&Column::Voice));
        assert!(!names(78).contains(&Column::SmsUrl));
        assert_eq!(names(118).len(), 7);
        for w in [40, 78, 100, 118, 200] {
            let cols = columns(w);
            let used: u16 = cols.iter().map(|(_, w)| w).sum::<u16>() + cols.len() as u16 - 1;
            assert!(used <= w, "{w}: {cols:?}");
        }
    }

    fn of_in(cols: &[(Column, u16)], c: Column) -> Option<u16> {
        cols.iter().find(|(k, _)| *k == c).map(|(_, w)| *w)
    }

    fn cols_of_118(c: Column) -> u16 {
        columns(118)
            .iter()
            .find(|(k, _)| *k == c)
            .map_or(0, |(_, w)| *w)
    }

    #[test]
    fn room_a_column_does_not_use_goes_to_one_that_is_cut() {
        let mut cols = columns(118);
        let width = |cols: &[(Column, u16)]| cols.iter().map(|(_, w)| w).sum::<u16>();
        let before = width(&cols);
        // Short application names, long SMS URLs, no voice forwarding at all: of the 63 cells
        // the three share (18, 27, 18), the names need 12 and the voice column its title (6),
        // so the URLs get the 44 they need and the one cell left stays with the last column.
        share_by_content(&mut cols, |c| match c {
            Column::App => 12,
            Column::SmsUrl => 44,
            Column::Voice => 6,
            // The fixed columns full.
            c => cols_of_118(c),
        });
        assert_eq!(of_in(&cols, Column::App), Some(12));
        assert_eq!(of_in(&cols, Column::SmsUrl), Some(44));
        assert_eq!(of_in(&cols, Column::Voice), Some(7));
        assert_eq!(width(&cols), before, "the table keeps its width");
        // A short TYPE column gives its room too.
        let mut cols = columns(118);
        share_by_content(&mut cols, |c| match c {
            Column::Type => 10,
            Column::App => 12,
            Column::SmsUrl => 60,
            Column::Voice => 6,
            c => cols_of_118(c),
        });
        assert_eq!(of_in(&cols, Column::SmsUrl), Some(27 + 6 + 12 + 8));
        // Nothing needs more than it has: the widths stay as shared.
        let mut wide = columns(200);
        let shared = wide.clone();
        share_by_content(&mut wide, |c| {
            shared.iter().find(|(k, _)| *k == c).map_or(0, |(_, w)| *w)
        });
        assert_eq!(wide, shared);
    }
}
