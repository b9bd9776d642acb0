"""Real HTTP/1.1 servers on loopback addresses, for tests that must not leave the machine.

All servers of a :class:`LoopbackServers` group share one asyncio loop in a background thread,
so their counters (requests, requests in flight) need no locks and a group-wide "max in flight"
is exact. Handlers are plain functions of a :class:`Request` returning a :class:`Reply`, which
may delay its headers, drip an endless body, or drop or reset the connection.

    with LoopbackServers() as group:
        srv = group.add(lambda req: Reply(200), host="127.0.0.2")
        urls = [srv.url("/a")]

Linux routes all of 127.0.0.0/8 to ``lo``, so several "hosts" need no setup. Nothing here
ever connects anywhere: the servers only listen.

Run ``python -m tests.httpservers --hosts 127.0.0.11-20 --delay 0.1`` for a standalone
process (used by benchmarks); it prints one ``host:port`` per line and serves until stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Union

__all__ = ["LoopbackServer", "LoopbackServers", "Reply", "Request", "drip", "free_port"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    time: float  # time.monotonic() on arrival
    server: LoopbackServer


@dataclass
class Reply:
    """What to answer. ``body`` may be bytes or an async iterator (sent close-delimited)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | AsyncIterator[bytes] = b""
    delay: float = 0.0  # seconds before the status line
    drop: bool = False  # close the connection without answering
    reset: bool = False  # reset the connection (TCP RST) without answering


Handler = Callable[[Request], Union[Reply, Awaitable[Reply]]]  # noqa: UP007


async def drip(chunk: bytes = b"x" * 64, every: float = 0.01) -> AsyncIterator[bytes]:
    """An endless body: a client that reads it never finishes."""
    while True:
        yield chunk
        await asyncio.sleep(every)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (bound then released), for "connection refused" tests."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class LoopbackServer:
    """One listening socket with its handler and counters.

    With ``tls`` (a server context) it speaks HTTPS and records the server name each client
    asked for in its TLS handshake (``server_names``).
    """

    def __init__(
        self, group: LoopbackServers, handler: Handler, host: str, tls: ssl.SSLContext | None
    ) -> None:
        self.group = group
        self.handler = handler
        self.host = host
        self.tls = tls
        self.server_names: list[str | None] = []
        self.port = 0
        self.requests: list[Request] = []
        self.connections = 0  # accepted so far
        self.in_flight = 0
        self.max_in_flight = 0
        self.bytes_sent = 0
        self._server: asyncio.base_events.Server | None = None

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return sum(
            1
            for r in list(self.requests)
            if (path is None or r.path == path) and (method is None or r.method == method)
        )

    async def _start(self, port: int) -> None:
        if self.tls is not None:

            def sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
                self.server_names.append(name)

            self.tls.sni_callback = sni  # type: ignore[assignment]
        self._server = await asyncio.start_server(self._serve, self.host, port, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.group._conns.add(task)
        self.connections += 1
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # Only close() cancels these; ending normally keeps 3.11's stream callback quiet.
            pass
        finally:
            self.group._conns.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            first = await reader.readexactly(1)
            if first == b"\x16":  # a TLS handshake sent to plain HTTP, as real servers see it
                writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                return False
            head = first + await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        lines = head.decode("latin-1").split("\r\n")
        method, path, version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if int(headers.get("content-length", "0") or 0):
            await reader.readexactly(int(headers["content-length"]))
        req = Request(method, path, headers, time.monotonic(), self)
        self.requests.append(req)
        self._enter()
        left = False

        def leave() -> None:
            nonlocal left
            if not left:
                left = True
                self.in_flight -= 1
                self.group.in_flight -= 1

        try:
            reply = self.handler(req)
            if inspect.isawaitable(reply):
                reply = await reply
            assert isinstance(reply, Reply)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            if reply.reset:
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            if reply.drop:
                return False
            keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
            streaming = not isinstance(reply.body, bytes)
            try:
                phrase = HTTPStatus(reply.status).phrase
            except ValueError:
                phrase = "Unknown"
            out = [f"HTTP/1.1 {reply.status} {phrase}"]
            hdrs = {k.lower(): v for k, v in reply.headers.items()}
            if streaming:
                keep = False
            elif "content-length" not in hdrs:
                assert isinstance(reply.body, bytes)
                hdrs["content-length"] = str(len(reply.body))
            hdrs.setdefault("connection", "keep-alive" if keep else "close")
            out += [f"{k}: {v}" for k, v in hdrs.items()]
            data = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
            if isinstance(reply.body, bytes) and method != "HEAD":
                data += reply.body
            writer.write(data)
            self.bytes_sent += len(data)
            if isinstance(reply.body, bytes) or method == "HEAD":
                # Leave "in flight" before yielding: the client cannot have seen the answer yet.
                leave()
                await writer.drain()
                return keep
            async for chunk in reply.body:
                writer.write(chunk)
                self.bytes_sent += len(chunk)
                await writer.drain()
                if writer.is_closing() or reader.at_eof():
                    break
            return False
        finally:
            leave()

    def _enter(self) -> None:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        g = self.group
        g.in_flight += 1
        g.max_in_flight = max(g.max_in_flight, g.in_flight)

    def reset(self) -> None:
        """Forget counters (between two phases of a test)."""

        def _do() -> None:
            self.requests.clear()
            self.max_in_flight = self.in_flight

        self.group.call(_do)


class LoopbackServers:
    """A group of loopback servers sharing one event loop thread; use as a context manager."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.servers: list[LoopbackServer] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._conns: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def call(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` in the server loop and wait for it (thread-safe counter access)."""

        async def _wrap() -> None:
            fn()

        asyncio.run_coroutine_threadsafe(_wrap(), self.loop).result(5)

    def add(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> LoopbackServer:
        """Start a server on ``host`` (a loopback address) and an ephemeral port."""
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise ValueError(f"loopback addresses only, not {host}")
        srv = LoopbackServer(self, handler, host, tls)
        asyncio.run_coroutine_threadsafe(srv._start(port), self.loop).result(5)
        self.servers.append(srv)
        return srv

    def close(self) -> None:
        async def _stop() -> None:
            for srv in self.servers:
                if srv._server is not None:
                    srv._server.close()
            for task in list(self._conns):
                task.cancel()
            await asyncio.gather(*self._conns, return_exceptions=True)

        if self.loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(5)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)
        self.loop.close()

    def __enter__(self) -> LoopbackServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _hosts(spec: str) -> list[str]:
    """``127.0.0.11-20`` -> 127.0.0.11 ... 127.0.0.20; commas allowed."""
    out: list[str] = []
    for part in spec.split(","):
        if "-" in part:
            start, end = part.rsplit("-", 1)
            prefix, first = start.rsplit(".", 1)
            out += [f"{prefix}.{n}" for n in range(int(first), int(end) + 1)]
        else:
            out.append(part)
    return out


def main(argv: list[str] | None = None) -> None:
    """Serve 200 after ``--delay`` seconds on each host until stdin closes (for benchmarks)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", default="127.0.0.1")
    ap.add_argument("--delay", type=float, default=0.0)
    args = ap.parse_args(argv)
    delay = args.delay

    def handler(req: Request) -> Reply:
        return Reply(200, body=b"ok", delay=delay)

    with LoopbackServers() as group:
        for host in _hosts(args.hosts):
            srv = group.add(handler, host)
            print(f"{srv.host}:{srv.port}", flush=True)
        print("ready", flush=True)
        sys.stdin.read()
        total = sum(len(s.requests) for s in group.servers)
        print(f"served {total} max_in_flight {group.max_in_flight}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
