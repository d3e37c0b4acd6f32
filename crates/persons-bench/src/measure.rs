//! Latency percentiles and the process's peak memory per phase.

use serde_json::{Value, json};

/// Latencies of one kind of operation, in milliseconds.
pub struct Latencies {
    pub count: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Latencies {
    pub fn from_ms(mut v: Vec<f64>) -> Latencies {
        v.sort_by(f64::total_cmp);
        let count = v.len();
        // Nearest rank: the smallest value with at least q of the values at or below it.
        let rank = |q: f64| -> f64 {
            if count == 0 {
                return 0.0;
            }
            let i = ((q * count as f64).ceil() as usize).clamp(1, count) - 1;
            v.get(i).copied().unwrap_or(0.0)
        };
        Latencies {
            count,
            p50: rank(0.5),
            p90: rank(0.9),
            p99: rank(0.99),
            max: v.last().copied().unwrap_or(0.0),
            mean: if count == 0 { 0.0 } else { v.iter().sum::<f64>() / count as f64 },
        }
    }

    pub fn json(&self) -> Value {
        json!({
            "count": self.count,
            "p50": round(self.p50),
            "p90": round(self.p90),
            "p99": round(self.p99),
            "max": round(self.max),
            "mean": round(self.mean),
        })
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The process's peak resident set (VmHWM), in kB; 0 where /proc is not there.
pub fn vm_hwm_kb() -> u64 {
    status_kb("VmHWM:")
}

fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Resets the peak resident set to the current one (Linux: `5` to /proc/self/clear_refs), so
/// that each phase's peak is its own. Returns whether the reset worked.
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The peak memory of the phases of a run.
pub struct Memory {
    resettable: bool,
    at_start_kb: u64,
}

/// One phase's memory: its peak, and the resident set when it started.
pub struct PhaseMemory {
    peak_kb: u64,
    start_kb: u64,
    /// false: the peak could not be reset, so it is the process's peak so far.
    own_peak: bool,
}

impl Memory {
    pub fn start() -> Memory {
        let resettable = reset_hwm();
        Memory { resettable, at_start_kb: status_kb("VmRSS:") }
    }

    /// Starts a new phase.
    pub fn reset(&mut self) {
        self.resettable = reset_hwm();
        self.at_start_kb = status_kb("VmRSS:");
    }

    /// The phase that just ended; the next one starts.
    pub fn phase(&mut self) -> PhaseMemory {
        let out = PhaseMemory { peak_kb: vm_hwm_kb(), start_kb: self.at_start_kb, own_peak: self.resettable };
        self.reset();
        out
    }
}

impl PhaseMemory {
    pub fn peak_kb(&self) -> u64 {
        self.peak_kb
    }

    pub fn json(&self) -> Value {
        json!({
            "peak_mb": round(self.peak_kb as f64 / 1024.0),
            "resident_at_start_mb": round(self.start_kb as f64 / 1024.0),
            "peak_of_this_phase_only": self.own_peak,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let l = Latencies::from_ms((1..=100).map(f64::from).rev().collect());
        assert_eq!((l.p50, l.p90, l.p99, l.max), (50.0, 90.0, 99.0, 100.0));
        let one = Latencies::from_ms(vec![7.0]);
        assert_eq!((one.p50, one.p99), (7.0, 7.0));
    }

    #[test]
    fn peak_memory_is_read() {
        assert!(vm_hwm_kb() > 0);
    }
}
