import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend

/// Issue #13's generalisation work: texts rendered from real examples, live severities before
/// an input's context is known, submodule look-ups, and the shapes of real logs the rules had
/// missed (each line below is taken from an excerpt of Corpus/reallogs/tune).
@Suite struct RealShapesTests {
  /// Every rule's own match examples, analysed with all the rules and rendered as a person
  /// reads them: no regex syntax may leak into a message, an explanation or a fix, whatever the
  /// captures hold (a capture is text of the log, never a piece of the pattern).
  @Test func renderedTextsOfRealExamplesCarryNoRegexSyntax() {
    var problems: [String] = []
    for rule in Fixtures.catalog.rules {
      for example in rule.matchExamples {
        for finding in Fixtures.findings(in: example.text) {
          var texts = [finding.message, finding.explanation]
          for fix in finding.fixes { texts += [fix.summary] + [fix.why, fix.run].compactMap { $0 } }
          for text in texts {
            for syntax in ["(?<", "(?:", "(?=", "(?!", "$<", "\\k<", "\\d+", "\\s*", "\\S+", "[^"] where text.contains(syntax) {
              problems.append("\(rule.id) example at \(example.location) → \(finding.rule.id): \(syntax) in: \(text.prefix(140))")
            }
          }
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.count) texts with regex syntax:\n\(problems.joined(separator: "\n"))")
  }

  /// `watch` prints a finding when it is first seen. A rule whose claim needs a context shows
  /// its `otherwise` severity until the input has shown that context; the summary at the end
  /// weighs it on the whole input.
  @Test func aLiveFindingWaitsForItsContextBeforeItIsAnError() throws {
    final class Collect: FindingSink {
      var seen: [Finding] = []
      func accept(_ finding: Finding) -> Bool {
        seen.append(finding)
        return true
      }
    }
    let text = """
      [2026-12-07 13:36:25 +0000] [6259] [INFO] Listening at: http://127.0.0.1:8000 (6259)
      [2026-12-07 13:36:25 +0000] [6259] [INFO] Using worker: sync
      [2026-12-07 13:36:25 +0000] [6309] [INFO] Booting worker with pid: 6309
      127.0.0.1 - - [07/Dec/2026:13:36:28 +0000] "GET / HTTP/1.1" 200 30 "-" "curl/7.88.1"
      127.0.0.1 - - [07/Dec/2026:13:36:29 +0000] "GET / HTTP/1.1" 200 30 "-" "curl/7.88.1"
      sh-4.2$ ls /opt/app-root/src

      """
    let analysis = Analysis(catalog: Fixtures.catalog)
    let sink = Collect()
    analysis.sink = sink
    // As `watch` reads stdin: one read per line, the lines after it not there yet.
    let input = analysis.startLive(name: "<stdin>")
    var seenBeforeContext: [Finding] = []
    for line in text.split(separator: "\n") {
      if line.contains("/opt/app-root/") { seenBeforeContext = sink.seen }
      var source = MemorySource(Array((line + "\n").utf8))
      _ = input.read(from: &source)
      input.idle()
    }
    input.end()
    #expect(sink.seen.count == seenBeforeContext.count)
    let live = try #require(seenBeforeContext.first { $0.rule.id == "app-listens-wrong-port" })
    #expect(live.rule.severity == .info)
    // The S2I image's path on the next line holds the claim: the final weighing says error.
    let final = try #require(analysis.findings().first { $0.rule.id == "app-listens-wrong-port" })
    #expect(final.rule.severity == .error)
  }

  /// A dotted name whose first part imports is a submodule the package (or the app) lacks:
  /// the table's `default_dotted`, never "add a package of that name".
  @Test func aMissingSubmoduleIsNotAMissingPackage() throws {
    let lookup = try #require(Fixtures.catalog.rules.first { $0.id == "python-module-not-found" }?.lookup)
    let dotted = Fixtures.catalog.lookupCaptures(lookup, key: "shop.signals")
    #expect(dotted["pkg_package"] == "")
    #expect(dotted["pkg_same_name"] == nil)
    #expect(dotted["pkg_note"]?.contains("submodule") == true)
    #expect(Fixtures.catalog.lookupCaptures(lookup, key: "whitenoise")["pkg_same_name"] == "yes")
    let finding = try #require(
      Fixtures.findings(in: "ModuleNotFoundError: No module named 'shop.signals'\n").first { $0.rule.id == "python-module-not-found" })
    #expect(finding.captures["module"] == "shop.signals")
    #expect(finding.fixes.isEmpty)
  }

  /// V2 names outside the table's list take the most specific pattern entry (`OPENSHIFT_*_LOG_DIR`
  /// before `OPENSHIFT_*_DIR`), listed names their own entry, and a name no pattern fits the
  /// `default`, which asks for the value (the names of fedora-python/portingdb,
  /// sztsian/gdanmaku-openshift and the V1/V2 quickstarts of Corpus/realapps).
  @Test func v2NamesBeyondTheListTakePatternEntries() throws {
    let lookup = try #require(Fixtures.catalog.rules.first { $0.id == "openshift-v2-env-missing" }?.lookup)
    let value = { (name: String) in Fixtures.catalog.lookupCaptures(lookup, key: name)["v3_value"] }
    #expect(value("OPENSHIFT_DIY_LOG_DIR") == "/tmp/")
    #expect(value("OPENSHIFT_DEPENDENCIES_DIR") == "/opt/app-root/")
    #expect(value("OPENSHIFT_DATA_DIR") == "/opt/app-root/src/data")
    #expect(value("OPENSHIFT_INTERNAL_IP") == "0.0.0.0")
    #expect(value("OPENSHIFT_NODEJS_PORT") == "8080")
    #expect(value("OPENSHIFT_DB_PORT") == "")
    #expect(Fixtures.catalog.lookupCaptures(lookup, key: "OPENSHIFT_DB_PORT")["v3_ask"] == "yes")
    #expect(Fixtures.catalog.lookupCaptures(lookup, key: "OPENSHIFT_GEAR_UUID")["v3_secret_random"] == "16")
    #expect(Fixtures.catalog.lookupCaptures(lookup, key: "OPENSHIFT_CLOUD_DOMAIN")["v3_ask"] == "yes")
    #expect(Fixtures.catalog.lookupCaptures(lookup, key: "REDIS_PASSWORD")["v3_service"]?.hasPrefix("redis-persistent") == true)
  }

  /// Lines of real logs, each with the rule that must be its root cause.
  @Test(arguments: [
    ("ImportError: libpython3.8.so.1.0: cannot open shared object file: No such file or directory", "python-abi-mismatch"),
    ("F0317 14:39:55.761126 26821 main.go:201] An error occurred: non-zero (13) exit code from openshift/wildfly-8-centos", "openshift-build-failed"),
    ("E0921 18:47:47.463319       1 dockerutil.go:86] push for image 172.30.124.209:5000/default/python-app:latest failed, will retry in 5s ...", "openshift-build-failed"),
    ("TypeError: ForeignKey.__init__() missing 1 required positional argument: 'on_delete'", "django-foreignkey-on-delete"),
    ("CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.", "django-allowed-hosts-empty"),
    ("2026-12-07 13:35:18.788 UTC [3552] FATAL:  data directory \"/tmp/rl/pg6\" has invalid permissions", "postgres-data-dir-permissions"),
    ("psql: error: connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  password authentication failed for user \"django\"", "postgres-auth-failed"),
    ("2026-12-07 13:29:18.894 UTC [25046] django@app ERROR:  relation \"shop_order\" does not exist at character 15", "postgres-relation-does-not-exist"),
    ("`ERROR 1045 (28000): Access denied for user 'root'@'172.19.0.3' (using password: YES)`", "mysql-access-denied"),
    ("*** no app loaded. GAME OVER ***", "uwsgi-no-python-application"),
    ("Error: No application module specified.", "gunicorn-bad-arguments"),
    ("probably another instance of uWSGI is running on the same address (127.0.0.1:8000).", "server-port-in-use"),
  ])
  func aRealLineNamesItsCause(line: String, rule: String) {
    let causes = Fixtures.findings(in: line + "\n").filter { $0.isRootCause && $0.rule.severity >= .warning }.map(\.rule.id)
    #expect(causes.first == rule, "\(causes)")
  }

  /// A readiness probe that fails once while the pod starts, then nothing more, is a warning;
  /// the same probe failing over and over (an event counted x2 or more) is an error.
  @Test func aProbeFailingOnceIsAWarningAndFailingAgainAnError() throws {
    let once = """
      Events:
        Type     Reason     Age   From                         Message
        ----     ------     ----  ----                         -------
        Normal   Started    72s   kubelet, docker-for-desktop  Started container
        Warning  Unhealthy  65s   kubelet, docker-for-desktop  Readiness probe failed: Get http://10.1.0.103:80/healthz/ready: net/http: request canceled (Client.Timeout exceeded while awaiting headers)

      """
    let single = try #require(Fixtures.findings(in: once).first { $0.rule.id == "k8s-probe-failed" })
    #expect(single.rule.severity == .warning)
    let again = once.replacingOccurrences(of: "Unhealthy  65s ", with: "Unhealthy  65s (x12 over 3m)")
    let repeated = try #require(Fixtures.findings(in: again).first { $0.rule.id == "k8s-probe-failed" })
    #expect(repeated.rule.severity == .error)
  }

  /// A database that is not up yet when the app first tries it (Compose, a wait-for-db loop)
  /// refuses a few connections, then migrations run: a note. Refused after the database
  /// answered, it stays an error (Rules/data/recoveries.yaml).
  @Test func aStartUpRaceThatResolvedIsANoteAndARefusalAfterItAnError() throws {
    let refused = """
      db not ready: connection to server at "127.0.0.1", port 5433 failed: Connection refused
      \tIs the server running on that host and accepting TCP/IP connections?

      """
    let recovered = """
      db ready
      Operations to perform:
        Apply all migrations: admin, auth, contenttypes, sessions, shop
      Running migrations:
        No migrations to apply.

      """
    let race = try #require(Fixtures.findings(in: refused + recovered).first { $0.rule.id == "db-connection-refused" })
    #expect(race.rule.severity == .info)
    #expect(!Fixtures.findings(in: refused + recovered).contains { $0.rule.id == "unclassified" })
    let after = try #require(Fixtures.findings(in: recovered + refused).first { $0.rule.id == "db-connection-refused" })
    #expect(after.rule.severity == .error)
  }

  /// gunicorn's "Worker failed to boot" says only that the app did not load: when a traceback
  /// beside it ends in an exception no rule knows, that exception leads as `unclassified` and
  /// explains the boot failure; a traceback cut before its exception leaves the boot failure
  /// on top (Corpus/reallogs/tune/django-settings-env-missing-02.log, gunicorn-boot-failed-05).
  @Test func anUnknownExceptionUnderABootFailureIsItsCause() throws {
    let head = """
      [2026-12-07 14:53:39 +0000] [16441] [ERROR] Exception in worker process
      Traceback (most recent call last):
        File "/tmp/rl/v42/lib/python3.11/site-packages/django/conf/__init__.py", line 217, in __init__
          mod = importlib.import_module(self.SETTINGS_MODULE)
        File "/tmp/rl/b12/env42/mysite/settings.py", line 142, in <module>
          SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

      """
    let exception = "KeyError: 'DJANGO_SECRET_KEY'\n"
    let tail = """
      [2026-12-07 14:53:39 +0000] [16439] [ERROR] Shutting down: Master
      [2026-12-07 14:53:39 +0000] [16439] [ERROR] Reason: Worker failed to boot.

      """
    let full = Fixtures.findings(in: head + exception + tail)
    let top = try #require(full.first { $0.isRootCause && $0.rule.severity >= .warning })
    #expect(top.rule.id == "unclassified")
    #expect(top.captures["line"] == "KeyError: 'DJANGO_SECRET_KEY'")
    #expect(full.contains { $0.rule.id == "gunicorn-worker-boot-failed" && !$0.isRootCause })
    let cut = Fixtures.findings(in: head + tail)
    let cutTop = try #require(cut.first { $0.isRootCause && $0.rule.severity >= .warning })
    #expect(cutTop.rule.id == "gunicorn-worker-boot-failed")
    #expect(Analysis.statesException("SyntaxError: '{' was never closed"))
    #expect(Analysis.statesException("[pid 3] [wsgi:error] shop.models.Product.DoesNotExist: Product matching query"))
    #expect(!Analysis.statesException("    except KeyError:"))
    #expect(!Analysis.statesException("    application = get_wsgi_application()"))
  }

  /// An INSTALLED_APPS entry that does not import makes uWSGI load no app, but the import error
  /// is the story (Corpus/reallogs/tune/django-installed-app-typo-02.log).
  @Test func anImportErrorInsideDjangoSetupLeadsUWSGIsNoApp() throws {
    let log = """
      Traceback (most recent call last):
        File "/tmp/rl/b12/badapp/mysite/wsgi.py", line 16, in <module>
          application = get_wsgi_application()
        File "/tmp/rl/vw/lib/python3.11/site-packages/django/apps/config.py", line 193, in create
          import_module(entry)
      ModuleNotFoundError: No module named 'shopp'
      unable to load app 0 (mountpoint='') (callable not found or import error)
      *** no app loaded. going in full dynamic mode ***

      """
    let top = try #require(Fixtures.findings(in: log).first { $0.isRootCause && $0.rule.severity >= .warning })
    #expect(top.rule.id == "python-module-not-found")
  }

  /// A volume that timed out mounting, then the image pulled and the container created: the
  /// retry went through, a note; the time-out alone stays an error (Rules/data/recoveries.yaml,
  /// Corpus/reallogs/tune/k8s-mount-timeout-then-started-02.log).
  @Test func aMountTimeOutFollowedByTheContainerIsANote() throws {
    let timeout = """
        34m  29m  3  kubelet, ip-172-20-55-145  Warning FailedMount  Unable to mount volumes for pod "prometheus-server-3601779038-frqrc_prometheus(4c4e140d)": timeout expired waiting for volumes to attach/mount for pod "prometheus"/"prometheus-server-3601779038-frqrc". list of unattached/unmounted volumes=[storage-volume]

      """
    let created = """
        27m  27m  1  kubelet, ip-172-20-55-145  spec.containers{prometheus-server}  Normal  Pulled  Successfully pulled image "prom/prometheus:v1.5.2"
        27m  27m  1  kubelet, ip-172-20-55-145  spec.containers{prometheus-server}  Normal  Created  Created container with id b45ed5fe9d9e

      """
    let recovered = try #require(Fixtures.findings(in: timeout + created).first { $0.rule.id == "k8s-volume-mount-timeout" })
    #expect(recovered.rule.severity == .info)
    let stuck = try #require(Fixtures.findings(in: timeout).first { $0.rule.id == "k8s-volume-mount-timeout" })
    #expect(stuck.rule.severity == .error)
  }
}
