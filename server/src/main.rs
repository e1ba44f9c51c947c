use std::process::ExitCode;

/// Rendering a page allocates and frees many small strings; glibc's malloc spent ~20 % of SSR
/// time on them under load, mimalloc's thread-local free lists far less (README, "Speed").
/// Built as its v2 series without transparent huge pages, which kept the resident memory near
/// twice what the server uses (docs/architecture.md, "Memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    server::cli::main()
}
