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

/// Fix fixtures (semgrep's `.fixed` idea): `Corpus/fixes/<rule>/fixture.yaml` names a before
/// tree and logs; `after/` is the expected tree and `commands.txt` the expected commands. A
/// second fixture of a rule lives in `Corpus/fixes/<rule>.<case>/` with `rule: <rule>`.
public enum FixFixtures {
  public struct Fixture: Sendable, CustomStringConvertible {
    public var rule: String
    /// The before tree, relative to `Corpus/`.
    public var source: String
    /// Logs, relative to `Corpus/`.
    public var logs: [String]
    public var folder: String
    public var description: String { (folder as NSString).lastPathComponent }
  }

  public static let all: [Fixture] = {
    let root = Fixtures.path("Corpus/fixes")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    return names.compactMap { name in
      let folder = "\(root)/\(name)"
      guard let text = try? String(contentsOfFile: "\(folder)/fixture.yaml", encoding: .utf8),
        let fields = (try? Yams.load(yaml: text)) as? [String: Any]
      else { return nil }
      return Fixture(
        rule: fields["rule"] as? String ?? name, source: fields["source"] as? String ?? "apps/v2-starter", logs: fields["logs"] as? [String] ?? [],
        folder: folder)
    }
  }()

  /// Runs the fixture's rule alone over its logs and its tree (predictions included); returns
  /// the plan.
  public static func plan(_ fixture: Fixture, tree: SourceTree) -> (plan: Plan, findings: [Finding]) {
    let catalog = Fixtures.catalog.restricted(to: [fixture.rule])
    let session = Session(catalog: catalog, tree: tree, appName: "django")
    for log in fixture.logs { session.analysis.analyze(path: Fixtures.path("Corpus/\(log)"), name: log) }
    let findings = session.findings()
    return (session.recommender.plan(for: findings), findings)
  }
}
