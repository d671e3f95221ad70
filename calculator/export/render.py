"""vl-convert in a worker process, so that no renderer failure ends the caller.

vl-convert draws Vega in Rust, and some inputs make it *abort the whole process* instead
of raising: text holding a character that XML 1.0 forbids (a control character such as
ESC or NUL, or U+FFFE) panics in its text measurement, and a canvas too large to allocate
aborts on the failed allocation. A web server cannot survive that in its own process, so
every render (the deck images and the measuring renders that fit them to 16:9) is sent to
one long-lived worker process (:mod:`._vlworker`), started on first use and reused, so
vl-convert is imported once and a render costs only the pipe. The worker is a script of
its own rather than a ``multiprocessing`` child: that would re-run the caller's main
script, and forking a threaded server is unsafe.

Calls are taken one at a time. When the worker dies or a render takes longer than
``TIMEOUT_S``, that one call raises :class:`RenderError`, the worker is stopped, and the
next call starts a fresh one.
"""

from __future__ import annotations

import contextlib
import json
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


class RenderError(RuntimeError):
    """A chart could not be drawn: the renderer refused the chart, died on it or hung."""


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(_SCRIPT)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
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
            raise RenderError("the chart renderer is not running") from exc
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            raise RenderError(f"the chart renderer took longer than {timeout:g} s") from None
        if answer is None:
            raise RenderError("the chart renderer stopped on this chart (it cannot draw "
                              "some characters, such as control characters, or a chart "
                              "this large)")
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


_lock = threading.Lock()
_worker: _Worker | None = None


def _render(kind: str, spec: dict[str, Any], scale: float, timeout: float | None) -> bytes:
    global _worker
    head = {"kind": kind, "scale": scale, "vl_version": VL_VERSION}
    request = (json.dumps(head) + "\n" + json.dumps(spec)).encode("utf-8")
    with _lock:                            # one render at a time; waiting here is not timed
        if _worker is not None and not _worker.alive():
            _worker.stop()
            _worker = None
        if _worker is None:
            _worker = _Worker()
        try:
            answer = _worker.call(request, TIMEOUT_S if timeout is None else timeout)
        except RenderError:
            _worker.stop()                 # hung or dead: the next call gets a new one
            _worker = None
            raise
    if answer[:1] != b"o":
        raise RenderError("the chart renderer refused this chart: "
                          + answer[1:].decode("utf-8", "replace"))
    return answer[1:]


def svg(spec: dict[str, Any], timeout: float | None = None) -> str:
    """The Vega-Lite ``spec`` as SVG text; :class:`RenderError` when it cannot be drawn."""
    return _render("svg", spec, 1.0, timeout).decode("utf-8")


def png(spec: dict[str, Any], scale: float = 1.0, timeout: float | None = None) -> bytes:
    """The Vega-Lite ``spec`` as PNG bytes at ``scale``; :class:`RenderError` when it
    cannot be drawn."""
    return _render("png", spec, scale, timeout)


def worker_pid() -> int | None:
    """The worker's process id, or None before the first render (for the server's log)."""
    with _lock:
        return _worker.proc.pid if _worker is not None and _worker.alive() else None


def shutdown() -> None:
    """Stop the worker; a later render starts a new one."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop()
            _worker = None
