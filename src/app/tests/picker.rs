//! State tests of the application picker over the edit forms: it opens from the form, finds
//! an application by name or id, links by picking, unlinks, takes a typed id while the
//! applications cannot be read, and `Esc` leaves the form as it was.

use super::apps::with_apps;
use super::{cmd, type_text};
use crate::api::Change;
use crate::app::edit::APP_ID;
use crate::app::layer::Pick;
use crate::app::*;

fn app_field(a: &App) -> String {
    let form = match a.screen.top() {
        Some(Layer::Edit(e)) => &e.form,
        Some(Layer::BulkForm(b)) => &b.form,
        other => panic!("not a form: {other:?}"),
    };
    form.value(APP_ID).to_string()
}

/// The edit form of the first number shown (linked to app-a-1111), then the picker.
fn picking() -> App {
    let mut a = with_apps();
    cmd(&mut a, Cmd::Edit);
    assert_eq!(a.context(), Context::Edit);
    cmd(&mut a, Cmd::PickApp);
    assert_eq!(a.context(), Context::AppPicker);
    a
}

fn picked_change(a: &mut App) -> crate::api::NumberChange {
    cmd(a, Cmd::Submit);
    match a.screen.top() {
        Some(Layer::Dialog(Dialog::ConfirmUpdate { change, .. })) => change.clone(),
        other => panic!("not the review: {other:?}"),
    }
}

#[test]
fn with_no_query_the_picker_offers_unlink_then_every_application_by_name() {
    let a = picking();
    let items = a.picker_items("");
    assert_eq!(items[0], Pick::Unlink);
    let shown: Vec<&str> = items[1..]
        .iter()
        .map(|p| match p {
            Pick::App { shown, .. } => shown.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "Alerts",
            "Support line (app-a-11)",
            "Support line (app-b-22)"
        ]
    );
}

#[test]
fn picking_by_a_few_letters_of_the_name_links_the_number_to_that_application() {
    let mut a = picking();
    type_text(&mut a, "alrt");
    assert!(matches!(&a.picker_items("alrt")[0], Pick::App { id, .. } if id == "app-d-4444"));
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.context(), Context::Edit, "the picker closes");
    assert_eq!(app_field(&a), "app-d-4444");
    let change = picked_change(&mut a);
    assert_eq!(change.app_id, Change::Set("app-d-4444".into()));
}

#[test]
fn an_application_is_found_by_its_id_too_and_moves_pick_the_next() {
    let mut a = picking();
    type_text(&mut a, "support");
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), "app-b-2222", "the second Support line");

    cmd(&mut a, Cmd::PickApp);
    type_text(&mut a, "a-11");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), "app-a-1111");
}

#[test]
fn unlink_empties_the_field_and_the_change_clears_the_link() {
    let mut a = picking();
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), "");
    assert_eq!(picked_change(&mut a).app_id, Change::Clear);
}

#[test]
fn esc_closes_the_picker_and_leaves_the_form_as_it_was() {
    let mut a = picking();
    type_text(&mut a, "alerts");
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Edit);
    assert_eq!(app_field(&a), "app-a-1111");
}

#[test]
fn once_the_applications_are_known_only_text_shaped_as_an_id_is_offered_as_one() {
    let a = picking();
    let typed = |q: &str| a.picker_items(q).contains(&Pick::Typed(q.into()));
    // A few letters matching nothing are a search, not an id to link.
    assert!(!typed("supp"));
    assert!(!typed("0f3c-typed-id"));
    // An id no application listed has (another key's, or one made since).
    assert!(typed("0f3c1d2e-aaaa-4bbb-8ccc-1234567890ab"));
}

#[test]
fn a_typed_id_is_offered_as_it_is_while_the_applications_cannot_be_read() {
    let mut a = app_without_apps();
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::PickApp);
    assert_eq!(a.picker_items(""), [Pick::Unlink]);
    type_text(&mut a, "0f3c-typed-id");
    assert_eq!(
        a.picker_items("0f3c-typed-id"),
        [Pick::Typed("0f3c-typed-id".into())]
    );
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), "0f3c-typed-id");
    assert_eq!(
        picked_change(&mut a).app_id,
        Change::Set("0f3c-typed-id".into())
    );
}

/// [`with_apps`] whose key the Applications API refuses.
fn app_without_apps() -> App {
    let mut a = super::app();
    let effects = a.start();
    let reqs = super::requests(&effects);
    for (id, r) in reqs {
        let reply = match r {
            Request::ListAll(_) => Reply::Listed(Ok(super::apps::linked())),
            Request::Applications => {
                Reply::Applications(Err(crate::api::ApiError::Authentication {
                    op: crate::api::Operation::ListApplications,
                    label: "Forbidden".into(),
                }))
            }
            _ => continue,
        };
        a.update(Action::Reply { id, reply });
    }
    a
}

#[test]
fn in_the_bulk_form_unlink_is_its_dash_and_a_pick_sets_every_marked_number() {
    let mut a = with_apps();
    cmd(&mut a, Cmd::MarkAll);
    cmd(&mut a, Cmd::Edit);
    assert_eq!(a.context(), Context::BulkForm);
    cmd(&mut a, Cmd::PickApp);
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), crate::app::bulk::REMOVE);

    cmd(&mut a, Cmd::PickApp);
    type_text(&mut a, "alerts");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(app_field(&a), "app-d-4444");
    cmd(&mut a, Cmd::Submit);
    match a.screen.top() {
        Some(Layer::BulkConfirm(c)) => {
            assert_eq!(c.change.app_id, Change::Set("app-d-4444".into()));
            assert_eq!(
                c.targets.len(),
                4,
                "every marked number not linked to it yet"
            );
        }
        other => panic!("not the bulk review: {other:?}"),
    }
}

#[test]
fn the_picker_opens_only_over_an_edit_form() {
    let mut a = with_apps();
    cmd(&mut a, Cmd::PickApp);
    assert_eq!(a.context(), Context::Owned);
}
