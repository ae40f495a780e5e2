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

/// `logrx scan` with a state, as cron or a DaemonSet runs it: the real binary, real files,
/// a real SQLite file.
@Suite(.serialized) struct ScanCommandTests {
  /// A node's /var/log/pods with `pods` pods of ~`kilobytes` KB each; pod i of namespace ns<i>
  /// ends in a KeyError, so each pod is one finding.
  static func nodeTree(pods: Int, kilobytes: Int) throws -> URL {
    let root = Fixtures.temporaryDirectory()
    let filler = (0..<(kilobytes * 1024 / 80)).map { index in
      "2024-05-01T10:\(String(format: "%02d", index / 60 % 60)):\(String(format: "%02d", index % 60)).000000000Z stdout F 10.128.2.1 - - \"GET /health HTTP/1.1\" 200 2\n"
    }.joined()
    for pod in 0..<pods {
      let folder = root.appendingPathComponent("pods/ns\(pod)_web-1-abcde_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f\(String(format: "%02d", pod % 100))/web")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let crash = "2024-05-01T11:00:00.000000000Z stderr F KeyError: 'OPENSHIFT_REPO_DIR'\n"
      try Data((filler + crash).utf8).write(to: folder.appendingPathComponent("0.log"))
    }
    return root
  }

  static func findings(in jsonl: String) -> [String] {
    jsonl.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["type"] as? String == "finding", let source = object["source"] as? [String: Any]
      else { return nil }
      return "\(object["rule"] ?? "")@\(source["namespace"] ?? "")"
    }.sorted()
  }

  /// The `oc` commands of each finding's fixes, by the finding's file name.
  static func commands(in jsonl: String) -> [String: [String]] {
    jsonl.split(separator: "\n").reduce(into: [:]) { commands, line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["type"] as? String == "finding", let source = object["source"] as? [String: Any],
        let file = source["file"] as? String, let fixes = object["fix"] as? [[String: Any]]
      else { return }
      commands[URL(fileURLWithPath: file).lastPathComponent, default: []] += fixes.compactMap { $0["run"] as? String }
    }
  }

  @Test func eachFileNamesItsOwnAppInTheCommands() throws {
    // Three unrelated logs in one folder: one runs `oc logs -f dc/django`, one the same with
    // dc/shop, one names no deployment config. Each finding's commands take its own file's name.
    let root = Fixtures.temporaryDirectory()
    let scheduling = try String(contentsOfFile: Fixtures.path("Corpus/logs/platform/16-failed-scheduling-insufficient-memory.txt"), encoding: .utf8)
    try scheduling.write(to: root.appendingPathComponent("a.log"), atomically: true, encoding: .utf8)
    try scheduling.replacingOccurrences(of: "django", with: "shop").write(to: root.appendingPathComponent("b.log"), atomically: true, encoding: .utf8)
    try FileManager.default.copyItem(
      atPath: Fixtures.path("Corpus/logs/guide/10-rsh-undefined-symbol.txt"), toPath: root.appendingPathComponent("c.log").path)

    let result = try CLI.run(["scan", "--no-progress", "-o", "jsonl", root.path])
    let commands = Self.commands(in: result.stdout)
    #expect(commands["a.log"]?.contains("oc set resources dc/django --requests=cpu=100m,memory=256Mi") == true)
    #expect(commands["b.log"]?.contains("oc set resources dc/shop --requests=cpu=100m,memory=256Mi") == true)
    #expect(commands["a.log"]?.allSatisfy { !$0.contains("shop") && !$0.contains("YOUR-") } == true)
    #expect(commands["b.log"]?.allSatisfy { !$0.contains("dc/django") && !$0.contains("YOUR-") } == true)
    // The file that names none borrows no other file's name: it says what to put there.
    let unnamed = commands["c.log"] ?? []
    #expect(unnamed.contains { $0.contains("dc/YOUR-DEPLOYMENT-CONFIG") })
    #expect(unnamed.allSatisfy { !$0.contains("dc/django") && !$0.contains("dc/shop") })
  }

  @Test func aScanKilledMidwayNeitherLosesNorRepeatsAFinding() throws {
    let root = try Self.nodeTree(pods: 40, kilobytes: 500)
    defer { try? FileManager.default.removeItem(at: root) }
    let state = root.appendingPathComponent("state.sqlite").path
    let arguments = ["scan", "--state", state, "--format", "jsonl", "--no-progress", root.appendingPathComponent("pods").path]
    let expected = (0..<40).map { "openshift-v2-env-missing@ns\($0)" }.sorted()

    // Start a scan and kill it once it is inside its transaction (SQLite's journal exists).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.binary)
    process.arguments = arguments
    let output = root.appendingPathComponent("killed.out")
    #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: state + "-journal"), process.isRunning, Date() < deadline { usleep(2000) }
    usleep(50_000)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the scan ended before it could be killed mid-way; make the tree larger")
    let killedOutput = try String(contentsOf: output, encoding: .utf8)
    #expect(Self.findings(in: killedOutput).isEmpty, "a killed run reports nothing: its findings were not committed")

    // The rerun reports every finding once, as new; the one after it nothing new.
    let rerun = try CLI.run(arguments)
    #expect(rerun.status == 1)
    #expect(Self.findings(in: rerun.stdout) == expected)
    #expect(rerun.stdout.contains(#""status":"new""#))
    // Nothing new, but the 40 failures are still open: exit 1 (the default --exit-on open).
    let third = try CLI.run(arguments)
    #expect(third.status == 1)
    #expect(Self.findings(in: third.stdout).isEmpty)
    #expect(third.stdout.contains(#""unchanged_files":40"#))
    let history = try CLI.run(["history", "--state", state, "--format", "jsonl"])
    #expect(history.status == 0)
    #expect(history.stdout.split(separator: "\n").count == 40)
    #expect(!history.stdout.contains(#""count":2"#), "no finding was counted twice")
  }

  @Test func aDeletedPodIsResolvedWhateverThePathWasGivenAs() throws {
    let root = try Self.nodeTree(pods: 2, kilobytes: 2)
    defer { try? FileManager.default.removeItem(at: root) }
    let arguments = ["scan", "--state", "state.sqlite", "--format", "jsonl", "pods"]
    let first = try CLI.run(arguments, cwd: root.path)
    #expect(Self.findings(in: first.stdout) == ["openshift-v2-env-missing@ns0", "openshift-v2-env-missing@ns1"])
    let pods = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("pods").path)
    try FileManager.default.removeItem(at: root.appendingPathComponent("pods").appendingPathComponent(try #require(pods.first { $0.hasPrefix("ns0_") })))
    let second = try CLI.run(arguments, cwd: root.path)
    #expect(second.status == 1, "ns1's finding is still open")
    let resolved = second.stdout.split(separator: "\n").filter { $0.contains(#""type":"resolved""#) }
    #expect(resolved.count == 1 && resolved[0].contains(#""namespace":"ns0""#))
  }

  @Test func reportAllSinceAndMetrics() throws {
    let root = try Self.nodeTree(pods: 2, kilobytes: 4)
    defer { try? FileManager.default.removeItem(at: root) }
    let state = root.appendingPathComponent("state.sqlite").path
    let metrics = root.appendingPathComponent("logrx.prom").path
    let pods = root.appendingPathComponent("pods").path
    let first = try CLI.run(["scan", "--state", state, "--metrics", metrics, "--color", "never", pods])
    #expect(first.status == 1)
    #expect(first.stdout.contains("error openshift-v2-env-missing (new): The app reads OPENSHIFT_REPO_DIR"))
    #expect(first.stderr.contains("2 findings (2 new, 0 ongoing), 0 resolved in 2 files (0 unchanged)"))
    let prometheus = try String(contentsOfFile: metrics, encoding: .utf8)
    #expect(prometheus.contains(#"logrx_findings{rule="openshift-v2-env-missing",severity="error",namespace="ns0"} 1"#))
    #expect(prometheus.contains("# TYPE logrx_scan_duration_seconds gauge"))

    // --since after the KeyError's stamp: nothing to find, even with --report all.
    let fresh = root.appendingPathComponent("other.sqlite").path
    let late = try CLI.run(["scan", "--state", fresh, "--report", "all", "--since", "2024-05-01T11:00:01Z", pods])
    #expect(late.status == 0)
    #expect(late.stdout.isEmpty)
    let early = try CLI.run(["scan", "--report", "all", "--since", "2024-05-01T10:59:00Z", "--format", "jsonl", pods])
    #expect(Self.findings(in: early.stdout).count == 2)

    // Usage errors say what is expected.
    let bad = try CLI.run(["scan", "--since", "yesterday", pods])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("expected a duration such as 90s"))
    let noState = try CLI.run(["scan", "--report", "new", pods])
    #expect(noState.status == 64)
    #expect(noState.stderr.contains("--report new needs --state FILE"))
    let notADatabase = try CLI.run(["scan", "--state", metrics, pods])
    #expect(notADatabase.status == 2)
    #expect(notADatabase.stderr.contains("not an SQLite database"))
  }
}

/// The progress bar: on a terminal (a pseudo-terminal from `script`), for a scan that takes
/// more than half a second; never when standard error is a file or a pipe.
@Suite(.serialized) struct ProgressBarTests {
  @Test func aLongScanShowsAProgressBarOnlyOnATerminal() throws {
    let root = try ScanCommandTests.nodeTree(pods: 30, kilobytes: 400)
    defer { try? FileManager.default.removeItem(at: root) }
    let pods = root.appendingPathComponent("pods").path
    let command = "\(CLI.binary) scan --fail-on none \(pods) >/dev/null"
    let onTerminal = try Trees.run("/usr/bin/script", ["-qec", command, "/dev/null"])
    #expect(onTerminal.status == 0)
    #expect(onTerminal.output.contains("\r["), "no progress bar on a terminal")
    #expect(onTerminal.output.contains("/30 files"))
    // Erased at the end: the summary line starts clean.
    #expect(onTerminal.output.contains("\r\u{1B}[Klogrx: 30 findings"))
    let piped = try CLI.run(["scan", "--fail-on", "none", pods])
    #expect(!piped.stderr.contains("\r["))
    let disabled = try Trees.run("/usr/bin/script", ["-qec", command.replacingOccurrences(of: "scan ", with: "scan --no-progress "), "/dev/null"])
    #expect(!disabled.output.contains("\r["))
  }
}
