import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@main
struct Logrx: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logrx",
    abstract: "Explain why an OpenShift or Kubernetes build or pod failed, and what to change.",
    discussion: """
      logrx reads build and pod logs, recognises known failures with a library of PCRE2 rules, \
      explains each one in plain words with the lines that show it, and lists the changes that \
      fix it: root causes first, symptoms folded under them.

      Examples:
        oc logs bc/django | logrx explain
        logrx explain build.log pod.log
        oc logs -f dc/django | logrx watch
        logrx scan /var/log/pods --format jsonl
        logrx rules list

      Exit status: 0 when no finding is at or above --fail-on (default: error), 1 when one is, \
      2 on a runtime error (an unreadable input, a bad rule file), 64 on a usage error.
      """,
    version: LogrxVersion.current,
    subcommands: [Explain.self, Watch.self, Scan.self, History.self, Fix.self, Eval.self, RulesCommand.self]
  )

  /// A mistyped command gets the nearest one (`logrx scna` → "did you mean scan?"), as git does;
  /// everything else is parsed as usual.
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let first = arguments.first, let message = CommandSuggestion.message(for: first, among: commandNames) {
      Terminal.error(message)
      exit(withError: ExitCode(64))
    }
    main(nil)
  }

  static var commandNames: [String] {
    configuration.subcommands.compactMap { $0.configuration.commandName ?? String(describing: $0).lowercased() } + ["help"]
  }
}

/// The nearest command to a word that is none.
enum CommandSuggestion {
  /// nil when `word` is a command or an option; else what to say.
  static func message(for word: String, among names: [String]) -> String? {
    guard !word.hasPrefix("-"), !names.contains(word) else { return nil }
    let ranked = names.map { (name: $0, distance: distance(word.lowercased(), $0)) }.sorted { $0.distance < $1.distance }
    if let best = ranked.first, best.distance <= max(2, word.count / 3) || best.name.hasPrefix(word.lowercased()) {
      return "logrx: '\(word)' is not a logrx command; did you mean \(best.name)?\nSee 'logrx --help' for the commands."
    }
    return "logrx: '\(word)' is not a logrx command (\(names.filter { $0 != "help" }.joined(separator: ", ")))."
  }

  /// Levenshtein distance, with a swap of two neighbours counting as one edit.
  static func distance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs), b = Array(rhs)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { rows[i][0] = i }
    for j in 0...b.count { rows[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1) }
      }
    }
    return rows[a.count][b.count]
  }
}
