//! Room for `--split` to move each lazy page's constant data out of the first wasm file.

/// Bytes that no code reads, kept by the linker (`#[used]`), that let the splitter give each
/// split file the constant data only its code uses — a page's text, markup and class names —
/// instead of leaving all of it in `tollgate.wasm`, which every visitor downloads.
///
/// Why: the splitter (cargo-leptos' `wasm_split_cli_support`) lays the read-only data out again,
/// grouped by the file whose code uses it, each group aligned. If that layout comes out longer
/// than the linker's by a single byte — alignment padding, 78 bytes over 143 files when this was
/// found (issue 9, stop 26) — it gives up and leaves the whole segment in the first file, saying
/// so only under `cargo leptos --log wasm`. Data that nothing uses is left out of the new layout,
/// so these bytes are room in the old one and in no output file. The end-to-end suite's size
/// budget for the first file (`end2end/tests/bundle.spec.ts`) fails if the splitter gives up
/// again. The byte value is arbitrary.
#[used]
static SPLIT_DATA_ROOM: [u8; 4096] = [0x5a; 4096];
