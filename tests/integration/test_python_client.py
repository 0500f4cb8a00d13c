"""The typed Python client in clients/python: generated from the committed OpenAPI document and
current, with a module per operation named by its operationId."""

import importlib.util

from local.tools import python_client
from tests.integration.test_openapi import OPERATION_IDS


def test_the_committed_client_equals_a_fresh_generation() -> None:
    assert python_client.main(["--check"]) == 0, "run `make openapi`"


def test_each_operation_has_its_module_named_by_its_operation_id() -> None:
    snake = {
        "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id)
        for operation_id in OPERATION_IDS.values()
    }
    tags = ("advisors", "clients", "assignments", "imports", "health")

    found = {
        name
        for tag in tags
        for name in snake
        if importlib.util.find_spec(f"advisor_book_client.api.{tag}.{name}") is not None
    }

    assert found == snake
