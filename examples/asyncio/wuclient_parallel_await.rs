//! Weather update clients in parallel, async/await flavour, on the event
//! loop
//!
//! Port of the zguide's
//! `examples/Python/asyncio_ioloop/wuclient_parallel_await.py`, the
//! `async def`/`await` edition of `asyncio_wuclient_parallel`: it says so
//! first, then runs one client task per zip code given (each a SUB socket
//! connected to tcp://localhost:5556, five updates for its prefix, each
//! printed) through a wrapper coroutine, and once all are done prints each
//! task's result after `result:`: the "average" as the original computes
//! it, the sum over one less than the count with `%d`, for the zip code of
//! the last update. `ZGUIDE_UPDATES` changes the five, for tests.

use std::error::Error;

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;

const SERVER_ADDRESS: &str = "tcp://localhost:5556";

const USAGE: &str = "usage: asyncio_wuclient_parallel_await zipcode1 zipcode2 ...
    (the weather server sends zip codes 10000 to 10009)";

type TaskResult = Result<String, Box<dyn Error + Send + Sync>>;

async fn run_client(ctx: &zmq::Context, mut zipcode: String) -> TaskResult {
    // The socket that listens to the server.
    let mut socket = AsyncSocket::with_type(ctx, SocketType::Sub)?;
    socket.connect(&endpoint(SERVER_ADDRESS))?;
    println!("Collecting updates from weather server for zipcode: {zipcode}");
    socket.subscribe(&zipcode)?;
    let updates: u32 = zmq_guide::setting("ZGUIDE_UPDATES", 5);
    let mut total_temp: i64 = 0;
    let mut update_nbr = 0;
    for n in 0..updates {
        update_nbr = n;
        let string = socket.recv_string().await?;
        println!("I: received -- string: \"{string}\"");
        // Three fields; the zip code reported is the update's own.
        let [zip, temperature, _relhumidity] =
            <[&str; 3]>::try_from(string.split_whitespace().collect::<Vec<_>>())
                .map_err(|fields| format!("expected 3 fields, got {}", fields.len()))?;
        zipcode = zip.to_owned();
        total_temp += temperature.parse::<i64>()?;
    }
    if update_nbr == 0 {
        return Err("division by zero: the average needs two updates or more".into());
    }
    // The last loop index as the divisor, and %d truncates towards zero.
    let average = (total_temp as f64 / f64::from(update_nbr)) as i64;
    Ok(format!(
        "Average temperature for zipcode '{zipcode}' was {average}F"
    ))
}

/// The coroutine each task runs: it awaits the client and hands back its
/// result.
async fn run_client_parallel(ctx: zmq::Context, zipcode: String) -> TaskResult {
    let result = run_client(&ctx, zipcode).await?;
    Ok(result)
}

async fn run(zipcodes: Vec<String>) -> Result<(), Box<dyn Error + Send + Sync>> {
    let ctx = zmq::Context::new()?;
    let tasks: Vec<_> = zipcodes
        .into_iter()
        .map(|zipcode| tokio::spawn(run_client_parallel(ctx.clone(), zipcode)))
        .collect();
    // All of them first, then their results in the order they were started.
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await?);
    }
    for result in results {
        println!("result: {}", result?);
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    let zipcodes: Vec<String> = std::env::args().skip(1).collect();
    if zipcodes.is_empty() {
        eprintln!("{USAGE}");
        std::process::exit(1);
    }
    println!("Running async/await version.");
    run_until_complete(run(zipcodes))
}
