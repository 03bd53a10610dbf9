//! Time on the CPU, the measurement of every benchmark here.
//!
//! The machines these figures come from are shared: other jobs take the cores in turns, and a
//! wall clock counts the time a benchmark spends waiting for one. The thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`) counts only the time it runs, so the medians are what a decision
//! costs, not how busy the machine was. On a quiet machine the two agree.

use std::time::Duration;

use cpu_time::ThreadTime;
use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Measures a benchmark by the CPU time of the thread that runs it.
pub struct CpuTime;

/// The formatter of durations: CPU time is written like wall time (ns, µs, ms).
static DURATIONS: WallTime = WallTime;

impl Measurement for CpuTime {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }

    fn end(&self, started: ThreadTime) -> Duration {
        started.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        DURATIONS.formatter()
    }
}

/// The settings of every benchmark measured this way: CPU time, 1 s of warm-up, then 50 samples
/// over 3 s, so a run of every benchmark takes minutes, not an hour.
pub fn criterion() -> Criterion<CpuTime> {
    Criterion::default()
        .with_measurement(CpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}
