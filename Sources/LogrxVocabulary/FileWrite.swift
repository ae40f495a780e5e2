#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes every byte of `bytes` to `fd`, retrying short and interrupted writes; returns why it
/// failed (nil when all were written). Shared by the terminal output, the rule pack and the
/// applier's temporary files.
@discardableResult
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
  bytes.withUnsafeBytes { raw -> String? in
    var offset = 0
    while offset < raw.count {
      let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return String(cString: strerror(errno))
      }
      if written == 0 { return "nothing could be written" }
      offset += written
    }
    return nil
  }
}
