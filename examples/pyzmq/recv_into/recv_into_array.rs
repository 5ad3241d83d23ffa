//! pyzmq examples/recv_into: receiving straight into an array
//!
//! Port of `recv_into/recv_into_array.py`. A 5 x 5 array of random `i64`s
//! (0 to 254) goes over inproc://test from a PUSH to a PULL, which receives
//! it with `recv_into` directly into the memory of a second array of the
//! same shape; both are printed as numpy prints them and must be equal.

use zmq::SocketType;

const N: usize = 5;

/// `str()` of a 2-d numpy integer array: every value right-aligned to the
/// widest one, rows in brackets.
fn numpy_str(array: &[[i64; N]; N]) -> String {
    let width = array
        .iter()
        .flatten()
        .map(|v| v.to_string().len())
        .max()
        .unwrap_or(1);
    let rows: Vec<String> = array
        .iter()
        .map(|row| {
            let cells: Vec<String> = row.iter().map(|v| format!("{v:>width$}")).collect();
            format!("[{}]", cells.join(" "))
        })
        .collect();
    format!("[{}]", rows.join("\n "))
}

/// The array's memory, as numpy hands it to `send` and `recv_into`.
fn as_bytes(array: &[[i64; N]; N]) -> Vec<u8> {
    array
        .iter()
        .flatten()
        .flat_map(|v| v.to_ne_bytes())
        .collect()
}

/// The array's memory as bytes to write into, as numpy's buffer protocol
/// hands it to `recv_into`.
fn as_bytes_mut(array: &mut [[i64; N]; N]) -> &mut [u8] {
    let len = std::mem::size_of_val(array);
    // SAFETY: the array is one contiguous, exclusively borrowed block of
    // `len` bytes that lives as long as the returned slice; `u8` needs no
    // alignment, and any bytes written make valid `i64`s.
    unsafe { std::slice::from_raw_parts_mut(array.as_mut_ptr().cast::<u8>(), len) }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = "inproc://test";
    let mut rng = rand::rng();
    let a: [[i64; N]; N] = std::array::from_fn(|_| {
        std::array::from_fn(|_| (rand::Rng::random::<f64>(&mut rng) * 255.0) as i64)
    });
    let mut b = [[0i64; N]; N];
    assert!(a != b);

    let ctx = zmq::Context::new()?;
    let push = ctx.socket(SocketType::Push)?;
    let pull = ctx.socket(SocketType::Pull)?;
    push.bind(url)?;
    pull.connect(url)?;
    println!("sending:\n {}", numpy_str(&a));
    push.send(as_bytes(&a))?;
    let bytes_received = pull.recv_into(as_bytes_mut(&mut b))?;
    println!("received {bytes_received} bytes:\n {}", numpy_str(&b));
    assert_eq!(bytes_received, N * N * 8);
    assert_eq!(a, b);
    Ok(())
}
