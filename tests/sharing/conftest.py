"""The other people of a shared case, each with a signed-in client of their own."""

import pytest
from django.test import Client

from ..factories import make_user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def helper(db):
    return make_user("helper")


@pytest.fixture
def helper_client(helper):
    return signed_in(helper)


@pytest.fixture
def adviser(db):
    return make_user("adviser")


@pytest.fixture
def adviser_client(adviser):
    return signed_in(adviser)
