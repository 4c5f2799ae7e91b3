//! State tests of the messages: errors name their number and operation, every message is
//! logged (info too), counts are written one way.

use crate::api::{ApiError, Operation};
use crate::app::*;

use super::{cmd, loaded, many, only_request, three, type_text};

#[test]
fn a_failed_change_names_its_number_and_operation() {
    let mut a = loaded(three());
    let m = a.owned.selected_msisdn().unwrap();
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "x");
    cmd(&mut a, Cmd::Submit);
    let (id, _) = only_request(&cmd(&mut a, Cmd::Yes));
    a.update(Action::Reply {
        id,
        reply: Reply::Updated(Err(ApiError::MethodFailed {
            op: Operation::Update,
            label: "method failed".into(),
            hint: Operation::Update.method_failed_hint(),
        })),
    });
    let last = a.messages.log.last().unwrap();
    assert_eq!(last.level, Level::Error);
    assert!(
        last.text.starts_with(&format!("{m}: update failed")),
        "{}",
        last.text
    );
}

#[test]
fn every_message_is_logged_info_included_and_counts_have_separators() {
    let mut a = loaded(many(0..1234));
    cmd(&mut a, Cmd::MarkAll);
    let last = a.messages.log.last().unwrap();
    assert_eq!(last.level, Level::Info);
    assert!(last.text.starts_with("1,234 marked"), "{}", last.text);
    cmd(&mut a, Cmd::ClearMarks);
    assert_eq!(a.messages.log.last().unwrap().text, "marks cleared");
}
