import Foundation

/// The imports a `python_block` carries.
///
/// A block may start with import statements (`import os`, `from os import getenv`): the names
/// the block's code uses. Each is inserted with the block only when the file does not bind
/// those names already with an import statement at the top level of the module, so a settings
/// module that imports only `from os import environ` gets `import os` above a block calling
/// `os.getenv`, and one that already has `import os` gets the block alone (the same text as a
/// block without imports). A name bound some other way (inside a function, by a star import,
/// in a parenthesised import over several lines) counts as missing: the import is added again,
/// which Python allows and which changes nothing.
package enum PythonBlock {
  /// The block with the leading import lines whose names `text` already imports taken out (and
  /// the blank lines after them when none is left).
  package static func withoutBoundImports(_ block: String, in text: String) -> String {
    let bound = boundNames(in: text)
    var lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    var kept = 0
    while index < lines.count {
      let line = lines[index]
      if line.trimmingCharacters(in: .whitespaces).isEmpty {
        index += 1
        continue
      }
      guard let names = importedNames(line), !names.isEmpty else { break }
      if names.allSatisfy(bound.contains) {
        lines.remove(at: index)
      } else {
        kept += 1
        index += 1
      }
    }
    if kept == 0 {
      // Only blank lines are left before the code: drop them too.
      while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty, lines.count > 1 {
        lines.removeFirst()
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Names bound by the unindented import statements of a module.
  package static func boundNames(in text: String) -> Set<String> {
    var names: Set<String> = []
    for line in text.split(whereSeparator: \.isNewline) {
      guard let found = importedNames(String(line)) else { continue }
      names.formUnion(found)
    }
    return names
  }

  /// The names one unindented import statement binds (`import os.path` binds `os`,
  /// `from os import environ as env` binds `env`), or nil when the line is not one. A star
  /// import binds nothing it names.
  static func importedNames(_ line: String) -> [String]? {
    var statement = Substring(line)
    if let hash = statement.firstIndex(of: "#") { statement = statement[..<hash] }
    if let semicolon = statement.firstIndex(of: ";") { statement = statement[..<semicolon] }
    statement = Substring(statement.trimmingCharacters(in: .whitespaces))
    guard line.first != " ", line.first != "\t" else { return nil }
    func words(_ s: Substring) -> [Substring] { s.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
    func binding(_ item: Substring) -> String? {
      let parts = words(item)
      guard let first = parts.first else { return nil }
      if parts.count == 3, parts[1] == "as" { return String(parts[2]) }
      guard parts.count == 1 else { return nil }
      return String(first)
    }
    if statement.hasPrefix("import ") || statement.hasPrefix("import\t") {
      let items = statement.dropFirst("import".count).split(separator: ",")
      let names = items.compactMap { item -> String? in
        guard let name = binding(item) else { return nil }
        // `import os.path` binds `os`; `import os.path as p` binds `p`.
        return words(item).count == 1 ? String(name.prefix { $0 != "." }) : name
      }
      return names.count == items.count ? names : nil
    }
    if statement.hasPrefix("from ") || statement.hasPrefix("from\t") {
      let parts = words(statement)
      guard parts.count >= 4, parts[2] == "import" else { return nil }
      guard let importIndex = statement.range(of: " import ")?.upperBound ?? statement.range(of: "\timport ")?.upperBound
      else { return nil }
      var list = statement[importIndex...]
      list = Substring(list.trimmingCharacters(in: CharacterSet(charactersIn: " \t()")))
      if list == "*" { return [] }
      let items = list.split(separator: ",").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      let names = items.compactMap(binding)
      return names.count == items.count ? names : nil
    }
    return nil
  }
}
