import Foundation
import Yams
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules

/// A labelled corpus: manifests that list log files with the rules that must fire on each.
///
/// A manifest is a YAML list of `{file, expect, note}`. `file` is relative to the manifest's
/// folder, or to the folder above it (so `Corpus/logs/guide/manifest.yaml` may say
/// `guide/01-build.log`). `expect` lists every rule id that must fire on the file, and no other.
public struct LabelledCorpus: Sendable {
  public struct Entry: Sendable {
    public var path: String
    public var expect: Set<String>
    public var note: String
    /// Where the entry is written.
    public var location: SourceLocation
  }

  public private(set) var entries: [Entry] = []
  public private(set) var diagnostics: [Diagnostic] = []

  /// Reads manifests: files, or folders searched for `manifest.yaml`.
  public init(paths: [String]) {
    var manifests: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        manifests += InputFiles.expand([path]).files.filter { $0.hasSuffix("/manifest.yaml") || $0 == "manifest.yaml" }
      } else {
        manifests.append(path)
      }
    }
    for manifest in manifests { read(manifest) }
  }

  private mutating func read(_ manifest: String) {
    guard let text = try? String(contentsOfFile: manifest, encoding: .utf8) else {
      diagnostics.append(Diagnostic(.error, at: nil, "cannot read the manifest", file: manifest))
      return
    }
    let node: Node?
    do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
      diagnostics.append(RuleLoader.diagnostic(for: error, file: manifest))
      return
    } catch {
      diagnostics.append(Diagnostic(.error, at: nil, "invalid YAML: \(error)", file: manifest))
      return
    }
    guard let list = node?.sequence else {
      diagnostics.append(Diagnostic(.error, at: SourceLocation(file: manifest, line: 1, column: 1), "a manifest is a list of {file, expect, note}"))
      return
    }
    let folder = (manifest as NSString).deletingLastPathComponent
    let parent = (folder as NSString).deletingLastPathComponent
    for item in list {
      let location = SourceLocation(file: manifest, line: item.mark?.line ?? 1, column: item.mark?.column ?? 1)
      guard let fields = item.mapping, let file = fields["file"]?.string else {
        diagnostics.append(Diagnostic(.error, at: location, "each entry needs 'file' and 'expect'"))
        continue
      }
      let candidates = [folder, parent].map { $0.isEmpty ? file : "\($0)/\(file)" }
      guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
        diagnostics.append(Diagnostic(.error, at: location, "no file '\(file)' next to the manifest (or in the folder above it)"))
        continue
      }
      let expect = fields["expect"]?.sequence?.compactMap(\.string) ?? []
      entries.append(Entry(path: path, expect: Set(expect), note: fields["note"]?.string ?? "", location: location))
    }
  }
}

/// Precision and recall of the rules over a labelled corpus, with every miss and false alarm.
public struct Evaluation: Sendable {
  /// Counts for one rule.
  public struct Score: Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var precision: Double {
      truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double {
      truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
  }

  /// A rule that fired where it should not have, or did not fire where it should have.
  public struct Mistake: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case miss, falseAlarm = "false alarm" }
    public var kind: Kind
    public var rule: String
    public var file: String
    public var line: Int?
    public var detail: String

    public var description: String {
      "\(file)\(line.map { ":\($0)" } ?? ""): \(kind.rawValue): \(rule)\(detail.isEmpty ? "" : ": \(detail)")"
    }
  }

  public private(set) var scores: [String: Score] = [:]
  public private(set) var mistakes: [Mistake] = []
  public private(set) var files = 0

  /// Runs `catalog` over every entry of `corpus`.
  public init(corpus: LabelledCorpus, catalog: RuleCatalog) {
    for id in catalog.rules.map(\.id) { scores[id] = Score() }
    for entry in corpus.entries {
      files += 1
      let analysis = Analysis(catalog: catalog, identity: .byPod)
      analysis.analyze(path: entry.path)
      let findings = analysis.findings()
      let fired = Set(findings.map(\.rule.id))
      for id in fired.union(entry.expect) {
        var score = scores[id] ?? Score()
        switch (fired.contains(id), entry.expect.contains(id)) {
        case (true, true): score.truePositives += 1
        case (true, false):
          score.falsePositives += 1
          let finding = findings.first { $0.rule.id == id }
          mistakes.append(
            Mistake(
              kind: .falseAlarm, rule: id, file: entry.path, line: finding?.firstLine,
              detail: finding?.evidence.first?.text ?? ""))
        case (false, true):
          score.falseNegatives += 1
          mistakes.append(Mistake(kind: .miss, rule: id, file: entry.path, line: nil, detail: entry.note))
        case (false, false): break
        }
        scores[id] = score
      }
    }
  }

  /// All rules together.
  public var overall: Score {
    scores.values.reduce(into: Score()) {
      $0.truePositives += $1.truePositives
      $0.falsePositives += $1.falsePositives
      $0.falseNegatives += $1.falseNegatives
    }
  }

  /// A table for people: one line per rule that the corpus exercises, then the total.
  public func table() -> String {
    let rows = scores.filter { $0.value.truePositives + $0.value.falsePositives + $0.value.falseNegatives > 0 }
      .sorted { $0.key < $1.key }
    let width = max(4, rows.map(\.key.count).max() ?? 0)
    func line(_ name: String, _ score: Score) -> String {
      name.padding(toLength: width, withPad: " ", startingAt: 0)
        + String(format: "  %4d  %4d  %4d  %9.3f  %6.3f", score.truePositives, score.falsePositives, score.falseNegatives, score.precision, score.recall)
    }
    var out = "rule".padding(toLength: width, withPad: " ", startingAt: 0) + "    tp    fp    fn  precision  recall\n"
    for (name, score) in rows { out += line(name, score) + "\n" }
    out += line("all", overall) + "\n"
    let unexercised = scores.filter { $0.value.truePositives + $0.value.falsePositives + $0.value.falseNegatives == 0 }.keys.sorted()
    if !unexercised.isEmpty { out += "rules with no labelled file: \(unexercised.joined(separator: ", "))\n" }
    return out
  }
}
