//! Login rate limiting per account and per client address. In memory: a restart forgets, which
//! errs toward availability; the audit log keeps every failure.
//!
//! - **Per address:** after `per_address` failures within the window, the address waits until
//!   the window ends (an address trying many accounts is stopped).
//! - **Per account:** after `per_account` failures, each further attempt waits twice as long as
//!   the one before (1 s, 2 s, 4 s, …, at most the window): guessing slows to a crawl, but nobody
//!   can lock the owner out for long by typing wrong passwords for her. An owner who signs in
//!   from a device that already passed her second factor ([`LoginLimiter::check`] with
//!   `known_device`) is not held by the account's back-off at all, only by her address's limit.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug)]
pub struct LoginLimiter {
    per_account: u32,
    per_address: u32,
    window: i64,
    /// Address: (start of the window, failures in it).
    addresses: Mutex<HashMap<String, (i64, u32)>>,
    /// Account: (last failure, failures since the last success, within the window).
    accounts: Mutex<HashMap<String, (i64, u32)>>,
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_address: u32, window: i64) -> Self {
        Self {
            per_account,
            per_address,
            window,
            addresses: Mutex::new(HashMap::new()),
            accounts: Mutex::new(HashMap::new()),
        }
    }

    /// The account's back-off after `failures` failures: 0 below the limit, then 1 s doubling,
    /// capped at the window.
    fn backoff(&self, failures: u32) -> i64 {
        match failures.checked_sub(self.per_account) {
            None => 0,
            Some(over) => 1i64.checked_shl(over.min(40)).unwrap_or(i64::MAX).min(self.window.max(1)),
        }
    }

    fn address_wait(&self, address: &str, now: i64) -> Option<i64> {
        let map = self.addresses.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(address) {
            Some((start, n)) if *n >= self.per_address && now < start + self.window => Some(start + self.window - now),
            _ => None,
        }
    }

    fn account_wait(&self, account: &str, now: i64) -> Option<i64> {
        let map = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        let (last, n) = map.get(account)?;
        if now >= last + self.window {
            return None;
        }
        let until = last + self.backoff(*n);
        (now < until).then_some(until - now)
    }

    /// Seconds to wait, if the address is over its limit or the account in its back-off. A login
    /// from a device that passed the account's second factor before skips the account's back-off.
    pub fn check(&self, account: &str, address: Option<&str>, known_device: bool, now: i64) -> Option<i64> {
        let a = if known_device { None } else { self.account_wait(account, now) };
        let b = address.and_then(|addr| self.address_wait(addr, now));
        a.max(b)
    }

    pub fn record_failure(&self, account: &str, address: Option<&str>, now: i64) {
        {
            let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
            let entry = accounts.entry(account.to_owned()).or_insert((now, 0));
            if now >= entry.0 + self.window {
                entry.1 = 0;
            }
            *entry = (now, entry.1.saturating_add(1));
            if accounts.len() > 100_000 {
                let window = self.window;
                accounts.retain(|_, (last, _)| now < *last + window);
            }
        }
        if let Some(addr) = address {
            let mut addresses = self.addresses.lock().unwrap_or_else(|p| p.into_inner());
            let entry = addresses.entry(addr.to_owned()).or_insert((now, 0));
            if now >= entry.0 + self.window {
                *entry = (now, 0);
            }
            entry.1 = entry.1.saturating_add(1);
            if addresses.len() > 100_000 {
                let window = self.window;
                addresses.retain(|_, (start, _)| now < *start + window);
            }
        }
    }

    pub fn record_success(&self, account: &str) {
        let mut map = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_backs_off_exponentially_after_the_limit_and_forgets_after_the_window() {
        let l = LoginLimiter::new(3, 100, 900);
        for _ in 0..3 {
            assert_eq!(l.check("anna", Some("10.0.0.1"), false, 1000), None);
            l.record_failure("anna", Some("10.0.0.1"), 1000);
        }
        // At the limit the account waits 1 s, then 2 s, then 4 s: from wherever it is tried.
        assert_eq!(l.check("anna", Some("10.0.0.2"), false, 1000), Some(1));
        assert_eq!(l.check("anna", Some("10.0.0.2"), false, 1001), None);
        l.record_failure("anna", Some("10.0.0.1"), 1001);
        assert_eq!(l.check("anna", None, false, 1001), Some(2));
        l.record_failure("anna", Some("10.0.0.1"), 1003);
        assert_eq!(l.check("anna", None, false, 1003), Some(4));
        // Never more than the window, however many failures.
        for t in 0..60 {
            l.record_failure("anna", None, 1003 + t);
        }
        assert_eq!(l.check("anna", None, false, 1062), Some(900));
        assert_eq!(l.check("anna", None, false, 1062 + 900), None, "forgotten after the window");
        // Other accounts are not held.
        assert_eq!(l.check("juris", None, false, 1062), None);
    }

    #[test]
    fn the_owner_on_a_known_device_is_not_locked_out_by_someone_else_s_failures() {
        let l = LoginLimiter::new(5, 20, 900);
        // Someone types wrong passwords for the authority's account from elsewhere.
        for t in 0..40 {
            l.record_failure("authority", Some(&format!("198.51.100.{t}")), 1000 + t);
        }
        assert!(l.check("authority", Some("192.0.2.7"), false, 1040).is_some(), "a new device waits");
        assert_eq!(l.check("authority", Some("192.0.2.7"), true, 1040), None, "her own device passes");
        // The address limit still applies to a known device at a blocked address.
        for _ in 0..20 {
            l.record_failure("x", Some("203.0.113.9"), 1040);
        }
        assert!(l.check("authority", Some("203.0.113.9"), true, 1041).is_some());
        // A success ends the back-off.
        l.record_success("authority");
        assert_eq!(l.check("authority", Some("192.0.2.7"), false, 1041), None);
    }

    #[test]
    fn locks_an_address_that_tries_many_accounts() {
        let l = LoginLimiter::new(100, 2, 60);
        l.record_failure("a", Some("1.2.3.4"), 0);
        l.record_failure("b", Some("1.2.3.4"), 0);
        assert!(l.check("c", Some("1.2.3.4"), false, 1).is_some());
        assert!(l.check("c", Some("1.2.3.5"), false, 1).is_none());
        assert!(l.check("c", Some("1.2.3.4"), false, 61).is_none());
    }
}
