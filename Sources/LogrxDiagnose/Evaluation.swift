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
///
/// An entry may instead be labelled by what it shows, as in `Corpus/reallogs`: `kind`
/// (`failure`, `healthy` or `near-miss`), for a failure its root `cause` (a rule id, or
/// `unclassified`) and `also`, symptoms that may be reported as well. Such entries are scored
/// by ``CauseScore`` (the top finding against the cause), not by `expect`.
public struct LabelledCorpus: Sendable {
  public struct Entry: Sendable {
    public var path: String
    public var expect: Set<String>
    public var note: String
    /// Where the entry is written.
    public var location: SourceLocation
    /// `failure`, `healthy` or `near-miss` for an entry labelled by what it shows; nil for an
    /// `expect` entry.
    public var kind: String? = nil
    /// A failure's root cause (a rule id or `unclassified`).
    public var cause: String? = nil
    /// Symptoms that may be reported as well.
    public var also: [String] = []
    /// The manifest that lists the entry.
    public var manifest: String = ""
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
      var entry = Entry(path: path, expect: Set(expect), note: fields["note"]?.string ?? "", location: location)
      entry.manifest = manifest
      if let kind = fields["kind"]?.string {
        guard ["failure", "healthy", "near-miss"].contains(kind) else {
          diagnostics.append(Diagnostic(.error, at: location, "kind must be failure, healthy or near-miss; got '\(kind)'"))
          continue
        }
        entry.kind = kind
        entry.cause = fields["cause"]?.string
        entry.also = fields["also"]?.sequence?.compactMap(\.string) ?? []
        if kind == "failure", entry.cause == nil {
          diagnostics.append(Diagnostic(.error, at: location, "a failure needs its 'cause' (a rule id, or unclassified)"))
          continue
        }
      }
      entries.append(entry)
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
  /// Root-cause scores of the entries labelled by `kind`, one per manifest, in reading order.
  public private(set) var causeScores: [CauseScore] = []

  /// Runs `catalog` over every entry of `corpus`.
  public init(corpus: LabelledCorpus, catalog: RuleCatalog) {
    for id in catalog.rules.map(\.id) { scores[id] = Score() }
    for entry in corpus.entries {
      files += 1
      let analysis = Analysis(catalog: catalog, identity: .byPod)
      analysis.analyze(path: entry.path)
      let findings = analysis.findings()
      if let kind = entry.kind {
        if causeScores.last?.manifest != entry.manifest { causeScores.append(CauseScore(manifest: entry.manifest)) }
        causeScores[causeScores.count - 1].add(entry, kind: kind, findings: findings)
        continue
      }
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

/// How well the top finding names the root cause, over the entries of one manifest labelled by
/// `kind`: the measures of `scripts/reallogs/score.py`.
///
/// The top finding is the first root cause (findings come correlated: root causes first, in
/// stage order) at warning or error level. A failure is *right* when its rule is the entry's
/// `cause`, *found* when the cause is among the findings but not on top, *symptom* when the top
/// is one of `also`, *silent* when no finding is at warning or error level, and *wrong*
/// otherwise. A negative (healthy or near-miss) is a *false alarm* with any error-level finding,
/// *warned* with a warning only.
public struct CauseScore: Sendable {
  public enum Outcome: String, Sendable, CaseIterable {
    case right = "top == cause", found = "cause found", symptom = "symptom only", wrong, silent
    case falseAlarm = "false alarm", warned, quiet
  }

  public var manifest: String
  public private(set) var failures = 0
  public private(set) var negatives = 0
  public private(set) var counts: [Outcome: Int] = [:]
  /// Every entry that is not right (failures) or quiet (negatives), with what was reported.
  public private(set) var misses: [String] = []

  public init(manifest: String) { self.manifest = manifest }

  mutating func add(_ entry: LabelledCorpus.Entry, kind: String, findings: [Finding]) {
    let loud = findings.filter { $0.rule.severity >= .warning }
    let top = (loud.first { $0.isRootCause } ?? loud.first)?.rule.id
    let ids = Set(findings.map(\.rule.id))
    let outcome: Outcome
    if kind == "failure" {
      failures += 1
      if top == entry.cause {
        outcome = .right
      } else if let cause = entry.cause, ids.contains(cause) {
        outcome = .found
      } else if loud.isEmpty {
        outcome = .silent
      } else if let top, entry.also.contains(top) {
        outcome = .symptom
      } else {
        outcome = .wrong
      }
    } else {
      negatives += 1
      outcome = findings.contains { $0.rule.severity == .error } ? .falseAlarm : loud.isEmpty ? .quiet : .warned
    }
    counts[outcome, default: 0] += 1
    if outcome != .right, outcome != .quiet {
      misses.append("\(entry.path): \(outcome.rawValue): cause \(entry.cause ?? "-"), top \(top ?? "-"), all [\(ids.sorted().joined(separator: ", "))]")
    }
  }

  public func count(_ outcome: Outcome) -> Int { counts[outcome] ?? 0 }

  /// Root-cause accuracy: failures whose top finding is their cause.
  public var accuracy: Double { failures == 0 ? 1 : Double(count(.right)) / Double(failures) }
  /// Failures with no warning or error finding.
  public var silentRate: Double { failures == 0 ? 0 : Double(count(.silent)) / Double(failures) }
  /// Negatives with an error-level finding.
  public var falseAlarmRate: Double { negatives == 0 ? 0 : Double(count(.falseAlarm)) / Double(negatives) }

  /// A Markdown table for people: the three headline rates, then every outcome.
  public func table() -> String {
    func row(_ name: String, _ count: Int, _ total: Int) -> String {
      "| \(name) | \(count)/\(total) | " + String(format: "%.1f%%", total == 0 ? 0 : 100 * Double(count) / Double(total)) + " |\n"
    }
    var out = "\(manifest): \(failures) failures, \(negatives) negatives\n\n| measure | count | rate |\n| --- | --- | --- |\n"
    out += row("root cause right (top == cause)", count(.right), failures)
    out += row("silent", count(.silent), failures)
    out += row("false alarm", count(.falseAlarm), negatives)
    for outcome in [Outcome.found, .symptom, .wrong] { out += row("failures: \(outcome.rawValue)", count(outcome), failures) }
    for outcome in [Outcome.warned, .quiet] { out += row("negatives: \(outcome.rawValue)", count(outcome), negatives) }
    return out
  }
}
