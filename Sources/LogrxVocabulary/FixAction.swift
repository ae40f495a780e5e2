import LogrxMatching

/// One `KEY=VALUE` line of an `env` action.
public struct Assignment<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
  public var key: Value
  public var value: Value

  public init(key: Value, value: Value) {
    self.key = key
    self.value = value
  }
}

/// One step of a fix, from the small idempotent vocabulary of DESIGN.md.
///
/// Generic over its values: in a rule they are ``Template``s that may name captures
/// (`${var}`), the input's identity (`${source.dc}`) and locations in the app's tree
/// (`${tree.settings}`); once filled in for a finding they are strings (``ResolvedFix``).
/// Adding a kind makes the compiler point at every switch that must handle it.
public enum FixAction<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
  /// Set `KEY=VALUE` lines in an env file such as `.s2i/environment`.
  case env(file: Value, set: [Assignment<Value>])
  /// Ensure a package is listed in a requirements file.
  case requirement(file: Value, package: Value)
  /// Create a file with a mode unless it exists.
  case create(path: Value, mode: Int, content: Value)
  /// Append a line unless the file already has it.
  case ensureLine(file: Value, line: Value)
  /// Insert a block into a Python file unless `unlessDefined` is already assigned there.
  case pythonBlock(file: Value, unlessDefined: String, block: Value)
  /// Replace the matches of a regex in a file (skipped when the file matches `unless`);
  /// `$<name>` in the replacement is the match's named group. The regex may name captures
  /// (`^${package}==`), filled in as text to match.
  case replace(file: Value, regex: Value, with: Value, unless: String?)
  /// Give an existing file a mode (the run bit of a start script or hook).
  case chmod(file: Value, mode: Int)
  /// A command for the user to run.
  case command(run: Value, why: Value?)
  /// Run a named, well-kept code rewriting tool (`2to3`, `django-upgrade`, `pyupgrade`) over
  /// the tree's files that match `files` (globs), on a scratch copy while planning; its edits
  /// become part of the patch. A tool that is missing or fails changes nothing (the plan says
  /// so).
  case codemod(tool: String, files: [String])

  /// The action's kind as written in rule files.
  public var kind: String {
    switch self {
    case .env: "env"
    case .requirement: "requirement"
    case .create: "create"
    case .ensureLine: "ensure_line"
    case .pythonBlock: "python_block"
    case .replace: "replace"
    case .chmod: "chmod"
    case .command: "command"
    case .codemod: "codemod"
    }
  }

  /// The file the action edits; nil for a command.
  public var file: Value? {
    switch self {
    case .env(let file, _), .requirement(let file, _), .create(let file, _, _), .ensureLine(let file, _),
      .pythonBlock(let file, _, _), .replace(let file, _, _, _), .chmod(let file, _):
      file
    case .command, .codemod: nil
    }
  }

  /// Every value in the action, in order (for validation).
  public var values: [Value] {
    switch self {
    case .env(let file, let set): [file] + set.flatMap { [$0.key, $0.value] }
    case .requirement(let file, let package): [file, package]
    case .create(let path, _, let content): [path, content]
    case .ensureLine(let file, let line): [file, line]
    case .pythonBlock(let file, _, let block): [file, block]
    case .replace(let file, let regex, let with, _): [file, regex, with]
    case .chmod(let file, _): [file]
    case .command(let run, let why): [run] + (why.map { [$0] } ?? [])
    case .codemod: []
    }
  }

  /// The same action with each value transformed.
  public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> FixAction<Other> {
    switch self {
    case .env(let file, let set):
      .env(file: try transform(file), set: try set.map { Assignment(key: try transform($0.key), value: try transform($0.value)) })
    case .requirement(let file, let package): .requirement(file: try transform(file), package: try transform(package))
    case .create(let path, let mode, let content): .create(path: try transform(path), mode: mode, content: try transform(content))
    case .ensureLine(let file, let line): .ensureLine(file: try transform(file), line: try transform(line))
    case .pythonBlock(let file, let name, let block): .pythonBlock(file: try transform(file), unlessDefined: name, block: try transform(block))
    case .replace(let file, let regex, let with, let unless):
      .replace(file: try transform(file), regex: try transform(regex), with: try transform(with), unless: unless)
    case .chmod(let file, let mode): .chmod(file: try transform(file), mode: mode)
    case .command(let run, let why): .command(run: try transform(run), why: try why.map(transform))
    case .codemod(let tool, let files): .codemod(tool: tool, files: files)
    }
  }

  /// The same action editing `file` instead (a command is returned as it is).
  public func editing(_ file: Value) -> FixAction {
    switch self {
    case .env(_, let set): .env(file: file, set: set)
    case .requirement(_, let package): .requirement(file: file, package: package)
    case .create(_, let mode, let content): .create(path: file, mode: mode, content: content)
    case .ensureLine(_, let line): .ensureLine(file: file, line: line)
    case .pythonBlock(_, let name, let block): .pythonBlock(file: file, unlessDefined: name, block: block)
    case .replace(_, let regex, let with, let unless): .replace(file: file, regex: regex, with: with, unless: unless)
    case .chmod(_, let mode): .chmod(file: file, mode: mode)
    case .command, .codemod: self
    }
  }
}

/// A fix action as a rule writes it: templates to fill in.
public typealias FixTemplate = FixAction<Template>

/// A fix action with its templates filled in for one finding.
public typealias ResolvedFix = FixAction<String>

/// A fix action with a condition: `when: NAME` skips it when the capture `NAME` is empty,
/// `when: "!NAME"` when it is not.
public struct ConditionalFix: Sendable, Hashable {
  public var action: FixTemplate
  public var when: String?

  public init(action: FixTemplate, when: String?) {
    self.action = action
    self.when = when
  }

  /// The capture the condition names, without its `!`.
  public var conditionName: String? { when.map { $0.hasPrefix("!") ? String($0.dropFirst()) : $0 } }

  /// Whether the action applies, given the finding's values.
  public func applies(_ value: (String) -> String?) -> Bool {
    guard let when, let name = conditionName else { return true }
    let present = !(value(name) ?? "").isEmpty
    return when.hasPrefix("!") ? !present : present
  }
}

extension FixAction where Value == Template {
  /// Fills the templates with `value`.
  public func resolved(_ value: (String) -> String?) -> ResolvedFix { resolved(value) { name, _ in "${\(name)}" } }

  /// Fills the templates with `value`; a name without one is filled by `missing`. In a
  /// replace's regex a value is matched as text (regex-escaped), and a name without one
  /// matches nothing.
  public func resolved(_ value: (String) -> String?, missing: (String, String) -> String) -> ResolvedFix {
    guard case .replace(let file, let regex, let with, let unless) = self else { return map { $0.render(value, missing: missing) } }
    return .replace(
      file: file.render(value, missing: missing), regex: regex.render({ value($0).map(regexEscaped) }, missing: { _, _ in "(?!)" }),
      with: with.render(value, missing: missing), unless: unless)
  }
}

extension FixAction {
  /// The tools a `codemod` action may name (LogrxRecommend knows how to run each).
  public static var codemodTools: [String] { ["2to3", "logrx-django1", "django-upgrade", "pyupgrade", "logrx-requirements"] }
}

extension FixAction where Value == String {
  /// One line that says what the action does, for people.
  public var summary: String {
    switch self {
    case .env(let file, let set): "set \(set.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) in \(file)"
    case .requirement(let file, let package): "add \(package) to \(file)"
    case .create(let path, let mode, _): "create \(path) (mode \(Self.octal(mode)))"
    case .ensureLine(let file, let line): "add the line `\(line)` to \(file)"
    case .pythonBlock(let file, let name, _): "add a \(name) block to \(file)"
    case .replace(let file, _, let with, _): Self.replaceSummary(file: file, with: with)
    case .chmod(let file, let mode): "make \(file) mode \(Self.octal(mode))"
    case .command(let run, _): "run: \(run)"
    case .codemod(let tool, let files): "rewrite \(files.joined(separator: ", ")) with \(tool) (run on a copy while planning)"
    }
  }

  /// The text the action writes as a whole (`create`, `python_block`); nil for other kinds.
  public var content: String? {
    switch self {
    case .create(_, _, let content), .pythonBlock(_, _, let content): content
    default: nil
    }
  }

  /// The command line of a command; nil for other kinds.
  public var run: String? {
    if case .command(let run, _) = self { return run }
    return nil
  }

  /// Why to run a command; nil for other kinds.
  public var why: String? {
    if case .command(_, let why) = self { return why }
    return nil
  }

  /// A replacement in words: its regex is for the machine, so only a short literal
  /// replacement (no `$<group>`) is shown.
  static func replaceSummary(file: String, with: String) -> String {
    let literal = !with.contains("$<") && !with.contains("\n") && !with.isEmpty && with.count <= 60
    return literal ? "in \(file), rewrite the matching text as `\(with)`" : "in \(file), rewrite the matching lines (the patch shows how)"
  }

  /// A mode as people and rule files write it: `0755`.
  public static func octal(_ mode: Int) -> String { "0" + String(mode, radix: 8) }
}
