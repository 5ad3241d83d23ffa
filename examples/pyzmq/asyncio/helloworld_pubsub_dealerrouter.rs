//! pyzmq examples/asyncio: pub/sub and dealer/router on one event loop
//!
//! Port of `asyncio/helloworld_pubsub_dealerrouter.py` (feature `tokio`),
//! with tokio tasks where the original has coroutines, sharing one context:
//!
//! * a PUB connected to tcp://127.0.0.1:5555 publishes the current greeting
//!   ("Hello World" or "Hello Sekai") on topic `world` every half second;
//! * a SUB bound there prints each greeting it gets;
//! * a DEALER with identity `lang_dealer`, connected to the next port
//!   (tcp://127.0.0.1:5556, found as the original finds it: the URL's last
//!   digit plus one), sends "Change that language!" every two seconds;
//! * a ROUTER bound there switches the greeting's language on each command.
//!
//! It runs until killed. The original's second line names pyzmq's version;
//! this port has no Python binding to name, so it prints only the libzmq
//! line (as `version` does). A task that fails prints its error as the
//! original's handlers do (a line on stdout, the error on stderr, a blank
//! line) and ends, leaving the others running. `ZGUIDE_TIME_SCALE` shortens
//! the waits, for tests.

use std::error::Error;
use std::sync::{Arc, Mutex, PoisonError};

use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::pyfmt;
use zmq_guide::settings::scaled_ms;

type TaskResult = Result<(), Box<dyn Error + Send + Sync>>;

/// The greeting the publisher sends, in one of two languages.
struct HelloWorld {
    lang: &'static str,
    msg: &'static str,
}

impl HelloWorld {
    fn new() -> Self {
        Self {
            lang: "eng",
            msg: "Hello World",
        }
    }

    /// English to Japanese and back.
    fn change_language(&mut self) {
        if self.lang == "eng" {
            self.lang = "jap";
            self.msg = "Hello Sekai";
        } else {
            self.lang = "eng";
            self.msg = "Hello World";
        }
    }

    fn msg_pub(&self) -> &'static str {
        self.msg
    }
}

/// What the subscriber does with each greeting: prints it.
struct HelloWorldPrinter;

impl HelloWorldPrinter {
    fn msg_sub(&self, msg: &str) {
        println!("message received world: {msg}");
    }
}

/// Reports a task's failure the way the original's `except` blocks do.
fn report(what: &str, result: TaskResult) {
    if let Err(e) = result {
        println!("{what}");
        eprintln!("{e}");
        println!();
    }
}

/// The four tasks, their context and the greeting they share.
struct HelloWorldMessage {
    url: String,
    ctx: zmq::Context,
    hello_world: Mutex<HelloWorld>,
}

impl HelloWorldMessage {
    fn new(url: &str, port: u16) -> zmq::Result<Self> {
        let (major, minor, patch) = zmq::version();
        println!("Current libzmq version is {major}.{minor}.{patch}");
        Ok(Self {
            url: format!("tcp://{url}:{port}"),
            ctx: zmq::Context::instance()?,
            hello_world: Mutex::new(HelloWorld::new()),
        })
    }

    /// The command endpoint: the URL with its last digit one higher.
    fn command_url(&self) -> String {
        let mut url = self.url.clone();
        let last = url.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
        format!("{url}{}", last + 1)
    }

    /// The greeting in the current language.
    fn greeting(&self) -> &'static str {
        self.hello_world
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .msg_pub()
    }

    /// Starts the publisher, the subscriber, the router and the dealer,
    /// and waits for all of them.
    fn main(self) -> TaskResult {
        let this = Arc::new(self);
        run_until_complete(async move {
            let tasks = [
                tokio::spawn(Arc::clone(&this).hello_world_pub()),
                tokio::spawn(Arc::clone(&this).hello_world_sub()),
                tokio::spawn(Arc::clone(&this).lang_changer_router()),
                tokio::spawn(Arc::clone(&this).lang_changer_dealer()),
            ];
            for task in tasks {
                task.await?;
            }
            Ok(())
        })
    }

    /// Publishes the greeting on topic `world` every half second.
    async fn hello_world_pub(self: Arc<Self>) {
        let result: TaskResult = async {
            let mut publisher = AsyncSocket::with_type(&self.ctx, SocketType::Pub)?;
            publisher.connect(&endpoint(&self.url))?;
            // The subscriber needs a moment to be there.
            tokio::time::sleep(scaled_ms(300)).await;
            loop {
                let msg = self.greeting();
                println!("world pub: {msg}");
                tokio::time::sleep(scaled_ms(500)).await;
                // Topic first, then the greeting.
                publisher
                    .send_multipart([b"world".as_slice(), msg.as_bytes()])
                    .await?;
            }
        }
        .await;
        report("Error with pub world", result);
    }

    /// Prints every greeting published on topic `world`.
    async fn hello_world_sub(self: Arc<Self>) {
        println!("Setting up world sub");
        let obj = HelloWorldPrinter;
        let result: TaskResult = async {
            let mut subscriber = AsyncSocket::with_type(&self.ctx, SocketType::Sub)?;
            subscriber.bind(&endpoint(&self.url))?;
            subscriber.subscribe("world")?;
            println!("World sub initialized");
            loop {
                let frames = subscriber.recv_multipart().await?;
                let [topic, msg] = <[Vec<u8>; 2]>::try_from(frames)
                    .map_err(|f| format!("expected 2 frames, got {}", f.len()))?;
                let (topic, msg) = (String::from_utf8(topic)?, String::from_utf8(msg)?);
                println!("world sub; topic: {topic}\tmessage: {msg}");
                obj.msg_sub(&msg);
            }
        }
        .await;
        report("Error with sub world", result);
    }

    /// Asks for a change of language every two seconds.
    async fn lang_changer_dealer(self: Arc<Self>) {
        let result: TaskResult = async {
            let mut dealer = AsyncSocket::with_type(&self.ctx, SocketType::Dealer)?;
            dealer.set(zmq::sockopt::RoutingId, b"lang_dealer")?;
            dealer.connect(&endpoint(&self.command_url()))?;
            println!("Command dealer initialized");
            // The router needs a moment to be there.
            tokio::time::sleep(scaled_ms(300)).await;
            let msg = "Change that language!";
            loop {
                println!("Command deal: {msg}");
                tokio::time::sleep(scaled_ms(2000)).await;
                dealer.send_multipart([msg]).await?;
            }
        }
        .await;
        // (The original's handler here reuses the publisher's words.)
        report("Error with pub world", result);
    }

    /// Switches the language on each command from a dealer.
    async fn lang_changer_router(self: Arc<Self>) {
        let result: TaskResult = async {
            let mut router = AsyncSocket::with_type(&self.ctx, SocketType::Router)?;
            router.bind(&endpoint(&self.command_url()))?;
            println!("Command router initialized");
            loop {
                let frames = router.recv_multipart().await?;
                let [id_dealer, msg] = <[Vec<u8>; 2]>::try_from(frames)
                    .map_err(|f| format!("expected 2 frames, got {}", f.len()))?;
                println!(
                    "Command rout; Sender ID: {};\tmessage: {}",
                    pyfmt::bytes(&id_dealer),
                    String::from_utf8(msg)?
                );
                let lang = {
                    let mut hello_world = self
                        .hello_world
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    hello_world.change_language();
                    hello_world.lang
                };
                println!("Changed language! New language is: {lang}\n");
            }
        }
        .await;
        // (The original's handler here reuses the subscriber's words.)
        report("Error with sub world", result);
    }
}

fn main() -> TaskResult {
    let hello_world = HelloWorldMessage::new("127.0.0.1", 5555)?;
    hello_world.main()
}
