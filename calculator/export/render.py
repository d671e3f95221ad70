"""vl-convert in a worker process, so that no renderer failure ends the caller.

vl-convert draws Vega in Rust and JavaScript, in native code that can end the whole process
instead of raising: version 1.x aborted on text holding a character that XML 1.0 forbids
(a control character such as ESC or NUL, or U+FFFE), and a failed allocation or a bug in
native code still can. Version 2.0 (pinned in pyproject.toml: 1.x re-opened the font file
for every glyph it measured, eight times slower) refuses those texts and oversized canvases
with an error instead. A web server cannot bet on that in its own process, so
every render is sent to a long-lived worker process (:mod:`._vlworker`), started on first use and reused, so
vl-convert is imported once and a render costs only the pipe. The worker is a script of
its own rather than a ``multiprocessing`` child: that would re-run the caller's main
script, and forking a threaded server is unsafe.

Up to :func:`pool_size` renders run at once, each in its own worker (a full export draws
its charts two at a time on two cores); a call waits for a free worker. When a worker
dies or a render takes longer than ``TIMEOUT_S``, that one call raises
:class:`RenderError`, the worker is stopped, and a later call starts a fresh one.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

VL_VERSION = "6.4"
TIMEOUT_S = 60.0
"""Longest wait for one render, the worker's start included (a deck chart takes well under
a second; starting the worker a second or two on a busy machine)."""
_SCRIPT = Path(__file__).with_name("_vlworker.py")
FONTS = Path(__file__).with_name("fonts")
"""The bundled fonts (Source Sans 3, SIL OFL), registered in every worker."""
POOL = 2


class RenderError(RuntimeError):
    """A chart could not be drawn: the renderer refused the chart, died on it or hung."""


STOPPED = ("the chart renderer stopped on this chart (it cannot draw some characters, such "
           "as control characters, or a chart this large)")


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(_SCRIPT), str(FONTS)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.answers: queue.Queue[bytes | None] = queue.Queue()
        assert self.proc.stdout is not None
        # a thread waits on the pipe, so the caller can wait on the queue with a timeout
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True,
                         name="vl-convert answers").start()

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while True:
                head = stream.read(8)
                if len(head) < 8:
                    break
                n = struct.unpack(">Q", head)[0]
                body = stream.read(n)
                if len(body) < n:
                    break
                self.answers.put(body)
        except (OSError, ValueError):      # the pipe was closed under us by stop()
            pass
        self.answers.put(None)             # the worker is gone

    def call(self, request: bytes, timeout: float) -> bytes:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(struct.pack(">Q", len(request)) + request)
            self.proc.stdin.flush()
        except OSError as exc:
            # a worker is alive when taken (_take replaces dead ones): it died while this
            # chart was still being handed to it (a large one takes a while to write)
            raise RenderError(STOPPED) from exc
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            raise RenderError(f"the chart renderer took longer than {timeout:g} s") from None
        if answer is None:
            raise RenderError(STOPPED)
        return answer

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):   # a pipe already broken
                    stream.close()


_cond = threading.Condition()
_idle: list[_Worker] = []              # the most recently used last: reused first
_live = 0                              # workers started and not stopped
_last: _Worker | None = None


def pool_size() -> int:
    """How many renders run at once: one worker per core, at most two (a worker holds a
    JavaScript engine; two are enough to keep two cores busy)."""
    return max(1, min(POOL, os.cpu_count() or 1))


def _take() -> _Worker:
    global _live
    with _cond:
        while True:
            while _idle and not _idle[-1].alive():       # died while idle
                _idle.pop().stop()
                _live -= 1
            if _idle:
                return _idle.pop()
            if _live < pool_size():
                _live += 1
                break
            _cond.wait()
    try:
        return _Worker()
    except BaseException:
        with _cond:
            _live -= 1
            _cond.notify()
        raise


def _give(worker: _Worker, ok: bool) -> None:
    global _live, _last
    with _cond:
        if ok:
            _idle.append(worker)
            _last = worker
        else:
            worker.stop()                  # hung or dead: the next call gets a new one
            _live -= 1
            if _last is worker:
                _last = None
        _cond.notify()


def _render(kind: str, body: str, scale: float, timeout: float | None) -> bytes:
    head = {"kind": kind, "scale": scale, "vl_version": VL_VERSION}
    request = (json.dumps(head) + "\n" + body).encode("utf-8")
    worker = _take()                       # waiting for a free worker is not timed
    try:
        answer = worker.call(request, TIMEOUT_S if timeout is None else timeout)
    except BaseException:
        _give(worker, ok=False)
        raise
    _give(worker, ok=True)
    if answer[:1] != b"o":
        raise RenderError("the chart renderer refused this chart: "
                          + answer[1:].decode("utf-8", "replace"))
    return answer[1:]


def svg(spec: dict[str, Any], timeout: float | None = None) -> str:
    """The Vega-Lite ``spec`` as SVG text; :class:`RenderError` when it cannot be drawn."""
    return _render("svg", json.dumps(spec), 1.0, timeout).decode("utf-8")


def png(spec: dict[str, Any], scale: float = 1.0, timeout: float | None = None) -> bytes:
    """The Vega-Lite ``spec`` as PNG bytes at ``scale``; :class:`RenderError` when it
    cannot be drawn."""
    return _render("png", json.dumps(spec), scale, timeout)


def raster(svg_text: str, scale: float = 1.0, timeout: float | None = None) -> bytes:
    """An SVG drawn by :func:`svg` as PNG bytes at ``scale``, without running Vega again."""
    return _render("raster", svg_text, scale, timeout)


def warm() -> None:
    """Start the workers in the background and have each draw a tiny chart, so that the
    first real render does not pay for starting a JavaScript engine (the command line
    calls this before it decides)."""
    tiny = {"mark": "point", "data": {"values": [{"x": 1}]},
            "encoding": {"x": {"field": "x", "type": "quantitative"}}}

    def one() -> None:
        with contextlib.suppress(RenderError, OSError):
            svg(tiny)

    for _ in range(pool_size()):
        threading.Thread(target=one, daemon=True, name="vl-convert warm-up").start()


def worker_pid() -> int | None:
    """The process id of the worker the next render uses (the last one used), or None
    before the first render (for the server's log and the tests)."""
    with _cond:
        if _idle:
            return _idle[-1].proc.pid
        return _last.proc.pid if _last is not None and _last.alive() else None


def shutdown() -> None:
    """Stop the idle workers; a later render starts new ones."""
    global _live, _last
    with _cond:
        while _idle:
            _idle.pop().stop()
            _live -= 1
        _last = None
