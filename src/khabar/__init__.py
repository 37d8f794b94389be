"""khabar: clean, structured, searchable knowledge from raw scraped Arabic news."""

import logging
import os

# One BLAS thread unless the user says otherwise: with several, the order of floating sums in the
# NER network depends on the machine's load, and a borderline tag (and what follows from it) can
# flip between two runs. Set before NumPy loads its BLAS; parallelism comes from --workers.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# The public names load their modules on first use (PEP 562): a command that never runs the
# pipeline, such as ``khabar ner-tag`` or a query, does not pay for importing all of it.
_LAZY = {
    "default_pipeline": "khabar.api", "process": "khabar.api", "process_paths": "khabar.api",
    "SCHEMA_VERSION": "khabar.data", "Document": "khabar.data", "Span": "khabar.data",
    "Problem": "khabar.errors", "ReadFailure": "khabar.errors",
    "normalize_arabic": "khabar.normalize", "normalize_with_offsets": "khabar.normalize",
    "ReadOptions": "khabar.reading", "read": "khabar.reading",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'khabar' has no attribute {name!r}")
    import importlib

    value = globals()[name] = getattr(importlib.import_module(module), name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
