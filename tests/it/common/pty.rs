//! The real binary in a pseudo-terminal that the test opens itself (`/dev/ptmx`), its output
//! fed to an in-memory terminal (`vt100`): start it, type at it, read the screen back, see
//! whether the alternate screen is on and what was put on the clipboard (OSC 52), wait for it
//! to exit. Nothing outside cargo is needed. The program is killed on drop.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine;

use super::{Cli, wait};

pub const COLS: u16 = 120;
pub const ROWS: u16 = 40;

/// What the terminal saw besides the screen.
#[derive(Default)]
struct Seen {
    /// The text of the last OSC 52 copy, decoded.
    clipboard: Option<String>,
}

impl vt100::Callbacks for Seen {
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        let text = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|e| format!("<not base64: {e}>"));
        self.clipboard = Some(text);
    }
}

struct Terminal {
    parser: vt100::Parser<Seen>,
    /// The program side closed (every process holding the terminal has exited).
    closed: bool,
}

pub struct Pty {
    master: File,
    child: Child,
    term: Arc<Mutex<Terminal>>,
    status: Option<ExitStatus>,
}

impl Pty {
    /// `switchboard` with the arguments and hermetic environment of `cli` (working directory:
    /// its temporary HOME), in a 120x40 terminal, `TERM=xterm-256color`.
    pub fn start(cli: &Cli) -> Pty {
        Pty::spawn(cli.std_command())
    }

    /// `sh -c SCRIPT` where `"$@"` is `switchboard` with `cli`'s arguments: so a test can see
    /// what the shell finds after the program (`echo exit=$?`, `stty -a`).
    pub fn shell(cli: &Cli, script: &str) -> Pty {
        let bin = cli.std_command();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .arg("sh")
            .arg(bin.get_program())
            .args(bin.get_args())
            .env_clear()
            .envs(bin.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        if let Some(dir) = bin.get_current_dir() {
            cmd.current_dir(dir);
        }
        Pty::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Pty {
        // Opened close-on-exec (the standard library's default), so no other test's child
        // inherits this terminal and keeps it open.
        let master = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open("/dev/ptmx")
            .expect("open /dev/ptmx");
        let fd = master.as_raw_fd();
        let size = libc::winsize {
            ws_row: ROWS,
            ws_col: COLS,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let mut name = [0 as libc::c_char; 128];
        // SAFETY: `fd` is an open pseudo-terminal master; `name` and `size` outlive the calls.
        let ok = unsafe {
            libc::grantpt(fd) == 0
                && libc::unlockpt(fd) == 0
                && libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) == 0
                && libc::ioctl(fd, libc::TIOCSWINSZ, &size) == 0
        };
        assert!(
            ok,
            "set up the pseudo-terminal: {}",
            std::io::Error::last_os_error()
        );
        // SAFETY: ptsname_r wrote a NUL-terminated path into `name`.
        let path = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(path.to_str().expect("utf-8 pty path"))
            .expect("open the pty's terminal side");
        let io = |f: &File| Stdio::from(f.try_clone().expect("dup the terminal"));
        cmd.stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave))
            .env("TERM", "xterm-256color");
        // SAFETY: only async-signal-safe calls between fork and exec: a new session whose
        // controlling terminal is the pty (stdin, already in place).
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start the program in the pty");
        // Only the child holds the terminal side now: its exit closes it, ending the reader.
        drop(slave);
        drop(cmd);
        let term = Arc::new(Mutex::new(Terminal {
            parser: vt100::Parser::new_with_callbacks(
                ROWS.try_into().expect("rows"),
                COLS.try_into().expect("cols"),
                0,
                Seen::default(),
            ),
            closed: false,
        }));
        let mut reader = master.try_clone().expect("dup the master");
        let fed = term.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                // EIO (Linux) or 0 once every process holding the terminal side has exited.
                let n = reader.read(&mut buf).unwrap_or(0);
                let mut t = fed.lock().unwrap_or_else(|e| e.into_inner());
                if n == 0 {
                    t.closed = true;
                    return;
                }
                t.parser.process(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            term,
            status: None,
        }
    }

    fn term(&self) -> MutexGuard<'_, Terminal> {
        self.term.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keys by name: `Enter`, `Tab`, `BTab`, `Escape`, `Up`, `Down`, `C-x` (Ctrl+x), `M-x`
    /// (Alt+x: Esc then x), or a single character. All of them in one write.
    pub fn keys(&mut self, keys: &[&str]) {
        let mut bytes = Vec::new();
        for k in keys {
            match *k {
                "Enter" => bytes.push(b'\r'),
                "Tab" => bytes.push(b'\t'),
                "BTab" => bytes.extend(b"\x1b[Z"),
                "Escape" => bytes.push(0x1b),
                "Up" => bytes.extend(b"\x1b[A"),
                "Down" => bytes.extend(b"\x1b[B"),
                k if k.len() == 3 && k.starts_with("C-") => {
                    bytes.push(k.as_bytes()[2].to_ascii_lowercase() & 0x1f)
                }
                k if k.len() == 3 && k.starts_with("M-") => {
                    bytes.push(0x1b);
                    bytes.push(k.as_bytes()[2]);
                }
                k if k.chars().count() == 1 => bytes.extend(k.as_bytes()),
                k => panic!("no such key name: {k:?}"),
            }
        }
        self.write(&bytes);
    }

    /// Text typed literally.
    pub fn text(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    /// A left click at `col`, `row` (1-based, as the terminal counts), sent as the terminal
    /// sends it with mouse reporting on: an SGR press then release (`ESC [ < 0 ; x ; y M/m`).
    pub fn click(&mut self, col: usize, row: usize) {
        self.text(&format!("\u{1b}[<0;{col};{row}M\u{1b}[<0;{col};{row}m"));
    }

    fn write(&mut self, bytes: &[u8]) {
        self.master
            .write_all(bytes)
            .and_then(|()| self.master.flush())
            .expect("type at the program");
    }

    /// The screen as text, one line per row, trailing blanks cut.
    pub fn screen(&self) -> String {
        let t = self.term();
        let rows: Vec<String> = t
            .parser
            .screen()
            .rows(0, COLS)
            .map(|r| r.trim_end().to_string())
            .collect();
        rows.join("\n")
    }

    /// The first row at or below `from` with a reversed cell (the selection): its index and
    /// its first word.
    pub fn reversed_row(&self, from: u16) -> Option<(u16, String)> {
        let t = self.term();
        let screen = t.parser.screen();
        (from..ROWS)
            .find(|&r| (0..COLS).any(|c| screen.cell(r, c).is_some_and(|c| c.inverse())))
            .map(|r| {
                let text = screen.rows(0, COLS).nth(usize::from(r)).unwrap_or_default();
                let word = text.trim_start_matches('│').split_whitespace().next();
                (r, word.unwrap_or_default().to_string())
            })
    }

    /// Whether the alternate screen is on.
    pub fn alternate_screen(&self) -> bool {
        self.term().parser.screen().alternate_screen()
    }

    /// What the program last put on the clipboard with OSC 52.
    pub fn clipboard(&self) -> Option<String> {
        self.term().parser.callbacks().clipboard.clone()
    }

    /// Waits until the screen satisfies `ok` (at most `secs`).
    pub fn wait_for(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
        wait::seen(what, secs, || {
            let s = self.screen();
            if ok(&s) { Ok(s) } else { Err(s) }
        })
    }

    /// Waits until the screen shows `text` (at most 60 s).
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, 60, |s| s.contains(text))
    }

    /// Waits until the program has exited and all it wrote is on the screen (at most `secs`).
    pub fn wait_exit(&mut self, secs: u64) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let child = &mut self.child;
        let term = &self.term;
        let status = wait::seen("the program to exit", secs, || {
            let status = child.try_wait().expect("wait for the program");
            let closed = term.lock().unwrap_or_else(|e| e.into_inner()).closed;
            match status {
                Some(s) if closed => Ok(s),
                _ => Err(format!("exited: {status:?}, terminal closed: {closed}")),
            }
        });
        self.status = Some(status);
        status
    }

    /// `q`, then waits for the program to exit, successfully.
    pub fn quit(&mut self) {
        self.keys(&["q"]);
        let status = self.wait_exit(20);
        assert!(
            status.success(),
            "quit ended in {status}:\n{}",
            self.screen()
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
