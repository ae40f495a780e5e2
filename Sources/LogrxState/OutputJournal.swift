import Foundation
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// Makes a stateful scan's report and its commit one unit, so that a run killed at any moment
/// loses no finding and repeats none in a report file.
///
/// A run computes its result inside the state's transaction, then, before it commits:
///
/// 1. writes this journal beside the state (`<state>.logrx-delivery`): the run's token and,
///    when the report goes to a regular file, that file (path, device, inode) and its size
///    before the report;
/// 2. delivers the report (the caller writes, flushes and, for a file, `fsync`s it);
/// 3. commits, with the token in the `run` table; then removes the journal.
///
/// A write error rolls the transaction back (the state is unchanged) and cuts the report file
/// back to where it was. A kill before the commit leaves the journal: the next run, holding the
/// state's lock, sees that the token was never committed and cuts the report file back to its
/// size before that run, whose findings it then reads and reports again: nothing lost, nothing
/// twice. A kill after the commit leaves a journal whose token is committed: it is only removed.
///
/// When the report goes to a pipe or a terminal, bytes sent cannot be taken back: a kill
/// between the report and the commit repeats that batch in the next run (at least once).
public struct OutputJournal {
  public let path: String

  public init(statePath: String) { path = statePath + ".logrx-delivery" }

  /// A delivery that was started.
  public struct Entry: Equatable, Sendable {
    public var token: String
    /// The report file, when the report went to a regular file.
    public var file: String?
    public var device: Int64 = 0
    public var inode: Int64 = 0
    /// Its size before the report.
    public var start: Int64 = 0
  }

  /// The delivery a run that did not end left behind, if any.
  public func pending() -> Entry? {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
    let fields = text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
    guard fields.count >= 1, !fields[0].isEmpty else { return nil }
    var entry = Entry(token: fields[0])
    if fields.count == 5, let device = Int64(fields[1]), let inode = Int64(fields[2]), let start = Int64(fields[3]) {
      entry.file = fields[4].hasSuffix("\n") ? String(fields[4].dropLast()) : fields[4]
      entry.device = device
      entry.inode = inode
      entry.start = start
    }
    return entry
  }

  /// What the report's descriptor is: a regular file (its path, identity and size now), or
  /// something else (nil).
  public static func target(fd: Int32) -> Entry? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    let file = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard file.hasPrefix("/") else { return nil }
    let appending = fcntl(fd, F_GETFL) & O_APPEND != 0
    let start = appending ? Int64(info.st_size) : Int64(lseek(fd, 0, SEEK_CUR))
    return Entry(token: "", file: file, device: Int64(info.st_dev), inode: Int64(info.st_ino), start: max(0, start))
  }

  /// Records that the run `token` is about to write its report to `fd`, durably.
  public func begin(token: String, fd: Int32?) throws(LogrxError) -> Entry {
    var entry = fd.flatMap(Self.target) ?? Entry(token: token)
    entry.token = token
    var text = "\(token)\n"
    if let file = entry.file { text += "\(entry.device)\n\(entry.inode)\n\(entry.start)\n\(file)" }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw .state("\(path): cannot write the delivery journal: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count, fsync(fd) == 0 else {
      throw .state("\(path): cannot write the delivery journal: \(String(cString: strerror(errno)))")
    }
    return entry
  }

  /// Cuts the report file of `entry` back to its size before that run's report, when it is
  /// still the same file and has grown since. Returns how many bytes were taken back.
  @discardableResult
  public static func takeBack(_ entry: Entry) -> Int64 {
    guard let file = entry.file else { return 0 }
    let fd = open(file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_dev) == entry.device,
      Int64(info.st_ino) == entry.inode, Int64(info.st_size) > entry.start
    else { return 0 }
    guard ftruncate(fd, off_t(entry.start)) == 0 else { return 0 }
    fsync(fd)
    return Int64(info.st_size) - entry.start
  }

  /// Forgets the journal (the run committed, or its delivery was taken back).
  public func end() { unlink(path) }
}
