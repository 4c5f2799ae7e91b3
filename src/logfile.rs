//! The log file: only its owner can read it (0600), it is rotated by size (one old file kept),
//! and every line written is made safe first: no control or invisible character reaches it raw
//! (a `cat` of the log must not retitle the terminal or set its clipboard), and a password in a
//! URL (`https://user:password@host`) is masked.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The size past which the log is rotated to `<name>.1` (the previous `.1` is dropped): at most
/// twice this on disk.
pub const MAX_LOG_BYTES: u64 = 10 << 20;

/// A size-rotated, owner-only log file that escapes what it is given.
pub struct LogFile {
    path: PathBuf,
    file: File,
    written: u64,
    max: u64,
}

impl LogFile {
    /// Opens (appends to) `dir/name`, creating it 0600; an existing file's mode is tightened.
    pub fn open(dir: &Path, name: &str, max: u64) -> io::Result<LogFile> {
        let path = dir.join(name);
        let file = open_private(&path)?;
        let written = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(LogFile {
            path,
            file,
            written,
            max: max.max(1),
        })
    }

    fn rotate(&mut self) -> io::Result<()> {
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.path, &old)?;
        self.file = open_private(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

impl Write for LogFile {
    /// `buf` is one formatted event (tracing writes each whole); it is written made safe, and
    /// counted as written in full.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = safe_log_text(&String::from_utf8_lossy(buf));
        if self.written > 0 && self.written + text.len() as u64 > self.max {
            self.rotate()?;
        }
        self.file.write_all(text.as_bytes())?;
        self.written += text.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// `s` as it may be written to the log: a final line break kept, every other control or
/// invisible character (line breaks inside a message included) written as `\u{..}`, and URL
/// passwords masked.
pub fn safe_log_text(s: &str) -> String {
    let (body, newline) = match s.strip_suffix('\n') {
        Some(b) => (b, "\n"),
        None => (s, ""),
    };
    let mut out = String::with_capacity(body.len() + 1);
    for c in crate::api::validate::mask_url_passwords(body).chars() {
        if crate::api::validate::is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push_str(newline);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_passwords_do_not_reach_the_log() {
        let line = "label=\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{9b}31m url=https://ops:hunter2@hook.example/in\n";
        let safe = safe_log_text(line);
        assert!(!safe.contains('\u{1b}') && !safe.contains('\u{9b}') && !safe.contains('\u{7}'));
        assert!(!safe.contains("hunter2"), "{safe}");
        assert!(safe.contains("https://ops:***@hook.example/in"), "{safe}");
        assert!(safe.ends_with("in\n") && safe.matches('\n').count() == 1);
        assert_eq!(safe_log_text("a\nb\n"), "a\\u{a}b\n");
    }

    #[test]
    fn the_log_is_private_and_rotated_by_size() {
        let dir = std::env::temp_dir().join(format!("switchboard-logfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut log = LogFile::open(&dir, "t.log", 1000).unwrap();
        for _ in 0..50 {
            log.write_all(&[b'x'; 99]).unwrap();
            log.write_all(b"\n").unwrap();
        }
        let len = |p: &str| std::fs::metadata(dir.join(p)).map(|m| m.len()).unwrap_or(0);
        assert!(len("t.log") <= 1000, "{}", len("t.log"));
        assert!(len("t.log.1") <= 1000 && len("t.log.1") > 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("t.log"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
