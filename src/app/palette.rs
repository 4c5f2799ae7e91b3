//! The command palette (`:`), over any layer where nothing is typed: every command of the
//! layer under it, with its key, found by a few letters of its name (in order, not
//! necessarily together: `exl` finds "export list"); `Enter` runs the one selected there.

use tui_input::{Input, InputRequest};

use super::layer::Handled;
use super::{App, Cmd, Effect, Layer};

#[derive(Clone, Debug, Default)]
pub struct Palette {
    pub query: Input,
    /// Index into [`App::palette_items`].
    pub selected: usize,
}

impl Palette {
    pub fn edit(&mut self, req: InputRequest) {
        self.query.handle(req);
        self.selected = 0;
    }
}

/// Where the letters of `query` are found in order in `text`, as a rank (lower is better:
/// the earlier and closer together); `None` when they are not all there.
pub fn fuzzy(query: &str, text: &str) -> Option<usize> {
    let text = text.to_lowercase();
    let mut at = 0;
    let mut first = None;
    let mut last = 0;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = text[at..].find(q)? + at;
        first.get_or_insert(found);
        last = found;
        at = found + q.len_utf8();
    }
    Some(first.map_or(0, |f| f * 2 + (last - f)))
}

/// Commands the palette never offers: it is open, and these only make sense as keys.
fn offered(cmd: Cmd) -> bool {
    !matches!(cmd, Cmd::Palette | Cmd::ForceQuit)
}

impl App {
    /// The palette's entries for `query`: the commands of the layer under it (the read-only
    /// mode's refusals left out), best match first.
    pub fn palette_items(&self, query: &str) -> Vec<(String, Cmd)> {
        let ctx = self.context_below_top();
        let mut items: Vec<(usize, (String, Cmd))> = self
            .keys
            .in_context(ctx)
            .iter()
            .filter(|(_, c)| offered(*c) && !(self.read_only && c.changes_account()))
            .filter_map(|(k, c)| fuzzy(query, c.describe()).map(|r| (r, (k.clone(), *c))))
            .collect();
        items.sort_by_key(|(r, _)| *r);
        items.into_iter().map(|(_, i)| i).collect()
    }

    pub(super) fn palette_command(&mut self, p: &mut Palette, cmd: Cmd) -> Handled {
        let items = self.palette_items(p.query.value());
        match cmd {
            Cmd::Back => Handled::close(),
            Cmd::Down => {
                p.selected = (p.selected + 1).min(items.len().saturating_sub(1));
                Handled::stay()
            }
            Cmd::Up => {
                p.selected = p.selected.saturating_sub(1);
                Handled::stay()
            }
            Cmd::Submit => match items.get(p.selected) {
                // Closed first: the command runs in the layer it was offered for.
                Some((_, c)) => Handled::close().with(self.after_palette(*c)),
                None => Handled::stay(),
            },
            _ => Handled::stay(),
        }
    }

    /// Runs `cmd` once the palette is closed (it is the top layer's until then).
    fn after_palette(&mut self, cmd: Cmd) -> Vec<Effect> {
        // The palette was popped by the router: the layer under it is on top now.
        self.command(cmd)
    }

    pub(super) fn open_palette(&mut self) {
        if !matches!(self.screen.top(), Some(Layer::Palette(_))) {
            self.open(Layer::Palette(Palette::default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fuzzy;

    #[test]
    fn letters_in_order_match_earlier_and_closer_first() {
        assert!(fuzzy("exl", "export list").is_some());
        assert!(fuzzy("xe", "export list").is_none());
        assert!(fuzzy("", "anything").is_some());
        assert!(fuzzy("ref", "refresh") < fuzzy("ref", "reverse sort, first"));
    }
}
