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

/// The real binary moves from its own prefilter to Vectorscan after 1 MiB, compiled on another
/// thread while the scan goes on: on inputs well past that point (the corpus's real logs, one
/// big file and a folder of many), every finding and every line of the report must be what the
/// binary reports with its own prefilter alone (`LOGRX_PREFILTER=builtin`) and with Vectorscan
/// from the first byte (`LOGRX_PREFILTER=vectorscan`).
@Suite(.serialized) struct PrefilterSwitchTests {
  /// The real logs of `Corpus/logs`, each file's bytes.
  static func corpusLogs() throws -> [(name: String, bytes: Data)] {
    let files = InputFiles.expand([Fixtures.path("Corpus/logs")]).files.filter { !$0.hasSuffix("manifest.yaml") && !$0.hasSuffix(".gz") }
    return try files.map { path in (URL(fileURLWithPath: path).lastPathComponent, try #require(FileManager.default.contents(atPath: path))) }
  }

  static func scans(_ target: String) throws -> [String: CLI.Result] {
    var results: [String: CLI.Result] = [:]
    for mode in ["builtin", "vectorscan", ""] {
      results[mode] = try CLI.run(["scan", "--no-progress", "--format", "jsonl", target], environment: ["LOGRX_PREFILTER": mode])
    }
    return results
  }

  /// The corpus's logs one after the other, repeated to at least `size` bytes.
  static func blob(_ size: Int) throws -> Data {
    let logs = try corpusLogs()
    #expect(logs.count > 50)
    var big = Data()
    while big.count < size {
      for log in logs {
        big.append(log.bytes)
        if big.last != UInt8(ascii: "\n") { big.append(UInt8(ascii: "\n")) }
      }
    }
    return big
  }

  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-switch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func oneBigFileReportsTheSameWithEitherPrefilter() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("node.log").path
    try Self.blob(6 << 20).write(to: URL(fileURLWithPath: path))
    let results = try Self.scans(path)
    let own = try #require(results["builtin"])
    #expect(own.status == 1, "\(own.stderr)")
    #expect(own.stdout.split(separator: "\n").count > 20)
    #expect(results["vectorscan"]?.stdout == own.stdout)
    #expect(results[""]?.stdout == own.stdout)
    #expect(results[""]?.status == own.status)
  }

  /// 16 files cut at line boundaries: the move to Vectorscan happens inside one of them, and
  /// the files after it are read on Vectorscan from their first byte.
  @Test func aFolderOfFilesReportsTheSameWithEitherPrefilter() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let big = try Self.blob(4 << 20)
    var start = big.startIndex
    for index in 0..<16 {
      var end = index == 15 ? big.endIndex : big.startIndex + (index + 1) * big.count / 16
      while end < big.endIndex, big[end - 1] != UInt8(ascii: "\n") { end += 1 }
      try big[start..<end].write(to: folder.appendingPathComponent(String(format: "part-%02d.log", index)))
      start = end
    }
    let results = try Self.scans(folder.path)
    let own = try #require(results["builtin"])
    #expect(own.stdout.split(separator: "\n").count > 20)
    #expect(results["vectorscan"]?.stdout == own.stdout)
    #expect(results[""]?.stdout == own.stdout)
  }
}
