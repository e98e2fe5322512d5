"""The web app's fixtures: a results root with small poland_1939 ensembles, built once."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results root holding two finished ensembles (free and canon) and a stray file.

    ``poland``: 6 runs to 20 October 1939 with sampled assumptions; ``canon/poland``: 4 runs in
    canon mode (nested one level, as a user's folders may be). About 2 s with a warm engine.
    """
    from twinvipers.ensemble.runner import Spec, run_ensemble

    root = tmp_path_factory.mktemp("webroot")
    until = dt.date(1939, 10, 20)
    run_ensemble(Spec("poland_1939", 6, seed=1, until=until, chunk_size=3), root / "poland", 1)
    (root / "canon").mkdir()
    run_ensemble(
        Spec("poland_1939", 4, seed=2, until=until, chunk_size=4, canon=True),
        root / "canon" / "poland",
        1,
    )
    (root / "notes.txt").write_text("not an ensemble")
    return root


@pytest.fixture(scope="session")
def client(web_root: Path):
    """A test client of the app over ``web_root``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    from twinvipers.web.app import create_app

    return TestClient(create_app(web_root))


def free_port() -> int:
    """A port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a thread, as ``twinvipers serve`` serves it."""

    def __init__(self, root: Path):
        import uvicorn

        from twinvipers.web.app import create_app

        self.app = create_app(root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        t0 = time.monotonic()
        while not self.server.started:
            if time.monotonic() - t0 > 30:
                raise RuntimeError("the server did not start in 30 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.app.state.jobs.shutdown()
        self.server.should_exit = True
        self.thread.join(timeout=10)
