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

/// `--format sarif` from the built binary: valid against the official schema, the same findings
/// as the other formats.
@Suite(.serialized) struct SARIFOutputTests {
  func results(_ sarif: String) throws -> [[String: Any]] {
    let json = try #require(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let runs = try #require(json["runs"] as? [[String: Any]])
    return try #require(runs.first?["results"] as? [[String: Any]])
  }

  @Test func scanOfTheGuidesLogsIsValidSARIF() throws {
    let result = try CLI.run(["scan", "--format", "sarif", "Corpus/logs/guide"], cwd: Fixtures.root.path)
    #expect(result.status == 1)
    let problems = try SARIFSchema.problems(in: result.stdout)
    #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    // The same findings as JSON Lines, in the same order, located in the files as given.
    let jsonl = try CLI.run(["scan", "--format", "jsonl", "Corpus/logs/guide"], cwd: Fixtures.root.path)
    let findings = try jsonl.stdout.split(separator: "\n").compactMap {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }.filter { $0["type"] as? String == "finding" }
    let results = try results(result.stdout)
    #expect(!results.isEmpty)
    #expect(results.map { $0["ruleId"] as? String } == findings.map { $0["rule"] as? String })
    #expect(
      results.map { ($0["partialFingerprints"] as? [String: String])?["logrx/v1"] } == findings.map { $0["fingerprint"] as? String })
    for result in results {
      let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
      let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
      #expect(uri?.hasPrefix("Corpus/logs/guide/") == true)
      // Without a source tree there is nothing exact to edit: the edits stay in the properties.
      #expect(result["fixes"] == nil)
    }
  }

  @Test func explainWithASourceTreeCarriesFixes() throws {
    let result = try CLI.run(
      ["explain", "--format", "sarif", "--source", "Corpus/apps/v2-starter", "Corpus/logs/guide/30-first-deploy-combined.txt"],
      cwd: Fixtures.root.path)
    #expect(result.status == 1)
    #expect(try SARIFSchema.problems(in: result.stdout) == [])
    let results = try results(result.stdout)
    let noApp = try #require(results.first { $0["ruleId"] as? String == "s2i-no-app-to-run" })
    let changes = try #require((noApp["fixes"] as? [[String: Any]])?.first?["artifactChanges"] as? [[String: Any]])
    let paths = changes.compactMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
    #expect(paths.contains("app.sh"))
    #expect(paths.contains("requirements.txt"))
  }

  @Test func explainOfAHealthyLogIsAnEmptyValidRun() throws {
    let result = try CLI.run(["explain", "--format", "sarif"], stdin: "all good\n")
    #expect(result.status == 0)
    #expect(try SARIFSchema.problems(in: result.stdout) == [])
    #expect(try results(result.stdout).isEmpty)
  }

  /// With `--state`, each result says whether it is new or was there before, and a finding
  /// that did not come back is an `absent` result.
  @Test func aStatefulScanGivesBaselineStates() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let logs = folder.appendingPathComponent("logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let failing = logs.appendingPathComponent("pod.log")
    try Data("ERROR: don't know how to run your application.\n".utf8).write(to: failing)
    try Data("all good\n".utf8).write(to: logs.appendingPathComponent("other.log"))
    let state = folder.appendingPathComponent("state.sqlite").path
    func scan(_ extra: [String] = []) throws -> [[String: Any]] {
      let result = try CLI.run(["scan", "--state", state, "--format", "sarif"] + extra + [logs.path])
      let problems = try SARIFSchema.problems(in: result.stdout)
      #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
      return try results(result.stdout)
    }
    let first = try scan()
    #expect(first.map { $0["baselineState"] as? String } == ["new"])
    #expect(((first.first?["properties"] as? [String: Any])?["history"] as? [String: Any])?["status"] as? String == "new")
    // The failure again, in new lines: seen before, so ongoing.
    func failAgain() throws {
      let handle = try FileHandle(forWritingTo: failing)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("ERROR: don't know how to run your application.\n".utf8))
      try handle.close()
    }
    try failAgain()
    let second = try scan(["--report", "all"])
    #expect(second.map { $0["baselineState"] as? String } == ["unchanged"])
    try failAgain()
    #expect(try scan().isEmpty, "--report new (the default with --state) leaves out what was seen before")
    try FileManager.default.removeItem(at: failing)
    let third = try scan()
    let absent = try #require(third.first)
    #expect(third.count == 1)
    #expect(absent["baselineState"] as? String == "absent")
    #expect(absent["ruleId"] as? String == "s2i-no-app-to-run")
    #expect(absent["ruleIndex"] == nil)
    #expect(((absent["properties"] as? [String: Any])?["history"] as? [String: Any])?["status"] as? String == "resolved")
    #expect(
      (absent["partialFingerprints"] as? [String: String])?["logrx/v1"]
        == (first.first?["partialFingerprints"] as? [String: String])?["logrx/v1"])
  }

  @Test func helpNamesTheSARIFFormat() throws {
    func help(_ command: String) throws -> String {
      try CLI.run([command, "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
    #expect(try help("scan").contains("markdown or sarif (SARIF 2.1.0, for code scanning)."))
    #expect(try help("scan").contains("sarif is one SARIF 2.1.0 log, for GitHub code scanning"))
    #expect(try help("explain").contains("markdown or sarif (SARIF 2.1.0; with --source, each root cause's file edits are its SARIF fix)."))
  }
}
