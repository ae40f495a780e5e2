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

/// The scan state on real files and a real SQLite database: what a rerun reads, and what it
/// says about each finding.
@Suite struct ScanStateTests {
  let folder = Fixtures.temporaryDirectory()
  var podLog: URL {
    folder.appendingPathComponent("var/log/pods/myproject_django-1-abcde_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50/django/0.log")
  }
  var database: String { folder.appendingPathComponent("state.sqlite").path }

  func write(_ text: String, to url: URL, append: Bool = false) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if append, let handle = try? FileHandle(forWritingTo: url) {
      handle.seekToEndOfFile()
      handle.write(Data(text.utf8))
      try handle.close()
    } else {
      try Data(text.utf8).write(to: url)
    }
  }

  func scan(report: ReportMode = .all, at time: Date = Date()) throws -> ScanResult {
    let scanner = ScanJob(catalog: Fixtures.catalog, state: try ScanState(path: database))
    scanner.report = report
    scanner.now = { time }
    return try scanner.scan(paths: [folder.appendingPathComponent("var/log").path])
  }

  static let keyError = "2024-05-01T10:15:00.000000000Z stderr F KeyError: 'OPENSHIFT_REPO_DIR'\n"
  static let healthy = "2024-05-01T10:16:00.000000000Z stdout F [wsgi] GET / HTTP/1.1 200\n"
  static let oom = "2024-05-01T10:17:00.000000000Z stderr F [2024-05-01 10:17:00 +0000] [1] [ERROR] Worker (pid:9) was sent SIGKILL! Perhaps out of memory?\n"

  @Test func aRerunReadsOnlyNewBytesAndKeepsCounting() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.keyError + Self.healthy, to: podLog)
    let first = try scan()
    #expect(first.seen.map(\.rule.id) == ["openshift-v2-env-missing"])
    #expect(first.history.values.map(\.status) == [.new])
    #expect(first.bytes == Int64((Self.keyError + Self.healthy).utf8.count))

    // Nothing new: nothing read.
    let second = try scan()
    #expect(second.bytes == 0 && second.unchanged == 1 && second.seen.isEmpty)

    // Appended lines, and a line still being written: the complete ones are read, numbered on.
    try write(Self.oom + Self.keyError + "2024-05-01T10:18:00Z stdout P half a li", to: podLog, append: true)
    let third = try scan()
    #expect(third.bytes == Int64((Self.oom + Self.keyError).utf8.count))
    let keyError = try #require(third.seen.first { $0.rule.id == "openshift-v2-env-missing" })
    #expect(keyError.firstLine == 4)
    #expect(third.history[keyError.fingerprint]?.status == .ongoing)
    #expect(third.history[keyError.fingerprint]?.count == 2)
    let oom = try #require(third.seen.first { $0.rule.id == "gunicorn-worker-oom-killed" })
    #expect(third.history[oom.fingerprint]?.status == .new)
    #expect(oom.source.pod == "django-1-abcde" && oom.source.namespace == "myproject" && oom.source.container == "django")

    // --report new leaves out what an earlier run reported.
    try write(Self.keyError, to: podLog, append: true)
    let fourth = try scan(report: .new)
    #expect(fourth.seen.map(\.rule.id) == ["openshift-v2-env-missing"])
    #expect(fourth.findings.isEmpty)
  }

  @Test func rotationTruncationAndResolution() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.keyError, to: podLog)
    _ = try scan()
    // Rotated: 0.log renamed (same inode) and a fresh 0.log. The rotated file is not read
    // again; the new one is read whole; the pod goes on without the KeyError: resolved.
    let rotated = podLog.deletingLastPathComponent().appendingPathComponent("0.log.20240501-101500")
    try write(Self.healthy, to: podLog, append: true)
    try FileManager.default.moveItem(at: podLog, to: rotated)
    try write(Self.healthy, to: podLog)
    let afterRotation = try scan()
    #expect(afterRotation.bytes == Int64(2 * Self.healthy.utf8.count))
    #expect(afterRotation.seen.isEmpty)
    #expect(afterRotation.resolved.map(\.rule) == ["openshift-v2-env-missing"])
    #expect(afterRotation.resolved.first?.status == .resolved)

    // Truncated in place (copytruncate): read again from the start, and a resolved finding
    // that comes back is new again.
    try write(Self.keyError, to: rotated)
    let afterTruncation = try scan()
    #expect(afterTruncation.diagnostics.contains { $0.message.contains("truncated") })
    #expect(afterTruncation.history.values.map(\.status) == [.new])

    let history = try ScanState(path: database).history()
    #expect(history.map(\.rule) == ["openshift-v2-env-missing"])
    #expect(history.first?.count == 2)
  }

  @Test func aDeletedPodsFindingsAreResolved() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.keyError, to: podLog)
    _ = try scan()
    try FileManager.default.removeItem(at: podLog.deletingLastPathComponent().deletingLastPathComponent())
    try write(Self.healthy, to: folder.appendingPathComponent("var/log/other.log"))
    let result = try scan()
    #expect(result.resolved.map(\.rule) == ["openshift-v2-env-missing"])
  }

  @Test func compressedRotatedFilesAreReadOnce() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let gz = podLog.deletingLastPathComponent().appendingPathComponent("1.log.20240430-090000.gz")
    try write(Self.keyError, to: gz)
    _ = try Trees.run("/usr/bin/gzip", ["-f", "-n", gz.path.replacingOccurrences(of: ".gz", with: "")], cwd: nil)
    try FileManager.default.moveItem(atPath: gz.path.replacingOccurrences(of: ".gz", with: "") + ".gz", toPath: gz.path + ".tmp")
    try FileManager.default.moveItem(atPath: gz.path + ".tmp", toPath: gz.path)
    let first = try scan()
    #expect(first.seen.map(\.rule.id) == ["openshift-v2-env-missing"])
    let second = try scan()
    #expect(second.bytes == 0 && second.unchanged == 1)
  }

  @Test func aStateFileThatIsNotADatabaseIsAClearError() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("hello, not sqlite\n" + String(repeating: "x", count: 200), to: URL(fileURLWithPath: database))
    #expect {
      _ = try ScanState(path: database).history()
    } throws: { error in
      "\(error)".contains("not an SQLite database")
    }
  }

  @Test func metricsAreValidPrometheusText() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(Self.keyError + Self.oom, to: podLog)
    let result = try scan()
    let text = PrometheusMetrics().render(result, finished: Date(timeIntervalSince1970: 1_714_558_500))
    #expect(text.contains("logrx_findings{rule=\"openshift-v2-env-missing\",severity=\"error\",namespace=\"myproject\"} 1"), "\(text)")
    #expect(text.contains("logrx_findings_new{rule=\"openshift-v2-env-missing\",severity=\"error\",namespace=\"myproject\"} 1"), "\(text)")
    #expect(text.contains("logrx_scan_last_timestamp_seconds 1714558500.000"))
    // Every sample line is `name{labels} value` or `name value`, after its HELP and TYPE.
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      #expect(line.wholeMatch(of: /[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? [0-9.]+/) != nil, "\(line)")
    }
  }
}
