"""Fixtures shared by every test module: the bundled sample and its model."""

from __future__ import annotations

from pathlib import Path

import pytest

import toolkit
from toolkit.model import Disclosure

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "xicheng-2020" / "disclosure.txt"
EXAMPLE_CONFIG = ROOT / "examples" / "jixiao.toml"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current code; review the diff before committing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample() -> Disclosure:
    return toolkit.read(SAMPLE)
