"""A real SMTP server on localhost (aiosmtpd) that records what it accepts and can refuse on demand."""

from __future__ import annotations

import email
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Sink:
    """Accepted messages; `refuse` answers RCPT with that reply (e.g. '451 4.3.0 Try later');
    `stall_seconds` makes DATA wait after recording the message and before answering (a slow server)."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: str = ""
    stall_seconds: float = 0.0
    # Stall only the first DATA: the message "in flight" when a worker is killed.
    stall_first_only: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
            stall = self.stall_seconds and (not self.stall_first_only or len(self.received) == 1)
        if stall:
            time.sleep(self.stall_seconds)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [message for message in self.received if message["To"] == address]

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.received]


class SMTPServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.sink = Sink()
        self.controller: Controller | None = None

    def start(self) -> SMTPServer:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
