"""A whole run: inputs -> chunks of files -> records, on one of three engines.

The same ``process_chunk`` function does the work everywhere: in this process
(``workers=1``), in a pool of worker processes (``workers>1``), or as tasks on a
dask.distributed cluster (``engine="dask"``). Each process builds its pipeline
once and keeps it (a module-level cache: the pipeline is never pickled). Forked
pool workers inherit the pipeline already loaded. Every engine hands the chunks'
results back in input order and the outputs are sorted by id, so every engine
writes the same files, byte for byte.
"""
from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import os
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .engine import Extractor, Settings
from .ingest import IngestFailure, iter_files, read_file
from .writers import REVIEW_BELOW, OutputWriter, run_stamp

CHUNK = 16  # files per task: an early first record, an even spread over workers
MAX_CHUNK = 256  # files per dask task at most
_worker_extractor: Extractor | None = None  # one per process, built on its first chunk
_worker_lock = threading.Lock()  # one chunk at a time per process: threads never share a pipeline
_pool_state: tuple[Settings, dict[str, str] | None] | None = None  # a pool worker's settings, from _pool_init
_loaded_stamp: str | None = None  # a dask worker's code and data, as they were when it loaded them


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


def warm_up(settings: Settings, languages: Iterable[str] = ()) -> Extractor:
    """Build this process's extractor now, with the pipelines of ``languages`` (a missing model is left for later)."""
    from .nlp import ModelNotFound

    with _worker_lock:
        extractor = _extractor(settings)
        for language in languages:
            try:
                extractor.pipeline(language)
            except ModelNotFound:
                pass  # raised again, with its message, if an item ever needs it
    return extractor


def process_chunk(paths: list[str], settings: Settings, known: dict[str, str] | None = None) -> list:
    """Ingest and extract a chunk of files: record dicts, IngestFailures, or Reused markers."""
    with _worker_lock:
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


def _local(files, settings, known) -> Iterator[tuple[list[str], list]]:
    for group in chunks(files):
        yield group, process_chunk(group, settings, known)


def _pool(files, settings, known, workers: int) -> Iterator[tuple[list[str], list]]:
    """Worker processes, results in input order.

    Where processes are forked (Linux), the pipeline is built here first and every worker
    inherits it loaded (and shares its memory until written to), so no worker loads a model.
    Elsewhere each worker builds its own on its first chunk. (``gc.freeze`` before forking
    would keep collections off the shared pages, but it would also keep a worker from ever
    freeing the inherited pipeline when ``Extractor`` renews it; full collections are rare.)
    """
    groups = chunks(files)
    fork = "fork" in mp.get_all_start_methods()
    if fork:
        warm_up(settings, [settings.language or "en"])
    with mp.get_context("fork" if fork else "spawn").Pool(
            workers, initializer=_pool_init, initargs=(settings, known)) as pool:
        yield from zip(groups, pool.imap(_pool_task, groups))


def _pool_init(settings: Settings, known: dict[str, str] | None) -> None:
    global _pool_state
    _pool_state = (settings, known)  # once per worker, not once per task


def _pool_task(group: list[str]) -> list:
    settings, known = _pool_state
    return process_chunk(group, settings, known)


def _code_stamp() -> str:
    """The run stamp of the default settings: changes with pressx's code and models/ data, on any machine."""
    return run_stamp(Settings())


def loaded_stamp() -> str:
    """This process's code stamp, taken the first time it is asked (a dask worker keeps the code it imported)."""
    global _loaded_stamp
    if _loaded_stamp is None:
        _loaded_stamp = _code_stamp()
    return _loaded_stamp


def _dask_task(paths: list[str], settings: Settings, known: dict[str, str] | None) -> list:
    loaded_stamp()
    return process_chunk(paths, settings, known)


def _check_workers(client) -> None:
    """Refuse workers that run other pressx code or data than this process: their records would differ."""
    expected = _code_stamp()
    stale = sorted(worker for worker, stamp in client.run(loaded_stamp).items() if stamp != expected)
    if stale:
        raise RuntimeError(
            f"{len(stale)} dask worker(s) run other pressx code or models/ data than this machine "
            f"({', '.join(stale[:3])}{', ...' if len(stale) > 3 else ''}): install the same pressx on them "
            "and restart them (a worker keeps the code it first loaded)")


def _dask(files, settings, known, workers: int, scheduler: str | None) -> Iterator[tuple[list[str], list]]:
    """Chunks as tasks on a dask.distributed cluster (a local one unless ``scheduler`` is given).

    Tasks are coarse (at least CHUNK files; about four per worker) and carry only file paths
    and settings: each worker builds its pipeline on its first task and keeps it. At most a few
    tasks per worker are in flight, and results are taken in input order, so memory stays
    bounded and the outputs are those of the local engine. Workers whose pressx code or data
    differ from this machine's are refused before any task is sent.
    """
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        _check_workers(client)
        n_workers = max(len(client.nthreads()), 1) if scheduler else workers
        size = max(CHUNK, min(MAX_CHUNK, math.ceil(len(files) / (4 * n_workers))))
        shared = client.scatter(known, broadcast=True) if known else None  # sent once, not with every task
        todo = iter(chunks(files, size))
        pending: deque = deque()

        def submit(group: list[str]) -> None:
            pending.append((group, client.submit(_dask_task, group, settings, shared, pure=False)))

        for group in itertools.islice(todo, 4 * n_workers):
            submit(group)
        while pending:
            group, future = pending.popleft()
            result = future.result()
            future.release()
            for nxt in itertools.islice(todo, 1):
                submit(nxt)
            yield group, result  # each chunk's records are written as soon as the ones before it are
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(inputs: Iterable[str | os.PathLike], out_dir: Path, *, settings: Settings = Settings(),
              workers: int = 1, engine: str = "local", scheduler: str | None = None, resume: bool = False,
              progress: Callable[[int, int], None] | None = None, review_below: float = REVIEW_BELOW) -> Summary:
    """Process every input into ``out_dir``; returns counts and failures (never raises on bad input)."""
    writer = OutputWriter(out_dir, resume=resume, stamp=run_stamp(settings), review_below=review_below)
    summary = Summary()
    files: list[str] = []
    for entry in iter_files(inputs, exclude=[out_dir]):
        if isinstance(entry, IngestFailure):
            summary.failures.append(entry)
        else:
            files.append(str(entry))
    known = {i: where.content_hash for i, where in writer.previous.items()} if resume else None
    if engine == "dask":
        stream = _dask(files, settings, known, workers, scheduler)
    elif workers > 1:
        stream = _pool(files, settings, known, workers)
    else:
        stream = _local(files, settings, known)
    seen: dict[str, int] = {}
    done = 0
    for group, results in stream:
        for result in results:
            if isinstance(result, IngestFailure):
                summary.failures.append(result)
                writer.failures.append(result)
            elif isinstance(result, Reused):
                if writer.reusable(result.id, known[result.id]):
                    summary.reused += 1
                seen.setdefault(result.id, 1)
            else:
                rec_id = str(result["id"])
                if rec_id in seen:
                    seen[rec_id] += 1
                    new_id = f"{rec_id}__{seen[rec_id]}"
                    while new_id in seen:  # "a__2" may be a real id of its own
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
        done += len(group)
        if progress:
            progress(done, len(files))
    logged = set(writer.failures)
    for failure in summary.failures:
        if failure not in logged:
            writer.failures.append(failure)
            logged.add(failure)
    summary.records = writer.finish()
    return summary
