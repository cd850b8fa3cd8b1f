//! zarr-conformance worker for zarrs (https://github.com/zarrs/zarrs): reads and writes Zarr v2
//! and v3 stores on the local filesystem through zarrs' synchronous API.

mod metadata;
mod read;
mod write;

use serde_json::json;
use zc_worker_kit::{serve, Failure, ReadRequest, Reply, Worker, WriteRequest};

struct Zarrs;

impl Worker for Zarrs {
    fn hello(&mut self) -> Result<Reply, Failure> {
        let features = "features: default (blosc crc32c gzip sharding transpose zstd filesystem) + zlib";
        Ok(Reply::from_iter([
            ("name".to_string(), json!("zarrs")),
            ("version".to_string(), json!(zarrs::version::version_str())),
            ("detail".to_string(), json!(format!("{features}; FilesystemStore, synchronous API"))),
        ]))
    }

    fn read(&mut self, request: &ReadRequest) -> Result<Reply, Failure> {
        read::read(request)
    }

    fn write(&mut self, request: &WriteRequest) -> Result<Reply, Failure> {
        write::write(request)
    }
}

fn main() -> std::io::Result<()> {
    serve(Zarrs)
}
