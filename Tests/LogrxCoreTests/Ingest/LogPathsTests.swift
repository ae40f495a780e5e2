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

@Suite struct LogPathsTests {
  @Test(arguments: [
    ("/var/log/pods/myproject_django-1-abcde_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50/django/0.log", "myproject", "django-1-abcde", "django"),
    ("/host/var/log/pods/myproject_django-1-abcde_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50/django/0.log.20240501-101500", "myproject", "django-1-abcde", "django"),
    ("/var/log/pods/openshift-etcd_etcd-0_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50/etcd/3.log.20240430-090000.gz", "openshift-etcd", "etcd-0", "etcd"),
    ("/var/log/containers/django-1-abcde_myproject_django-" + String(repeating: "ab", count: 32) + ".log", "myproject", "django-1-abcde", "django"),
    ("must-gather.local.42/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/namespaces/myproject/pods/django-1-abcde/django/django/logs/previous.log", "myproject", "django-1-abcde", "django"),
    ("inspect.local.7/namespaces/shop/pods/web-2-xyz12/nginx/nginx/logs/current.log", "shop", "web-2-xyz12", "nginx"),
  ])
  func layoutsNameTheirPodAndContainer(path: String, namespace: String, pod: String, container: String) {
    let origin = LogPaths.origin(forPath: path)
    #expect(origin.namespace == namespace)
    #expect(origin.pod == pod)
    #expect(origin.container == container)
    #expect(origin.file == path)
  }

  @Test(arguments: [
    "/var/log/messages", "builds/django-1.log", "/var/log/pods/readme.txt",
    "/var/log/pods/no-uid-here_pod_x/c/0.log", "/var/log/containers/short_name.log", "namespaces/myproject/core/readme.txt",
  ])
  func otherPathsSayNothing(path: String) {
    let origin = LogPaths.origin(forPath: path)
    #expect(origin.pod == nil && origin.namespace == nil && origin.container == nil)
  }

  @Test func timestampsParseAsContainerRuntimesWriteThem() throws {
    #expect(Timestamps.parse("1970-01-01T00:00:00Z") == 0)
    #expect(Timestamps.parse("2024-05-01T10:15:00Z") == 1_714_558_500)
    #expect(Timestamps.parse("2024-05-01T12:15:00+02:00") == 1_714_558_500)
    let fraction = try #require(Timestamps.parse("2024-05-01T10:15:00.5Z stdout F x"))
    #expect(abs(fraction - 1_714_558_500.5) < 1e-6)
    #expect(Timestamps.parse("2024-13-01T10:15:00Z") == nil)
    #expect(Timestamps.parse("not a time") == nil)
    #expect(Timestamps.since("2h", now: 10_000) == 2_800)
    #expect(Timestamps.since("15m", now: 10_000) == 9_100)
    #expect(Timestamps.since("2024-05-01T10:15:00Z", now: 0) == 1_714_558_500)
    #expect(Timestamps.since("2 hours", now: 0) == nil)
  }

  @Test func sinceKeepsOnlyNewerLinesAndTheirUnstampedContinuations() {
    nonisolated(unsafe) var texts: [String] = []
    var decoder = LogDecoder(file: "f") { batch in
      for index in 0..<batch.count { texts.append(batch.text(at: index)) }
    }
    decoder.since = Timestamps.parse("2024-05-01T10:00:00Z")
    var reader = LineReader()
    defer { reader.deallocate() }
    let log = """
      2024-05-01T09:59:59.000000000Z stderr F KeyError: 'OPENSHIFT_REPO_DIR'
      {"log":"old json\\n","stream":"stderr","time":"2024-05-01T08:00:00Z"}
      2024-05-01T10:00:01Z Traceback (most recent call last):
        File "/opt/app-root/src/wsgi/application", line 9, in <module>
      2024-05-01T10:00:02.5Z stderr F KeyError: 'OPENSHIFT_DATA_DIR'

      """
    var source = MemorySource(Array(log.utf8))
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    #expect(texts == ["Traceback (most recent call last):", "  File \"/opt/app-root/src/wsgi/application\", line 9, in <module>", "KeyError: 'OPENSHIFT_DATA_DIR'"])
  }
}
