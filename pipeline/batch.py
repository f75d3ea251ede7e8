"""A whole run: inputs -> chunks of files -> records, on one of three engines.

The same ``process_chunk`` function does the work everywhere: in this process
(``workers=1``), in a pool of worker processes (``workers>1``), or as tasks on a
dask.distributed cluster (``engine="dask"``). Each worker process builds its
pipeline once and keeps it; outputs are sorted by id, so every engine writes the
same files.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .engine import Extractor, Settings
from .ingest import IngestFailure, iter_files, read_file
from .writers import OutputWriter

CHUNK = 16
_worker_extractor: Extractor | None = None  # one per worker process, built on its first chunk


@dataclass(frozen=True)
class Reused:
    id: str


@dataclass
class Summary:
    records: int = 0
    reused: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    duplicates: int = 0


def _extractor(settings: Settings) -> Extractor:
    global _worker_extractor
    if _worker_extractor is None or _worker_extractor.settings != settings:
        _worker_extractor = Extractor(settings)
    return _worker_extractor


def process_chunk(paths: list[str], settings: Settings, known: dict[str, str] | None = None) -> list:
    """Ingest and extract a chunk of files: record dicts, IngestFailures, or Reused markers."""
    extractor = _extractor(settings)
    items = []
    out: list = []
    for path in paths:
        for item in read_file(Path(path)):
            if not isinstance(item, IngestFailure) and known and known.get(item.id) == item.content_hash:
                out.append(Reused(item.id))
                continue
            items.append(item)
    for result in extractor.run(items):
        out.append(result if isinstance(result, IngestFailure) else result.to_dict())
    return out


def chunks(files: list[str], size: int = CHUNK) -> list[list[str]]:
    return [files[i:i + size] for i in range(0, len(files), size)]


def _local(groups, settings, known) -> Iterator[list]:
    for group in groups:
        yield process_chunk(group, settings, known)


def _pool(groups, settings, known, workers: int) -> Iterator[list]:
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with mp.get_context(method).Pool(workers) as pool:
        yield from pool.imap(_pool_task, [(g, settings, known) for g in groups])


def _pool_task(args):
    return process_chunk(*args)


def _dask(groups, settings, known, workers: int, scheduler: str | None) -> Iterator[list]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        futures = [client.submit(process_chunk, g, settings, known, pure=False) for g in groups]
        for future in as_completed(futures):
            yield future.result()  # each chunk's records are written as it completes
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(inputs: Iterable[str | os.PathLike], out_dir: Path, *, settings: Settings = Settings(),
              workers: int = 1, engine: str = "local", scheduler: str | None = None, resume: bool = False,
              progress: Callable[[int, int], None] | None = None) -> Summary:
    """Process every input into ``out_dir``; returns counts and failures (never raises on bad input)."""
    writer = OutputWriter(out_dir, resume=resume)
    summary = Summary()
    files: list[str] = []
    for entry in iter_files(inputs):
        if isinstance(entry, IngestFailure):
            summary.failures.append(entry)
        else:
            files.append(str(entry))
    known = None
    if resume:
        import json

        known = {i: json.loads(line).get("content_hash") for i, line in writer.previous.items()}
    groups = chunks(files)
    if engine == "dask":
        stream = _dask(groups, settings, known, workers, scheduler)
    elif workers > 1:
        stream = _pool(groups, settings, known, workers)
    else:
        stream = _local(groups, settings, known)
    seen: dict[str, int] = {}
    done = 0
    for results in stream:
        for result in results:
            if isinstance(result, IngestFailure):
                summary.failures.append(result)
                writer.failures.append(result)
            elif isinstance(result, Reused):
                if writer.reusable(result.id, known[result.id]):
                    summary.reused += 1
            else:
                rec_id = str(result["id"])
                if rec_id in seen:
                    seen[rec_id] += 1
                    new_id = f"{rec_id}__{seen[rec_id]}"
                    clash = IngestFailure(result["source"], "duplicate-id",
                                          f"id {rec_id!r} already used by another input; kept as {new_id!r}", id=new_id)
                    summary.duplicates += 1
                    writer.failures.append(clash)
                    summary.failures.append(clash)
                    result = {**result, "id": new_id}
                    rec_id = new_id
                seen.setdefault(rec_id, 1)
                writer.add_dict(result)
        done += 1
        if progress:
            progress(min(done * CHUNK, len(files)), len(files))
    for failure in summary.failures:
        if failure not in writer.failures:
            writer.failures.append(failure)
    summary.records = writer.finish()
    return summary
