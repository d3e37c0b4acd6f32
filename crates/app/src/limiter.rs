//! Login rate limiting per account and per client address: a count of failures in a fixed
//! window. In memory: a restart forgets, which errs toward availability; the audit log keeps
//! every failure.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug)]
pub struct LoginLimiter {
    per_account: u32,
    per_address: u32,
    window: i64,
    failures: Mutex<HashMap<String, (i64, u32)>>,
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_address: u32, window: i64) -> Self {
        Self { per_account, per_address, window, failures: Mutex::new(HashMap::new()) }
    }

    fn retry_after(&self, key: &str, limit: u32, now: i64) -> Option<i64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key) {
            Some((start, n)) if *n >= limit && now < start + self.window => Some(start + self.window - now),
            _ => None,
        }
    }

    /// Seconds to wait if the account or the address is locked out.
    pub fn check(&self, account: &str, address: Option<&str>, now: i64) -> Option<i64> {
        let a = self.retry_after(&format!("u:{account}"), self.per_account, now);
        let b = address.and_then(|addr| self.retry_after(&format!("a:{addr}"), self.per_address, now));
        a.max(b)
    }

    pub fn record_failure(&self, account: &str, address: Option<&str>, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut bump = |key: String| {
            let entry = map.entry(key).or_insert((now, 0));
            if now >= entry.0 + self.window {
                *entry = (now, 0);
            }
            entry.1 += 1;
        };
        bump(format!("u:{account}"));
        if let Some(addr) = address {
            bump(format!("a:{addr}"));
        }
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (start, _)| now < *start + window);
        }
    }

    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("u:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_an_account_after_the_limit_and_releases_after_the_window() {
        let l = LoginLimiter::new(3, 100, 60);
        for _ in 0..3 {
            assert_eq!(l.check("anna", Some("10.0.0.1"), 1000), None);
            l.record_failure("anna", Some("10.0.0.1"), 1000);
        }
        assert_eq!(l.check("anna", Some("10.0.0.2"), 1010), Some(50));
        assert_eq!(l.check("juris", Some("10.0.0.1"), 1010), None);
        assert_eq!(l.check("anna", None, 1060), None);
    }

    #[test]
    fn locks_an_address_that_tries_many_accounts() {
        let l = LoginLimiter::new(100, 2, 60);
        l.record_failure("a", Some("1.2.3.4"), 0);
        l.record_failure("b", Some("1.2.3.4"), 0);
        assert!(l.check("c", Some("1.2.3.4"), 1).is_some());
        assert!(l.check("c", Some("1.2.3.5"), 1).is_none());
    }
}
