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

@Suite struct PlanTests {
  func plan(_ files: [String: Trees.File], _ fixes: [ResolvedFix]) -> Plan {
    var plan = Plan { path in files[path].map { ($0.content, $0.mode) } }
    for fix in fixes { plan.apply(fix, rule: "test-rule") }
    return plan
  }

  /// The content after applying `fixes`, and after applying them again to the result.
  func twice(_ files: [String: Trees.File], _ fixes: [ResolvedFix], path: String) -> (String?, String?) {
    let first = plan(files, fixes)
    let after = first.files[path].map { Trees.File($0.content, mode: $0.mode) }
    var next = files
    next[path] = after
    let second = plan(next, fixes)
    #expect(second.changes.isEmpty, "second application changed \(second.changes.map(\.path))")
    return (first.files[path]?.content, second.files[path]?.content)
  }

  static func env(_ file: String, _ set: [String]) -> ResolvedFix {
    .env(
      file: file,
      set: set.map {
        let parts = $0.split(separator: "=", maxSplits: 1).map(String.init)
        return Assignment(key: parts[0], value: parts.count > 1 ? parts[1] : "")
      })
  }

  @Test func envSetsKeysOnceAndKeepsOtherLines() {
    let files = [".s2i/environment": Trees.File("# build settings\nUPGRADE_PIP_TO_LATEST=1\n")]
    let (first, _) = twice(files, [Self.env(".s2i/environment", ["OPENSHIFT_REPO_DIR=/opt/app-root/src", "DISABLE_MIGRATE=1"])], path: ".s2i/environment")
    #expect(first == "# build settings\nUPGRADE_PIP_TO_LATEST=1\nOPENSHIFT_REPO_DIR=/opt/app-root/src\nDISABLE_MIGRATE=1\n")
  }

  @Test func envCreatesTheFileAndMergesSeveralRules() {
    var plan = Plan { _ in nil }
    plan.apply(Self.env(".s2i/environment", ["A=1", "B=2"]), rule: "one")
    plan.apply(Self.env(".s2i/environment", ["B=2", "C=3"]), rule: "two")
    plan.apply(Self.env(".s2i/environment", ["A=9"]), rule: "three")
    #expect(plan.changes.map(\.content) == ["A=1\nB=2\nC=3\n"])
    #expect(plan.changes.first?.rules == ["one", "two"])
    #expect(plan.conflicts == [".s2i/environment: three wants A=9, but an earlier fix set A=1; kept the first"])
  }

  @Test func envLeavesAValueTheUserChose() {
    let plan = plan([".s2i/environment": Trees.File("OPENSHIFT_DATA_DIR=/opt/app-root/data\r\n")], [Self.env(".s2i/environment", ["OPENSHIFT_DATA_DIR=/opt/app-root/src/data", "X=1"])])
    #expect(plan.changes.first?.content == "OPENSHIFT_DATA_DIR=/opt/app-root/data\r\nX=1\r\n")
    #expect(plan.notes.count == 1)
  }

  @Test func requirementsCompareNamesNotLines() {
    let fix = ResolvedFix.requirement(file: "requirements.txt", package: "mod_wsgi")
    let (first, _) = twice(["requirements.txt": Trees.File("Django==1.8.4\nrequests>=2")], [fix], path: "requirements.txt")
    #expect(first == "Django==1.8.4\nrequests>=2\nmod_wsgi\n")
    #expect(plan(["requirements.txt": Trees.File("Mod-WSGI==4.5.15\n")], [fix]).changes.isEmpty)
    #expect(plan([:], [fix]).changes.first?.content == "mod_wsgi\n")
  }

  /// A module file of the tree's own (`wsgi/cmsimply.py`, a package's `views.py`) is never added
  /// as a requirement: pip would install whatever PyPI has under that name. A vendored copy
  /// (under static/, a committed virtualenv) does not count.
  @Test func requirementOfTheTreesOwnModuleIsNotAdded() {
    let files = ["requirements.txt": "Flask\n", "wsgi/application": "import cmsimply\n", "wsgi/cmsimply.py": "x = 1\n", "wsgi/static/lib/bottle.py": "\n"]
    func planned(_ package: String) -> Plan {
      var plan = Plan(listing: files.keys.sorted()) { path in files[path].map { ($0, 0o644) } }
      plan.apply(.requirement(file: "requirements.txt", package: package), rule: "python-module-not-found")
      return plan
    }
    let own = planned("cmsimply")
    #expect(own.changes.isEmpty)
    #expect(own.notes.contains { $0.contains("cmsimply") && $0.contains("wsgi/cmsimply.py") })
    #expect(planned("bottle").changes.first?.content == "Flask\nbottle\n")
    #expect(planned("gunicorn").changes.first?.content == "Flask\ngunicorn\n")
  }

  @Test func createMakesTheFileWithItsModeAndNeverOverwrites() {
    let fix = ResolvedFix.create(path: "app.sh", mode: 0o755, content: "#!/bin/bash\nexec true\n")
    let created = plan([:], [fix])
    #expect(created.changes.first?.mode == 0o755)
    #expect(created.changes.first?.isNew == true)
    // Same text without the run bit: only the mode changes.
    let chmod = plan(["app.sh": Trees.File("#!/bin/bash\nexec true\n")], [fix])
    #expect(chmod.changes.first?.mode == 0o755)
    #expect(chmod.changes.first?.content == "#!/bin/bash\nexec true\n")
    // Other text: refused, the user's file stays.
    let other = plan(["app.sh": Trees.File("#!/bin/sh\nexec gunicorn app\n", mode: 0o755)], [fix])
    #expect(other.changes.isEmpty)
    #expect(other.conflicts.first?.hasPrefix("app.sh: test-rule would create it, but it exists with other content") == true)
  }

  @Test func chmodChangesOnlyTheRunBitAndWithoutATreeSaysWhatToRun() {
    let fix = ResolvedFix.chmod(file: "app.sh", mode: 0o755)
    let script = Trees.File("#!/bin/bash\nexec true\n", mode: 0o644)
    let changed = plan(["app.sh": script], [fix])
    #expect(changed.changes.map(\.mode) == [0o755])
    #expect(changed.changes.first?.content == script.content)
    // Already executable (0775 included): nothing to do.
    #expect(plan(["app.sh": Trees.File(script.content, mode: 0o775)], [fix]).changes.isEmpty)
    // A file the tree does not have is not created.
    #expect(plan([:], [fix]).changes.isEmpty)
    // Without a tree the patch cannot carry a mode: a command instead.
    var noTree = Plan(hasTree: false) { _ in nil }
    noTree.apply(fix, rule: "test-rule")
    #expect(noTree.changes.isEmpty)
    #expect(noTree.commands.map(\.run) == ["chmod 755 app.sh && git update-index --chmod=+x app.sh"])
  }

  @Test func pythonBlockIsAddedUnlessTheNameIsAssigned() {
    let fix = ResolvedFix.pythonBlock(file: "settings.py", unlessDefined: "LOGGING", block: "LOGGING = {\n    'version': 1,\n}\n")
    let (first, _) = twice(["settings.py": Trees.File("DEBUG = False\nSTATIC_URL = '/static/'")], [fix], path: "settings.py")
    #expect(first == "DEBUG = False\nSTATIC_URL = '/static/'\n\nLOGGING = {\n    'version': 1,\n}\n")
    #expect(plan(["settings.py": Trees.File("LOGGING = {}\n")], [fix]).changes.isEmpty)
    #expect(plan([:], [fix]).conflicts.count == 1)
  }

  @Test func replaceEditsEveryMatchOnce() {
    let fix = ResolvedFix.replace(
      file: "settings.py", regex: #"^sys\.path\.append\(os\.path\.join\(REPO_DIR, 'libs'\)\)$"#,
      with: "sys.path.insert(0, os.path.join(REPO_DIR, 'libs'))", unless: nil)
    let (first, _) = twice(["settings.py": Trees.File("import sys\nsys.path.append(os.path.join(REPO_DIR, 'libs'))\nimport secrets\n")], [fix], path: "settings.py")
    #expect(first == "import sys\nsys.path.insert(0, os.path.join(REPO_DIR, 'libs'))\nimport secrets\n")
  }

  @Test func ensureLineAppendsOnce() {
    let fix = ResolvedFix.ensureLine(file: ".gitignore", line: "data/db.sqlite3")
    let (first, _) = twice([".gitignore": Trees.File("*.pyc")], [fix], path: ".gitignore")
    #expect(first == "*.pyc\ndata/db.sqlite3\n")
  }

  @Test(arguments: ["../../etc/passwd", "/etc/passwd", "a/../../b", "~/x", ""])
  func pathsOutsideTheTreeAreRefused(path: String) {
    let plan = plan([:], [Self.env(path, ["A=1"])])
    #expect(plan.changes.isEmpty)
    #expect(plan.conflicts.count == 1)
  }

  @Test func commandsAreKeptOnceInOrder() {
    let first = ResolvedFix.command(run: "oc scale dc/django --replicas=0", why: nil)
    let second = ResolvedFix.command(run: "oc patch dc/django --patch '{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}'", why: nil)
    let plan = plan([:], [first, second, first])
    #expect(plan.commands.map(\.run) == [first.run!, second.run!])
  }
}

@Suite struct UnifiedDiffTests {
  func change(_ path: String, from old: String?, _ oldMode: Int? = 0o644, to new: String, mode: Int = 0o644) -> Plan.FileChange {
    Plan.FileChange(path: path, original: old, originalMode: old == nil ? nil : oldMode, content: new, mode: mode, rules: [])
  }

  /// Applies the diff with the real git and returns the resulting files.
  func applied(_ before: [String: Trees.File], _ changes: [Plan.FileChange]) throws -> [String: Trees.File] {
    let root = try Trees.make(before)
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try Trees.gitApply(UnifiedDiff.render(changes), in: root)
    #expect(result.status == 0, "git apply: \(result.output)\n\(UnifiedDiff.render(changes))")
    return Trees.read(root)
  }

  @Test func newExecutableFile() throws {
    let patch = UnifiedDiff.render([change("app.sh", from: nil, to: "#!/bin/bash\nexec x\n", mode: 0o755)])
    #expect(patch == "diff --git a/app.sh b/app.sh\nnew file mode 100755\n--- /dev/null\n+++ b/app.sh\n@@ -0,0 +1,2 @@\n+#!/bin/bash\n+exec x\n")
    let files = try applied([:], [change("app.sh", from: nil, to: "#!/bin/bash\nexec x\n", mode: 0o755)])
    #expect(files["app.sh"] == Trees.File("#!/bin/bash\nexec x\n", mode: 0o755))
  }

  @Test func editsInALongFileGetHunksWithContext() throws {
    let old = (1...40).map { "line \($0)\n" }.joined()
    var lines = (1...40).map { "line \($0)\n" }
    lines[4] = "line five\n"
    lines.insert("inserted\n", at: 30)
    lines.append("last\n")
    let new = lines.joined()
    let patch = UnifiedDiff.render([change("f.txt", from: old, to: new)])
    #expect(patch.components(separatedBy: "\n@@ ").count == 4)  // three hunks
    #expect(try applied(["f.txt": Trees.File(old)], [change("f.txt", from: old, to: new)])["f.txt"]?.content == new)
  }

  @Test func missingFinalNewlineAndCRLFSurvive() throws {
    let old = "A=1\r\nB=2"
    let new = "A=1\r\nB=2\r\nC=3\r\n"
    #expect(UnifiedDiff.render([change(".env", from: old, to: new)]).contains("\\ No newline at end of file"))
    #expect(try applied([".env": Trees.File(old)], [change(".env", from: old, to: new)])[".env"]?.content == new)
  }

  @Test func aModeChangeAlone() throws {
    let files = try applied(["app.sh": Trees.File("x\n")], [change("app.sh", from: "x\n", to: "x\n", mode: 0o755)])
    #expect(files["app.sh"]?.mode == 0o755)
  }

  @Test func randomEditsAlwaysApply() throws {
    var generator = SplitMix(seed: 3)
    for _ in 0..<20 {
      let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in "l\(Int.random(in: 0...5, using: &generator))\n" }
      var new = old
      for _ in 0..<Int.random(in: 1...6, using: &generator) {
        if !new.isEmpty, Bool.random(using: &generator) {
          new.remove(at: Int.random(in: 0..<new.count, using: &generator))
        } else {
          new.insert("n\(Int.random(in: 0...5, using: &generator))\n", at: Int.random(in: 0...new.count, using: &generator))
        }
      }
      let before = old.joined()
      let after = new.joined()
      guard before != after else { continue }
      let files = try applied(["f": Trees.File(before)], [change("f", from: before, to: after)])
      #expect(files["f"]?.content == after)
    }
  }
}

@Suite struct ApplierTests {
  @Test func writesFilesWithModesAndRefusesConflicts() throws {
    let root = try Trees.make(["settings.py": Trees.File("A = 1\n"), "changed.txt": Trees.File("now\n")])
    defer { try? FileManager.default.removeItem(at: root) }
    let tree = try SourceTree(path: root.path)
    let changes = [
      Plan.FileChange(path: "settings.py", original: "A = 1\n", originalMode: 0o644, content: "A = 1\nB = 2\n", mode: 0o644, rules: []),
      Plan.FileChange(path: ".s2i/bin/run", original: nil, originalMode: nil, content: "#!/bin/bash\n", mode: 0o755, rules: []),
      Plan.FileChange(path: "changed.txt", original: "before\n", originalMode: 0o644, content: "after\n", mode: 0o644, rules: []),
    ]
    let outcome = Applier(tree: tree).apply(changes)
    #expect(outcome.written == ["settings.py", ".s2i/bin/run"])
    #expect(outcome.refused == [.conflict(path: "changed.txt", reason: "changed since the plan was made")])
    let files = Trees.read(root)
    #expect(files["settings.py"] == Trees.File("A = 1\nB = 2\n"))
    #expect(files[".s2i/bin/run"] == Trees.File("#!/bin/bash\n", mode: 0o755))
    #expect(files["changed.txt"] == Trees.File("now\n"))
    // No temporary file is left behind.
    #expect(Set(files.keys) == ["settings.py", ".s2i/bin/run", "changed.txt"])
  }

  @Test func neverWritesOutsideTheTreeEvenThroughALink() throws {
    let outside = Fixtures.temporaryDirectory()
    let root = try Trees.make(["a.txt": Trees.File("a\n")])
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: outside)
    }
    try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("escape").path, withDestinationPath: outside.path)
    let tree = try SourceTree(path: root.path)
    let changes = [
      Plan.FileChange(path: "escape/new/evil.txt", original: nil, originalMode: nil, content: "x\n", mode: 0o644, rules: []),
      Plan.FileChange(path: "../evil.txt", original: nil, originalMode: nil, content: "x\n", mode: 0o644, rules: []),
    ]
    let outcome = Applier(tree: tree).apply(changes)
    #expect(outcome.written.isEmpty)
    #expect(outcome.refused == [.outsideTree("escape/new/evil.txt"), .outsideTree("../evil.txt")])
    #expect((try? FileManager.default.contentsOfDirectory(atPath: outside.path)) == [])
  }
}

@Suite struct RecommenderTests {
  @Test func pathsAsTheContainerSawThemMapIntoTheTree() throws {
    let fix = ResolvedFix.ensureLine(file: "/opt/app-root/src/.gitignore", line: "data/")
    let root = try Trees.make([".gitignore": Trees.File("*.pyc\n")])
    defer { try? FileManager.default.removeItem(at: root) }
    let recommender = Recommender(tree: try SourceTree(path: root.path))
    #expect(recommender.mappedIntoTree(fix).file == ".gitignore")
    let outside = fix.editing("/etc/passwd")
    #expect(recommender.mappedIntoTree(outside).file == "/etc/passwd")
  }
}
