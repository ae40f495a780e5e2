import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules

/// Runs every rule's own examples through the whole pipeline, as written and in the shapes
/// real logs arrive in (CRLF endings, ANSI colours, a CRI node-log prefix).
public struct RuleTester {
  /// A way of dressing an example as it would appear in a real log.
  public enum Variant: String, CaseIterable, Sendable {
    case plain, crlf, ansi, cri

    public func apply(to text: String) -> String {
      let lines = text.hasSuffix("\n") ? String(text.dropLast()).components(separatedBy: "\n") : text.components(separatedBy: "\n")
      switch self {
      case .plain: return text
      case .crlf: return lines.map { $0 + "\r\n" }.joined()
      case .ansi: return lines.map { "\u{1B}[0;31m" + $0 + "\u{1B}[0m\n" }.joined()
      case .cri: return lines.map { "2024-05-01T10:15:00.000000000Z stdout F " + $0 + "\n" }.joined()
      }
    }
  }

  /// An example that did not behave.
  public struct Failure: Sendable, CustomStringConvertible {
    public var rule: String
    public var location: SourceLocation
    public var variant: Variant
    public var problem: String

    public var description: String { "\(location): \(rule) [\(variant.rawValue)]: \(problem)" }
  }

  public let catalog: RuleCatalog

  public init(catalog: RuleCatalog) { self.catalog = catalog }

  /// Runs the examples of `rule`; returns the failures and the number of checks made.
  public func test(_ rule: Rule) -> (failures: [Failure], checks: Int) {
    let alone = catalog.restricted(to: [rule.id])
    var failures: [Failure] = []
    var checks = 0
    // A failure as written is reported once, not again for every variant.
    for example in rule.matchExamples {
      for variant in Variant.allCases {
        checks += 1
        let findings = Self.findings(in: variant.apply(to: example.text), catalog: alone)
        guard let finding = findings.first(where: { $0.rule.id == rule.id }) else {
          failures.append(
            Failure(
              rule: rule.id, location: example.location, variant: variant,
              problem: "match example produced no finding:\n\(Self.indent(example.text))"))
          break
        }
        let wrong = example.captures.sorted(by: { $0.key < $1.key }).filter { finding.captures[$0.key] != $0.value }
        for (name, expected) in wrong {
          failures.append(
            Failure(
              rule: rule.id, location: example.location, variant: variant,
              problem: "capture '\(name)' is \(finding.captures[name].map { "'\($0)'" } ?? "missing"), expected '\(expected)'"))
        }
        if !wrong.isEmpty { break }
      }
    }
    for example in rule.nomatchExamples {
      for variant in Variant.allCases {
        checks += 1
        let findings = Self.findings(in: variant.apply(to: example.text), catalog: alone)
        if let finding = findings.first(where: { $0.rule.id == rule.id }) {
          let line = finding.evidence.last?.text ?? ""
          failures.append(
            Failure(rule: rule.id, location: example.location, variant: variant, problem: "nomatch example produced a finding on: \(line)"))
          break
        }
      }
    }
    return (failures, checks)
  }

  /// Analyses `text` as one input.
  public static func findings(in text: String, catalog: RuleCatalog) -> [Finding] {
    let analysis = Analysis(catalog: catalog)
    var source = MemorySource(Array(text.utf8))
    analysis.analyze(&source, name: "example")
    return analysis.findings()
  }

  static func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
  }
}
