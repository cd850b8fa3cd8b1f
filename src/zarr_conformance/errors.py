"""One error base for the harness; specific errors also subclass the builtin callers expect."""

from __future__ import annotations


class HarnessError(Exception):
    """A fault of the harness or of its inputs, never an implementation's conformance failure."""


class CatalogueError(HarnessError, ValueError):
    """The fixture catalogue is inconsistent (duplicate ids, bad parameters)."""


class StoreFormatError(HarnessError, ValueError):
    """A store does not follow the Zarr spec (raised by the reference decoder)."""


class StoreEscapeError(StoreFormatError):
    """A store names a place outside itself: a link that leads out of it, or a key or separator with '..'."""


class UnknownCodecError(StoreFormatError, LookupError):
    """A codec id that the reference codec does not know."""


class UnknownDataTypeError(StoreFormatError, LookupError):
    """A data type that the reference codec does not read (an extension, a v2 structured dtype)."""


class AdapterError(HarnessError, LookupError):
    """An adapter folder or spec is missing or malformed."""


class EnvironmentBuildError(HarnessError, RuntimeError):
    """Building an implementation's environment failed; carries the command and its output."""


class ExpectationFileError(HarnessError, ValueError):
    """An expectations TOML file is malformed."""


class ResultsSchemaError(HarnessError, ValueError):
    """A results.json does not validate against its schema."""
