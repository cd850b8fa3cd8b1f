//! The JSON-lines loop: one request per line on stdin, one reply per line on the real stdout.

use std::fs::File;
use std::io::{self, BufRead, Write};
use std::os::fd::FromRawFd;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::request::parse;
use crate::{Failure, ReadRequest, Reply, WriteRequest};

/// The protocol version this kit speaks (docs/protocol.md); the harness refuses another.
pub const PROTOCOL_VERSION: u64 = 1;

/// What an implementation's worker does: library calls only.
pub trait Worker {
    /// `name`, `version`, `detail` (and `disabled` when a declared codec is unusable here).
    fn hello(&mut self) -> Result<Reply, Failure>;
    /// Open every node, return its metadata and (arrays) its whole values.
    fn read(&mut self, request: &ReadRequest) -> Result<Reply, Failure>;
    /// Create the store, every group and array, and write every array's values.
    fn write(&mut self, request: &WriteRequest) -> Result<Reply, Failure>;
}

/// Serve requests until `shutdown` or the end of stdin.
pub fn serve<W: Worker>(mut worker: W) -> io::Result<()> {
    let mut protocol = protocol_stdout()?;
    remember_panics();
    let mut stdin = io::stdin().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        if stdin.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (reply, stop) = handle(&line, &mut worker);
        writeln!(protocol, "{reply}")?;
        protocol.flush()?;
        if stop {
            return Ok(());
        }
    }
}

/// The real stdout, kept for the protocol; fd 1 then points at stderr, so whatever a library
/// prints cannot corrupt a reply.
fn protocol_stdout() -> io::Result<File> {
    // SAFETY: plain fd calls on this process's own descriptors; the new fd is owned by the File.
    unsafe {
        let fd = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        if fd < 0 || libc::dup2(2, 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(File::from_raw_fd(fd))
    }
}

static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Keep the panic's location and message for the reply (the default hook still prints it).
fn remember_panics() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = info.to_string().replace('\n', " ");
        }
        default(info);
    }));
}

fn handle<W: Worker>(line: &[u8], worker: &mut W) -> (Value, bool) {
    let request: Value = match serde_json::from_slice(line) {
        Ok(value @ Value::Object(_)) => value,
        Ok(other) => return (failure(&Value::Null, &Failure::bad_request(format!("bad request: not an object: {other}"))), false),
        Err(e) => return (failure(&Value::Null, &Failure::bad_request(format!("bad request: {e}"))), false),
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let op = request.get("op").and_then(Value::as_str).unwrap_or("");
    if op == "shutdown" {
        return (json!({"id": id, "ok": true}), true);
    }
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| dispatch(op, &request, worker)));
    let result = outcome.unwrap_or_else(|payload| Err(Failure::error("Panic", panic_text(payload))));
    match result {
        Ok(fields) => {
            let mut reply = json!({"id": id, "ok": true});
            reply.as_object_mut().expect("an object").extend(fields);
            (reply, false)
        }
        Err(why) => (failure(&id, &why), false),
    }
}

fn dispatch<W: Worker>(op: &str, request: &Value, worker: &mut W) -> Result<Reply, Failure> {
    match op {
        "hello" => {
            let mut fields = worker.hello()?;
            fields.insert("protocol".into(), json!(PROTOCOL_VERSION));
            Ok(fields)
        }
        "read" => worker.read(&parse(request)?),
        "write" => worker.write(&parse(request)?),
        "" => Err(Failure::bad_request("bad request: no 'op'")),
        other => Err(Failure::error("UnknownOp", format!("unknown op {other:?}"))),
    }
}

fn failure(id: &Value, why: &Failure) -> Value {
    match why {
        Failure::Unsupported(reason) => json!({"id": id, "ok": false, "unsupported": reason}),
        Failure::Error { kind, message } => json!({"id": id, "ok": false, "error": {"type": kind, "message": message}}),
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    let recorded = LAST_PANIC.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    if !recorded.is_empty() {
        return recorded;
    }
    payload.downcast_ref::<&str>().map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic without a message".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Panicky;

    impl Worker for Panicky {
        fn hello(&mut self) -> Result<Reply, Failure> {
            Ok(Reply::from_iter([("name".to_string(), json!("panicky"))]))
        }
        fn read(&mut self, _: &ReadRequest) -> Result<Reply, Failure> {
            panic!("the library fell over")
        }
        fn write(&mut self, _: &WriteRequest) -> Result<Reply, Failure> {
            Err(Failure::unsupported("no writing"))
        }
    }

    fn ask(line: &str) -> Value {
        handle(line.as_bytes(), &mut Panicky).0
    }

    #[test]
    fn replies_carry_the_id_and_the_protocol_version() {
        assert_eq!(ask(r#"{"id": 1, "op": "hello"}"#), json!({"id": 1, "ok": true, "name": "panicky", "protocol": 1}));
        assert_eq!(ask(r#"{"id": 2, "op": "write", "store": "/s", "zarr_format": 3, "nodes": []}"#),
                   json!({"id": 2, "ok": false, "unsupported": "no writing"}));
    }

    #[test]
    fn a_panic_is_an_error_reply() {
        let reply = ask(r#"{"id": 3, "op": "read", "store": "/s", "zarr_format": 3, "nodes": [], "out_dir": "/o"}"#);
        assert_eq!(reply["error"]["type"], "Panic");
        assert!(reply["error"]["message"].as_str().unwrap().contains("the library fell over"));
    }

    #[test]
    fn bad_lines_get_error_replies() {
        assert_eq!(ask("{not json")["id"], Value::Null);
        assert_eq!(ask(r#"{"id": 4, "op": "read"}"#)["error"]["type"], "BadRequest");
        assert_eq!(ask(r#"{"id": 5, "op": "dance"}"#)["error"]["type"], "UnknownOp");
    }
}
