#!/usr/bin/env python3
"""Writes the hostile tar archives of the attack suite, header by header.

make-tar.py KIND OUT
  huge-long-name   a GNU long-name header whose octal size is 777777777777 (64 GiB) in a 1.5 KB tar
  base256-max      an entry whose base-256 size is Int.max
  giant-long-name  (gzip) a 256 MiB GNU long name, then a real log entry: OUT is a small .tar.gz
Every archive but the first ends with an ordinary log entry that says KeyError: 'OPENSHIFT_REPO_DIR'.
"""
import sys
import zlib

LOG = b"KeyError: 'OPENSHIFT_REPO_DIR'\n"


def header(name: bytes, size_field: bytes, typeflag: bytes) -> bytes:
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = size_field
    block[136:148] = b"00000000000\0"
    block[156:157] = typeflag
    block[257:263] = b"ustar "
    block[263:265] = b" \0"
    block[148:156] = b" " * 8
    checksum = sum(block)
    block[148:156] = b"%06o\0 " % checksum
    return bytes(block)


def octal(size: int) -> bytes:
    return b"%011o\0" % size


def log_entry(name: bytes = b"ns/pods/p-1-aaaaa/c/c/logs/current.log") -> bytes:
    padding = (512 - len(LOG) % 512) % 512
    return header(name, octal(len(LOG)), b"0") + LOG + b"\0" * padding


kind, out = sys.argv[1], sys.argv[2]
if kind == "huge-long-name":
    data = header(b"././@LongLink", b"777777777777", b"L") + b"\0" * 512 + b"\0" * 512
    open(out, "wb").write(data)
elif kind == "base256-max":
    field = b"\x80" + b"\0" * 3 + (2**63 - 1).to_bytes(8, "big")
    data = log_entry() + header(b"ns/pods/q-1-bbbbb/c/c/logs/current.log", field, b"0") + b"\0" * 1024
    open(out, "wb").write(data)
elif kind == "giant-long-name":
    size = 256 << 20
    gz = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(out, "wb") as f:
        f.write(gz.compress(header(b"././@LongLink", octal(size), b"L")))
        chunk = b"a" * (1 << 20)
        for _ in range(size >> 20):
            f.write(gz.compress(chunk))
        f.write(gz.compress(log_entry() + b"\0" * 1024))
        f.write(gz.flush())
else:
    sys.exit(f"unknown kind {kind}")
