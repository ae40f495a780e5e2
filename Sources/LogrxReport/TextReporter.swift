import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// The human report: root causes first, each with its evidence, why, the fix, and the
/// symptoms it explains; or, in brief, each root cause in a few lines.
public struct TextReporter: Reporter {
  public var style: TextStyle
  /// Each root cause's part of the patch, by fingerprint (from ``Recommender/patches(for:)``).
  public var patches: [String: String] = [:]
  /// When set, the brief form: each root cause as what, where and the fix's first step, its
  /// symptoms one line each, and this command (which shows it all) at the end.
  public var fullReportCommand: String?
  /// What the report assumes (names the logs do not give), said once at the end.
  public var assumptions: [String] = []

  public init(style: TextStyle, patches: [String: String] = [:], fullReportCommand: String? = nil, assumptions: [String] = []) {
    self.style = style
    self.patches = patches
    self.fullReportCommand = fullReportCommand
    self.assumptions = assumptions
  }

  public func live(_ finding: Finding, to sink: TextSink) {
    sink.write("\(style.severity(finding.rule.severity)) \(style.bold(finding.rule.id)) at \(finding.locationText)\n")
    sink.write("  \(finding.message)\n")
    for line in finding.evidence.suffix(3) { sink.write(style.dim("  \(gutter(line.line)) | \(line.text)") + "\n") }
  }

  public func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink) {
    for diagnostic in summary.diagnostics { sink.write(style.dim("note: \(diagnostic)") + "\n") }
    if findings.isEmpty {
      sink.write("No known failure found in \(inputsText(summary)) (\(plural(summary.lines, "line"))).\n")
      return
    }
    let byFingerprint = Dictionary(findings.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
    let roots = findings.filter(\.isRootCause)
    let counts = summary.counts(findings)
    sink.write(
      style.bold(
        "\(plural(findings.count, "finding")) in \(inputsText(summary)): \(plural(roots.count, "root cause"))"
          + (findings.count > roots.count ? ", \(plural(findings.count - roots.count, "symptom")) explained by them" : ""))
        + "\n")
    for (index, finding) in roots.enumerated() {
      sink.write("\n")
      if fullReportCommand != nil {
        writeBrief(finding, number: index + 1, of: roots.count, lookup: byFingerprint, to: sink)
      } else {
        writeCause(finding, number: index + 1, of: roots.count, lookup: byFingerprint, to: sink)
      }
    }
    sink.write("\n")
    for assumption in assumptions { sink.write(style.dim("assumption: \(assumption)") + "\n") }
    sink.write(
      "Summary: \(plural(counts.errors, "error")), \(plural(counts.warnings, "warning")), \(plural(counts.infos, "info"))"
        + "; \(plural(roots.count, "root cause")) to fix, in the order shown.\n")
    if let fullReportCommand { sink.write("Why, the log lines and the whole patch: \(style.bold(fullReportCommand))\n") }
  }

  /// A root cause in a few lines: what and where, the fix's first step, its symptoms.
  private func writeBrief(_ finding: Finding, number: Int, of total: Int, lookup: [String: Finding], to sink: TextSink) {
    let times = finding.count > 1 ? ", \(finding.count) times" : ""
    let pod = finding.podText.map { " [\($0)]" } ?? ""
    let place = finding.predicted ? "predicted from \(finding.locationText)" : "at \(finding.locationText)"
    sink.write(
      "\(style.bold("\(number)/\(total)")) \(style.severity(finding.rule.severity)) \(style.bold(finding.rule.id)) \(place)\(pod)\(times)\n")
    sink.write("  \(finding.message)\n")
    if let first = finding.fixes.first {
      let more = finding.fixes.count > 1 ? style.dim(" (and \(plural(finding.fixes.count - 1, "more step")))") : ""
      sink.write("  \(style.bold("Fix:")) \(first.summary)\(more)\n")
    }
    for symptom in finding.explains.compactMap({ lookup[$0] }) {
      sink.write(style.dim("  explains \(symptom.rule.id) at \(symptom.locationText): \(symptom.rule.title)") + "\n")
    }
  }

  private func writeCause(_ finding: Finding, number: Int, of total: Int, lookup: [String: Finding], to sink: TextSink) {
    let times = finding.count > 1 ? ", \(finding.count) times" : ""
    let pod = finding.podText.map { " [\($0)]" } ?? ""
    let place = finding.predicted ? "predicted from \(finding.locationText)" : "at \(finding.locationText)"
    sink.write(
      "\(style.bold("\(number)/\(total)")) \(style.severity(finding.rule.severity)) \(style.bold(finding.rule.id)) (\(finding.rule.stage.rawValue))"
        + " \(place)\(pod)\(times)\n")
    sink.write("  \(finding.message)\n\n")
    for line in finding.evidence { sink.write(style.dim("  \(gutter(line.line)) | ") + line.text + "\n") }
    sink.write("\n  \(style.bold("Why"))\n")
    for line in finding.explanation.split(separator: "\n", omittingEmptySubsequences: false) {
      sink.write(line.isEmpty ? "\n" : "    \(line)\n")
    }
    if !finding.fixes.isEmpty {
      sink.write("  \(style.bold("Fix"))\n")
      for (index, fix) in finding.fixes.enumerated() {
        sink.write("    \(index + 1). \(fix.summary)\n")
        if let why = fix.why { sink.write(style.dim("       \(why)") + "\n") }
        if let content = fix.content, patches[finding.fingerprint] == nil {
          for line in content.split(separator: "\n", omittingEmptySubsequences: false).dropLast(content.hasSuffix("\n") ? 1 : 0) {
            sink.write(style.dim("       | ") + line + "\n")
          }
        }
      }
    }
    if let patch = patches[finding.fingerprint], !patch.isEmpty {
      sink.write("  \(style.bold("Patch")) (git apply)\n")
      for line in patch.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        let text = String(line)
        let painted =
          text.hasPrefix("+") && !text.hasPrefix("+++") ? style.paint(text, "32")
          : text.hasPrefix("-") && !text.hasPrefix("---") ? style.paint(text, "31") : text.hasPrefix("@@") ? style.paint(text, "36") : text
        sink.write(painted + "\n")
      }
    }
    let symptoms = finding.explains.compactMap { lookup[$0] }
    if !symptoms.isEmpty {
      sink.write("  \(style.bold("Explains"))\n")
      for symptom in symptoms {
        sink.write("    - \(symptom.rule.id) at \(symptom.locationText): \(symptom.rule.title)\n")
      }
    }
  }

  private func inputsText(_ summary: RunSummary) -> String {
    summary.inputs.count == 1 ? summary.inputs[0] : plural(summary.inputs.count, "input")
  }

  private func gutter(_ line: Int) -> String {
    let text = String(line)
    return String(repeating: " ", count: max(0, 5 - text.count)) + text
  }
}
