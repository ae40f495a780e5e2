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

@Suite struct TarReaderTests {
  /// Makes a tar.gz of `files` with the real tar, under a long folder name (GNU long names).
  func archive(_ files: [String: String], gzip: Bool = true) throws -> (URL, URL) {
    let folder = Fixtures.temporaryDirectory()
    let long = String(repeating: "quay-io-openshift-release-dev-", count: 4) + "sha256"
    for (path, text) in files {
      let url = folder.appendingPathComponent("mg/\(long)/\(path)")
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    let target = folder.appendingPathComponent(gzip ? "must-gather.tar.gz" : "must-gather.tar")
    let result = try Trees.run("/usr/bin/tar", [gzip ? "czf" : "cf", target.path, "-C", folder.path, "mg"])
    #expect(result.status == 0, "tar: \(result.output)")
    return (folder, target)
  }

  @Test func readsEveryEntryOfARealArchive() throws {
    let (folder, target) = try archive([
      "namespaces/myproject/pods/django-1-abcde/django/django/logs/current.log": "2024-05-01T10:15:00Z KeyError: 'OPENSHIFT_REPO_DIR'\n",
      "namespaces/myproject/core/events.yaml": "items: []\n",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = try FileDescriptorSource(path: target.path)
    var tar = TarReader(GzipSource(file, path: target.path), path: target.path)
    var seen: [String: String] = [:]
    while let entry = try tar.nextEntry() {
      guard entry.isFile else { continue }
      var bytes: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 7)
      while true {
        let count = try buffer.withUnsafeMutableBytes { raw throws(LogrxError) in try tar.read(into: raw) }
        if count == 0 { break }
        bytes += buffer[0..<count]
      }
      seen[String(entry.path.split(separator: "/").suffix(3).joined(separator: "/"))] = String(decoding: bytes, as: UTF8.self)
    }
    #expect(seen["django/logs/current.log"] == "2024-05-01T10:15:00Z KeyError: 'OPENSHIFT_REPO_DIR'\n")
    #expect(seen["myproject/core/events.yaml"] == "items: []\n")
  }

  @Test func aScanReadsTheLogsInsideAnArchiveWithTheirPods() throws {
    let (folder, target) = try archive(
      ["namespaces/myproject/pods/django-1-abcde/django/django/logs/previous.log": "2024-05-01T10:15:00Z KeyError: 'OPENSHIFT_REPO_DIR'\n"],
      gzip: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try ScanJob(catalog: Fixtures.catalog).scan(paths: [target.path])
    let finding = try #require(result.seen.first { $0.rule.id == "openshift-v2-env-missing" })
    #expect(finding.source.namespace == "myproject")
    #expect(finding.source.pod == "django-1-abcde")
    #expect(finding.source.container == "django")
    #expect(finding.source.file.hasPrefix(target.path + ":mg/"))
  }

  @Test func aTruncatedArchiveKeepsTheEntriesBeforeTheCut() throws {
    let (folder, target) = try archive(
      [
        "namespaces/a/pods/p-1-aaaaa/c/c/logs/current.log": "KeyError: 'OPENSHIFT_REPO_DIR'\n",
        "namespaces/b/pods/q-1-bbbbb/c/c/logs/current.log": String(repeating: "filler line\n", count: 20000),
      ], gzip: false)
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = try Data(contentsOf: target)
    try data.prefix(data.count / 2).write(to: target)
    let result = try ScanJob(catalog: Fixtures.catalog).scan(paths: [target.path])
    #expect(result.diagnostics.contains { $0.message.contains("damaged tar archive") || $0.description.contains("tar") })
    // Entry order in the archive is the file system's; the first entry is whole either way.
    #expect(result.lines > 0)
  }
}
