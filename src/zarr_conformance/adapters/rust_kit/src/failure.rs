//! Why a request did not succeed: the library failed (`error`), or the worker declined before
//! calling it (`unsupported`).

use std::error::Error;

#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The library returned an error (or panicked): `{"error": {"type", "message"}}`.
    Error { kind: String, message: String },
    /// Declined before calling the library: `{"unsupported": reason}`.
    Unsupported(String),
}

impl Failure {
    pub fn error(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Failure::Error { kind: kind.into(), message: message.into() }
    }

    pub fn unsupported(reason: impl Into<String>) -> Self {
        Failure::Unsupported(reason.into())
    }

    /// A bad request (missing field, wrong type): the harness's mistake, reported as an error.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Failure::error("BadRequest", message)
    }
}

/// Any library error becomes an `error` reply named after its type, with its chain of causes,
/// so a worker can use `?` on library calls.
impl<E: Error + 'static> From<E> for Failure {
    fn from(err: E) -> Self {
        let name = std::any::type_name::<E>();
        let kind = name.split('<').next().unwrap_or(name).rsplit("::").next().unwrap_or(name);
        let mut message = err.to_string();
        let mut source = err.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message = format!("{message}: {text}");
            }
            source = cause.source();
        }
        Failure::error(kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_io_error_is_named_after_its_type() {
        let err = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        assert_eq!(Failure::from(err), Failure::error("Error", "no such file"));
    }
}
