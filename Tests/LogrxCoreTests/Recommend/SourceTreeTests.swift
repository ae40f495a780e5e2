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

@Suite struct SourceTreeTests {
  func tree(_ files: [String: String]) throws -> (SourceTree, URL) {
    let root = try Trees.make(files.mapValues { Trees.File($0) })
    return (try SourceTree(path: root.path), root)
  }

  @Test func theV2StarterLayout() throws {
    let tree = try SourceTree(path: Fixtures.path("Corpus/apps/v2-starter"))
    #expect(tree.settingsModules == ["wsgi/myproject/myproject/settings.py"])
    #expect(tree.managePy == "wsgi/myproject/manage.py")
    #expect(tree.wsgiEntry == "wsgi/application")
    #expect(tree.requirements == nil)
    #expect(tree.setupPy == "setup.py")
    #expect(tree.value(for: "tree.requirements") == "requirements.txt")
    #expect(tree.notes.isEmpty)
    #expect(tree.file(forLogPath: "/opt/app-root/src/wsgi/application") == "wsgi/application")
    #expect(tree.file(forLogPath: "/var/lib/openshift/5a1b/app-root/runtime/repo/wsgi/myproject/manage.py") == "wsgi/myproject/manage.py")
    #expect(tree.file(forLogPath: "/opt/app-root/lib64/python2.7/UserDict.py") == nil)
  }

  @Test func aRenamedProjectAtTheRoot() throws {
    let (tree, root) = try tree([
      "manage.py": "execute_from_command_line(sys.argv)\n",
      "shop/settings.py": "ALLOWED_HOSTS = ['*']\nDATABASES = {}\nSTATIC_ROOT = 'static'\n",
      "shop/wsgi.py": "application = get_wsgi_application()\n",
      "shop/urls.py": "urlpatterns = []\n",
      "requirements.txt": "Django\n",
      "venv/lib/settings.py": "ALLOWED_HOSTS = []\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.settingsModules == ["shop/settings.py"])
    #expect(tree.managePy == "manage.py")
    #expect(tree.wsgiEntry == "shop/wsgi.py")
    #expect(tree.value(for: "tree.wsgi_home") == ".")
    #expect(tree.value(for: "tree.wsgi_module") == "shop.wsgi")
    #expect(tree.requirements == "requirements.txt")
    #expect(!tree.files.contains { $0.hasPrefix("venv/") })
  }

  /// A project V2 ran through OPENSHIFT_PYTHON_WSGI_APPLICATION=site/site_settings/wsgi.py
  /// (brandonchinn178/worshipmate-legacy): gunicorn serves `site_settings.wsgi` from `site`.
  @Test func aDeepProjectWsgiGivesItsHomeAndModule() throws {
    let (tree, root) = try tree([
      "site/manage.py": "execute_from_command_line(sys.argv)\n",
      "site/site_settings/wsgi.py": "application = get_wsgi_application()\n",
      "site/site_settings/settings.py": "ALLOWED_HOSTS = []\nDATABASES = {}\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.wsgiEntry == "site/site_settings/wsgi.py")
    #expect(tree.value(for: "tree.wsgi_home") == "site")
    #expect(tree.value(for: "tree.wsgi_module") == "site_settings.wsgi")
  }

  /// The entry forces `main.settings.production`, which only star-imports the base settings,
  /// and a stray copy of the package sits at the root (AdamCottrill/fsis-II): the module below
  /// the entry's folder wins, and manage.py (defaulting to `main.settings`) is pointed at it.
  @Test func theEntryFolderWinsOverAStrayCopyAtTheRoot() throws {
    let (tree, root) = try tree([
      "wsgi/application": "os.environ['DJANGO_SETTINGS_MODULE'] = 'main.settings.production'\n",
      "wsgi/manage.py": "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"main.settings\")\nexecute_from_command_line(sys.argv)\n",
      "wsgi/main/settings/__init__.py": "",
      "wsgi/main/settings/base.py": "INSTALLED_APPS = []\nDATABASES = {}\nSTATIC_ROOT = 'x'\nALLOWED_HOSTS = []\n",
      "wsgi/main/settings/production.py": "from main.settings.base import *\nDEBUG = False\n",
      "main/settings/production.py": "from main.settings.base import *\nDATABASES = {}\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.settingsModules.first == "wsgi/main/settings/production.py")
    #expect(tree.manageSettings == "main.settings.production")
  }

  @Test func aSettingsPackagePrefersTheModuleThatDefinesMost() throws {
    let (tree, root) = try tree([
      "site/settings/base.py": "INSTALLED_APPS = []\nDATABASES = {}\nSTATIC_ROOT = 'x'\nALLOWED_HOSTS = []\n",
      "site/settings/production.py": "from .base import *\nALLOWED_HOSTS = ['example.com']\n",
      "site/manage.py": "x\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.settingsModules == ["site/settings/base.py", "site/settings/production.py"])
    #expect(tree.notes == ["no WSGI entry (wsgi/application, wsgi.py, <package>/wsgi.py or app.py)"])
  }

  @Test func manageSettingsWhenManagePyDefaultsToOtherSettings() throws {
    let settings = "INSTALLED_APPS = []\nDATABASES = {}\nALLOWED_HOSTS = []\n"
    let (tree, root) = try tree([
      "wsgi/application": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.openshift')\n",
      "wsgi/shop/manage.py": "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings.development\")\n",
      "wsgi/shop/shop/settings/__init__.py": "",
      "wsgi/shop/shop/settings/development.py": settings,
      "wsgi/shop/shop/settings/openshift.py": settings,
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.settingsModules.first == "wsgi/shop/shop/settings/openshift.py")
    #expect(tree.value(for: "tree.manage_settings") == "shop.settings.openshift")

    // The same default, or a default module that star-imports the winning one: nothing to set.
    let (same, sameRoot) = try self.tree([
      "wsgi/application": "os.environ['DJANGO_SETTINGS_MODULE'] = 'shop.settings'\n",
      "wsgi/shop/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
      "wsgi/shop/shop/settings.py": settings,
    ])
    defer { try? FileManager.default.removeItem(at: sameRoot) }
    #expect(same.value(for: "tree.manage_settings") == nil)
    let (package, packageRoot) = try self.tree([
      "site.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings.testing')\n",
      "blog/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n",
      "blog/settings/__init__.py": "if ENV == 'testing':\n    from .testing import *\n",
      "blog/settings/testing.py": settings,
    ])
    defer { try? FileManager.default.removeItem(at: packageRoot) }
    #expect(package.value(for: "tree.manage_settings") == nil)
    // Through another module: __init__ → .testing → .common, where the settings are assigned.
    let (chain, chainRoot) = try self.tree([
      "blog/manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n",
      "blog/settings/__init__.py": "if ENV == 'testing':\n    from .testing import *\n",
      "blog/settings/testing.py": "from .common import *\nSECRET_KEY = 'x'\n",
      "blog/settings/common.py": settings,
    ])
    defer { try? FileManager.default.removeItem(at: chainRoot) }
    #expect(chain.settingsModules.first == "blog/settings/common.py")
    #expect(chain.value(for: "tree.manage_settings") == nil)
  }

  /// Two projects side by side at the same depth (CodeCloudMe/HomeBroil: the app's `mysite`
  /// next to the quickstart's unused `myproject`): the manage.py beside the winning settings
  /// runs them, not the alphabetically first one.
  @Test func theManagePyBesideTheWinningSettingsIsUsed() throws {
    let (tree, root) = try tree([
      "wsgi/application": "os.environ['DJANGO_SETTINGS_MODULE'] = 'mysite.settings'\n",
      "wsgi/myproject/manage.py": "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"myproject.settings\")\n",
      "wsgi/myproject/myproject/settings.py": "ALLOWED_HOSTS = []\nDATABASES = {}\nSTATIC_ROOT = 'x'\nINSTALLED_APPS = []\n",
      "wsgi/mysite/manage.py": "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n",
      "wsgi/mysite/mysite/settings.py": "ALLOWED_HOSTS = ['*']\nDATABASES = {}\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.settingsModules.first == "wsgi/mysite/mysite/settings.py")
    #expect(tree.managePy == "wsgi/mysite/manage.py")
    #expect(tree.manageSettings == nil)
    #expect(tree.notes.contains("several manage.py files; using wsgi/mysite/manage.py, beside the settings wsgi/mysite/mysite/settings.py"))
  }

  @Test func ambiguityAndAbsenceAreSaid() throws {
    let (tree, root) = try tree([
      "a/settings.py": "ALLOWED_HOSTS = []\n",
      "b/settings.py": "ALLOWED_HOSTS = []\n",
      "x/manage.py": "",
      "y/z/manage.py": "",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(tree.notes.contains("several manage.py files; using the shallowest, x/manage.py"))
    #expect(tree.notes.contains("several settings modules (a/settings.py, b/settings.py); using a/settings.py"))
    let (empty, emptyRoot) = try self.tree(["README": "hi\n"])
    defer { try? FileManager.default.removeItem(at: emptyRoot) }
    #expect(empty.notes.contains("no manage.py"))
    #expect(empty.notes.contains("no Django settings module (a file assigning ALLOWED_HOSTS or DATABASES)"))
  }

  @Test func assignmentsAreAtTheStartOfALine() {
    #expect(SourceTree.assigns("LOGGING", in: "x = 1\nLOGGING = {\n}"))
    #expect(SourceTree.assigns("LOGGING", in: "LOGGING={}"))
    #expect(!SourceTree.assigns("LOGGING", in: "# LOGGING = {}\nif LOGGING == 1: pass\n"))
    #expect(!SourceTree.assigns("LOGGING", in: "LOGGING_LEVEL = 'INFO'\n"))
  }
}

@Suite struct PredictorTests {
  @Test func theV2StarterPredictsTheGuidesFailuresWithTheirLines() throws {
    let tree = try SourceTree(path: Fixtures.path("Corpus/apps/v2-starter"))
    let predicted = Predictor(catalog: Fixtures.catalog, tree: tree).findings()
    let cited = Dictionary(predicted.map { ($0.rule.id, "\($0.source.file):\($0.firstLine)") }, uniquingKeysWith: { first, _ in first })
    let envLine = try lineNumber(of: "os.environ['OPENSHIFT_REPO_DIR']", in: "wsgi/application")
    let hostsLine = try lineNumber(of: "os.environ.get('OPENSHIFT_APP_DNS')", in: "wsgi/myproject/myproject/settings.py")
    #expect(cited["openshift-v2-env-missing"] == "wsgi/application:\(envLine)")
    #expect(cited["django-allowed-hosts-none"] == "wsgi/myproject/myproject/settings.py:\(hostsLine)")
    #expect(cited["s2i-no-app-to-run"] == "wsgi/application:1")
    #expect(predicted.allSatisfy { $0.predicted })
    #expect(predicted.first { $0.rule.id == "openshift-v2-env-missing" }?.captures["var"] == "OPENSHIFT_REPO_DIR")
  }

  @Test func theOneRoundMigrationLeavesNothingToPredict() throws {
    let tree = try SourceTree(path: Fixtures.path("Corpus/apps/v2-starter.migrated"))
    let predicted = Predictor(catalog: Fixtures.catalog, tree: tree).findings()
    // The volume and strategy commands stay (they cannot be checked from the tree).
    #expect(predicted.map(\.rule.id) == ["k8s-pvc-multi-attach"])
  }

  /// The guide's end state runs on the Python 2.7 image of 2017; for today's builder the tree
  /// still predicts the upgrades.
  @Test func theGuidesEndStatePredictsTheUpgradesForTodaysBuilder() throws {
    let tree = try SourceTree(path: Fixtures.path("Corpus/apps/v2-starter.fixed"))
    let predicted = Predictor(catalog: Fixtures.catalog, tree: tree).findings()
    #expect(
      Set(predicted.map(\.rule.id)) == [
        "k8s-pvc-multi-attach", "python-setuptools-flat-layout", "django-too-old-for-python", "python-secrets-module-shadowed",
        "django-middleware-classes", "django-conf-urls-url-removed", "django-include-admin-urls",
      ])
  }

  /// Source files are read as they are, not as a pasted log: a comment of exactly 80
  /// characters is not the first piece of a terminal-wrapped line (joined to the call below it,
  /// the call hid behind the comment's `#` and went unpredicted, on a real tree's `app.py`), and
  /// a markdown fence in a docstring drops nothing.
  @Test func sourceLinesAreNotUnwrappedLikeAPastedLog() throws {
    let comment = "    # serve(application, '0.0.0.0', 8080) when testing from another machine....."
    #expect(comment.count == 80)
    let app = """
      import os
      from wsgiref.simple_server import make_server
      from game import application
      \"\"\"
      ```
      \"\"\"
      if __name__ == '__main__':
      \(comment)
          make_server('localhost', 8080, application).serve_forever()

      """
    let (tree, root) = try SourceTreeTests().tree(["app.py": app, "game.py": "def application(environ, start_response):\n    pass\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    let predicted = Predictor(catalog: Fixtures.catalog, tree: tree).findings()
    let loopback = try #require(predicted.first { $0.rule.id == "app-listens-wrong-port" })
    #expect(loopback.source.file == "app.py")
    #expect(loopback.firstLine == 9)
    #expect(loopback.captures["loopback"] == "localhost")
  }

  func lineNumber(of text: String, in file: String) throws -> Int {
    let content = try String(contentsOfFile: Fixtures.path("Corpus/apps/v2-starter/\(file)"), encoding: .utf8)
    let lines = content.components(separatedBy: "\n")
    return try #require(lines.firstIndex { $0.contains(text) }) + 1
  }
}
