//! Copy and export through the real binary in tmux (embedded sandbox): `y` puts the selected
//! msisdn on tmux's clipboard through OSC 52, `x` then Enter writes the list to a file in the
//! working directory, and a second export to the same name asks before replacing it.

use crate::common::TempDir;
use crate::common::tmux::Tmux;

#[test]
fn y_copies_through_osc_52_and_x_writes_a_file() {
    let home = TempDir::new("export-e2e");
    let dir = home.path().display().to_string();
    let cmd = format!(
        "{} --sandbox --sandbox-owned 40",
        env!("CARGO_BIN_EXE_switchboard")
    );
    let env = [
        ("HOME", dir.clone()),
        ("SWITCHBOARD_CACHE_DIR", format!("{dir}/cache")),
        ("SWITCHBOARD_CONFIG", "/nonexistent/switchboard.toml".into()),
    ];
    let t = Tmux::start("export", &cmd, &env, Some(&dir));
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
    assert_eq!(t.run(&["show-buffer"]), copied, "on the clipboard");

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
    let csv = std::fs::read_to_string(home.path().join("numbers.csv")).unwrap();
    assert_eq!(csv.lines().count(), 41, "a header and 40 rows");

    // Again: the file exists, Keep is focused, Enter keeps it.
    t.keys(&["x", "C-u"]);
    t.text("numbers.csv");
    t.keys(&["Enter"]);
    t.wait_for("the question", 20, |s| {
        s.contains("numbers.csv already exists")
    });
    std::fs::write(home.path().join("numbers.csv"), "mine").unwrap();
    t.keys(&["Enter"]);
    t.wait_for("the question closed", 20, |s| !s.contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(home.path().join("numbers.csv")).unwrap(),
        "mine"
    );
    t.quit();
}
