//! What the benchmarks share: a small deterministic generator, so every run seeds the same
//! data, and the quantile of a set of timings.

/// Xorshift: the same sequence from the same seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An index below `n` (not every benchmark picks from a list).
    #[allow(dead_code)]
    pub fn pick(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}

/// The `q` quantile (0–1) of `ms`, which must be sorted.
pub fn quantile(ms: &[f64], q: f64) -> f64 {
    ms[((ms.len() as f64 - 1.0) * q).round() as usize]
}
