import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// How `explain`, `fix` and `watch` speak of inputs that are not logs: an input that cannot be
/// read is `logrx: nope.log: no such file` on standard error (not a note in the report); empty
/// input is `logrx: no input`.
enum InputProblems {
  /// `logrx: FILE: problem`, the way cat and grep say it.
  static func line(_ diagnostic: Diagnostic) -> String {
    var message = diagnostic.message
    if let file = diagnostic.file, message.hasPrefix(file + ": ") { message.removeFirst(file.count + 2) }
    if message.hasSuffix("no such file or directory") || message.hasSuffix("No such file or directory") {
      message = String(message.dropLast(" or directory".count))
    }
    if let location = diagnostic.location { return "logrx: \(location): \(message)" }
    return diagnostic.file.map { "logrx: \($0): \(message)" } ?? "logrx: \(message)"
  }

  /// Says each input that could not be read on standard error; returns the other diagnostics
  /// (notes for the report, such as a skipped binary file or a cut line).
  static func sayUnreadable(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    for diagnostic in diagnostics where diagnostic.level == .error { Terminal.error(line(diagnostic)) }
    return diagnostics.filter { $0.level != .error }
  }

  /// True when nothing at all was read: no byte, no unreadable input, no skipped binary file.
  static func noInput(_ session: Session) -> Bool {
    session.analysis.bytesRead == 0 && session.analysis.diagnostics.isEmpty
  }

  /// True when every input named could not be read (the report would speak of nothing).
  static func nothingReadable(_ session: Session) -> Bool {
    session.analysis.bytesRead == 0 && session.analysis.diagnostics.contains { $0.level == .error }
  }
}

extension RuleOptions {
  /// The catalog for reading logs: with no rule loaded every log would look healthy, so that is
  /// an error (exit 2) that says why.
  func catalogWithRules() throws -> RuleCatalog {
    let catalog = try catalog()
    guard catalog.rules.isEmpty else { return catalog }
    Terminal.error(
      noBuiltin
        ? "logrx: no rules loaded: --no-builtin leaves only the --rules packs, and they hold no valid rule"
        : "logrx: no rules loaded")
    throw ExitCode(2)
  }
}
