import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// The file changes and commands of one run, merged: one final content per file, in a
/// stable order, so that three rules that each add a line to `.s2i/environment` produce one
/// coherent file.
///
/// Every action is idempotent: applying an action whose effect is already in the file changes
/// nothing. Actions are applied in the order given (root causes first). A path that leaves the
/// tree, or an edit that contradicts the file or an earlier edit, is not guessed at: it is
/// recorded in ``conflicts`` and the file keeps what it had.
public struct Plan {
  /// One file's state in the plan.
  public struct FileChange: Sendable, Equatable {
    public var path: String
    /// The content before (nil: the file does not exist).
    public var original: String?
    public var originalMode: Int?
    /// The content after.
    public var content: String
    public var mode: Int
    /// Rule ids whose actions touched the file, in order.
    public var rules: [String]
    /// Whether the file exists after the plan (an empty file may be created).
    public var exists: Bool

    public init(path: String, original: String?, originalMode: Int?, content: String, mode: Int, rules: [String]) {
      self.path = path
      self.original = original
      self.originalMode = originalMode
      self.content = content
      self.mode = mode
      self.rules = rules
      self.exists = original != nil || !content.isEmpty
    }

    public var isNew: Bool { original == nil }
    public var isChanged: Bool {
      guard let original else { return exists }
      return original != content || (originalMode != nil && originalMode != mode)
    }
  }

  /// A command to run, with the rule it comes from.
  public struct Command: Sendable, Equatable {
    public var run: String
    public var why: String?
    public var rule: String
  }

  public private(set) var files: [String: FileChange] = [:]
  /// Paths in the order they were first touched.
  public private(set) var order: [String] = []
  public private(set) var commands: [Command] = []
  /// Edits that were not made, and why.
  public private(set) var conflicts: [String] = []
  /// What was already in place or assumed, for people to read.
  public private(set) var notes: [String] = []

  /// Reads the current content of a path (relative to the tree), or nil when absent.
  public typealias Reader = (String) -> (content: String, mode: Int)?
  let reader: Reader
  /// False when there is no source tree to read: edits of existing files cannot be planned.
  let hasTree: Bool
  /// The tree's files (relative paths), for actions that name files by glob (`codemod`).
  let listing: [String]
  /// Codemods asked for, run by ``finish()`` (``Recommender`` runs them before every other
  /// action), in ``codemodOrder``.
  private var codemods: [(tool: String, files: [String], rule: String)] = []

  /// - Parameters:
  ///   - reader: the current files.
  ///   - hasTree: false for a plan without a source tree (the reader knows no file).
  ///   - listing: the tree's files, for codemods.
  public init(hasTree: Bool = true, listing: [String] = [], reader: @escaping Reader) {
    self.reader = reader
    self.hasTree = hasTree
    self.listing = listing
  }

  /// Files a codemod leaves alone: copies of other projects' code committed with the app
  /// (a browser's Python under `static/`, a committed virtualenv or library folder).
  static func vendored(_ path: String) -> Bool {
    let parts = path.split(separator: "/").dropLast()
    return parts.contains { ["static", "staticfiles", "media", "site-packages", "dist-packages", "node_modules", "vendor"].contains($0) }
      || parts.contains { $0.hasPrefix("python2.") || $0.hasPrefix("python3.") }
  }

  /// The order codemods run in, whatever order the rules asked: Python 3 syntax first (the
  /// others parse Python 3 only), Django's API last.
  static let codemodOrder = [RequirementsCodemod.tool, "2to3", "logrx-django1", "pyupgrade", "django-upgrade"]

  /// What the logs say about the requirements, and the package table, for
  /// ``RequirementsCodemod`` (set by ``Recommender``).
  public var requirementHints: [RequirementHint] = []
  public var packageTable: [String: [String: String]] = [:]

  /// Runs the codemods asked for (each tool once, over the union of the files asked), on a
  /// scratch copy of the files as the plan has them so far. A tool that is missing or fails
  /// changes nothing and is recorded in ``conflicts``.
  public mutating func finish() {
    let asked = codemods
    codemods = []
    for tool in Self.codemodOrder {
      let requests = asked.filter { $0.tool == tool }
      guard !requests.isEmpty else { continue }
      let globs = Set(requests.flatMap(\.files)).sorted().compactMap { try? Glob($0) }
      let rules = requests.map(\.rule).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      let candidates = (listing + order).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      var inputs: [String: String] = [:]
      for path in candidates where globs.contains(where: { $0.matches(path) }) {
        guard FixPath.safe(path) == path, !Self.vendored(path) else { continue }
        let file = load(path)
        guard file.exists || file.original != nil, !file.content.isEmpty, !Self.isBinary(file.original) else { continue }
        inputs[path] = file.content
      }
      guard !inputs.isEmpty else { continue }
      let outcome: Codemod.Outcome
      if tool == RequirementsCodemod.tool {
        let result = RequirementsCodemod.run(files: inputs, table: packageTable, hints: requirementHints)
        notes += result.notes
        outcome = Codemod.Outcome(changed: result.changed, problem: nil, skipped: [])
      } else {
        outcome = Codemod.run(tool: tool, files: inputs)
      }
      if let problem = outcome.problem {
        conflicts.append("\(problem) (from \(rules.joined(separator: ", ")))")
        continue
      }
      for skipped in outcome.skipped { notes.append("\(tool) left \(skipped)") }
      for (path, content) in outcome.changed.sorted(by: { $0.key < $1.key }) {
        var file = load(path)
        file.content = content
        file.exists = true
        for rule in rules where !file.rules.contains(rule) { file.rules.append(rule) }
        store(file)
      }
    }
  }

  /// The files whose content or mode changes, in the order they were first touched.
  public var changes: [FileChange] { order.compactMap { files[$0] }.filter(\.isChanged) }

  /// Applies one resolved fix action from `rule`.
  public mutating func apply(_ fix: ResolvedFix, rule: String) {
    if case .codemod(let tool, let globs) = fix {
      guard hasTree else {
        conflicts.append("\(rule) rewrites the tree's files with \(tool), which needs them: pass --source DIR")
        return
      }
      codemods.append((tool, globs, rule))
      return
    }
    guard let path = fix.file else {
      if case .command(let run, let why) = fix { addCommand(run, why: why, rule: rule) }
      return
    }
    guard let safe = FixPath.safe(path) else {
      conflicts.append((FixPath.problem(path) ?? .outsideTree(path)).description + " (from \(rule))")
      return
    }
    var file = load(safe)
    let before = file
    switch fix {
    case .env(_, let set):
      for assignment in set { setEnv(key: assignment.key, value: assignment.value, in: &file, rule: rule) }
    case .requirement(_, let package):
      // A bare name that is a module file of the tree's own (`views.py`, `wsgi/cmsimply.py`) is
      // not a distribution: pip would install whatever PyPI has under that name. The code
      // imports it from a folder Python does not search; other findings say which.
      if let own = ownModule(package) {
        notes.append("\(safe): \(package) not added (\(rule)): it is the tree's own module \(own), not a package to install")
        return
      }
      ensureRequirement(package, in: &file)
    case .create(_, let mode, let content):
      create(content: content, mode: mode, in: &file, rule: rule)
    case .ensureLine(_, let line):
      ensureLine(line, in: &file)
    case .pythonBlock(_, let name, let block):
      if file.original == nil, files[safe] == nil {
        conflicts.append(missingFile(safe, rule: rule))
        return
      }
      if !SourceTree.assigns(name, in: file.content) {
        appendBlock(PythonBlock.withoutBoundImports(block, in: file.content), to: &file)
      }
    case .replace(_, let regex, let replacement, let unless):
      replace(regex, with: replacement, unless: unless, in: &file, rule: rule)
    case .chmod(_, let mode):
      if file.original == nil, files[safe] == nil {
        // Without the tree the patch cannot carry the mode: say what to run instead.
        if hasTree {
          notes.append("\(safe): not in the tree, no mode to change (\(rule))")
        } else {
          let run = "chmod \(String(mode, radix: 8)) \(safe) && git update-index --chmod=\(mode & 0o100 != 0 ? "+" : "-")x \(safe)"
          addCommand(run, why: "give \(safe) mode \(String(mode, radix: 8)) in the repository S2I builds from", rule: rule)
        }
        return
      }
      // git records only the run bit: change the mode when that differs.
      if (file.mode & 0o111 != 0) != (mode & 0o111 != 0) { file.mode = FixPath.gitMode(mode) }
    case .command, .codemod:
      return
    }
    if file.content != before.content { file.exists = true }
    if file != before {
      if !file.rules.contains(rule) { file.rules.append(rule) }
      store(file)
    }
  }

  // MARK: Actions

  /// A command once, in the order first asked for.
  private mutating func addCommand(_ run: String, why: String?, rule: String) {
    guard !commands.contains(where: { $0.run == run }) else { return }
    commands.append(Command(run: run, why: why, rule: rule))
  }

  private func load(_ path: String) -> FileChange {
    if let existing = files[path] { return existing }
    let current = reader(path)
    return FileChange(
      path: path, original: current?.content, originalMode: current?.mode, content: current?.content ?? "",
      mode: current?.mode ?? 0o644, rules: [])
  }

  private mutating func store(_ file: FileChange) {
    if files[file.path] == nil { order.append(file.path) }
    files[file.path] = file
  }

  private mutating func setEnv(key: String, value: String, in file: inout FileChange, rule: String) {
    let assignment = "\(key)=\(value)"
    var lines = Self.lines(file.content)
    if let index = lines.firstIndex(where: { Self.envKey($0) == key }) {
      let existing = Self.envValue(lines[index])
      if existing == value { return }
      let setHere = !(file.original.map { Self.lines($0).contains(lines[index]) } ?? false)
      if setHere {
        conflicts.append("\(file.path): \(rule) wants \(key)=\(value), but an earlier fix set \(key)=\(existing); kept the first")
      } else {
        notes.append("\(file.path) already sets \(key)=\(existing); \(rule) suggests \(value), left as it is")
      }
      return
    }
    lines.append(Self.terminated(assignment, like: file.content))
    file.content = lines.joined()
  }

  /// The tree's own single-file module of that name (outside vendored folders), when the
  /// requirement is a bare name.
  func ownModule(_ package: String) -> String? {
    guard hasTree, package.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else { return nil }
    return listing.first { path in
      (path == "\(package).py" || path.hasSuffix("/\(package).py")) && !Self.vendored(path) && path != "setup.py"
    }
  }

  private func ensureRequirement(_ package: String, in file: inout FileChange) {
    let wanted = Self.requirementName(package)
    let lines = Self.lines(file.content)
    if lines.contains(where: { Self.requirementName($0) == wanted }) { return }
    file.content = Self.endingWithNewline(file.content) + Self.terminated(package, like: file.content)
  }

  private mutating func create(content: String, mode requested: Int, in file: inout FileChange, rule: String) {
    // Whatever a rule pack says, a created file gets a mode git can record: 0644 or 0755.
    let mode = FixPath.gitMode(requested)
    if file.original == nil, files[file.path] == nil {
      file.content = content
      file.mode = mode
      file.exists = true
      return
    }
    if Self.sameText(file.content, content) {
      // Same text: only make sure of the mode (an app.sh without its run bit).
      if mode & 0o111 != 0 { file.mode |= 0o111 }
      return
    }
    let source = file.original == nil ? "another fix creates it" : "it exists"
    conflicts.append("\(file.path): \(rule) would create it, but \(source) with other content; left as it is")
  }

  private func ensureLine(_ line: String, in file: inout FileChange) {
    let wanted = line.trimmingCharacters(in: .whitespaces)
    if Self.lines(file.content).contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == wanted }) { return }
    file.content = Self.endingWithNewline(file.content) + Self.terminated(line, like: file.content)
  }

  private func appendBlock(_ block: String, to file: inout FileChange) {
    var text = Self.endingWithNewline(file.content)
    if !text.isEmpty, !Self.endsWithBlankLine(text) { text += Self.newline(of: file.content) }
    let body = Self.endsWithNewline(block) ? block : block + "\n"
    text += Self.newline(of: file.content) == "\r\n" ? body.replacingOccurrences(of: "\n", with: "\r\n") : body
    file.content = text
  }

  private mutating func replace(_ pattern: String, with replacement: String, unless: String?, in file: inout FileChange, rule: String) {
    guard file.original != nil || files[file.path] != nil else {
      // Nothing to replace in a file the tree does not have; without a tree, say what is missing.
      if hasTree { notes.append("\(file.path): not in the tree, nothing to replace there (\(rule))") } else {
        conflicts.append(missingFile(file.path, rule: rule))
      }
      return
    }
    guard !Self.isBinary(file.original) else {
      notes.append("\(file.path): not text (NUL bytes or not UTF-8), left as it is (\(rule))")
      return
    }
    guard let regex = try? Regex("(?m)" + pattern) else { return }
    let matcher = RegexMatcher()
    if let unless, let guardRegex = try? Regex("(?m)" + unless),
      case .match = matcher.match(guardRegex, in: file.content)
    {
      return
    }
    let bytes = Array(file.content.utf8)
    var result: [UInt8] = []
    var offset = 0
    var changed = false
    // Replace every non-empty match, left to right.
    while offset < bytes.count {
      let outcome = bytes[offset...].withUnsafeBytes { matcher.match(regex, in: $0) }
      guard case .match(let range, let groups) = outcome, !range.isEmpty else { break }
      result += bytes[offset..<(offset + range.lowerBound)]
      let text = groups.mapValues { String(decoding: bytes[(offset + $0.lowerBound)..<(offset + $0.upperBound)], as: UTF8.self) }
      result += Array(ReplacementGroups.substitute(replacement, text).utf8)
      changed = true
      offset += range.upperBound
    }
    guard changed else { return }
    if offset < bytes.count { result += bytes[offset...] }
    file.content = String(decoding: result, as: UTF8.self)
  }

  private func missingFile(_ path: String, rule: String) -> String {
    hasTree
      ? "\(path): no such file to edit (from \(rule))"
      : "\(path): \(rule) edits this file, which needs its current content: pass --source DIR"
  }

  // MARK: Text helpers

  /// Lines with their terminators.
  package static func lines(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    for character in text {
      current.append(character)
      if character == "\n" || character == "\r\n" {
        result.append(current)
        current = ""
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  static func newline(of text: String) -> String { text.contains("\r\n") ? "\r\n" : "\n" }

  static func terminated(_ line: String, like text: String) -> String { line + newline(of: text) }

  static func endingWithNewline(_ text: String) -> String {
    text.isEmpty || endsWithNewline(text) ? text : text + newline(of: text)
  }

  /// Byte-wise: in Swift `"a\r\n".hasSuffix("\n")` is false, as `\r\n` is one Character.
  package static func endsWithNewline(_ text: String) -> Bool { text.utf8.last == 0x0A }

  static func endsWithBlankLine(_ text: String) -> Bool {
    let bytes = Array(text.utf8.suffix(4))
    return bytes.suffix(2) == [0x0A, 0x0A] || bytes == [0x0D, 0x0A, 0x0D, 0x0A]
  }

  static func sameText(_ lhs: String, _ rhs: String) -> Bool {
    lhs.replacingOccurrences(of: "\r\n", with: "\n") == rhs.replacingOccurrences(of: "\r\n", with: "\n")
  }

  static func envKey(_ line: String) -> String? {
    var text = line.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("#") { return nil }
    if text.hasPrefix("export ") { text = String(text.dropFirst(7)) }
    guard let equals = text.firstIndex(of: "=") else { return nil }
    return String(text[..<equals]).trimmingCharacters(in: .whitespaces)
  }

  static func envValue(_ line: String) -> String {
    let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let equals = text.firstIndex(of: "=") else { return "" }
    return String(text[text.index(after: equals)...])
  }

  /// `Django>=1.8` → `django`; `mod_wsgi` and `mod-wsgi` are one name.
  static func requirementName(_ line: String) -> String {
    let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("#") || text.hasPrefix("-") { return "" }
    let name = text.prefix { !"<>=!~ ;[@\t".contains($0) }
    return name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
  }
}
