//! Runs the crate's examples as a user would, for the tests that check them end to end.
//!
//! `cargo test` builds the examples before it runs the tests, so the binaries are found next to
//! the test's own binary (`target/debug/examples/`). When one is not there, or is older than its
//! source (`cargo test --test it` builds no example), it is built first with `cargo build`.
//! Every run has a time limit: a run that takes longer is killed and fails the test.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long an ordinary run may take, building aside.
pub const ORDINARY_LIMIT: Duration = Duration::from_secs(120);

/// `target/<profile>/examples/<name>`, found from this test's binary in
/// `target/<profile>/deps/`.
fn binary_path(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    Some(
        profile_dir
            .join("examples")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX)),
    )
}

/// Whether the binary exists and is not older than its source.
fn fresh(binary: &Path, name: &str) -> bool {
    let modified = |path: &Path| path.metadata().and_then(|meta| meta.modified()).ok();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{name}.rs"));
    match (modified(binary), modified(&source)) {
        (Some(built), Some(written)) => built >= written,
        _ => false,
    }
}

/// The example's binary, built first when it is missing or stale.
pub fn example_binary(name: &str) -> PathBuf {
    let binary = binary_path(name).expect("the test binary's own path");
    if !fresh(&binary, name) {
        let release = binary
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .is_some_and(|profile| profile == "release");
        let mut build = Command::new(env!("CARGO"));
        build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet", "--example", name]);
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "cargo build --example {name}: {status}");
    }
    binary
}

/// Runs an example with `stdin` as its input and waits for it.
pub fn run_example(name: &str, args: &[&str], stdin: &[u8]) -> Output {
    run_example_within(name, args, stdin, ORDINARY_LIMIT)
}

/// Runs an example with `stdin` as its input and waits for it, at most `limit`.
pub fn run_example_within(name: &str, args: &[&str], stdin: &[u8], limit: Duration) -> Output {
    let mut child = Command::new(example_binary(name))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start the {name} example: {error}"));
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // Written and read from other threads so that a large output cannot block the input.
    let writer = thread::spawn(move || pipe.write_all(&input));
    let reader = |mut from: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            from.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let status = wait_at_most(&mut child, limit)
        .unwrap_or_else(|| panic!("the {name} example did not finish within {limit:?}"));
    // A program that stops before reading its input (a bad command line, a policy that does
    // not load) closes the pipe: that is its answer, not a failure of the test.
    match writer.join().unwrap() {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    Output {
        status,
        stdout: stdout.join().unwrap().unwrap(),
        stderr: stderr.join().unwrap().unwrap(),
    }
}

/// Waits for the child at most `limit`; kills it and returns `None` when it takes longer.
fn wait_at_most(child: &mut std::process::Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
}
