import Foundation
import LogrxCore
import LogrxTestSupport
import Testing

/// Every rule with a fix has a fixture: its patch, applied with the real `git apply` to a
/// copy of the before tree, gives the expected after tree (modes included), and a second
/// run on that tree changes nothing. Record with LOGRX_RECORD=1 and review the diff.
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
    let patch = UnifiedDiff.render(plan.changes)
    if !patch.isEmpty {
      let result = try Trees.gitApply(patch, in: work)
      #expect(result.status == 0, "git apply failed: \(result.output)")
    }
    let commands = plan.commands.map(\.run).joined(separator: "\n") + (plan.commands.isEmpty ? "" : "\n")
    let after = URL(fileURLWithPath: "\(fixture.folder)/after")
    if Self.recording {
      try? FileManager.default.removeItem(at: after)
      try Trees.run("/bin/cp", ["-a", work.path, after.path])
      try commands.write(toFile: "\(fixture.folder)/commands.txt", atomically: true, encoding: .utf8)
      return
    }
    let expected = Trees.read(after)
    let actual = Trees.read(work)
    #expect(Set(actual.keys) == Set(expected.keys))
    for (path, file) in expected.sorted(by: { $0.key < $1.key }) { #expect(actual[path] == file, "\(path)") }
    #expect(commands == (try String(contentsOfFile: "\(fixture.folder)/commands.txt", encoding: .utf8)))

    // Idempotent: the fixed tree needs nothing more.
    let (again, _) = FixFixtures.plan(fixture, tree: try SourceTree(path: work.path))
    #expect(again.changes.map(\.path) == [])
  }
}
