#!/usr/bin/env python3
"""`make bench`: logrx against ripgrep (and the `wc -l` floor) on the same signatures.

Environment:
  BENCH_SIZE    corpus size (default 256M; BENCH_SIZE=1G for the table in BENCHMARKS.md)
  BENCH_STREAM  bytes piped through standard input for the flat-memory row (default 4 x size)
  BENCH_RUNS    runs per throughput cell, the best one counts (default 2)
  BENCH_PCRE2_SAMPLE  bytes that `rg -P` (a few MB/s) is timed on, then scaled (default 32M)
  LOGRX         the binary (default .build/release/logrx)

Everything is generated deterministically under bench/out/ (git-ignored): the corpus
(scripts/bench/gen-corpus.py), the 200- and 2000-rule packs (scripts/bench/gen-rules.py), the
exported patterns. One table is printed at the end (markdown).
"""
import hashlib, os, re, select, shutil, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = os.path.join(root, "bench", "out")
here = os.path.dirname(os.path.abspath(__file__))
logrx = os.environ.get("LOGRX", os.path.join(root, ".build", "release", "logrx"))


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


size_text = os.environ.get("BENCH_SIZE", "256M")
size = parse_size(size_text)
stream = parse_size(os.environ.get("BENCH_STREAM", str(4 * size)))
runs = int(os.environ.get("BENCH_RUNS", "2"))


def note(text):
    print("bench: " + text, file=sys.stderr, flush=True)


def digest(*paths):
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def cached(path, key, make):
    """Runs make(path) unless path exists and was made with the same key."""
    stamp = path + ".key"
    if os.path.exists(path) and os.path.exists(stamp) and open(stamp).read() == key:
        return path
    make(path)
    with open(stamp, "w") as f:
        f.write(key)
    return path


def timed(cmd, stdin=None, shell=False):
    """Runs cmd under /usr/bin/time -v; returns (seconds, max RSS in MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        argv = ["/usr/bin/time", "-v", "-o", report.name] + (["sh", "-c", cmd] if shell else cmd)
        start = time.perf_counter()
        result = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        text = report.read()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if result.returncode not in (0, 1):
        note("%s exited %d: %s" % (" ".join(cmd) if not shell else cmd, result.returncode, result.stderr.decode()[-500:]))
    return seconds, int(rss.group(1)) / 1024 if rss else float("nan"), result.stdout


def best(cmd, **kw):
    results = [timed(cmd, **kw) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def rg_patterns(src, dst):
    """The same patterns for ripgrep, which joins them all into one: named groups become plain
    (?:...) (PCRE2 refuses a name used twice; Rust's regex wants (?P<name>)), except those a
    back-reference uses, which get a name unique to their pattern. Counting lines needs no
    captures."""
    group = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")
    ref = re.compile(r"\\k<([A-Za-z_][A-Za-z0-9_]*)>|\\k\{([A-Za-z_][A-Za-z0-9_]*)\}|\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)")
    with open(src) as f, open(dst, "w") as g:
        for index, line in enumerate(f):
            used = {a or b or c for a, b, c in ref.findall(line)}
            line = group.sub(lambda m: "(?<p%d_%s>" % (index, m.group(1)) if m.group(1) in used else "(?:", line)
            line = ref.sub(lambda m: "\\k<p%d_%s>" % (index, m.group(1) or m.group(2) or m.group(3)), line)
            if any(len(re.findall(r"\(\?<p%d_%s>" % (index, name), line)) > 1 for name in used):
                line = "(?J)" + line
            g.write(line)


def rg_split(patterns):
    """Splits the patterns between ripgrep's engines as a user would: its default (Rust) engine
    takes those it can compile, in ASCII mode (--no-unicode: logrx matches bytes, where \\w and
    \\d are ASCII too); look-around and back-references need its PCRE2 engine (-P). Returns the
    two pattern files."""
    rust, pcre = patterns + ".rust", patterns + ".pcre2"
    with open(patterns) as f, open(rust, "w") as r, open(pcre, "w") as p:
        for line in f:
            probe = subprocess.run([rg, "--no-unicode", "-e", line.rstrip("\n"), "/dev/null"], capture_output=True)
            (p if probe.returncode == 2 else r).write(line)
    return rust, pcre


def rg_time(rust, pcre):
    """Best seconds and RSS of the Rust-engine run, of the PCRE2 run (None when empty or when
    PCRE2 refuses the joined pattern), and how many -P patterns there were."""
    # Generous limits: with thousands of patterns the defaults refuse to compile.
    limits = ["--regex-size-limit", "4G", "--dfa-size-limit", "4G"]
    probe = subprocess.run([rg, "-c", "--no-unicode"] + limits + ["-f", rust, "/dev/null"], capture_output=True, text=True)
    if probe.returncode == 2:
        sys.exit("bench: ripgrep refuses the patterns its default engine should take: " + probe.stderr[:300])
    first = best([rg, "-c", "--no-unicode"] + limits + ["-f", rust, corpus])
    count = sum(1 for _ in open(pcre))
    if count == 0:
        return first, None, 0
    probe = subprocess.run([rg, "-c", "-P", "-f", pcre, "/dev/null"], capture_output=True, text=True)
    if probe.returncode == 2:
        note("rg -P refuses the %d patterns: %s" % (count, probe.stderr.strip()[:200]))
        return first, None, count
    # PCRE2 without a literal prefilter runs at a few MB/s: time it on a sample and scale.
    seconds, rss, _ = timed([rg, "-c", "-P", "-f", pcre, sample])
    return first, (seconds * size / sample_size, rss, b""), count


def gbps(seconds, nbytes=None):
    return (nbytes or size) / seconds / 1e9


# --- inputs ------------------------------------------------------------------------------

os.makedirs(out, exist_ok=True)
corpus = cached(os.path.join(out, "corpus-%s.log" % size_text), digest(os.path.join(here, "gen-corpus.py")) + size_text,
                lambda p: (note("generating a %s corpus" % size_text),
                           subprocess.run([sys.executable, os.path.join(here, "gen-corpus.py"), size_text, p], check=True)))
size = os.path.getsize(corpus)
# rg -P runs on the first BENCH_PCRE2_SAMPLE bytes only (default 32M), its time scaled to the corpus.
sample_size = min(size, parse_size(os.environ.get("BENCH_PCRE2_SAMPLE", "32M")))
sample = os.path.join(out, "sample-%d.log" % sample_size)
if not os.path.exists(sample):
    with open(corpus, "rb") as f, open(sample, "wb") as g:
        data = f.read(sample_size)
        g.write(data[: data.rfind(b"\n") + 1])
sample_size = os.path.getsize(sample)
rules_key = digest(os.path.join(here, "gen-rules.py")) + subprocess.run(
    ["git", "-C", root, "log", "-1", "--format=%H", "--", "Rules"], capture_output=True, text=True).stdout
sets = [("built-in", [])]
for count in (200, 2000):
    pack = cached(os.path.join(out, "rules%d" % count), rules_key,
                  lambda p, c=count: subprocess.run([sys.executable, os.path.join(here, "gen-rules.py"), str(c), p], check=True))
    sets.append(("%d rules" % count, ["--no-builtin", "--rules", pack]))

rg = shutil.which("rg")
rows = []


def row(what, value, target, met):
    rows.append((what, value, target, "yes" if met is True else ("no" if met is False else met)))


# Warm the page cache: every tool then reads from memory.
subprocess.run(["cat", corpus], stdout=subprocess.DEVNULL)
floor = best(["wc", "-l", corpus])
note("wc -l: %.2f GB/s" % gbps(floor[0]))

# --- throughput --------------------------------------------------------------------------

throughput = {}
for name, args in sets:
    patterns = os.path.join(out, "patterns-%s.txt" % name.replace(" ", "-"))
    with open(patterns, "w") as f:
        subprocess.run([logrx, "rules", "export", "--patterns"] + args, stdout=f, check=True)
    npat = sum(1 for _ in open(patterns))
    rgp = patterns + ".rg"
    rg_patterns(patterns, rgp)
    mine = best([logrx, "scan", "--no-progress"] + args + [corpus])
    throughput[name] = mine
    if not rg:
        row("scan %s (%d patterns)" % (name, npat), "%.3f GB/s" % gbps(mine[0]), "rg missing", "n/a")
        continue
    rust, pcre = rg_split(rgp)
    fast, slow, nslow = rg_time(rust, pcre)
    note("%s (%d patterns): logrx %.3f GB/s, %.0f MB RSS; rg default engine %.3f GB/s on %d, -P %s on %d" % (
        name, npat, gbps(mine[0]), mine[1], gbps(fast[0]), npat - nslow,
        "%.4f GB/s" % gbps(slow[0]) if slow else "n/a", nslow))
    row("scan %s (%d patterns): logrx (every core) vs `rg -c --no-unicode -f` (one thread: it reads a file on one) on the %d patterns its default engine takes" % (name, npat, npat - nslow),
        "%.3f vs %.3f GB/s (x%.2f); RSS %.0f vs %.0f MB" % (gbps(mine[0]), gbps(fast[0]), fast[0] / mine[0], mine[1], fast[1]),
        "ratio >= 1", fast[0] >= mine[0])
    if nslow:
        if slow:
            total = fast[0] + slow[0]
            row("scan %s: logrx vs ripgrep on all %d patterns (the above + `rg -c -P -f` on the %d with look-around or back-references, timed on the first %d MB and scaled)" % (name, npat, nslow, sample_size >> 20),
                "%.3f vs %.4f GB/s (x%.2f)" % (gbps(mine[0]), gbps(total), total / mine[0]), "ratio >= 1", total >= mine[0])
        else:
            row("scan %s: logrx vs ripgrep on all %d patterns" % (name, npat),
                "%.3f GB/s vs none: `rg -P` refuses the %d look-around/back-reference patterns (regular expression is too large)" % (gbps(mine[0]), nslow),
                "ratio >= 1", True)

b, big = throughput["built-in"][0], throughput["2000 rules"][0]
row("throughput 2000 rules / built-in", "%.2f" % (b / big), ">= 0.5", b / big >= 0.5)
row("`wc -l` (the floor)", "%.2f GB/s" % gbps(floor[0]), "", "")
# One core: one thread (--jobs 1), pinned to one CPU when taskset is there.
pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
one_core = best(pin + [logrx, "scan", "--no-progress", "--jobs", "1", corpus])
row("scan built-in, one core (`--jobs 1`), against `wc -l`", "%.1f%% (%.3f vs %.2f GB/s)" % (100 * floor[0] / one_core[0], gbps(one_core[0]), gbps(floor[0])),
    ">= 25%", floor[0] / one_core[0] >= 0.25)
for name, limit in (("built-in", 64), ("200 rules", 64), ("2000 rules", 96)):
    mb = throughput[name][1]
    row("peak RSS, scan %s" % name, "%.1f MB" % mb, "<= %d MB" % limit, mb <= limit)

# --- all cores ---------------------------------------------------------------------------
# The same scan pinned to one core (taskset) and free on all: one big file, and a folder of
# 16 files cut from the corpus at line boundaries.
cores = os.cpu_count() or 1
folder = os.path.join(out, "files-%s" % size_text)


def cut(path):
    os.makedirs(path, exist_ok=True)
    with open(corpus, "rb") as f:
        data = f.read()
    start = 0
    for index in range(16):
        end = len(data) if index == 15 else data.rfind(b"\n", 0, (index + 1) * len(data) // 16) + 1
        with open(os.path.join(path, "part-%02d.log" % index), "wb") as g:
            g.write(data[start:end])
        start = end


cached(folder, digest(corpus) if size <= (256 << 20) else "%d" % size, cut)
if shutil.which("taskset") and cores > 1:
    for what, target in (("one big file", corpus), ("a folder of 16 files", folder)):
        one = one_core[0] if target == corpus else best(pin + [logrx, "scan", "--no-progress", "--jobs", "1", target])[0]
        every = best([logrx, "scan", "--no-progress", target])[0]
        speedup = one / every
        row("all %d cores vs one, %s" % (cores, what), "x%.2f (%.3f vs %.3f GB/s)" % (speedup, gbps(every), gbps(one)),
            ">= x%.1f (0.9 x cores)" % (0.9 * cores), speedup >= 0.9 * cores)
else:
    row("all cores vs one", "n/a (needs taskset and 2+ cores)", ">= 0.9 x cores", "n/a")

# --- compiled rule pack ------------------------------------------------------------------

rules_help = subprocess.run([logrx, "rules", "--help"], capture_output=True, text=True).stdout
if re.search(r"^\s+compile\s", rules_help, re.M):
    folder2000 = os.path.join(out, "rules2000")
    pack = os.path.join(out, "rules2000.pack")
    start = time.perf_counter()
    subprocess.run([logrx, "rules", "compile", "--no-builtin", folder2000, "-o", pack], check=True, stdout=subprocess.DEVNULL)
    compile_seconds = time.perf_counter() - start
    empty = os.path.join(out, "empty.log")
    open(empty, "w").close()

    def median_ms(cmd, n):
        return sorted(timed(cmd)[0] for _ in range(n))[n // 2] * 1e3

    scan_pack = median_ms([logrx, "scan", "--no-progress", "--no-builtin", "--rules", pack, empty], 11)
    list_pack = median_ms([logrx, "rules", "list", "--no-builtin", "--rules", pack], 11)
    scan_folder = median_ms([logrx, "scan", "--no-progress", "--no-builtin", "--rules", folder2000, empty], 3)
    scan_builtin = median_ms([logrx, "scan", "--no-progress", empty], 11)
    row("load a compiled 2000-rule pack: `scan` of an empty file, start to exit (median of 11)",
        "%.1f ms (the folder: %.0f ms, x%.0f; built-in rules only: %.1f ms)" % (scan_pack, scan_folder, scan_folder / scan_pack, scan_builtin),
        "<= 50 ms", scan_pack <= 50)
    row("load a compiled 2000-rule pack: `rules list` (median of 11); `rules compile` once",
        "%.1f ms; compile %.2f s (%.1f MB)" % (list_pack, compile_seconds, os.path.getsize(pack) / 1e6), "", "")
else:
    row("load a compiled 2000-rule pack", "n/a: this logrx has no `rules compile`", "<= 50 ms", "no")

# --- memory ------------------------------------------------------------------------------

rss = [("scan a %s file" % size_text, throughput["built-in"][1])]
seconds, mb, _ = timed("%s watch --format jsonl" % logrx, stdin=subprocess.Popen(
    "n=%d; while [ $n -gt 0 ]; do cat %s; n=$((n-1)); done | head -c %d" % (stream // size + 1, corpus, stream),
    shell=True, stdout=subprocess.PIPE).stdout, shell=True)
rss.append(("watch a %s stream on stdin (%.2f GB/s)" % (size_text if stream == size else "%.1fG" % (stream / (1 << 30)), gbps(seconds, stream)), mb))
long_line = os.path.join(out, "long-line.log")
cached(long_line, "100M", lambda p: open(p, "wb").write(
    b"start\n" + (b"x" * 99 + b" ") * (1 << 20) + b"\nERROR: file 'app.sh' not found.\n"))
rss.append(("scan a 100 MB line", timed([logrx, "scan", "--no-progress", long_line])[1]))
for what, mb in rss:
    row("peak RSS, %s" % what, "%.1f MB" % mb, "<= 64 MB", mb <= 64)

# --- watch latency -----------------------------------------------------------------------


def latency():
    """Seconds from writing a failure to seeing its finding on stdout, stdin kept open."""
    proc = subprocess.Popen([logrx, "watch", "--format", "jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, bufsize=0)
    healthy = open(corpus, "rb").read(1 << 20)
    healthy = healthy[: healthy.rfind(b"\n") + 1]
    single, trace = [], []

    seen = bytearray()

    def drain(quiet):
        while select.select([proc.stdout], [], [], quiet)[0]:
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                return
            seen.extend(chunk)

    def wait(token, deadline=2.0):
        """Reads the findings until one names `token`; the time then, or inf."""
        del seen[:]
        end = time.perf_counter() + deadline
        while token.encode() not in seen:
            left = end - time.perf_counter()
            if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
                return float("inf")
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                return float("inf")
            seen.extend(chunk)
        return time.perf_counter()

    try:
        proc.stdin.write(healthy)
        drain(0.5)
        for i in range(5):
            proc.stdin.write(("ERROR: file 'probe%d.sh' not found.\n" % i).encode())
            t0 = time.perf_counter()
            single.append(wait("probe%d.sh" % i) - t0)
            drain(0.05)
        for i in range(5):
            lines = ["Traceback (most recent call last):",
                     '  File "/opt/app-root/src/wsgi/application", line 9, in <module>',
                     "    os.environ['OPENSHIFT_PROBE_%d']" % i,
                     '  File "/opt/app-root/lib64/python3.6/os.py", line 669, in __getitem__',
                     "    raise KeyError(key) from None",
                     "KeyError: 'OPENSHIFT_PROBE_%d'" % i]
            proc.stdin.write(("\n".join(lines) + "\n").encode())
            t0 = time.perf_counter()
            trace.append(wait("OPENSHIFT_PROBE_%d" % i) - t0)
            drain(0.3)
    finally:
        proc.stdin.close()
        proc.wait()
    return max(single), max(trace)


single, trace = latency()
row("watch: one-line finding after its line (worst of 5)", "%.1f ms" % (single * 1e3), "<= 50 ms", single <= 0.05)
row("watch: traceback finding after its last line (worst of 5)", "%.1f ms" % (trace * 1e3), "<= 300 ms", trace <= 0.3)

# --- explain start-up --------------------------------------------------------------------

paste = os.path.join(out, "paste-4k.txt")
with open(os.path.join(root, "Corpus", "logs", "guide", "30-first-deploy-combined.txt"), "rb") as f:
    data = f.read(4096)
with open(paste, "wb") as f:
    f.write(data[: data.rfind(b"\n") + 1])
times = []
for _ in range(21):
    start = time.perf_counter()
    subprocess.run([logrx, "explain", paste], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
times.sort()
row("`logrx explain` on a 4 KB paste (median of 21)", "%.1f ms" % (times[10] * 1e3), "<= 30 ms", times[10] <= 0.03)

# --- rescan with --state -----------------------------------------------------------------

help_text = subprocess.run([logrx, "scan", "--help"], capture_output=True, text=True).stdout
if "--state" in help_text:
    tree = os.path.join(out, "tree-%s" % size_text)
    os.makedirs(tree, exist_ok=True)
    link = os.path.join(tree, "node.log")
    if not os.path.exists(link):
        os.link(corpus, link) if os.stat(out).st_dev == os.stat(corpus).st_dev else shutil.copy(corpus, link)
    state = os.path.join(out, "state-%s.sqlite" % size_text)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    first = timed([logrx, "scan", "--no-progress", "--state", state, tree])[0]
    again = timed([logrx, "scan", "--no-progress", "--state", state, tree])[0]
    row("rescan of an unchanged tree with --state", "%.3f s vs %.2f s first (%.2f%%)" % (again, first, 100 * again / first),
        "<= 1%", again <= 0.01 * first)
else:
    row("rescan of an unchanged tree with --state", "n/a", "<= 1%", "n/a")

# --- table -------------------------------------------------------------------------------

version = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.split("\n")[0] if rg else "no ripgrep"
commit = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
print("\nlogrx %s, %s corpus (%d bytes), %s, best of %d runs, %s\n" % (
    commit, size_text, size, version, runs, time.strftime("%Y-%m-%d", time.gmtime())))
print("| measure | result | target | met |")
print("|---|---|---|---|")
for what, value, target, met in rows:
    print("| %s | %s | %s | %s |" % (what, value, target, met))
