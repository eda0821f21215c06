//! [`FreeOnOrigin`]: values handed back to the pool thread that made them,
//! to be dropped there.
//!
//! A parsed document (and the row the tables keep of it: facts with their
//! sentences, names, counts) is many small allocations made by the thread
//! that parsed it and, in a batch run, dropped by the thread that wrote it.
//! With two threads the writer is the other thread for about half of the
//! documents, and the allocator (mimalloc) frees a block from a thread that
//! does not own it through a shared list that the owner later walks: over
//! 1 GB at two threads, with whole documents, that walk and the remote frees
//! took 2.5 % of the run's CPU time (`_mi_page_free_collect` and `mi_free`,
//! 0.1 % and 1.1 % of samples at one thread, 1.9 % each at two). Handing
//! each one back to the thread that parsed it, to be dropped before it
//! parses its next file, makes every free a local one.
//!
//! ```
//! use zongjie::free_on_origin::FreeOnOrigin;
//!
//! let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
//! let home = FreeOnOrigin::new(pool.current_num_threads());
//! // Made on a pool thread, remembered with its origin...
//! let (value, origin) = pool.install(|| (vec![1, 2, 3], rayon::current_thread_index()));
//! // ...handed back after use...
//! home.send(origin, value);
//! assert_eq!(home.waiting(), 1);
//! // ...and dropped when that thread next calls `collect` (here: each thread once).
//! pool.broadcast(|_| home.collect());
//! assert_eq!(home.waiting(), 0);
//! ```

use std::sync::{Mutex, PoisonError};

/// A bin for each pool thread, holding the values waiting to be dropped on it.
#[derive(Debug)]
pub struct FreeOnOrigin<T> {
    bins: Vec<Mutex<Vec<T>>>,
}

impl<T> FreeOnOrigin<T> {
    /// Bins for a pool of `threads` threads (rayon's thread indices `0..threads`).
    pub fn new(threads: usize) -> Self {
        FreeOnOrigin {
            bins: (0..threads).map(|_| Mutex::new(Vec::new())).collect(),
        }
    }

    /// Hand `value` back to the pool thread `origin` (as
    /// [`rayon::current_thread_index`] gave it where `value` was made). A
    /// value made outside the pool, or by a thread this has no bin for, is
    /// dropped at once.
    pub fn send(&self, origin: Option<usize>, value: T) {
        match origin.and_then(|i| self.bins.get(i)) {
            Some(bin) => bin
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(value),
            None => drop(value),
        }
    }

    /// Drop the values handed back to the calling pool thread. Cheap when
    /// there are none; never waits: when the bin is being filled, its values
    /// wait for the next call.
    pub fn collect(&self) {
        let Some(bin) = rayon::current_thread_index().and_then(|i| self.bins.get(i)) else {
            return;
        };
        let values = match bin.try_lock() {
            Ok(mut values) => std::mem::take(&mut *values),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                std::mem::take(&mut *poisoned.into_inner())
            }
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        // Dropped here, outside the lock.
        drop(values);
    }

    /// How many values wait in all bins.
    pub fn waiting(&self) -> usize {
        self.bins
            .iter()
            .map(|bin| bin.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Records the thread index it is dropped on.
    struct Tracked<'a> {
        dropped_on: &'a [AtomicUsize],
    }

    impl Drop for Tracked<'_> {
        fn drop(&mut self) {
            let slot = rayon::current_thread_index().unwrap_or(self.dropped_on.len() - 1);
            self.dropped_on[slot].fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn values_are_dropped_on_the_thread_that_made_them() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        // Drops counted per pool thread, the last slot for outside the pool.
        let dropped_on: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
        let home = FreeOnOrigin::new(2);
        // Made on each pool thread, three each, sent back from outside the pool.
        let made = pool.broadcast(|ctx| {
            (0..3)
                .map(|_| {
                    let value = Tracked {
                        dropped_on: &dropped_on,
                    };
                    (value, Some(ctx.index()))
                })
                .collect::<Vec<_>>()
        });
        for (value, origin) in made.into_iter().flatten() {
            home.send(origin, value);
        }
        assert_eq!(home.waiting(), 6);
        assert!(dropped_on.iter().all(|n| n.load(Ordering::SeqCst) == 0));
        // Collecting outside the pool drops nothing.
        home.collect();
        assert_eq!(home.waiting(), 6);
        pool.broadcast(|_| home.collect());
        assert_eq!(home.waiting(), 0);
        let counts: Vec<usize> = dropped_on
            .iter()
            .map(|n| n.load(Ordering::SeqCst))
            .collect();
        assert_eq!(counts, vec![3, 3, 0]);
        // No origin, or one with no bin: dropped at once, where sent.
        home.send(
            None,
            Tracked {
                dropped_on: &dropped_on,
            },
        );
        home.send(
            Some(7),
            Tracked {
                dropped_on: &dropped_on,
            },
        );
        assert_eq!(home.waiting(), 0);
        assert_eq!(dropped_on[2].load(Ordering::SeqCst), 2);
    }
}
