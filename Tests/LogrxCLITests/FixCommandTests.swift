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

/// `logrx fix` end to end, with the built binary and the real `git apply`.
@Suite(.serialized) struct FixCommandTests {
  static let guideLogs = [
    "01-build-no-manage-py.log", "02-pod-no-app.log", "03-get-pods-crashloop.txt", "04-pod-keyerror-repo-dir.log",
    "05-pod-500-no-logging.log", "06-pod-allowed-hosts-none.log", "07-pod-static-404.log", "08-pod-db-not-initialized.log",
    "09-events-multi-attach.txt", "10-rsh-undefined-symbol.txt",
  ].map { Fixtures.path("Corpus/logs/guide/\($0)") }

  func assertSameTree(_ actual: URL, _ expected: String) {
    let got = Trees.read(actual)
    let want = Trees.read(URL(fileURLWithPath: expected))
    #expect(Set(got.keys) == Set(want.keys))
    for (path, file) in want.sorted(by: { $0.key < $1.key }) { #expect(got[path] == file, "\(path)") }
  }

  /// The guide's chain: its logs and the V2 starter give the guide's end state in one patch.
  @Test func theGuidesChainReproduces() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    defer { try? FileManager.default.removeItem(at: work) }
    let result = try CLI.run(["fix", "--source", work.path, "--no-predict"] + Self.guideLogs)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("diff --git a/.s2i/environment b/.s2i/environment\nnew file mode 100644\n"))
    let applied = try Trees.gitApply(result.stdout, in: work)
    #expect(applied.status == 0, "\(applied.output)")
    assertSameTree(work, Fixtures.path("Corpus/apps/v2-starter.fixed"))
    // The commands, with the names from the logs.
    for command in [
      "oc set volume dc/django --add --name=data --claim-name=django-data --type pvc --claim-size=1G --mount-path /opt/app-root/src/data",
      "oc scale dc/django --replicas=0",
      "oc patch dc/django --patch '{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}'",
      "oc scale dc/django --replicas=1",
      "oc rsh dc/django powershift image exec python wsgi/myproject/manage.py migrate --noinput",
      "oc rsh dc/django powershift image exec python wsgi/myproject/manage.py createsuperuser",
    ] {
      #expect(result.stderr.contains("  \(command)\n"), "missing: \(command)")
    }
    // Safe to run twice: the fixed tree needs no change.
    let again = try CLI.run(["fix", "--source", work.path, "--no-predict"] + Self.guideLogs)
    #expect(again.stdout == "")
    #expect(again.stderr.contains("0 files to change"))
  }

  @Test func patchIsAcceptedByPatchMinusP1Too() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    defer { try? FileManager.default.removeItem(at: work) }
    let result = try CLI.run(["fix", "--source", work.path, "--no-predict"] + Self.guideLogs)
    let patchFile = work.appendingPathComponent("../fix-\(UUID().uuidString).patch").standardizedFileURL
    try Data(result.stdout.utf8).write(to: patchFile)
    defer { try? FileManager.default.removeItem(at: patchFile) }
    let patched = try Trees.run("/usr/bin/patch", ["-p1", "-i", patchFile.path], cwd: work)
    #expect(patched.status == 0, "\(patched.output)")
    #expect(Trees.read(work)["wsgi/myproject/myproject/settings.py"] == Trees.read(URL(fileURLWithPath: Fixtures.path("Corpus/apps/v2-starter.fixed")))["wsgi/myproject/myproject/settings.py"])
  }

  @Test func applyWritesTheSameTreeAndIsIdempotent() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    defer { try? FileManager.default.removeItem(at: work) }
    let dry = try CLI.run(["fix", "--source", work.path, "--no-predict", "--dry-run"] + Self.guideLogs)
    #expect(dry.stdout.contains("app.sh: create (mode 755) ["))
    #expect(Trees.read(work) == Trees.read(URL(fileURLWithPath: Fixtures.path("Corpus/apps/v2-starter"))))
    let first = try CLI.run(["fix", "--source", work.path, "--no-predict", "--apply"] + Self.guideLogs)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("wrote app.sh"))
    assertSameTree(work, Fixtures.path("Corpus/apps/v2-starter.fixed"))
    let second = try CLI.run(["fix", "--source", work.path, "--no-predict", "--apply"] + Self.guideLogs)
    #expect(!second.stderr.contains("wrote "))
    assertSameTree(work, Fixtures.path("Corpus/apps/v2-starter.fixed"))
  }

  @Test func aConflictingFileIsReportedAndLeftUntouched() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    defer { try? FileManager.default.removeItem(at: work) }
    let mine = "#!/bin/sh\nexec gunicorn myproject.wsgi\n"
    try Data(mine.utf8).write(to: work.appendingPathComponent("app.sh"))
    let result = try CLI.run(["fix", "--source", work.path, "--no-predict", "--apply"] + Self.guideLogs)
    #expect(result.status == 1)
    #expect(result.stderr.contains("refused: app.sh: s2i-no-app-to-run would create it, but it exists with other content; left as it is"))
    #expect(Trees.read(work)["app.sh"]?.content == mine)
    #expect(Trees.read(work)[".s2i/environment"] != nil)
  }

  @Test func aPathFromALogThatLeavesTheTreeIsRefused() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    let pack = Fixtures.temporaryDirectory()
    defer {
      try? FileManager.default.removeItem(at: work)
      try? FileManager.default.removeItem(at: pack)
    }
    // A rule that takes the file to edit from the log, as a careless rule might.
    let rule = Fixtures.ruleYAML(
      id: "path-from-log", regex: "write to (?<path>\\S+)",
      extra: "fix:\n  - ensure_line: { file: \"${path}\", line: \"pwned\" }")
    try Data(rule.utf8).write(to: pack.appendingPathComponent("path-from-log.yaml"))
    let log = pack.appendingPathComponent("evil.log")
    try Data("please write to ../../../../etc/passwd now\n".utf8).write(to: log)
    let result = try CLI.run(["fix", "--source", work.path, "--rules", pack.path, "--no-builtin", "--apply", log.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("refused: refusing '../../../../etc/passwd': it is outside the source tree (from path-from-log)"))
  }

  @Test func withoutASourceTreeThePatchStatesItsAssumptions() throws {
    let result = try CLI.run(["fix", Fixtures.path("Corpus/logs/guide/02-pod-no-app.log")])
    #expect(result.status == 0)
    #expect(result.stdout.contains("+exec mod_wsgi-express start-server $ARGS wsgi/application"))
    #expect(result.stderr.contains("assumption: no --source given and the logs do not show where: assumed tree.manage_py = wsgi/myproject/manage.py, tree.wsgi_entry = wsgi/application (the OpenShift V2 Django starter's layout)"))
    // Only what the findings use is said to be assumed.
    #expect(!result.stderr.contains("wsgi/myproject/myproject/settings.py"))
  }

  /// One round from the tree alone: the guide's eight cycles and today's builder's upgrades.
  @Test func oneRoundFromTheTreeAloneGivesTheMigratedApp() throws {
    let work = try Trees.copy(Fixtures.path("Corpus/apps/v2-starter"))
    defer { try? FileManager.default.removeItem(at: work) }
    let result = try CLI.run(["fix", "--source", work.path, "--app", "django"])
    #expect(result.status == 0, "\(result.stderr)")
    for rule in [
      "s2i-manage-py-missing", "s2i-no-app-to-run", "openshift-v2-env-missing", "django-500-unlogged",
      "django-allowed-hosts-none", "django-static-404", "django-db-not-initialized", "k8s-pvc-multi-attach",
      "python-secrets-module-shadowed", "python-setuptools-flat-layout", "django-too-old-for-python",
      "django-middleware-classes", "django-conf-urls-url-removed", "django-include-admin-urls",
    ] {
      #expect(result.stderr.contains("  \(rule) (predicted from "), "not predicted: \(rule)")
    }
    #expect(result.stderr.contains("openshift-v2-env-missing (predicted from wsgi/application:"))
    let applied = try Trees.gitApply(result.stdout, in: work)
    #expect(applied.status == 0, "\(applied.output)")
    assertSameTree(work, Fixtures.path("Corpus/apps/v2-starter.migrated"))
    let again = try CLI.run(["fix", "--source", work.path, "--app", "django"])
    #expect(again.stdout == "")
  }

  @Test func usageErrors() throws {
    #expect(try CLI.run(["fix"]).status == 64)
    #expect(try CLI.run(["fix", "--apply", "x.log"]).status == 64)
    let notADirectory = try CLI.run(["fix", "--source", "/no/such/dir", "x.log"])
    #expect(notADirectory.status == 2)
    #expect(notADirectory.stderr.contains("/no/such/dir: not a folder"))
  }

  /// A Node.js tree or an empty folder gets a clear refusal and exit 2, never Python
  /// scaffolding or a quiet "0 files to change" (issue #12 item 8); nothing is written.
  @Test func aTreeWithoutPythonIsRefused() throws {
    let node = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: node) }
    try FileManager.default.createDirectory(at: node.appendingPathComponent("src"), withIntermediateDirectories: true)
    try #"{"name": "shop", "scripts": {"start": "node src/server.js"}}"#.write(to: node.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
    try "require('http').createServer((q, s) => s.end('ok')).listen(8080)\n".write(to: node.appendingPathComponent("src/server.js"), atomically: true, encoding: .utf8)
    let refused = try CLI.run(["fix", "--source", node.path, "--apply"])
    #expect(refused.status == 2)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.contains("not a Python app: a Node.js app (package.json)"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: node.path).sorted() == ["package.json", "src"])

    let empty = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let none = try CLI.run(["fix", "--source", empty.path])
    #expect(none.status == 2)
    #expect(none.stderr.contains("not a Python app: an empty folder"))

    // V2's extension-less entry alone is a Python app.
    try FileManager.default.createDirectory(at: empty.appendingPathComponent("wsgi"), withIntermediateDirectories: true)
    try "def application(environ, start_response):\n    pass\n".write(to: empty.appendingPathComponent("wsgi/application"), atomically: true, encoding: .utf8)
    #expect(try CLI.run(["fix", "--source", empty.path]).status != 2)
  }
}

extension FixCommandTests {
  @Test func withoutASourceTreeTheLogsRevealTheLayout() throws {
    let log = """
      Traceback (most recent call last):
        File "/opt/app-root/src/mysite/wsgi.py", line 16, in <module>
          application = get_wsgi_application()
        File "/opt/app-root/src/mysite/settings.py", line 31, in <module>
          ALLOWED_HOSTS = [os.environ['OPENSHIFT_APP_DNS']]
      KeyError: 'OPENSHIFT_APP_DNS'

      """
    let result = try CLI.run(["fix", "-"], stdin: log)
    #expect(result.stdout.contains("+OPENSHIFT_APP_DNS=*"))
    #expect(result.stderr.contains("assumption: no --source given: tree.settings is mysite/settings.py, as the log shows"))
    #expect(result.stderr.contains("tree.wsgi_entry is mysite/wsgi.py, as the log shows"))
  }
}
