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

/// Every rule with a fix has a fixture: its patch, applied with the real `git apply` to a
/// copy of the before tree, gives the expected after tree (modes included), and a second
/// run on that tree changes nothing. `after/` holds the files that differ from the before
/// tree (the rest is the before tree as it is). Record with LOGRX_RECORD=1 and review the diff.
@Suite struct FixFixtureTests {
  static let recording = ProcessInfo.processInfo.environment["LOGRX_RECORD"] == "1"

  @Test func everyRuleWithAFixHasAFixture() {
    let withFixes = Set(Fixtures.catalog.rules.filter { !$0.fixes.isEmpty }.map(\.id))
    #expect(withFixes.subtracting(FixFixtures.all.map(\.rule)).sorted() == [])
  }

  @Test(arguments: FixFixtures.all) func patchGivesTheExpectedTree(fixture: FixFixtures.Fixture) throws {
    let work = try Trees.copy(Fixtures.path("Corpus/\(fixture.source)"))
    defer { try? FileManager.default.removeItem(at: work) }
    let (plan, findings) = FixFixtures.plan(fixture, tree: try SourceTree(path: work.path))
    #expect(findings.contains { $0.rule.id == fixture.rule }, "the fixture does not trigger \(fixture.rule)")
    #expect(plan.conflicts == [])
    #expect(!plan.changes.isEmpty || !plan.commands.isEmpty, "the fixture does not exercise the fix of \(fixture.rule)")
    let patch = UnifiedDiff.render(plan.changes)
    if !patch.isEmpty {
      let result = try Trees.gitApply(patch, in: work)
      #expect(result.status == 0, "git apply failed: \(result.output)")
    }
    let commands = plan.commands.map(\.run).joined(separator: "\n") + (plan.commands.isEmpty ? "" : "\n")
    let after = URL(fileURLWithPath: "\(fixture.folder)/after")
    let before = Trees.read(URL(fileURLWithPath: Fixtures.path("Corpus/\(fixture.source)")))
    let actual = Trees.read(work)
    if Self.recording {
      try? FileManager.default.removeItem(at: after)
      let changed = actual.filter { before[$0.key] != $0.value }
      if !changed.isEmpty {
        let written = try Trees.make(changed)
        try Trees.run("/bin/mv", [written.path, after.path])
      }
      try commands.write(toFile: "\(fixture.folder)/commands.txt", atomically: true, encoding: .utf8)
      return
    }
    let expected = before.merging(Trees.read(after)) { _, changed in changed }
    #expect(Set(actual.keys) == Set(expected.keys))
    for (path, file) in expected.sorted(by: { $0.key < $1.key }) { #expect(actual[path] == file, "\(path)") }
    #expect(commands == (try String(contentsOfFile: "\(fixture.folder)/commands.txt", encoding: .utf8)))

    // Idempotent: the fixed tree needs nothing more.
    let (again, _) = FixFixtures.plan(fixture, tree: try SourceTree(path: work.path))
    #expect(again.changes.map(\.path) == [])
  }
}
