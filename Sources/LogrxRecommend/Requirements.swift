import Foundation
import LogrxVocabulary
import LogrxDiagnose

/// `logrx-requirements`, logrx's own codemod for an app's declared dependencies: it moves the
/// requirements of a Python 2-era app (a V2 `pip freeze`, a V2 `setup.py`) to what installs on
/// today's S2I Python builder, in `requirements*.txt` and `setup.py`'s `install_requires` alike,
/// so the two agree. It runs while planning, on the plan's copy of the files (never the tree).
///
/// What it does, from `Rules/data/python-successors.yaml` (each entry checked against PyPI and
/// a real pip run) and from the pip failures of the logs (``RequirementHint``):
/// - a distribution that was renamed or replaced becomes its successor (`PIL` → `Pillow`,
///   `requesocks` → `requests[socks]`), unpinned; one that is not needed on Python 3 (part of
///   the standard library) or is not on PyPI at all is dropped;
/// - a pin of a package whose old releases build from source and fail on today's Python (the
///   numpy-era scientific stack) is loosened, so pip picks a release with wheels;
/// - when the tree pins Django 1.x (which django-too-old-for-python moves to an LTS), every
///   other pin of the same era is loosened as a group: loosening one leaves pip at
///   `ResolutionImpossible` against the pins of the others. A package whose newest release
///   still caps Django (`Mezzanine`: `django<5`) caps the LTS the Django pin moves to, so the
///   pins agree;
/// - each package the log says failed to build or install is loosened (every one the log
///   names, not only the first); a requirement pip found no distribution for, which no Python
///   file of the tree imports or which is the tree's own module, is dropped with a note.
///
/// Running it again on its result changes nothing.
public enum RequirementsCodemod {
  public static let tool = "logrx-requirements"
  /// The globs the rules give the tool: the requirement files, and the Python files for the
  /// tree's imports.
  public static let requirementFiles = ["requirements.txt", "requirements/*.txt", "requirements-*.txt", "setup.py"]

  /// The Django LTS lines django-too-old-for-python writes (one per Python range), and the
  /// releases a cap picks from, newest first.
  static let djangoLTS: [(version: String, below: String)] = [("5.2", "5.3"), ("4.2", "5.0"), ("3.2", "4.0")]

  /// Rewrites the requirement files among `files` (path → content); the other files are read
  /// for their imports. Returns the changed files and notes.
  public static func run(files: [String: String], table: [String: [String: String]], hints: [RequirementHint]) -> (changed: [String: String], notes: [String]) {
    let requirementPaths = files.keys.filter(isRequirementFile).sorted()
    guard !requirementPaths.isEmpty else { return ([:], []) }
    let imported = importedModules(files.filter { $0.key.hasSuffix(".py") && $0.key != "setup.py" })
    let local = localModules(Array(files.keys))
    // The whole tree's requirements, for the group decisions.
    var all: [Requirement] = []
    for path in requirementPaths { all += requirements(in: files[path]!, path: path) }
    let djangoMoves = all.contains { $0.isOldDjangoPin }
    // A pin of a framework's old era (the table's `era`: Flask 0.x/1.x, whose releases import
    // what today's Jinja2 and Werkzeug removed) loosens every pin of the tree with it.
    let eraPin = all.first { requirement in
      requirement.isPinned && table[requirement.key]?["era"].map { requirement.spec.range(of: $0, options: .regularExpression) != nil } == true
    }
    let cap = djangoCap(all.map(\.key), table: table)
    let failing = Set(hints.compactMap { if case .failing(let name) = $0 { return normalized(name) } else { return nil } })
    let missing = Set(hints.compactMap { if case .noDistribution(let name) = $0 { return normalized(name) } else { return nil } })
    var conflictLines: [String: Set<Int>] = [:]
    for hint in hints { if case .conflictLine(let file, let line) = hint { conflictLines[file, default: []].insert(line) } }

    var changed: [String: String] = [:]
    var notes: [String] = []
    for path in requirementPaths {
      let text = files[path]!
      var edits: [(range: Range<String.Index>, with: String)] = []
      for requirement in requirements(in: text, path: path) {
        let key = requirement.key
        let entry = table[key] ?? [:]
        let why: String
        var replacement: String?
        if key == "django" {
          // django-too-old-for-python moves a pin of its own line; this moves the others (a
          // one-line list in setup.py) and caps the LTS when a package asks for it.
          guard requirement.isOldDjangoPin, cap != nil || requirement.form == .inline else { continue }
          replacement = djangoLines(cap: cap ?? djangoLTS[0].version)
          why =
            cap.map { "Django \(requirement.spec) → the LTS \($0) on today's Python (\(cappedBy(all.map(\.key), table: table)) supports no newer Django)" }
            ?? "Django \(requirement.spec) → an LTS per Python version"
        } else if entry["drop"] != nil {
          replacement = nil
          why = "\(requirement.name) dropped: \(entry["drop"]!)"
        } else if let successor = entry["replace"] {
          if all.contains(where: { $0.key == normalized(successor) && $0.extras == successorExtras(successor) && $0.path == path }) {
            replacement = nil
          } else {
            replacement = successor + requirement.marker
          }
          why = "\(requirement.name) → \(successor): \(entry["note"] ?? "its successor")"
        } else if missing.contains(key), !imported.contains(where: { importName(of: key, table: table).contains($0) }) {
          replacement = nil
          why = "\(requirement.name) dropped: pip found no distribution of it, and no Python file of the tree imports it"
        } else if missing.contains(key), local.contains(key.replacingOccurrences(of: "-", with: "_")) {
          // A vendored copy of a real package stays declared: only a name pip cannot find.
          replacement = nil
          why = "\(requirement.name) dropped: pip found no distribution of it, and it is the tree's own module"
        } else if requirement.isPinned,
          entry["unpin"] != nil || failing.contains(key) || djangoMoves || eraPin != nil
            || (path.hasSuffix(".txt") && (conflictLines[path]?.contains(requirement.line) ?? false))
        {
          if let pinnedSuccessor = entry["pinned"] {
            // A current release keeps its version (the successor has the same releases).
            let keep = entry["current"].map { requirement.spec.range(of: $0, options: .regularExpression) != nil } ?? false
            replacement = pinnedSuccessor + (keep ? requirement.spec : "") + requirement.marker
            why = "\(requirement.name) pinned to \(requirement.spec) → \(pinnedSuccessor): \(entry["note"] ?? "")"
          } else {
            replacement = requirement.nameWithExtras + requirement.marker
            why =
              entry["unpin"].map { "\(requirement.name)\(requirement.spec) loosened: \($0)" }
              ?? (failing.contains(key)
                ? "\(requirement.name)\(requirement.spec) loosened: the log shows it failing to build or install"
                : djangoMoves
                  ? "\(requirement.name)\(requirement.spec) loosened with the Django pin, so pip finds versions that agree"
                  : eraPin.map { era in
                    era.key == key
                      ? "\(requirement.name)\(requirement.spec) loosened: \(table[key]?["era_note"] ?? "a release of its old era")"
                      : "\(requirement.name)\(requirement.spec) loosened with the \(era.name) pin, so pip finds versions that agree"
                  }
                  ?? "\(requirement.name)\(requirement.spec) loosened: pip's conflict names it")
          }
        } else {
          continue
        }
        edits.append((requirement.removal(in: text, replacingWith: replacement), replacement.map { requirement.rendered($0) } ?? ""))
        notes.append("\(path): \(why)")
      }
      guard !edits.isEmpty else { continue }
      var result = text
      for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) { result.replaceSubrange(edit.range, with: edit.with) }
      if result != text { changed[path] = result }
    }
    return (changed, notes)
  }

  /// `requests[socks]` → `[socks]`.
  static func successorExtras(_ successor: String) -> String {
    successor.firstIndex(of: "[").map { String(successor[$0...]) } ?? ""
  }

  static func isRequirementFile(_ path: String) -> Bool {
    path == "setup.py" || (path.hasSuffix(".txt") && (path.hasPrefix("requirements") && !path.contains("/") || path.hasPrefix("requirements/")))
  }

  // MARK: Django

  /// The newest LTS every package present allows (nil: no package caps Django).
  static func djangoCap(_ keys: [String], table: [String: [String: String]]) -> String? {
    let caps = keys.compactMap { table[$0]?["django"] }
    guard !caps.isEmpty else { return nil }
    return caps.min { older($0, $1) }
  }

  static func cappedBy(_ keys: [String], table: [String: [String: String]]) -> String {
    keys.filter { table[$0]?["django"] != nil }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", ")
  }

  /// Whether version `a` is older than `b` (numeric parts).
  static func older(_ a: String, _ b: String) -> Bool {
    let x = a.split(separator: ".").map { Int($0) ?? 0 }, y = b.split(separator: ".").map { Int($0) ?? 0 }
    for index in 0..<max(x.count, y.count) {
      let p = index < x.count ? x[index] : 0, q = index < y.count ? y[index] : 0
      if p != q { return p < q }
    }
    return false
  }

  /// django-too-old-for-python's lines (an LTS per Python range), without the releases above
  /// the cap.
  static func djangoLines(cap: String) -> String {
    var lines = ["Django>=1.11,<2.0; python_version < \"3\""]
    if older(cap, "4.2") {
      lines.append("Django>=3.2,<4.0; python_version >= \"3\"")
    } else if older(cap, "5.2") {
      lines.append("Django>=3.2,<4.0; python_version >= \"3\" and python_version < \"3.8\"")
      lines.append("Django>=4.2,<5.0; python_version >= \"3.8\"")
    } else {
      lines.append("Django>=3.2,<4.0; python_version >= \"3\" and python_version < \"3.8\"")
      lines.append("Django>=4.2,<5.0; python_version >= \"3.8\" and python_version < \"3.10\"")
      lines.append("Django>=5.2,<5.3; python_version >= \"3.10\"")
    }
    return lines.joined(separator: "\n")
  }

  // MARK: Parsing

  /// One requirement: a line of a requirements file or a string of `install_requires`.
  struct Requirement {
    enum Form { case line, ownLine, inline }
    var path: String
    var line: Int
    var name: String
    var extras: String
    var spec: String
    var marker: String
    /// The requirement's text (without quotes and without a comment).
    var range: Range<String.Index>
    /// With the quotes (setup.py) or the line terminator (requirements).
    var outer: Range<String.Index>
    var form: Form
    var quote: String
    var indent: String

    var key: String { normalized(name) }
    var nameWithExtras: String { name + extras }
    var isPinned: Bool {
      let spec = self.spec.trimmingCharacters(in: .whitespaces)
      return spec.hasPrefix("==") || spec.hasPrefix("<") || spec.hasPrefix("~=") || spec.hasPrefix("===")
    }
    var isOldDjangoPin: Bool {
      key == "django" && spec.range(of: #"^\s*(?:==|<=|~=|<)\s*1\.\d"#, options: .regularExpression) != nil
    }

    /// The range an edit replaces: the requirement text, or the whole line / list element
    /// when it is removed.
    func removal(in text: String, replacingWith replacement: String?) -> Range<String.Index> {
      if replacement != nil { return range }
      switch form {
      case .line: return outer
      case .ownLine, .inline:
        // The string, its comma and the blanks after it; an own-line element takes its line.
        var end = outer.upperBound
        var probe = end
        while probe < text.endIndex, text[probe] == " " || text[probe] == "\t" { probe = text.index(after: probe) }
        if probe < text.endIndex, text[probe] == "," {
          end = text.index(after: probe)
          while end < text.endIndex, text[end] == " " || text[end] == "\t" { end = text.index(after: end) }
          if form == .ownLine, end < text.endIndex, text[end].isNewline { end = text.index(after: end) }
        }
        var start = outer.lowerBound
        if form == .ownLine {
          while start > text.startIndex, text[text.index(before: start)] == " " || text[text.index(before: start)] == "\t" {
            start = text.index(before: start)
          }
        }
        return start..<end
      }
    }

    /// A replacement of one or more requirement lines in this requirement's form.
    func rendered(_ replacement: String) -> String {
      let lines = replacement.split(separator: "\n").map(String.init)
      switch form {
      case .line: return lines.joined(separator: "\n")
      case .ownLine:
        return lines.enumerated().map { index, line in
          let escaped = quote == "'" ? line : line.replacingOccurrences(of: "\"", with: "'")
          return (index == 0 ? "" : quote + ",\n" + indent + quote) + escaped
        }.joined()
      case .inline:
        return lines.enumerated().map { index, line in
          let escaped = quote == "'" ? line : line.replacingOccurrences(of: "\"", with: "'")
          return (index == 0 ? "" : quote + ", " + quote) + escaped
        }.joined()
      }
    }
  }

  static let requirementPattern = try! NSRegularExpression(
    pattern: #"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([^;#]*?)\s*(;[^#]*?)?\s*$"#)

  static func parse(_ body: String) -> (name: String, extras: String, spec: String, marker: String)? {
    let ns = body as NSString
    guard let match = requirementPattern.firstMatch(in: body, range: NSRange(location: 0, length: ns.length)) else { return nil }
    func group(_ index: Int) -> String {
      let range = match.range(at: index)
      return range.location == NSNotFound ? "" : ns.substring(with: range)
    }
    let spec = group(3)
    // A spec is version clauses only (a URL or a path is not touched).
    guard spec.isEmpty || spec.range(of: #"^(?:[<>=!~]=?=?\s*[\w.*+!-]+\s*,?\s*)+$"#, options: .regularExpression) != nil else { return nil }
    return (group(1), group(2), spec, group(4))
  }

  /// The requirements of a file: each line of a requirements file, each string of
  /// `install_requires` in setup.py (the list, or the variable it names).
  static func requirements(in text: String, path: String) -> [Requirement] {
    var result: [Requirement] = []
    if path.hasSuffix(".txt") {
      var lineStart = text.startIndex
      var number = 0
      while lineStart < text.endIndex {
        number += 1
        let lineEnd = text[lineStart...].firstIndex(where: \.isNewline) ?? text.endIndex
        let outerEnd = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
        var bodyEnd = lineEnd
        if let hash = text[lineStart..<lineEnd].range(of: " #")?.lowerBound ?? (text[lineStart..<lineEnd].hasPrefix("#") ? lineStart : nil) {
          bodyEnd = hash
        }
        if bodyEnd > lineStart, text[text.index(before: bodyEnd)] == "\r" { bodyEnd = text.index(before: bodyEnd) }
        let body = String(text[lineStart..<bodyEnd])
        let trimmed = body.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, !trimmed.hasPrefix("-"), let parsed = parse(body) {
          let start = text.index(lineStart, offsetBy: body.prefix { $0 == " " || $0 == "\t" }.count)
          var end = bodyEnd
          while end > start, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" { end = text.index(before: end) }
          result.append(
            Requirement(
              path: path, line: number, name: parsed.name, extras: parsed.extras, spec: parsed.spec, marker: parsed.marker,
              range: start..<end, outer: lineStart..<outerEnd, form: .line, quote: "", indent: ""))
        }
        lineStart = outerEnd
      }
      return result
    }
    // setup.py
    guard let list = installRequiresList(in: text) else { return [] }
    let literal = try! NSRegularExpression(pattern: #"(['"])([^'"\n]*)\1"#)
    let ns = text as NSString
    for match in literal.matches(in: text, range: NSRange(list, in: text)) {
      guard let outer = Range(match.range, in: text), let inner = Range(match.range(at: 2), in: text),
        let parsed = parse(String(text[inner]))
      else { continue }
      let quote = ns.substring(with: match.range(at: 1))
      let lineStart = text[..<outer.lowerBound].lastIndex(where: \.isNewline).map { text.index(after: $0) } ?? text.startIndex
      let before = text[lineStart..<outer.lowerBound]
      let lineEnd = text[outer.upperBound...].firstIndex(where: \.isNewline) ?? text.endIndex
      let after = text[outer.upperBound..<lineEnd].trimmingCharacters(in: .whitespaces)
      let own = before.allSatisfy { $0 == " " || $0 == "\t" } && (after.isEmpty || after == "," || after.hasPrefix("#") || after.hasPrefix(",#") || after.hasPrefix(", #"))
      result.append(
        Requirement(
          path: path, line: text[..<outer.lowerBound].filter(\.isNewline).count + 1, name: parsed.name, extras: parsed.extras,
          spec: parsed.spec, marker: parsed.marker, range: inner, outer: outer, form: own ? .ownLine : .inline, quote: quote,
          indent: String(before)))
    }
    return result
  }

  /// The source range of `install_requires`' list: `install_requires=[...]`, or the list
  /// assigned to the variable it names.
  static func installRequiresList(in text: String) -> Range<String.Index>? {
    // The first `install_requires=` outside a comment.
    var search = text.startIndex..<text.endIndex
    var found: Range<String.Index>?
    while let candidate = text.range(of: #"install_requires\s*=\s*"#, options: .regularExpression, range: search) {
      let lineStart = text[..<candidate.lowerBound].lastIndex(where: \.isNewline).map { text.index(after: $0) } ?? text.startIndex
      if !text[lineStart..<candidate.lowerBound].contains("#") {
        found = candidate
        break
      }
      search = candidate.upperBound..<text.endIndex
    }
    guard let keyword = found else { return nil }
    var open: String.Index?
    if keyword.upperBound < text.endIndex, text[keyword.upperBound] == "[" {
      open = keyword.upperBound
    } else if let name = text[keyword.upperBound...].range(of: #"^[A-Za-z_]\w*"#, options: .regularExpression) {
      let variable = String(text[name])
      if let assignment = text.range(of: "(?m)^[ \\t]*\(variable)[ \\t]*=[ \\t]*\\[", options: .regularExpression) {
        open = text.index(before: assignment.upperBound)
      }
    }
    guard let open else { return nil }
    // The matching bracket, outside strings and comments.
    var depth = 0
    var index = open
    var quote: Character?
    while index < text.endIndex {
      let character = text[index]
      if let q = quote {
        if character == q { quote = nil }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character == "#" {
        index = text[index...].firstIndex(where: \.isNewline) ?? text.endIndex
        continue
      } else if character == "[" {
        depth += 1
      } else if character == "]" {
        depth -= 1
        if depth == 0 { return open..<text.index(after: index) }
      }
      index = text.index(after: index)
    }
    return nil
  }

  // MARK: Imports

  /// `PIL`, `Mezzanine`, `django_compressor` → `pil`, `mezzanine`, `django-compressor`.
  public static func normalized(_ name: String) -> String {
    let base = name.prefix { !"<>=!~ ;[@\t".contains($0) }
    return base.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
  }

  /// The import names a distribution may have: the table's `imports`, else its own name.
  static func importName(of key: String, table: [String: [String: String]]) -> Set<String> {
    if let names = table[key]?["imports"] { return Set(names.split(separator: " ").map(String.init)) }
    return [key.replacingOccurrences(of: "-", with: "_"), key.replacingOccurrences(of: "-", with: "")]
  }

  /// The top-level modules the tree's Python files import (lower case).
  static func importedModules(_ files: [String: String]) -> Set<String> {
    let pattern = try! NSRegularExpression(pattern: #"(?m)^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b|import[ \t]+([A-Za-z_][\w., \t]*))"#)
    var result: Set<String> = []
    for text in files.values {
      let ns = text as NSString
      for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
        if match.range(at: 1).location != NSNotFound { result.insert(ns.substring(with: match.range(at: 1)).lowercased()) }
        if match.range(at: 2).location != NSNotFound {
          for part in ns.substring(with: match.range(at: 2)).split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).prefix { $0 != "." && $0 != " " }
            if !name.isEmpty { result.insert(name.lowercased()) }
          }
        }
      }
    }
    return result
  }

  /// Modules the tree itself provides (a `name.py` or a `name/__init__.py` anywhere).
  static func localModules(_ paths: [String]) -> Set<String> {
    var result: Set<String> = []
    for path in paths where path.hasSuffix(".py") {
      let parts = path.split(separator: "/")
      if parts.last == "__init__.py", parts.count >= 2 { result.insert(parts[parts.count - 2].lowercased()) } else if path != "setup.py" {
        result.insert(String(parts.last!.dropLast(3)).lowercased())
      }
    }
    return result
  }
}

/// What a log says about the requirements, for ``RequirementsCodemod``.
public enum RequirementHint: Hashable, Sendable {
  /// A package failed to build or install.
  case failing(String)
  /// pip found no distribution of the package at all.
  case noDistribution(String)
  /// pip's conflict names a line of a requirements file.
  case conflictLine(file: String, line: Int)

  /// The rules whose log findings speak of the requirements.
  static let rules: Set<String> = ["s2i-pip-install-failed", "python-package-python2-only", "pip-resolution-impossible"]

  /// The hints of log findings (not predictions): every package each finding's lines name.
  public static func from(_ findings: [Finding]) -> [RequirementHint] {
    var result: [RequirementHint] = []
    func add(_ hint: RequirementHint) { if !result.contains(hint) { result.append(hint) } }
    for finding in findings where !finding.predicted && rules.contains(finding.rule.id) {
      if let package = finding.captures["package"], finding.rule.id != "pip-resolution-impossible" {
        add(.failing(RequirementsCodemod.normalized(package)))
      }
      for line in finding.evidence.map(\.text) {
        for (pattern, kind) in patterns {
          guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
          let ns = line as NSString
          for match in regex.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let value = ns.substring(with: match.range(at: 1))
            switch kind {
            case 0: add(.failing(RequirementsCodemod.normalized(value)))
            case 1: add(.noDistribution(RequirementsCodemod.normalized(value)))
            default:
              if let number = Int(ns.substring(with: match.range(at: 2))) { add(.conflictLine(file: value, line: number)) }
            }
          }
        }
      }
    }
    // Django is moved by its own rule, never loosened here.
    return result.filter { $0 != .failing("django") && $0 != .noDistribution("django") }
  }

  /// Evidence line patterns: 0 a failing package, 1 no distribution, 2 a requirements line.
  static let patterns: [(String, Int)] = [
    (#"Building wheel for ([A-Za-z0-9][\w.-]*) \([^)]*\): finished with status 'error'"#, 0),
    (#"Failed (?:to build|building wheel for) '?(?!file:)([A-Za-z0-9][\w.-]*)"#, 0),
    (#"No matching distribution found for ([A-Za-z0-9][\w.-]*)"#, 1),
    (#"-r ([\w./-]+\.txt) \(line (\d+)\)"#, 2),
  ]
}
