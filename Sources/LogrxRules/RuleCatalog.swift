import Foundation
import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The set of rules in force: the built-in rules plus any rule packs, with the data tables
/// they read.
///
/// A pack rule with the id of a built-in rule replaces it. Two rules with one id inside the
/// same set of files are an error. Loading never stops at the first problem: every problem is
/// in ``diagnostics`` and every rule without errors is in ``rules``.
public struct RuleCatalog: Sendable {
  /// Rules sorted by id.
  public private(set) var rules: [Rule]
  /// Data tables by name (`Rules/data/<name>.yaml`).
  public private(set) var tables: [String: [String: [String: String]]]
  /// Every problem found while loading, in file order.
  public private(set) var diagnostics: [Diagnostic]
  /// Vectorscan databases stored in the packs loaded (``RulePack/prefilters``): a matcher
  /// over exactly the patterns one was compiled for starts on it.
  public private(set) var prefilters: [StoredPrefilter] = []

  /// The rule with this id, if loaded.
  public func rule(withID id: String) -> Rule? { rules.first { $0.id == id } }

  /// Whether some diagnostic is an error.
  public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

  /// Loads the built-in rules (unless `builtin` is false) and the rules at `directories`:
  /// folders of rule files, or packs written by `logrx rules compile` (``RulePack``).
  ///
  /// A pack that cannot be used (stale, damaged, from another version) is an error in
  /// ``diagnostics`` here; the command line refuses it instead (``load(builtin:paths:)``).
  public static func load(builtin: Bool = true, directories: [String] = []) -> RuleCatalog {
    var inputs: [RuleInput] = []
    var diagnostics: [Diagnostic] = []
    for directory in directories {
      do {
        let (input, problems) = try RuleInput.open(directory)
        inputs.append(input)
        diagnostics += problems
      } catch {
        diagnostics.append(Diagnostic(.error, at: nil, error.problem, file: error.path))
      }
    }
    return load(builtin: builtin, inputs: inputs, initialDiagnostics: diagnostics)
  }

  /// Loads the built-in rules (unless `builtin` is false) and the rules at `paths` (folders or
  /// packs); a pack that cannot be used ends the load with its error. Without `examples`, the
  /// rules of packs come without their examples (``RulePack/read(path:examples:)``).
  public static func load(builtin: Bool = true, paths: [String], examples: Bool = true) throws(RulePackError) -> RuleCatalog {
    var inputs: [RuleInput] = []
    var diagnostics: [Diagnostic] = []
    for path in paths {
      let (input, problems) = try RuleInput.open(path, examples: examples)
      inputs.append(input)
      diagnostics += problems
    }
    return load(builtin: builtin, inputs: inputs, initialDiagnostics: diagnostics)
  }

  /// Loads the built-in rules (unless `builtin` is false) and `inputs`, later ones overriding
  /// earlier ones by id.
  public static func load(builtin: Bool, inputs: [RuleInput], initialDiagnostics: [Diagnostic] = []) -> RuleCatalog {
    let base = builtin ? (BuiltinRules.rules, BuiltinRules.tables) : ([], [:])
    return load(inputs: inputs, initialDiagnostics: initialDiagnostics, base: base)
  }

  /// Loads rules from in-memory sets on top of `base` (rules already loaded, with their
  /// tables); later sets override earlier ones by id.
  public static func load(
    _ sets: [RuleSource], initialDiagnostics: [Diagnostic] = [],
    base: (rules: [Rule], tables: [String: [String: [String: String]]]) = ([], [:])
  ) -> RuleCatalog {
    load(inputs: sets.map(RuleInput.source), initialDiagnostics: initialDiagnostics, base: base)
  }

  /// The data tables of one set of files, merged in file order, and their problems.
  static func tables(of set: RuleSource) -> ([String: [String: [String: String]]], [Diagnostic]) {
    var tables: [String: [String: [String: String]]] = [:]
    var diagnostics: [Diagnostic] = []
    for file in set.tables {
      let (table, problems) = DataTableLoader.load(name: file.baseName, path: file.path, text: file.text)
      diagnostics += problems
      tables[file.baseName, default: [:]].merge(table) { _, new in new }
    }
    return (tables, diagnostics)
  }

  /// The rules of one set of files, in file order, without those with errors or with an id
  /// already taken in the set; and every problem.
  static func rules(of set: RuleSource, with loader: RuleLoader) -> ([Rule], [Diagnostic]) {
    var rules: [Rule] = []
    var diagnostics: [Diagnostic] = []
    var seenInSet: [String: String] = [:]
    for (file, (rule, problems)) in zip(set.files, Self.loadAll(set.files, with: loader)) {
      diagnostics += problems
      guard let rule else { continue }
      if let other = seenInSet[rule.id] {
        diagnostics.append(Diagnostic(.error, at: SourceLocation(file: file.path, line: 1, column: 1), "duplicate rule id '\(rule.id)', also defined in \(other)"))
        continue
      }
      seenInSet[rule.id] = file.path
      rules.append(rule)
    }
    return (rules, diagnostics)
  }

  static func load(
    inputs: [RuleInput], initialDiagnostics: [Diagnostic],
    base: (rules: [Rule], tables: [String: [String: [String: String]]])
  ) -> RuleCatalog {
    var diagnostics = initialDiagnostics
    var tables = base.tables
    for input in inputs {
      switch input {
      case .source(let set):
        let (own, problems) = Self.tables(of: set)
        diagnostics += problems
        for (name, table) in own { tables[name, default: [:]].merge(table) { _, new in new } }
      case .pack(let pack):
        diagnostics += pack.tableDiagnostics
        for (name, table) in pack.tables { tables[name, default: [:]].merge(table) { _, new in new } }
      }
    }
    let loader = RuleLoader(tableNames: Set(tables.keys))
    // Later sets override earlier ones by id: one slot an id, replaced in place (a rule is a
    // large value: copying 2000 of them through a dictionary was a good part of loading a pack).
    var rules: [Rule] = []
    rules.reserveCapacity(base.rules.count + inputs.reduce(0) { count, input in
      switch input {
      case .source(let set): count + set.files.count
      case .pack(let pack): count + pack.rules.count
      }
    })
    var slot: [String: Int] = [:]
    func place(_ rule: Rule) {
      if let index = slot[rule.id] {
        rules[index] = rule
      } else {
        slot[rule.id] = rules.count
        rules.append(rule)
      }
    }
    for rule in base.rules { place(rule) }
    // Rules checked against other tables than these (a pack compiled with the built-in ones,
    // loaded with --no-builtin) have their lookup table checked again below.
    var precompiled: [(id: String, file: String, table: String)] = []
    for input in inputs {
      switch input {
      case .source(let set):
        let (loaded, problems) = Self.rules(of: set, with: loader)
        diagnostics += problems
        for rule in loaded { place(rule) }
      case .pack(let pack):
        diagnostics += pack.ruleDiagnostics
        for rule in pack.rules {
          place(rule)
          if let lookup = rule.lookup { precompiled.append((rule.id, rule.file, lookup.table)) }
        }
      }
    }
    for (id, file, table) in precompiled where tables[table] == nil && slot[id].map({ rules[$0].file == file }) == true {
      diagnostics.append(
        Diagnostic(
          .error, at: SourceLocation(file: file, line: 1, column: 1),
          "rule '\(id)' looks up the data table '\(table)', which is not loaded; tables: \(tables.keys.sorted().joined(separator: ", "))"))
    }
    rules.sort { $0.id < $1.id }
    for (name, fields) in tables["contexts"] ?? [:] {
      let place = SourceLocation(file: "Rules/data/contexts.yaml", line: 1, column: 1)
      guard let pattern = fields["regex"] else {
        diagnostics.append(Diagnostic(.error, at: place, "context '\(name)' has no 'regex'"))
        continue
      }
      do { _ = try Regex(pattern) } catch {
        diagnostics.append(Diagnostic(.error, at: place, "context '\(name)': \(error.message) at offset \(error.offset)"))
      }
    }
    for rule in rules {
      for symptom in rule.explains where slot[symptom] == nil {
        diagnostics.append(Diagnostic(.error, at: SourceLocation(file: rule.file, line: 1, column: 1), "rule '\(rule.id)' explains '\(symptom)', which is not a rule"))
      }
      if let assumption = rule.assumption {
        let place = SourceLocation(file: rule.file, line: 1, column: 1)
        for name in assumption.contexts where tables["contexts"]?[name]?["regex"] == nil {
          let known = (tables["contexts"] ?? [:]).keys.sorted().joined(separator: ", ")
          diagnostics.append(Diagnostic(.error, at: place, "rule '\(rule.id)' assumes the context '\(name)', which Rules/data/contexts.yaml does not define (it has: \(known))"))
        }
        for id in assumption.corroboratedBy where slot[id] == nil {
          diagnostics.append(Diagnostic(.error, at: place, "rule '\(rule.id)' is corroborated by '\(id)', which is not a rule"))
        }
      }
      if let lookup = rule.lookup, let table = tables[lookup.table] {
        let fields = Set(table.values.flatMap(\.keys))
        let used = Self.templateNames(of: rule) + rule.fixes.compactMap(\.conditionName)
        for name in Set(used) where name.hasPrefix(lookup.prefix + "_") {
          let field = String(name.dropFirst(lookup.prefix.count + 1))
          if !fields.contains(field) {
            diagnostics.append(Diagnostic(.error, at: SourceLocation(file: rule.file, line: 1, column: 1), "'${\(name)}': table '\(lookup.table)' has no field '\(field)'"))
          }
        }
      }
    }
    for rule in rules where Self.mentionsSnippet(rule) {
      let names = Self.templateNames(of: rule).filter { $0.hasPrefix("snippet.") }
      for name in Set(names) where Self.snippet(String(name.dropFirst(8)), in: tables) == nil {
        diagnostics.append(
          Diagnostic(
            .error, at: SourceLocation(file: rule.file, line: 1, column: 1),
            "'${\(name)}': Rules/data/snippets.yaml has no entry '\(name.dropFirst(8))' with a 'content' field"))
      }
    }
    var catalog = RuleCatalog(rules: rules, tables: tables, diagnostics: diagnostics)
    for input in inputs {
      if case .pack(let pack) = input { catalog.prefilters += pack.prefilters }
    }
    return catalog
  }

  /// The `${names}` of a rule's message, explanation and fixes (with repeats).
  static func templateNames(of rule: Rule) -> [String] {
    var names = rule.message.names + rule.explanation.names
    for fix in rule.fixes {
      for template in fix.action.values { names += template.names }
    }
    return names
  }

  /// What ``mentionsSnippet(_:)`` looks for, made once.
  private static let snippetNeedle = Array("${snippet.".utf8)

  /// Whether some template of the rule holds `${snippet.` (a byte search: most rules have
  /// none, and listing every template's names was a good part of loading 2000 rules).
  static func mentionsSnippet(_ rule: Rule) -> Bool {
    func holds(_ template: Template) -> Bool {
      // The bytes in place (a template's source is a native string): no copy per template.
      template.source.utf8.withContiguousStorageIfAvailable { bytes in
        guard let base = bytes.baseAddress else { return false }
        let needle = snippetNeedle
        var index = 0
        while index + needle.count <= bytes.count {
          guard let dollar = memchr(base + index, Int32(needle[0]), bytes.count - needle.count + 1 - index) else { return false }
          index = UnsafeRawPointer(dollar) - UnsafeRawPointer(base)
          if memcmp(base + index, needle, needle.count) == 0 { return true }
          index += 1
        }
        return false
      } ?? template.source.contains("${snippet.")
    }
    if holds(rule.message) || holds(rule.explanation) { return true }
    // The templates of each fix, without `FixAction.values` (an array a fix, through generic code).
    for fix in rule.fixes {
      switch fix.action {
      case .env(let file, let set): if holds(file) || set.contains(where: { holds($0.key) || holds($0.value) }) { return true }
      case .requirement(let file, let package): if holds(file) || holds(package) { return true }
      case .create(let path, _, let content): if holds(path) || holds(content) { return true }
      case .ensureLine(let file, let line): if holds(file) || holds(line) { return true }
      case .pythonBlock(let file, _, let block): if holds(file) || holds(block) { return true }
      case .replace(let file, let regex, let with, _): if holds(file) || holds(regex) || holds(with) { return true }
      case .chmod(let file, _): if holds(file) { return true }
      case .command(let run, let why): if holds(run) || why.map(holds) == true { return true }
      case .codemod: break
      }
    }
    return false
  }

  /// Loads `files` on every core (parsing YAML and compiling regexes is most of start-up);
  /// the results are in file order.
  static func loadAll(_ files: [RuleFile], with loader: RuleLoader) -> [(Rule?, [Diagnostic])] {
    guard files.count > 8 else { return files.map(loader.load) }
    let results = UnsafeMutableBufferPointer<(Rule?, [Diagnostic])>.allocate(capacity: files.count)
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: files.count) { index in
      (slots.baseAddress! + index).initialize(to: loader.load(files[index]))
    }
    let loaded = Array(results)
    _ = results.deinitialize()
    return loaded
  }

  static func snippet(_ name: String, in tables: [String: [String: [String: String]]]) -> String? {
    tables["snippets"]?[name]?["content"]
  }

  /// The text of `${snippet.NAME}`: shared fix content in `Rules/data/snippets.yaml`.
  public func snippet(_ name: String) -> String? { Self.snippet(name, in: tables) }

  /// The captures a lookup adds for one key.
  public func lookupCaptures(_ lookup: Lookup, key: String) -> [String: String] {
    // A key not listed takes the most specific pattern entry it matches (a key with `*`, one
    // `*` standing for any run of characters, also none: `OPENSHIFT_*_DIR`), then `default`; a dotted one
    // (a submodule) `default_dotted` first.
    guard let table = tables[lookup.table],
      let entry = table[key] ?? Self.patternEntry(key, in: table)
        ?? (key.contains(".") ? table["default_dotted"] : nil) ?? table["default"]
    else { return [:] }
    var result: [String: String] = [:]
    for (field, value) in entry { result["\(lookup.prefix)_\(field)"] = value }
    return result
  }

  /// The entry of the longest pattern key (`PREFIX*SUFFIX`, one `*`) that `key` matches.
  static func patternEntry(_ key: String, in table: [String: [String: String]]) -> [String: String]? {
    var best: (length: Int, pattern: String, entry: [String: String])?
    for (pattern, entry) in table where pattern.contains("*") {
      let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
      guard parts.count == 2 else { continue }
      let (head, tail) = (String(parts[0]), String(parts[1]))
      guard key.count >= head.count + tail.count, key.hasPrefix(head), key.hasSuffix(tail) else { continue }
      let length = head.count + tail.count
      if best.map({ (length, $0.pattern) > ($0.length, pattern) }) ?? true { best = (length, pattern, entry) }
    }
    return best?.entry
  }

  package mutating func replace(rules: [Rule]) { self.rules = rules }

  /// A catalog holding only `rules` (for testing one rule alone), with the same tables.
  public func restricted(to ids: Set<String>) -> RuleCatalog {
    RuleCatalog(rules: rules.filter { ids.contains($0.id) }, tables: tables, diagnostics: [])
  }
}

/// A set of rule files and data tables, such as one `--rules` directory.
public struct RuleSource: Sendable {
  public var files: [RuleFile]
  public var tables: [RuleFile]

  public init(files: [RuleFile], tables: [RuleFile] = []) {
    self.files = files
    self.tables = tables
  }

  /// Reads `*.yaml`/`*.yml` below `directory`; files under a `data/` folder are tables.
  public static func read(directory: String) -> (RuleSource, [Diagnostic]) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      return (RuleSource(files: []), [Diagnostic(.error, at: nil, "no such rules folder or pack; pass a folder of rule .yaml files, or a pack written by `logrx rules compile`", file: directory)])
    }
    var files: [RuleFile] = []
    var tables: [RuleFile] = []
    var diagnostics: [Diagnostic] = []
    let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    // The same walk that stamps a compiled pack's sources; it follows a link given as the
    // folder itself (FileManager.subpaths listed nothing there, so such a folder loaded no rule).
    let paths = RulePack.ruleFilePaths(in: directory)
    for relative in paths {
      let path = "\(base)/\(relative)"
      guard let data = FileManager.default.contents(atPath: path) else {
        diagnostics.append(Diagnostic(.error, at: nil, "cannot read the file", file: path))
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        diagnostics.append(Diagnostic(.error, at: nil, "the file is not valid UTF-8; save it as UTF-8", file: path))
        continue
      }
      let file = RuleFile(path: path, text: text)
      if relative.hasPrefix("data/") || relative.contains("/data/") { tables.append(file) } else { files.append(file) }
    }
    return (RuleSource(files: files, tables: tables), diagnostics)
  }
}
