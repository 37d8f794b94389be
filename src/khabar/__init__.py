"""khabar: clean, structured, searchable knowledge from raw scraped Arabic news."""

import logging

from khabar.api import default_pipeline, process, process_paths
from khabar.data import SCHEMA_VERSION, Document, Span
from khabar.errors import Problem, ReadFailure
from khabar.normalize import normalize_arabic, normalize_with_offsets
from khabar.reading import ReadOptions, read

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Span",
    "SCHEMA_VERSION",
    "Problem",
    "ReadFailure",
    "ReadOptions",
    "default_pipeline",
    "normalize_arabic",
    "normalize_with_offsets",
    "process",
    "process_paths",
    "read",
]

# The library logs; only the CLI decides what to print.
logging.getLogger(__name__).addHandler(logging.NullHandler())
