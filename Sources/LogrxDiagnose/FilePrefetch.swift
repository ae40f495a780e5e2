import Foundation
import LogrxIngest
import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// Reads the files of a folder ahead, on other threads, while the scanning thread assembles the
/// events of the file before: each plain file small enough not to be cut into parts is decoded
/// and matched whole, as ``Analysis/analyze(fd:from:to:input:)`` would read it on one thread
/// (the same 64 KiB blocks, numbering and decoder state), and handed over when the scan reaches
/// it. A file that is not there as it was read (grown, a different range asked), not plain text,
/// an archive, or too large is read by the scan as usual.
final class FilePrefetch: @unchecked Sendable {
  struct File: Sendable {
    var path: String
    var input: InputDescription
  }

  private struct Read {
    var part: PartPipeline.Part?
    var size: Int64 = -1
  }

  private let files: [File]
  private let largest: Int64
  private let base: RuleMatcher
  private let condition = NSCondition()
  private var reads: [Read?]
  private var next = 0
  private var consumed = 0
  private var cancelled = false
  private var running: Int
  private let window: Int

  init(files: [File], matcher: RuleMatcher, jobs: Int, largest: Int64) {
    self.files = files
    self.largest = largest
    self.base = matcher
    reads = Array(repeating: nil, count: files.count)
    window = jobs * 2 + 1
    running = jobs
    for _ in 0..<jobs {
      let thread = Thread { [self] in work() }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// The file named `name`, read whole from `start` to `end` as the scan asks, when it was read
  /// ahead that way; nil otherwise. Files are asked for in their order (skipping some).
  func take(name: String, start: Int64, end: Int64, firstLine: Int) -> PartPipeline.Part? {
    condition.lock()
    defer { condition.unlock() }
    guard let index = files[consumed...].firstIndex(where: { $0.input.name == name }) else { return nil }
    for skipped in consumed..<index { reads[skipped] = Read() }
    // Files before this one are not read any more; this one is read now if it was not yet.
    consumed = index
    defer {
      reads[index] = Read()
      consumed = index + 1
      condition.broadcast()
    }
    condition.broadcast()
    guard start == 0, firstLine == 1 else { return nil }
    while reads[index] == nil, !cancelled { condition.wait() }
    guard let read = reads[index], read.size == end, let part = read.part, part.error == nil else { return nil }
    return part
  }

  /// Stops the threads and waits for them.
  func finish() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  private func work() {
    var matcher: RuleMatcher?
    while true {
      condition.lock()
      while !cancelled, next < files.count, next >= consumed + window { condition.wait() }
      guard !cancelled, next < files.count else {
        running -= 1
        condition.broadcast()
        condition.unlock()
        return
      }
      let index = next
      next += 1
      if index < consumed {
        condition.unlock()
        continue
      }
      condition.unlock()
      let own = matcher ?? base.forAnotherThread(bytesSearched: 1 << 20)
      matcher = own
      let read = self.read(files[index], matcher: own)
      condition.lock()
      if index >= consumed { reads[index] = read }
      condition.broadcast()
      condition.unlock()
    }
  }

  private func read(_ file: File, matcher: RuleMatcher) -> Read {
    guard !InputFiles.isArchive(file.path) else { return Read() }
    // O_NONBLOCK: a FIFO without a writer must not hold the thread.
    let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return Read() }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= largest else { return Read() }
    let size = Int64(info.st_size)
    var sniffed = SniffedSource(PreadSource(fd: fd, offset: 0, end: size, path: file.input.name))
    guard case .text = (try? sniffed.sniff()) ?? .binary("") else { return Read() }
    var part = PartPipeline.Part(begin: 0, end: size, guess: LogDecoder.Carry(), firstLine: 1)
    PartPipeline.decode(
      &part, fd: fd, name: file.input.name, defaults: file.input.origin, since: file.input.since, last: true, matcher: matcher,
      prepare: true)
    return Read(part: part, size: size)
  }
}

extension Analysis {
  /// Reads `files` ahead on ``jobs`` threads (see `FilePrefetch`) for the calls of
  /// ``analyze(fd:from:to:input:)`` that follow, in the same order; ``endPrefetch()`` stops it.
  public func prefetch(_ files: [(path: String, input: InputDescription)]) {
    guard jobs > 1, files.count > 1 else { return }
    prefetcher = FilePrefetch(
      files: files.map { FilePrefetch.File(path: $0.path, input: $0.input) }, matcher: matcher, jobs: jobs, largest: 2 * partSize)
  }

  /// Stops reading ahead.
  public func endPrefetch() {
    prefetcher?.finish()
    prefetcher = nil
  }
}
