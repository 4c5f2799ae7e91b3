//! The config file through the real binary: `config path`, `config show` (secret masked, the
//! settings in effect: presets, overrides, unbound actions, NO_COLOR), and mistakes refused at
//! start with exit code 2, naming the line and the value, before anything is sent.

use crate::common::{Cli, Run};

const SECRET: &str = "s3cr3t-value-never-shown";

/// A config file with `text` in a fresh HOME (mode 600); the Cli is pointed at it.
fn with_config(text: &str) -> Cli {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    let path = cli.home().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let p = path.to_str().unwrap().to_string();
    cli.env("SWITCHBOARD_CONFIG", &p)
}

async fn show(text: &str) -> Run {
    with_config(text).args(["config", "show"]).run().await
}

#[tokio::test(flavor = "multi_thread")]
async fn config_path_names_the_file() {
    let cli = with_config("");
    let expected = cli.home().join("config.toml");
    let run = cli.args(["config", "path"]).run().await;
    run.expect_code(0);
    assert_eq!(run.stdout.trim(), expected.to_str().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn show_masks_the_secret_and_prints_the_settings_in_effect() {
    let text = format!(
        "api_key = \"cfgkey\"\napi_secret = \"{SECRET}\"\n\n[keys]\npreset = \"vim\"\n\
         refresh = []\nhelp = [\"F1\", \"?\"]\nedit = \"Ctrl-E\"\n\n[ui]\npage_size = 50\n\n\
         [api]\nrate = 2.5\n"
    );
    let run = show(&text).await;
    run.expect_code(0);
    let out = &run.stdout;
    assert!(
        !out.contains(SECRET) && !run.stderr.contains(SECRET),
        "{run:#?}"
    );
    assert!(out.contains("api_secret = \"********\""), "{out}");
    assert!(out.contains("# [keys] preset = \"vim\""), "{out}");
    assert!(out.contains("#   refresh = []"), "unbound: {out}");
    assert!(out.contains("#   help = [\"F1\", \"?\"]"), "{out}");
    assert!(out.contains("#   edit = [\"Ctrl-E\"]"), "{out}");
    assert!(
        out.contains("#   page_down = [\"Ctrl-D\", \"Ctrl-F\", \"PgDn\"]"),
        "the vim preset: {out}"
    );
    assert!(out.contains("#   force_quit = [\"Ctrl-C\"]"), "{out}");
    assert!(out.contains("# [ui] page_size = 50, cache = true"), "{out}");
    assert!(out.contains("# [api] rate = 2.5"), "{out}");
    assert!(
        out.contains("# [theme] colors = \"terminal\", accent = \"cyan\""),
        "{out}"
    );
    // The output is TOML that reads back to the same file.
    let back: toml::Table = toml::from_str(out).expect("config show prints TOML");
    assert_eq!(back["keys"]["preset"].as_str(), Some("vim"));

    // The flag wins over the file.
    let run = with_config(&text)
        .args(["--rate", "0.5", "config", "show"])
        .run()
        .await;
    assert!(run.stdout.contains("# [api] rate = 0.5"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_color_and_colors_none_turn_colours_off() {
    let run = with_config("")
        .env("NO_COLOR", "1")
        .args(["config", "show"])
        .run()
        .await;
    assert!(
        run.stdout
            .contains("# [theme] colors = \"none\" (NO_COLOR is set)"),
        "{run:#?}"
    );
    // An empty NO_COLOR is not set (no-color.org).
    let run = with_config("")
        .env("NO_COLOR", "")
        .args(["config", "show"])
        .run()
        .await;
    assert!(run.stdout.contains("colors = \"terminal\""), "{run:#?}");
    let run = show("[theme]\ncolors = \"none\"\n").await;
    assert!(
        run.stdout.contains("# [theme] colors = \"none\""),
        "{run:#?}"
    );
    let run = show("[theme]\naccent = \"light-blue\"\n").await;
    assert!(run.stdout.contains("accent = \"lightblue\""), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mistakes_are_refused_at_start_naming_the_line_and_the_value() {
    let cases: [(&str, &[&str]); 8] = [
        (
            "[keys]\nquit = [\"q\"]\nrefesh = [\"r\"]\n",
            &["line 3", "unknown action \"refesh\"", "refresh"],
        ),
        (
            "[keys]\n\nrefresh = [\"Ctrl-\"]\n",
            &["line 3", "\"Ctrl-\""],
        ),
        ("[keys]\nhelp = [\"PageDn\"]\n", &["line 2", "\"PageDn\""]),
        (
            "[keys]\nquit = [\"Ctrl-C\"]\n",
            &["line 2", "Ctrl-C always quits"],
        ),
        (
            "[keys]\npreset = \"emacs\"\n",
            &["line 2", "\"emacs\"", "vim"],
        ),
        (
            "[theme]\ncolors = \"rainbow\"\n",
            &["line 2", "\"rainbow\""],
        ),
        (
            "[theme]\n\nsuccess = \"#00ff00\"\n",
            &["line 3", "\"#00ff00\""],
        ),
        ("[ui]\npage_size = 500\n", &["line 2", "page_size = 500"]),
    ];
    for (text, expected) in cases {
        // The TUI itself refuses to start (it never reaches the terminal: stdin is null).
        for args in [&["config", "show"][..], &["--sandbox"][..]] {
            let run = with_config(text).args(args).run().await;
            run.expect_code(2);
            for e in expected {
                assert!(
                    run.stderr.contains(e),
                    "{text:?} {args:?}: {e:?} in {run:#?}"
                );
            }
        }
    }
}
