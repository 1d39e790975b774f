"""The classroom in a browser: a ``textual-serve`` server that runs one app process per visitor.

What it changes from ``textual_serve.server.Server``:

* its own page (``templates/serve.html``): every file comes from this server
  (no web fonts from elsewhere), the title is ours and not the command line,
  and the websocket address follows the address the browser used, so a
  server listening on 0.0.0.0 works from any machine of the network;
* it says it is ready (``on_ready(url)``) only once it is listening;
* Ctrl+C (or SIGTERM) closes every visitor's session, which ends their app
  processes, and then stops.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).resolve().parent / "templates"
STOP_WAIT = 5.0  # seconds to let visitors' apps close before the server stops anyway


class ClassServer(Server):
    def __init__(self, command: str, host: str, port: int, *, title: str,
                 on_ready: Callable[[str], None]) -> None:
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.on_ready = on_ready
        self.visitors: set[asyncio.Task[object]] = set()

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="nkstudy serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Nothing here: the address is printed once the server listens (see :meth:`serve`)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every visitor's session: each one's app gets its quit message and exits."""
        for task in list(self.visitors):
            task.cancel()
        if self.visitors:
            await asyncio.wait(list(self.visitors), timeout=STOP_WAIT)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        task = asyncio.current_task()
        if task is not None:
            self.visitors.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self.visitors.discard(task)

    @aiohttp_jinja2.template("serve.html")
    async def handle_index(self, request: web.Request) -> dict[str, object]:  # the template's context
        scheme = "wss" if request.secure else "ws"
        font_size = request.query.get("fontsize", "16")
        return {
            "title": self.title,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": int(font_size) if font_size.isdigit() and 6 <= int(font_size) <= 48 else 16,
        }

    def serve(self, debug: bool = False) -> None:
        """Listen until Ctrl+C or SIGTERM.  OSError when the address cannot be used."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_exit)
            except (NotImplementedError, RuntimeError):
                pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                     print=lambda *_: self.on_ready(self.public_url), shutdown_timeout=STOP_WAIT,
                     access_log=None)
