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
  /// `sys.path`), the shallowest first; a name that is a package or not in `candidates` gives nil.
  static func namedSettings(entries: [String], candidates: [String], files: [String], read: (String) -> String?) -> String? {
    let depth: (String) -> Int = { $0.split(separator: "/").count }
    for entry in entries {
      guard let text = read(entry) else { continue }
      for module in settingsModuleNames(in: text) {
        let suffix = module.replacingOccurrences(of: ".", with: "/") + ".py"
        let matches = files.filter { $0 == suffix || $0.hasSuffix("/" + suffix) }.sorted { (depth($0), $0) < (depth($1), $1) }
        if let found = matches.first(where: { candidates.contains($0) }) { return found }
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
}
