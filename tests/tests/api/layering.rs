//! The HTTP crate parses, calls the application layer and renders: it opens no transaction
//! and names no repository. This test reads its sources and holds it to that.

use std::path::{Path, PathBuf};

/// What only the application layer may say: opening a transaction, or naming the port that
/// is one or a repository in it.
const FORBIDDEN: &[&str] = &[
    ".begin()",
    ".begin_read()",
    "dyn Tx",
    "ports::Tx",
    "Repo,",
    "Repo}",
    "Repo;",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the http sources") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_http_crate_opens_no_transaction_and_names_no_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/http/src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 20, "found the http crate's sources");
    let mut offences = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let found: Vec<_> = FORBIDDEN.iter().filter(|f| text.contains(*f)).collect();
        if !found.is_empty() {
            offences.push(format!("{name}: {found:?}"));
        }
    }
    assert!(
        offences.is_empty(),
        "these files of crates/http reach past the application layer; move the work into \
         pos_domain::app: {offences:#?}"
    );
}
