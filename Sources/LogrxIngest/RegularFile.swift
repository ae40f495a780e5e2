import Foundation

/// Reads whole files that must be regular files: a FIFO, socket or device (`/dev/zero`, also
/// behind a symbolic link) is refused without waiting on it, so that reading a source tree
/// cannot hang or fill memory.
public enum RegularFile {
  /// Whether `path` is, or leads to, a regular file.
  public static func isRegular(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// The bytes of the regular file at `path` (links followed), or nil when it is something
  /// else or cannot be read.
  public static func contents(atPath path: String) -> Data? {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting.
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    var data = Data(capacity: Int(info.st_size))
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return nil
      }
      if count == 0 { return data }
      data.append(contentsOf: buffer[0..<count])
    }
  }
}
