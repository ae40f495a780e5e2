import Foundation
import Yams
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// The labelled corpus: `Corpus/logs/<area>/manifest.yaml` files (paths in them are relative
/// to `Corpus/logs/`) and the goldens under `Corpus/expected/`.
public enum Corpus {
  public struct Entry: Sendable, CustomStringConvertible {
    /// Path relative to `Corpus/logs/`.
    public var file: String
    /// Every rule id that must fire, and no other.
    public var expect: [String]
    public var note: String
    public var description: String { file }
  }

  public static let manifests: [String] = InputFiles.expand([Fixtures.path("Corpus/logs")]).files.filter {
    $0.hasSuffix("/manifest.yaml")
  }

  public static let entries: [Entry] = manifests.flatMap { path -> [Entry] in
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
      let list = (try? Yams.load(yaml: text)) as? [[String: Any]]
    else { return [] }
    return list.map {
      Entry(file: $0["file"] as? String ?? "", expect: $0["expect"] as? [String] ?? [], note: $0["note"] as? String ?? "")
    }
  }

  /// Analyses one corpus file; findings name it by its path relative to the package root.
  public static func findings(for entry: Entry, catalog: RuleCatalog = Fixtures.catalog) -> (findings: [Finding], analysis: Analysis) {
    let relative = "Corpus/logs/\(entry.file)"
    let analysis = Analysis(catalog: catalog, identity: .byPod)
    analysis.analyze(path: Fixtures.path(relative), name: relative)
    return (FindingRenderer(catalog: catalog, namedInLogs: analysis.deploymentConfigsSeen.last).rendered(analysis.findings(), lastPod: analysis.lastPod), analysis)
  }

  /// The golden JSON Lines report of one corpus file.
  public static func jsonLines(for entry: Entry) -> String {
    let (findings, analysis) = findings(for: entry)
    let sink = StringSink()
    JSONLinesReporter().report(
      findings,
      summary: RunSummary(
        inputs: ["Corpus/logs/\(entry.file)"], bytes: analysis.bytesRead, lines: analysis.linesRead,
        diagnostics: analysis.diagnostics),
      to: sink)
    return sink.text
  }

  public static func goldenPath(for entry: Entry) -> String {
    Fixtures.path("Corpus/expected/\(entry.file).jsonl")
  }
}
