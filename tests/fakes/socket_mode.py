"""A fake Slack Socket Mode endpoint: a minimal WebSocket server on 127.0.0.1 that sends envelopes and
collects the app's acks (RFC 6455 text frames; pings answered; one client at a time)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import queue
import socket
import struct
import threading
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    """Accepts the app's WebSocket, says hello, sends envelopes, records what the app sends back."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self._client: socket.socket | None = None
        self._connected = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def wait_connected(self, timeout: float = 10.0) -> None:
        """Block until the app has connected and been greeted."""
        if not self._connected.wait(timeout):
            raise AssertionError("the app did not open a Socket Mode connection")

    def send(self, envelope: dict[str, Any]) -> None:
        """Send one envelope (``events_api``, ``interactive``, ``slash_commands``…) to the app."""
        assert self._client is not None
        self._frame(0x1, json.dumps(envelope).encode())

    def next_received(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next JSON message the app sent (an ack carries the ``envelope_id``)."""
        try:
            return self.received.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the app sent nothing over Socket Mode") from None

    def close(self) -> None:
        """Stop listening and drop the connection."""
        for sock in (self._client, self._listener):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()

    def _serve(self) -> None:
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        self._client = client
        request = b""
        while b"\r\n\r\n" not in request:
            request += client.recv(4096)
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        client.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        self._frame(0x1, json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}).encode())
        self._connected.set()
        self._read_frames(client)

    def _read_frames(self, client: socket.socket) -> None:
        while True:
            try:
                opcode, payload = self._read_frame(client)
            except (OSError, ConnectionError):
                return
            if opcode == 0x8:
                return
            if opcode == 0x9:
                self._frame(0xA, payload)
            elif opcode == 0x1:
                self.received.put(json.loads(payload))

    @staticmethod
    def _read_exactly(client: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = client.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def _read_frame(self, client: socket.socket) -> tuple[int, bytes]:
        first, second = self._read_exactly(client, 2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read_exactly(client, 2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read_exactly(client, 8))[0]
        mask = self._read_exactly(client, 4) if second & 0x80 else b"\0\0\0\0"
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exactly(client, length)))
        return first & 0x0F, payload

    def _frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([len(payload)])
        elif len(payload) < 65536:
            header += bytes([126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([127]) + struct.pack("!Q", len(payload))
        with self._lock:
            assert self._client is not None
            self._client.sendall(header + payload)
