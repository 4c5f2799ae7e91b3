//! The views of the configuration work: the export dialog and its overwrite question, the age
//! of a cached list in the Owned title, the SMS webhook check in the save dialog, and help and
//! the hint bar following a rebound or unbound key.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tui_input::Input;

use super::{app, cmd, loaded, numbers, render, render_with, snap};
use crate::app::dialog::{Dialog, WebhookStatus};
use crate::app::edit::SMS_URL;
use crate::app::export::ExportDialog;
use crate::app::{Action, Cmd, ExportFormat, Layer, Reply};
use crate::tui::keymap::Keymap;

fn bindings(lines: &[(&str, &[&str])]) -> Keymap {
    let lines: Vec<(String, Vec<String>)> = lines
        .iter()
        .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
        .collect();
    Keymap::configured(None, &lines).unwrap()
}

#[test]
fn export_dialog() {
    let mut app = loaded();
    app.owned.filter = Input::new("44".into());
    app.owned.filter_changed();
    let count = app.owned.shown.len();
    app.screen.push(Layer::Export(ExportDialog {
        format: ExportFormat::Csv,
        path: Input::new("./switchboard-owned-20261127-032512.csv".into()),
        count,
    }));
    snap("export_dialog", &app);
    cmd(&mut app, Cmd::Toggle);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("./switchboard-owned-20261127-032512.json"),
        "{screen}"
    );
}

#[test]
fn export_overwrite_question() {
    let mut app = loaded();
    app.screen.push(Layer::Dialog(Dialog::Overwrite {
        path: PathBuf::from("./numbers.csv"),
        format: ExportFormat::Csv,
        numbers: Arc::new(numbers()),
        confirm_focused: false,
    }));
    snap("export_overwrite", &app);
}

#[test]
fn cached_list_title() {
    let mut app = app();
    let now = app.now;
    app.update(Action::Cached {
        numbers: numbers(),
        age: Duration::from_secs(170),
    });
    app.start();
    // Ten seconds later, still loading: 3 min.
    app.update(Action::Tick(now + Duration::from_secs(10)));
    snap("owned_cached", &app);
}

fn confirm_with_check(status: Option<WebhookStatus>) -> crate::app::App {
    let mut app = loaded();
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Edit);
    let e = app.edit_form_mut().unwrap();
    e.form.fields[SMS_URL].input = Input::new("http://127.0.0.1:9/hook".into());
    let effects = app.update(Action::Cmd(Cmd::Submit));
    let Some(crate::app::Effect::Api { id, .. }) = effects.first() else {
        panic!("no check requested: {effects:?}");
    };
    let reply = match status {
        Some(WebhookStatus::Answered(code)) => Reply::WebhookChecked(Ok(code)),
        Some(WebhookStatus::Failed(e)) => Reply::WebhookChecked(Err(e)),
        _ => return app,
    };
    app.update(Action::Reply { id: *id, reply });
    app
}

#[test]
fn webhook_check_in_the_save_dialog() {
    snap(
        "webhook_checking",
        &confirm_with_check(Some(WebhookStatus::Checking)),
    );
    snap(
        "webhook_answered_404",
        &confirm_with_check(Some(WebhookStatus::Answered(404))),
    );
    let ok = render(
        &confirm_with_check(Some(WebhookStatus::Answered(200))),
        120,
        40,
    );
    assert!(ok.contains("answers 200: Vonage will accept it"), "{ok}");
    assert!(!ok.contains("refuse"), "{ok}");
    let failed = render(
        &confirm_with_check(Some(WebhookStatus::Failed(
            "could not connect: Connection refused".into(),
        ))),
        120,
        40,
    );
    assert!(failed.contains("could not connect"), "{failed}");
}

#[test]
fn help_and_hints_show_the_keys_actually_bound() {
    let mut app = loaded();
    let mut with_help = loaded();
    cmd(&mut with_help, Cmd::Help);
    let default = render(&with_help, 120, 40);
    assert!(default.contains("r refresh"), "{default}");
    assert!(default.contains("? help"), "{default}");
    let km = bindings(&[("refresh", &[]), ("edit", &["Ctrl-E"]), ("help", &["F1"])]);
    let hints = render_with(&app, &km, 120, 40);
    let hint_bar = hints.lines().nth(39).unwrap();
    assert!(hint_bar.contains("Ctrl-E edit webhooks"), "{hint_bar}");
    assert!(hint_bar.contains("F1 help"), "{hint_bar}");
    assert!(!hint_bar.contains("e edit"), "{hint_bar}");
    assert!(!hint_bar.contains("refresh"), "{hint_bar}");
    cmd(&mut app, Cmd::Help);
    let help = render_with(&app, &km, 120, 40);
    assert!(
        !help.contains("refresh"),
        "an unbound action is not in help: {help}"
    );
    assert!(help.contains("Ctrl-E edit webhooks"), "{help}");
    assert!(help.contains("F1 help"), "{help}");
    assert!(!help.contains("? help"), "{help}");
    assert!(help.contains("Help — F1 or Esc to close"), "{help}");
    insta::assert_snapshot!("help_rebound_keys_120x40", help);
}

#[test]
fn read_only_help_offers_no_change() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Help);
    let help = render(&app, 120, 40);
    assert!(help.contains("e edit webhooks"), "{help}");
    app.read_only = true;
    let help = render(&app, 120, 40);
    for gone in ["edit webhooks", "cancel number"] {
        assert!(!help.contains(gone), "{gone}: {help}");
    }
    assert!(help.contains("y copy number"), "{help}");
}
