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

/// Runs the built binary, as a user would.
@Suite(.serialized) struct CLITests {
  static let firstDeploy = """
    ---> Installing application source ...
    ---> Installing application ...
    ---> Collecting Django static files ...
    WARNING: seems that you're using Django, but we could not find a 'manage.py' file.
    'manage.py collectstatic' ignored.
    NAME             READY     STATUS             RESTARTS   AGE
    django-1-build   0/1       Completed          0          10m
    django-1-jfknz   0/1       CrashLoopBackOff   3          1m
    WARNING: seems that you're using Django, but we could not find a 'manage.py' file.
    Skipped 'python manage.py migrate'.
    ERROR: don't know how to run your application.
    Please set either APP_MODULE, APP_FILE or APP_SCRIPT environment variables, or create a file 'app.py' to launch your application.

    """

  @Test func helpTeachesTheCommands() throws {
    let result = try CLI.run(["--help"])
    #expect(result.status == 0)
    for word in ["explain", "watch", "scan", "rules", "Exit status", "oc logs bc/django | logrx explain"] {
      #expect(result.stdout.contains(word), "help lacks \(word)")
    }
    let explain = try CLI.run(["explain", "--help"])
    #expect(explain.stdout.contains("--format <format>"))
    #expect(explain.stdout.contains("--fail-on <severity>"))
    #expect(explain.stdout.contains("--rules <dir-or-pack>"))
  }

  @Test func explainPutsTheRootCauseFirstAndExitsOne() throws {
    let result = try CLI.run(["explain", "--explain", "--color", "never"], stdin: Self.firstDeploy)
    #expect(result.status == 1)
    let out = result.stdout
    #expect(out.contains("3 findings in <stdin>: 2 root causes, 1 symptom explained by them"))
    let manage = try #require(out.range(of: "1/2 WARNING s2i-manage-py-missing"))
    let noApp = try #require(out.range(of: "2/2 ERROR s2i-no-app-to-run"))
    #expect(manage.lowerBound < noApp.lowerBound)
    #expect(out.contains("create app.sh (mode 0755)"))
    #expect(out.contains("- k8s-crashloop-backoff at <stdin>:8"))
    #expect(!out.contains("\u{1B}["))
  }

  @Test func jsonLinesFollowTheDocumentedSchema() throws {
    let result = try CLI.run(["explain", "--format", "jsonl"], stdin: Self.firstDeploy)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 4)
    let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    let findingKeys: Set<String> = [
      "type", "rule", "title", "severity", "stage", "message", "source", "first_line", "last_line", "count", "captures",
      "evidence", "root_cause", "explains", "explained_by", "fix", "fingerprint",
    ]
    for object in objects.dropLast() { #expect(Set(object.keys) == findingKeys) }
    let summary = try #require(objects.last)
    #expect(summary["type"] as? String == "summary")
    #expect(Set(summary.keys) == ["type", "findings", "root_causes", "errors", "warnings", "infos", "inputs", "lines", "bytes", "diagnostics"])
    #expect(summary["findings"] as? Int == 3)
  }

  @Test func failOnDecidesTheExitCode() throws {
    let warningOnly = "10.128.2.1 - - [03/Jul/2017:05:20:01 +0000] \"GET /admin/ HTTP/1.1\" 500 27\n"
    #expect(try CLI.run(["explain"], stdin: warningOnly).status == 0)
    #expect(try CLI.run(["explain", "--fail-on", "warning"], stdin: warningOnly).status == 1)
    #expect(try CLI.run(["explain", "--fail-on", "none"], stdin: Self.firstDeploy).status == 0)
    #expect(try CLI.run(["explain"], stdin: "all good\n").status == 0)
  }

  @Test func usageAndRuntimeErrorsHaveTheirOwnCodes() throws {
    let usage = try CLI.run(["explain", "--format", "yaml"])
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("yaml"))
    let missing = try CLI.run(["explain", "/no/such/file.log"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "logrx: /no/such/file.log: no such file\n")
  }

  @Test func colourFollowsTheFlagAndNoColor() throws {
    #expect(try CLI.run(["explain", "--color", "always"], stdin: Self.firstDeploy).stdout.contains("\u{1B}[1;31mERROR"))
    #expect(!(try CLI.run(["explain"], stdin: Self.firstDeploy, environment: ["NO_COLOR": "1"]).stdout.contains("\u{1B}[")))
  }

  @Test func scanPrintsOneLinePerFindingPerFile() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(Self.firstDeploy.utf8).write(to: directory.appendingPathComponent("a.log"))
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try Data("KeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: directory.appendingPathComponent("sub/b.log"))
    let result = try CLI.run(["scan", directory.path])
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines.contains("\(directory.path)/sub/b.log:1: error openshift-v2-env-missing: The app reads OPENSHIFT_DATA_DIR, which OpenShift V2 set and OpenShift 3 does not. V2 kept this directory across pushes; on OpenShift 3 files written in the image are lost on every deploy, so mount a persistent volume there (oc set volume ... --mount-path /opt/app-root/src/data)."))
    #expect(result.stderr.contains("4 findings in 2 files"))
  }

  @Test func aClosedPipeEndsQuietly() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let big = String(repeating: "KeyError: 'OPENSHIFT_REPO_DIR'\nfiller\n", count: 4000)
    for index in 0..<30 { try Data(big.utf8).write(to: directory.appendingPathComponent("f\(index).log")) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "'\(CLI.binary)' scan --format jsonl '\(directory.path)' | head -n 1; echo \"status=${PIPESTATUS:-}\""]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(!stderr.contains("Fatal"))
    #expect(!stderr.contains("crash"))
    #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).hasPrefix("{"))
  }

  @Test func rulesListShowCheckAndTest() throws {
    let list = try CLI.run(["rules", "list"])
    #expect(list.status == 0)
    #expect(list.stdout.contains("s2i-no-app-to-run"))
    #expect(list.stdout.split(separator: "\n").count == Fixtures.catalog.rules.count)
    let show = try CLI.run(["rules", "show", "openshift-v2-env-missing"])
    #expect(show.stdout.contains("literal: \"KeyError: '\""))
    #expect(try CLI.run(["rules", "show", "nope"]).status == 64)
    let check = try CLI.run(["rules", "check"])
    #expect(check.status == 0)
    #expect(check.stdout.contains("0 errors"))
    let test = try CLI.run(["rules", "test"])
    #expect(test.status == 0)
    #expect(test.stdout.contains(" 0 failed"))
  }

  @Test func aBadRulePackIsReportedWithFileLineAndColumn() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = Fixtures.ruleYAML(id: "bad-rule", regex: "open (paren")
    try Data(bad.utf8).write(to: directory.appendingPathComponent("bad-rule.yaml"))
    let wrong = Fixtures.ruleYAML(id: "wrong-examples", regex: "never matches here")
    try Data(wrong.utf8).write(to: directory.appendingPathComponent("wrong-examples.yaml"))
    let check = try CLI.run(["rules", "check", directory.path])
    #expect(check.status == 1)
    #expect(check.stdout.contains("\(directory.path)/bad-rule.yaml:6:24: error: PCRE2 cannot compile 'regex': missing closing parenthesis"))
    let test = try CLI.run(["rules", "test", directory.path])
    #expect(test.status == 1)
    #expect(test.stdout.contains("FAIL \(directory.path)/wrong-examples.yaml:11:11: wrong-examples [plain]: match example produced no finding"))
    // Explaining with a broken pack still runs the good rules, and says the pack is broken.
    let explain = try CLI.run(["explain", "--rules", directory.path], stdin: Self.firstDeploy)
    #expect(explain.status == 2)
    #expect(explain.stderr.contains("bad-rule.yaml:6:24"))
    #expect(explain.stdout.contains("s2i-no-app-to-run"))
  }

  /// `make rules`: the Rules/ folder becomes the Swift source in the tree; a folder with a
  /// broken rule writes nothing and leaves the file as it was.
  @Test func rulesEmbedWritesTheGeneratedSourceOrNothing() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("BuiltinRules.generated.swift").path
    let embed = try CLI.run(["rules", "embed", Fixtures.path("Rules"), "-o", output])
    #expect(embed.status == 0)
    let written = try String(contentsOfFile: output, encoding: .utf8)
    #expect(written == (try String(contentsOfFile: Fixtures.path(BuiltinRulesEmitter.path), encoding: .utf8)))

    let pack = directory.appendingPathComponent("pack")
    try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
    try Data(Fixtures.ruleYAML(id: "bad-rule", regex: "open (paren").utf8).write(to: pack.appendingPathComponent("bad-rule.yaml"))
    let refused = try CLI.run(["rules", "embed", pack.path, "-o", output])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("bad-rule.yaml:6:24: error: PCRE2 cannot compile"))
    #expect(refused.stderr.contains("nothing written"))
    #expect(try String(contentsOfFile: output, encoding: .utf8) == written)
  }

  @Test func exportWritesOnePatternPerSignature() throws {
    let result = try CLI.run(["rules", "export", "--patterns"])
    let count = Fixtures.catalog.rules.reduce(0) { $0 + $1.signatures.count }
    #expect(result.stdout.split(separator: "\n").count == count)
  }

  /// `watch` prints a finding while standard input is still open, and the summary at EOF.
  @Test func watchReportsBeforeTheStreamEnds() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.binary)
    process.arguments = ["watch", "--color", "never", "--idle", "100"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    input.fileHandleForWriting.write(Data("starting\nERROR: don't know how to run your application.\n".utf8))
    // A single line is reported without waiting for more input.
    let first = try readUntil("s2i-no-app-to-run", from: output.fileHandleForReading)
    #expect(first.contains("ERROR s2i-no-app-to-run at <stdin>:2"))
    // A traceback is reported after the idle time, stdin still open.
    input.fileHandleForWriting.write(Data("Traceback (most recent call last):\n  File \"/opt/app-root/src/wsgi/application\", line 9, in <module>\nKeyError: 'OPENSHIFT_REPO_DIR'\n".utf8))
    let second = try readUntil("openshift-v2-env-missing", from: output.fileHandleForReading)
    #expect(second.contains("at <stdin>:3-5"))
    try input.fileHandleForWriting.close()
    let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(rest.contains("--- summary ---"))
    #expect(rest.contains("2 findings in <stdin>"))
    #expect(process.terminationStatus == 1)
  }

  func readUntil(_ marker: String, from handle: FileHandle) throws -> String {
    var text = ""
    let deadline = Date().addingTimeInterval(20)
    while !text.contains(marker) || !text.hasSuffix("\n"), Date() < deadline {
      let data = handle.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    return text
  }
}

extension CLITests {
  @Test func evalOnTheCorpusHasNoMissAndNoFalseAlarm() throws {
    let result = try CLI.run(["eval", "--min-precision", "1", "--min-recall", "1", Fixtures.path("Corpus/logs")])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains(" 0 missed, 0 false alarms"))
  }

  @Test func evalListsMissesAndFalseAlarmsAndFailsBelowThresholds() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("ERROR: don't know how to run your application.\n".utf8).write(to: directory.appendingPathComponent("a.log"))
    try Data("KeyError: 'OPENSHIFT_REPO_DIR'\n".utf8).write(to: directory.appendingPathComponent("b.log"))
    let manifest = """
      - file: a.log
        expect: [s2i-no-app-to-run, k8s-crashloop-backoff]
        note: pod log and table
      - file: b.log
        expect: []

      """
    try Data(manifest.utf8).write(to: directory.appendingPathComponent("manifest.yaml"))
    let result = try CLI.run(["eval", "--min-recall", "0.9", directory.appendingPathComponent("manifest.yaml").path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\(directory.path)/a.log: miss: k8s-crashloop-backoff: pod log and table"))
    #expect(result.stdout.contains("\(directory.path)/b.log:1: false alarm: openshift-v2-env-missing: KeyError: 'OPENSHIFT_REPO_DIR'"))
    #expect(result.stdout.contains("2 files: 1 expected findings found, 1 missed, 1 false alarms"))
    #expect(try CLI.run(["eval", directory.path]).status == 0)
  }

  /// The real-logs tune part: one table with the three headline rates, then the outcomes
  /// (the numbers themselves are the rules' business, not this test's).
  @Test func evalScoresTheRootCauseOnTheRealLogsTunePart() throws {
    let manifest = Fixtures.path("Corpus/reallogs/tune/manifest.yaml")
    let result = try CLI.run(["eval", manifest])
    #expect(result.status == 0, "\(result.stderr)")
    // The part grows: count its entries from the manifest's own `kind:` lines.
    let kinds = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
      .filter { $0.hasPrefix("  kind: ") }.map { $0.dropFirst("  kind: ".count) }
    let failures = kinds.filter { $0 == "failure" }.count
    let negatives = kinds.count - failures
    #expect(failures > 100 && negatives > 30)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines.first?.hasSuffix("Corpus/reallogs/tune/manifest.yaml: \(failures) failures, \(negatives) negatives") == true,
      "\(lines.first ?? "")")
    #expect(lines.dropFirst(2).prefix(2) == ["| measure | count | rate |", "| --- | --- | --- |"])
    let rate = #/^\| (.+) \| (\d+)/(\d+) \| \d+\.\d% \|$/#
    let rows = lines.compactMap { try? rate.wholeMatch(in: $0) }.map { (String($0.1), Int($0.2)!, Int($0.3)!) }
    #expect(rows.map(\.0) == [
      "root cause right (top == cause)", "silent", "false alarm", "failures: cause found", "failures: symptom only",
      "failures: wrong", "negatives: warned", "negatives: quiet",
    ])
    #expect(rows.filter { $0.0 == "false alarm" || $0.0.hasPrefix("negatives") }.allSatisfy { $0.2 == negatives })
    #expect(rows.filter { !($0.0 == "false alarm" || $0.0.hasPrefix("negatives")) }.allSatisfy { $0.2 == failures })
    // The five outcomes of a failure add up to the failures, the three of a negative to those.
    #expect(rows.filter { $0.0 != "false alarm" && !$0.0.hasPrefix("negatives") }.map(\.1).reduce(0, +) == failures)
    #expect(rows.filter { $0.0 == "false alarm" || $0.0.hasPrefix("negatives") }.map(\.1).reduce(0, +) == negatives)
    #expect(!result.stdout.contains("precision"))
  }

  /// A folder is separate stories: a cause in one file does not explain a symptom in another.
  @Test func explainOfAFolderKeepsUnrelatedFilesApart() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["gunicorn-boot-failed-03.log", "python-stdlib-unreadable-01.log"] {
      try FileManager.default.copyItem(
        atPath: Fixtures.path("Corpus/reallogs/tune/\(name)"), toPath: directory.appendingPathComponent(name).path)
    }
    func rootCauses(_ arguments: [String]) throws -> Set<String> {
      let result = try CLI.run(["explain", "--format", "jsonl"] + arguments)
      return Set(
        result.stdout.split(separator: "\n").compactMap { line -> String? in
          guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["type"] as? String == "finding", object["root_cause"] as? Bool == true
          else { return nil }
          return object["rule"] as? String
        })
    }
    #expect(try rootCauses([directory.path]).contains("gunicorn-worker-boot-failed"))
    // Given one by one, the files are one story: the stdlib failure explains the boot failure.
    let files = ["gunicorn-boot-failed-03.log", "python-stdlib-unreadable-01.log"].map { directory.appendingPathComponent($0).path }
    #expect(try !rootCauses(files).contains("gunicorn-worker-boot-failed"))
  }

  @Test func evalRejectsAFailureWithoutCause() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("Error: '' is not a valid port number.\n".utf8).write(to: directory.appendingPathComponent("a.log"))
    try Data("- file: a.log\n  kind: failure\n".utf8).write(to: directory.appendingPathComponent("manifest.yaml"))
    let result = try CLI.run(["eval", directory.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("a failure needs its 'cause'"))
  }
}

extension CLITests {
  /// Ctrl-C ends `watch` with the summary, while standard input is still open.
  @Test func watchPrintsTheSummaryOnInterrupt() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.binary)
    process.arguments = ["watch", "--color", "never"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    input.fileHandleForWriting.write(Data("KeyError: 'OPENSHIFT_DATA_DIR'\n".utf8))
    _ = try readUntil("openshift-v2-env-missing", from: output.fileHandleForReading)
    process.interrupt()
    let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(rest.contains("--- summary ---"))
    #expect(rest.contains("1 finding in <stdin>: 1 root cause"))
    #expect(rest.contains("set OPENSHIFT_DATA_DIR=/opt/app-root/src/data in .s2i/environment"))
    #expect(process.terminationStatus == 1)
    try? input.fileHandleForWriting.close()
  }
}

/// `--max-findings N`: the sink stops the search, so the rest of a big input is not read.
@Suite struct MaxFindingsTests {
  @Test func explainStopsReadingAfterTheLimit() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("big.log")
    var text = "KeyError: 'OPENSHIFT_REPO_DIR'\n"
    text += String(repeating: "[INFO] filler line of a healthy log\n", count: 200_000)
    text += "ERROR: don't know how to run your application.\n"
    try Data(text.utf8).write(to: log)
    let all = try CLI.run(["explain", "--format", "jsonl", log.path])
    #expect(all.stdout.components(separatedBy: #""type":"finding""#).count - 1 == 2)
    let one = try CLI.run(["explain", "--format", "jsonl", "--max-findings", "1", log.path])
    #expect(one.stdout.components(separatedBy: #""type":"finding""#).count - 1 == 1)
    #expect(one.stderr.contains("stopped after 1 finding (--max-findings)"), "\(one.stderr)")
    // Stopped within the first chunk: far fewer lines read than the file has.
    let summary = try #require(one.stdout.split(separator: "\n").last)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
    let lines = try #require(object["lines"] as? Int)
    #expect(lines < 10_000, "read \(lines) lines")
  }

  @Test func watchEndsAfterTheLimitAndScanRefusesItWithState() throws {
    let input = "KeyError: 'OPENSHIFT_REPO_DIR'\nERROR: don't know how to run your application.\nKeyError: 'OPENSHIFT_DATA_DIR'\n"
    let watch = try CLI.run(["watch", "--format", "jsonl", "--max-findings", "2"], stdin: input)
    #expect(watch.stdout.components(separatedBy: #""type":"finding""#).count - 1 == 2, "\(watch.stdout)")
    let refused = try CLI.run(["scan", "--state", "/tmp/never.sqlite", "--max-findings", "1", "x.log"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--max-findings stops reading part-way"))
    let zero = try CLI.run(["explain", "--max-findings", "0", "x.log"])
    #expect(zero.status == 64)
  }
}
