//! A vertical form: one field per row (marker, label, input), its error or hint under the
//! input. Used by the edit form and the API filter popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{fit, safe, width, wrap};
use super::widgets::input;
use crate::app::Form;
use crate::tui::theme::Theme;

/// Rows a form needs: two per field, plus a blank between fields when `spaced`.
pub fn height(form: &Form, spaced: bool) -> u16 {
    let n = form.fields.len() as u16;
    if spaced { n * 3 - 1 } else { n * 2 }
}

/// Draws `form` in `area`; `error` is a problem found on submit, shown under its field;
/// `typing` places the terminal cursor in the focused field.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    error: Option<&(usize, String)>,
    typing: bool,
    theme: &Theme,
) {
    draw_with(frame, area, form, (error, &|_| None), typing, theme);
}

/// A hint of the view's own for field `i` (else the field's).
pub type Hint<'a> = &'a dyn Fn(usize) -> Option<String>;

/// [`draw`], with a hint of the view's own for some fields (`hint(i)`, else the field's).
pub fn draw_with(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    (error, hint): (Option<&(usize, String)>, Hint),
    typing: bool,
    theme: &Theme,
) {
    let spaced = area.height >= height(form, true);
    let label_w = form
        .fields
        .iter()
        .map(|f| width(f.label))
        .max()
        .unwrap_or(0) as u16
        + 4;
    let input_x = area.x + label_w.min(area.width);
    let input_w = area.right().saturating_sub(input_x);
    let mut y = area.y;
    for (i, f) in form.fields.iter().enumerate() {
        if y >= area.bottom() {
            break;
        }
        let focused = form.focus == i;
        let field_error = f.error().or_else(|| {
            error
                .filter(|(at, _)| *at == i)
                .map(|(_, message)| message.clone())
        });
        let label_style = match (&field_error, focused) {
            (Some(_), _) => theme.error,
            (None, true) => theme.label_focused,
            (None, false) => theme.label,
        };
        let label = Line::from(vec![
            Span::styled(if focused { " ▸ " } else { "   " }, theme.label_focused),
            Span::styled(f.label, label_style),
        ]);
        frame.render_widget(
            Paragraph::new(label),
            Rect::new(area.x, y, label_w.min(area.width), 1),
        );
        let style = if focused {
            theme.input_focused
        } else {
            theme.input
        };
        input(
            frame,
            Rect::new(input_x, y, input_w, 1),
            &f.input,
            style,
            focused && typing,
        );
        y += 1;
        if y >= area.bottom() {
            break;
        }
        // An error may take the blank line after it too.
        let room = if spaced { 2 } else { 1 };
        let under: Vec<Line> = match &field_error {
            Some(e) => {
                let mut lines = wrap(&format!("✗ {}", safe(e)), input_w as usize);
                if lines.len() > room {
                    lines.truncate(room);
                    let last = lines.pop().unwrap_or_default();
                    lines.push(fit(&format!("{last} …"), input_w as usize));
                }
                lines
                    .into_iter()
                    .map(|l| Line::styled(l, theme.error))
                    .collect()
            }
            None => {
                let text = hint(i).unwrap_or_else(|| f.hint.to_string());
                vec![Line::styled(fit(&text, input_w as usize), theme.dim)]
            }
        };
        let h = (under.len() as u16).min(area.bottom() - y);
        frame.render_widget(Paragraph::new(under), Rect::new(input_x, y, input_w, h));
        y += room as u16;
    }
}
