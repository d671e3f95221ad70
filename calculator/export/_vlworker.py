"""The chart renderer's worker process: started by :mod:`calculator.export.render` as a
script of its own, so it imports only vl-convert (never the caller's main module).

Protocol on stdin/stdout, one request at a time: an 8-byte big-endian length, then a
one-line JSON header ``{"kind": "svg" | "png" | "raster", "scale": ..., "vl_version": ...}``,
a newline and the body: the Vega-Lite spec as JSON text (handed to vl-convert as it is:
parsing it here would only cost time), or for "raster" an SVG to turn into PNG without
running Vega again. The answer is the same length prefix, then ``b"o"`` and the SVG
(UTF-8) or PNG bytes, or ``b"e"`` and the renderer's error message (UTF-8). End of input
ends the worker.

The first argument, when given, is a folder of fonts to register before the first render
(the bundled Source Sans 3, so that images use the screen's font on any machine).
"""

import json
import os
import signal
import struct
import sys


def _read(stream, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the caller decides, and this
    # process ends when the caller closes its end of the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Answers go to a private copy of stdout; whatever a library prints goes to stderr
    # (the server's log) instead of corrupting the answers.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    import logging

    import vl_convert as vlc

    # Vega-Lite's warnings about a spec ("conflicting legend property") are not the
    # user's concern; a render that fails still answers with its error
    logging.getLogger("vl_convert").setLevel(logging.ERROR)

    # no network, ever: no data or image URL is fetched, relative paths resolve nowhere,
    # and a missing font falls back to a local one instead of a download
    vlc.configure(allowed_base_urls=[], base_url=False, auto_google_fonts=False,
                  allow_google_fonts=False, embed_local_fonts=False, missing_fonts="fallback")
    if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]):
        vlc.register_font_directory(sys.argv[1])
    while True:
        try:
            head, spec = _read(inp, struct.unpack(">Q", _read(inp, 8))[0]).split(b"\n", 1)
        except EOFError:
            return
        try:
            request = json.loads(head)
            options = {"vl_version": request["vl_version"]}
            if request["kind"] == "raster":
                answer = b"o" + vlc.svg_to_png(spec.decode("utf-8"), scale=request["scale"])
            elif request["kind"] == "svg":
                answer = b"o" + vlc.vegalite_to_svg(spec.decode("utf-8"), **options).encode(
                    "utf-8")
            else:
                answer = b"o" + vlc.vegalite_to_png(spec.decode("utf-8"),
                                                    scale=request["scale"], **options)
        except Exception as exc:           # a refusal the renderer could report
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            answer = b"e" + first[:300].encode("utf-8", "replace")
        try:
            out.write(struct.pack(">Q", len(answer)) + answer)
            out.flush()
        except OSError:                    # the caller is gone (e.g. the command line
            os._exit(0)                    # stopped on a bad file): nothing to say


if __name__ == "__main__":
    main()
