//! Copy and export through the real binary in a pseudo-terminal (embedded sandbox): `y` puts
//! the selected msisdn on the terminal's clipboard through OSC 52, `x` then Enter writes the list to a file in the
//! working directory, and a second export to the same name asks before replacing it.

use crate::common::Cli;
use crate::common::pty::Pty;

#[test]
fn y_copies_through_osc_52_and_x_writes_a_file() {
    let cli = Cli::new().args(["--sandbox", "--sandbox-owned", "40"]);
    let home = cli.home();
    let mut t = Pty::start(&cli);
    t.wait_for("the list", 20, |s| {
        s.contains("40 shown of 40") && !s.contains("loading")
    });

    t.keys(&["j", "j", "y"]);
    let s = t.wait_for("the copy", 20, |s| s.contains("copied "));
    let copied = s
        .split("copied ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    assert!(copied.chars().all(|c| c.is_ascii_digit()), "{copied}");
    assert_eq!(t.clipboard(), Some(copied), "on the clipboard");

    t.keys(&["x"]);
    t.wait_for("the export dialog", 20, |s| {
        s.contains("Export the shown list")
    });
    t.keys(&["C-u"]);
    t.text("numbers.csv");
    // Tab: JSON, and the name follows.
    t.keys(&["Tab"]);
    t.wait_for("the JSON name", 20, |s| s.contains("numbers.json"));
    t.keys(&["Tab", "Enter"]);
    t.wait_for("the export", 20, |s| {
        s.contains("exported 40 numbers to numbers.csv")
    });
    let csv = std::fs::read_to_string(home.join("numbers.csv")).unwrap();
    assert_eq!(csv.lines().count(), 41, "a header and 40 rows");

    // Again: the file exists, Keep is focused, Enter keeps it.
    t.keys(&["x", "C-u"]);
    t.text("numbers.csv");
    t.keys(&["Enter"]);
    t.wait_for("the question", 20, |s| {
        s.contains("numbers.csv already exists")
    });
    std::fs::write(home.join("numbers.csv"), "mine").unwrap();
    t.keys(&["Enter"]);
    t.wait_for("the question closed", 20, |s| !s.contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(home.join("numbers.csv")).unwrap(),
        "mine"
    );
    t.quit();
}
