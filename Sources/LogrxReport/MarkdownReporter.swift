import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// A Markdown report, for pasting into an issue or a chat.
public struct MarkdownReporter: Reporter {
  /// Each root cause's part of the patch, by fingerprint.
  public var patches: [String: String] = [:]

  public init(patches: [String: String] = [:]) { self.patches = patches }

  public func live(_ finding: Finding, to sink: TextSink) {}

  public func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink) {
    let roots = findings.filter(\.isRootCause)
    let byFingerprint = Dictionary(findings.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
    sink.write("# logrx report\n\n")
    if findings.isEmpty {
      sink.write("No known failure found in \(plural(summary.inputs.count, "input")).\n")
      return
    }
    sink.write("\(plural(findings.count, "finding")), \(plural(roots.count, "root cause")).\n\n")
    sink.write("| # | rule | severity | stage | where | count |\n|---|---|---|---|---|---|\n")
    for (index, finding) in roots.enumerated() {
      sink.write(
        "| \(index + 1) | `\(finding.rule.id)` | \(finding.rule.severity.rawValue) | \(finding.rule.stage.rawValue) | `\(finding.locationText)` | \(finding.count) |\n")
    }
    for (index, finding) in roots.enumerated() {
      sink.write("\n## \(index + 1). \(finding.rule.title)\n\n")
      sink.write("`\(finding.rule.id)` · \(finding.rule.severity.rawValue) · \(finding.rule.stage.rawValue) · `\(finding.locationText)`\n\n")
      sink.write("\(finding.message)\n\n```text\n")
      for line in finding.evidence { sink.write("\(line.line): \(line.text)\n") }
      sink.write("```\n\n### Why\n\n\(finding.explanation.trimmingTrailingNewlines())\n")
      if !finding.fixes.isEmpty {
        sink.write("\n### Fix\n\n")
        for (number, fix) in finding.fixes.enumerated() {
          if case .command(let run, _) = fix { sink.write("\(number + 1). Run `\(run)`") } else { sink.write("\(number + 1). \(fix.summary)") }
          sink.write(fix.why.map { ": \($0)" } ?? "")
          sink.write("\n")
          if let content = fix.content {
            sink.write("\n   ```\n")
            for line in content.trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false) {
              sink.write("   \(line)\n")
            }
            sink.write("   ```\n\n")
          }
        }
      }
      if let patch = patches[finding.fingerprint], !patch.isEmpty {
        sink.write("\n### Patch\n\n```diff\n\(patch)```\n")
      }
      let symptoms = finding.explains.compactMap { byFingerprint[$0] }
      if !symptoms.isEmpty {
        sink.write("\n### Explains\n\n")
        for symptom in symptoms { sink.write("- `\(symptom.rule.id)` at `\(symptom.locationText)`: \(symptom.rule.title)\n") }
      }
    }
    if !summary.diagnostics.isEmpty {
      sink.write("\n## Notes\n\n")
      for diagnostic in summary.diagnostics { sink.write("- \(diagnostic)\n") }
    }
  }
}

extension String {
  func trimmingTrailingNewlines() -> String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
