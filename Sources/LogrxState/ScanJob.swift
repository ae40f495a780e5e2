import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend

/// Which findings a scan reports.
public enum ReportMode: String, Sendable, CaseIterable {
  /// Only findings seen for the first time (needs a state).
  case new
  /// Every finding of this run.
  case all
}

/// How far a scan has come, for a progress bar.
public struct ScanProgress: Sendable {
  public var filesDone: Int
  public var filesTotal: Int
  public var bytesDone: Int64
  public var bytesTotal: Int64
  public var current: String
}

/// What a scan found.
public struct ScanResult {
  /// The findings to report (with `--report new`, the new ones only), correlated.
  public var findings: [Finding]
  /// Every finding of this run.
  public var seen: [Finding]
  /// With a state: each finding's history, by fingerprint (``pairs`` puts them together).
  public var history: [String: FindingHistory] = [:]
  /// With a state: findings of earlier runs that are resolved now.
  public var resolved: [FindingHistory] = []
  /// With a state: every finding still open after this run (new or ongoing, this run's or an
  /// earlier one's not yet resolved): what is broken now.
  public var open: [FindingHistory] = []
  /// True when the scan kept a state.
  public var stateful = false
  /// With a state: findings first seen (or seen again after they were resolved), over every
  /// run of the state, this one included.
  public var newTotal = 0
  public var files: [String]
  /// Bytes and lines read in this run (a resumed file counts only its new bytes).
  public var bytes: Int64
  public var lines: Int
  /// Files that had nothing new since the last run.
  public var unchanged: Int
  public var diagnostics: [Diagnostic]
  public var started: Date
  public var duration: TimeInterval
  /// True when `maxFindings` stopped the reading before the end of the inputs.
  public var stoppedEarly = false

  /// The reported findings in the order a scan prints them: by input, then by line.
  public var inFileOrder: [Finding] {
    let position = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    return findings.sorted {
      (position[$0.source.file] ?? 0, $0.firstLine, $0.sequence) < (position[$1.source.file] ?? 0, $1.firstLine, $1.sequence)
    }
  }

  /// The reported findings, each with its history (nil without a state).
  public var pairs: [(finding: Finding, history: FindingHistory?)] { findings.map { ($0, history[$0.fingerprint]) } }
}

/// Scans files, folders and archives of logs; with a ``ScanState``, reads only what is new
/// since the last run and keeps the findings' history, all in one transaction.
public final class ScanJob {
  public let catalog: RuleCatalog
  public let state: ScanState?
  public var since: Double?
  public var report: ReportMode = .all
  /// Stop reading after this many distinct findings (`--max-findings`); not with a state,
  /// whose offsets must only pass what was read.
  public var maxFindings: Int?
  public var onProgress: ((ScanProgress) -> Void)?
  /// Threads that decode and match a large file's parts at once (`--jobs`; not with
  /// ``maxFindings``, which stops the reading at a finding).
  public var jobs = 1
  /// The size of those parts (see ``Analysis/partSize``).
  public var partSize: Int64?
  /// The time the run counts as (tests set it).
  public var now: () -> Date = Date.init

  public init(catalog: RuleCatalog, state: ScanState? = nil) {
    self.catalog = catalog
    self.state = state
  }

  /// Where the report goes (standard output), so that a stateful run can take back the
  /// report of a run killed before it committed (see ``OutputJournal``).
  public var reportDescriptor: Int32?

  /// Scans the files under `paths` (see ``InputFiles/scanFiles(_:)``); `deliver` writes the
  /// report before the state commits (see ``ScanState/run(reportingTo:_:deliver:)``).
  public func scan(paths: [String], deliver: (ScanResult) throws -> Void = { _ in }) throws(LogrxError) -> ScanResult {
    let (files, problems) = InputFiles.scanFiles(paths)
    // A finding's file is kept as it was named, a file's key as its real path: both count.
    let roots = paths + paths.compactMap(InputFiles.realPath)
    return try scan(files: files, problems: problems, roots: roots, trackOffsets: true, deliver: deliver)
  }

  /// Scans `files`. With `trackOffsets` and a state, each file is read from where the last run
  /// stopped; without, whole (logs fetched from a cluster are new files every time).
  ///
  /// - Parameters:
  ///   - roots: the folders scanned: a finding whose file under them is gone is resolved.
  ///   - livePods: for a cluster, the unwell pods (`namespace/pod`) read now: a finding of any
  ///     other pod is resolved (the pod is well again, or deleted).
  ///   - deliver: writes the report; with a state, before the run commits: when it throws, the
  ///     run is rolled back.
  public func scan(
    files: [ScanFile], problems: [Diagnostic] = [], roots: [String] = [], livePods: Set<String>? = nil, trackOffsets: Bool,
    deliver: (ScanResult) throws -> Void = { _ in }
  ) throws(LogrxError) -> ScanResult {
    let started = now()
    let analysis = Analysis(catalog: catalog, identity: .byFile)
    let limit = LiveFindings(limit: state == nil ? maxFindings : nil)
    analysis.sink = limit
    analysis.jobs = limit.limit == nil ? max(1, jobs) : 1
    if let partSize { analysis.partSize = partSize }
    problems.forEach(analysis.addInputDiagnostic)
    let sizes = files.map { Self.size(of: $0.path) }
    let total = sizes.reduce(0, +)
    var progress = ScanProgress(filesDone: 0, filesTotal: files.count, bytesDone: 0, bytesTotal: total, current: "")
    var bytes: Int64 = 0
    var unchanged = 0
    var readScopes: Set<String> = []

    func body(_ run: StateRun?) throws -> ScanResult {
      for note in run?.notes ?? [] { analysis.addInputDiagnostic(Diagnostic(.warning, at: nil, note, file: state?.path ?? "")) }
      // Without a state every plain file is read whole: the next ones are read ahead meanwhile.
      if run == nil { analysis.prefetch(files.map { ($0.path, InputDescription(name: $0.name, origin: $0.origin, since: since)) }) }
      defer { analysis.endPrefetch() }
      for (index, file) in files.enumerated() {
        progress.current = file.name
        onProgress?(progress)
        let before = analysis.linesRead
        let read = try scanFile(file, analysis: analysis, run: trackOffsets ? run : nil)
        bytes += read.bytes
        if read.bytes == 0 && read.skipped { unchanged += 1 }
        if analysis.linesRead > before { readScopes.insert(StateRun.scope(of: file.origin)) }
        progress.filesDone = index + 1
        progress.bytesDone += sizes[index]
        onProgress?(progress)
      }
      // Each file is its own source: its commands take the `dc/NAME` it names, no other file's.
      let renderer = FindingRenderer(catalog: catalog, namedInLogsByFile: analysis.deploymentConfigByFile)
      let all = renderer.rendered(analysis.findings(), lastPod: analysis.lastPod)
      var result = ScanResult(
        findings: all, seen: all, files: files.map(\.name), bytes: bytes, lines: analysis.linesRead, unchanged: unchanged,
        diagnostics: analysis.diagnostics, started: started, duration: 0)
      if let run {
        let present = Set(files.map(\.key))
        if trackOffsets { try run.forgetMissingFiles(under: roots, present: present) }
        let gone: (_ scope: String, _ file: String) -> Bool = { scope, file in
          if let livePods {
            guard scope.hasPrefix("pod:") else { return false }
            return !livePods.contains(scope.dropFirst(4).split(separator: "/").prefix(2).joined(separator: "/"))
          }
          return roots.contains { Self.isUnder(file, $0) } && !FileManager.default.fileExists(atPath: file)
        }
        let (history, resolved) = try run.record(findings: all, readScopes: readScopes, isGone: gone, at: started)
        result.history = history
        result.resolved = resolved
        result.findings = result.seen
        if report == .new {
          let fresh = Set(history.filter { $0.value.status == .new }.keys)
          result.findings = Self.keeping(result.seen, fresh)
        }
        let finished = now()
        try run.recordRun(
          started: started, finished: finished, files: files.count, bytes: Int(bytes), findings: all.count,
          new: history.values.filter { $0.status == .new }.count, resolved: resolved.count)
        result.stateful = true
        result.open = try run.openFindings()
        result.newTotal = try run.newFindingsTotal()
      }
      result.stoppedEarly = analysis.stopped
      result.duration = now().timeIntervalSince(started)
      return result
    }

    guard let state else {
      do {
        let result = try body(nil)
        try deliver(result)
        return result
      } catch let error as LogrxError {
        throw error
      } catch { throw LogrxError.state("\(error)") }
    }
    return try state.run(reportingTo: reportDescriptor, { run in try body(run) }, deliver: deliver)
  }

  /// Whether `path` is `root` or inside it.
  static func isUnder(_ path: String, _ root: String) -> Bool {
    let folder = root.hasSuffix("/") ? String(root.dropLast()) : root
    return path == folder || path.hasPrefix(folder + "/")
  }

  /// Keeps the findings in `fresh`, and the causes and symptoms they fold with, re-correlated.
  static func keeping(_ findings: [Finding], _ fresh: Set<String>) -> [Finding] {
    var kept = findings.filter { fresh.contains($0.fingerprint) }
    for index in kept.indices {
      kept[index].explains = kept[index].explains.filter(fresh.contains)
      kept[index].explainedBy = kept[index].explainedBy.filter(fresh.contains)
    }
    return kept
  }

  // MARK: One file

  struct FileRead {
    var bytes: Int64
    var skipped: Bool
  }

  /// Reads one file: an archive entry by entry, a gzip file whole (unless unchanged), a plain
  /// file from where the last run stopped up to its last complete line.
  func scanFile(_ file: ScanFile, analysis: Analysis, run: StateRun?) throws -> FileRead {
    if run != nil {
      // A FIFO or device has no offsets to resume from, and opening one may wait for ever
      // while the state is locked.
      var info = stat()
      if stat(file.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
        let message = "\(InputFiles.kind(info.st_mode)), not a regular file: a scan with --state reads only files it can resume; not read"
        analysis.addInputDiagnostic(Diagnostic(.error, at: nil, message, file: file.name))
        return FileRead(bytes: 0, skipped: false)
      }
    }
    let source: FileDescriptorSource
    do {
      source = try FileDescriptorSource(path: file.path)
    } catch {
      analysis.addInputDiagnostic(Diagnostic(.error, at: nil, error.description, file: file.name))
      return FileRead(bytes: 0, skipped: false)
    }
    var resume = StateRun.Resume(offset: 0, line: 1, note: nil)
    var identity: FileIdentity?
    if let run { (resume, identity) = try run.resume(path: file.key, fd: source.fd) }
    let size = identity?.size ?? Int64(Self.size(of: file.path))
    var magic = [UInt8](repeating: 0, count: 2)
    let sniffed = magic.withUnsafeMutableBytes { pread(source.fd, $0.baseAddress, 2, 0) }
    let compressed = sniffed == 2 && magic == [0x1F, 0x8B]
    let whole = compressed || InputFiles.isArchive(file.path)
    if let note = resume.note { analysis.addInputDiagnostic(Diagnostic(.warning, at: nil, note, file: file.name)) }

    if whole {
      // Compressed files and archives are read whole, once: a rotated .gz does not change.
      if run != nil, resume.offset > 0, resume.offset == size {
        return FileRead(bytes: 0, skipped: true)
      }
      if InputFiles.isArchive(file.path) {
        scanArchive(file, source: source, compressed: compressed, analysis: analysis)
      } else {
        // The file is open and known to be gzip: read it through the same descriptor.
        var gzip = GzipSource(source, path: file.name)
        analysis.analyze(&gzip, input: InputDescription(name: file.name, origin: file.origin, since: since))
      }
      if let run, let identity {
        let tail = FileIdentity.tail(fd: source.fd, before: size) ?? ""
        try run.record(path: file.key, identity: identity, offset: size, line: 1, tail: tail, at: now())
      }
      return FileRead(bytes: size, skipped: false)
    }

    // A plain file: from the offset reached to the end of its last complete line (a line still
    // being written is read next time, whole).
    let end = run == nil ? size : Self.endOfLastLine(fd: source.fd, from: resume.offset, size: size)
    guard end > resume.offset else {
      if let run, let identity {
        let tail = FileIdentity.tail(fd: source.fd, before: resume.offset) ?? ""
        try run.record(path: file.key, identity: identity, offset: resume.offset, line: resume.line, tail: tail, at: now())
      }
      return FileRead(bytes: 0, skipped: true)
    }
    let lastLine = analysis.analyze(
      fd: source.fd, from: resume.offset, to: end,
      input: InputDescription(name: file.name, origin: file.origin, firstLine: resume.line, since: since))
    if let run, let identity {
      let tail = FileIdentity.tail(fd: source.fd, before: end) ?? ""
      try run.record(path: file.key, identity: identity, offset: end, line: max(lastLine + 1, resume.line), tail: tail, at: now())
    }
    return FileRead(bytes: end - resume.offset, skipped: false)
  }

  /// Reads an archive's log entries (`*.log`, and the files under a `logs/` folder).
  func scanArchive(_ file: ScanFile, source: FileDescriptorSource, compressed: Bool, analysis: Analysis) {
    func entries<Upstream: ByteSource>(_ upstream: Upstream) {
      var tar = TarReader(upstream, path: file.name)
      do {
        while let entry = try tar.nextEntry() {
          guard entry.isFile, entry.path.hasSuffix(".log") || entry.path.contains("/logs/") else { continue }
          let name = "\(file.name):\(entry.path)"
          var origin = LogPaths.origin(forPath: entry.path)
          origin.file = name
          analysis.analyze(&tar, input: InputDescription(name: name, origin: origin, since: since))
        }
      } catch {
        analysis.addInputDiagnostic(Diagnostic(.warning, at: nil, error.description, file: file.name))
      }
      for problem in tar.problems { analysis.addInputDiagnostic(Diagnostic(.warning, at: nil, problem, file: file.name)) }
    }
    if compressed {
      entries(GzipSource(source, path: file.name))
    } else {
      entries(source)
    }
  }

  static func size(of path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
  }

  /// The offset just after the last newline in `[from, size)`, or `from` when there is none.
  static func endOfLastLine(fd: Int32, from: Int64, size: Int64) -> Int64 {
    var blockEnd = size
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while blockEnd > from {
      let blockStart = max(from, blockEnd - Int64(buffer.count))
      let length = Int(blockEnd - blockStart)
      let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(blockStart)) }
      guard got == length else { return from }
      if let index = buffer[0..<length].lastIndex(of: 0x0A) { return blockStart + Int64(index) + 1 }
      blockEnd = blockStart
    }
    return from
  }
}
