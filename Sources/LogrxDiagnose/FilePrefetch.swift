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
  private let maker: FindingMaker
  private var work: WindowedWork<Read>!
  /// The index after the file taken last (the scanning thread's only).
  private var position = 0

  init(files: [File], matcher: RuleMatcher, maker: FindingMaker, jobs: Int, largest: Int64) {
    self.maker = maker
    self.files = files
    self.largest = largest
    self.base = matcher
    work = WindowedWork(count: files.count, jobs: jobs, window: jobs * 2 + 1) { [unowned self] in
      var matcher: RuleMatcher?
      return { index in
        let own = matcher ?? self.base.forAnotherThread(bytesSearched: 1 << 20)
        matcher = own
        return self.read(self.files[index], matcher: own)
      }
    }
  }

  /// The file named `name`, read whole from `start` to `end` as the scan asks, when it was read
  /// ahead that way; nil otherwise. Files are asked for in their order (skipping some).
  func take(name: String, start: Int64, end: Int64, firstLine: Int) -> PartPipeline.Part? {
    guard let index = files[position...].firstIndex(where: { $0.input.name == name }) else { return nil }
    position = index + 1
    guard start == 0, firstLine == 1 else {
      _ = work.take(index, wait: false)
      return nil
    }
    guard let read = work.take(index), read.size == end, let part = read.part, part.error == nil else { return nil }
    return part
  }

  /// Stops the threads and waits for them.
  func finish() { work.finish() }

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
      prepare: true, assemble: maker)
    return Read(part: part, size: size)
  }
}

extension Analysis {
  /// Reads `files` ahead on ``jobs`` threads (see `FilePrefetch`) for the calls of
  /// ``analyze(fd:from:to:input:)`` that follow, in the same order; ``endPrefetch()`` stops it.
  public func prefetch(_ files: [(path: String, input: InputDescription)]) {
    guard jobs > 1, files.count > 1 else { return }
    prefetcher = FilePrefetch(
      files: files.map { FilePrefetch.File(path: $0.path, input: $0.input) }, matcher: matcher, maker: deduplicator.maker, jobs: jobs,
      largest: 2 * partSize)
  }

  /// Stops reading ahead.
  public func endPrefetch() {
    prefetcher?.finish()
    prefetcher = nil
  }
}
