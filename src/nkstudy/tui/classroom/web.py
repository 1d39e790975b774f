"""The classroom in a browser: a ``textual-serve`` server that runs one app process per visitor.

What it changes from ``textual_serve.server.Server``:

* its own page (``templates/serve.html``): every file comes from this server
  (no web fonts from elsewhere), the title is ours and not the command line,
  and the websocket address follows the address the browser used, so a
  server listening on 0.0.0.0 works from any machine of the network;
* it says it is ready (``on_ready(url)``) only once it is listening;
* Ctrl+C (or SIGTERM) closes every visitor's session, which ends their app
  processes, and then stops;
* the websocket takes only pages of this server (the ``Origin`` header names
  the host the browser used, or one of ``allow_origins``), so another page open
  in the teacher's browser cannot start sessions;
* at most ``max_visitors`` sessions at once: the page, and the websocket, say
  "the class is full" to the next one;
* each visitor's process learns its client address (``NKSTUDY_CLIENT_ADDRESS``),
  so wrong class codes are limited per address across connections, and its
  browser (``NKSTUDY_CLIENT_ID``: a random id the page sets in a cookie), so a
  student whose tab dropped takes their live seat back at once from the same
  browser (see :class:`nkstudy.door.Door`);
* given a ``zygote`` command, each visitor's process is forked from one warm
  process that has already imported the app (:mod:`nkstudy.tui.classroom.forks`):
  a quicker join, and the imported code's memory shared between the visitors.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import signal
from asyncio.subprocess import Process
from collections.abc import Callable
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from nkstudy.door import ENV_ADDRESS, ENV_CLIENT
from nkstudy.tui.classroom.forks import ForkedProcess, Zygote

TEMPLATES = Path(__file__).resolve().parent / "templates"
STOP_WAIT = 5.0  # seconds to let visitors' apps close before the server stops anyway
MAX_VISITORS = 60
CLIENT_COOKIE = "nkstudy_client"  # a random id for the browser, so a dropped student is known again
_CLIENT_ID = re.compile(r"^[0-9a-f]{32}$")
FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The class is full</title>
<style>body { font-family: sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5; }</style></head>
<body><h1>The class is full</h1>
<p>This drill already has {count} students, as many as the teacher allowed. Ask your teacher to make room
(<code>nkstudy serve --max-visitors</code>), then reload this page.</p></body></html>
"""


class VisitorService(AppService):
    """One visitor's app process, told its client address through the environment."""

    def __init__(self, *args: object, address: str, client: str = "", zygote: Zygote | None = None,
                 argv: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.address = address
        self.client = client
        self.zygote = zygote
        self.argv = argv or []
        self.forked: ForkedProcess | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[ENV_ADDRESS] = self.address
        environment[ENV_CLIENT] = self.client
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """Forked from the zygote when it runs; otherwise a process of its own, as textual-serve starts it."""
        if self.zygote is not None and self.zygote.alive:
            try:
                self.forked = await self.zygote.spawn(self.argv, self._build_environment(width, height))
            except OSError as exc:
                logging.getLogger("nkstudy").warning("visitors start as processes of their own from now on: %s", exc)
            else:
                self._stdin = self.forked.stdin
                self._process = cast(Process, self.forked)  # what AppService uses of it: stdin, stdout, stderr
                return self._process
        return await super()._open_app_process(width, height)

    async def stop(self) -> None:
        await super().stop()
        if self.forked is not None:
            self.forked.close()


def client_id(request: web.Request) -> str:
    """The browser's id from its cookie ("" when it has none, or not one of ours)."""
    found = request.cookies.get(CLIENT_COOKIE, "")
    return found if _CLIENT_ID.match(found) else ""


class ClassServer(Server):
    def __init__(self, command: str, host: str, port: int, *, title: str,
                 on_ready: Callable[[str], None], max_visitors: int = MAX_VISITORS,
                 allow_origins: tuple[str, ...] = (), zygote: list[str] | None = None,
                 argv: list[str] | None = None) -> None:
        """``zygote``: the command line of the process to fork visitors from, each running ``argv``."""
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.on_ready = on_ready
        self.zygote_command = zygote
        self.argv = argv or []
        self.zygote: Zygote | None = None
        self.visitors: set[asyncio.Task[object]] = set()
        self.max_visitors = max_visitors
        self.allow_origins = {o.rstrip("/").lower() for o in allow_origins}

    def origin_allowed(self, request: web.Request) -> bool:
        """True for a page of this server (its Origin names the host the browser asked), or an allowed one."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: no other site's page can be behind it
        if origin.rstrip("/").lower() in self.allow_origins:
            return True
        try:
            netloc = urlsplit(origin).netloc.lower()
        except ValueError:
            return False
        return bool(netloc) and netloc == (request.host or "").lower()

    @property
    def full(self) -> bool:
        return len(self.visitors) >= self.max_visitors

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="nkstudy serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Start the zygote and wait until it is ready, so that even the first visitors are forked from it.

        When it cannot start, visitors start as processes of their own.  The address is
        printed once the server listens (see :meth:`serve`).
        """
        if self.zygote_command:
            zygote = Zygote(self.zygote_command, self.service(address="")._build_environment())
            if await asyncio.get_running_loop().run_in_executor(None, zygote.start):
                self.zygote = zygote
            else:
                logging.getLogger("nkstudy").warning("visitors start as processes of their own: "
                                                     "the process to fork them from did not start")

    async def on_shutdown(self, app: web.Application) -> None:
        """End every visitor's session: each one's app gets its quit message and exits; then the zygote."""
        for task in list(self.visitors):
            task.cancel()
        if self.visitors:
            await asyncio.wait(list(self.visitors), timeout=STOP_WAIT)
        if self.zygote is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.zygote.stop)

    def service(self, websocket: web.WebSocketResponse | None = None, address: str = "?",
                client: str = "") -> VisitorService:
        """One visitor's app service, writing to ``websocket``."""

        async def nowhere(*_args: object) -> None:
            return None

        return VisitorService(self.command, write_bytes=websocket.send_bytes if websocket else nowhere,
                              write_str=websocket.send_str if websocket else nowhere,
                              close=websocket.close if websocket else nowhere, download_manager=self.download_manager,
                              debug=self.debug, address=address, client=client, zygote=self.zygote,
                              argv=self.argv)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.origin_allowed(request):
            raise web.HTTPForbidden(text="this page may not open a session here\n")
        if self.full:
            raise web.HTTPServiceUnavailable(text="the class is full\n")
        task = asyncio.current_task()
        if task is not None:
            self.visitors.add(task)
        websocket = web.WebSocketResponse(heartbeat=15)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = self.service(websocket, request.remote or "?", client_id(request))
            await service.start(to_int(request.query.get("width", "80"), 80),
                                to_int(request.query.get("height", "24"), 24))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as exc:  # a broken connection ends that visitor only
            logging.getLogger("nkstudy").warning("a visitor's session ended: %s", exc)
        finally:
            if service is not None:
                await service.stop()
            if task is not None:
                self.visitors.discard(task)
        return websocket

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            return web.Response(status=503, text=FULL_PAGE.replace("{count}", str(len(self.visitors))),
                                content_type="text/html")
        response = await self.page(request)
        if not client_id(request):  # first visit: the browser gets an id, sent back with the websocket
            response.set_cookie(CLIENT_COOKIE, secrets.token_hex(16), httponly=True, samesite="Strict",
                                secure=request.secure)
        return response

    @aiohttp_jinja2.template("serve.html")
    async def page(self, request: web.Request) -> dict[str, object]:  # the template's context
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
