#!/usr/bin/env python3
"""Writes a deterministic, realistic mixed log for `make bench`.

    gen-corpus.py SIZE OUT        SIZE like 256M, 1G (bytes, K, M, G)

The same SIZE gives the same bytes on every machine (seeded PRNG, no clock). The mix, by
lines: gunicorn / mod_wsgi / Apache access logs, CRI node-log lines (stdout F/P), S2I build
output (pip, ---> steps), app log lines (gunicorn, Django), handled tracebacks, and rarely (one
every ~1 MB) a whole real failure log taken from Corpus/logs, so that rules do fire.
"""
import os, random, sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def failures():
    logs = []
    base = os.path.join(root, "Corpus", "logs")
    for dirpath, _, names in sorted(os.walk(base)):
        for name in sorted(names):
            if name == "manifest.yaml":
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            if not data.endswith(b"\n"):
                data += b"\n"
            logs.append(data)
    return logs


PATHS = ["/", "/admin/", "/static/css/base.css", "/static/js/app.js", "/api/v1/orders", "/api/v1/orders/%d",
         "/healthz", "/accounts/login/", "/media/uploads/%d.png", "/favicon.ico", "/blog/%d/comments", "/search?q=%d"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
          "kube-probe/1.27", "curl/7.88.1", "python-requests/2.31.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15"]
METHODS = ["GET"] * 8 + ["POST", "PUT", "DELETE", "HEAD"]
STATUS = [200] * 20 + [201, 204, 301, 302, 304, 304, 400, 403, 404, 404, 500]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PACKAGES = ["Django", "gunicorn", "psycopg2-binary", "whitenoise", "requests", "urllib3", "certifi", "idna",
            "charset-normalizer", "asgiref", "sqlparse", "mod_wsgi", "Pillow", "celery", "redis", "pytz"]
APP = ["Booting worker with pid: %d", "Listening at: http://0.0.0.0:8080 (%d)", "Using worker: sync",
       "Worker exiting (pid: %d)", "Handling signal: term", "Starting gunicorn 21.2.0"]
DJANGO = ["Not Found: /static/img/%d.png", "GET /api/v1/orders/%d 200 in 12ms", "cache miss for key order:%d",
          "Session expired for user %d", "Sending password reset mail to user %d", "Slow query (%d ms): SELECT ..."]
TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/opt/app-root/src/shop/views.py", line %d, in order_detail',
    "    order = Order.objects.get(pk=pk)",
    '  File "/opt/app-root/lib64/python3.11/site-packages/django/db/models/manager.py", line 87, in manager_method',
    "    return getattr(self.get_queryset(), name)(*args, **kwargs)",
    "shop.models.Order.DoesNotExist: Order matching query does not exist.",
]


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.sec = 1_700_000_000

    def stamp(self):
        self.sec += self.rng.random() < 0.3
        s = self.sec
        day, rest = divmod(s - 1_700_000_000, 86400)
        return "2024-05-%02dT%02d:%02d:%02d.%09dZ" % (1 + day % 28, rest // 3600, rest // 60 % 60, rest % 60,
                                                     self.rng.randrange(10**9))

    def access(self):
        r = self.rng
        path = r.choice(PATHS)
        if "%d" in path:
            path = path % r.randrange(100000)
        return '10.%d.%d.%d - - [%02d/%s/2024:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d "-" "%s"' % (
            r.randrange(256), r.randrange(256), r.randrange(256), 1 + r.randrange(28), r.choice(MONTHS),
            r.randrange(24), r.randrange(60), r.randrange(60), r.choice(METHODS), path, r.choice(STATUS),
            r.randrange(50000), r.choice(AGENTS))

    def build(self):
        r = self.rng
        k = r.randrange(6)
        pkg = r.choice(PACKAGES)
        if k == 0:
            return "Collecting %s==%d.%d.%d" % (pkg, r.randrange(5), r.randrange(20), r.randrange(10))
        if k == 1:
            return "  Downloading %s-%d.%d-py3-none-any.whl (%d kB)" % (pkg, r.randrange(5), r.randrange(20), r.randrange(9000))
        if k == 2:
            return "Requirement already satisfied: %s in /opt/app-root/lib/python3.11/site-packages (%d.%d)" % (pkg, r.randrange(5), r.randrange(20))
        if k == 3:
            return "---> Installing application source ..."
        if k == 4:
            return "Successfully installed %s-%d.%d %s-%d.%d" % (pkg, r.randrange(5), r.randrange(20), r.choice(PACKAGES), r.randrange(5), r.randrange(9))
        return "STEP %d/%d: RUN /usr/libexec/s2i/assemble" % (r.randrange(1, 9), 9)

    def app(self):
        r = self.rng
        if r.random() < 0.5:
            text = r.choice(APP)
            if "%d" in text:
                text = text % r.randrange(1, 4000)
            return "[2024-05-01 %02d:%02d:%02d +0000] [%d] [INFO] %s" % (r.randrange(24), r.randrange(60), r.randrange(60), r.randrange(1, 400), text)
        text = r.choice(DJANGO) % r.randrange(100000)
        return "%s %s django.request: %s" % (r.choice(["INFO", "INFO", "WARNING", "DEBUG"]), "2024-05-01 10:%02d:%02d,%03d" % (r.randrange(60), r.randrange(60), r.randrange(1000)), text)

    def chunk(self, lines):
        """About `lines` lines of the healthy mix, as bytes."""
        r = self.rng
        out = []
        for _ in range(lines):
            x = r.random()
            if x < 0.40:
                out.append(self.access())
            elif x < 0.62:
                inner = self.access() if r.random() < 0.6 else self.app()
                out.append("%s %s F %s" % (self.stamp(), r.choice(["stdout", "stdout", "stderr"]), inner))
            elif x < 0.80:
                out.append(self.build())
            elif x < 0.998:
                out.append(self.app())
            else:
                for line in TRACEBACK:
                    out.append(line % r.randrange(10, 400) if "%d" in line else line)
        return ("\n".join(out) + "\n").encode()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-corpus.py SIZE OUT")
    size = parse_size(sys.argv[1])
    rng = random.Random(20240501)
    writer = Writer(rng)
    pool = failures()
    written = 0
    next_failure = 1 << 20
    tmp = sys.argv[2] + ".part"
    with open(tmp, "wb") as f:
        while written < size:
            block = writer.chunk(2000)
            if written + len(block) >= next_failure:
                block += pool[rng.randrange(len(pool))]
                next_failure += (1 << 20)
            if written + len(block) > size:
                cut = block.rfind(b"\n", 0, size - written)
                block = block[: cut + 1] if cut >= 0 else b""
                if not block:
                    break
            f.write(block)
            written += len(block)
    os.replace(tmp, sys.argv[2])


main()
