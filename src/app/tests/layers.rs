//! State tests of the layer stack: every layer closes on `Esc` back to where it was opened
//! from; panes keep their layers; help shows the layer under it; typed text goes to the top
//! layer; read-only refuses, from every layer, what it does not offer.

use tui_input::InputRequest;

use super::{cmd, loaded, only_request, three, to_search_results, type_text};
use crate::app::*;

/// The contexts from the bottom of the current pane's stack to its top.
fn stack(a: &App) -> Vec<Context> {
    let mut v = vec![a.pane().context()];
    v.extend(a.screen.layers().iter().map(Layer::context));
    v
}

/// Opens a layer with `open`, checks it is on top, closes it with Esc: the stack is as before.
fn esc_returns(a: &mut App, open: impl FnOnce(&mut App), expect: Context) {
    let before = stack(a);
    open(a);
    assert_eq!(a.context(), expect, "opened over {before:?}");
    assert_eq!(stack(a).len(), before.len() + 1, "one layer more");
    cmd(a, Cmd::Back);
    assert_eq!(
        stack(a),
        before,
        "Esc from {expect:?} goes back where it came from"
    );
}

fn open_detail(a: &mut App) {
    cmd(a, Cmd::Open);
    assert_eq!(a.context(), Context::Detail);
}

#[test]
fn every_layer_closes_on_esc_to_where_it_was_opened_from() {
    use Context as C;
    let mut a = loaded(three());
    // Over the Owned pane.
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Filter)), C::OwnedFilter);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Open)), C::Detail);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Edit)), C::Edit);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::ServerFilter)), C::ServerFilter);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Export)), C::Export);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::CancelNumber)), C::DialogText);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Log)), C::Log);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Help)), C::Help);
    // Over the detail view.
    open_detail(&mut a);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Edit)), C::Edit);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Log)), C::Log);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Help)), C::Help);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::CancelNumber)), C::DialogText);
    // Over the edit form: its save dialog, help.
    assert_eq!(stack(&a), vec![C::Owned, C::Detail]);
    cmd(&mut a, Cmd::Edit);
    assert_eq!(stack(&a), vec![C::Owned, C::Detail, C::Edit]);
    esc_returns(
        &mut a,
        |a| {
            cmd(a, Cmd::NextField);
            type_text(a, "x");
            cmd(a, Cmd::Submit);
        },
        C::Dialog,
    );
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Help)), C::Help);
    // The form holds an edit: Esc asks first; "no" keeps it, "yes" drops it.
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Back)), C::Dialog);
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Yes);
    assert_eq!(stack(&a), vec![C::Owned, C::Detail]);
    cmd(&mut a, Cmd::Back);
    assert_eq!(stack(&a), vec![C::Owned]);
    // The bulk form, then its confirmation over it.
    cmd(&mut a, Cmd::MarkAll);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Edit)), C::BulkForm);
    cmd(&mut a, Cmd::Edit);
    esc_returns(
        &mut a,
        |a| {
            cmd(a, Cmd::NextField);
            type_text(a, "https://new.example.com/in");
            cmd(a, Cmd::Submit);
        },
        C::Dialog,
    );
    assert_eq!(a.context(), C::BulkForm);
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Yes);
    assert_eq!(stack(&a), vec![C::Owned]);
    // Quit while a change is in flight.
    cmd(&mut a, Cmd::ClearMarks);
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "y");
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::Toggle);
    assert_eq!(cmd(&mut a, Cmd::Submit).len(), 1, "the update is sent");
    assert_eq!(
        a.context(),
        C::Edit,
        "the form stays open until the save succeeds"
    );
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Yes);
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Quit)), C::Dialog);
    assert!(!a.quit);
}

#[test]
fn the_search_form_and_results_close_one_layer_at_a_time() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::ShowSearch);
    assert_eq!(a.context(), Context::SearchForm);
    // No results yet: Esc still goes to the results, never to another pane.
    cmd(&mut a, Cmd::Back);
    assert_eq!(
        (a.pane(), a.context()),
        (Pane::Search, Context::SearchResults)
    );
    esc_returns(
        &mut a,
        |a| drop(cmd(a, Cmd::EditSearch)),
        Context::SearchForm,
    );
    esc_returns(&mut a, |a| drop(cmd(a, Cmd::Help)), Context::Help);
}

#[test]
fn each_pane_keeps_its_layers_and_help_and_log_close_on_a_switch() {
    let mut a = loaded(three());
    open_detail(&mut a);
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Help);
    // From the help over the edit form, straight to the Search pane.
    cmd(&mut a, Cmd::ShowSearch);
    assert_eq!(a.context(), Context::SearchForm);
    type_text(&mut a, "gb");
    // Search is the middle pane of three: the previous one is Owned.
    cmd(&mut a, Cmd::PrevPane);
    assert_eq!(a.pane(), Pane::Owned);
    assert_eq!(
        stack(&a),
        vec![Context::Owned, Context::Detail, Context::Edit],
        "the Owned pane's layers are where they were; help closed"
    );
    cmd(&mut a, Cmd::ShowSearch);
    assert_eq!(a.search.form.value(0), "gb", "the form kept what was typed");
}

#[test]
fn help_shows_the_keys_of_the_layer_under_it() {
    let mut a = loaded(three());
    open_detail(&mut a);
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Help);
    assert_eq!(a.context(), Context::Help);
    assert_eq!(a.context_below_top(), Context::Edit);
    cmd(&mut a, Cmd::Help);
    assert_eq!(a.context(), Context::Edit, "the help key closes it too");
}

#[test]
fn typed_text_goes_to_the_top_layer_only() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Filter);
    type_text(&mut a, "4477");
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::Open);
    cmd(&mut a, Cmd::Edit);
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "app-z");
    assert_eq!(a.edit_form().unwrap().form.value(0), "app-z");
    assert_eq!(
        a.owned.filter.value(),
        "4477",
        "the filter below is untouched"
    );
    // Typing with only the list on top changes nothing.
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Back);
    type_text(&mut a, "zz");
    assert_eq!(a.owned.filter.value(), "4477");
}

#[test]
fn read_only_refuses_from_every_layer_what_it_hides() {
    let mut a = loaded(three());
    a.read_only = true;
    for c in [
        Cmd::Edit,
        Cmd::CancelNumber,
        Cmd::Mark,
        Cmd::MarkAll,
        Cmd::ClearMarks,
        Cmd::Undo,
        Cmd::ShowRun,
    ] {
        assert!(c.changes_account());
        let before = stack(&a);
        assert!(cmd(&mut a, c).is_empty(), "{c:?} sends nothing");
        assert_eq!(stack(&a), before, "{c:?} opens nothing");
        let last = a
            .messages
            .current()
            .map(|t| t.text.clone())
            .unwrap_or_default();
        assert!(last.contains("read-only"), "{c:?}: {last}");
    }
    open_detail(&mut a);
    for c in [Cmd::Edit, Cmd::CancelNumber, Cmd::Undo] {
        cmd(&mut a, c);
        assert_eq!(a.context(), Context::Detail, "{c:?}");
    }
    assert!(a.marks.is_empty());
    to_search_results(&mut a);
    assert!(cmd(&mut a, Cmd::Buy).is_empty());
    assert_eq!(a.context(), Context::SearchResults);
}

#[test]
fn a_run_panel_replaces_the_bulk_form_and_esc_goes_to_the_list() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::MarkAll);
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "https://new.example.com/in");
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::Toggle);
    let (_, req) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(matches!(req, Request::Bulk { .. }));
    assert_eq!(stack(&a), vec![Context::Owned, Context::Bulk]);
    cmd(&mut a, Cmd::Back);
    assert_eq!(
        stack(&a),
        vec![Context::Owned],
        "the run goes on without its panel"
    );
    assert!(a.bulk.running());
    cmd(&mut a, Cmd::ShowRun);
    assert_eq!(a.context(), Context::Bulk);
}

#[test]
fn esc_in_an_edited_form_asks_before_dropping_the_edits() {
    let mut a = loaded(three());
    // Unedited: Esc closes at once.
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Owned);
    // Edited: Esc asks, Keep editing is focused; Enter on it keeps the edit.
    cmd(&mut a, Cmd::Edit);
    type_text(&mut a, "app-new");
    cmd(&mut a, Cmd::Back);
    assert!(matches!(
        a.dialog(),
        Some(Dialog::Discard {
            confirm_focused: false
        })
    ));
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.context(), Context::Edit);
    assert!(a.edit_form().unwrap().form.value(0).ends_with("app-new"));
    // n is no, y is yes.
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::No);
    assert_eq!(a.context(), Context::Edit);
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Yes);
    assert_eq!(
        a.context(),
        Context::Owned,
        "the form and its edits are gone"
    );
    // The bulk form too.
    cmd(&mut a, Cmd::MarkAll);
    cmd(&mut a, Cmd::Edit);
    type_text(&mut a, "-");
    cmd(&mut a, Cmd::Back);
    assert!(matches!(a.dialog(), Some(Dialog::Discard { .. })));
    cmd(&mut a, Cmd::Yes);
    assert_eq!(a.context(), Context::Owned);
}

#[test]
fn dialogs_take_y_and_n() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "x");
    cmd(&mut a, Cmd::Submit);
    assert!(matches!(a.dialog(), Some(Dialog::ConfirmUpdate { .. })));
    // n: closed, nothing sent.
    assert!(cmd(&mut a, Cmd::No).is_empty());
    assert_eq!(a.context(), Context::Edit);
    // y: saved at once, whichever button had the focus.
    cmd(&mut a, Cmd::Submit);
    let (_, req) = only_request(&cmd(&mut a, Cmd::Yes));
    assert!(matches!(req, Request::Update { .. }), "{req:?}");
    // The typed dialog (cancel) takes y and n as text, not as answers.
    let mut a = loaded(three());
    cmd(&mut a, Cmd::CancelNumber);
    assert_eq!(a.context(), Context::DialogText);
    assert!(cmd(&mut a, Cmd::Yes).is_empty());
    assert_eq!(a.context(), Context::DialogText);
}

#[test]
fn the_export_format_follows_the_file_name_and_the_reverse() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Export);
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "owned.json");
    assert_eq!(a.export_dialog().unwrap().format, ExportFormat::Json);
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "owned.csv");
    assert_eq!(a.export_dialog().unwrap().format, ExportFormat::Csv);
    cmd(&mut a, Cmd::Toggle);
    let e = a.export_dialog().unwrap();
    assert_eq!(
        (e.format, e.path.value()),
        (ExportFormat::Json, "owned.json")
    );
    let reqs = super::requests(&cmd(&mut a, Cmd::Submit));
    let [(_, Request::Export { path, format, .. })] = &reqs[..] else {
        panic!("{reqs:?}");
    };
    assert_eq!(
        (path.to_str(), *format),
        (Some("owned.json"), ExportFormat::Json)
    );
}

#[test]
fn the_palette_finds_a_command_of_the_layer_under_it_and_runs_it_there() {
    let mut a = loaded(three());
    open_detail(&mut a);
    cmd(&mut a, Cmd::Palette);
    assert_eq!(a.context(), Context::Palette);
    assert_eq!(a.context_below_top(), Context::Detail);
    // Every command of the detail view is offered, with its key.
    let all = a.palette_items("");
    assert!(
        all.iter().any(|(k, c)| k == "e" && *c == Cmd::Edit),
        "{all:?}"
    );
    assert!(
        !all.iter().any(|(_, c)| *c == Cmd::Export),
        "not a detail command"
    );
    type_text(&mut a, "cncl");
    let found = a.palette_items("cncl");
    assert_eq!(
        found.first().map(|(_, c)| *c),
        Some(Cmd::CancelNumber),
        "{found:?}"
    );
    cmd(&mut a, Cmd::Submit);
    assert_eq!(
        stack(&a),
        vec![Context::Owned, Context::Detail, Context::DialogText],
        "run in the detail view, the palette gone"
    );
    // Esc closes it without running anything; read-only offers no change.
    cmd(&mut a, Cmd::Back);
    a.read_only = true;
    cmd(&mut a, Cmd::Palette);
    assert!(!a.palette_items("").iter().any(|(_, c)| c.changes_account()));
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Detail);
}
