import Foundation
import LogrxTestSupport
import LogrxVocabulary
import LogrxRecommend
import Testing

@Suite struct FixActionTests {
  /// The hand-written `==` of 40b98fb compared kinds and templates only, so two chmods of one
  /// file with different modes merged into one.
  @Test func twoChmodsWithDifferentModesStayTwo() {
    let modes: Set<ResolvedFix> = [.chmod(file: "app.sh", mode: 0o755), .chmod(file: "app.sh", mode: 0o644)]
    #expect(modes.count == 2)
    let creates: Set<ResolvedFix> = [
      .create(path: "app.sh", mode: 0o755, content: "x"), .create(path: "app.sh", mode: 0o644, content: "x"),
    ]
    #expect(creates.count == 2)
    #expect(ResolvedFix.replace(file: "a", regex: "x", with: "y", unless: nil) != .replace(file: "a", regex: "x", with: "y", unless: "y"))
  }

  @Test func templatesResolveEveryValueAndKeepTheRest() {
    let template = FixTemplate.env(
      file: Template(".s2i/environment"), set: [Assignment(key: Template("${var}"), value: Template("${tree.repo_dir}/data"))])
    let resolved = template.resolved { ["var": "OPENSHIFT_DATA_DIR", "tree.repo_dir": "/opt/app-root/src"][$0] }
    #expect(resolved == .env(file: ".s2i/environment", set: [Assignment(key: "OPENSHIFT_DATA_DIR", value: "/opt/app-root/src/data")]))
    #expect(resolved.summary == "set OPENSHIFT_DATA_DIR=/opt/app-root/src/data in .s2i/environment")
    let block = FixTemplate.pythonBlock(file: Template("${tree.settings}"), unlessDefined: "LOGGING", block: Template("LOGGING = {}\n"))
    #expect(block.resolved { _ in "settings.py" } == .pythonBlock(file: "settings.py", unlessDefined: "LOGGING", block: "LOGGING = {}\n"))
  }

  @Test func editingMovesTheFileAndLeavesCommandsAlone() {
    #expect(ResolvedFix.chmod(file: "/opt/app-root/src/app.sh", mode: 0o755).editing("app.sh") == .chmod(file: "app.sh", mode: 0o755))
    let command = ResolvedFix.command(run: "oc rollout latest dc/django", why: nil)
    #expect(command.editing("x") == command)
    #expect(command.file == nil)
  }

  @Test func codableRoundTrip() throws {
    let fixes: [ResolvedFix] = [
      .env(file: ".s2i/environment", set: [Assignment(key: "A", value: "1")]), .requirement(file: "requirements.txt", package: "gunicorn"),
      .create(path: "app.sh", mode: 0o755, content: "#!/bin/sh\n"), .ensureLine(file: ".gitignore", line: "data/"),
      .pythonBlock(file: "settings.py", unlessDefined: "LOGGING", block: "LOGGING = {}\n"),
      .replace(file: "urls.py", regex: "^x$", with: "y", unless: nil), .chmod(file: "run.sh", mode: 0o755),
      .command(run: "oc get pods", why: "to see"),
    ]
    let data = try JSONEncoder().encode(fixes)
    #expect(try JSONDecoder().decode([ResolvedFix].self, from: data) == fixes)
  }

  /// Two rules asking for different modes of one file in one plan: the first is kept and the
  /// second does not pass for it.
  @Test func aPlanKeepsTheRunBitAChmodAsksFor() {
    var plan = Plan { path in path == "run.sh" ? ("#!/bin/sh\n", 0o644) : nil }
    plan.apply(.chmod(file: "run.sh", mode: 0o755), rule: "one")
    #expect(plan.changes.map(\.mode) == [0o755])
  }
}
