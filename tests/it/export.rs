//! Copy and export: the file writer (CSV and JSON read back to the rows, formulas defused, no
//! overwrite unasked), then the real event loop on a TestBackend against a sandbox over
//! loopback: `x` writes the filtered rows to a file, a second export to the same name asks
//! before replacing it; `y` sends the OSC 52 sequence of the selected number.

use std::sync::{Arc, Mutex};

use crate::common::TempDir;
use crate::common::tui::Headless;
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Feature, NumberType, OwnedNumber};
use switchboard::app::{Context, ExportFailure, ExportFormat};
use switchboard::export::write_file;
use switchboard::tui::{Io, keymap::Keymap};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_writes_the_shown_rows_and_y_copies_with_osc_52() {
    let sb = crate::common::sandbox(80, 11).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("export-tui");
    let target = dir.path().join("gb.csv");
    let copied: Arc<Mutex<Vec<u8>>> = Arc::default();
    let sink = copied.clone();
    let io = Io {
        copy: Box::new(move |bytes| sink.lock().unwrap().extend_from_slice(bytes)),
        ..Io::default()
    };
    let mut ui = Headless::start_io(client, 120, 40, Keymap::default(), io, |_| {});
    ui.wait("the list", |s| s.owned.len() == 80 && s.busy == 0)
        .await;

    // Filter ("44" anywhere in a row), sort descending, export them.
    filter(&ui, "44");
    ui.ch('S');
    let shown = ui
        .wait("the filter and the reverse sort", |s| {
            s.context == Some(Context::Owned)
                && (2..80).contains(&s.shown.len())
                && s.shown.windows(2).all(|w| w[0] > w[1])
        })
        .await
        .shown;
    assert!(!shown.is_empty());
    let export_to = |ui: &Headless| {
        ui.ch('x');
        ui.ctrl('u');
        ui.text(target.to_str().unwrap());
        ui.key(KeyCode::Enter);
    };
    export_to(&ui);
    let done = ui
        .wait("the export", |s| {
            s.busy == 0
                && s.toast
                    .as_deref()
                    .is_some_and(|m| m.starts_with("exported"))
        })
        .await;
    assert_eq!(
        done.toast.unwrap(),
        format!("exported {} numbers to {}", shown.len(), target.display())
    );
    let table = read_csv(&std::fs::read_to_string(&target).unwrap());
    let written: Vec<String> = table[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(written, shown, "the rows shown, in their order");

    // Again to the same file: asked first; Enter keeps it.
    std::fs::write(&target, "precious").unwrap();
    export_to(&ui);
    ui.wait("the overwrite question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    ui.key(KeyCode::Enter);
    ui.wait("the dialog closed", |s| s.context == Some(Context::Owned))
        .await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    // And once more, choosing Replace.
    export_to(&ui);
    ui.wait("the overwrite question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the replaced file", |s| {
        s.busy == 0
            && s.toast
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
    ui.ch('j');
    ui.ch('y');
    let s = ui
        .wait("the copy", |s| {
            s.toast.as_deref().is_some_and(|m| m.starts_with("copied"))
        })
        .await;
    let msisdn = s.selected.unwrap();
    let bytes = copied.lock().unwrap().clone();
    let expected = switchboard::tui::osc52::sequence(&msisdn);
    assert_eq!(bytes, expected);
    assert!(bytes.starts_with(b"\x1b]52;c;") && bytes.ends_with(b"\x07"));

    ui.ch('q');
    ui.ends("the loop ends after q").await.result.unwrap();
}

fn filter(ui: &Headless, f: &str) {
    ui.ch('/');
    ui.text(f);
    ui.key(KeyCode::Enter);
}
