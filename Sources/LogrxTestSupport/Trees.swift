import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// Folders of files for fix tests: written from dictionaries, read back with modes, patched
/// with the real `git apply`.
public enum Trees {
  /// A file's content and mode.
  public struct File: Equatable, Sendable, CustomStringConvertible {
    public var content: String
    public var mode: Int
    public init(_ content: String, mode: Int = 0o644) {
      self.content = content
      self.mode = mode
    }
    public var description: String { "(\(String(mode, radix: 8))) \(content.debugDescription)" }
  }

  /// Writes `files` (relative path → file) into a new temporary folder.
  public static func make(_ files: [String: File]) throws -> URL {
    let root = Fixtures.temporaryDirectory()
    for (path, file) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(file.content.utf8).write(to: url)
      try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: url.path)
    }
    return root
  }

  /// Every regular file below `root` with its content and mode (`.git` left out).
  public static func read(_ root: URL) -> [String: File] {
    var result: [String: File] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [:] }
    while let relative = enumerator.nextObject() as? String {
      if relative == ".git" || relative.hasPrefix(".git/") {
        enumerator.skipDescendants()
        continue
      }
      let path = root.appendingPathComponent(relative).path
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
      let mode = (attributes?[.posixPermissions] as? Int ?? 0o644) & 0o777
      let content = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
      result[relative] = File(content, mode: mode & 0o111 != 0 ? 0o755 : 0o644)
    }
    return result
  }

  /// Copies a folder (modes kept) into a new temporary folder.
  public static func copy(_ source: String) throws -> URL {
    let target = Fixtures.temporaryDirectory()
    try run("/bin/cp", ["-a", source + "/.", target.path])
    return target
  }

  /// Applies `patch` in `root` with `git apply` (no repository needed). Returns git's
  /// status and messages.
  @discardableResult
  public static func gitApply(_ patch: String, in root: URL, check: Bool = false) throws -> (status: Int32, output: String) {
    let patchFile = root.deletingLastPathComponent().appendingPathComponent("logrx-\(UUID().uuidString).patch")
    try Data(patch.utf8).write(to: patchFile)
    defer { try? FileManager.default.removeItem(at: patchFile) }
    return try run("/usr/bin/git", ["apply", "--unsafe-paths", "-v"] + (check ? ["--check"] : []) + [patchFile.path], cwd: root)
  }

  @discardableResult
  public static func run(_ executable: String, _ arguments: [String], cwd: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = cwd }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
