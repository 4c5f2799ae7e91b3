use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::api::{Feature, NumberType};

fn temp_root(tag: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("sb-cache-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn numbers(n: usize) -> Vec<OwnedNumber> {
    (0..n)
        .map(|i| OwnedNumber {
            country: Some("GB".into()),
            msisdn: Some(format!("4477009{i:05}")),
            number_type: Some(if i % 2 == 0 {
                NumberType::MobileLvn
            } else {
                NumberType::Other("premium".into())
            }),
            features: vec![Feature::Sms, Feature::Voice].into(),
            app_id: (i % 3 == 0).then(|| format!("aaaa{i:04}-bbbb-4ccc-8ddd-eeeeffff0000").into()),
            mo_http_url: Some(format!("https://hooks.example.com/sms/{i}").into()),
            voice_callback_type: (i % 5 == 1).then(|| "tel".into()),
            voice_callback_value: (i % 5 == 1).then(|| "442079600000".into()),
            ..Default::default()
        })
        .collect()
}

#[test]
fn a_list_reads_back_as_written_with_its_age() {
    let root = temp_root("roundtrip");
    let cache = Cache::for_account(&root, "abcd1234", "https://rest.nexmo.com");
    let list = numbers(50);
    let fetched = SystemTime::now() - Duration::from_secs(185);
    cache.save(&list, fetched).unwrap();
    let back = cache.load(SystemTime::now()).expect("the cache is read");
    assert_eq!(back.numbers, list);
    assert!((185..=187).contains(&back.age.as_secs()), "{:?}", back.age);
    let text = std::fs::read_to_string(cache.path()).unwrap();
    assert!(!text.contains("secret"), "nothing but the list is written");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn accounts_and_apis_never_share_a_file() {
    let root = Path::new("/x");
    let live = Cache::for_account(root, "key1", "https://rest.nexmo.com");
    let sandbox = Cache::for_account(root, "key1", "http://127.0.0.1:4000");
    let other = Cache::for_account(root, "key2", "https://rest.nexmo.com");
    let slash = Cache::for_account(root, "key1", "https://rest.nexmo.com/");
    assert_ne!(live, sandbox);
    assert_ne!(live, other);
    assert_eq!(live, slash);
    let odd = Cache::for_account(root, "../../etc/passwd", "x");
    assert_eq!(odd.path().parent(), Some(root));
}

#[test]
fn a_write_replaces_the_file_whole_and_leaves_no_temporary_file() {
    let root = temp_root("atomic");
    let cache = Cache::for_account(&root, "k", "p");
    cache.save(&numbers(1000), SystemTime::now()).unwrap();
    cache.save(&numbers(3), SystemTime::now()).unwrap();
    assert_eq!(cache.load(SystemTime::now()).unwrap().numbers.len(), 3);
    let files: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert_eq!(files.len(), 1, "only the cache file: {files:?}");
    // A write that cannot finish leaves the old file as it was.
    let blocked = Cache::for_account(&root.join("file-not-dir"), "k", "p");
    std::fs::write(root.join("file-not-dir"), b"x").unwrap();
    assert!(blocked.save(&numbers(1), SystemTime::now()).is_err());
    assert_eq!(cache.load(SystemTime::now()).unwrap().numbers.len(), 3);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn corrupt_truncated_or_other_version_files_are_ignored() {
    let root = temp_root("corrupt");
    let cache = Cache::for_account(&root, "k", "p");
    assert_eq!(cache.load(SystemTime::now()), None, "no file yet");
    let good = Cache::encode(&numbers(20), SystemTime::now());
    for bad in [
        b"not json".to_vec(),
        good[..good.len() / 2].to_vec(),
        br#"{"version":99,"fetched":0,"numbers":[]}"#.to_vec(),
        br#"[1,2,3]"#.to_vec(),
    ] {
        std::fs::write(cache.path(), &bad).unwrap();
        assert_eq!(cache.load(SystemTime::now()), None);
    }
    std::fs::write(cache.path(), &good).unwrap();
    assert!(cache.load(SystemTime::now()).is_some());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn ages_read_like_a_person_would_say_them() {
    assert_eq!(age_label(Duration::from_secs(12)), "12 s");
    assert_eq!(age_label(Duration::from_secs(185)), "3 min");
    assert_eq!(age_label(Duration::from_secs(7300)), "2 h");
    assert_eq!(age_label(Duration::from_secs(90_000)), "1 day");
    assert_eq!(age_label(Duration::from_secs(4 * 86_400 + 5)), "4 days");
}

/// Not a timed assertion: prints how long 10,000 and 100,000 numbers take to write and read
/// (`cargo test --release --lib cache::tests::load_time -- --nocapture --ignored`).
#[test]
#[ignore]
fn load_time() {
    let root = temp_root("timing");
    for n in [10_000, 100_000] {
        let cache = Cache::for_account(&root, "k", &n.to_string());
        let list = numbers(n);
        let t = Instant::now();
        cache.save(&list, SystemTime::now()).unwrap();
        let write = t.elapsed();
        let t = Instant::now();
        let back = cache.load(SystemTime::now()).unwrap();
        let read = t.elapsed();
        let size = std::fs::metadata(cache.path()).unwrap().len();
        assert_eq!(back.numbers.len(), n);
        println!("{n} numbers: {size} bytes, write {write:?}, read {read:?}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}
