"""The chart renderer (calculator.export.render) runs in a worker process: a chart that makes
vl-convert abort (it panics on text XML 1.0 forbids, such as control characters) fails that
one call with RenderError, this process goes on, and the next chart is drawn by a fresh
worker."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from calculator.export import images, render


def spec(title: str = "fine", value: str = "a") -> dict:
    return {"title": title, "data": {"values": [{"x": 1, "n": value}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"},
                         "color": {"field": "n", "type": "nominal"}}}


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("bad", [spec(title="a\x1b]0;x\x07"), spec(title="nul \x00"),
                                 spec(value="\x01"), spec(title="\ufffe")],
                         ids=["osc-in-title", "nul-in-title", "soh-in-data", "fffe-in-title"])
def test_a_chart_the_renderer_cannot_draw_fails_alone(bad):
    # vl-convert 1.x aborted its whole process on these; 2.0 refuses them: either way the
    # call raises RenderError, this process goes on and the next chart is drawn
    assert "<svg" in render.svg(spec())
    with pytest.raises(render.RenderError, match="chart renderer"):
        render.svg(bad)
    svg = render.svg(spec(title="next one"))
    assert "next one" in svg


def test_a_worker_that_dies_mid_render_fails_that_call_alone():
    """An abort of the renderer (vl-convert 1.x did so on control characters; a failed
    allocation still can): the worker is killed while it draws."""
    assert render.svg(spec())
    pid = render.worker_pid()
    assert pid is not None
    heavy = {**spec(), "data": {"values": [{"x": k, "n": str(k % 7)} for k in range(200_000)]}}
    killer = threading.Timer(0.3, os.kill, (pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(render.RenderError, match="stopped on this chart"):
            render.svg(heavy)
    finally:
        killer.cancel()
    # we are still here; the dead worker was replaced by the next call
    assert _gone(pid)
    assert "next one" in render.svg(spec(title="next one"))
    assert render.worker_pid() not in (None, pid)


def test_a_worker_that_dies_while_a_chart_is_handed_to_it_says_so():
    """A large chart takes a while to write to the worker; if it dies meanwhile the write
    fails, and the user reads the same sentence as when it dies drawing (on a slow machine
    the test above kills it during the write)."""
    worker = render._Worker()
    worker.proc.kill()
    worker.proc.wait(timeout=10)
    try:
        with pytest.raises(render.RenderError, match="stopped on this chart"):
            worker.call(b"x" * 10_000_000, timeout=10)     # into a pipe nobody reads
    finally:
        worker.stop()


def test_the_png_path_refuses_cleanly_too():
    # a canvas too large to allocate: 200,000 x 200,000 pixels
    with pytest.raises(render.RenderError, match="chart renderer"):
        render.png({**spec(), "width": 200_000, "height": 200_000})
    png = render.png(spec(), scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_chart_the_renderer_refuses_keeps_the_worker():
    assert render.svg(spec())
    pid = render.worker_pid()
    with pytest.raises(render.RenderError, match="refused"):
        render.svg({**spec(), "mark": "no-such-mark"})
    assert render.worker_pid() == pid
    assert "fine" in render.svg(spec())


def test_a_render_over_the_time_limit_fails_and_the_worker_is_replaced():
    assert render.svg(spec())                    # the worker is up
    pid = render.worker_pid()
    assert pid is not None
    # a 1920 x 1080 PNG takes tens of milliseconds at least; 1 ms is always too short
    with pytest.raises(render.RenderError, match="longer than 0.001 s"):
        render.png({**spec(), "width": 960, "height": 540}, scale=2, timeout=0.001)
    assert _gone(pid)                            # the hung worker was stopped, not left
    assert "fine" in render.svg(spec())
    assert render.worker_pid() != pid


def test_renders_reuse_one_worker():
    render.svg(spec())
    pid = render.worker_pid()
    for k in range(3):
        assert f"chart {k}" in render.svg(spec(title=f"chart {k}"))
    assert render.worker_pid() == pid


def test_an_svg_is_rastered_at_its_scale():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20" viewBox="0 0 30 20">'
           '<rect width="30" height="20" fill="white"/></svg>')
    png = render.raster(svg, scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert images.png_size(png) == (60, 40)                    # 30 x 20 at 2x
