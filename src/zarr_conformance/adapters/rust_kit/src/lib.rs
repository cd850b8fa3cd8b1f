//! The worker side of the zarr-conformance protocol (docs/protocol.md) for Rust workers.
//!
//! A worker implements [`Worker`] (hello, read, write: library calls only) and calls [`serve`].
//! The kit owns everything else: the JSON-lines loop, keeping the real stdout away from the
//! library, replies for errors, `unsupported` and panics, the value forms (`.npy` files, JSON text, base64
//! bytes) and fill values.

pub mod dtype;
pub mod failure;
pub mod fill;
pub mod npy;
pub mod region;
pub mod request;
pub mod serve;
pub mod values;

pub use dtype::NumpyDtype;
pub use failure::Failure;
pub use request::{ArrayWrite, NodeRef, NodeWrite, ReadRequest, WriteRequest};
pub use serve::{serve, Worker, PROTOCOL_VERSION};

/// A JSON object: what a verb adds to its reply.
pub type Reply = serde_json::Map<String, serde_json::Value>;
