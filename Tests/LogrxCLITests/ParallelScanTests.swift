import Foundation
import LogrxTestSupport
import Testing
import LogrxIngest

/// `logrx scan --jobs N` reads a large file's parts on N threads: the real binary's report,
/// standard error and exit status must be the same as with `--jobs 1`, on the corpus's real
/// logs cut into many small parts and on a big file whose tracebacks, CRI joins and docker
/// lines straddle the part boundaries.
@Suite(.serialized) struct ParallelScanTests {
  static func scan(_ arguments: [String], jobs: Int, partSize: Int?) throws -> CLI.Result {
    var environment: [String: String] = [:]
    if let partSize { environment["LOGRX_PART_SIZE"] = String(partSize) }
    return try CLI.run(["scan", "--no-progress", "--jobs", String(jobs)] + arguments, environment: environment)
  }

  static func untimed(_ text: String) -> String {
    text.replacingOccurrences(of: #" in [0-9.]+ (m?s)"#, with: " in TIME", options: .regularExpression)
  }

  static func expectSame(_ arguments: [String], partSize: Int?) throws {
    let one = try scan(arguments, jobs: 1, partSize: partSize)
    #expect(one.stdout.split(separator: "\n").count > 20, "\(one.stderr)")
    for jobs in [2, 4] {
      let many = try scan(arguments, jobs: jobs, partSize: partSize)
      #expect(many.stdout == one.stdout, "--jobs \(jobs) \(arguments) parts of \(partSize ?? 0)")
      // The summary line says how long the run took.
      #expect(untimed(many.stderr) == untimed(one.stderr))
      #expect(many.status == one.status)
    }
  }

  @Test func theCorpusLogsReportTheSameOnOneThreadAndOnSeveral() throws {
    for format in ["jsonl", "text"] {
      // Parts of 1 KiB: most corpus files are cut in several places.
      try Self.expectSame(["--format", format, Fixtures.path("Corpus/logs")], partSize: 1024)
    }
  }

  /// The corpus's logs, with tracebacks, CRI `P`/`F` joins and docker json-file lines between
  /// them, repeated to 3 MB: parts of the default size (1 MiB) and of 50 000 bytes.
  @Test func aBigFileReportsTheSameOnOneThreadAndOnSeveral() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-jobs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let logs = InputFiles.expand([Fixtures.path("Corpus/logs")]).files.filter { !$0.hasSuffix("manifest.yaml") && !$0.hasSuffix(".gz") }
    var big = Data()
    var round = 0
    while big.count < 3 << 20 {
      for (index, path) in logs.enumerated() {
        big.append(try #require(FileManager.default.contents(atPath: path)))
        if big.last != UInt8(ascii: "\n") { big.append(UInt8(ascii: "\n")) }
        let stamp = "2024-05-01T10:15:00.\(String(format: "%09d", round * 1000 + index))Z"
        var between = [
          "Traceback (most recent call last):",
          "  File \"/opt/app-root/src/app\(round)/wsgi.py\", line \(index + 1), in <module>",
          "    import module\(round)x\(index)",
          "ModuleNotFoundError: No module named 'module\(round)x\(index)'",
          "\(stamp) stderr P Traceback (most recent call last):",
          "\(stamp) stderr F   File \"/opt/app-root/src/cri\(round).py\", line \(index + 1), in <module>",
          "\(stamp) stderr F KeyError: 'OPENSHIFT_CRI_\(round)_\(index)'",
          #"{"log":"\u001b[31mImportError: No module named pkg\#(round)x\#(index)\u001b[0m\n","stream":"stderr","time":"\#(stamp)"}"#,
        ]
        between += (0..<(index % 40)).map { "10.128.0.\($0) - - [01/May/2024:10:15:00 +0000] \"GET /health HTTP/1.1\" 200 2" }
        big.append(Data((between.joined(separator: "\n") + "\n").utf8))
      }
      round += 1
    }
    let path = folder.appendingPathComponent("node.log").path
    try big.write(to: URL(fileURLWithPath: path))
    try Self.expectSame(["--format", "jsonl", path], partSize: nil)
    try Self.expectSame(["--format", "jsonl", path], partSize: 50_000)
  }

  /// Failure signals (some on calm-level lines, which do not count), input contexts and
  /// deployment configs on every few lines of a big file cut into 4 KiB parts and of small
  /// files read ahead: the signals' templates are worked out on the threads that match, and
  /// the contexts noted once a file and batch; the `unclassified` findings, their evidence
  /// and the severities that depend on contexts must come out as on one thread. The big file
  /// has more than the 500 signal lines a file keeps.
  @Test func failureSignalsAndContextsAcrossPartsReportTheSame() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-jobs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func lines(_ count: Int, seed: Int) -> String {
      (0..<count).map { index in
        let n = seed * 100_000 + index
        switch index % 9 {
        case 0: return "2024-05-01 10:15:00,\(n % 1000) ERROR [worker-\(n % 7)] job \(n) could not finish: queue q\(n % 13) closed"
        case 1: return "2024-05-01 10:15:01 WARNING Forbidden (Referer checking failed - no Referer.): /login/\(n)"
        case 2: return "E0501 10:15:00.\(100_000 + n % 900_000) 1 kubelet.go:\(n % 3000)] pod app-\(n % 11) sync failed"
        case 3: return "+ oc logs dc/app-\(n % 5) --tail=\(n % 50)"
        case 4: return "---> Installing dependencies \(n)"
        case 5: return "Error: cannot open /data/part-\(n).bin: Permission denied"
        case 6: return "  INFO: request \(n) failed over to replica \(n % 3)"
        default: return "10.128.0.\(n % 250) - - [01/May/2024:10:15:00 +0000] \"GET /item/\(n) HTTP/1.1\" 200 \(n % 900)"
        }
      }.joined(separator: "\n") + "\n"
    }
    let failing = try String(contentsOfFile: Fixtures.path("Corpus/logs/guide/02-pod-no-app.log"), encoding: .utf8)
    try (lines(6000, seed: 1) + failing + lines(3000, seed: 2)).write(
      to: folder.appendingPathComponent("big.log"), atomically: true, encoding: .utf8)
    for file in 0..<16 {
      try (lines(40 + file * 7, seed: 10 + file) + (file % 4 == 3 ? "" : failing)).write(
        to: folder.appendingPathComponent("small-\(file).log"), atomically: true, encoding: .utf8)
    }
    for format in ["jsonl", "text"] {
      try Self.expectSame(["--format", format, folder.path], partSize: 4096)
    }
  }

  @Test func jobsMustBeAPositiveNumber() throws {
    let result = try CLI.run(["scan", "--jobs", "0", Fixtures.path("Corpus/logs/guide")])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--jobs must be 1 or more"))
    let environment = try CLI.run(["scan", Fixtures.path("Corpus/logs/guide")], environment: ["LOGRX_JOBS": "many"])
    #expect(environment.status == 64)
    #expect(environment.stderr.contains("LOGRX_JOBS='many'"))
  }
}
