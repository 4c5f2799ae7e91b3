//! The commands keys resolve to, and what each does in words (for help and the hint bar).

/// A command, as the keymap resolves a key in the current [`super::Context`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cmd {
    NextPane,
    PrevPane,
    ShowOwned,
    ShowSearch,
    ShowApps,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    SortNext,
    SortReverse,
    Edit,
    Buy,
    CancelNumber,
    Refresh,
    ServerFilter,
    NextPage,
    PrevPage,
    /// Back to the Search pane's form, from its results.
    EditSearch,
    Submit,
    NextField,
    PrevField,
    Toggle,
    /// In a dialog: press the button that acts (buy, save, undo, quit...).
    Yes,
    /// In a dialog: the safe button (close, nothing done).
    No,
    Help,
    Log,
    Quit,
    ForceQuit,
    /// Copy the selected number's msisdn to the clipboard (OSC 52).
    Copy,
    /// Export the shown list to a file (CSV or JSON).
    Export,
    /// Mark or unmark the selected number, then move down.
    Mark,
    MarkAll,
    ClearMarks,
    Undo,
    /// Show the panel of the current or last bulk run.
    ShowRun,
    /// The command palette: every command of the current layer, by name.
    Palette,
    StopRun,
    /// Resume a run that paused (the API was away).
    ResumeRun,
    RetryFailed,
    /// Link numbers to the application (the Owned pane's marked ones).
    Link,
    /// Unlink numbers from the application (the marked ones among its numbers, else the
    /// selected one).
    Unlink,
    /// In an edit form: choose the application from a list.
    PickApp,
    /// The routing doctor: what is wrong with where calls and messages go.
    Doctor,
    /// In the doctor: the selected finding's fix, in its number's edit form.
    FixOne,
    /// In the doctor: the same fix for every number with that finding (a bulk edit).
    FixAll,
    /// In the doctor: send the GET check to every SMS webhook.
    CheckWebhooks,
}

/// Where help lists a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The commands of the layer or pane.
    Own,
    /// Moving the selection or the scroll.
    Moving,
    /// The same from every layer: panes, help, the log, quit.
    Everywhere,
}

impl Cmd {
    /// Where help lists it.
    pub fn group(self) -> Group {
        match self {
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                Group::Moving
            }
            Cmd::NextPane
            | Cmd::PrevPane
            | Cmd::ShowOwned
            | Cmd::ShowSearch
            | Cmd::ShowApps
            | Cmd::Log
            | Cmd::Help
            | Cmd::Palette
            | Cmd::Quit
            | Cmd::ForceQuit => Group::Everywhere,
            _ => Group::Own,
        }
    }

    /// It changes the account, or only leads to a change (marks, the bulk run's panel):
    /// `--read-only` refuses it, and neither help nor the hint bar offers it there.
    pub fn changes_account(self) -> bool {
        matches!(
            self,
            Cmd::Edit
                | Cmd::Buy
                | Cmd::CancelNumber
                | Cmd::Undo
                | Cmd::RetryFailed
                | Cmd::StopRun
                | Cmd::ResumeRun
                | Cmd::Mark
                | Cmd::MarkAll
                | Cmd::ClearMarks
                | Cmd::ShowRun
                | Cmd::Link
                | Cmd::Unlink
                | Cmd::FixOne
                | Cmd::FixAll
        )
    }

    /// What the command does, for the help overlay and the hint bar.
    pub fn describe(self) -> &'static str {
        match self {
            Cmd::NextPane => "next pane",
            Cmd::PrevPane => "previous pane",
            Cmd::ShowOwned => "Owned pane",
            Cmd::ShowSearch => "Search pane",
            Cmd::ShowApps => "Applications pane",
            Cmd::Up => "up",
            Cmd::Down => "down",
            Cmd::PageUp => "page up",
            Cmd::PageDown => "page down",
            Cmd::Top => "first",
            Cmd::Bottom => "last",
            Cmd::Open => "open details",
            Cmd::Back => "back / close",
            Cmd::Filter => "filter",
            Cmd::SortNext => "sort by next column",
            Cmd::SortReverse => "reverse sort",
            Cmd::Edit => "edit webhooks",
            Cmd::Buy => "buy",
            Cmd::CancelNumber => "cancel number",
            Cmd::Refresh => "refresh",
            Cmd::ServerFilter => "API filters",
            Cmd::NextPage => "next page",
            Cmd::PrevPage => "previous page",
            Cmd::EditSearch => "change the search",
            Cmd::Submit => "submit / confirm",
            Cmd::NextField => "next field",
            Cmd::PrevField => "previous field",
            Cmd::Toggle => "switch button",
            Cmd::Yes => "yes (the button that acts)",
            Cmd::No => "no (close, nothing done)",
            Cmd::Help => "help",
            Cmd::Log => "message log",
            Cmd::Quit => "quit",
            Cmd::ForceQuit => "quit now",
            Cmd::Copy => "copy number",
            Cmd::Export => "export list",
            Cmd::Mark => "mark / unmark",
            Cmd::MarkAll => "mark all shown",
            Cmd::ClearMarks => "clear marks",
            Cmd::Undo => "undo last change",
            Cmd::ShowRun => "bulk run panel",
            Cmd::Palette => "command palette",
            Cmd::StopRun => "stop the run",
            Cmd::ResumeRun => "resume a paused run",
            Cmd::RetryFailed => "retry the failed",
            Cmd::Link => "link the marked numbers",
            Cmd::Unlink => "unlink numbers",
            Cmd::PickApp => "choose the application",
            Cmd::Doctor => "routing doctor",
            Cmd::FixOne => "fix this number",
            Cmd::FixAll => "fix all of this kind",
            Cmd::CheckWebhooks => "check SMS webhooks",
        }
    }
}

/// The key of each command as bound now, for messages that name one ("R in the run panel
/// retries them"); given by the loop from the keymap. A command with no key is named in words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyNames {
    first: std::collections::BTreeMap<Cmd, String>,
    /// Per context, its commands with their keys (`j/↓`): what the palette offers.
    by_context: std::collections::BTreeMap<super::Context, Vec<(String, Cmd)>>,
}

impl KeyNames {
    pub fn new(
        names: impl IntoIterator<Item = (Cmd, String)>,
        by_context: impl IntoIterator<Item = (super::Context, Vec<(String, Cmd)>)>,
    ) -> KeyNames {
        KeyNames {
            first: names.into_iter().collect(),
            by_context: by_context.into_iter().collect(),
        }
    }

    /// `R`, or `(retry the failed)` when unbound.
    pub fn of(&self, cmd: Cmd) -> String {
        self.first
            .get(&cmd)
            .cloned()
            .unwrap_or_else(|| format!("({})", cmd.describe()))
    }

    /// The commands bound in `ctx`, with their keys.
    pub fn in_context(&self, ctx: super::Context) -> &[(String, Cmd)] {
        self.by_context.get(&ctx).map_or(&[], Vec::as_slice)
    }
}
