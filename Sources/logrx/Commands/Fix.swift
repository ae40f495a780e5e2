import ArgumentParser
import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

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

  @Option(name: [.long, .customShort("o")], help: ArgumentHelp("Output: patch (a unified diff) or json (the plan).", valueName: "format"))
  var format: FixFormat = .patch

  @OptionGroup var rules: RuleOptions
  @OptionGroup var redaction: RedactionOptions

  func validate() throws {
    if logs.isEmpty && source == nil { throw ValidationError("Give the logs to fix from, --source DIR, or both.") }
    if apply && source == nil { throw ValidationError("--apply writes into the source tree: give --source DIR.") }
    if apply && dryRun { throw ValidationError("Choose --apply or --dry-run, not both.") }
  }

  func run() throws {
    let session = Session(catalog: try rules.catalogWithRules(), tree: try SourceTreeOption.open(source), appName: app)
    session.read(logs)
    let findings = session.findings(predict: !noPredict)
    let recommender = session.recommender
    let plan = recommender.plan(for: findings)
    let changes = plan.changes
    let out = StandardOutput.shared
    let reporter = FixReporter()

    for diagnostic in session.analysis.diagnostics { Terminal.error(InputProblems.line(diagnostic)) }
    if dryRun {
      reporter.dryRun(changes, to: out)
    } else if format == .json {
      reporter.json(plan: plan, findings: redaction.redactor.redact(findings), assumptions: recommender.assumptions, to: out)
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
    let renderer = session.renderer
    var assumptions = recommender.assumptions(using: findings.filter { !$0.predicted }.reduce(into: Set<String>()) { $0.formUnion(renderer.treeNames(of: $1.rule)) })
    if plan.commands.contains(where: { $0.run.contains(Placeholder.marker) }) {
      assumptions.append(
        "the commands say YOUR-… where the logs do not give the name or value: put yours there"
          + (plan.commands.contains { $0.run.contains("YOUR-DEPLOYMENT-CONFIG") || $0.run.contains("YOUR-BUILD-CONFIG") || $0.run.contains("YOUR-APP") }
            ? ", or pass --app NAME (the deployment config)" : ""))
    }
    reporter.summary(findings: redaction.redactor.redact(findings), plan: plan, assumptions: assumptions, refused: refused, changed: changes.count, to: StandardError())
    if session.hasRuntimeErrors { throw ExitCode(2) }
    if !refused.isEmpty { throw ExitCode(1) }
  }
}

enum FixFormat: String, ExpressibleByArgument, CaseIterable {
  case patch, json
}
