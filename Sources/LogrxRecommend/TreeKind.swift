import Foundation

/// Whether a source tree is a Python app at all (issue #12 item 8): logrx fits its patches to
/// Python apps, and a Node.js, Java or empty tree must get a clear refusal, never Python
/// scaffolding or a quiet "0 files to change".
extension SourceTree {
  /// File names that make a tree a Python app even without a `.py` file at hand (V2's
  /// extension-less `wsgi/application`, the packaging files).
  static let pythonMarkers: Set<String> = [
    "requirements.txt", "setup.py", "setup.cfg", "Pipfile", "pyproject.toml", "environment.yml", ".python-version",
  ]

  /// Files that say which other kind of app a tree holds, and its name, first match wins.
  static let otherKinds: [(file: String, kind: String)] = [
    ("package.json", "a Node.js app"), ("pom.xml", "a Java app (Maven)"), ("build.gradle", "a Java app (Gradle)"),
    ("build.gradle.kts", "a Java or Kotlin app (Gradle)"), ("Gemfile", "a Ruby app"), ("composer.json", "a PHP app"),
    ("go.mod", "a Go app"), ("Cargo.toml", "a Rust app"), ("Package.swift", "a Swift package"),
    ("index.php", "a PHP app"), ("Dockerfile", "a container build"),
  ]

  /// Whether any file of the tree is Python source or Python packaging.
  public var holdsPython: Bool {
    files.contains { path in
      let name = (path as NSString).lastPathComponent
      return path.hasSuffix(".py") || path.hasSuffix(".pyw") || path == "wsgi/application" || path.hasSuffix("/wsgi/application")
        || Self.pythonMarkers.contains(name) || (name.hasPrefix("requirements") && name.hasSuffix(".txt"))
    }
  }

  /// What the tree is instead, for the refusal: "a Node.js app (package.json)", "an empty
  /// folder", or "a folder of N files".
  public var otherKind: String {
    if files.isEmpty { return "an empty folder" }
    let names = Set(files)
    if let other = Self.otherKinds.first(where: { names.contains($0.file) }) { return "\(other.kind) (\(other.file))" }
    return files.count == 1 ? "a folder of 1 file" : "a folder of \(files.count) files"
  }
}
