import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// What `logrx explain --format sarif [--source DIR] LOG…` reports, made the way the CLI makes it.
struct SARIFRun {
  var findings: [Finding]
  var summary: RunSummary
  var plans: [String: Plan]
  var tree: SourceTree?
  var sarif: String

  init(logs: [String], source: String? = nil) throws {
    tree = try source.map { try SourceTree(path: Fixtures.path($0)) }
    let session = Session(catalog: Fixtures.catalog, tree: tree)
    for log in logs { session.analysis.analyze(path: Fixtures.path(log), name: log) }
    let found = session.findings()
    findings = found
    let analysis = session.analysis
    summary = RunSummary(inputs: logs, bytes: analysis.bytesRead, lines: analysis.linesRead, diagnostics: analysis.diagnostics)
    plans = tree == nil ? [:] : session.recommender.plans(for: found)
    let sink = StringSink()
    SARIFReporter(plans: plans, sourceRoot: tree?.root).report(findings, summary: summary, to: sink)
    sarif = sink.text
  }

  func json() throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
  }

  func run() throws -> [String: Any] {
    let runs = try #require(try json()["runs"] as? [[String: Any]])
    try #require(runs.count == 1)
    return runs[0]
  }

  func results() throws -> [[String: Any]] { try #require(try run()["results"] as? [[String: Any]]) }
}

/// Applies SARIF replacements to `original` as a SARIF consumer would: regions refer to the
/// original text, lines end at `\n` or `\r\n`, columns count from 1, an absent `endColumn` is
/// the end of `endLine` without its newline.
func applyReplacements(_ replacements: [[String: Any]], to original: String) throws -> String {
  var lines: [[Character]] = []
  var current: [Character] = []
  for character in original {
    current.append(character)
    if character == "\n" || character == "\r\n" {
      lines.append(current)
      current = []
    }
  }
  lines.append(current)
  func offset(line: Int, column: Int?) throws -> Int {
    try #require(line >= 1 && line <= lines.count, "line \(line) is not in a text of \(lines.count) lines")
    let start = lines[..<(line - 1)].reduce(0) { $0 + $1.count }
    let text = lines[line - 1]
    let length = text.count - (text.last == "\n" || text.last == "\r\n" ? 1 : 0)
    guard let column else { return start + length }
    try #require(column >= 1 && column <= length + 1, "column \(column) is not on line \(line)")
    return start + column - 1
  }
  var edits: [(range: Range<Int>, text: String)] = []
  for replacement in replacements {
    let region = try #require(replacement["deletedRegion"] as? [String: Int])
    let startLine = try #require(region["startLine"])
    let lower = try offset(line: startLine, column: region["startColumn"] ?? 1)
    let upper = try offset(line: region["endLine"] ?? startLine, column: region["endColumn"])
    try #require(lower <= upper)
    let inserted = (replacement["insertedContent"] as? [String: Any])?["text"] as? String ?? ""
    edits.append((lower..<upper, inserted))
  }
  var text = Array(original)
  // Regions do not overlap; apply from the bottom up so that earlier offsets stay valid.
  for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
    text.replaceSubrange(edit.range, with: Array(edit.text))
  }
  return String(text)
}

@Suite struct SARIFReporterTests {
  static let firstDeploy = "Corpus/logs/guide/30-first-deploy-combined.txt"

  @Test func theFirstDeployWithItsTreeNamesRulesLevelsAndLocations() throws {
    let report = try SARIFRun(logs: [Self.firstDeploy], source: "Corpus/apps/v2-starter")
    let tree = try #require(report.tree)
    let json = try report.json()
    #expect(json["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
    #expect(json["version"] as? String == "2.1.0")
    let run = try report.run()
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "logrx")
    #expect(driver["version"] as? String == LogrxVersion.current)
    #expect(driver["informationUri"] == nil)

    // One descriptor per rule that fired, sorted; each result points at its own rule.
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let ruleIDs = rules.compactMap { $0["id"] as? String }
    #expect(ruleIDs == Set(report.findings.map(\.rule.id)).sorted())
    let noApp = try #require(rules.first { $0["id"] as? String == "s2i-no-app-to-run" })
    #expect(
      (noApp["shortDescription"] as? [String: Any])?["text"] as? String
        == "The S2I Python builder does not know how to start the application")
    #expect(((noApp["help"] as? [String: Any])?["markdown"] as? String)?.contains("mod_wsgi-express") == true)
    #expect((noApp["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
    #expect((noApp["properties"] as? [String: Any])?["stage"] as? String == "deploy")
    #expect(((noApp["properties"] as? [String: Any])?["tags"] as? [String])?.contains("s2i") == true)

    let results = try report.results()
    #expect(results.count == report.findings.count)
    for (result, finding) in zip(results, report.findings) {
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(ruleIDs[index] == finding.rule.id)
      #expect(result["ruleId"] as? String == finding.rule.id)
      #expect((result["message"] as? [String: Any])?["text"] as? String == finding.message)
      #expect((result["partialFingerprints"] as? [String: String])?["logrx/v1"] == finding.fingerprint)
    }
    func result(_ rule: String) throws -> [String: Any] { try #require(results.first { $0["ruleId"] as? String == rule }) }
    func physical(_ result: [String: Any]) throws -> (artifact: [String: Any], region: [String: Any]) {
      let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
      return (try #require(location["artifactLocation"] as? [String: Any]), try #require(location["region"] as? [String: Any]))
    }

    // A log finding: the log file as given, first to last line, evidence as related locations.
    let manage = try result("s2i-manage-py-missing")
    #expect(manage["level"] as? String == "warning")
    let (manageFile, manageRegion) = try physical(manage)
    #expect(manageFile["uri"] as? String == Self.firstDeploy)
    #expect(manageFile["uriBaseId"] == nil)
    #expect(manageRegion["startLine"] as? Int == 42)
    #expect(manageRegion["endLine"] as? Int == 82)
    let evidence = try #require(manage["relatedLocations"] as? [[String: Any]])
    let firstEvidence = try #require(evidence.first?["physicalLocation"] as? [String: Any])
    #expect((firstEvidence["region"] as? [String: Any])?["startLine"] as? Int == 42)
    #expect(
      ((firstEvidence["region"] as? [String: Any])?["snippet"] as? [String: Any])?["text"] as? String
        == "WARNING: seems that you're using Django, but we could not find a 'manage.py' file.")
    #expect((manage["properties"] as? [String: Any])?["count"] as? Int == 6)

    // A symptom: its causes by fingerprint.
    let crashloop = try result("k8s-crashloop-backoff")
    let crashloopFinding = try #require(report.findings.first { $0.rule.id == "k8s-crashloop-backoff" })
    #expect((crashloop["properties"] as? [String: Any])?["explainedBy"] as? [String] == crashloopFinding.explainedBy)
    #expect((crashloop["properties"] as? [String: Any])?["rootCause"] as? Bool == false)
    #expect(crashloop["fixes"] == nil)

    // A prediction: the tree's file and line, below SRCROOT.
    let env = try result("openshift-v2-env-missing")
    let (envFile, envRegion) = try physical(env)
    #expect(envFile["uri"] as? String == "wsgi/application")
    #expect(envFile["uriBaseId"] as? String == "SRCROOT")
    let applicationLines = try #require(tree.read("wsgi/application")).split(separator: "\n", omittingEmptySubsequences: false)
    let envLine = try #require(applicationLines.firstIndex { $0.contains("os.environ['OPENSHIFT_REPO_DIR']") }) + 1
    #expect(envRegion["startLine"] as? Int == envLine)
    #expect((envRegion["snippet"] as? [String: Any])?["text"] as? String == String(applicationLines[envLine - 1]))
    #expect((env["properties"] as? [String: Any])?["predicted"] as? Bool == true)
    let bases = try #require(run["originalUriBaseIds"] as? [String: [String: String]])
    #expect(bases["SRCROOT"]?["uri"] == "file://\(tree.root)/")

    // Commands are not file edits: they are in the properties.
    let database = try result("django-db-not-initialized")
    let commands = try #require((database["properties"] as? [String: Any])?["commands"] as? [[String: String]])
    #expect(commands.contains { $0["run"]?.contains("manage.py migrate") == true && $0["why"] != nil })

    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == true)
    let properties = try #require(run["properties"] as? [String: Any])
    #expect(properties["inputs"] as? [String] == [Self.firstDeploy])
    #expect(properties["lines"] as? Int == report.summary.lines)
    #expect(properties["bytes"] as? Int == report.summary.bytes)
  }

  /// Applying each fix's replacements to the tree's files gives exactly the plan's new content.
  @Test func fixesReproduceThePlannedFilesExactly() throws {
    let report = try SARIFRun(logs: [Self.firstDeploy], source: "Corpus/apps/v2-starter")
    var checked = 0
    var editedExisting = false
    for (result, finding) in zip(try report.results(), report.findings) {
      let plan = report.plans[finding.fingerprint]
      guard let fixes = result["fixes"] as? [[String: Any]] else {
        #expect(plan?.changes.isEmpty ?? true, "\(finding.rule.id) has a plan but no fix")
        continue
      }
      let changes = try #require(plan?.changes)
      #expect(fixes.count == 1)
      let artifactChanges = try #require(fixes.first?["artifactChanges"] as? [[String: Any]])
      #expect(artifactChanges.count == changes.count)
      #expect(((fixes.first?["description"] as? [String: Any])?["text"] as? String)?.hasPrefix("Fix \(finding.rule.id)") == true)
      for (artifactChange, change) in zip(artifactChanges, changes) {
        let location = try #require(artifactChange["artifactLocation"] as? [String: Any])
        #expect(location["uri"] as? String == change.path)
        #expect(location["uriBaseId"] as? String == "SRCROOT")
        let replacements = try #require(artifactChange["replacements"] as? [[String: Any]])
        #expect(change.original == report.tree?.read(change.path))
        let applied = try applyReplacements(replacements, to: change.original ?? "")
        #expect(applied == change.content, "\(finding.rule.id): \(change.path)")
        let properties = artifactChange["properties"] as? [String: Any]
        #expect((properties?["newFile"] as? Bool ?? false) == change.isNew)
        if change.isNew && change.mode & 0o111 != 0 { #expect(properties?["mode"] as? String == "100755") }
        if !change.isNew { editedExisting = true }
        checked += 1
      }
    }
    #expect(checked >= 5)
    #expect(editedExisting, "no fix edits a file the tree has")
  }

  /// The awkward cases of line replacements: a last line without a newline, CRLF files, an
  /// insertion at the end, a change in the middle, a change of mode only, a new file.
  @Test func replacementsCoverTheAwkwardEdges() throws {
    let files: [String: (content: String, mode: Int)] = [
      "tail.py": ("x = 1\ny = 2", 0o644),
      "list.txt": ("one\ntwo", 0o644),
      ".s2i/environment": ("A=1\r\nB=2\r\n", 0o644),
      "settings.py": ("A = 1\nDEBUG = True\nB = 2\nC = 3\n", 0o644),
      "app.sh": ("#!/bin/sh\nexec true\n", 0o644),
    ]
    var plan = Plan(reader: { files[$0] })
    plan.apply(.replace(file: "tail.py", regex: "^y = 2$", with: "y = 3", unless: nil), rule: "test")
    plan.apply(.ensureLine(file: "list.txt", line: "three"), rule: "test")
    plan.apply(.env(file: ".s2i/environment", set: [Assignment(key: "C", value: "3")]), rule: "test")
    plan.apply(.replace(file: "settings.py", regex: "^DEBUG = True$", with: "DEBUG = False\nLOGGING = {}", unless: nil), rule: "test")
    plan.apply(.chmod(file: "app.sh", mode: 0o755), rule: "test")
    plan.apply(.create(path: "new/file.txt", mode: 0o644, content: "hello\n"), rule: "test")
    #expect(plan.changes.count == 6)

    let finding = try #require(Fixtures.findings(in: "ERROR: don't know how to run your application.\n").first)
    let sink = StringSink()
    SARIFReporter(plans: [finding.fingerprint: plan], sourceRoot: "/srv/app")
      .report([finding], summary: RunSummary(inputs: ["input.log"], bytes: 0, lines: 1, diagnostics: []), to: sink)
    #expect(try SARIFSchema.problems(in: sink.text) == [])
    let json = try #require(JSONSerialization.jsonObject(with: Data(sink.text.utf8)) as? [String: Any])
    let result = try #require(((json["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
    let changes = try #require((result["fixes"] as? [[String: Any]])?.first?["artifactChanges"] as? [[String: Any]])
    let byPath = Dictionary(
      uniqueKeysWithValues: changes.map { (($0["artifactLocation"] as? [String: Any])?["uri"] as? String ?? "", $0) })
    for change in plan.changes {
      let artifactChange = try #require(byPath[change.path], "no artifact change for \(change.path)")
      let replacements = try #require(artifactChange["replacements"] as? [[String: Any]])
      #expect(try applyReplacements(replacements, to: change.original ?? "") == change.content, "\(change.path)")
    }
    func regions(_ path: String) -> [[String: Int]] {
      (byPath[path]?["replacements"] as? [[String: Any]] ?? []).compactMap { $0["deletedRegion"] as? [String: Int] }
    }
    // The last line without a newline is deleted up to its end: no endColumn to count.
    #expect(regions("tail.py") == [["startLine": 2, "startColumn": 1, "endLine": 2]])
    #expect(regions("list.txt") == [["startLine": 2, "startColumn": 1, "endLine": 2]])
    // Appending to a CRLF file inserts at the empty line after the last newline.
    #expect(regions(".s2i/environment") == [["startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 1]])
    // A changed middle line: from its start to the start of the next line.
    #expect(regions("settings.py") == [["startLine": 2, "startColumn": 1, "endLine": 3, "endColumn": 1]])
    #expect((byPath["app.sh"]?["properties"] as? [String: Any])?["mode"] as? String == "100755")
    #expect((byPath["new/file.txt"]?["properties"] as? [String: Any])?["newFile"] as? Bool == true)
    #expect((byPath["settings.py"]?["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "SRCROOT")
  }

  @Test func aLogFromStandardInputHasNoURIAndDiagnosticsAreNotifications() throws {
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byPod)
    var source = MemorySource(Array("ERROR: don't know how to run your application.\n".utf8))
    analysis.analyze(&source, name: "<stdin>")
    InputFiles.expand(["/no/such/file.log"]).diagnostics.forEach(analysis.addInputDiagnostic)
    let findings = FindingRenderer(catalog: Fixtures.catalog).rendered(analysis.findings())
    let sink = StringSink()
    SARIFReporter().report(
      findings, summary: RunSummary(inputs: ["<stdin>", "/no/such/file.log"], bytes: 0, lines: 1, diagnostics: analysis.diagnostics),
      to: sink)
    #expect(try SARIFSchema.problems(in: sink.text) == [])
    let json = try #require(JSONSerialization.jsonObject(with: Data(sink.text.utf8)) as? [String: Any])
    let run = try #require((json["runs"] as? [[String: Any]])?.first)
    let result = try #require((run["results"] as? [[String: Any]])?.first)
    let artifact = try #require(
      ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])
    #expect(artifact["uri"] == nil)
    #expect((artifact["description"] as? [String: Any])?["text"] as? String == "standard input")
    #expect(run["originalUriBaseIds"] == nil)
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == false)
    let notification = try #require((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
    #expect(notification["level"] as? String == "error")
    let uri =
      (((notification["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
      as? [String: Any])?["uri"]
    #expect(uri as? String == "file:///no/such/file.log")
  }

  /// The official schema accepts every shape logrx writes: fixes, no finding, predictions only,
  /// logs without a tree.
  @Test(
    arguments: [
      (["Corpus/logs/guide/30-first-deploy-combined.txt"], "Corpus/apps/v2-starter"),
      (["Corpus/logs/guide/20-healthy-build.log"], nil),
      ([], "Corpus/apps/v2-starter"),
      ([], "Corpus/apps/v2-starter.migrated"),
      (["Corpus/logs/guide/31-crashloop-keyerror.txt", "Corpus/logs/guide/04-pod-keyerror-repo-dir.log"], nil),
    ] as [([String], String?)])
  func theOfficialSchemaAcceptsTheLog(logs: [String], source: String?) throws {
    let report = try SARIFRun(logs: logs, source: source)
    let problems = try SARIFSchema.problems(in: report.sarif)
    #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    if logs == ["Corpus/logs/guide/20-healthy-build.log"] {
      #expect(report.findings.isEmpty)
      #expect(try report.results().isEmpty)
      #expect(
        (try report.run()["tool"] as? [String: Any]).flatMap { ($0["driver"] as? [String: Any])?["rules"] as? [Any] }?.isEmpty == true)
    }
    if logs.isEmpty, source == "Corpus/apps/v2-starter" {
      #expect(!report.findings.isEmpty && report.findings.allSatisfy(\.predicted))
    }
  }

  /// A schema check that cannot fail is worth nothing: a broken log is refused.
  @Test func theSchemaCheckRefusesABrokenLog() throws {
    let report = try SARIFRun(logs: [Self.firstDeploy], source: "Corpus/apps/v2-starter")
    let broken = report.sarif.replacingOccurrences(of: "\"level\" : \"warning\"", with: "\"level\" : \"severe\"")
    #expect(broken != report.sarif)
    #expect(try !SARIFSchema.problems(in: broken).isEmpty)
  }
}
