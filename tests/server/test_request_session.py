"""One database session per request, the same pattern for the API, the console and the public
pages (``server.api.deps.request_session``), closed once the response is sent."""

from __future__ import annotations

import pytest


@pytest.fixture
def counted(server_app):  # noqa: ANN001, ANN201
    original = server_app.state.sessions
    opened, closed = [], []

    def factory():  # noqa: ANN202
        session = original()
        opened.append(session)
        real_close = session.close

        def close() -> None:
            closed.append(session)
            real_close()

        session.close = close
        return session

    server_app.state.sessions = factory
    yield opened, closed
    server_app.state.sessions = original


@pytest.mark.parametrize(("path", "sessions"), [("/api/v1/track/" + "A" * 22, 1), ("/t/" + "A" * 22, 1),
                                                ("/console/", 1), ("/console/login", 0)])
def test_each_area_opens_at_most_one_session_and_closes_it(client, counted, path, sessions):  # noqa: ANN001
    opened, closed = counted
    response = client.get(path, follow_redirects=False)
    assert response.status_code < 500
    assert len(opened) == sessions and closed == opened
