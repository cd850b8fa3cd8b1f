"""zarr-conformance: run real Zarr implementations against the same stores and compare what they read."""

from __future__ import annotations

__version__ = "0.1.0"
