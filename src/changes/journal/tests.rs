use std::path::PathBuf;

use super::*;
use crate::api::NumberConfig;

/// An application's entry.
mod app;

/// A journal path in a fresh directory, removed (with the journal) when dropped.
struct TempJournal(PathBuf);

impl std::ops::Deref for TempJournal {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempJournal {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempJournal {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn temp(tag: &str) -> TempJournal {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "switchboard-journal-{tag}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    TempJournal(dir.join("journal.jsonl"))
}

fn config(url: &str) -> NumberConfig {
    NumberConfig {
        app_id: Some("app-1".into()),
        mo_http_url: Some(url.into()),
        voice_status_callback: Some("https://example.com/status".into()),
        ..Default::default()
    }
}

fn update(j: &Journal, batch: Option<u64>, msisdn: &str, status: Status) -> Entry {
    let mut e = Entry {
        id: j.next_id(),
        time: now(),
        batch,
        kind: Kind::Update,
        app: None,
        account: None,
        country: "GB".into(),
        msisdn: msisdn.into(),
        before: Some(config("https://old.example.com")),
        after: Some(config("https://new.example.com")),
        status: Status::Intent,
        error: None,
        undoes: None,
    };
    j.append(&e).unwrap();
    if status != Status::Intent {
        j.settle(&mut e, status, None).unwrap();
    }
    e
}

#[test]
fn entries_round_trip_with_their_latest_status() {
    let path = temp("roundtrip");
    let j = Journal::open(&path).unwrap();
    let a = update(&j, None, "447700900001", Status::Done);
    let mut b = update(&j, Some(99), "447700900002", Status::Intent);
    j.settle(
        &mut b,
        Status::Failed,
        Some("update failed: method failed".into()),
    )
    .unwrap();
    let c = j.read().unwrap();
    assert_eq!(c.skipped, 0);
    assert_eq!(c.entries, vec![a.clone(), b.clone()]);
    assert_eq!(c.get(a.id).unwrap().status, Status::Done);
    assert_eq!(
        c.get(b.id).unwrap().error.as_deref(),
        Some("update failed: method failed")
    );
    // Hidden fields the API does not return are kept in full.
    assert_eq!(
        c.get(a.id)
            .unwrap()
            .before
            .as_ref()
            .unwrap()
            .voice_status_callback
            .as_deref(),
        Some("https://example.com/status")
    );
}

#[test]
fn a_torn_last_line_is_skipped_and_counted_and_the_next_append_is_readable() {
    let path = temp("torn");
    let j = Journal::open(&path).unwrap();
    let a = update(&j, None, "447700900001", Status::Done);
    let b = update(&j, None, "447700900002", Status::Done);
    drop(j);
    // A crash in the middle of the next write: half a line, no newline.
    let mut bytes = std::fs::read(&path).unwrap();
    let full = bytes.len();
    bytes.extend_from_slice(br#"{"id":3,"time":1,"kind":"update","country":"GB","msi"#);
    std::fs::write(&path, &bytes).unwrap();
    assert!(std::fs::read(&path).unwrap().len() > full);

    let j = Journal::open(&path).unwrap();
    let c = j.read().unwrap();
    assert_eq!(c.entries, vec![a.clone(), b.clone()]);
    assert_eq!(c.skipped, 1);
    // Appending after the torn line starts a new line: the new entry (one line: an intent)
    // is not swallowed.
    let d = update(&j, None, "447700900004", Status::Intent);
    let c = j.read().unwrap();
    assert_eq!(c.skipped, 1);
    assert_eq!(c.entries.last(), Some(&d));
}

#[test]
fn ids_keep_increasing_across_reopen_and_batches_share_the_sequence() {
    let path = temp("ids");
    let j = Journal::open(&path).unwrap();
    let batch = j.next_id();
    let a = update(&j, Some(batch), "447700900001", Status::Done);
    let b = update(&j, Some(batch), "447700900002", Status::Done);
    assert!(batch < a.id && a.id < b.id);
    drop(j);
    let j = Journal::open(&path).unwrap();
    let c = update(&j, None, "447700900003", Status::Done);
    assert!(c.id > b.id, "{} after {}", c.id, b.id);
    // A batch id whose entries were all written is never handed out again either.
    drop(j);
    let lines = std::fs::read_to_string(&path).unwrap();
    let only_batch: String = lines
        .lines()
        .filter(|l| l.contains("\"batch\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, only_batch).unwrap();
    let j = Journal::open(&path).unwrap();
    assert!(j.next_id() > b.id);
}

#[cfg(unix)]
#[test]
fn the_file_is_created_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let path = temp("mode");
    let j = Journal::open(&path).unwrap();
    assert!(!path.exists(), "nothing written, no file");
    assert!(j.read().unwrap().entries.is_empty());
    update(&j, None, "447700900001", Status::Done);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn file_names_separate_accounts_and_apis() {
    let live = file_name("abcd1234", "https://rest.nexmo.com");
    let sandbox = file_name("abcd1234", "http://127.0.0.1:40123");
    assert_ne!(live, sandbox);
    assert_eq!(live, file_name("abcd1234", "https://rest.nexmo.com/"));
    assert_ne!(live, file_name("other", "https://rest.nexmo.com"));
    assert!(live.starts_with("journal-abcd1234-") && live.ends_with(".jsonl"));
    // A key with path characters cannot escape the directory.
    assert!(!file_name("../../etc", "https://x").contains('/'));
}

#[test]
fn undo_last_takes_the_whole_last_run_and_skips_failed_entries() {
    let path = temp("plan");
    let j = Journal::open(&path).unwrap();
    let single = update(&j, None, "447700900001", Status::Done);
    let batch = j.next_id();
    let ok = update(&j, Some(batch), "447700900002", Status::Done);
    let _failed = update(&j, Some(batch), "447700900003", Status::Failed);
    let crashed = update(&j, Some(batch), "447700900004", Status::Intent);
    let c = j.read().unwrap();
    let p = plan(&c, None).unwrap();
    assert!(p.is_batch);
    assert_eq!(p.target, batch);
    let ids: Vec<u64> = p.steps.iter().map(|s| s.entry.id).collect();
    assert_eq!(
        ids,
        vec![crashed.id, ok.id],
        "newest first, failed left out"
    );
    assert_eq!(p.left_out, 1);
    assert_eq!(
        p.steps[0].action,
        UndoAction::Restore {
            config: config("https://old.example.com"),
            expect: config("https://new.example.com"),
        }
    );
    // One entry by id; the same id again once undone is refused.
    let p = plan(&c, Some(single.id)).unwrap();
    assert!(!p.is_batch);
    assert_eq!(p.steps.len(), 1);
    let mut undo = single.clone();
    undo.id = j.next_id();
    undo.undoes = Some(single.id);
    undo.status = Status::Done;
    j.append(&undo).unwrap();
    let c = j.read().unwrap();
    assert_eq!(
        plan(&c, Some(single.id)),
        Err(PlanError::AlreadyUndone(single.id, undo.id))
    );
    assert_eq!(plan(&c, Some(9999)), Err(PlanError::NotFound(9999)));
}

#[test]
fn undoing_a_buy_cancels_and_undoing_a_cancel_buys_back_with_its_configuration() {
    let path = temp("kinds");
    let j = Journal::open(&path).unwrap();
    let mut buy = update(&j, None, "447700900010", Status::Done);
    buy.kind = Kind::Buy;
    buy.before = None;
    j.append(&buy).unwrap();
    let mut cancel = update(&j, None, "447700900011", Status::Done);
    cancel.kind = Kind::Cancel;
    cancel.after = None;
    j.append(&cancel).unwrap();
    let c = j.read().unwrap();
    assert_eq!(
        plan(&c, Some(buy.id)).unwrap().cancels(),
        vec!["447700900010"]
    );
    let p = plan(&c, None).unwrap();
    assert_eq!(p.buys(), vec!["447700900011"]);
    assert_eq!(
        p.steps[0].action,
        UndoAction::Buy {
            config: Some(config("https://old.example.com"))
        }
    );
    assert_eq!(plan(&Contents::default(), None), Err(PlanError::Empty));
}

#[test]
fn known_configs_follow_the_latest_change_that_took_effect() {
    let path = temp("known");
    let j = Journal::open(&path).unwrap();
    update(&j, None, "447700900001", Status::Done);
    let mut failed = update(&j, None, "447700900001", Status::Failed);
    failed.after = Some(config("https://failed.example.com"));
    j.append(&failed).unwrap();
    let known = known_configs(&j.read().unwrap());
    assert_eq!(
        known["447700900001"].mo_http_url.as_deref(),
        Some("https://new.example.com")
    );
}

#[test]
fn two_writers_never_hand_out_the_same_id() {
    // The TUI and a command open the same journal; each sees what the other wrote.
    let path = temp("two");
    let a = Journal::open(&path).unwrap();
    let b = Journal::open(&path).unwrap();
    let e1 = update(&a, None, "447700900001", Status::Done);
    let e2 = update(&b, None, "447700900002", Status::Done);
    let e3 = update(&a, None, "447700900003", Status::Done);
    assert!(
        e1.id < e2.id && e2.id < e3.id,
        "{} {} {}",
        e1.id,
        e2.id,
        e3.id
    );
    let c = a.read().unwrap();
    assert_eq!(c.entries.len(), 3);
}

#[test]
fn two_journals_on_one_file_hand_out_distinct_ids_before_either_writes() {
    // Two processes: each takes ids (a batch, then its first entry) before the other has
    // written a line.
    let path = temp("race");
    let a = Journal::open(&path).unwrap();
    let b = Journal::open(&path).unwrap();
    let ids = [a.next_id(), b.next_id(), a.next_id(), b.next_id()];
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // Reopened: past every id handed out, even those never written.
    let c = Journal::open(&path).unwrap();
    assert!(c.next_id() > *ids.iter().max().unwrap());
}

#[test]
fn a_line_whose_checksum_fails_is_skipped_and_counted() {
    let path = temp("crc");
    let j = Journal::open(&path).unwrap();
    let a = update(&j, None, "447700900001", Status::Done);
    update(&j, None, "447700900002", Status::Done);
    drop(j);
    // A flipped digit in the second entry's msisdn (both of its lines).
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("447700900002", "447700900003")).unwrap();
    let c = Journal::open(&path).unwrap().read().unwrap();
    assert_eq!(c.entries, vec![a]);
    assert_eq!((c.skipped, c.damaged), (0, 2));
    assert!(c.warning(&path).unwrap().contains("checksum"));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_at_the_journal_path_is_refused() {
    let path = temp("link");
    let elsewhere = path.with_file_name("elsewhere.txt");
    std::fs::write(&elsewhere, "not a journal\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "not a journal\n"
    );
}

#[test]
fn a_rotated_journal_keeps_what_commands_need_and_finds_the_rest_when_asked() {
    let path = temp("rotate");
    let j = Journal::open(&path).unwrap();
    let old = update(&j, None, "447700900001", Status::Done);
    let newer = update(&j, None, "447700900001", Status::Done);
    let failed = update(&j, None, "447700900002", Status::Failed);
    let pending = update(&j, None, "447700900003", Status::Intent);
    let batch = j.next_id();
    let plan = RunPlan {
        batch,
        time: now(),
        change: Default::default(),
        filter: Default::default(),
        targets: vec![crate::changes::Target::new("GB", "447700900004")],
    };
    j.run_started(&plan).unwrap();
    let in_run = update(&j, Some(batch), "447700900004", Status::Done);
    let ended = j.next_id();
    j.run_started(&RunPlan {
        batch: ended,
        ..plan.clone()
    })
    .unwrap();
    j.run_ended(ended, RunEnd::Finished).unwrap();
    let before = j.read().unwrap();
    let known = known_configs(&before);

    // Another process has the file open for appending while this one rotates it.
    let other = Journal::open(&path).unwrap();
    let last = update(&other, None, "447700900005", Status::Done);
    assert!(!j.compact_past(u64::MAX).unwrap(), "small: left alone");
    assert!(j.compact_past(1).unwrap(), "rotated");
    assert_eq!(j.rotated().len(), 1);
    // The last change (here the rotation's floor) is planned from the compacted file alone.
    let (read, planned) = j.plan_undo(None).unwrap();
    assert_eq!(planned.unwrap().target, last.id);
    assert!(read.get(old.id).is_none(), "the rotated file was not read");
    let late = update(&other, None, "447700900006", Status::Done);

    let now_ = j.read().unwrap();
    let ids: Vec<u64> = now_.entries.iter().map(|e| e.id).collect();
    // Kept: each number's latest change, the intent, the open run's entry; and the line the
    // other process wrote after the rotation (it reopened the new file).
    assert!(ids.contains(&newer.id) && !ids.contains(&old.id), "{ids:?}");
    assert!(!ids.contains(&failed.id), "{ids:?}");
    assert!(
        ids.contains(&pending.id) && ids.contains(&in_run.id),
        "{ids:?}"
    );
    assert!(ids.contains(&late.id), "{ids:?}");
    assert_eq!(
        known_configs(&now_).get("447700900001"),
        known.get("447700900001")
    );
    assert_eq!(super::plan(&now_, None).unwrap().target, late.id);
    // The open run is still open; the ended one is gone from the runs file.
    let open: Vec<u64> = j
        .runs_cut_short()
        .unwrap()
        .iter()
        .map(|p| p.batch)
        .collect();
    assert_eq!(open, vec![batch]);
    // Everything is still found when asked: every file read, or an undo of an older change.
    let all = j.read_all().unwrap();
    for e in &before.entries {
        assert_eq!(all.get(e.id), Some(e), "#{}", e.id);
    }
    assert!(all.get(late.id).is_some());
    let (_, planned) = j.plan_undo(Some(old.id)).unwrap();
    assert_eq!(planned.unwrap().steps[0].entry.id, old.id);
    // The last change is planned from the compacted journal alone.
    let (read, planned) = j.plan_undo(None).unwrap();
    assert_eq!(planned.unwrap().target, late.id);
    assert!(read.get(old.id).is_none(), "the rotated file was not read");
    // A second rotation gets the next number.
    assert!(j.compact_past(1).unwrap());
    assert_eq!(j.rotated().len(), 2);
    assert!(j.rotated()[1].to_string_lossy().ends_with(".2"));
}
