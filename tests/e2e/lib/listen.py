"""Where a container's server listens, read from the host: the TCP sockets in LISTEN state that the
container's processes hold (their /proc/PID/fd links), looked up in /proc/PID/net/tcp and tcp6.

usage: python3 listen.py PORT PID...
Prints one "ADDRESS:PORT" line per listening socket of those processes on PORT (0.0.0.0, ::,
127.0.0.1, ::1, ...). Exit 0 when one of them accepts connections from outside the container (a
wildcard address), 1 when they listen on PORT only on specific (e.g. loopback) addresses, 2 when
none listens on PORT.
"""

import ipaddress
import os
import sys

LISTEN = "0A"


def socket_inodes(pid):
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def address(hex_addr):
    """The kernel's hex address (host byte order per 32-bit word) as an ip address."""
    raw = bytes.fromhex(hex_addr)
    words = [raw[i:i + 4][::-1] for i in range(0, len(raw), 4)]
    return ipaddress.ip_address(b"".join(words))


def main():
    port = int(sys.argv[1])
    pids = sys.argv[2:]
    inodes = set()
    for pid in pids:
        inodes |= socket_inodes(pid)
    found = []
    seen = set()
    for pid in pids:
        for table in ("tcp", "tcp6"):
            try:
                lines = open(f"/proc/{pid}/net/{table}", encoding="ascii").read().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                cols = line.split()
                local, state, inode = cols[1], cols[3], cols[9]
                hex_addr, hex_port = local.split(":")
                if state != LISTEN or int(hex_port, 16) != port or inode not in inodes or inode in seen:
                    continue
                seen.add(inode)
                found.append(address(hex_addr))
    for a in found:
        print(f"[{a}]:{port}" if a.version == 6 else f"{a}:{port}")
    if not found:
        return 2
    return 0 if any(a.is_unspecified for a in found) else 1


if __name__ == "__main__":
    sys.exit(main())
