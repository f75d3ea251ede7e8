"""Shared pytest settings for pressx's tests."""


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs headless Chromium and chromedriver (skipped when missing)")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def extractor_settings():
    """Settings for whole-set runs: the default (statistical) model, loaded once per worker process."""
    from pipeline.engine import Settings

    return Settings()


# --- shared fixtures: paths, and the extraction pipeline built once per session ---------------
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def blank_extractor():
    """Rules only (``--model blank``): fast, for property tests and whole-folder runs."""
    from pipeline.engine import Extractor, Settings

    return Extractor(Settings(model="blank"))


@pytest.fixture(scope="session")
def model_extractor():
    """The default statistical models, as ``pressx run`` uses them."""
    from pipeline.engine import Extractor, Settings

    return Extractor(Settings())


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, err={self.err[-2000:]!r})"


@pytest.fixture
def cli(capsys):
    """``cli("run", ...)`` calls ``pipeline.cli.main`` in this process; returns its code, stdout and stderr."""
    from pipeline.cli import main

    def run(*argv) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
