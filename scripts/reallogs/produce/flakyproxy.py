# HTTP CONNECT proxy on 127.0.0.1:3128 that drops the first N CONNECTs, then tunnels.
import socket, threading, sys
N = int(sys.argv[1]) if len(sys.argv) > 1 else 2
count = [0]
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except Exception: pass
    finally:
        for s in (a, b):
            try: s.close()
            except Exception: pass
def handle(c):
    req = b""
    while b"\r\n\r\n" not in req:
        d = c.recv(4096)
        if not d: c.close(); return
        req += d
    line = req.split(b"\r\n")[0].decode()
    count[0] += 1
    if count[0] <= N:
        c.close(); return
    method, target, _ = line.split(" ", 2)
    host, port = target.rsplit(":", 1)
    if not (host.endswith("pypi.org") or host.endswith("pythonhosted.org")):
        c.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n"); c.close(); return
    u = socket.create_connection((host, int(port)))
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 3128)); s.listen(50)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
