//! The commands keys resolve to, and what each does in words (for help and the hint bar).

/// A command, as the keymap resolves a key in the current [`super::Context`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cmd {
    NextPane,
    PrevPane,
    ShowOwned,
    ShowSearch,
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
    Submit,
    NextField,
    PrevField,
    Toggle,
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
    StopRun,
    /// Resume a run that paused (the API was away).
    ResumeRun,
    RetryFailed,
}

impl Cmd {
    /// What the command does, for the help overlay and the hint bar.
    pub fn describe(self) -> &'static str {
        match self {
            Cmd::NextPane => "next pane",
            Cmd::PrevPane => "previous pane",
            Cmd::ShowOwned => "Owned pane",
            Cmd::ShowSearch => "Search pane",
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
            Cmd::Submit => "submit / confirm",
            Cmd::NextField => "next field",
            Cmd::PrevField => "previous field",
            Cmd::Toggle => "switch button",
            Cmd::Help => "help",
            Cmd::Log => "error log",
            Cmd::Quit => "quit",
            Cmd::ForceQuit => "quit now",
            Cmd::Copy => "copy number",
            Cmd::Export => "export list",
            Cmd::Mark => "mark / unmark",
            Cmd::MarkAll => "mark all shown",
            Cmd::ClearMarks => "clear marks",
            Cmd::Undo => "undo last change",
            Cmd::ShowRun => "bulk run panel",
            Cmd::StopRun => "stop the run",
            Cmd::ResumeRun => "resume a paused run",
            Cmd::RetryFailed => "retry the failed",
        }
    }
}
