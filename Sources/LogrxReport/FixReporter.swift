import Foundation
import LogrxDiagnose
import LogrxRecommend
import LogrxVocabulary

/// `fix`'s outputs besides the patch itself: the dry-run listing, the plan as JSON, and the
/// summary on standard error.
public struct FixReporter {
  public init() {}

  /// `--dry-run`: one line per file that would change.
  public func dryRun(_ changes: [Plan.FileChange], to sink: TextSink) {
    for change in changes { sink.write("\(Self.describe(change))\n") }
  }

  /// One line per changed file: `path: create (mode 755) [rules]`, `modify`, or a mode change.
  public static func describe(_ change: Plan.FileChange) -> String {
    let what: String
    if change.isNew {
      what = "create (mode \(String(change.mode, radix: 8)))"
    } else if change.original == change.content {
      what = "mode \(String(change.originalMode ?? 0, radix: 8)) -> \(String(change.mode, radix: 8))"
    } else {
      what = "modify"
    }
    return "\(change.path): \(what) [\(change.rules.joined(separator: ", "))]"
  }

  /// What `fix` says on standard error: the findings, the assumptions, notes, refusals and
  /// the commands to run.
  public func summary(findings: [Finding], plan: Plan, assumptions: [String], refused: [String], changed: Int, to sink: TextSink) {
    var lines: [String] = []
    let fixable = findings.filter { !$0.fixes.isEmpty }
    let predicted = findings.filter(\.predicted).count
    lines.append(
      "logrx: \(findings.count - predicted) finding\(findings.count - predicted == 1 ? "" : "s") in the logs, \(predicted) predicted from the tree; "
        + "\(changed) file\(changed == 1 ? "" : "s") to change")
    for finding in findings {
      let origin = finding.predicted ? "predicted from \(finding.source.file):\(finding.firstLine)" : "seen at \(finding.locationText)"
      lines.append("  \(finding.rule.id) (\(origin))")
    }
    for assumption in assumptions { lines.append("assumption: \(assumption)") }
    for note in plan.notes { lines.append("note: \(note)") }
    for problem in refused { lines.append("refused: \(problem)") }
    if !plan.commands.isEmpty {
      lines.append("then run:")
      for command in plan.commands {
        lines.append("  \(command.run)")
        if let why = command.why { lines.append("      # \(why)") }
      }
    }
    if fixable.isEmpty, !findings.isEmpty { lines.append("no finding has a file fix; see `logrx explain` for what to do") }
    sink.write(lines.joined(separator: "\n") + "\n")
  }

  struct FileRecord: Encodable {
    let path: String
    let action: String
    let mode: String
    let rules: [String]
    let diff: String
  }
  struct Record: Encodable {
    let files: [FileRecord]
    let commands: [[String: String]]
    let conflicts: [String]
    let notes: [String]
    let assumptions: [String]
    let findings: [String]
  }

  /// The plan as one JSON object: files with their action, mode, rules and diff; commands,
  /// conflicts, notes, assumptions and the findings' rule ids.
  public func json(plan: Plan, findings: [Finding], assumptions: [String], to sink: TextSink) {
    let files = plan.changes.map {
      FileRecord(
        path: $0.path, action: $0.isNew ? "create" : "modify", mode: "0" + String($0.mode, radix: 8), rules: $0.rules,
        diff: UnifiedDiff.render($0))
    }
    let commands = plan.commands.map { command -> [String: String] in
      var entry = ["run": command.run, "rule": command.rule]
      if let why = command.why { entry["why"] = why }
      return entry
    }
    let record = Record(
      files: files, commands: commands, conflicts: plan.conflicts, notes: plan.notes, assumptions: assumptions,
      findings: findings.map(\.rule.id))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    sink.write(((try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n")
  }
}
