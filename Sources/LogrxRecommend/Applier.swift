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
/// Each file is written whole to a temporary file beside it, given its mode, flushed, and
/// renamed over the target, so a reader sees the old file or the new one, never half of
/// either. A file whose content changed since the plan was made, a path that leaves the tree
/// (also through a symbolic link), or a path that is a folder is refused and reported; the
/// other files are still written.
public struct Applier {
  public let tree: SourceTree

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
    guard let relative = Plan.safePath(change.path) else { throw FixPath.problem(change.path) ?? .outsideTree(change.path) }
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
    }
    let current = exists ? FileManager.default.contents(atPath: target).map { String(decoding: $0, as: UTF8.self) } : nil
    guard current == change.original else {
      throw .conflict(path: change.path, reason: change.original == nil ? "appeared since the plan was made" : "changed since the plan was made")
    }
    let temporary = "\(parent)/.\((relative as NSString).lastPathComponent).logrx-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(change.mode))
    guard fd >= 0 else { throw .writeFailed(path: change.path, reason: String(cString: strerror(errno))) }
    var failed: String?
    let bytes = Array(change.content.utf8)
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failed = String(cString: strerror(errno))
          return
        }
        offset += written
      }
    }
    if failed == nil, fchmod(fd, mode_t(change.mode)) != 0 { failed = String(cString: strerror(errno)) }
    if failed == nil, fsync(fd) != 0 { failed = String(cString: strerror(errno)) }
    close(fd)
    if failed == nil, rename(temporary, target) != 0 { failed = String(cString: strerror(errno)) }
    if let failed {
      unlink(temporary)
      throw .writeFailed(path: change.path, reason: failed)
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
