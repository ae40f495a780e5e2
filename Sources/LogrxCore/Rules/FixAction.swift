/// One step of a fix, from the small idempotent vocabulary of DESIGN.md.
///
/// Paths and contents are templates: they may name captures (`${var}`), the input's identity
/// (`${source.dc}`) and locations in the app's tree (`${tree.settings}`).
public enum FixAction: Sendable, Hashable {
  /// Set `KEY=VALUE` lines in an env file such as `.s2i/environment`.
  case env(file: Template, set: [(key: Template, value: Template)])
  /// Ensure a package is listed in a requirements file.
  case requirement(file: Template, package: Template)
  /// Create a file with a mode unless it exists.
  case create(path: Template, mode: Int, content: Template)
  /// Append a line unless the file already has it.
  case ensureLine(file: Template, line: Template)
  /// Insert a block into a Python file unless `name` is already assigned there.
  case pythonBlock(file: Template, unlessDefined: String, block: Template)
  /// Replace the matches of a regex in a file (skipped when the file matches `unless`);
  /// `$<name>` in the replacement is the match's named group.
  case replace(file: Template, regex: String, with: Template, unless: String?)
  /// Give an existing file a mode (the run bit of a start script or hook).
  case chmod(file: Template, mode: Int)
  /// A command for the user to run.
  case command(run: Template, why: Template?)

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
    }
  }

  /// Every template in the action, for validation.
  public var templates: [Template] {
    switch self {
    case .env(let file, let set): [file] + set.flatMap { [$0.key, $0.value] }
    case .requirement(let file, let package): [file, package]
    case .create(let path, _, let content): [path, content]
    case .ensureLine(let file, let line): [file, line]
    case .pythonBlock(let file, _, let block): [file, block]
    case .replace(let file, _, let with, _): [file, with]
    case .chmod(let file, _): [file]
    case .command(let run, let why): [run] + (why.map { [$0] } ?? [])
    }
  }

  public static func == (lhs: FixAction, rhs: FixAction) -> Bool { lhs.templates == rhs.templates && lhs.kind == rhs.kind }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(templates)
  }
}

/// A fix action with a condition: skipped when the named capture is empty.
public struct ConditionalFix: Sendable, Hashable {
  public var action: FixAction
  public var when: String?
}

/// A fix action with its templates filled in for one finding.
public struct ResolvedFix: Sendable, Hashable, Codable {
  /// `env`, `requirement`, `create`, `ensure_line`, `python_block`, `replace`, `chmod` or `command`.
  public var kind: String
  /// The file the action edits (absent for commands).
  public var file: String?
  /// For `create` and `chmod`: the file mode, such as `0755`.
  public var mode: String?
  /// For `env`: the assignments in order, `KEY=VALUE`.
  public var set: [String]?
  /// For `requirement`: the package; for `ensure_line`: the line.
  public var line: String?
  /// For `create` and `python_block`: the text to write.
  public var content: String?
  /// For `python_block`: the name whose definition makes the block unnecessary.
  public var unlessDefined: String?
  /// For `replace`: the regex and its replacement, and the regex that makes it unnecessary.
  public var regex: String?
  public var replacement: String?
  public var unlessMatch: String?
  /// For `command`: the command line and why to run it.
  public var run: String?
  public var why: String?

  /// An action of `kind` with every field empty; set the fields that kind uses.
  public init(kind: String) { self.kind = kind }

  /// One line that says what the action does, for people.
  public var summary: String {
    switch kind {
    case "env": "set \((set ?? []).joined(separator: ", ")) in \(file ?? "?")"
    case "requirement": "add \(line ?? "?") to \(file ?? "?")"
    case "create": "create \(file ?? "?")" + (mode.map { " (mode \($0))" } ?? "")
    case "ensure_line": "add the line `\(line ?? "")` to \(file ?? "?")"
    case "python_block": "add a \(unlessDefined ?? "") block to \(file ?? "?")"
    case "replace": "in \(file ?? "?"), replace `\(regex ?? "")` with `\(replacement ?? "")`"
    case "chmod": "make \(file ?? "?") mode \(mode ?? "?")"
    case "command": "run: \(run ?? "")"
    default: kind
    }
  }

  enum CodingKeys: String, CodingKey {
    case kind, file, mode, set, line, content
    case unlessDefined = "unless_defined"
    case regex, replacement
    case unlessMatch = "unless"
    case run, why
  }
}

extension FixAction {
  /// Fills the templates with `value`.
  public func resolved(_ value: (String) -> String?) -> ResolvedFix {
    var fix = ResolvedFix(kind: kind)
    switch self {
    case .env(let file, let set):
      fix.file = file.render(value)
      fix.set = set.map { "\($0.key.render(value))=\($0.value.render(value))" }
    case .requirement(let file, let package):
      fix.file = file.render(value)
      fix.line = package.render(value)
    case .create(let path, let mode, let content):
      fix.file = path.render(value)
      fix.mode = "0" + String(mode, radix: 8)
      fix.content = content.render(value)
    case .ensureLine(let file, let line):
      fix.file = file.render(value)
      fix.line = line.render(value)
    case .pythonBlock(let file, let name, let block):
      fix.file = file.render(value)
      fix.unlessDefined = name
      fix.content = block.render(value)
    case .replace(let file, let regex, let with, let unless):
      fix.file = file.render(value)
      fix.regex = regex
      fix.replacement = with.render(value)
      fix.unlessMatch = unless
    case .chmod(let file, let mode):
      fix.file = file.render(value)
      fix.mode = "0" + String(mode, radix: 8)
    case .command(let run, let why):
      fix.run = run.render(value)
      fix.why = why?.render(value)
    }
    return fix
  }
}
