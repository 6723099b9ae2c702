"""The console's pages in /openapi.json: what schemathesis fuzzes (tests/server/test_openapi_fuzz.py)."""

from __future__ import annotations

from fastapi.routing import APIRoute

from server import console
from server.console import web


def test_every_console_route_is_documented_with_its_forms_and_html_answers(client) -> None:  # noqa: ANN001
    document = client.get("/openapi.json").json()
    modules = [m for name, m in vars(console).items() if name.startswith("routes_")]
    routes = {(method.lower(), web.PREFIX + route.path) for module in modules for route in module.router.routes
              if isinstance(route, APIRoute) for method in route.methods}
    documented = {(method, path) for path, operations in document["paths"].items() for method in operations}
    assert len(modules) >= 9 and len(routes) >= 38
    assert routes <= documented, routes - documented
    for method, path in routes:
        operation = document["paths"][path][method]
        assert operation["tags"] == ["console"]
        responses = operation["responses"]
        assert "422" not in responses  # the console answers bad input with a 400 page
        assert "503" in responses and responses["400"]["content"] == {"text/html": {"schema": {"type": "string"}}}
        if method == "post":
            body = operation["requestBody"]["content"]
            schema = next(iter(body.values()))["schema"]
            assert "csrf" in schema["required"], path
            assert "413" in responses and "303" in responses
    login = document["paths"]["/console/login"]["post"]
    assert set(login["responses"]) == {"303", "400", "401", "403", "413", "429", "503"}
    holidays = document["paths"]["/console/holidays"]["post"]["requestBody"]["content"]
    fields = holidays["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert fields["name"]["maxLength"] == 40 and fields["kind"]["enum"] == ["holiday", "workday"]
    export = document["paths"]["/console/ledger.xlsx"]["post"]["responses"]["200"]["content"]
    assert list(export) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
