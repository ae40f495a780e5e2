import LogrxMatching

/// The paths and modes a fix may write: the one check that the rule loader, the plan and the
/// applier share, so that a rule pack cannot plant a git hook or a setuid file.
public enum FixPath {
  /// Folders that hold a version-control system's own data. A fix never writes inside one:
  /// a file under `.git/hooks` runs on the user's next commit.
  static let versionControlFolders: Set<String> = [".git", ".hg", ".svn", ".bzr", "_darcs", "cvs", ".jj", ".pijul"]

  /// Whether a path component names a version-control folder, as a case-insensitive file
  /// system (macOS) or Windows would also read it (`.GIT`, `.git.`, `.git `).
  public static func isVersionControlFolder(_ component: Substring) -> Bool {
    var name = component.lowercased()
    while let last = name.last, last == "." || last == " " { name.removeLast() }
    return versionControlFolders.contains(name)
  }

  /// A relative path inside the tree, normalised; nil for absolute paths, any `..`, a NUL
  /// byte, and any path through a version-control folder.
  public static func safe(_ path: String) -> String? {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~") else { return nil }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." || part.contains("\0") || isVersionControlFolder(part) { return nil }
      parts.append(part)
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  /// Why a fix may not write `path`; nil when it may.
  public static func problem(_ path: String) -> LogrxError? {
    if path.split(separator: "/").contains(where: isVersionControlFolder) { return .versionControl(path) }
    return safe(path) == nil ? .outsideTree(path) : nil
  }

  /// Whether `mode` is a mode a fix may give a file: read and write for the owner, read and
  /// run for others (0644, 0755, 0600, 0700 and the like); no setuid, setgid or sticky bit,
  /// no write for group or others.
  public static func isAllowed(mode: Int) -> Bool { mode & ~0o755 == 0 && mode & 0o600 == 0o600 }

  /// The mode git records for a file a fix writes: 0755 when any run bit is set, else 0644.
  public static func gitMode(_ mode: Int) -> Int { mode & 0o111 != 0 ? 0o755 : 0o644 }
}
