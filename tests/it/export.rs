//! Copy and export: the file writer (CSV and JSON read back to the rows, formulas defused, no
//! overwrite unasked), then the real event loop on a TestBackend against a sandbox over
//! loopback: `x` writes the filtered rows to a file, a second export to the same name asks
//! before replacing it; `y` sends the OSC 52 sequence of the selected number.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::TempDir;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode};
use switchboard::api::{Feature, NumberType, OwnedNumber};
use switchboard::app::{App, Context, ExportFailure, ExportFormat};
use switchboard::export::write_file;
use switchboard::tui::{Io, drive_with, keymap::Keymap, theme::Theme};
use tokio::sync::{mpsc, watch};

fn number(i: usize) -> OwnedNumber {
    OwnedNumber {
        msisdn: Some(format!("4477009{i:05}")),
        country: Some("GB".into()),
        number_type: Some(NumberType::MobileLvn),
        features: vec![Feature::Sms, Feature::Voice].into(),
        app_id: Some(format!("app-{i}").into()),
        mo_http_url: Some(format!("https://example.com/hook?a={i},b=\"{i}\"").into()),
        voice_callback_type: Some("tel".into()),
        voice_callback_value: Some("442079460000".into()),
        ..Default::default()
    }
}

/// A small RFC 4180 reader: rows of cells.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_and_json_read_back_to_the_rows() {
    let dir = TempDir::new("export-files");
    let rows: Vec<OwnedNumber> = (0..25).map(number).collect();

    let csv = dir.path().join("out.csv");
    assert_eq!(write_file(&csv, ExportFormat::Csv, &rows, false), Ok(25));
    let table = read_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(table[0][0], "msisdn");
    assert_eq!(table.len(), 26);
    for (n, cells) in rows.iter().zip(&table[1..]) {
        assert_eq!(cells[0], n.msisdn.clone().unwrap());
        assert_eq!(Some(cells[4].as_str()), n.app_id.as_deref());
        assert_eq!(
            Some(cells[5].as_str()),
            n.mo_http_url.as_deref(),
            "commas and quotes survive"
        );
        assert_eq!(cells[7], "442079460000");
    }

    let json = dir.path().join("out.json");
    assert_eq!(write_file(&json, ExportFormat::Json, &rows, false), Ok(25));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["count"], 25);
    let back: Vec<OwnedNumber> = serde_json::from_value(v["numbers"].clone()).unwrap();
    assert_eq!(back, rows);
}

#[test]
fn spreadsheet_formulas_are_defused() {
    let dir = TempDir::new("export-formula");
    let mut evil = number(1);
    evil.app_id = Some("=HYPERLINK(\"http://x\")".into());
    evil.mo_http_url = Some("+cmd|' /C calc'!A0".into());
    evil.voice_callback_value = Some("@SUM(1+1)".into());
    evil.voice_callback_type = Some("-2+3".into());
    let path = dir.path().join("evil.csv");
    write_file(&path, ExportFormat::Csv, &[evil], false).unwrap();
    let table = read_csv(&std::fs::read_to_string(&path).unwrap());
    for cell in &table[1] {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "a cell a spreadsheet would run: {cell:?}"
        );
    }
    assert_eq!(table[1][4], "'=HYPERLINK(\"http://x\")");
}

#[test]
fn an_existing_file_is_kept_unless_overwrite_is_asked() {
    let dir = TempDir::new("export-keep");
    let path = dir.path().join("mine.csv");
    std::fs::write(&path, "precious").unwrap();
    let rows = vec![number(1)];
    assert_eq!(
        write_file(&path, ExportFormat::Csv, &rows, false),
        Err(ExportFailure::Exists)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    assert_eq!(write_file(&path, ExportFormat::Csv, &rows, true), Ok(1));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("msisdn,")
    );
    let missing = dir.path().join("no-such-dir").join("x.csv");
    assert!(matches!(
        write_file(&missing, ExportFormat::Csv, &rows, false),
        Err(ExportFailure::Io(_))
    ));
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Seen {
    loaded: usize,
    shown: Vec<String>,
    context: Option<Context>,
    selected: Option<String>,
    message: Option<String>,
    busy: usize,
}

fn text(tx: &mpsc::UnboundedSender<std::io::Result<Event>>, s: &str) {
    for c in s.chars() {
        tx.send(crate::common::key(KeyCode::Char(c))).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_writes_the_shown_rows_and_y_copies_with_osc_52() {
    let sb = crate::common::sandbox(80, 11).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("export-tui");
    let target = dir.path().join("gb.csv");
    let mut app = crate::common::app_for(&sb, std::time::Instant::now());
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, mut seen) = watch::channel(Seen::default());
    let copied: Arc<Mutex<Vec<u8>>> = Arc::default();
    let sink = copied.clone();
    let io = Io {
        journal: None,
        cache: None,
        copy: Box::new(move |bytes| sink.lock().unwrap().extend_from_slice(bytes)),
    };
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        drive_with(
            &mut terminal,
            &mut events,
            &mut app,
            client,
            (&Keymap::default(), &Theme::new(true)),
            io,
            |a: &App| {
                let _ = seen_tx.send(Seen {
                    loaded: a.owned.numbers.len(),
                    shown: a
                        .owned
                        .shown
                        .iter()
                        .filter_map(|&i| a.owned.numbers[i as usize].msisdn.clone())
                        .collect(),
                    context: Some(a.context()),
                    selected: a.owned.selected_msisdn(),
                    message: a.messages.current().map(|t| t.text.clone()),
                    busy: a.busy(),
                });
            },
        )
        .await
    });
    crate::common::wait_watch(&mut seen, "the list", |s| s.loaded == 80 && s.busy == 0).await;

    // Filter ("44" anywhere in a row), sort descending, export them.
    tx_filter(&events_tx, "44");
    events_tx
        .send(crate::common::key(KeyCode::Char('S')))
        .unwrap();
    let shown = crate::common::wait_watch(&mut seen, "the filter and the reverse sort", |s| {
        s.context == Some(Context::Owned)
            && (2..80).contains(&s.shown.len())
            && s.shown.windows(2).all(|w| w[0] > w[1])
    })
    .await
    .shown;
    assert!(!shown.is_empty());
    let export_to = |tx: &mpsc::UnboundedSender<_>| {
        tx.send(crate::common::key(KeyCode::Char('x'))).unwrap();
        tx.send(crate::common::ctrl('u')).unwrap();
        text(tx, target.to_str().unwrap());
        tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    };
    export_to(&events_tx);
    let done = crate::common::wait_watch(&mut seen, "the export", |s| {
        s.busy == 0
            && s.message
                .as_deref()
                .is_some_and(|m| m.starts_with("exported"))
    })
    .await;
    assert_eq!(
        done.message.unwrap(),
        format!("exported {} numbers to {}", shown.len(), target.display())
    );
    let table = read_csv(&std::fs::read_to_string(&target).unwrap());
    let written: Vec<String> = table[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(written, shown, "the rows shown, in their order");

    // Again to the same file: asked first; Enter keeps it.
    std::fs::write(&target, "precious").unwrap();
    export_to(&events_tx);
    crate::common::wait_watch(&mut seen, "the overwrite question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    crate::common::wait_watch(&mut seen, "the dialog closed", |s| {
        s.context == Some(Context::Owned)
    })
    .await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    // And once more, choosing Replace.
    export_to(&events_tx);
    crate::common::wait_watch(&mut seen, "the overwrite question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    events_tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    crate::common::wait_watch(&mut seen, "the replaced file", |s| {
        s.busy == 0
            && s.message
                .as_deref()
                .is_some_and(|m| m.starts_with("exported"))
    })
    .await;
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("msisdn,")
    );

    // y: the selected number, as OSC 52.
    events_tx
        .send(crate::common::key(KeyCode::Char('j')))
        .unwrap();
    events_tx
        .send(crate::common::key(KeyCode::Char('y')))
        .unwrap();
    let s = crate::common::wait_watch(&mut seen, "the copy", |s| {
        s.message
            .as_deref()
            .is_some_and(|m| m.starts_with("copied"))
    })
    .await;
    let msisdn = s.selected.unwrap();
    let bytes = copied.lock().unwrap().clone();
    let expected = switchboard::tui::osc52::sequence(&msisdn);
    assert_eq!(bytes, expected);
    assert!(bytes.starts_with(b"\x1b]52;c;") && bytes.ends_with(b"\x07"));

    events_tx
        .send(crate::common::key(KeyCode::Char('q')))
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends after q")
        .unwrap()
        .unwrap();
}

fn tx_filter(tx: &mpsc::UnboundedSender<std::io::Result<Event>>, f: &str) {
    tx.send(crate::common::key(KeyCode::Char('/'))).unwrap();
    text(tx, f);
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
}
