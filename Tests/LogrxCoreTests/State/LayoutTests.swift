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

/// The input layouts of a scheduled scan, on realistic fixture trees (Tests/Fixtures): a node's
/// /var/log with rotated, gzip and docker json-file logs and the containers links; a
/// must-gather folder; the same must-gather as a .tar.gz.
@Suite struct LayoutTests {
  static let node = Fixtures.path("Tests/Fixtures/nodelogs/var/log")
  static let mustGather = Fixtures.path("Tests/Fixtures/mustgather")

  static func summary(_ findings: [Finding]) -> [String] {
    findings.map { finding in
      let source = finding.source
      let file = source.file.split(separator: "/").suffix(2).joined(separator: "/")
      return "\(finding.rule.id) \(source.namespace ?? "-")/\(source.pod ?? "-")/\(source.container ?? "-") \(file)"
    }.sorted()
  }

  @Test func aNodesLogsEachOnceWithTheirPods() throws {
    let result = try ScanJob(catalog: Fixtures.catalog).scan(paths: [Self.node])
    #expect(result.files.count == 5, "the three links lead to files read once: \(result.files)")
    #expect(result.files.allSatisfy { $0.contains("/var/log/pods/") })
    #expect(
      Self.summary(result.seen) == [
        "django-db-not-initialized myproject/django-1-abcde/django django/0.log.20240501-101500",
        "django-static-404 myproject/django-1-abcde/django django/0.log",
        "gunicorn-worker-timeout shop/worker-3-qwert/worker worker/0.log",
        "openshift-arbitrary-uid-permission-denied shop/web-2-xyz12/nginx nginx/0.log",
        "openshift-v2-env-missing myproject/django-1-abcde/django django/1.log.20240430-090000.gz",
      ])
    // A CRI `P` line joined with its `F` line: the request path is whole.
    let db = try #require(result.seen.first { $0.rule.id == "django-db-not-initialized" })
    #expect(db.firstLine == 5)
  }

  @Test func theContainersLinksAloneNameThePods() throws {
    let result = try ScanJob(catalog: Fixtures.catalog).scan(paths: [Self.node + "/containers"])
    #expect(result.files.count == 3)
    #expect(Set(result.seen.compactMap(\.source.pod)) == ["django-1-abcde", "web-2-xyz12", "worker-3-qwert"])
  }

  @Test func sinceKeepsTheLaterLinesOfEveryFormat() throws {
    let scanner = ScanJob(catalog: Fixtures.catalog)
    scanner.since = Timestamps.parse("2024-05-01T10:20:30Z")
    let result = try scanner.scan(paths: [Self.node])
    #expect(
      Self.summary(result.seen).map { String($0.prefix { $0 != " " }) } == [
        "django-static-404", "gunicorn-worker-timeout", "openshift-arbitrary-uid-permission-denied",
      ])
  }

  @Test func aMustGatherFolderAndItsArchive() throws {
    let folder = try ScanJob(catalog: Fixtures.catalog).scan(paths: [Self.mustGather])
    #expect(
      Self.summary(folder.seen) == [
        "k8s-crashloop-backoff myproject/-/- core/events.yaml",
        "k8s-crashloop-backoff myproject/django-1-abcde/- django-1-abcde/django-1-abcde.yaml",
        "openshift-v2-env-missing myproject/django-1-abcde/django logs/previous.log",
      ])
    // The same must-gather as `tar czf`: its logs are read inside the archive.
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let archive = scratch.appendingPathComponent("must-gather.tar.gz").path
    let tar = try Trees.run("/usr/bin/tar", ["czf", archive, "-C", Self.mustGather, "."])
    #expect(tar.status == 0, "\(tar.output)")
    let packed = try ScanJob(catalog: Fixtures.catalog).scan(paths: [archive])
    let keyError = try #require(packed.seen.first { $0.rule.id == "openshift-v2-env-missing" })
    #expect(keyError.source.pod == "django-1-abcde" && keyError.source.container == "django")
    #expect(keyError.source.file.hasPrefix(archive + ":./must-gather.local.5150/"))
  }
}
