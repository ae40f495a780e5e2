import Foundation
import LogrxMatching

extension SourceTree {
  /// The settings module the app's own entry names: the module in
  /// `os.environ['DJANGO_SETTINGS_MODULE'] = '…'` or `os.environ.setdefault('DJANGO_SETTINGS_MODULE', '…')`
  /// of the first of `entries` that names one which is a file of `candidates` (settings
  /// modules). That is the module Django loads at run time, whichever other file assigns more
  /// settings (a `productionsettings.py` next to `settings.py`, a `settings/prod.py`).
  ///
  /// A dotted name is looked up as `a/b.py` at any depth (V2 entries put their project folder on
  /// `sys.path`), below the entry's own folder first, then the shallowest; a name that is a
  /// package, or neither in `candidates` nor star-importing one of them, gives nil.
  static func namedSettings(entries: [String], candidates: [String], files: [String], read: (String) -> String?) -> String? {
    let depth: (String) -> Int = { $0.split(separator: "/").count }
    for entry in entries {
      guard let text = read(entry) else { continue }
      // The entry's folder is on sys.path when it runs (V2's mod_wsgi had wsgi/ on it for
      // wsgi/application, a script has its own folder): a module found there comes before a
      // shallower one elsewhere (a stray copy of the settings package at the root).
      let folder = (entry as NSString).deletingLastPathComponent
      let near: (String) -> Int = { folder.isEmpty || $0.hasPrefix(folder + "/") ? 0 : 1 }
      for module in settingsModuleNames(in: text) {
        let suffix = module.replacingOccurrences(of: ".", with: "/") + ".py"
        let matches = files.filter { $0 == suffix || $0.hasSuffix("/" + suffix) }.sorted { (near($0), depth($0), $0) < (near($1), depth($1), $1) }
        // A module that assigns settings, or one that only star-imports them (a settings
        // package's `production.py` that is `from main.settings.base import *` and a few names).
        let assignsOrImports: (String) -> Bool = { match in
          candidates.contains(match) || candidates.contains { starImportsTransitively($0, from: match, files: files, read: read) }
        }
        if let found = matches.first(where: assignsOrImports) { return found }
      }
    }
    return nil
  }

  /// The dotted names a Python file assigns to DJANGO_SETTINGS_MODULE, in order.
  static func settingsModuleNames(in text: String) -> [String] {
    let pattern =
      #"DJANGO_SETTINGS_MODULE['"]\s*(?:\]\s*=\s*|,\s*)['"](?<module>[A-Za-z_][\w.]*)['"]"#
    guard let regex = try? Regex(pattern) else { return [] }
    let matcher = RegexMatcher()
    var names: [String] = []
    for line in text.split(whereSeparator: \.isNewline) {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard !trimmed.hasPrefix("#"), line.contains("DJANGO_SETTINGS_MODULE") else { continue }
      let subject = String(line)
      if case .match(_, let captures) = matcher.match(regex, in: subject), let range = captures["module"] {
        let bytes = Array(subject.utf8)
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { continue }
        names.append(String(decoding: bytes[range], as: UTF8.self))
      }
    }
    return names
  }

  /// The winning settings module as the dotted name `manage.py` imports it, when `manage.py`'s
  /// own default (`setdefault('DJANGO_SETTINGS_MODULE', 'p.settings.development')`) leads to
  /// another file, one that neither is the winning module nor star-imports it. V2 hooks passed
  /// `--settings=…` for that; hooks ported to S2I need `DJANGO_SETTINGS_MODULE` instead, or
  /// migrate and collectstatic run against the development settings.
  ///
  /// Nil when the default is the winning module (or leads to it), when the default cannot be
  /// found in the tree (nothing is guessed), or when the winning module is not below
  /// `manage.py`'s folder (sys.path[0] when it runs).
  static func manageSettings(manage: String?, winning: String?, files: [String], read: (String) -> String?) -> String? {
    guard let manage, let winning, winning.hasSuffix(".py"), let text = read(manage),
      let named = settingsModuleNames(in: text).first
    else { return nil }
    let folder = (manage as NSString).deletingLastPathComponent
    let prefix = folder.isEmpty ? "" : folder + "/"
    let path = named.replacingOccurrences(of: ".", with: "/")
    guard let current = [path + ".py", path + "/__init__.py"].map({ prefix + $0 }).first(where: files.contains),
      current != winning
    else { return nil }
    if starImportsTransitively(winning, from: current, files: files, read: read) { return nil }
    guard winning.hasPrefix(prefix) else { return nil }
    var parts = String(winning.dropFirst(prefix.count).dropLast(3)).split(separator: "/").map(String.init)
    if parts.last == "__init__" { parts.removeLast() }
    let identifier = /^[A-Za-z_][A-Za-z0-9_]*$/
    guard !parts.isEmpty, parts.allSatisfy({ $0.wholeMatch(of: identifier) != nil }) else { return nil }
    return parts.joined(separator: ".")
  }

  /// Whether `start` star-imports `target`, directly or through other modules of its folder
  /// (`settings/__init__.py` → `.testing` → `.common`): a module found beside the importing file
  /// by the last part of its name.
  static func starImportsTransitively(_ target: String, from start: String, files: [String], read: (String) -> String?) -> Bool {
    var seen: Set<String> = [start]
    var queue = [start]
    while let file = queue.popLast() {
      guard let text = read(file) else { continue }
      let folder = (file as NSString).deletingLastPathComponent
      for module in starImportedModules(in: text) {
        let candidate = folder.isEmpty ? module + ".py" : "\(folder)/\(module).py"
        if candidate == target { return true }
        if files.contains(candidate), seen.insert(candidate).inserted, seen.count < 32 { queue.append(candidate) }
      }
    }
    return false
  }

  /// The last name part of every `from … import *` in `text`.
  static func starImportedModules(in text: String) -> [String] {
    var names: [String] = []
    for line in text.split(whereSeparator: \.isNewline) {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard words.count >= 4, words[0] == "from", words[2] == "import", words[3] == "*" else { continue }
      if let last = words[1].split(separator: ".", omittingEmptySubsequences: true).last { names.append(String(last)) }
    }
    return names
  }

  /// Whether `text` has `from … <module> import *` (absolute, relative or implicit relative).
  static func starImports(module: String, in text: String) -> Bool {
    for line in text.split(whereSeparator: \.isNewline) {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard words.count >= 4, words[0] == "from", words[2] == "import", words[3] == "*" else { continue }
      let source = words[1].split(separator: ".", omittingEmptySubsequences: true)
      if source.last.map(String.init) == module { return true }
    }
    return false
  }
}
