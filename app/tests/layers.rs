//! Dependencies point one way: domain ← db ← services (access, auth, billing, resources,
//! generation, housekeeping) ← server functions, pages and routes. Read from the sources, so a
//! wrong-way import fails here before it becomes a knot.

use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `relative` (a directory or a file of `src/`).
fn rust_files(relative: &str) -> Vec<PathBuf> {
    let root = src().join(relative);
    if root.is_file() {
        return vec![root];
    }
    let mut found = Vec::new();
    let mut todo = vec![root];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found
}

/// (file:line, line) of every non-comment line in `layer` that mentions one of `forbidden`.
fn violations(layer: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for relative in layer {
        for file in rust_files(relative) {
            let text = fs::read_to_string(&file).expect("read source");
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                if let Some(word) = forbidden.iter().find(|w| code.contains(*w)) {
                    let shown = file.strip_prefix(src()).unwrap_or(&file).display();
                    found.push(format!("{shown}:{}: uses `{word}`: {code}", n + 1));
                }
            }
        }
    }
    found
}

const SERVICES: &[&str] = &[
    "access",
    "auth",
    "billing",
    "resources",
    "generation",
    "housekeeping.rs",
    "site.rs",
];

#[test]
fn the_domain_does_no_io_and_knows_no_other_layer() {
    let forbidden = [
        "sqlx",
        "axum",
        "leptos",
        "tokio",
        "reqwest",
        "crate::db",
        "crate::access",
        "crate::auth",
        "crate::api",
        "crate::ui",
        "crate::state",
    ];
    let found = violations(&["domain"], &forbidden);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_database_layer_knows_no_service_or_interface() {
    let forbidden = [
        "crate::access",
        "crate::auth",
        "crate::billing",
        "crate::resources",
        "crate::generation",
        "crate::api",
        "crate::ui",
        "crate::state",
    ];
    let found = violations(&["db"], &forbidden);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn services_return_their_own_types_and_never_reach_for_the_interface() {
    // `system_now`: services read the one clock (`Db::now`), which tests can set.
    let forbidden = [
        "crate::api",
        "crate::ui",
        "crate::state",
        "AppState",
        "system_now",
    ];
    let found = violations(SERVICES, &forbidden);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
