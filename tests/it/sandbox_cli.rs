//! `switchboard sandbox` as a process: what it prints (the subaccount's secret too, so a
//! `--target-api-key` buy can be checked), a flag it cannot honour (`--owned` with an existing
//! `--state` file) is warned about, and after Ctrl-C it leaves nothing in the temp directory.

use std::path::Path;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use crate::common::{Cli, TempDir};

/// A `switchboard sandbox` process, stopped with SIGINT as Ctrl-C would.
struct Served {
    child: tokio::process::Child,
    /// Its temporary HOME, kept while it runs.
    _cli: Cli,
    /// What it printed up to "Ctrl-C stops it."
    banner: String,
}

impl Served {
    async fn start(cli: Cli) -> Served {
        let mut child = cli.command().spawn().expect("spawn the sandbox");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut banner = String::new();
        let read = async {
            while let Some(line) = lines.next_line().await.expect("read stdout") {
                banner.push_str(&line);
                banner.push('\n');
                if line.contains("Ctrl-C stops it") {
                    return;
                }
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), read)
            .await
            .unwrap_or_else(|_| panic!("the sandbox did not start; it said:\n{banner}"));
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Served {
            child,
            _cli: cli,
            banner,
        }
    }

    /// Ctrl-C, then its exit code and stderr.
    async fn interrupt(mut self) -> (i32, String) {
        let pid = self.child.id().expect("running") as libc::pid_t;
        // SAFETY: a signal to our own child, still running (not yet waited for).
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr).await;
        }
        let status = self.child.wait().await.expect("wait");
        (status.code().expect("exited, not killed"), stderr)
    }
}

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read the temp dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_tls_leaves_no_certificate_directory_after_ctrl_c() {
    let tmp = TempDir::new("sandbox-tmpdir");
    let tmp_s = tmp.path().to_str().expect("utf-8").to_string();
    let served = Served::start(
        Cli::new()
            .env("TMPDIR", &tmp_s)
            .args(["sandbox", "--tls", "--owned", "3"]),
    )
    .await;
    let pem = served
        .banner
        .lines()
        .find_map(|l| l.trim().strip_prefix("certificate: "))
        .unwrap_or_else(|| panic!("no certificate path:\n{}", served.banner))
        .to_string();
    assert!(
        pem.starts_with(&tmp_s) && Path::new(&pem).exists(),
        "{pem} under {tmp_s}"
    );
    let (code, stderr) = served.interrupt().await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(entries(tmp.path()), Vec::<String>::new(), "left in TMPDIR");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_banner_shows_the_subaccount_secret() {
    let served = Served::start(Cli::new().args(["sandbox", "--owned", "2"])).await;
    let defaults = switchboard::sandbox::SandboxConfig::default();
    let (key, secret) = &defaults.subaccounts[0];
    let line = served
        .banner
        .lines()
        .find(|l| l.contains("subaccount:"))
        .unwrap_or_else(|| panic!("no subaccount line:\n{}", served.banner))
        .to_string();
    assert!(
        line.contains(key.as_str()) && line.contains(secret.as_str()),
        "{line}"
    );
    served.interrupt().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn owned_with_an_existing_state_file_is_warned_about() {
    let dir = TempDir::new("sandbox-state");
    let state = dir.path().join("state.json");
    let state_s = state.to_str().expect("utf-8");
    let first =
        Served::start(Cli::new().args(["sandbox", "--owned", "7", "--state", state_s])).await;
    let (_, stderr) = first.interrupt().await;
    assert!(
        !stderr.contains("warning"),
        "a new file: no warning: {stderr}"
    );
    assert!(state.exists());

    let again =
        Served::start(Cli::new().args(["sandbox", "--owned", "40", "--state", state_s])).await;
    assert!(
        again.banner.contains("owned: 7 numbers"),
        "{}",
        again.banner
    );
    let (_, stderr) = again.interrupt().await;
    assert!(
        stderr.contains("warning: --owned 40 is ignored") && stderr.contains(state_s),
        "{stderr}"
    );
}
