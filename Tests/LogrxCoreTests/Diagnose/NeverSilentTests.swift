import Foundation
import LogrxDiagnose
import LogrxRules
import LogrxTestSupport
import LogrxVocabulary
import Testing

/// Issue #13's "never silent" on its own: with no rule at all, only the failure-signal table
/// and the healthy baseline (`Rules/data/failure-signals.yaml`, `healthy-templates.yaml`), a
/// real failure must still give an `unclassified` warning with its decisive line, and a
/// healthy log must give nothing. Lines are taken from excerpts of Corpus/reallogs/tune (named).
@Suite struct NeverSilentTests {
  /// The built-in catalog's signal tables, without one rule.
  static let signalsOnly: RuleCatalog = {
    let tables = ["failure-signals", "healthy-templates"].map { name in
      ("data/\(name).yaml", (try? String(contentsOfFile: Fixtures.path("Rules/data/\(name).yaml"), encoding: .utf8)) ?? "")
    }
    return Fixtures.catalog([:], tables: Dictionary(uniqueKeysWithValues: tables))
  }()

  static func unclassified(_ text: String) -> Finding? {
    Fixtures.findings(in: text, catalog: signalsOnly).first { $0.rule.id == "unclassified" && $0.rule.severity >= .warning }
  }

  @Test(arguments: [
    // t4-oom-describe-02 (kubectl describe pod)
    ("    State:          Waiting\n      Reason:       OOMKilled\n", "Reason:       OOMKilled"),
    // k8s-config-error-04 (kubectl get pod)
    ("NAME                      READY   STATUS                       RESTARTS   AGE\nreusee-issue-6209-log-0   0/1     CreateContainerConfigError   0          113s\n",
     "reusee-issue-6209-log-0   0/1     CreateContainerConfigError   0          113s"),
    // t4-quota-old-02
    ("Error creating: pods \"core-documentation-46sh5\" is forbidden: exceeded quota: kyma-default, requested: limits.memory=1056Mi\n",
     "Error creating: pods \"core-documentation-46sh5\" is forbidden: exceeded quota: kyma-default, requested: limits.memory=1056Mi"),
    // oom-kernel-01 (syslog)
    ("Jul 10 22:05:17 researchy-api kernel: [159805.364253] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),task=gunicorn,pid=1026306,uid=32767\n",
     "Jul 10 22:05:17 researchy-api kernel: [159805.364253] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),task=gunicorn,pid=1026306,uid=32767"),
    // mysql-access-denied-server-02: MariaDB logs a refused client at [Warning]
    ("2026-12-07 13:29:28 3 [Warning] Access denied for user 'django'@'127.0.0.1' (using password: YES)\n",
     "2026-12-07 13:29:28 3 [Warning] Access denied for user 'django'@'127.0.0.1' (using password: YES)"),
    // gunicorn-boot-failed-03: gunicorn 0.14 prints the boot failure at INFO
    ("2012-05-20 16:39:46 [23848] [INFO] Worker exiting (pid: 23848)\n2012-05-20 16:39:47 [23845] [INFO] Shutting down: Master\n2012-05-20 16:39:47 [23845] [INFO] Reason: Worker failed to boot.\n",
     "2012-05-20 16:39:47 [23845] [INFO] Reason: Worker failed to boot."),
    // django-improperly-configured-01: an exception line wrapped by the person who pasted it
    ("line 176, in __init__ raise \nImproperlyConfigured(\"The SECRET_KEY setting must not be empty.\") \ndjango.core.exceptions.ImproperlyConfigured: \nThe SECRET_KEY setting must not be empty.\n",
     "django.core.exceptions.ImproperlyConfigured:"),
    // p7-port-in-use-07 (uWSGI)
    ("probably another instance of uWSGI is running on the same address (127.0.0.1:8337).\nbind(): Address already in use [core/socket.c line 769]\n",
     "bind(): Address already in use [core/socket.c line 769]"),
    // t6-nginx-port80-03: supervisor lines pasted as quoted strings
    ("\"[emerg] 7#7: bind() to [::]:80 failed (13: Permission denied)\"\n\"INFO exited: nginx (exit status 1; not expected)\"\n",
     "\"[emerg] 7#7: bind() to [::]:80 failed (13: Permission denied)\""),
  ])
  func aRealFailureIsNeverSilentWithoutRules(log: String, decisive: String) throws {
    let finding = try #require(Self.unclassified(log), "silent on: \(log)")
    #expect(finding.captures["line"]?.trimmingCharacters(in: .whitespaces) == decisive.trimmingCharacters(in: .whitespaces))
  }

  /// Healthy output that carries the new signals' words in a harmless place stays quiet.
  @Test func healthyLinesStayQuiet() {
    // gunicorn stopping normally (SIGTERM is not a kill), a pod table of running pods, an
    // access log of a request whose URL says "Evicted".
    let healthy = """
      [2026-12-07 14:53:39 +0000] [7] [INFO] Handling signal: term
      [2026-12-07 14:53:39 +0000] [9] [WARNING] Worker with pid 9 was terminated due to signal 15
      NAME                   READY   STATUS    RESTARTS   AGE
      web-5d8f7c9b6d-x2x9q   1/1     Running   0          12m
      10.128.2.1 - - [07/Dec/2026:11:21:50 +0000] "GET /docs/Evicted HTTP/1.1" 200 30 "-" "curl/7.88.1"

      """
    #expect(Self.unclassified(healthy) == nil)
  }

  /// A quoted value is masked (a key, a host: an instance, not a kind); a line that is one
  /// quoted string loses its quotes, so its words count against the healthy baseline.
  @Test func templatesMaskQuotedValuesAndDropWholeLineQuotes() {
    #expect(LogTemplate.of("KeyError: 'DEBUG_MODE'") == "KeyError: '<*>'")
    #expect(LogTemplate.of("Invalid HTTP_HOST header: 'promgen-test.xxx.com'.") == "Invalid HTTP_HOST header: '<*>'.")
    #expect(LogTemplate.of("\"INFO exited: nginx (exit status 1; not expected)\"") == "INFO exited: nginx (exit status <*> not expected)")
    #expect(LogTemplate.of("say \"a\" and \"b\"") == "say \"<*>\" and \"<*>\"")
  }
}
