"""Every engine writes the same files: worker processes and dask give the local engine's output, byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.batch as batch
import pipeline.engine as engine
from pipeline.batch import run_batch
from pipeline.engine import Extractor, Settings
from pipeline.ingest import IngestFailure, iter_files, read_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
OUTPUTS = ("records.jsonl", "records.csv", "errors.csv")
BLANK = Settings(model="blank")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def local_model(tmp_path_factory) -> Path:
    """corpus/ run in this process with the statistical models: the reference output."""
    out = tmp_path_factory.mktemp("local-model")
    summary = run_batch([CORPUS], out, settings=Settings())
    assert summary.records > 50
    return out


def test_two_workers_write_what_one_writes(local_model, tmp_path):
    run_batch([CORPUS], tmp_path, settings=Settings(), workers=2)
    assert _outputs(tmp_path) == _outputs(local_model)


def test_the_pipeline_registers_no_custom_attributes():
    """Records leave a worker as plain dicts, and no ``Doc._``/``Span._``/``Token._`` attribute is used.

    An extension set in the parent only would be missing in spawned workers (dask's, or a
    pool where fork is unavailable); if one is ever added, register it where the pipeline
    is built (``build_nlp``) and run the dask test below with the model that uses it.
    """
    from spacy.tokens.underscore import Underscore

    extractor = Extractor(BLANK)
    extractor.pipeline("en")
    assert (Underscore.doc_extensions, Underscore.span_extensions, Underscore.token_extensions) == ({}, {}, {})


def test_a_pipeline_built_afresh_gives_the_same_records(monkeypatch):
    items = [i for path in iter_files([CORPUS / "docs"]) for i in read_file(path) if not isinstance(i, IngestFailure)]
    kept = [r.to_dict() for r in Extractor(BLANK).run(items)]
    monkeypatch.setattr(engine, "FRESH_STRINGS", -1)  # rebuild after every batch
    renewed = Extractor(BLANK)
    loads = []
    load = renewed._load
    monkeypatch.setattr(renewed, "_load", lambda language: (loads.append(language), load(language)))
    assert [r.to_dict() for r in renewed.run(items)] == kept
    assert len(loads) > 2


# --- dask ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("dask", reason="dask is not installed (pip install 'dask[distributed]')")
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as local_cluster:
        yield local_cluster


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    """corpus/ plus a folder of items whose ids clash with it: the renamed ids depend on input order."""
    clashing = tmp_path / "clashing"
    clashing.mkdir()
    for source in sorted((CORPUS / "docs").glob("*.txt"))[:3]:
        shutil.copy(source, clashing / source.name)
    return [CORPUS, clashing]


def test_dask_writes_what_the_local_engine_writes(cluster, inputs, tmp_path):
    from dask.distributed import Client

    local, dask = tmp_path / "local", tmp_path / "dask"
    run_batch(inputs, local, settings=BLANK)
    summary = run_batch(inputs, dask, settings=BLANK, engine="dask", scheduler=cluster.scheduler_address)
    assert summary.duplicates == 3
    assert _outputs(dask) == _outputs(local)

    # each worker process built its pipeline on its first task and keeps it for the next run
    def extractor_id():
        return id(batch._worker_extractor) if batch._worker_extractor is not None else None

    with Client(cluster) as client:
        first = client.run(extractor_id)
        run_batch(inputs, tmp_path / "again", settings=BLANK, engine="dask", scheduler=cluster.scheduler_address)
        second = client.run(extractor_id)
    assert any(first.values())
    assert all(second[worker] == built for worker, built in first.items() if built)
    assert _outputs(tmp_path / "again") == _outputs(local)


def test_dask_refuses_workers_that_loaded_other_code(cluster, tmp_path):
    from dask.distributed import Client

    with Client(cluster) as client:
        client.run(setattr, batch, "_loaded_stamp", "code as it was before an update")
        try:
            with pytest.raises(RuntimeError, match="other pressx code or models/ data"):
                run_batch([CORPUS / "docs"], tmp_path, settings=BLANK, engine="dask",
                          scheduler=cluster.scheduler_address)
        finally:
            client.run(setattr, batch, "_loaded_stamp", None)
    assert not (tmp_path / "records.jsonl").exists()
