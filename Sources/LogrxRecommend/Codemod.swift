import Foundation
import LogrxIngest
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a well-kept code rewriting tool (a codemod) over some of the tree's files, on a
/// scratch copy, while planning: the user's tree is never touched, and the tool's edits are
/// read back to become part of the one patch.
///
/// The tools, each run by a small Python driver with the interpreter the tool is installed
/// for (the `#!` line of its command on `PATH`, else `python3`):
/// - `2to3` (lib2to3, Python 3.12 and older; else the `fissix` package): a file that does not
///   compile on Python 3 gets every default fixer (indentation that mixes tabs and spaces is
///   first expanded as Python 2 read it, 8 columns a tab); a file that compiles keeps its
///   Python 3 meaning (print as a function, no dict/map/filter/zip/input rewrites, but the dict
///   fixer where it calls `iteritems()`/`iterkeys()`/`itervalues()`), so running it again changes nothing. A file that still does not compile afterwards is left as it was. The `import` fixer is
///   left out: V2 projects run their project folder as the top of `sys.path`
///   (`DJANGO_SETTINGS_MODULE=settings`), where `from . import settings` breaks.
/// - `logrx-django1`, logrx's own, for what django-upgrade leaves: `patterns('prefix', ...)`
///   becomes a list, views given as strings become the imported callables (with the prefix;
///   the auth views Django removed become their class-based views), `(regex, view)` tuples
///   become `url(...)`, `django.conf.urls.defaults` and `django.core.context_processors` take
///   their new names. Python 3 files only.
/// - `django-upgrade --target-version 4.2`: only files that compile on Python 3 (the tool
///   parses them); the others are named in a note.
/// - `pyupgrade --py38-plus`: the same.
///
/// Each file is rewritten on its own: a file a tool cannot take (it does not parse, the tool
/// stops on it, the result would not compile) stays as it was and is named in a note; the
/// others keep their rewrite, and a rewritten file always compiles on Python 3.
/// A tool that is not installed, fails or runs longer than ``timeout`` changes nothing and
/// says why: there is no half-rewritten result.
public enum Codemod {
  public struct Outcome: Sendable, Equatable {
    /// New contents of the files the tool changed, by path.
    public var changed: [String: String]
    /// Why nothing changed (missing tool, failure); nil when the tool ran.
    public var problem: String?
    /// Files the tool left alone, and why.
    public var skipped: [String]
  }

  /// The Django release django-upgrade targets: the LTS the Django pins ask for on the
  /// builder images' Python 3.8 to 3.12.
  public static let djangoTarget = "4.2"
  /// Seconds a tool may run.
  nonisolated(unsafe) public static var timeout: Double = 300

  /// Runs `tool` over `files` (relative path → content); cached by tool and contents.
  /// - Parameter python: the interpreter to run it with (default: the tool's own, else
  ///   `python3` on PATH).
  public static func run(tool: String, files: [String: String], python: String? = nil) -> Outcome {
    let key = ([tool, python ?? ""] + files.keys.sorted().map { "\($0)\u{1}\(StableHash.hex([files[$0]!]))" }).joined(separator: "\u{2}")
    if let cached = Cache.shared.get(key) { return cached }
    let outcome = runUncached(tool: tool, files: files, python: python)
    Cache.shared.set(key, outcome)
    return outcome
  }

  /// How to install a tool, for the message when it is missing.
  static func install(_ tool: String) -> String {
    switch tool {
    case "2to3": "2to3 ships with Python 3.12 and older (lib2to3); on a newer Python: pip install fissix"
    case "logrx-django1": "it is logrx's own and needs only python3 on PATH"
    default: "pip install \(tool)"
    }
  }

  static func runUncached(tool: String, files: [String: String], python: String?) -> Outcome {
    guard !files.isEmpty else { return Outcome(changed: [:], problem: nil, skipped: []) }
    guard ResolvedFix.codemodTools.contains(tool) else {
      return Outcome(changed: [:], problem: "\(tool) is not a codemod logrx knows (\(ResolvedFix.codemodTools.joined(separator: ", ")))", skipped: [])
    }
    guard let python = python ?? interpreter(for: tool) else {
      return Outcome(changed: [:], problem: "\(tool) is not installed and no python3 is on PATH (\(install(tool)))", skipped: [])
    }
    let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("logrx-codemod-\(UUID().uuidString)")
    let scratch = base.appendingPathComponent("tree")
    defer { try? FileManager.default.removeItem(at: base) }
    let paths = files.keys.sorted()
    do {
      for path in paths {
        let target = scratch.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(files[path]!.utf8).write(to: target)
      }
      try Data(driver.utf8).write(to: base.appendingPathComponent("driver.py"))
    } catch {
      return Outcome(changed: [:], problem: "\(tool) was not run: cannot write a scratch copy (\(error.localizedDescription))", skipped: [])
    }
    let output = base.appendingPathComponent("out")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    // The file list goes through a file: a large tree would overflow the command line.
    let list = base.appendingPathComponent("files")
    try? Data(paths.joined(separator: "\n").utf8).write(to: list)
    process.arguments = ["-I", base.appendingPathComponent("driver.py").path, tool, djangoTarget, list.path]
    process.currentDirectoryURL = scratch
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    process.environment = environment
    guard FileManager.default.createFile(atPath: output.path, contents: nil), let handle = try? FileHandle(forWritingTo: output) else {
      return Outcome(changed: [:], problem: "\(tool) was not run: cannot write under \(base.path)", skipped: [])
    }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      return Outcome(
        changed: [:], problem: "\(tool) was not run: cannot start \(python) (\(error.localizedDescription)); nothing of it is in the patch", skipped: [])
    }
    guard RunningChildren.shared.wait(for: process, seconds: timeout) else {
      return Outcome(changed: [:], problem: "\(tool) ran longer than \(Int(timeout)) s and was stopped; nothing of it is in the patch", skipped: [])
    }
    try? handle.close()
    let said = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    let lines = said.split(separator: "\n").map(String.init)
    let skipped = lines.filter { $0.hasPrefix("logrx-skipped: ") }.map { String($0.dropFirst("logrx-skipped: ".count)) }
    switch process.terminationStatus {
    case 0: break
    case 3:
      return Outcome(changed: [:], problem: "\(tool) is not installed for \(python) (\(install(tool))); nothing of it is in the patch", skipped: [])
    default:
      let last = lines.last { !$0.hasPrefix("logrx-skipped: ") && !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "no message"
      return Outcome(
        changed: [:], problem: "\(tool) failed (exit status \(process.terminationStatus): \(last)); nothing of it is in the patch", skipped: skipped)
    }
    var changed: [String: String] = [:]
    for path in paths {
      guard let data = FileManager.default.contents(atPath: scratch.appendingPathComponent(path).path) else { continue }
      let text = String(decoding: data, as: UTF8.self)
      if text != files[path] { changed[path] = text }
    }
    return Outcome(changed: changed, problem: nil, skipped: skipped)
  }

  /// The Python to run the driver with: the interpreter of the tool's command on PATH (a
  /// pipx or virtualenv install), else `python3` on PATH.
  static func interpreter(for tool: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    func find(_ name: String) -> String? {
      path.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
    if tool != "2to3", let command = find(tool), let data = FileManager.default.contents(atPath: command),
      let firstLine = String(decoding: data.prefix(512), as: UTF8.self).split(separator: "\n").first, firstLine.hasPrefix("#!")
    {
      let interpreter = firstLine.dropFirst(2).trimmingCharacters(in: .whitespaces)
      // A direct interpreter path (not `/usr/bin/env python3`, not a shell wrapper).
      if interpreter.hasPrefix("/"), !interpreter.contains(" "), (interpreter as NSString).lastPathComponent.hasPrefix("python"),
        access(interpreter, X_OK) == 0
      {
        return interpreter
      }
    }
    return find("python3")
  }

  /// The driver: reads the file list, decides per file, runs the tool's own entry point.
  /// Exit 3: the tool is not importable.
  static let driver = #"""
    import ast, io, re, sys, tokenize, warnings
    warnings.simplefilter("ignore")
    tool, target, listing = sys.argv[1], sys.argv[2], sys.argv[3]
    files = [line for line in open(listing, encoding="utf-8").read().split("\n") if line]

    def compiles_text(text, path):
        try:
            compile(text, path, "exec", dont_inherit=True)
            return True
        except Exception:
            return False

    def compiles(path):
        try:
            with open(path, "rb") as f:
                compile(f.read(), path, "exec", dont_inherit=True)
            return True
        except Exception:
            return False


    # Views Django removed, by the dotted name a URLconf gave as a string: the callable now.
    REMOVED_VIEWS = {
        "django.contrib.auth.views.login": ("django.contrib.auth.views", "LoginView.as_view()"),
        "django.contrib.auth.views.logout": ("django.contrib.auth.views", "LogoutView.as_view()"),
        "django.contrib.auth.views.logout_then_login": ("django.contrib.auth.views", "logout_then_login"),
        "django.contrib.auth.views.password_change": ("django.contrib.auth.views", "PasswordChangeView.as_view()"),
        "django.contrib.auth.views.password_change_done": ("django.contrib.auth.views", "PasswordChangeDoneView.as_view()"),
        "django.contrib.auth.views.password_reset": ("django.contrib.auth.views", "PasswordResetView.as_view()"),
        "django.contrib.auth.views.password_reset_done": ("django.contrib.auth.views", "PasswordResetDoneView.as_view()"),
        "django.contrib.auth.views.password_reset_confirm": ("django.contrib.auth.views", "PasswordResetConfirmView.as_view()"),
        "django.contrib.auth.views.password_reset_complete": ("django.contrib.auth.views", "PasswordResetCompleteView.as_view()"),
    }

    def offsets(text):
        starts, pos = [0], 0
        for line in text.splitlines(keepends=True):
            pos += len(line)
            starts.append(pos)
        return starts

    def django1(path):
        text = open(path, encoding="utf-8").read()
        new = text.replace("django.core.context_processors", "django.template.context_processors")
        new = re.sub(r"(?m)^from django\.conf\.urls\.defaults import \*[ \t]*$", "from django.conf.urls import include, url", new)
        new = re.sub(r"(?m)^from django\.conf\.urls\.defaults import ", "from django.conf.urls import ", new)
        if not re.search(r"(?<![\w.])render_to_response\(", new):
            # An import of render_to_response (removed in Django 3.0) that nothing calls goes.
            def unused(m):
                names = [n.strip() for n in m.group(1).split(",") if n.strip() and n.strip() != "render_to_response"]
                return "from django.shortcuts import " + ", ".join(names) if names else "import django.shortcuts"
            new = re.sub(r"(?m)^from django\.shortcuts import ([\w, \t]*\brender_to_response\b[\w, \t]*?)[ \t]*$", unused, new)
        try:
            tree = ast.parse(new)
        except SyntaxError:
            return new if new != text else None
        starts = offsets(new)
        edits, imports, need_url = [], [], False
        lines = new.splitlines(keepends=True)
        def pos(line, col):
            # ast columns count UTF-8 bytes.
            return starts[line - 1] + len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
        def view_edit(node, prefix):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                return
            name = node.value if not prefix else prefix + "." + node.value
            if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+", name):
                return
            if name in REMOVED_VIEWS:
                module, attr = REMOVED_VIEWS[name]
            else:
                module, attr = name.rsplit(".", 1)
            imports.append(module)
            edits.append((pos(node.lineno, node.col_offset), pos(node.end_lineno, node.end_col_offset), module + "." + attr))
        def generic_edit(args, prefix):
            # direct_to_template / redirect_to (removed in Django 1.5) with their dict of options:
            # TemplateView / RedirectView with the same options as keyword arguments.
            if len(args) < 2 or not isinstance(args[1], ast.Dict):
                return False
            view = args[0]
            name = view.id if isinstance(view, ast.Name) else view.value if isinstance(view, ast.Constant) and isinstance(view.value, str) else None
            name = (name or "").rsplit(".", 1)[-1]
            target = {"direct_to_template": ("TemplateView", {"template": "template_name"}), "redirect_to": ("RedirectView", {"url": "url", "permanent": "permanent"})}.get(name)
            if not target or not all(isinstance(k, ast.Constant) and k.value in target[1] for k in args[1].keys):
                return False
            seg = lambda n: new[pos(n.lineno, n.col_offset):pos(n.end_lineno, n.end_col_offset)]
            kwargs = ", ".join("%s=%s" % (target[1][k.value], seg(v)) for k, v in zip(args[1].keys, args[1].values))
            imports.append("django.views.generic")
            edits.append((pos(view.lineno, view.col_offset), pos(args[1].end_lineno, args[1].end_col_offset), "django.views.generic.%s.as_view(%s)" % (target[0], kwargs)))
            return True

        # render_to_response(t, c, context_instance=RequestContext(request)) -> render(request, t, c)
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "render_to_response"]:
            kw = [k for k in call.keywords if k.arg == "context_instance"]
            if len(kw) != 1 or len(call.keywords) != 1 or not call.args:
                continue
            ctx = kw[0].value
            if not (isinstance(ctx, ast.Call) and isinstance(ctx.func, ast.Name) and ctx.func.id == "RequestContext" and len(ctx.args) == 1 and not ctx.keywords):
                continue
            seg = lambda n: new[pos(n.lineno, n.col_offset):pos(n.end_lineno, n.end_col_offset)]
            args = ", ".join([seg(ctx.args[0])] + [seg(a) for a in call.args])
            edits.append((pos(call.lineno, call.col_offset), pos(call.end_lineno, call.end_col_offset), "render(%s)" % args))
            imports.append("render")

        # render_to_response(t[, c]) in a function that has a `request` parameter (a view, or a
        # helper a view calls): render(request, t[, c]). The context then gets the request, as
        # the template's {% csrf_token %} and context processors expect; a call elsewhere has no
        # request to give and is left alone.
        def request_calls(node, has_request):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    a = child.args
                    names = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
                    yield from request_calls(child, "request" in names)
                elif isinstance(child, ast.ClassDef):
                    yield from request_calls(child, False)
                else:
                    if has_request and isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "render_to_response":
                        yield child
                    yield from request_calls(child, has_request)
        # Elsewhere (no request at hand): render(None, t[, c]), which renders the same way the
        # removed shortcut did (render_to_string without a request).
        with_request = set(id(c) for c in request_calls(tree, False))
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "render_to_response"]:
            if call.keywords or not 1 <= len(call.args) <= 2 or any(isinstance(a, ast.Starred) for a in call.args):
                continue
            seg = lambda n: new[pos(n.lineno, n.col_offset):pos(n.end_lineno, n.end_col_offset)]
            args = ", ".join(["request" if id(call) in with_request else "None"] + [seg(a) for a in call.args])
            edits.append((pos(call.lineno, call.col_offset), pos(call.end_lineno, call.end_col_offset), "render(%s)" % args))
            imports.append("render")

        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "patterns"]:
            if not call.args:
                continue
            first = call.args[0]
            prefix = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if prefix is None:
                continue
            # patterns('prefix', a, b) -> [a, b]: the call up to its first argument's comma, and its closing paren.
            first_end = pos(first.end_lineno, first.end_col_offset)
            comma = re.match(r"[ \t]*,", new[first_end:])
            edits.append((pos(call.lineno, call.col_offset), first_end + (comma.end() if comma else 0), "["))
            end = pos(call.end_lineno, call.end_col_offset)
            edits.append((end - 1, end, "]"))
            for item in call.args[1:]:
                if isinstance(item, ast.Tuple) and len(item.elts) >= 2 and generic_edit(item.elts[1:], prefix):
                    p = pos(item.lineno, item.col_offset)
                    edits.append((p, p, "url"))
                    need_url = True
                elif isinstance(item, ast.Tuple) and len(item.elts) >= 2:
                    # (regex, view, ...) -> url(regex, view, ...)
                    p = pos(item.lineno, item.col_offset)
                    edits.append((p, p, "url"))
                    need_url = True
                    view_edit(item.elts[1], prefix)
                elif isinstance(item, ast.Call) and isinstance(item.func, ast.Name) and item.func.id == "url" and len(item.args) >= 2:
                    if not generic_edit(item.args[1:], prefix):
                        view_edit(item.args[1], prefix)
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "url" and len(n.args) >= 2]:
            if not any(e[0] == pos(call.args[1].lineno, call.args[1].col_offset) for e in edits):
                if not generic_edit(call.args[1:], ""):
                    view_edit(call.args[1], "")
        if not edits:
            return new if new != text else None
        # Drop patterns from its import, make sure url is imported.
        out = new
        for start, end, repl in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            out = out[:start] + repl + out[end:]
        # Every name of every `from django.conf.urls import` line in the first of them (Django
        # 1.4's apps import patterns, include and url on separate lines; django-upgrade then
        # rewrites one and leaves a stale one for a second run), url added once.
        conf_import = r"(?m)^from django\.conf\.urls import ([\w, \t]+?)[ \t]*$"
        all_names = [n.strip() for m in re.finditer(conf_import, out) for n in m.group(1).split(",")]
        all_names = list(dict.fromkeys(n for n in all_names if n and n != "patterns"))
        if need_url and "url" not in all_names and "*" not in all_names:
            all_names.append("url")
        first_import = [True]
        def fix_import(m):
            if not first_import[0]:
                return ""
            first_import[0] = False
            return "from django.conf.urls import " + ", ".join(all_names) if all_names else ""
        out = re.sub(conf_import, fix_import, out)
        if "django.views.generic" in imports:
            out = re.sub(r"(?m)^from django\.views\.generic\.simple import [\w, \t]+\n", "", out)
        if need_url and not re.search(r"(?m)^from django\.conf\.urls import .*\burl\b", out):
            imports.insert(0, None)
        wanted = []
        if "render" in imports:
            imports = [m for m in imports if m != "render"]
            if not re.search(r"(?<![\w.])render_to_response\(", out):
                def shortcuts(m):
                    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
                    names = list(dict.fromkeys("render" if n == "render_to_response" else n for n in names))
                    return "from django.shortcuts import " + ", ".join(names)
                out = re.sub(r"(?m)^from django\.shortcuts import ([\w, \t]+?)[ \t]*$", shortcuts, out)
            if not re.search(r"(?m)^from django\.shortcuts import .*\brender\b(?!_)", out):
                wanted.append("from django.shortcuts import render")
        for module in imports:
            line = "from django.conf.urls import url" if module is None else "import " + module
            if line not in wanted and not re.search(r"(?m)^" + re.escape(line) + r"[ \t]*$", out):
                wanted.append(line)
        if wanted:
            # After the last top-level import that comes before the first other statement.
            tree2 = ast.parse(out)
            last = None
            for node in tree2.body:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    last = node
                elif isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) and last is None:
                    continue
                else:
                    break
            s2 = offsets(out)
            where = s2[last.end_lineno] if last is not None else 0
            out = out[:where] + "".join(l + "\n" for l in wanted) + out[where:]
        return out if out != text else None

    def tab_error(path):
        try:
            with open(path, "rb") as f:
                compile(f.read(), path, "exec", dont_inherit=True)
        except TabError:
            return True
        except Exception:
            pass
        return False

    def expand_indentation(path):
        # Python 2 read a tab in indentation as up to the next multiple of 8 columns.
        with open(path, encoding="utf-8") as f:
            text = f.read()
        out = []
        for line in text.splitlines(keepends=True):
            body = line.lstrip(" \t")
            indent = line[:len(line) - len(body)]
            out.append(indent.expandtabs(8) + body if "\t" in indent else line)
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(out))

    if tool == "2to3":
        try:
            from lib2to3 import refactor
            fixes = "lib2to3.fixes"
        except ImportError:
            try:
                from fissix import refactor
                fixes = "fissix.fixes"
            except ImportError:
                sys.exit(3)
        every = [n for n in refactor.get_fixers_from_package(fixes) if not n.endswith(".fix_import")]
        # A file that compiles on Python 3 keeps its Python 3 meaning: no fixer that rewrites
        # what Python 3 reads differently (print, input, dict views, map/filter/zip, and the
        # unicode fixer, which escapes "\\u2666" in a plain string: Python 3 reads it as the
        # character, and a second run would escape what the first one left unprefixed).
        # One exception: `d.iteritems()`/`iterkeys()`/`itervalues()` compile on Python 3 but
        # only fail when they run, so a file whose code calls them also gets the dict fixer.
        py3_unsafe = ("print", "input", "dict", "map", "filter", "zip", "xrange", "next", "ws_comma", "idioms", "unicode")
        py3_safe = [n for n in every if n.rsplit(".fix_", 1)[-1] not in py3_unsafe]
        dict_fixer = [n for n in every if n.rsplit(".fix_", 1)[-1] == "dict"]
        def calls_py2_dict_iterator(text):
            # Code only (tokens, not comments or strings): once the calls are gone the file is
            # left to the Python 3 fixers, which is what makes a second run change nothing.
            try:
                tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
            except Exception:
                return False
            return any(a.type == tokenize.OP and a.string == "." and b.type == tokenize.NAME
                       and b.string in ("iteritems", "iterkeys", "itervalues")
                       for a, b in zip(tokens, tokens[1:]))
        tools = {
            False: refactor.RefactoringTool(every, {}),
            True: refactor.RefactoringTool(py3_safe, {"print_function": True}),
            "dict": refactor.RefactoringTool(py3_safe + dict_fixer, {"print_function": True}),
        }
        for f in files:
            with open(f, encoding="utf-8") as handle:
                original = handle.read()
            if tab_error(f):
                expand_indentation(f)
            try:
                py3 = compiles(f)
                tools["dict" if py3 and calls_py2_dict_iterator(original) else py3].refactor_file(f, write=True)
            except Exception as e:
                with open(f, "w", encoding="utf-8") as handle:
                    handle.write(original)
                print("logrx-skipped: %s (2to3 could not read it: %s)" % (f, (str(e).splitlines() or [type(e).__name__])[0]))
                continue
            if not compiles(f):
                # Half a port is not written: the file stays as it was.
                with open(f, "w", encoding="utf-8") as handle:
                    handle.write(original)
                print("logrx-skipped: %s (not Python 3 even after 2to3; left as it is)" % f)
        sys.exit(0)

    if tool == "logrx-django1":
        for f in files:
            if not compiles(f):
                print("logrx-skipped: %s (not Python 3)" % f)
                continue
            try:
                result = django1(f)
            except Exception as e:
                print("logrx-skipped: %s (logrx-django1 could not rewrite it: %s)" % (f, type(e).__name__))
                continue
            if result is not None and compiles_text(result, f):
                open(f, "w", encoding="utf-8").write(result)
            elif result is not None:
                print("logrx-skipped: %s (logrx-django1's rewrite would not compile; left as it is)" % f)
        sys.exit(0)

    try:
        if tool == "django-upgrade":
            from django_upgrade.main import main
            args = ["--target-version", target, "--exit-zero-even-if-changed"]
        elif tool == "pyupgrade":
            from pyupgrade._main import main
            args = ["--py38-plus", "--exit-zero-even-if-changed"]
        else:
            sys.exit(2)
    except ImportError:
        sys.exit(3)
    import contextlib, io
    for f in files:
        if not compiles(f):
            print("logrx-skipped: %s (not Python 3: %s parses Python 3 only)" % (f, tool))
            continue
        with open(f, encoding="utf-8") as handle:
            original = handle.read()
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
                rc = main(args + [f])
        except (Exception, SystemExit) as e:
            rc = 1
        if rc != 0 or not compiles(f):
            # One file the tool cannot take stays as it was; the others keep their rewrite.
            with open(f, "w", encoding="utf-8") as handle:
                handle.write(original)
            print("logrx-skipped: %s (%s failed on it: %s)" % (f, tool, (said.getvalue().strip().splitlines() or ["exit status %s" % rc])[-1]))
    sys.exit(0)
    """#

  /// Outcomes by tool and input, for the run: a plan is made several times.
  final class Cache: @unchecked Sendable {
    static let shared = Cache()
    private let lock = NSLock()
    private var outcomes: [String: Outcome] = [:]
    func get(_ key: String) -> Outcome? { lock.withLock { outcomes[key] } }
    func set(_ key: String, _ outcome: Outcome) { lock.withLock { outcomes[key] = outcome } }
  }
}
