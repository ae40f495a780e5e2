#!/usr/bin/env python3
"""Judge `logrx fix --source TREE` on the real V2 apps of Corpus/realapps.

For every tree of the manifest (materialised first by scripts/realapps/fetch-trees)
this copies the tree to a scratch folder, makes it a git repository, runs
`LOGRX fix --source SCRATCH` with no log files (the prediction from the tree
alone) and judges the printed patch on seven points:

  1 apply     the patch is non-empty and `git apply --check` accepts it
  2 paths     every path in the patch stays inside the tree, none under .git
  3 fixed     after `git apply`, a second `fix --source` prints no patch
  4 entry     the S2I builder would start the real entry (app.sh, APP_MODULE/
              APP_FILE/APP_CONFIG in .s2i/environment, app.py, or a root
              wsgi.py that is not the V2 welcome template), consistent with
              the manifest's entry/app_module; an app.py must not bind loopback
              (literally, or through OPENSHIFT_PYTHON_IP read with a loopback
              default in any code file while .s2i/environment does not set it)
  5 env       every variable of env_read ends defined: set in .s2i/environment,
              named in the printed commands (stderr), or no longer read without
              a default by the tree's own Python code (files Flask's
              app.config.from_pyfile() runs count as Python, and so does the
              file app.config.from_envvar('VAR') loads when .s2i/environment
              or a V2 hook's `export VAR=` names it)
  6 logging   the winning settings module (manifest `settings`, following
              star imports inside the tree) logs to the console
  7 manage    migrate and collectstatic would run on a real manage.py of the
              manifest (explicit commands in app.sh / powershift hooks /
              .s2i/bin/assemble, or the S2I default when it finds that manage.py),
              with the winning settings (--settings=, DJANGO_SETTINGS_MODULE of
              .s2i/environment, else manage.py's own default, star imports followed)

Points 4-7 are judged on the tree after the patch (points 4-7 also when the
patch does not apply: then on the unpatched tree, so they fail honestly).
A point that does not apply to a tree (6 and 7 for non-Django apps) is "n/a"
and counts as passed. A point that cannot be judged fails, with the reason.
A tree is "fitted" when every point passes.

  python3 scripts/realapps/judge.py --logrx .build/debug/logrx --split test
  python3 scripts/realapps/judge.py --logrx /tmp/old/.build/debug/logrx --json report.json
  python3 scripts/realapps/judge.py --only owner/name -v     # reasons for one tree
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
POINTS = ["apply", "paths", "fixed", "entry", "env", "logging", "manage"]

# Folders that hold vendored or generated code, not the app's own.
VENDORED = re.compile(r"(^|/)(venv|myenv|env|virtenv|site-packages|\.c9|static|node_modules|"
                      r"web2py|gluon|exts|bower_components|MoinMoin)(/|$)")
WELCOME = re.compile(r"Welcome to (your Python application on )?OpenShift|environ\['PATH_INFO'\] == '/health'")
LOOPBACK_DEFAULT = re.compile(r"(?:environ\.get|getenv)\(\s*['\"]OPENSHIFT_PYTHON_IP['\"]\s*,\s*['\"](?:localhost|127\.0\.0\.1)['\"]")
LOOPBACK_ARG = re.compile(r"\b(?![\w.]*\b(?:get|getenv|setdefault)\()[A-Za-z_][\w.]*\((?:[^()]*?,\s*)?['\"](?:localhost|127\.0\.0\.1)['\"]\s*,")
ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


class Result:
    def __init__(self):
        self.points = {p: ("fail", "not judged") for p in POINTS}

    def set(self, point, ok, reason=""):
        status = ok if isinstance(ok, str) else ("pass" if ok else "fail")
        self.points[point] = (status, reason)

    def fitted(self):
        return all(s in ("pass", "n/a") for s, _ in self.points.values())


def load_manifest(path):
    try:
        import yaml
    except ImportError:
        sys.exit("judge.py: needs PyYAML (python3 -m pip install pyyaml, or apt-get install python3-yaml)")
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def run(cmd, cwd=None, timeout=300, stdin=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, input=stdin)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout}s"
    except OSError as err:
        return 127, "", str(err)


def git(cwd, *args, stdin=None):
    return run(["git", "-c", "user.name=judge", "-c", "user.email=judge@localhost",
                "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
               cwd=cwd, stdin=stdin)


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


# ---------------------------------------------------------------- patch paths

def patch_paths(patch):
    """Every path a unified git diff names (diff --git, ---/+++, renames)."""
    paths = []
    for line in patch.splitlines():
        if line.startswith("diff --git "):
            m = re.match(r'diff --git ("?)a/(.*?)\1 ("?)b/(.*?)\3$', line)
            if m:
                paths += [m.group(2), m.group(4)]
            else:
                paths.append(line[len("diff --git "):])
        elif line.startswith(("--- ", "+++ ")):
            p = line[4:].split("\t")[0].strip().strip('"')
            if p == "/dev/null":
                continue
            if p.startswith(("a/", "b/")):
                p = p[2:]
            else:
                p = "!no-prefix!" + p
            paths.append(p)
        elif re.match(r"(rename|copy) (from|to) ", line):
            paths.append(line.split(" ", 2)[2])
    return paths


def bad_path(p):
    if p.startswith("!no-prefix!"):
        return "no a/ or b/ prefix"
    if p.startswith("/") or re.match(r"^[A-Za-z]:", p):
        return "absolute"
    parts = p.replace("\\", "/").split("/")
    if ".." in parts:
        return "has .."
    if any(x.lower() == ".git" for x in parts):
        return "under .git"
    return None


# ------------------------------------------------------------- tree helpers

FROM_PYFILE = re.compile(r"\.from_pyfile\(\s*['\"]([^'\"]+)['\"]")
FROM_ENVVAR = re.compile(r"\.from_envvar\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]")
EXPORT_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=['\"]?([^'\"\s]+)")


def envvar_file(tree, var):
    """The file a `from_envvar('VAR')` config names: VAR's value in .s2i/environment, else an
    `export VAR=...` of the V2 hooks, as a path in the tree ($OPENSHIFT_REPO_DIR and
    /opt/app-root/src/ stand for the root)."""
    values = []
    env = s2i_env(tree)
    if var in env:
        values.append(env[var].strip("'\""))
    hooks = os.path.join(tree, ".openshift", "action_hooks")
    if os.path.isdir(hooks):
        for f in sorted(os.listdir(hooks)):
            for line in (read(os.path.join(hooks, f)) or "").splitlines():
                m = EXPORT_LINE.match(line)
                if m and m.group(1) == var:
                    values.append(m.group(2))
    for value in values:
        rel = re.sub(r"^(?:\$\{?OPENSHIFT_REPO_DIR\}?/?|/opt/app-root/src/)", "", value)
        if rel and not rel.startswith("/") and ".." not in rel.split("/"):
            if os.path.isfile(os.path.join(tree, rel)):
                return os.path.normpath(rel)
    return None


def code_files(tree):
    """The app's own Python code: .py files and wsgi/application, not vendored, and the
    files Flask's `app.config.from_pyfile('x.cfg')` executes as Python (relative to the
    calling module's folder, Flask's root_path, else to the tree's root)."""
    out = []
    for dp, dn, fn in os.walk(tree):
        rel_dir = os.path.relpath(dp, tree)
        dn[:] = [d for d in dn if d != ".git" and not VENDORED.search(os.path.normpath(os.path.join(rel_dir, d)))]
        for f in fn:
            rel = os.path.normpath(os.path.join(rel_dir, f))
            if f.endswith(".py") or rel == os.path.join("wsgi", "application"):
                out.append(rel)
    extra = set()
    for rel in out:
        for m in FROM_ENVVAR.finditer(read(os.path.join(tree, rel)) or ""):
            f = envvar_file(tree, m.group(1))
            if f:
                extra.add(f)
        for m in FROM_PYFILE.finditer(read(os.path.join(tree, rel)) or ""):
            name = m.group(1)
            if name.startswith("/") or ".." in name.split("/"):
                continue
            for cand in (os.path.normpath(os.path.join(os.path.dirname(rel), name)), os.path.normpath(name)):
                if os.path.isfile(os.path.join(tree, cand)):
                    extra.add(cand)
                    break
    return sorted(set(out) | extra)


def s2i_env(tree):
    env = {}
    text = read(os.path.join(tree, ".s2i", "environment"))
    if text:
        for line in text.splitlines():
            m = ENV_LINE.match(line)
            if m and not line.lstrip().startswith("#"):
                env[m.group(1)] = m.group(2).strip()
    return env


def executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def requirements_text(tree):
    text = ""
    for name in ("requirements.txt", "setup.py", "Pipfile", "pyproject.toml"):
        t = read(os.path.join(tree, name))
        if t:
            text += t + "\n"
    # requirements.txt may include other files (-r requirements/prod.txt)
    req = read(os.path.join(tree, "requirements.txt")) or ""
    for m in re.finditer(r"^\s*-r\s+(\S+)", req, re.M):
        t = read(os.path.join(tree, m.group(1)))
        if t:
            text += t + "\n"
    return text


def module_file(tree, module, base=""):
    """Resolve a dotted module (APP_MODULE 'pkg.mod:callable') to a file."""
    module = module.split(":")[0].strip().strip("'\"")
    if not module or not re.match(r"^[A-Za-z_][\w.]*$", module):
        return None
    rel = module.replace(".", "/")
    for cand in (rel + ".py", rel + "/__init__.py"):
        full = os.path.join(tree, base, cand)
        if os.path.isfile(full):
            return os.path.normpath(os.path.join(base, cand))
    return None


def targets(entry):
    """Paths (and dotted names) that count as 'the real entry'."""
    out = set()
    for key in ("entry", "app_module"):
        v = entry.get(key)
        if v:
            out.add(os.path.normpath(v))
    return out


def mentions_target(text, tgts):
    for t in tgts:
        if t in text:
            return t
        if t.endswith(".py"):
            dotted = t[:-3].replace("/", ".")
            if dotted.endswith(".__init__"):
                dotted = dotted[: -len(".__init__")]
            if re.search(r"(^|[\s=:'\"])" + re.escape(dotted) + r"(:\w+)?($|[\s'\"])", text):
                return dotted
    return None


# ------------------------------------------------------------------ point 4

def judge_entry(tree, entry):
    tgts = targets(entry)
    env = s2i_env(tree)
    app_home = env.get("APP_HOME", "").strip("'\"") or "."
    reqs = requirements_text(tree).lower()
    has_gunicorn = "gunicorn" in reqs
    # The S2I run script: app.sh (executable), then app.py, then gunicorn APP_MODULE.
    # (Era C: all relative to APP_HOME; earlier eras: app.sh/app.py at the root.)
    script = env.get("APP_SCRIPT", "app.sh").strip("'\"")
    for base in dict.fromkeys([app_home, "."]):
        sh = os.path.normpath(os.path.join(tree, base, script))
        if os.path.exists(sh):
            if not executable(sh):
                return False, f"{os.path.relpath(sh, tree)} exists but is not executable (S2I ignores it)"
            text = read(sh) or ""
            hit = mentions_target(text, tgts)
            if hit:
                if "mod_wsgi-express" in text and "mod_wsgi" not in reqs:
                    return False, f"{script} runs mod_wsgi-express but mod_wsgi is not in the requirements"
                if "gunicorn" in text and not has_gunicorn:
                    return False, f"{script} runs gunicorn but gunicorn is not in the requirements"
                return True, f"{script} starts {hit}"
            return False, f"{script} does not start the manifest entry ({', '.join(sorted(tgts))})"
    app_file = env.get("APP_FILE", "app.py").strip("'\"")
    for base in dict.fromkeys([app_home, "."]):
        af = os.path.normpath(os.path.join(tree, base, app_file))
        if os.path.isfile(af):
            rel = os.path.relpath(af, tree)
            if rel not in tgts:
                return False, f"S2I would run python {rel}, which is not the manifest entry ({', '.join(sorted(tgts))})"
            text = read(af) or ""
            if re.search(r"make_server\(\s*['\"](localhost|127\.0\.0\.1)['\"]|host\s*=\s*['\"](localhost|127\.0\.0\.1)['\"]", text):
                return False, f"{rel} (run by S2I) listens on localhost only"
            # A loopback address handed to any server call as a positional argument
            # (`run_simple_httpd_server(app, 'localhost', 8080)`), outside comments.
            for line in text.splitlines():
                code = line.split("#", 1)[0]
                if LOOPBACK_ARG.search(code):
                    return False, f"{rel} (run by S2I) hands a server a loopback address: {line.strip()}"
            # The V2 address read with a loopback default, in app.py or in a config module
            # it loads (config.py through app.config.from_object, a from_pyfile .cfg).
            if "OPENSHIFT_PYTHON_IP" not in env:
                for f in code_files(tree):
                    if any(LOOPBACK_DEFAULT.search(line.split("#", 1)[0])
                           for line in (read(os.path.join(tree, f)) or "").splitlines()):
                        return False, (f"{rel} (run by S2I) binds OPENSHIFT_PYTHON_IP, which {f} defaults to "
                                       "loopback and nothing sets")
            return True, f"S2I runs python {rel}"
    if "APP_CONFIG" in env:
        cfg = os.path.join(tree, env["APP_CONFIG"].strip("'\""))
        if not os.path.isfile(cfg):
            return False, f"APP_CONFIG={env['APP_CONFIG']} does not exist"
        if not has_gunicorn:
            return False, "APP_CONFIG is set but gunicorn is not in the requirements"
        if "APP_MODULE" not in env:
            hit = mentions_target(read(cfg) or "", tgts)
            if hit:
                return True, f"gunicorn config {env['APP_CONFIG']} loads {hit}"
            return False, f"APP_CONFIG {env['APP_CONFIG']} without APP_MODULE does not load the manifest entry"
    module = env.get("APP_MODULE")
    if module:
        if not has_gunicorn:
            return False, f"APP_MODULE={module} but gunicorn is not in the requirements (S2I ignores APP_MODULE)"
        f = module_file(tree, module, "" if app_home == "." else app_home) or module_file(tree, module)
        if not f:
            return False, f"APP_MODULE={module} does not resolve to a file"
        if f in tgts:
            return True, f"gunicorn {module} ({f})"
        return False, f"APP_MODULE={module} is {f}, not the manifest entry ({', '.join(sorted(tgts))})"
    wsgi = os.path.normpath(os.path.join(tree, app_home, "wsgi.py"))
    if os.path.isfile(wsgi):
        text = read(wsgi) or ""
        rel = os.path.relpath(wsgi, tree)
        if WELCOME.search(text):
            return False, f"S2I would serve {rel}, the V2 welcome template"
        if not has_gunicorn:
            return False, f"{rel} exists but gunicorn is not in the requirements"
        if rel in tgts or mentions_target(text, tgts):
            return True, f"gunicorn wsgi ({rel})"
        return False, f"{rel} does not load the manifest entry ({', '.join(sorted(tgts))})"
    return False, "nothing tells S2I how to start the app (no app.sh, app.py, APP_MODULE or wsgi.py)"


# ------------------------------------------------------------------ point 5

ENV_TEST = r"(?:['\"]({v})['\"]\s+(?:not\s+)?in\s+(?:os\.)?environ|has_key\(\s*['\"]({v})['\"]|(?:environ\.get|getenv)\(\s*['\"]({v})['\"])"


def tested_vars(code, var=r"[A-Za-z_][A-Za-z0-9_]*"):
    """Variables that a line tests for presence ('X' in os.environ, .get('X'), has_key)."""
    return {g for m in re.finditer(ENV_TEST.format(v=var), code) for g in m.groups() if g}


def logical_line(lines, i):
    """Line i joined with its backslash/bracket continuations (both ways, roughly)."""
    start = i
    while start > 0 and lines[start - 1].rstrip().endswith("\\"):
        start -= 1
    end = i
    while end + 1 < len(lines) and lines[end].rstrip().endswith("\\"):
        end += 1
    return " ".join(lines[start:end + 1])


def guarded(lines, i, var, defined):
    """Is the hard read of `var` on line i safe when only `defined` are set?

    Safe when the same logical line tests `var` (a conditional expression),
    when an enclosing `if` tests a variable that stays undefined (so the block
    does not run), or when an enclosing try: has a bare/KeyError/Exception
    except clause."""
    if var in tested_vars(logical_line(lines, i), re.escape(var)):
        return True
    def indent(s):
        return len(s) - len(s.lstrip())
    level = indent(lines[i])
    for j in range(i - 1, -1, -1):
        line = lines[j]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        ind = indent(line)
        if ind >= level:
            continue
        level = ind
        head = line.strip()
        if re.match(r"(if|elif)\b", head):
            tests = tested_vars(head)
            if tests and any(t not in defined for t in tests) and " or " not in head:
                return True
        elif head.startswith("try:"):
            for k in range(j + 1, len(lines)):
                ln = lines[k]
                if ln.strip() and indent(ln) == ind and re.match(r"except\b", ln.strip()):
                    if re.match(r"except\s*(:|\(?.*\b(KeyError|Exception|LookupError|BaseException)\b)", ln.strip()):
                        return True
                    break
        if level == 0:
            break
    return False


def imported_only_under_guard(files, f, defined):
    """A module (say settings_openshift.py) whose every in-tree import sits in
    an `if` block testing a variable that stays undefined never runs."""
    if not f.endswith(".py") or os.path.basename(f) == "__init__.py":
        return False
    name = os.path.basename(f)[:-3]
    pat = re.compile(r"^\s*(from\s+[\w.]*\b" + re.escape(name) + r"\b\s+import|import\s+[\w.]*\b"
                     + re.escape(name) + r"\b|from\s+\.+\s+import\s+.*\b" + re.escape(name) + r"\b)")
    sites = [(g, n) for g, lines in files.items() if g != f
             for n, line in enumerate(lines) if pat.search(line.split("#", 1)[0])]
    return bool(sites) and all(guarded(files[g], n, "\0", defined) for g, n in sites)


def judge_env(tree, entry, stderr):
    wanted = entry.get("env_read") or []
    if not wanted:
        return "n/a", "env_read is empty"
    env = s2i_env(tree)
    files = {f: (read(os.path.join(tree, f)) or "").splitlines() for f in code_files(tree)}
    skip = {f for f in files if imported_only_under_guard(files, f, env)}
    open_ = []
    for var in wanted:
        if var in env:
            continue
        if re.search(r"\b" + re.escape(var) + r"\b", stderr):
            continue  # named in the printed commands / Secret
        hard = []
        pat = re.compile(r"\b" + re.escape(var) + r"\b")
        for f, lines in files.items():
            if f in skip:
                continue
            for n, line in enumerate(lines):
                code = line.split("#", 1)[0]
                if not pat.search(code):
                    continue
                if re.search(r"(environ\.get|getenv|environ\.setdefault)\(\s*['\"]" + re.escape(var) + r"['\"]\s*,", code):
                    continue  # read with a default
                if var in tested_vars(code, re.escape(var)) and not re.search(
                        r"environ\s*\[\s*['\"]" + re.escape(var), code):
                    continue  # only a test (or .get without default, which cannot raise)
                if guarded(lines, n, var, env):
                    continue
                hard.append(f"{f}:{n + 1}")
        if hard:
            open_.append(f"{var} ({', '.join(hard[:3])}{'…' if len(hard) > 3 else ''})")
    if open_:
        return False, "undefined: " + "; ".join(open_)
    return True, f"{len(wanted)} defined"


# ------------------------------------------------------------------ point 6

def settings_chain(tree, settings, seen=None):
    """The settings file and every in-tree module it star-imports."""
    seen = seen if seen is not None else []
    if settings in seen:
        return seen
    seen.append(settings)
    text = read(os.path.join(tree, settings)) or ""
    here = os.path.dirname(settings)
    for m in re.finditer(r"^\s*from\s+(\.*)([\w.]*)\s+import\s+\*", text, re.M):
        dots, mod = m.group(1), m.group(2)
        cands = []
        if dots:
            base = here
            for _ in range(len(dots) - 1):
                base = os.path.dirname(base)
            cands.append(os.path.join(base, mod.replace(".", "/")))
        else:
            parts = mod.replace(".", "/")
            d = here
            while True:  # absolute import: try every ancestor as a sys.path entry
                cands.append(os.path.join(d, parts))
                if not d:
                    break
                d = os.path.dirname(d)
        for c in cands:
            for f in (c + ".py", os.path.join(c, "__init__.py")):
                f = os.path.normpath(f)
                if os.path.isfile(os.path.join(tree, f)):
                    settings_chain(tree, f, seen)
                    break
            else:
                continue
            break
    return seen


def judge_logging(tree, entry):
    if entry.get("framework") != "django":
        return "n/a", "not Django"
    settings = entry.get("settings")
    if not settings:
        return False, "manifest names no settings module"
    if not os.path.isfile(os.path.join(tree, settings)):
        return False, f"{settings} is gone"
    chain = settings_chain(tree, settings)
    defined = []
    for f in chain:
        text = read(os.path.join(tree, f)) or ""
        for m in re.finditer(r"^LOGGING\s*=|^LOGGING\[|^\s*LOGGING\s*=", text, re.M):
            defined.append(f)
            body = text[m.start(): m.start() + 4000]
            if re.search(r"StreamHandler|['\"]class['\"]\s*:\s*['\"]logging\.StreamHandler", body):
                return True, f"LOGGING with a StreamHandler in {f}"
    if defined:
        return False, f"LOGGING in {', '.join(sorted(set(defined)))} has no StreamHandler/console handler"
    return False, ("no LOGGING in " + ", ".join(chain) +
                   "; Django's default sends request errors to the console only when DEBUG=True")


# ------------------------------------------------------------------ point 7

def django_version(entry):
    v = str(entry.get("django") or "")
    m = re.search(r"(\d+)\.(\d+)", v)
    return (int(m.group(1)), int(m.group(2))) if m else None


SETTINGS_NAME = re.compile(r"DJANGO_SETTINGS_MODULE['\"]\s*(?:\]\s*=\s*|,\s*)['\"]([A-Za-z_][\w.]*)['\"]")


def settings_file(tree, module, manage):
    """The file a dotted settings module names for `manage` (its folder is sys.path[0]),
    else the shallowest file of that dotted path anywhere in the tree."""
    rel = module.replace(".", "/")
    for cand in (rel + ".py", rel + "/__init__.py"):
        f = os.path.normpath(os.path.join(os.path.dirname(manage), cand))
        if os.path.isfile(os.path.join(tree, f)):
            return f
    hits = [f for f in code_files(tree) if f == rel + ".py" or f.endswith("/" + rel + ".py")
            or f == rel + "/__init__.py" or f.endswith("/" + rel + "/__init__.py")]
    return min(hits, key=lambda f: (f.count("/"), f)) if hits else None


def manage_settings(tree, manage, line, env):
    """(module, file) of the settings a manage.py command line runs with: --settings=,
    else DJANGO_SETTINGS_MODULE of .s2i/environment, else manage.py's own default."""
    m = re.search(r"--settings[= ]['\"]?([A-Za-z_][\w.]*)", line)
    module = m.group(1) if m else env.get("DJANGO_SETTINGS_MODULE", "").strip("'\"") or None
    if not module:
        for code in (read(os.path.join(tree, manage)) or "").splitlines():
            hit = SETTINGS_NAME.search(code.split("#", 1)[0])
            if hit:
                module = hit.group(1)
                break
    if not module:
        return None, None
    return module, settings_file(tree, module, manage)


def judge_manage(tree, entry):
    manages = [os.path.normpath(m) for m in (entry.get("manage") or [])]
    if entry.get("framework") != "django" or not manages:
        return "n/a", "no Django manage.py"
    env = s2i_env(tree)
    sources = {}
    for rel in ("app.sh", ".s2i/bin/assemble", ".s2i/bin/run"):
        t = read(os.path.join(tree, rel))
        if t is not None:
            sources[rel] = t
    bin_text = (sources.get(".s2i/bin/assemble", "") + sources.get(".s2i/bin/run", ""))
    hooks_dir = os.path.join(tree, ".s2i", "action_hooks")
    hooks_run = "powershift" in bin_text
    if os.path.isdir(hooks_dir):
        for f in sorted(os.listdir(hooks_dir)):
            t = read(os.path.join(hooks_dir, f))
            if t is not None:
                sources[f".s2i/action_hooks/{f}"] = t
    found = {"migrate": None, "collectstatic": None}
    notes = []
    winning = entry.get("settings")

    def other_settings(mp, line):
        """The settings module a command runs with when it is not (and does not star-import)
        the winning one; None when it is, or when it cannot be told."""
        module, f = manage_settings(tree, mp, line, env)
        if not winning or not f or winning in settings_chain(tree, f, []):
            return None
        return f"{module} ({f}), not {winning}"
    for rel, text in sources.items():
        if rel.startswith(".s2i/action_hooks/"):
            if not hooks_run:
                notes.append(f"{rel} is never run (no powershift in .s2i/bin)")
                continue
            if not executable(os.path.join(tree, rel)):
                notes.append(f"{rel} is not executable")
                continue
        for line in text.splitlines():
            code = line.split("#", 1)[0]
            for mp in manages:
                if not re.search(r"(^|[\s/\"'$}])" + re.escape(mp) + r"\b", code) and \
                        not (mp == "manage.py" and re.search(r"(^|[\s\"'])(\./)?manage\.py\b", code)):
                    continue
                for cmd in ("migrate", "syncdb", "collectstatic"):
                    if re.search(r"manage\.py['\"]?\s+" + cmd + r"\b", code):
                        key = "collectstatic" if cmd == "collectstatic" else "migrate"
                        wrong = other_settings(mp, code)
                        if wrong:
                            notes.append(f"{rel}: {mp} {cmd} runs with {wrong}")
                            continue
                        found[key] = found[key] or f"{rel}: {mp} {cmd}"
    # The S2I default: manage.py in APP_HOME (Era C) or at the root.
    app_home = os.path.normpath(env.get("APP_HOME", ".").strip("'\""))
    default_manage = os.path.normpath(os.path.join(app_home, "manage.py"))
    if default_manage in manages:
        ver = django_version(entry)
        south = "south" in requirements_text(tree).lower()
        wrong = other_settings(default_manage, "")
        if wrong:
            notes.append(f"the S2I default runs {default_manage} with {wrong}")
        elif not found["migrate"] and "DISABLE_MIGRATE" not in env:
            if ver and ver < (1, 7) and not south:
                notes.append(f"S2I default `{default_manage} migrate` needs South on Django {entry.get('django')}")
            else:
                found["migrate"] = f"S2I default ({default_manage} migrate)"
        if not wrong and not found["collectstatic"] and "DISABLE_COLLECTSTATIC" not in env:
            found["collectstatic"] = f"S2I default ({default_manage} collectstatic)"
    missing = [k for k, v in found.items() if not v]
    if missing:
        why = f"no {' and no '.join(missing)} on {', '.join(manages)}"
        if notes:
            why += " (" + "; ".join(notes) + ")"
        return False, why
    return True, "; ".join(found.values())


# ------------------------------------------------------------------- driver

def judge_tree(entry, tree, logrx, scratch_root, verbose=False):
    res = Result()
    work = os.path.join(scratch_root, entry["repo"].replace("/", "+"))
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, work, symlinks=True)
    shutil.rmtree(os.path.join(work, ".git"), ignore_errors=True)
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "tree"]):
        rc, _, err = git(work, *step)
        if rc != 0:
            for p in POINTS:
                res.set(p, False, f"scratch git {step[0]} failed: {err.strip()[:200]}")
            return res, {}
    rc, patch, err = run([logrx, "fix", "--source", work], cwd=work)
    info = {"rc": rc, "stderr": err, "patch_bytes": len(patch)}
    if rc != 0:
        res.set("apply", False, f"logrx exited {rc}: {err.strip().splitlines()[-1][:200] if err.strip() else ''}")
        res.set("paths", False, "no patch")
        res.set("fixed", False, "no patch")
        patched = False
    elif not patch.strip():
        res.set("apply", False, "empty patch")
        res.set("paths", False, "empty patch")
        res.set("fixed", False, "empty patch")
        patched = False
    else:
        paths = patch_paths(patch)
        bad = [(p, bad_path(p)) for p in paths if bad_path(p)]
        res.set("paths", not bad and bool(paths),
                f"{len(set(paths))} paths" if not bad else "; ".join(f"{p}: {w}" for p, w in bad[:3]) if bad else "no paths")
        rc2, _, err2 = git(work, "apply", "--check", "-", stdin=patch.encode())
        patched = False
        if rc2 != 0:
            res.set("apply", False, "git apply --check: " + err2.strip().splitlines()[0][:200])
            res.set("fixed", False, "patch does not apply")
        elif bad:
            res.set("apply", True, "applies (not applied: unsafe paths)")
            res.set("fixed", False, "not applied: unsafe paths")
        else:
            res.set("apply", True, f"{patch.count(chr(10) + 'diff --git') + patch.startswith('diff --git')} files")
            rc3, _, err3 = git(work, "apply", "-", stdin=patch.encode())
            if rc3 != 0:
                res.set("fixed", False, "git apply failed: " + err3.strip()[:200])
            else:
                patched = True
                rc4, again, err4 = run([logrx, "fix", "--source", work], cwd=work)
                if rc4 != 0:
                    res.set("fixed", False, f"second fix exited {rc4}")
                elif again.strip():
                    files = sorted(set(re.findall(r"^\+\+\+ b/(\S+)", again, re.M)))
                    res.set("fixed", False, "second fix still patches " + ", ".join(files[:5]))
                else:
                    res.set("fixed", True, "empty second patch")
    suffix = "" if patched else " (unpatched tree)"
    for point, fn in (("entry", lambda: judge_entry(work, entry)),
                      ("env", lambda: judge_env(work, entry, err)),
                      ("logging", lambda: judge_logging(work, entry)),
                      ("manage", lambda: judge_manage(work, entry))):
        try:
            ok, why = fn()
        except Exception as exc:  # a judge bug must not pass a point
            ok, why = False, f"cannot judge: {type(exc).__name__}: {exc}"
        res.set(point, ok, why + (suffix if ok is not True and ok != "n/a" else ""))
    if not verbose:
        shutil.rmtree(work, ignore_errors=True)
    return res, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--logrx", default="logrx", help="the logrx binary (default: logrx on PATH)")
    ap.add_argument("--manifest", default=os.path.join(ROOT, "Corpus", "realapps", "manifest.yaml"))
    ap.add_argument("--trees", default=os.environ.get("REALAPPS_TREES", "/tmp/realapps"),
                    help="where fetch-trees put the trees (default /tmp/realapps)")
    ap.add_argument("--split", choices=["tune", "test"])
    ap.add_argument("--only", action="append", default=[], metavar="OWNER/NAME")
    ap.add_argument("--json", metavar="FILE", help="also write a JSON report ('-' for stdout)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every reason; keep the scratch trees")
    a = ap.parse_args()

    logrx = shutil.which(a.logrx) or (os.path.abspath(a.logrx) if os.path.isfile(a.logrx) else None)
    if not logrx:
        sys.exit(f"judge.py: no logrx at {a.logrx!r} (pass --logrx PATH)")
    entries = load_manifest(a.manifest)
    if a.split:
        entries = [e for e in entries if e.get("split") == a.split]
    if a.only:
        entries = [e for e in entries if e["repo"] in a.only]
    missing = [e["repo"] for e in entries
               if not os.path.isdir(os.path.join(a.trees, e["repo"].replace("/", "+")))]
    if missing:
        print("judge.py: these trees are not materialised; run scripts/realapps/fetch-trees first:",
              file=sys.stderr)
        for r in missing:
            print("  " + r, file=sys.stderr)
    scratch = tempfile.mkdtemp(prefix="realapps-judge-")
    report = []
    width = max([len(e["repo"]) for e in entries] + [10])
    header = f"{'repo':<{width}}  split  kind        " + "  ".join(f"{p:<7}" for p in POINTS) + "  fitted"
    out = sys.stderr if a.json == "-" else sys.stdout
    print(header, file=out)
    print("-" * len(header), file=out)
    for e in entries:
        tree = os.path.join(a.trees, e["repo"].replace("/", "+"))
        if e["repo"] in missing:
            res, info = Result(), {}
            for p in POINTS:
                res.set(p, False, "tree not materialised (run fetch-trees)")
        else:
            res, info = judge_tree(e, tree, logrx, scratch, a.verbose)
        cells = []
        for p in POINTS:
            s, _ = res.points[p]
            cells.append({"pass": "ok", "fail": "FAIL", "n/a": "n/a"}[s])
        print(f"{e['repo']:<{width}}  {e.get('split', '?'):<5}  {e.get('kind', ''):<10}  " +
              "  ".join(f"{c:<7}" for c in cells) + f"  {'yes' if res.fitted() else 'no'}", file=out)
        if a.verbose:
            for p in POINTS:
                s, why = res.points[p]
                print(f"    {p:<8} {s:<4} {why}", file=out)
        report.append({"repo": e["repo"], "commit": e.get("commit"), "split": e.get("split"),
                       "kind": e.get("kind"), "framework": e.get("framework"),
                       "fitted": res.fitted(),
                       "points": {p: {"status": s, "reason": why} for p, (s, why) in res.points.items()},
                       "logrx_rc": info.get("rc"), "patch_bytes": info.get("patch_bytes")})
    shutil.rmtree(scratch, ignore_errors=True) if not a.verbose else None
    print(file=out)
    summary = {}
    for split in ("tune", "test"):
        rows = [r for r in report if r["split"] == split]
        if not rows:
            continue
        per = {p: sum(r["points"][p]["status"] in ("pass", "n/a") for r in rows) for p in POINTS}
        fitted = sum(r["fitted"] for r in rows)
        summary[split] = {"fitted": fitted, "total": len(rows), "points": per}
        print(f"{split}: fitted {fitted}/{len(rows)}   " +
              "  ".join(f"{p} {per[p]}/{len(rows)}" for p in POINTS), file=out)
    if a.json:
        doc = {"logrx": logrx, "manifest": os.path.relpath(a.manifest, ROOT) if a.manifest.startswith(ROOT) else a.manifest,
               "points": POINTS, "summary": summary, "trees": report}
        text = json.dumps(doc, indent=2) + "\n"
        if a.json == "-":
            sys.stdout.write(text)
        else:
            with open(a.json, "w") as f:
                f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
