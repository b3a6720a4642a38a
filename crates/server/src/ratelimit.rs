//! Failure-based rate limiting per client IP and per device key.
//!
//! A key (IP or device thumbprint) that fails `max_failures` times within
//! `window` is cooled down for `cooldown`: its requests get 429 with
//! `Retry-After`. Successes do not reset the count.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimitConfig;

#[derive(Debug, Default)]
struct Entry {
    failures: VecDeque<Instant>,
    cooldown_until: Option<Instant>,
}

/// In-memory, per-instance limiter.
#[derive(Debug)]
pub struct RateLimiter {
    cfg: RateLimitConfig,
    entries: Mutex<HashMap<String, Entry>>,
}

impl RateLimiter {
    pub fn new(cfg: RateLimitConfig) -> Self {
        RateLimiter {
            cfg,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn window(&self) -> Duration {
        Duration::from_secs(self.cfg.window_s)
    }

    /// `Err(retry_after)` if any key is cooling down.
    pub fn check(&self, keys: &[String], now: Instant) -> Result<(), Duration> {
        let Ok(g) = self.entries.lock() else {
            return Ok(());
        };
        let mut wait = Duration::ZERO;
        for k in keys {
            if let Some(until) = g.get(k).and_then(|e| e.cooldown_until)
                && until > now
            {
                wait = wait.max(until - now);
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Records one failure for each key.
    pub fn record_failure(&self, keys: &[String], now: Instant) {
        let Ok(mut g) = self.entries.lock() else {
            return;
        };
        if g.len() >= self.cfg.max_tracked {
            let window = self.window();
            g.retain(|_, e| {
                e.cooldown_until.is_some_and(|u| u > now)
                    || e.failures
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < window)
            });
            if g.len() >= self.cfg.max_tracked {
                // Still full (a flood of distinct keys): forget everything but cool-downs.
                g.retain(|_, e| e.cooldown_until.is_some_and(|u| u > now));
            }
        }
        for k in keys {
            let e = g.entry(k.clone()).or_default();
            while e
                .failures
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window())
            {
                e.failures.pop_front();
            }
            e.failures.push_back(now);
            if e.failures.len() >= self.cfg.max_failures as usize {
                e.cooldown_until = Some(now + Duration::from_secs(self.cfg.cooldown_s));
                e.failures.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_then_cooldown() {
        let rl = RateLimiter::new(RateLimitConfig::default());
        let t0 = Instant::now();
        let k = vec!["ip:1".to_string()];
        for i in 0..4 {
            rl.record_failure(&k, t0 + Duration::from_secs(i));
            assert!(rl.check(&k, t0 + Duration::from_secs(i)).is_ok());
        }
        rl.record_failure(&k, t0 + Duration::from_secs(4));
        let wait = rl.check(&k, t0 + Duration::from_secs(5)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(179));
        assert!(rl.check(&["ip:2".to_string()], t0).is_ok());
        assert!(rl.check(&k, t0 + Duration::from_secs(185)).is_ok());
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let rl = RateLimiter::new(RateLimitConfig::default());
        let t0 = Instant::now();
        let k = vec!["dev:x".to_string()];
        for i in 0..10 {
            rl.record_failure(&k, t0 + Duration::from_secs(i * 60));
            assert!(
                rl.check(&k, t0 + Duration::from_secs(i * 60)).is_ok(),
                "{i}"
            );
        }
    }
}
