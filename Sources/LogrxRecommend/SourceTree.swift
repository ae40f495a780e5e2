import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// An application's source tree, and where its Django and S2I pieces are.
///
/// Locators look at file names and at a few assignments in Python files; they never run code.
/// Ambiguities (two settings modules that both define `ALLOWED_HOSTS`) and absences (no
/// `manage.py`) are kept in ``notes`` so that a report can say which assumption a fix makes.
public struct SourceTree: Sendable {
  /// The root folder, absolute and without a trailing slash.
  public let root: String
  /// Every regular file below the root, relative, sorted; VCS, virtualenv and cache folders
  /// are left out.
  public private(set) var files: [String]
  /// Planned contents and modes that stand in for the files on disk (``applying(_:)``).
  private var overlay: [String: (content: String, mode: Int)] = [:]
  /// Settings modules: files that assign `ALLOWED_HOSTS`, `DATABASES`, `STATIC_ROOT` or
  /// `INSTALLED_APPS`, the one assigning most of them first.
  public private(set) var settingsModules: [String] = []
  /// The `manage.py` whose folder holds the winning settings, else the shallowest.
  public private(set) var managePy: String?
  /// The winning settings as a dotted name `manage.py` can import, when `manage.py`'s own
  /// default names another module (``manageSettings(manage:winning:files:read:)``).
  public private(set) var manageSettings: String?
  /// The WSGI entry the app is served from: `wsgi/application`, `wsgi.py`, `<pkg>/wsgi.py`
  /// or `app.py`, in that order of preference.
  public private(set) var wsgiEntry: String?
  /// The root URLconf: the module `ROOT_URLCONF` names, else `urls.py` beside the settings.
  public private(set) var urls: String?
  public private(set) var requirements: String?
  public private(set) var setupPy: String?
  public private(set) var pipfile: String?
  /// What the locators had to guess, or could not find.
  public private(set) var notes: [String] = []

  /// Folders that are never part of the app's source.
  static let skippedFolders: Set<String> = [
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", "virtenv", ".tox", ".mypy_cache",
    ".pytest_cache", ".build", "site-packages",
  ]
  /// At most this many files are listed.
  public static let maxFiles = 50_000

  /// Reads the tree at `path`.
  ///
  /// - Throws: ``LogrxError/notADirectory`` when `path` is not a folder.
  public init(path: String) throws(LogrxError) {
    let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw .notADirectory(path)
    }
    root = url.path.hasSuffix("/") && url.path.count > 1 ? String(url.path.dropLast()) : url.path
    files = Self.list(root: root)
    locate()
  }

  /// The tree as it will be once `changes` are written: what a second look at the tree
  /// after a plan sees (the fixed-point loop of ``Session``). Nothing is written.
  public func applying(_ changes: [Plan.FileChange]) -> SourceTree {
    var copy = self
    for change in changes {
      guard change.exists else { continue }
      copy.overlay[change.path] = (change.content, change.mode)
      if !copy.files.contains(change.path) { copy.files.append(change.path) }
    }
    copy.files.sort()
    copy.settingsModules = []
    copy.managePy = nil
    copy.manageSettings = nil
    copy.wsgiEntry = nil
    copy.urls = nil
    copy.notes = []
    copy.locate()
    return copy
  }

  static func list(root: String) -> [String] {
    var result: [String] = []
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
    while let relative = enumerator.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      let attributes = enumerator.fileAttributes
      let type = attributes?[.type] as? FileAttributeType
      if type == .typeDirectory {
        if skippedFolders.contains(name) { enumerator.skipDescendants() }
        continue
      }
      // A link counts when it leads to a regular file (not to /dev/zero or a FIFO).
      if type == .typeRegular || (type == .typeSymbolicLink && RegularFile.isRegular("\(root)/\(relative)")) { result.append(relative) }
      if result.count >= maxFiles { break }
    }
    return result.sorted()
  }

  private mutating func locate() {
    let depth: (String) -> Int = { $0.split(separator: "/").count }
    let byDepth: ([String]) -> [String] = { $0.sorted { (depth($0), $0) < (depth($1), $1) } }

    let manages = byDepth(files.filter { $0 == "manage.py" || $0.hasSuffix("/manage.py") })
    managePy = manages.first

    if files.contains("wsgi/application") {
      wsgiEntry = "wsgi/application"
    } else if files.contains("wsgi.py") {
      wsgiEntry = "wsgi.py"
    } else if let package = byDepth(files.filter { $0.hasSuffix("/wsgi.py") }).first {
      wsgiEntry = package
    } else if files.contains("app.py") {
      wsgiEntry = "app.py"
    }

    requirements = files.contains("requirements.txt") ? "requirements.txt" : nil
    setupPy = files.contains("setup.py") ? "setup.py" : nil
    pipfile = files.contains("Pipfile") ? "Pipfile" : nil

    let settingNames = ["ALLOWED_HOSTS", "DATABASES", "STATIC_ROOT", "INSTALLED_APPS"]
    var scored: [(String, Int)] = []
    for file in files where file.hasSuffix(".py") {
      guard let text = read(file), settingNames.contains(where: { text.contains($0) }) else { continue }
      let score = settingNames.filter { Self.assigns($0, in: text) }.count
      if score > 0 { scored.append((file, score)) }
    }
    scored.sort { ($1.1, depth($0.0), $0.0) < ($0.1, depth($1.0), $1.0) }
    settingsModules = scored.map(\.0)
    // The module the entry (else manage.py) names in DJANGO_SETTINGS_MODULE wins at run time.
    let entries = [wsgiEntry].compactMap { $0 } + byDepth(files.filter { $0.hasSuffix("/wsgi.py") }) + manages
    let named = Self.namedSettings(entries: entries, candidates: settingsModules, files: files) { read($0) }
    if let named, named != settingsModules.first {
      notes.append("\(named) is the settings module DJANGO_SETTINGS_MODULE names; using it over \(settingsModules[0])")
      settingsModules.removeAll { $0 == named }
      settingsModules.insert(named, at: 0)
    } else if named == nil, scored.count > 1, scored[0].1 == scored[1].1 {
      notes.append("several settings modules (\(settingsModules.prefix(3).joined(separator: ", "))); using \(scored[0].0)")
    }
    // Of several manage.py files, the one whose folder holds the winning settings runs them
    // (a project next to the quickstart's unused wsgi/myproject); else the shallowest.
    if manages.count > 1 {
      let winning = settingsModules.first ?? ""
      let folder: (String) -> String = { ($0 as NSString).deletingLastPathComponent }
      let holding = manages.filter { folder($0).isEmpty || winning.hasPrefix(folder($0) + "/") }
        .max { (folder($0).count, $1) < (folder($1).count, $0) }
      if let holding, !winning.isEmpty {
        managePy = holding
        notes.append("several manage.py files; using \(holding), beside the settings \(winning)")
      } else {
        notes.append("several manage.py files; using the shallowest, \(manages[0])")
      }
    }
    manageSettings = Self.manageSettings(manage: managePy, winning: settingsModules.first, files: files) { read($0) }
    if let settings = settingsModules.first, let text = read(settings) {
      let folder = (settings as NSString).deletingLastPathComponent
      if let module = Self.assignedString("ROOT_URLCONF", in: text) {
        let suffix = module.replacingOccurrences(of: ".", with: "/") + ".py"
        urls = byDepth(files.filter { $0 == suffix || $0.hasSuffix("/" + suffix) }).first
      }
      if urls == nil, files.contains(folder.isEmpty ? "urls.py" : "\(folder)/urls.py") {
        urls = folder.isEmpty ? "urls.py" : "\(folder)/urls.py"
      }
    }
    if settingsModules.isEmpty { notes.append("no Django settings module (a file assigning ALLOWED_HOSTS or DATABASES)") }
    if managePy == nil { notes.append("no manage.py") }
    if wsgiEntry == nil { notes.append("no WSGI entry (wsgi/application, wsgi.py, <package>/wsgi.py or app.py)") }
  }

  /// Whether `text` assigns `name` at the start of a line (`NAME =`, `NAME +=`).
  public static func assigns(_ name: String, in text: String) -> Bool {
    for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix(name) {
      let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
      if rest.hasPrefix("=") && !rest.hasPrefix("==") || rest.hasPrefix("+=") { return true }
    }
    return false
  }

  /// The string assigned to `name` at the start of a line (`ROOT_URLCONF = 'x.urls'`).
  static func assignedString(_ name: String, in text: String) -> String? {
    for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix(name) {
      let rest = line.dropFirst(name.count).drop { $0 == " " }
      guard rest.hasPrefix("=") else { continue }
      let value = rest.dropFirst().trimmingCharacters(in: .whitespaces)
      guard let quote = value.first, quote == "'" || quote == "\"" else { continue }
      return String(value.dropFirst().prefix { $0 != quote })
    }
    return nil
  }

  /// The text of a file in the tree (lossy UTF-8), or nil (also for a FIFO or device).
  public func read(_ relative: String) -> String? {
    if let planned = overlay[relative] { return planned.content }
    guard let data = RegularFile.contents(atPath: absolute(relative)) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  public func absolute(_ relative: String) -> String { "\(root)/\(relative)" }

  /// Whether the file's content comes from a plan rather than the disk.
  public func isPlanned(_ relative: String) -> Bool { overlay[relative] != nil }

  /// Whether the file has its owner's execute bit (what git records as mode 100755).
  public func isExecutable(_ relative: String) -> Bool {
    if let planned = overlay[relative] { return planned.mode & 0o100 != 0 }
    var info = stat()
    return stat(absolute(relative), &info) == 0 && info.st_mode & 0o100 != 0
  }

  public func exists(_ relative: String) -> Bool { files.contains(relative) }

  /// The value of a `${tree.…}` name: a path in this tree, or the V2 starter default with a
  /// note when the tree has no such file.
  public func value(for name: String) -> String? {
    switch name {
    case "tree.settings": settingsModules.first
    case "tree.manage_py": managePy
    case "tree.manage_settings": manageSettings
    case "tree.wsgi_entry": wsgiEntry
    case "tree.urls": urls
    case "tree.requirements": requirements ?? "requirements.txt"
    case "tree.repo_dir": SourceTreeDefaults.value(for: name)
    case "tree.wsgi_home": wsgiPackage?.home
    case "tree.wsgi_module": wsgiPackage?.module
    default: nil
    }
  }

  /// A WSGI entry that is a package's `wsgi.py` (`site/site_settings/wsgi.py`): the folder that
  /// must be on the module path, as `manage.py`'s folder is (`site`; `.` for the root), and the
  /// dotted module from there (`site_settings.wsgi`). Nil for `wsgi/application`, a root
  /// `wsgi.py` or `app.py`.
  var wsgiPackage: (home: String, module: String)? {
    guard let entry = wsgiEntry, entry.hasSuffix("/wsgi.py") else { return nil }
    let parts = entry.split(separator: "/").map(String.init)
    guard parts.count >= 2 else { return nil }
    let package = parts[parts.count - 2]
    guard let first = package.first, !first.isNumber, package.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
    let home = parts.dropLast(2).joined(separator: "/")
    return (home.isEmpty ? "." : home, "\(package).wsgi")
  }

  /// `/opt/app-root/src/x` (where S2I puts the source) → `x`; nil for other paths.
  public static func relativeToSourceRoot(_ path: String) -> String? {
    for prefix in ["/opt/app-root/src/", "/tmp/src/"] where path.hasPrefix(prefix) && path.count > prefix.count {
      return String(path.dropFirst(prefix.count))
    }
    return nil
  }

  /// Maps a path seen in a log (a traceback frame, `/opt/app-root/src/wsgi/application`) to
  /// a file in this tree, when there is one.
  public func file(forLogPath path: String) -> String? {
    for prefix in ["/opt/app-root/src/", "/tmp/src/", "./"] where path.hasPrefix(prefix) {
      let relative = String(path.dropFirst(prefix.count))
      if exists(relative) { return relative }
    }
    if exists(path) { return path }
    // A V2 gear path: /var/lib/openshift/<uuid>/app-root/runtime/repo/…
    if let range = path.range(of: "/app-root/runtime/repo/") ?? path.range(of: "/app-root/repo/") {
      let relative = String(path[range.upperBound...])
      if exists(relative) { return relative }
    }
    return nil
  }
}
