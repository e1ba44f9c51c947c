use std::process::ExitCode;

/// Rendering a page allocates and frees many small strings; glibc's malloc spent ~20 % of SSR
/// time on them under load, mimalloc's thread-local free lists far less (README, "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    server::cli::main()
}
