import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport


#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and standard error for the commands.
enum Terminal {
  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  static func error(_ message: String) {
    let line = message.hasSuffix("\n") ? message : message + "\n"
    writeAll(2, Array(line.utf8))
  }

  /// Writes every byte (``writeAll(_:_:)``); returns why it failed. A closed pipe
  /// (`logrx … | head`) ends the process quietly through SIGPIPE, as for any Unix filter.
  @discardableResult
  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
    LogrxVocabulary.writeAll(fd, bytes)
  }
}

/// Buffered standard output; `flush()` after each live finding and at the end. The first
/// write error is kept (``failure``): a report that did not reach its file is an error, not a
/// silent exit.
final class StandardOutput: TextSink, @unchecked Sendable {
  static let shared = StandardOutput()
  private var buffer: [UInt8] = []
  /// Why writing failed, the first time it did.
  private(set) var failure: String?

  private init() {
    // ArgumentParser ends with exit(); whatever is buffered goes out then.
    atexit { StandardOutput.shared.flush() }
  }

  func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 64 * 1024 { flush() }
  }

  func flush() {
    guard !buffer.isEmpty else { return }
    if failure == nil, let reason = Terminal.writeAll(1, buffer) { failure = reason }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, and when standard output is a regular file, `fsync`s it: after this the report
  /// is on disk. Throws the first write error.
  func deliver() throws(LogrxError) {
    flush()
    var info = stat()
    if failure == nil, fstat(1, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, fsync(1) != 0 {
      failure = String(cString: strerror(errno))
    }
    if let failure { throw LogrxError.writeFailed(path: "standard output", reason: failure) }
  }
}

/// Standard error as a sink: what is buffered for standard output goes first, so that a
/// terminal shows the two in the order they were written.
final class StandardError: TextSink {
  func write(_ text: String) {
    StandardOutput.shared.flush()
    Terminal.error(text)
  }
}

/// Ends the process on SIGINT or SIGTERM after stopping the cluster clients still running and
/// removing a temporary folder (the fetched logs of `scan --cluster`).
enum SignalCleanup {
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  static func install(removing folder: URL) {
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        RunningChildren.shared.stopAll()
        try? FileManager.default.removeItem(at: folder)
        Terminal.error("logrx: stopped by \(number == SIGINT ? "SIGINT" : "SIGTERM"); the client was stopped and \(folder.path) removed")
        _exit(128 + number)
      }
      source.resume()
      sources.append(source)
    }
  }
}
