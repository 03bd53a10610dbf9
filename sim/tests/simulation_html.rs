#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The HTML reports render: in a headless Chromium when the machine has one (`.ci/run` installs
//! Debian's `chromium`), and always checked structurally: well-formed, self-contained, escaped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, TimeDelta};
use rust_decimal::Decimal;
use voucher_policy::{
    Complaint, Currency, Customer, CustomerId, Engine, Order, OrderId, Policy, Request, TierName,
};
use voucher_policy_sim::{LogGenerator, Simulator, compare, simulate};

/// A report and a comparison over three generated days, as HTML.
fn pages() -> (String, String) {
    let log: Vec<_> = LogGenerator::new(7).take(60_000).collect();
    let report = simulate(&Engine::default(), &log).to_html();
    let strict = Engine::new(Policy::load("../examples/policies/strict.toml").unwrap());
    let analysis = Policy::default().compare(strict.policy()).unwrap();
    let comparison = compare(&log, &Engine::default(), &strict)
        .with_analysis(analysis)
        .to_html();
    (report, comparison)
}

/// Checks that every element is closed in order (the pages are written as well-formed
/// markup), and returns the names of the elements opened.
fn check_well_formed(html: &str) -> Vec<String> {
    const VOID: [&str; 2] = ["meta", "br"];
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("a tag is closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let expected = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(expected, name, "</{name}> closes <{expected}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "a tag without a name: <{tag}>");
        seen.push(name.clone());
        if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "never closed: {open:?}");
    seen
}

/// What every page must be: a whole document that loads nothing and runs nothing.
fn check_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    for banned in [
        "<script", "src=", "href=", "url(", "@import", "http:", "https:",
    ] {
        assert!(!html.contains(banned), "the page contains {banned:?}");
    }
}

#[test]
fn the_pages_are_well_formed_and_self_contained() {
    let (report, comparison) = pages();
    for html in [&report, &comparison] {
        check_self_contained(html);
        let elements = check_well_formed(html);
        assert_eq!(elements.iter().filter(|e| *e == "svg").count(), 3);
        for id in ["grant-rate-chart", "money-chart", "refusals-chart"] {
            assert!(html.contains(&format!("<svg id=\"{id}\"")), "{id}");
        }
    }
    // The report draws one line per chart, the comparison one per policy.
    assert_eq!(report.matches("<polyline").count(), 2);
    assert_eq!(comparison.matches("<polyline").count(), 4);
    assert!(comparison.contains(r#"data-series="A: default 1""#));
    assert!(comparison.contains(r#"data-series="B: strict 2027-01""#));
    assert!(comparison.contains("<table id=\"figures\">"));
    assert!(comparison.contains("<table id=\"changed\">"));
    // Beside the log's figures, the analysis over every possible request.
    assert!(comparison.contains(r#"<p id="analysis" data-relation="incomparable">"#));
    assert!(comparison.contains("<table id=\"differences\">"));
    assert!(comparison.contains("<td>less_granted</td>"));
    assert!(!report.contains("id=\"analysis\""));
}

#[test]
fn text_from_the_log_is_escaped() {
    // A customer id that is markup: it appears among the customers refused most often.
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00+07:00").unwrap();
    let id = "<script>alert('x')</script>&";
    for hour in 0..3 {
        let now = start + TimeDelta::hours(hour);
        let placed = now - TimeDelta::hours(1);
        let order = Order::new(
            OrderId::new(format!("O-{hour}")),
            CustomerId::new(id),
            Decimal::from(90_000),
            Currency::IDR,
            placed,
        )
        .with_delivered_at(placed);
        let complaint = Complaint::new("late_delivery", now);
        let customer =
            Customer::new(CustomerId::new(id), TierName::new("new")).with_name("\"Eve\"");
        let request = Request::new(customer, order, complaint);
        simulator.replay(&request, now).unwrap();
    }
    let report = simulator.finish();
    assert_eq!(report.top_refused_customers[0].customer, id);
    let html = report.to_html();
    check_self_contained(&html);
    check_well_formed(&html);
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
}

/// `chromium` or `chromium-browser`, when on the PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium on `page` with `args` and a fresh profile, killing it after a minute.
fn headless(browser: &Path, profile: &Path, args: &[String], page: &Path) -> std::process::Output {
    let child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // The output is read while the browser runs (a large DOM fills a pipe), on another thread.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("chromium did not finish within a minute");
        }
    }
}

#[test]
fn the_pages_render_in_a_headless_browser() {
    let Some(browser) = chromium() else {
        println!(
            "skipped: no chromium on the PATH (apt-get install chromium); the pages were \
             checked structurally only"
        );
        return;
    };
    let (report, comparison) = pages();
    let dir = std::env::temp_dir().join(format!("voucher-policy-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, html, lines) in [("report", &report, 2), ("comparison", &comparison, 4)] {
        let page = dir.join(format!("{name}.html"));
        std::fs::write(&page, html).unwrap();

        let dom = headless(
            &browser,
            &dir.join(format!("{name}-dom")),
            &["--dump-dom".to_owned()],
            &page,
        );
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let dom = String::from_utf8(dom.stdout).unwrap();
        // The browser built the charts and the figures: the DOM has them as elements.
        for id in ["grant-rate-chart", "money-chart", "refusals-chart"] {
            assert!(
                dom.contains(&format!("<svg id=\"{id}\"")),
                "{name}: {id} not rendered"
            );
        }
        assert_eq!(dom.matches("<polyline").count(), lines, "{name}");
        assert!(dom.contains("<rect class=\"bar\""), "{name}");
        assert!(dom.contains("data-figure=\"granted\""), "{name}");
        assert!(dom.contains("Grant rate per day"), "{name}");

        let shot = dir.join(format!("{name}.png"));
        let rendered = headless(
            &browser,
            &dir.join(format!("{name}-shot")),
            &[
                format!("--screenshot={}", shot.display()),
                "--window-size=900,1800".to_owned(),
            ],
            &page,
        );
        assert!(
            rendered.status.success(),
            "{}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        let png = std::fs::read(&shot).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
        // A blank page compresses to a few kilobytes; charts and tables do not.
        assert!(
            png.len() > 40_000,
            "{name}: the screenshot looks empty ({} bytes)",
            png.len()
        );
        println!(
            "{name}: rendered by {}, screenshot {}",
            browser.display(),
            shot.display()
        );
    }
}
