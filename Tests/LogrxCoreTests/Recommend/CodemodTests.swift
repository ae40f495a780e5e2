import Foundation
import LogrxTestSupport
import Testing
import LogrxVocabulary
import LogrxRecommend

/// The codemod fix kind: real tools (2to3 from this machine's Python, django-upgrade as
/// `scripts/setup --test` installs it, logrx's own rewrites) on a scratch copy, their edits
/// read back; a missing tool changes nothing and says so.
@Suite struct CodemodTests {
  static let py2 = "import urlparse\n\ndef f(d):\n    for k, v in d.iteritems():\n        print \"%s=%s\" % (k, v)\n    try:\n        return urlparse.urlparse(d['u'])\n    except KeyError, e:\n        return None\n"
  static let py3 = "def g(a, b):\n    print(a, b)\n    return {k: v for k, v in dict(a=a).items()}\n"

  func plan(_ files: [String: String], _ fixes: [ResolvedFix]) -> Plan {
    var plan = Plan(listing: files.keys.sorted()) { path in files[path].map { ($0, 0o644) } }
    for fix in fixes { plan.apply(fix, rule: "test-rule") }
    plan.finish()
    return plan
  }

  @Test func twoToThreePortsPython2FilesAndLeavesPython3Alone() {
    let fix = ResolvedFix.codemod(tool: "2to3", files: ["**/*.py"])
    let first = plan(["app/views.py": Self.py2, "app/util.py": Self.py3], [fix])
    #expect(first.conflicts == [])
    let ported = first.files["app/views.py"]?.content ?? ""
    #expect(ported.contains("import urllib.parse"))
    #expect(ported.contains("for k, v in d.items():"))
    #expect(ported.contains("print(\"%s=%s\" % (k, v))"))
    #expect(ported.contains("except KeyError as e:"))
    // A file that already is Python 3 keeps its meaning: print(a, b) is not made a tuple.
    #expect(first.changes.map(\.path) == ["app/views.py"])
    // Running it again on the result changes nothing.
    let second = plan(["app/views.py": ported, "app/util.py": Self.py3], [fix])
    #expect(second.changes.isEmpty)
  }

  @Test func ownDjangoRewriteResolvesStringViewsWithThePrefix() {
    let urls = "from django.conf.urls import patterns, url\n\nurlpatterns = patterns('shop.views',\n    url(r'^$', 'index', name='index'),\n    (r'^about/$', 'about'),\n)\n"
    let result = plan(["shop/urls.py": urls], [.codemod(tool: "logrx-django1", files: ["**/urls.py"])])
    #expect(result.conflicts == [])
    #expect(
      result.files["shop/urls.py"]?.content
        == "from django.conf.urls import url\nimport shop.views\n\nurlpatterns = [\n    url(r'^$', shop.views.index, name='index'),\n    url(r'^about/$', shop.views.about),\n]\n")
  }

  @Test func djangoUpgradeAddsOnDelete() throws {
    let models = "from django.db import models\n\nclass Post(models.Model):\n    author = models.ForeignKey('auth.User')\n"
    let result = plan(["blog/models.py": models], [.codemod(tool: "django-upgrade", files: ["**/*.py"])])
    try #require(result.conflicts == [], "django-upgrade must be installed (scripts/setup --test): \(result.conflicts)")
    #expect(result.files["blog/models.py"]?.content.contains("models.ForeignKey('auth.User', on_delete=models.CASCADE)") == true)
  }

  @Test func aMissingToolChangesNothingAndSaysSo() throws {
    let noPython = Codemod.run(tool: "2to3", files: ["a.py": Self.py2], python: "/nonexistent/python3")
    #expect(noPython.changed.isEmpty)
    #expect(noPython.problem?.contains("cannot start /nonexistent/python3") == true)
    // A Python without the tool's package (a fresh virtualenv has no django_upgrade).
    let venv = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-codemod-venv-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: venv) }
    let made = try Trees.run("/usr/bin/env", ["python3", "-m", "venv", "--without-pip", venv.path])
    try #require(made.status == 0, "python3 -m venv failed: \(made.output)")
    let missing = Codemod.run(tool: "django-upgrade", files: ["m.py": "x = 1\n"], python: venv.appendingPathComponent("bin/python3").path)
    #expect(missing.changed.isEmpty)
    #expect(missing.problem?.contains("django-upgrade is not installed") == true)
    #expect(missing.problem?.contains("pip install django-upgrade") == true)
  }

  @Test func aPlanWithoutATreeCannotRunACodemod() {
    var noTree = Plan(hasTree: false) { _ in nil }
    noTree.apply(.codemod(tool: "2to3", files: ["**/*.py"]), rule: "python2-print-statement")
    noTree.finish()
    #expect(noTree.changes.isEmpty)
    #expect(noTree.conflicts.first?.contains("pass --source DIR") == true)
  }

  @Test func vendoredFilesAreLeftAlone() {
    let result = plan(["wsgi/static/brython/Lib/x.py": Self.py2, "app.py": Self.py2], [.codemod(tool: "2to3", files: ["**/*.py", "*.py"])])
    #expect(result.changes.map(\.path) == ["app.py"])
  }
}
