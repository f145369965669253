import pytest


@pytest.fixture
def demo_case():
    """The seeded demo case (two lenders, a lawsuit, a possibly time-barred loan), as a practitioner reads it."""
    from cases import demo

    return demo.seed()["case"]
