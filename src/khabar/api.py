"""The Python API. The CLI (and later the web API) are thin layers over these functions."""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from khabar.cleaning import Clean
from khabar.data import Document
from khabar.executor import LocalExecutor
from khabar.pipeline import Item, Pipeline, Stage
from khabar.reading import ReadOptions, read
from khabar.entities import Geocode, Recognize
from khabar.statements import Attribute


def default_stages() -> list[Stage]:
    """The stages ``khabar process`` runs, in order."""
    return [Clean(), Recognize(), Geocode(), Attribute()]


def default_pipeline() -> Pipeline:
    return Pipeline(default_stages())


def process(text: str, *, id: str = "text", title: str | None = None, outlet: str | None = None,
            url: str | None = None, date: str | None = None,
            pipeline: Pipeline | None = None) -> Document:
    """Run the pipeline on one text. ``title``/``outlet`` are used when already known
    (e.g. from a feed); otherwise they are recovered from the text."""
    metadata = {k: v for k, v in {"title": title, "outlet": outlet, "url": url, "date": date}.items() if v}
    document = Document(id=id, raw=text, metadata=metadata)
    return (pipeline or default_pipeline())(document)


def process_paths(paths: Sequence[str] | Iterable[str], *, workers: int = 1,
                  options: ReadOptions | None = None, pipeline: Pipeline | None = None,
                  on_skip=None) -> Iterator[Item]:
    """Read and process files, folders and ``-``; yields documents and coded failures in
    input order. Bad inputs become :class:`~khabar.errors.ReadFailure` items and the run goes on."""
    items = read(paths, options=options, on_skip=on_skip)
    return LocalExecutor(workers).run(pipeline or default_pipeline(), items)
