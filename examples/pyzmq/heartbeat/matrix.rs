//! The blocking work of `heart` and `pong`: what `A.dot(A.T)` on a random
//! matrix is to their originals, a computation that keeps the main thread
//! busy while a device thread answers pings.

use rand::Rng;

/// A random `n` x `n` matrix, row-major.
pub(crate) fn random(n: usize) -> Vec<f64> {
    let mut rng = rand::rng();
    (0..n * n).map(|_| rng.random::<f64>()).collect()
}

/// `a.dot(a.T)` for the `n` x `n` matrix `a`: every row against every row.
pub(crate) fn dot_transpose(a: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * n];
    for (i, row) in a.chunks_exact(n).enumerate() {
        for (j, other) in a.chunks_exact(n).enumerate() {
            out[i * n + j] = row.iter().zip(other).map(|(x, y)| x * y).sum();
        }
    }
    out
}
