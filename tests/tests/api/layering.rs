//! The HTTP crate and the wire contract it renders through parse, call the application layer
//! and render: they open no transaction and name no repository. This test reads their sources
//! and holds them to that.

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
fn the_http_and_api_crates_open_no_transaction_and_name_no_repository() {
    for (krate, least) in [("http", 20), ("api", 15)] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates")
            .join(krate)
            .join("src");
        let mut files = Vec::new();
        sources(&root, &mut files);
        assert!(files.len() > least, "found the {krate} crate's sources");
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
            "these files of crates/{krate} reach past the application layer; move the work \
             into pos_domain::app: {offences:#?}"
        );
    }
}
