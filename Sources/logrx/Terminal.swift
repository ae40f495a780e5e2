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

  /// Writes every byte, retrying short writes. A closed pipe (`logrx … | head`) ends the
  /// process quietly through SIGPIPE, as for any Unix filter.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}

/// Buffered standard output; `flush()` after each live finding and at the end.
final class StandardOutput: TextSink, @unchecked Sendable {
  static let shared = StandardOutput()
  private var buffer: [UInt8] = []

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
    Terminal.writeAll(1, buffer)
    buffer.removeAll(keepingCapacity: true)
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
