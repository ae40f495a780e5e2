import Foundation
import LogrxVocabulary

extension Plan {
  /// Where S2I puts the source: a folder below it that `.s2i/environment` names is part of the
  /// image only when the repository has it.
  static let sourceRoot = "/opt/app-root/src/"

  /// Makes every folder inside the source that the plan's `.s2i/environment` names in a
  /// `*_DIR` variable (V2's `OPENSHIFT_DATA_DIR=/opt/app-root/src/data`) part of the tree, with
  /// an empty `.gitkeep`, when the tree has no file there.
  ///
  /// V2 created the data directory for every gear; the repository never had it. On OpenShift 3
  /// a folder that is not in the image does not exist when the pod starts, and the random UID
  /// cannot create it in a directory the image owns: a V2 deploy hook writing
  /// `$OPENSHIFT_DATA_DIR/secrets.json`, or an SQLite file opened there, fails ("No such file
  /// or directory", `sqlite3.OperationalError: unable to open database file`). A folder that
  /// comes with the source is made group-writable by the builder (`fix-permissions`), so the
  /// random UID (group 0) can write in it, and a persistent volume mounted there replaces it.
  public mutating func ensureEnvironmentFolders() {
    guard hasTree, let environment = files[".s2i/environment"], environment.exists else { return }
    let rule = environment.rules.first ?? "s2i-environment"
    var known = Set(listing)
    known.formUnion(order.filter { files[$0]?.exists == true })
    for line in environment.content.split(whereSeparator: \.isNewline) {
      let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, parts[0].hasSuffix("_DIR"), !parts[0].hasPrefix("#") else { continue }
      let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
      guard value.hasPrefix(Self.sourceRoot) else { continue }
      let folder = String(value.dropFirst(Self.sourceRoot.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
      guard !folder.isEmpty, !folder.contains("$"), FixPath.safe(folder) == folder else { continue }
      if known.contains(where: { $0.hasPrefix(folder + "/") }) { continue }
      apply(.create(path: folder + "/.gitkeep", mode: 0o644, content: ""), rule: rule)
      known.insert(folder + "/.gitkeep")
    }
  }
}

extension Plan {
  /// Whether a file's content, as the reader decoded it, is not text: NUL bytes, or bytes that
  /// were not UTF-8 (decoded as U+FFFD). A zip archive with a shebang (a bundled `youtube-dl`)
  /// is such a file; a rewrite of its lossy text would not apply to its bytes.
  static func isBinary(_ content: String?) -> Bool {
    guard let content else { return false }
    return content.utf8.contains(0) || content.unicodeScalars.contains("\u{FFFD}")
  }
}
