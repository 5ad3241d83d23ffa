//! Weather update client, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/wuclient.py`: a SUB
//! socket connected to tcp://localhost:5556 takes five updates for one zip
//! code (the argument, New York's 10001 by default), printing each, then
//! their "average" as the original computes it: the sum over one less than
//! the count, printed with `%d`. `ZGUIDE_UPDATES` changes the five, for
//! tests.

use std::error::Error;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

const SERVER_ADDRESS: &str = "tcp://localhost:5556";

async fn run_client(ctx: &zmq::Context, zip_filter: &str) -> Result<(), Box<dyn Error>> {
    // The socket that listens to the server.
    let mut socket = AsyncSocket::with_type(ctx, SocketType::Sub)?;
    socket.connect(&endpoint(SERVER_ADDRESS))?;
    println!("Collecting updates from weather server...");
    socket.subscribe(zip_filter)?;
    let updates: u32 = zmq_guide::setting("ZGUIDE_UPDATES", 5);
    let mut total_temp: i64 = 0;
    let mut update_nbr = 0;
    for n in 0..updates {
        update_nbr = n;
        let string = socket.recv_string().await?;
        println!("I: received -- string: \"{string}\"");
        let temperature: i64 = string
            .split_whitespace()
            .nth(1)
            .ok_or("an update without a temperature")?
            .parse()?;
        total_temp += temperature;
    }
    // The original divides by the last loop index, and %d truncates the
    // quotient towards zero.
    let average = (total_temp as f64 / f64::from(update_nbr)) as i64;
    println!("Average temperature for zipcode '{zip_filter}' was {average}F");
    Ok(())
}

async fn run(ctx: zmq::Context, zip_filter: String) -> Result<(), Box<dyn Error>> {
    run_client(&ctx, &zip_filter).await
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() > 1 {
        eprintln!("usage: asyncio_wuclient [zip_code]");
        std::process::exit(1);
    }
    let zip_filter = args.into_iter().next().unwrap_or_else(|| "10001".into());
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx, zip_filter))
}
