"""Deterministic, realistic data for the tutorial site: generate rows, then load them."""

from .generate import SIZES, Dataset, generate
from .load import SeedError, content_hash, flush, load, seeded_counts

__all__ = [
    "SIZES",
    "Dataset",
    "SeedError",
    "content_hash",
    "flush",
    "generate",
    "load",
    "seeded_counts",
]
