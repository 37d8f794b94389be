"""The Python API. The CLI (and later the web API) are thin layers over these functions."""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from khabar.cleaning import Clean
from khabar.data import Document
from khabar.executor import LocalExecutor
from khabar.pipeline import Item, Pipeline, Stage
from khabar.reading import ReadOptions, read, scrub_surrogates
from khabar.entities import Geocode, Recognize
from khabar.statements import Attribute


STAGES = {"clean": Clean, "ner": Recognize, "geocode": Geocode, "attribution": Attribute}


def default_stages(*, ner_layers: str = "network") -> list[Stage]:
    """The stages ``khabar process`` runs, in order."""
    return [Recognize(ner_layers) if factory is Recognize else factory() for factory in STAGES.values()]


def default_pipeline(stages: Sequence[str] | None = None, *, ner_layers: str = "network") -> Pipeline:
    """The pipeline of the named stages (default: all), in their fixed order. ``ner_layers``:
    ``"network"`` (the whole NER model) or ``"crf"`` (its CRF layer alone, faster)."""
    chosen = default_stages(ner_layers=ner_layers)
    if stages is None:
        return Pipeline(chosen)
    unknown = [name for name in stages if name not in STAGES]
    if unknown:
        from khabar.errors import KhabarError

        raise KhabarError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    return Pipeline([stage for stage in chosen if stage.name in stages])


def process(text: str, *, id: str = "text", title: str | None = None, outlet: str | None = None,
            url: str | None = None, date: str | None = None,
            pipeline: Pipeline | None = None) -> Document:
    """Run the pipeline on one text. ``title``/``outlet`` are used when already known
    (e.g. from a feed); otherwise they are recovered from the text."""
    metadata = {k: v for k, v in {"title": title, "outlet": outlet, "url": url, "date": date}.items() if v}
    document = scrub_surrogates(Document(id=id, raw=text, metadata=metadata))
    return (pipeline or default_pipeline())(document)


def process_paths(paths: Sequence[str] | Iterable[str], *, workers: int = 1,
                  options: ReadOptions | None = None, pipeline: Pipeline | None = None,
                  on_skip=None, executor=None) -> Iterator[Item]:
    """Read and process files, folders and ``-``; yields documents and coded failures in
    input order. Bad inputs become :class:`~khabar.errors.ReadFailure` items and the run goes on.
    ``executor`` runs the pipeline (default a LocalExecutor of ``workers``)."""
    items = read(paths, options=options, on_skip=on_skip)
    return (executor or LocalExecutor(workers)).run(pipeline or default_pipeline(), items)
