import ArgumentParser
import Foundation
import LogrxCore

struct Fix: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the patch that fixes the failures in the logs, fitted to your source tree; --apply writes it.",
    discussion: """
      The patch goes to standard output and is accepted by `git apply` and `patch -p1`; what it \
      assumes, the commands to run (`oc …`) and any edit it refused go to standard error. Every \
      change is idempotent: running fix again on the fixed tree prints an empty patch.

      Examples:
        logrx fix --source . build.log pod.log > fix.patch && git apply fix.patch
        oc logs django-1-jfknz | logrx fix --source . -
        logrx fix --source . --apply pod.log
        logrx fix --source . --dry-run pod.log
      """)

  @Argument(help: ArgumentHelp("Log files or folders; `-` reads standard input.", valueName: "log"))
  var logs: [String] = []

  @Option(name: .long, help: ArgumentHelp("The app's source folder (the repository root).", valueName: "dir"))
  var source: String?

  @Option(name: .long, help: ArgumentHelp("The app's name on OpenShift (its deployment config), for commands when the logs name no pod.", valueName: "name"))
  var app: String?

  @Flag(name: .customLong("no-predict"), help: "Fix only what the logs show; do not add the failures predicted from the --source tree.")
  var noPredict = false

  @Flag(name: .long, help: "Write the changes into --source: each file atomically, never outside the tree, never over a file that changed.")
  var apply = false

  @Flag(name: .customLong("dry-run"), help: "List the files that would change, and how, without writing.")
  var dryRun = false

  @Option(name: .long, help: ArgumentHelp("Output: patch (a unified diff) or json (the plan).", valueName: "format"))
  var format: FixFormat = .patch

  @OptionGroup var rules: RuleOptions

  func validate() throws {
    if logs.isEmpty && source == nil { throw ValidationError("Give the logs to fix from, --source DIR, or both.") }
    if apply && source == nil { throw ValidationError("--apply writes into the source tree: give --source DIR.") }
    if apply && dryRun { throw ValidationError("Choose --apply or --dry-run, not both.") }
  }

  func run() throws {
    var session = try Session(rules: rules, source: source, app: app)
    session.read(logs)
    let findings = session.findings(predict: !noPredict)
    let recommender = session.recommender
    let analysis = session.analysis
    let plan = recommender.plan(for: findings)
    let changes = plan.changes
    let out = StandardOutput.shared

    for diagnostic in analysis.diagnostics { Terminal.error("logrx: \(diagnostic)") }
    if dryRun {
      for change in changes { out.write("\(Self.describe(change))\n") }
    } else if format == .json {
      out.write(FixReport.json(plan: plan, findings: findings, assumptions: recommender.assumptions))
    } else if !apply {
      out.write(UnifiedDiff.render(changes))
    }
    out.flush()

    var refused: [String] = plan.conflicts
    if apply, let tree = session.tree {
      let outcome = Applier(tree: tree).apply(changes)
      for path in outcome.written { Terminal.error("wrote \(path)") }
      refused += outcome.refused.map(\.description)
    }
    var assumptions = recommender.assumptions
    if plan.commands.contains(where: { $0.run.contains("<source.dc>") }) {
      assumptions.append("the logs name no pod: pass --app NAME (the deployment config) to fill in <source.dc> in the commands")
    }
    Self.summarize(findings: findings, plan: plan, assumptions: assumptions, refused: refused, changed: changes.count)
    if session.hasRuntimeErrors { throw ExitCode(2) }
    if !refused.isEmpty { throw ExitCode(1) }
  }

  static func describe(_ change: Plan.FileChange) -> String {
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

  static func summarize(findings: [Finding], plan: Plan, assumptions: [String], refused: [String], changed: Int) {
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
    Terminal.error(lines.joined(separator: "\n"))
  }
}

enum FixFormat: String, ExpressibleByArgument, CaseIterable {
  case patch, json
}

/// The plan as JSON: files with their new content and mode, commands, conflicts.
enum FixReport {
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

  static func json(plan: Plan, findings: [Finding], assumptions: [String]) -> String {
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
    return ((try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
  }
}
