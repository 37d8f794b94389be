"""khabar: clean, structured, searchable knowledge from raw scraped Arabic news."""

import logging
import os

# One BLAS thread unless the user says otherwise: with several, the order of floating sums in the
# NER network depends on the machine's load, and a borderline tag (and what follows from it) can
# flip between two runs. Set before NumPy loads its BLAS; parallelism comes from --workers.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from khabar.api import default_pipeline, process, process_paths  # noqa: E402
from khabar.data import SCHEMA_VERSION, Document, Span  # noqa: E402
from khabar.errors import Problem, ReadFailure  # noqa: E402
from khabar.normalize import normalize_arabic, normalize_with_offsets  # noqa: E402
from khabar.reading import ReadOptions, read  # noqa: E402

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
