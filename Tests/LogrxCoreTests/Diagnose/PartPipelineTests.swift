import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

#if canImport(Glibc)
  import Glibc
#endif

/// A file read in parts on several threads (`Analysis.analyze(fd:from:to:input:)` with
/// `jobs` > 1) gives what one thread gives, whatever crosses a part boundary: tracebacks, CRI
/// `P`/`F` joins (one longer than a boundary's look-back, which makes a part be read again),
/// docker json-file lines, ANSI codes, a paste's gutter.
@Suite struct PartPipelineTests {
  /// A log of real shapes in which every event is its own finding (unique names), so that a
  /// finding lost, doubled or moved at a boundary shows.
  static func mixedLog(events: Int, seed: UInt64, hugePartial: Bool) -> String {
    var generator = SplitMix(seed: seed)
    var lines: [String] = []
    for index in 0..<events {
      switch Int.random(in: 0..<7, using: &generator) {
      case 0:
        lines += [
          "[2024-05-01 10:15:\(index % 60)] ERROR in app: Exception on /orders/\(index) [GET]",
          "Traceback (most recent call last):",
          "  File \"/opt/app-root/lib64/python3.11/site-packages/flask/app.py\", line 1463, in wsgi_app",
          "    response = self.full_dispatch_request()",
          "  File \"/opt/app-root/src/shop/views.py\", line \(index % 400 + 1), in orders",
          "    import shipping\(index)",
          "ModuleNotFoundError: No module named 'shipping\(index)'",
        ]
      case 1:
        // A CRI line in parts, the last one naming a unique missing module.
        let stamp = "2024-05-01T10:15:00.\(String(format: "%09d", index))Z"
        let pieces = Int.random(in: 2...5, using: &generator)
        for piece in 0..<pieces {
          lines.append("\(stamp) stderr P " + String(repeating: "chunk\(piece)-", count: 40))
        }
        lines.append("\(stamp) stderr F ModuleNotFoundError: No module named 'cri\(index)'")
      case 2:
        lines.append(#"{"log":"\u001b[31mKeyError: 'OPENSHIFT_ENV_\#(index)'\u001b[0m\n","stream":"stderr","time":"2024-05-01T10:15:00Z"}"#)
      case 3:
        lines.append("\u{1B}[1;31mE\u{1B}[0mRROR: Could not find a version that satisfies the requirement pkg\(index)==1.\(index)")
      case 4:
        lines.append("\(index % 90 + 1)\t---> Installing application source ...")
      default:
        lines.append("10.128.0.\(index % 250) - - [01/May/2024:10:15:00 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.27\"")
      }
      if hugePartial, index == events / 2 {
        // One logical line of ~200 KB in 4 KiB parts: no boundary near it finds a clean state.
        let stamp = "2024-05-01T10:16:00.000000000Z"
        for _ in 0..<50 { lines.append("\(stamp) stdout P " + String(repeating: "x", count: 4096)) }
        lines.append("\(stamp) stdout F ModuleNotFoundError: No module named 'hugeline'")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  struct Outcome: Equatable {
    var findings: [String]
    var diagnostics: [String]
    var lines: Int
    var bytes: Int
    var lastLine: Int
  }

  static func analyse(_ path: String, jobs: Int, partSize: Int64, firstLine: Int = 1, from start: Int64 = 0) throws -> (Outcome, Int) {
    let fd = open(path, O_RDONLY)
    #expect(fd >= 0)
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byFile)
    analysis.jobs = jobs
    analysis.partSize = partSize
    let last = analysis.analyze(fd: fd, from: start, to: Int64(info.st_size), input: InputDescription(name: "mixed.log", firstLine: firstLine))
    let findings = analysis.findings().map { finding in
      "\(finding.rule.id) \(finding.fingerprint) \(finding.count) \(finding.firstLine)-\(finding.lastLine) \(finding.sequence) "
        + finding.evidence.map { "\($0.line):\($0.text)" }.joined(separator: "|")
    }
    return (
      Outcome(
        findings: findings, diagnostics: analysis.diagnostics.map(\.description), lines: analysis.linesRead, bytes: analysis.bytesRead,
        lastLine: last), analysis.partsReadAgain
    )
  }

  static func analysis(_ path: String, jobs: Int, partSize: Int64) throws -> Analysis {
    let fd = open(path, O_RDONLY)
    #expect(fd >= 0)
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byFile)
    analysis.jobs = jobs
    analysis.partSize = partSize
    analysis.analyze(fd: fd, from: 0, to: Int64(info.st_size), input: InputDescription(name: "mixed.log"))
    return analysis
  }

  static func write(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-parts-\(UUID().uuidString).log").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func partsOnSeveralThreadsGiveWhatOneThreadGives() throws {
    let path = try Self.write(Self.mixedLog(events: 1500, seed: 16, hugePartial: false))
    defer { unlink(path) }
    let (one, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30)
    #expect(one.findings.count > 250)
    for partSize: Int64 in [3000, 65536 + 123] {
      let (split, _) = try Self.analyse(path, jobs: 4, partSize: partSize)
      #expect(split == one, "part size \(partSize)")
    }
    // A resumed read (from a line start past the first, numbered as the state says).
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let offset = Int64(try #require(bytes.prefix(100_000).lastIndex(of: 0x0A)) + 1)
    let (resumedOne, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30, firstLine: 500, from: offset)
    let (resumedSplit, _) = try Self.analyse(path, jobs: 3, partSize: 20000, firstLine: 500, from: offset)
    #expect(resumedSplit == resumedOne)
  }

  @Test func aJoinLongerThanTheLookBackIsReadAgainFromTheRealState() throws {
    let path = try Self.write(Self.mixedLog(events: 400, seed: 7, hugePartial: true))
    defer { unlink(path) }
    let (one, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30)
    #expect(one.findings.contains { $0.contains("hugeline") })
    let (split, again) = try Self.analyse(path, jobs: 2, partSize: 8192)
    #expect(again > 0)
    #expect(split == one)
  }

  /// Tracebacks of two pods interleaved line by line (`oc logs --prefix`), long enough that many
  /// part boundaries fall inside one, some in CRI `P`/`F` lines joined across a boundary, and
  /// handled tracebacks a rule waits for: a part whose events were worked out on its own thread
  /// from an empty traceback state is assembled again on the scanning thread when a traceback
  /// is open where it starts, and the report is the one thread's, byte for byte.
  static func interleavedTracebacks(count: Int, seed: UInt64) -> String {
    var generator = SplitMix(seed: seed)
    var lines: [String] = []
    for index in 0..<count {
      let frames = Int.random(in: 1...12, using: &generator)
      var streams: [[String]] = [[], []]
      for (pod, prefix) in ["[pod/web-1-abcde/web] ", "[pod/worker-2-fghij/worker] "].enumerated() {
        var event = ["\(prefix)Traceback (most recent call last):"]
        for frame in 0..<frames {
          event.append("\(prefix)  File \"/opt/app-root/src/app/mod\(frame).py\", line \(frame + 10), in handler\(frame)")
          event.append("\(prefix)    return call\(frame)(request)")
        }
        event.append(
          pod == 0
            ? "\(prefix)ModuleNotFoundError: No module named 'dep\(index)'"
            : "\(prefix)KeyError: 'SETTING_\(index)'")
        // The pod's next log line closes its traceback.
        event.append("\(prefix)[2024-05-01 10:15:00 +0000] [1] [INFO] Handling signal: winch")
        streams[pod] = event
      }
      // Interleave the two pods' lines, a few at a time.
      var positions = [0, 0]
      while positions[0] < streams[0].count || positions[1] < streams[1].count {
        let pod = positions[0] >= streams[0].count ? 1 : positions[1] >= streams[1].count ? 0 : Int.random(in: 0...1, using: &generator)
        let take = min(Int.random(in: 1...3, using: &generator), streams[pod].count - positions[pod])
        lines += streams[pod][positions[pod]..<(positions[pod] + take)]
        positions[pod] += take
      }
      if index % 3 == 0 {
        // A traceback in a CRI node log, a frame line of it in P parts.
        let stamp = "2024-05-01T10:15:00.\(String(format: "%09d", index))Z"
        lines.append("\(stamp) stderr F Traceback (most recent call last):")
        lines.append("\(stamp) stderr P   File \"/opt/app-root/src/")
        lines.append("\(stamp) stderr P " + String(repeating: "x", count: Int.random(in: 10...900, using: &generator)))
        lines.append("\(stamp) stderr F /wsgi.py\", line 3, in <module>")
        lines.append("\(stamp) stderr P ModuleNotFoundError: No module ")
        lines.append("\(stamp) stderr F named 'cri\(index)'")
        lines.append("\(stamp) stderr F [2024-05-01 10:15:01 +0000] [9] [INFO] Booting worker with pid: 9")
      }
      for probe in 0..<Int.random(in: 0...12, using: &generator) {
        lines.append("10.128.0.\(probe) - - [01/May/2024:10:15:00 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.27\"")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func tracebacksAcrossPartBoundariesComeOutAsOneThreadGivesThem() throws {
    let path = try Self.write(Self.interleavedTracebacks(count: 300, seed: 42))
    defer { unlink(path) }
    let (one, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30)
    #expect(one.findings.contains { $0.contains("dep299") })
    #expect(one.findings.contains { $0.contains("cri297") })
    for partSize: Int64 in [700, 2500, 9000, 65536 + 77] {
      let (split, _) = try Self.analyse(path, jobs: 3, partSize: partSize)
      #expect(split == one, "part size \(partSize)")
    }
    // Both ways of assembling a part were taken.
    let analysis = try Self.analysis(path, jobs: 2, partSize: 2500)
    #expect(analysis.partsAssembledAgain > 0)
    let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(analysis.partsAssembledAgain < size / 2500 * 9 / 10)
  }

  /// A traceback left open by a pod that writes no more (a failure log's last lines pasted into
  /// a longer log, as `make bench`'s corpus has them) made every later part be assembled again
  /// on the scanning thread. The traceback state is one per origin: a part whose lines come
  /// from other origins keeps the actions worked out on its thread, and the pod's traceback is
  /// still closed at the end with its evidence, as one thread closes it.
  @Test func aTracebackLeftOpenByAnotherOriginKeepsLaterPartsActions() throws {
    var generator = SplitMix(seed: 7)
    var lines = [
      "[pod/web-1-abcde/web] Traceback (most recent call last):",
      "[pod/web-1-abcde/web]   File \"/opt/app-root/src/app/wsgi.py\", line 3, in <module>",
      "[pod/web-1-abcde/web]     import settings_local",
      "[pod/web-1-abcde/web] ModuleNotFoundError: No module named 'leftopen'",
    ]
    for index in 0..<600 {
      if index % 25 == 0 {
        lines += [
          "[2024-05-01 10:15:\(index % 60)] ERROR in app: Exception on /orders/\(index) [GET]",
          "Traceback (most recent call last):",
          "  File \"/opt/app-root/src/shop/views.py\", line \(index % 400 + 1), in orders",
          "    import shipping\(index)",
          "ModuleNotFoundError: No module named 'shipping\(index)'",
        ]
      }
      for probe in 0..<Int.random(in: 1...4, using: &generator) {
        lines.append("10.128.0.\(probe) - - [01/May/2024:10:15:00 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.27\"")
      }
    }
    let path = try Self.write(lines.joined(separator: "\n") + "\n")
    defer { unlink(path) }
    let (one, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30)
    #expect(one.findings.contains { $0.contains("leftopen") })
    #expect(one.findings.contains { $0.contains("shipping575") })
    for partSize: Int64 in [700, 2500, 9000] {
      let (split, _) = try Self.analyse(path, jobs: 2, partSize: partSize)
      #expect(split == one, "part size \(partSize)")
    }
    // Only the parts that start inside one of the file's own tracebacks are assembled again
    // (before: every part after the pod's traceback, all of them).
    let analysis = try Self.analysis(path, jobs: 2, partSize: 2500)
    let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(analysis.partsAssembledAgain < size / 2500 / 4)
  }

  /// The aligned reading of a file finds what the reading of a stream finds.
  @Test func aFileReadInBlocksFindsWhatAStreamFinds() throws {
    let text = Self.mixedLog(events: 800, seed: 3, hugePartial: true)
    let path = try Self.write(text)
    defer { unlink(path) }
    let (file, _) = try Self.analyse(path, jobs: 1, partSize: 1 << 30)
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byFile)
    var source = MemorySource(Array(text.utf8), chunk: 10_000)
    analysis.analyze(&source, name: "mixed.log")
    #expect(file.findings.map { $0.split(separator: " ").prefix(5).joined(separator: " ") }
      == analysis.findings().map { "\($0.rule.id) \($0.fingerprint) \($0.count) \($0.firstLine)-\($0.lastLine) \($0.sequence)" })
  }
}
