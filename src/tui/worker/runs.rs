//! The worker's runs: a bulk change and an undo, each with a stop flag the app can reach by
//! the id of the request that started it (stop, resume).

use std::collections::HashMap;
use std::sync::MutexGuard;

use crate::api::{NumberChange, NumberConfig};
use crate::app::{Action, Reply, RequestId};
use crate::bulk::StopFlag;
use crate::changes::reconcile;

use super::Worker;
use super::numbers::journal_known;

impl Worker {
    /// One change on many numbers, journaled as one run; the owned list (every number) is the
    /// read, page by page as it goes.
    pub(super) async fn bulk(
        &self,
        id: RequestId,
        targets: Vec<crate::bulk::Target>,
        change: NumberChange,
        mut known: HashMap<String, NumberConfig>,
        batch: Option<u64>,
    ) -> Reply {
        for (m, c) in journal_known(self.journal()) {
            known.entry(m).or_insert(c);
        }
        let stop = self.register(id);
        let tx = self.tx.clone();
        let report = crate::bulk::update_listed(
            &self.client,
            self.journal.clone(),
            batch,
            &crate::api::OwnedFilter::default(),
            targets,
            &change,
            &known,
            &stop,
            |progress| {
                let _ = tx.send(Action::BulkProgress { id, progress });
            },
        )
        .await;
        self.unregister(id);
        Reply::BulkDone(report)
    }

    /// The plan of the undo of this journal entry or run (`None`: the last one).
    pub(super) fn plan_undo(&self, target: Option<u64>) -> Reply {
        Reply::UndoPlanned(match self.journal() {
            None => Err(
                "no journal: undo is not available (see the log for why it could not be opened)"
                    .to_string(),
            ),
            Some(j) => match j.plan_undo(target) {
                Ok((_, plan)) => plan.map_err(|e| e.to_string()),
                Err(e) => Err(format!("cannot read the journal: {e}")),
            },
        })
    }

    pub(super) async fn undo(
        &self,
        id: RequestId,
        plan: crate::journal::Plan,
        force: bool,
    ) -> Reply {
        let Some(journal) = self.journal.clone() else {
            return Reply::Undone(crate::bulk::Report::default());
        };
        let stop = self.register(id);
        let tx = self.tx.clone();
        let report = crate::undo::run(&self.client, journal, &plan, force, &stop, |progress| {
            let _ = tx.send(Action::BulkProgress { id, progress });
        })
        .await;
        self.unregister(id);
        Reply::Undone(report)
    }

    /// What a run cut short left in the journal (read on a blocking thread: it may be long).
    pub(super) async fn find_cut_short(&self) -> Reply {
        let Some(journal) = self.journal.clone() else {
            return Reply::CutShort(Ok(Default::default()));
        };
        let found = tokio::task::spawn_blocking(move || reconcile::find(&journal))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| format!("cannot read the journal: {e}")));
        Reply::CutShort(found)
    }

    /// Reads the numbers of the changes left at `intent`, records what happened, and finds
    /// the rest of the run cut short, if any.
    pub(super) async fn reconcile(&self) -> Reply {
        let Some(journal) = self.journal.clone() else {
            return Reply::Reconciled(Err("no journal".into()));
        };
        let j = journal.clone();
        let read = tokio::task::spawn_blocking(move || reconcile::unsettled(&j)).await;
        let contents = match read {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Reply::Reconciled(Err(format!("cannot read the journal: {e}"))),
            Err(e) => return Reply::Reconciled(Err(e.to_string())),
        };
        let settled = reconcile::reconcile(&self.client, &journal, &contents).await;
        let j = journal.clone();
        let run = tokio::task::spawn_blocking(move || reconcile::cut_short_run(&j)).await;
        Reply::Reconciled(match run {
            Ok(Ok(run)) => Ok((settled, run)),
            Ok(Err(e)) => Err(format!("cannot read the journal: {e}")),
            Err(e) => Err(e.to_string()),
        })
    }

    /// Passes a stop or a resume to the run started by request `run`, if it is still going.
    pub(super) fn signal(&self, run: RequestId, act: fn(&StopFlag)) -> Reply {
        if let Some(flag) = self.lock().get(&run) {
            act(flag);
        }
        Reply::StopSent
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<RequestId, StopFlag>> {
        self.runs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn register(&self, id: RequestId) -> StopFlag {
        let stop = StopFlag::pausable();
        self.lock().insert(id, stop.clone());
        stop
    }

    fn unregister(&self, id: RequestId) {
        self.lock().remove(&id);
    }
}
