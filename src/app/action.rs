//! What goes in and out of [`super::App::update`]: the actions it takes (a key's command,
//! typed text, time, sizes, the network's replies) and the effects it asks for (requests for
//! the worker, the clipboard, the cache).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tui_input::InputRequest;

use super::{Cmd, ExportFailure, ExportFormat, RequestId};
use crate::api::apps::{Application, Balance};
use crate::api::{
    ApiError, AvailableNumber, ListProgress, NumberChange, NumberConfig, NumberRef, OwnedFilter,
    OwnedNumber, Page, SearchQuery, Settled, UpdateOutcome,
};

#[derive(Debug)]
// One at a time and short-lived: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Cmd(Cmd),
    /// Text editing in the focused field.
    Edit(InputRequest),
    /// Time passes: spinner frames, messages expire.
    Tick(Instant),
    /// What the oldest request in flight is waiting for, once it has waited a while (`None`:
    /// nothing waits long).
    Waiting(Option<String>),
    /// HTTP requests sent and not answered yet, as the client counts them (a bulk run has
    /// several at once): what the spinner says.
    Sent(usize),
    /// The table area holds this many rows (after a resize).
    Viewport {
        rows: usize,
    },
    /// The top layer's scrolled text (detail, help, log, run results) shows `page` lines of
    /// it at once and scrolls `max` lines at most, on this screen.
    Scrollable {
        page: usize,
        max: usize,
    },
    /// A page of the owned list arrived (moved, not copied); the final `Reply::Listed` carries
    /// only the numbers not sent this way.
    Progress {
        id: RequestId,
        progress: ListProgress,
        numbers: Vec<OwnedNumber>,
    },
    Reply {
        id: RequestId,
        reply: Reply,
    },
    /// The owned list kept on disk from an earlier run, and its age: shown at once, until
    /// the fresh list arrives.
    Cached {
        numbers: Vec<OwnedNumber>,
        age: Duration,
    },
    /// A click, where the view says it landed.
    Click(Hit),
    /// Where the bulk or undo run `id` is.
    BulkProgress {
        id: RequestId,
        progress: crate::bulk::Progress,
    },
}

/// What a click landed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A pane's tab in the header.
    Tab(super::Pane),
    /// A row of the table or list on top (an index into what it lists).
    Row(usize),
    /// A dialog's button that acts.
    Yes,
    /// A dialog's safe button.
    No,
}

/// A request for the network, run by the worker.
#[derive(Clone, Debug)]
// One at a time and short-lived: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Request {
    ListAll(OwnedFilter),
    Search(SearchQuery),
    Buy(NumberRef),
    Cancel(NumberRef),
    Update {
        country: String,
        msisdn: String,
        change: NumberChange,
        known: Option<NumberConfig>,
    },
    /// GET an SMS webhook URL as Vonage will before accepting it.
    CheckWebhook(String),
    /// Every application of the account (every page).
    Applications,
    /// The account's balance.
    Balance,
    /// Change an application's webhooks (read-modify-write, journaled).
    UpdateApp {
        id: String,
        change: crate::api::apps::AppWebhookChange,
    },
    /// GET each of these SMS webhook URLs as Vonage would (the doctor's check).
    ProbeWebhooks(Vec<String>),
    /// Write numbers to a file; an existing file is replaced only with `overwrite`.
    Export {
        path: PathBuf,
        format: ExportFormat,
        numbers: Arc<Vec<OwnedNumber>>,
        overwrite: bool,
    },
    /// One change on many numbers (read-modify-write each), journaled as one run.
    Bulk {
        targets: Vec<crate::bulk::Target>,
        change: NumberChange,
        known: HashMap<String, NumberConfig>,
        /// Continue this journal run (a retry), or start a new one.
        batch: Option<u64>,
    },
    /// Stop the run started by this request: in-flight numbers finish.
    StopBulk(RequestId),
    /// Resume the run started by this request, which paused.
    ResumeBulk(RequestId),
    /// Plan the undo of this journal entry or run (`None`: the last one).
    PlanUndo(Option<u64>),
    /// Carry out an undo.
    Undo {
        plan: crate::journal::Plan,
        force: bool,
    },
    /// Look in the journal for what a run cut short left (at start).
    FindCutShort,
    /// Read the numbers of the changes left at `intent` and record what happened.
    Reconcile,
}

impl Request {
    /// Buy, cancel and update change the account: quitting asks first while one is in flight.
    pub fn is_change(&self) -> bool {
        matches!(
            self,
            Request::Buy(_)
                | Request::Cancel(_)
                | Request::Update { .. }
                | Request::UpdateApp { .. }
                | Request::Bulk { .. }
                | Request::Undo { .. }
        )
    }
}

#[derive(Debug)]
// One at a time and short-lived: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Reply {
    /// The load ended: the numbers not already sent in `Action::Progress` (the whole list
    /// when no page was streamed).
    Listed(Result<Vec<OwnedNumber>, ApiError>),
    Searched(Result<Page<AvailableNumber>, ApiError>),
    Bought(Result<Settled, ApiError>),
    Cancelled(Result<Settled, ApiError>),
    Updated(Result<UpdateOutcome, ApiError>),
    /// The status the webhook answered with, or why there was no answer.
    WebhookChecked(Result<u16, String>),
    Applications(Result<Vec<Application>, ApiError>),
    Balance(Result<Balance, ApiError>),
    AppUpdated(Result<crate::bulk::app_ops::AppOutcome, crate::bulk::ItemError>),
    /// What each URL answered to the GET check (status, or why there was no answer).
    WebhooksProbed(Vec<(String, Result<u16, String>)>),
    /// How many numbers were written.
    Exported(Result<usize, ExportFailure>),
    /// The end of a bulk run.
    BulkDone(crate::bulk::Report),
    /// A stop request was passed on.
    StopSent,
    UndoPlanned(Result<crate::journal::Plan, String>),
    /// The end of an undo run.
    Undone(crate::bulk::Report),
    /// What a run cut short left.
    CutShort(Result<crate::changes::reconcile::CutShort, String>),
    /// The changes reconciled, and the rest of the run to offer, if any.
    Reconciled(
        Result<
            (
                Vec<crate::changes::reconcile::Reconciled>,
                Option<crate::changes::reconcile::Resumable>,
            ),
            String,
        >,
    ),
}

#[derive(Clone, Debug)]
// Short-lived, one batch at a time (like Request): boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    Api {
        id: RequestId,
        request: Request,
    },
    /// Put this text on the clipboard (the terminal's, with OSC 52).
    Copy(String),
    /// The whole owned list (no API filter) has just been loaded: keep it on disk for the next
    /// start. The loop reads it from the app, so it is never copied into the effect.
    SaveCache,
}
