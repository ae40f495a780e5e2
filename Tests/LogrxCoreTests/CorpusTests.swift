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

/// Corpus goldens: each log's JSON Lines report is pinned. Record with `make record`
/// (LOGRX_RECORD=1), review the diff, commit; never edit a golden by hand.
@Suite struct CorpusTests {
  static let recording = ProcessInfo.processInfo.environment["LOGRX_RECORD"] == "1"

  @Test func theManifestListsEveryCorpusLog() throws {
    let listed = Set(Corpus.entries.map(\.file))
    let root = Fixtures.path("Corpus/logs")
    let onDisk = Set(InputFiles.expand([root]).files.map { String($0.dropFirst(root.count + 1)) }.filter { !$0.hasSuffix("manifest.yaml") })
    #expect(!listed.isEmpty)
    #expect(listed == onDisk)
  }

  @Test(arguments: Corpus.entries) func expectedRulesFire(entry: Corpus.Entry) {
    let (findings, analysis) = Corpus.findings(for: entry)
    #expect(Set(findings.map(\.rule.id)) == Set(entry.expect), "\(entry.file): \(entry.note)")
    #expect(analysis.diagnostics.isEmpty)
  }

  @Test(arguments: Corpus.entries) func goldenReport(entry: Corpus.Entry) throws {
    let actual = Corpus.jsonLines(for: entry)
    let path = Corpus.goldenPath(for: entry)
    if Self.recording {
      try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    let expected = try #require(try? String(contentsOfFile: path, encoding: .utf8), "no golden at \(path): run `make record`")
    if actual != expected {
      let diff = zip(expected.split(separator: "\n"), actual.split(separator: "\n")).enumerated()
        .first { $0.element.0 != $0.element.1 }
        .map { "line \($0.offset + 1):\n- \($0.element.0)\n+ \($0.element.1)" } ?? "line counts differ"
      Issue.record("golden \(entry.file) differs (run `make record` if the change is intended):\n\(diff)")
    }
  }
}
