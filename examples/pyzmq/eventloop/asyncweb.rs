//! pyzmq examples/eventloop: a web server waiting on zmq without blocking
//!
//! Port of `eventloop/asyncweb.py` (feature `tokio`): hyper serves HTTP
//! where the original has tornado, and `zmq::asyncio` sockets stand for
//! pyzmq's future sockets. Each `GET /` on port 8888 opens a DEALER, sends
//! `hello` to a worker thread (a ROUTER on tcp://127.0.0.1:5555 that takes
//! 1 to 5 seconds over each request, one request at a time) and answers
//! with the worker's reply. Meanwhile a dot every 100 ms shows that the
//! loop stays free to serve other requests. Ctrl-C stops it.
//!
//! As tornado does, any other path gets a 404 page and any other method on
//! `/` a 405 page, each logged on stderr. The server listens on 127.0.0.1
//! only, where tornado's `listen(8888)` takes every interface.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::time::MissedTickBehavior;
use zmq::asyncio::AsyncSocket;
use zmq::{SocketType, sockopt};
use zmq_guide::endpoint::{endpoint, port};
use zmq_guide::pyfmt;
use zmq_guide::settings::scaled_ms;

/// Where the worker listens.
const WORKER: &str = "tcp://127.0.0.1:5555";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The worker thread: replies to each request after a random 1 to 5 s.
fn slow_responder() -> Result<(), BoxError> {
    let ctx = zmq::Context::new()?;
    let socket = ctx.socket(SocketType::Router)?;
    socket.set(sockopt::Linger, Some(Duration::ZERO))?;
    socket.bind(&endpoint(WORKER))?;
    let mut i = 0u64;
    loop {
        let frames = socket.recv_multipart()?;
        let [frame, mut msg]: [Vec<u8>; 2] = frames
            .try_into()
            .map_err(|f: Vec<_>| format!("expected 2 frames, received {}", f.len()))?;
        print!("\nworker received {}\n", pyfmt::bytes(&msg));
        std::io::stdout().flush()?;
        thread::sleep(scaled_ms(1000 * rand::random_range(1..=5)));
        msg.extend_from_slice(format!(" to you too, #{i}").as_bytes());
        socket.send_multipart([frame, msg])?;
        i += 1;
    }
}

/// Shows that the loop is still responsive while requests wait.
fn dot() {
    print!(".");
    let _ = std::io::stdout().flush();
}

/// Calls [`dot`] every 100 ms, skipping the ticks a busy loop missed.
async fn beat() {
    let period = Duration::from_millis(100);
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        ticks.tick().await;
        dot();
    }
}

/// `GET /`: a round trip to the worker on a DEALER of its own; the reply
/// is the page.
async fn test_handler(ctx: &zmq::Context) -> zmq::Result<String> {
    let mut s = AsyncSocket::with_type(ctx, SocketType::Dealer)?;
    s.connect(&endpoint(WORKER))?;
    s.send("hello").await?;
    let reply = s.recv_string().await?;
    println!("\nfinishing with '{reply}'\n");
    Ok(reply)
}

/// An HTML response, with the content type tornado gives `write(str)`.
fn html(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    response
}

/// Routes one request as the original's application does: `/` to
/// [`test_handler`], anything else to tornado's error pages.
async fn serve(
    ctx: zmq::Context,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let status = if request.uri().path() != "/" {
        StatusCode::NOT_FOUND
    } else if request.method() != Method::GET {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        match test_handler(&ctx).await {
            Ok(reply) => return Ok(html(StatusCode::OK, reply)),
            Err(e) => {
                eprintln!("Uncaught exception GET {}: {e}", request.uri());
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    };
    // tornado's access log line for a failed request.
    eprintln!(
        "{} {} {} ({}) {:.2}ms",
        status.as_u16(),
        request.method(),
        request.uri(),
        peer.ip(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let title = format!(
        "{}: {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Unknown")
    );
    Ok(html(
        status,
        format!("<html><title>{title}</title><body>{title}</body></html>"),
    ))
}

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // A daemon thread, as in the original: it dies with the process.
        thread::spawn(|| {
            if let Err(e) = slow_responder() {
                eprintln!("worker: {e}");
            }
        });

        let ctx = zmq::Context::new()?;
        tokio::spawn(beat());
        let listener = TcpListener::bind(("127.0.0.1", port(8888))).await?;

        let interrupted = tokio::signal::ctrl_c();
        tokio::pin!(interrupted);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(accepted) => accepted,
                        Err(e) => {
                            eprintln!("accept: {e}");
                            continue;
                        }
                    };
                    let ctx = ctx.clone();
                    let service = service_fn(move |request| serve(ctx.clone(), peer, request));
                    tokio::spawn(async move {
                        if let Err(e) = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await
                        {
                            eprintln!("connection from {peer}: {e}");
                        }
                    });
                }
                signal = &mut interrupted => {
                    signal?;
                    println!(" Interrupted");
                    break;
                }
            }
        }
        Ok::<(), BoxError>(())
    })?;
    // Exit as the original does, without closing the context: a request
    // still waiting for the worker must not hold the exit up.
    std::process::exit(0);
}
