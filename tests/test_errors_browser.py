"""An unexpected error in the app, seen in a real browser: a friendly message, and nothing
of the error itself (no traceback, no exception text or type, no file path of the
server) on the page or on the wire; the details are in the server's log.

The error is forced without touching the product: the server starts with PYTHONPATH
pointing first to a folder whose ``sitecustomize.py`` (imported by Python at start-up)
replaces ``calculator.evaluate`` with a function that raises, as a bug in the engine would.
"""

from __future__ import annotations

import os
import textwrap

import pytest
from conftest import ROOT, streamlit_server

pytestmark = pytest.mark.browser

SECRET = "secret-detail-7f3a"
SITECUSTOMIZE = textwrap.dedent(f'''\
    """Test only: every evaluation fails, the way a bug in the engine would."""
    import calculator
    import calculator.model
    import calculator.model.engine


    class LeakyTestError(RuntimeError):
        pass


    def evaluate(*args, **kwargs):
        raise LeakyTestError("{SECRET} in {ROOT}/calculator/model/engine.py")


    calculator.evaluate = calculator.model.evaluate = evaluate
    calculator.model.engine.evaluate = evaluate
    ''')
# what would give the error away: its text, its type, a traceback, a path of the server
LEAKS = [SECRET, "LeakyTestError", "Traceback", 'File "', str(ROOT), "/work/", ".py"]


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory, browser):
    site = tmp_path_factory.mktemp("site")
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = site / "server.log"
    # ROOT next, so the patched package is this checkout's (as the app's own import is)
    path = [str(site), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    with streamlit_server(env={"PYTHONPATH": os.pathsep.join(path)}, log_path=log) as url:
        yield url, log


def test_an_error_shows_a_friendly_message_and_nothing_of_the_error(broken_server, browser):
    url, log = broken_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else payload.encode())))
    try:
        page.goto(url)
        box = page.get_by_test_id("stException")
        box.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        message = box.inner_text()
        assert "This app has encountered an error" in message
        shown = page.locator("body").inner_text()
        html = page.content()
        for leak in LEAKS:
            assert leak not in shown, leak
            assert leak not in html, leak
        # nothing of the error is even sent to the browser (Streamlit's session message
        # does carry the path of app.py, so the folder alone is no sign of a leak)
        assert frames, "no message came over the websocket"
        for leak in (SECRET, "LeakyTestError", "Traceback", "engine.py"):
            assert not any(leak.encode() in f for f in frames), leak
        (ROOT / "artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "artifacts" / "browser-error.png"), full_page=True)
    finally:
        page.close()
    # the details are where an operator looks for them
    text = log.read_text(errors="replace")
    assert "LeakyTestError" in text and SECRET in text
