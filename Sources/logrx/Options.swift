import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

#if canImport(Glibc)
  import Glibc
#endif

/// Which rules are in force.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "Add rules: a folder of rule .yaml files, or a pack compiled from one by `logrx rules compile` (repeatable). A rule with a built-in rule's id replaces it.",
      valueName: "dir-or-pack"))
  var directories: [String] = []

  @Flag(name: .customLong("no-builtin"), help: "Use only the rules from --rules, not the built-in ones.")
  var noBuiltin = false

  /// Opens the --rules folders and packs and `extra` ones after them; a pack that cannot be
  /// used (stale, damaged, from another version) ends the run with its message and exit 2.
  /// Packs' rules come with their examples only with `examples` (`rules show`, `rules test`).
  func inputs(adding extra: [String] = [], examples: Bool = false) throws -> (inputs: [RuleInput], diagnostics: [Diagnostic]) {
    var inputs: [RuleInput] = []
    var diagnostics: [Diagnostic] = []
    for path in directories + extra {
      do {
        let (input, problems) = try RuleInput.open(path, examples: examples)
        inputs.append(input)
        diagnostics += problems
      } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
    }
    return (inputs, diagnostics)
  }

  /// Loads the catalog (with `extra` folders or packs after the --rules ones) without saying
  /// its problems.
  func load(adding extra: [String] = [], examples: Bool = false) throws -> RuleCatalog {
    let (inputs, diagnostics) = try inputs(adding: extra, examples: examples)
    return RuleCatalog.load(builtin: !noBuiltin, inputs: inputs, initialDiagnostics: diagnostics)
  }

  /// Loads the catalog; rule-file problems go to standard error.
  func catalog(examples: Bool = false) throws -> RuleCatalog {
    let catalog = try load(examples: examples)
    for diagnostic in catalog.diagnostics { Terminal.error("\(diagnostic)") }
    return catalog
  }
}

/// Whether credentials in log lines are hidden in the output.
struct RedactionOptions: ParsableArguments {
  @Flag(
    name: .customLong("no-redact"),
    help: "Show log lines as they are: do not hide passwords, tokens, URL credentials, AWS keys and private keys.")
  var noRedact = false

  var redactor: Redactor { Redactor(enabled: !noRedact) }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// How results are written and when the exit code says "failed".
struct OutputOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("Colour: auto (on a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
  var color: ColorChoice = .auto

  @Option(
    name: .customLong("fail-on"),
    help: ArgumentHelp("Exit with 1 when a finding has this severity or higher: info, warning, error, or none.", valueName: "severity"))
  var failOn: FailOn = .error

  @Option(
    name: .customLong("max-findings"),
    help: ArgumentHelp("Stop reading after this many distinct findings (a quick look at a huge input).", valueName: "n"))
  var maxFindings: Int?

  func validate() throws {
    if let maxFindings, maxFindings < 1 { throw ValidationError("--max-findings must be at least 1.") }
  }

  /// Said on standard error when `--max-findings` ended the reading.
  func noteStoppedEarly(_ stopped: Bool) {
    guard stopped, let maxFindings else { return }
    Terminal.error("logrx: stopped after \(maxFindings) finding\(maxFindings == 1 ? "" : "s") (--max-findings); the rest of the input was not read")
  }

  var style: TextStyle {
    switch color {
    case .always: TextStyle(color: true)
    case .never: TextStyle(color: false)
    case .auto: TextStyle(color: Terminal.isTerminal(1) && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true))
    }
  }

  /// 0 or 1 by the findings; 2 when an input or rule file could not be read.
  func exitCode(findings: [Finding], runtimeErrors: Bool) -> Int32 {
    exitCode(severities: findings.map(\.rule.severity), runtimeErrors: runtimeErrors)
  }

  /// 0 or 1 by the severities of the findings that count; 2 when an input or rule file could
  /// not be read.
  func exitCode(severities: [Severity], runtimeErrors: Bool) -> Int32 {
    if runtimeErrors { return 2 }
    guard let threshold = failOn.severity else { return 0 }
    return severities.contains { $0 >= threshold } ? 1 : 0
  }
}

enum FailOn: String, ExpressibleByArgument, CaseIterable {
  case info, warning, error, none
  var severity: Severity? { Severity(rawValue: rawValue) }
}

/// `--source DIR`: the app's source tree, or nothing.
enum SourceTreeOption {
  /// Opens the tree; a path that is not a folder, or a folder with no Python app in it (no
  /// `.py` file or Python packaging: a Node.js app, an empty folder), ends the run with its
  /// message and exit 2.
  static func open(_ path: String?) throws -> SourceTree? {
    guard let path else { return nil }
    let tree: SourceTree
    do { tree = try SourceTree(path: path) } catch {
      Terminal.error("logrx: \(error)")
      throw ExitCode(2)
    }
    guard tree.holdsPython else {
      Terminal.error(
        "logrx: \(path): not a Python app: \(tree.otherKind), with no .py file, requirements.txt, setup.py, Pipfile "
          + "or pyproject.toml. logrx fits its fixes to Python apps (Django, Flask, Bottle, Pyramid); "
          + "to read the logs alone, leave out --source (logrx explain LOG).")
      throw ExitCode(2)
    }
    return tree
  }
}
