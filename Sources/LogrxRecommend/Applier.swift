import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a plan's changes into a source tree.
///
/// Each file is written whole to an unnamed temporary file in its folder (O_TMPFILE, so a
/// kill leaves nothing behind), given its mode, flushed, named and renamed over the target,
/// so a reader sees the old file or the new one, never half of either. Refused and reported,
/// while the other files are still written: a file whose bytes changed since the plan was
/// made, or while the new one was written (checked again just before the rename); a file that
/// is not UTF-8 (never re-encoded); a read-only file; a file with more than one hard link; a
/// path that leaves the tree (also through a symbolic link) or is a folder or not a regular
/// file.
public struct Applier {
  public let tree: SourceTree
  /// Called with each target just before its rename (tests edit the file here).
  package var beforeRename: ((String) -> Void)?

  public init(tree: SourceTree) { self.tree = tree }

  /// What happened to each file.
  public struct Outcome: Sendable, Equatable {
    public var written: [String] = []
    public var refused: [LogrxError] = []
  }

  public func apply(_ changes: [Plan.FileChange]) -> Outcome {
    var outcome = Outcome()
    let root = URL(fileURLWithPath: tree.root).resolvingSymlinksInPath().path
    for change in changes {
      do throws(LogrxError) {
        try write(change, root: root)
        outcome.written.append(change.path)
      } catch {
        outcome.refused.append(error)
      }
    }
    return outcome
  }

  private func write(_ change: Plan.FileChange, root: String) throws(LogrxError) {
    guard let relative = FixPath.safe(change.path) else { throw FixPath.problem(change.path) ?? .outsideTree(change.path) }
    // A mode the plan did not carry over from the file itself must be a plain permission.
    guard change.mode == change.originalMode || FixPath.isAllowed(mode: change.mode) else {
      throw .conflict(path: change.path, reason: "mode \(String(change.mode, radix: 8)) is not one a fix gives (0644 or 0755)")
    }
    let target = "\(root)/\(relative)"
    let parent = (target as NSString).deletingLastPathComponent
    // The folder must stay inside the tree once links are followed: check the deepest folder
    // that exists before creating any below it, and the folder itself after.
    var existing = parent
    while !FileManager.default.fileExists(atPath: existing), existing.count > root.count {
      existing = (existing as NSString).deletingLastPathComponent
    }
    guard Self.isInside(existing, root: root) else { throw .outsideTree(change.path) }
    try createFolders(parent, root: root, relative: relative)
    guard Self.isInside(parent, root: root) else { throw .outsideTree(change.path) }
    // A link inside the tree may lead into `.git`: the folder as resolved must not be one.
    let resolvedParent = URL(fileURLWithPath: parent).resolvingSymlinksInPath().path
    if resolvedParent.dropFirst(root.count).split(separator: "/").contains(where: FixPath.isVersionControlFolder) {
      throw .versionControl(change.path)
    }
    var info = stat()
    let exists = lstat(target, &info) == 0
    if exists {
      if (info.st_mode & S_IFMT) == S_IFLNK { throw .conflict(path: change.path, reason: "is a symbolic link") }
      if (info.st_mode & S_IFMT) == S_IFDIR { throw .conflict(path: change.path, reason: "is a folder") }
      if (info.st_mode & S_IFMT) != S_IFREG { throw .conflict(path: change.path, reason: "is not a regular file") }
      if info.st_mode & 0o222 == 0 {
        throw .conflict(path: change.path, reason: "is read-only (mode \(String(info.st_mode & 0o7777, radix: 8))); make it writable to let logrx change it")
      }
      if info.st_nlink > 1 {
        throw .conflict(path: change.path, reason: "has \(info.st_nlink) hard links; replacing it would break them, so edit it by hand")
      }
    }
    try Self.check(target, exists: exists, against: change, what: "since the plan was made")
    Self.removeLeftovers(in: parent)
    let (fd, named) = Self.temporaryFile(in: parent, name: (relative as NSString).lastPathComponent, mode: change.mode)
    guard fd >= 0 else { throw .writeFailed(path: change.path, reason: String(cString: strerror(errno))) }
    var failed = writeAll(fd, Array(change.content.utf8))
    if failed == nil, fchmod(fd, mode_t(change.mode)) != 0 { failed = String(cString: strerror(errno)) }
    if failed == nil, fsync(fd) != 0 { failed = String(cString: strerror(errno)) }
    var temporary = named
    if failed == nil, temporary == nil {
      // An unnamed file (O_TMPFILE) gets its name only now, just before the rename: a kill
      // while it was written leaves nothing in the tree.
      let name = "\(parent)/.\((relative as NSString).lastPathComponent).logrx-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 {
        temporary = name
      } else {
        failed = String(cString: strerror(errno))
      }
    }
    close(fd)
    if failed == nil {
      beforeRename?(target)
      // The file may have been edited while the new one was written: checked again now.
      do throws(LogrxError) {
        try Self.check(target, exists: exists, against: change, what: "while the fix was being written", identity: exists ? info : nil)
      } catch {
        temporary.map { _ = unlink($0) }
        throw error
      }
    }
    if failed == nil, let temporary, rename(temporary, target) != 0 { failed = String(cString: strerror(errno)) }
    if let failed {
      temporary.map { _ = unlink($0) }
      throw .writeFailed(path: change.path, reason: failed)
    }
  }

  /// Refuses when `target` is not what the plan was made from: its bytes (never re-decoded: a
  /// file that is not UTF-8 is refused, not rewritten) and, with `identity`, the same file.
  static func check(
    _ target: String, exists: Bool, against change: Plan.FileChange, what: String, identity: stat? = nil
  ) throws(LogrxError) {
    var info = stat()
    let present = lstat(target, &info) == 0
    if let identity, !present || info.st_ino != identity.st_ino || info.st_dev != identity.st_dev {
      throw .conflict(path: change.path, reason: "was replaced \(what)")
    }
    guard present else {
      if change.original != nil { throw .conflict(path: change.path, reason: "was removed \(what)") }
      return
    }
    guard exists, let original = change.original else { throw .conflict(path: change.path, reason: "appeared \(what)") }
    guard let current = FileManager.default.contents(atPath: target) else {
      throw .conflict(path: change.path, reason: "cannot be read")
    }
    if String(validating: current, as: UTF8.self) == nil {
      throw .conflict(path: change.path, reason: "is not UTF-8 text; logrx edits UTF-8 files only and never re-encodes one")
    }
    guard current.elementsEqual(original.utf8) else { throw .conflict(path: change.path, reason: "changed \(what)") }
  }

  /// An unnamed temporary file in `folder` (O_TMPFILE), or where the file system has none, a
  /// named one (`.<name>.logrx-<pid>-<n>`, which a later run removes once its process is gone).
  static func temporaryFile(in folder: String, name: String, mode: Int) -> (fd: Int32, path: String?) {
    // O_TMPFILE is __O_TMPFILE | O_DIRECTORY; Glibc's module does not import the macro.
    let unnamed = open(folder, O_WRONLY | O_CLOEXEC | 0o20_000_000 | O_DIRECTORY, mode_t(mode))
    if unnamed >= 0 { return (unnamed, nil) }
    let path = "\(folder)/.\(name).logrx-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    return (open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode)), path)
  }

  /// Removes the temporary files (`.<name>.logrx-<pid>-<n>`) a killed run left in `folder`,
  /// when their process is gone.
  static func removeLeftovers(in folder: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(".") {
      guard let marker = name.range(of: ".logrx-", options: .backwards) else { continue }
      let parts = name[marker.upperBound...].split(separator: "-")
      guard parts.count == 2, let pid = Int32(parts[0]), UInt32(parts[1]) != nil else { continue }
      if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { unlink("\(folder)/\(name)") }
    }
  }

  static func isInside(_ path: String, root: String) -> Bool {
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    return resolved == root || resolved.hasPrefix(root + "/")
  }

  private func createFolders(_ folder: String, root: String, relative: String) throws(LogrxError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      if !isDirectory.boolValue { throw .conflict(path: relative, reason: "a parent is a file, not a folder") }
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .writeFailed(path: relative, reason: "cannot create \(folder)")
    }
  }
}
