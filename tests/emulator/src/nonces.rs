//! Signature nonces seen recently, so a replayed request is refused (apiCode 1306).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::locks::lock;

#[derive(Default)]
pub(crate) struct NonceCache {
    // nonce -> epoch ms after which it may be forgotten
    seen: Mutex<HashMap<String, u64>>,
}

impl NonceCache {
    /// Records `nonce` until `forget_after_ms`; false if it was already recorded.
    pub(crate) fn insert(&self, nonce: &str, now_ms: u64, forget_after_ms: u64) -> bool {
        let mut seen = lock(&self.seen);
        if let Some(&until) = seen.get(nonce) {
            if until > now_ms {
                return false;
            }
        }
        // Pruning only when the map has grown keeps the common path O(1) while bounding
        // memory to the nonces that could still be replayed within the clock-skew window.
        if seen.len() >= 4096 && seen.len().is_power_of_two() {
            seen.retain(|_, &mut until| until > now_ms);
        }
        seen.insert(nonce.to_owned(), forget_after_ms);
        true
    }

    pub(crate) fn clear(&self) {
        lock(&self.seen).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_is_refused_until_forgotten() {
        let cache = NonceCache::default();
        assert!(cache.insert("n", 0, 100));
        assert!(!cache.insert("n", 50, 150));
        assert!(cache.insert("n", 101, 200));
    }
}
