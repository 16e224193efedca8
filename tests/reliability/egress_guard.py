"""Run Python with an audit hook that refuses, and records, any connection off this machine.

Usage: python egress_guard.py (-m MODULE | -c CODE | SCRIPT) [ARGS...]
Every "socket.connect", "socket.sendto" and "socket.getaddrinfo" audit event whose address is not
loopback (127.0.0.0/8, ::1, "localhost") or a Unix socket is appended as one line to the file named
by $IMGDESK_EGRESS_LOG and refused with PermissionError, so nothing leaves the machine even when
the code under test tries.
"""

from __future__ import annotations

import ipaddress
import os
import runpy
import sys
from typing import Any

EGRESS_LOG_ENV = "IMGDESK_EGRESS_LOG"
_WATCHED = frozenset({"socket.connect", "socket.sendto", "socket.getaddrinfo"})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_local(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, used for binding
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # any other name means a DNS look-up, which already leaves the machine


def _target(event: str, args: tuple[Any, ...]) -> object:
    """The host the event is about, or "" for events that stay local (Unix sockets)."""
    if event == "socket.getaddrinfo":
        return args[0]
    address = args[1] if event == "socket.connect" else args[-1]
    if isinstance(address, str | bytes):
        return ""  # AF_UNIX path (D-Bus for the keyring, for instance)
    if isinstance(address, tuple) and address:
        return address[0]
    return repr(address)


def install(log_path: str) -> None:
    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in _WATCHED:
            return
        host = _target(event, args)
        if host == "" or is_local(host):
            return
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {event} {host!r}\n")
        raise PermissionError(f"egress blocked by the reliability suite: {host!r}")

    sys.addaudithook(hook)


def main() -> None:
    install(os.environ[EGRESS_LOG_ENV])
    args = sys.argv[1:]
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    elif args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
