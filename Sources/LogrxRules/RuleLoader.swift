import Yams
import LogrxMatching
import LogrxVocabulary

/// A rule file's text and where it came from.
public struct RuleFile: Sendable {
  /// A path on disk, or `builtin:<area>/<id>.yaml` for rules compiled into the binary.
  public var path: String
  public var text: String

  public init(path: String, text: String) {
    self.path = path
    self.text = text
  }

  /// The file's base name without `.yaml`/`.yml`: the id the rule must carry.
  public var baseName: String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) {
      return String(name.dropLast(suffix.count))
    }
    return name
  }
}

/// Turns rule files into ``Rule`` values, collecting every problem instead of stopping at
/// the first.
///
/// Problems are ``Diagnostic``s with file:line:column. A rule with any error is left out of
/// the result; the others load.
public struct RuleLoader: Sendable {
  /// Shared tables (`Rules/data/*.yaml`) by name, used to check `lookup` names.
  public var tableNames: Set<String>

  public init(tableNames: Set<String>) {
    self.tableNames = tableNames
  }

  /// Every scalar is a string to the loader, which reads numbers and booleans itself; without
  /// implicit typing Yams does not run its ICU regexes (bool, int, float, null, timestamp) on
  /// every scalar each time it compares or hashes a key, which was most of start-up.
  static let resolver = Resolver.basic

  static let topLevelKeys: Set<String> = [
    "id", "title", "severity", "stage", "tags", "match", "unless", "context", "explains",
    "fingerprint", "lookup", "message", "explain", "fix", "examples", "source", "assumes",
  ]

  /// Names that `${…}` may use besides captures and lookup fields.
  public static let contextNames: Set<String> = [
    "frame_file", "app_frame_file", "source.pod", "source.container", "source.namespace", "source.dc", "source.file", "source.dir",
    "source.package",
    "source.kind",
    "tree.settings", "tree.manage_py", "tree.manage_settings", "tree.wsgi_entry", "tree.urls", "tree.requirements",
    "tree.repo_dir", "tree.wsgi_home", "tree.wsgi_module",
  ]

  /// Loads one file. Returns the rule (nil when it has errors) and the problems found.
  public func load(_ file: RuleFile) -> (Rule?, [Diagnostic]) {
    let context = Context(file: file.path)
    let node: Node
    do {
      guard let composed = try Yams.compose(yaml: file.text, Self.resolver) else {
        context.error(nil, "the file is empty; expected a rule mapping with id, title, match, ...")
        return (nil, context.diagnostics)
      }
      node = composed
    } catch let error as YamlError {
      context.diagnostics.append(Self.diagnostic(for: error, file: file.path))
      return (nil, context.diagnostics)
    } catch {
      context.error(nil, "cannot read YAML: \(error)")
      return (nil, context.diagnostics)
    }
    let rule = context.rule(from: node, expectedID: file.baseName, tableNames: tableNames)
    return (context.hasErrors ? nil : rule, context.diagnostics)
  }

  package static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
      return Diagnostic(
        .error, at: SourceLocation(file: file, line: mark.line, column: mark.column),
        "invalid YAML: \(problem)\(detail)")
    case .reader(let problem, let offset, _, _):
      return Diagnostic(.error, at: nil, "invalid YAML: \(problem) at byte \(offset ?? 0)", file: file)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return Diagnostic(
        .error, at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
        "duplicate keys in a mapping: \(duplicates.joined(separator: ", "))")
    default:
      return Diagnostic(.error, at: nil, "invalid YAML: \(error)", file: file)
    }
  }
}

/// Parses a `Rules/data/*.yaml` table: a mapping from key to a mapping of string fields.
public enum DataTableLoader {
  public static func load(name: String, path: String, text: String) -> ([String: [String: String]], [Diagnostic]) {
    let context = RuleLoader.Context(file: path)
    var table: [String: [String: String]] = [:]
    do {
      guard let node = try Yams.compose(yaml: text, RuleLoader.resolver), let mapping = node.mapping else {
        context.error(nil, "a data table must be a mapping from key to fields")
        return ([:], context.diagnostics)
      }
      for (key, value) in mapping {
        guard let name = key.string, let fields = value.mapping else {
          context.error(value, "each entry must map a key to a mapping of string fields")
          continue
        }
        var entry: [String: String] = [:]
        for (field, fieldValue) in fields {
          if let fieldName = field.string, let text = fieldValue.string { entry[fieldName] = text }
        }
        table[name] = entry
      }
    } catch let error as YamlError {
      return ([:], [RuleLoader.diagnostic(for: error, file: path)])
    } catch {
      context.error(nil, "cannot read YAML: \(error)")
    }
    return (table, context.diagnostics)
  }
}

extension RuleLoader {
  final class Context {
    let file: String
    var diagnostics: [Diagnostic] = []
    var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    init(file: String) { self.file = file }

    func location(_ node: Node?) -> SourceLocation {
      SourceLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    func error(_ node: Node?, _ message: String) {
      let diagnostic = Diagnostic(.error, at: location(node), message)
      if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    func warning(_ node: Node?, _ message: String) {
      diagnostics.append(Diagnostic(.warning, at: location(node), message))
    }

    // MARK: Field readers

    func string(_ mapping: Node.Mapping, _ key: String, required: Bool, in parent: Node) -> String? {
      guard let node = mapping[key] else {
        if required { error(parent, "missing required key '\(key)'") }
        return nil
      }
      guard case .scalar(let scalar) = node else {
        error(node, "'\(key)' must be a string")
        return nil
      }
      return scalar.string
    }

    /// An octal file mode a fix may give (``FixPath/isAllowed(mode:)``); `fallback` after an error.
    func fileMode(_ mapping: Node.Mapping, required: Bool, default fallback: Int, in parent: Node) -> Int {
      guard let text = string(mapping, "mode", required: required, in: parent) else { return fallback }
      guard let mode = Int(text, radix: 8), mode >= 0 else {
        error(mapping["mode"], "'mode' must be octal, such as \"0755\"")
        return fallback
      }
      guard FixPath.isAllowed(mode: mode) else {
        error(mapping["mode"], "'mode' \(text) is not allowed: a fix gives files 0644 or 0755 (no setuid, setgid or sticky bit, no write for group or others)")
        return fallback
      }
      return mode
    }

    func stringList(_ node: Node?, _ key: String) -> [String] {
      guard let node else { return [] }
      if case .scalar(let scalar) = node { return [scalar.string] }
      guard let sequence = node.sequence else {
        error(node, "'\(key)' must be a list of strings")
        return []
      }
      var result: [String] = []
      for item in sequence {
        if case .scalar(let scalar) = item { result.append(scalar.string) } else { error(item, "'\(key)' items must be strings") }
      }
      return result
    }

    func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, what: String) {
      for key in mapping.keys {
        guard let name = key.string else {
          error(key, "keys of \(what) must be strings")
          continue
        }
        if !allowed.contains(name) {
          let expected = allowed.sorted().joined(separator: ", ")
          error(key, "unknown key '\(name)' in \(what); expected one of: \(expected)")
        }
      }
    }

    func regex(_ node: Node, key: String) -> Regex? {
      guard case .scalar(let scalar) = node else {
        error(node, "'\(key)' must be a string holding a PCRE2 pattern")
        return nil
      }
      do {
        return try Regex(scalar.string)
      } catch {
        var location = self.location(node)
        let quoted = scalar.style == .doubleQuoted || scalar.style == .singleQuoted
        if !scalar.string.contains("\n") { location.column += error.offset + (quoted ? 1 : 0) }
        diagnostics.append(
          Diagnostic(
            .error, at: location,
            "PCRE2 cannot compile '\(key)': \(error.message) at offset \(error.offset) of \(scalar.string.debugDescription)"))
        return nil
      }
    }

    // MARK: The rule

    func rule(from node: Node, expectedID: String, tableNames: Set<String>) -> Rule? {
      guard let mapping = node.mapping else {
        error(node, "a rule file must hold one mapping with id, title, severity, stage, match, message, explain, examples")
        return nil
      }
      checkKeys(mapping, allowed: RuleLoader.topLevelKeys, what: "a rule")

      let id = string(mapping, "id", required: true, in: node) ?? expectedID
      if mapping["id"] != nil, id != expectedID {
        error(mapping["id"], "id '\(id)' differs from the file name; rename the file to \(id).yaml or the id to \(expectedID)")
      }
      if !id.isEmpty, !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) || id.hasPrefix("-") {
        error(mapping["id"], "id '\(id)' is not kebab-case (lower-case letters, digits and '-')")
      }
      let title = string(mapping, "title", required: true, in: node) ?? ""
      let severity = enumValue(mapping, "severity", Severity.self, in: node) ?? .error
      let stage = enumValue(mapping, "stage", Stage.self, in: node) ?? .runtime
      let tags = stringList(mapping["tags"], "tags")

      var signatures: [Signature] = []
      if let matchNode = mapping["match"] {
        if let sequence = matchNode.sequence, !sequence.isEmpty {
          for item in sequence { if let signature = signature(item) { signatures.append(signature) } }
        } else {
          error(matchNode, "'match' must be a non-empty list of signatures, each with a 'regex'")
        }
      } else {
        error(node, "missing required key 'match'")
      }

      var sourceSignatures: [SourceSignature] = []
      if let sourceNode = mapping["source"] {
        if let sequence = sourceNode.sequence, !sequence.isEmpty {
          for item in sequence { if let source = sourceSignature(item) { sourceSignatures.append(source) } }
        } else {
          error(sourceNode, "'source' must be a non-empty list, each with 'files' (globs) and optional 'regex', 'unless', 'requires'")
        }
      }

      var unless: [Signature] = []
      if let unlessNode = mapping["unless"] {
        if let sequence = unlessNode.sequence {
          for item in sequence {
            if let regex = regex(item, key: "unless") {
              unless.append(
                Signature(regex: regex, needles: LiteralExtractor.needles(for: regex.pattern), declaredLiteral: false, within: nil))
            }
          }
        } else {
          error(unlessNode, "'unless' must be a list of regexes")
        }
      }

      var ruleContext = RuleContext.line
      if let contextNode = mapping["context"] {
        if let value = contextNode.string, let parsed = RuleContext(rawValue: value) {
          ruleContext = parsed
        } else {
          error(contextNode, "'context' must be 'line' or 'python-traceback'")
        }
      }
      let explains = stringList(mapping["explains"], "explains")
      let fingerprint = mapping["fingerprint"].map { stringList($0, "fingerprint") }

      var lookup: Lookup?
      if let lookupNode = mapping["lookup"] {
        if let lookupMapping = lookupNode.mapping {
          checkKeys(lookupMapping, allowed: ["table", "key", "as"], what: "'lookup'")
          let table = string(lookupMapping, "table", required: true, in: lookupNode) ?? ""
          let key = string(lookupMapping, "key", required: true, in: lookupNode) ?? ""
          let prefix = string(lookupMapping, "as", required: true, in: lookupNode) ?? ""
          if !table.isEmpty, !tableNames.contains(table) {
            error(lookupMapping["table"], "no data table '\(table)'; tables: \(tableNames.sorted().joined(separator: ", "))")
          }
          lookup = Lookup(table: table, key: key, prefix: prefix)
        } else {
          error(lookupNode, "'lookup' must be a mapping with table, key and as")
        }
      }

      var assumption: Assumption?
      if let assumesNode = mapping["assumes"] {
        if let assumesMapping = assumesNode.mapping {
          checkKeys(assumesMapping, allowed: ["context", "corroborated_by", "otherwise"], what: "'assumes'")
          let contexts = stringList(assumesMapping["context"], "context")
          let corroboratedBy = stringList(assumesMapping["corroborated_by"], "corroborated_by")
          if contexts.isEmpty && corroboratedBy.isEmpty {
            error(assumesNode, "'assumes' needs 'context' (names from Rules/data/contexts.yaml) or 'corroborated_by' (rule ids)")
          }
          var otherwise: Severity? = .info
          if let otherwiseNode = assumesMapping["otherwise"] {
            if otherwiseNode.string == "drop" {
              otherwise = nil
            } else if let parsed = otherwiseNode.string.flatMap(Severity.init(rawValue:)) {
              otherwise = parsed
            } else {
              error(otherwiseNode, "'otherwise' must be info, warning, error or drop")
            }
          }
          assumption = Assumption(contexts: contexts, corroboratedBy: corroboratedBy, otherwise: otherwise)
        } else {
          error(assumesNode, "'assumes' must be a mapping with context, corroborated_by and otherwise")
        }
      }

      let message = Template(string(mapping, "message", required: true, in: node) ?? "")
      let explanation = Template(string(mapping, "explain", required: true, in: node) ?? "")
      let fixes = mapping["fix"].map { fixList($0) } ?? []
      let (matchExamples, nomatchExamples) = examples(mapping["examples"], in: node)

      // Every ${name} must have a source.
      var known = RuleLoader.contextNames
      for signature in signatures { known.formUnion(signature.regex.captureNames) }
      for source in sourceSignatures {
        known.formUnion(source.signature?.regex.captureNames ?? [])
        if let name = source.pathAs { known.insert(name) }
      }

      if let lookup { known.insert(lookup.key) }
      let captureNames = Set(signatures.flatMap(\.regex.captureNames) + sourceSignatures.flatMap { ($0.signature?.regex.captureNames ?? []) + ($0.pathAs.map { [$0] } ?? []) })
      if let lookup, !lookup.key.isEmpty, !captureNames.contains(lookup.key), !signatures.isEmpty {
        error(mapping["lookup"], "lookup key '\(lookup.key)' is not a capture of any signature")
      }
      func checkNames(_ template: Template, _ node: Node?) {
        for name in template.names where !known.contains(name) {
          if let lookup, name.hasPrefix(lookup.prefix + "_") { continue }
          if name.hasPrefix("snippet.") { continue }  // checked by the catalog against Rules/data/snippets.yaml
          error(node, "'${\(name)}' is not a capture of any signature, a lookup field or a context name (\(RuleLoader.contextNames.sorted().joined(separator: ", ")))")
        }
      }
      checkNames(message, mapping["message"])
      for source in sourceSignatures {
        for condition in source.unless + source.requires {
          checkNames(condition.file, mapping["source"])
          if let regex = condition.regex { checkNames(regex, mapping["source"]) }
        }
      }
      checkNames(explanation, mapping["explain"])
      for fix in fixes {
        for template in fix.action.values { checkNames(template, mapping["fix"]) }
        if let when = fix.conditionName, !known.contains(when), !(lookup.map { when.hasPrefix($0.prefix + "_") } ?? false) {
          error(mapping["fix"], "'when: \(fix.when ?? when)' names no capture or lookup field")
        }
      }
      for name in fingerprint ?? [] where !captureNames.contains(name) {
        error(mapping["fingerprint"], "fingerprint name '\(name)' is not a capture of any signature")
      }
      for example in matchExamples {
        for name in example.captures.keys where !known.contains(name) && !(lookup.map { name.hasPrefix($0.prefix + "_") } ?? false) {
          diagnostics.append(Diagnostic(.error, at: example.location, "example expects capture '\(name)', which no signature defines"))
        }
      }
      for signature in signatures where signature.needles == nil {
        warning(
          mapping["match"],
          "signature \(signature.regex.pattern.debugDescription) has no literal of \(LiteralExtractor.minimumLength)+ characters, so it runs on every line; add 'literal:'")
      }

      return Rule(
        id: id, title: title, severity: severity, stage: stage, tags: tags, signatures: signatures,
        sourceSignatures: sourceSignatures, unless: unless,
        context: ruleContext, explains: explains, fingerprint: fingerprint, lookup: lookup, assumption: assumption, message: message,
        explanation: explanation, fixes: fixes, matchExamples: matchExamples, nomatchExamples: nomatchExamples,
        file: file)
    }

    func enumValue<E: RawRepresentable & CaseIterable>(
      _ mapping: Node.Mapping, _ key: String, _ type: E.Type, in parent: Node
    ) -> E? where E.RawValue == String {
      guard let text = string(mapping, key, required: true, in: parent) else { return nil }
      guard let value = E(rawValue: text) else {
        error(mapping[key], "'\(key)' is '\(text)'; expected one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
      }
      return value
    }

    func signature(_ node: Node) -> Signature? {
      guard let mapping = node.mapping else {
        error(node, "each 'match' item must be a mapping with 'regex' (and optional 'literal', 'within')")
        return nil
      }
      checkKeys(mapping, allowed: ["regex", "literal", "within", "contributes"], what: "a signature")
      guard let regexNode = mapping["regex"] else {
        error(node, "signature without 'regex'")
        return nil
      }
      guard let compiled = regex(regexNode, key: "regex") else { return nil }
      var needles = LiteralExtractor.needles(for: compiled.pattern)
      var declared = false
      if let literalNode = mapping["literal"] {
        let literals = stringList(literalNode, "literal")
        if literals.contains(where: \.isEmpty) {
          error(literalNode, "'literal' must not be empty")
        }
        for literal in literals where !literal.isEmpty && literal.utf8.count < LiteralExtractor.minimumLength {
          warning(
            literalNode,
            "literal \(literal.debugDescription) is shorter than \(LiteralExtractor.minimumLength) bytes: every occurrence of its first byte in every log becomes a candidate, which slows every rule; use a longer one (4+ bytes is best)")
        }
        needles = literals
        declared = true
      }
      var within: Regex?
      if let withinNode = mapping["within"] { within = regex(withinNode, key: "within") }
      var contributes = false
      if let contributesNode = mapping["contributes"] {
        switch contributesNode.string {
        case "true": contributes = true
        case "false": contributes = false
        default: error(contributesNode, "'contributes' must be true or false")
        }
      }
      return Signature(regex: compiled, needles: needles, declaredLiteral: declared, within: within, contributesOnly: contributes)
    }

    func sourceSignature(_ node: Node) -> SourceSignature? {
      guard let mapping = node.mapping else {
        error(node, "each 'source' item must be a mapping with 'files' and optional 'regex', 'literal', 'unless', 'requires'")
        return nil
      }
      checkKeys(mapping, allowed: ["files", "regex", "literal", "unless", "requires", "executable", "path_as"], what: "a source signature")
      var globs: [Glob] = []
      for pattern in stringList(mapping["files"], "files") {
        do { globs.append(try Glob(pattern)) } catch { self.error(mapping["files"], "bad glob '\(pattern)': \(error.message)") }
      }
      if globs.isEmpty { error(node, "a source signature needs 'files': globs such as \"**/*.py\"") }
      var signature: Signature?
      if mapping["regex"] != nil {
        var copy = mapping
        copy["unless"] = nil
        copy["requires"] = nil
        copy["files"] = nil
        copy["executable"] = nil
        copy["path_as"] = nil
        signature = self.signature(.mapping(copy))
        if signature == nil { return nil }
      } else if mapping["literal"] != nil {
        error(mapping["literal"], "'literal' needs a 'regex'")
      }
      var executable: Bool?
      if let node = mapping["executable"] {
        switch node.string {
        case "true": executable = true
        case "false": executable = false
        default: error(node, "'executable' must be true or false")
        }
      }
      return SourceSignature(
        files: globs, signature: signature, unless: conditions(mapping["unless"], "unless"),
        requires: conditions(mapping["requires"], "requires"), executable: executable,
        pathAs: mapping["path_as"]?.string)
    }

    func conditions(_ node: Node?, _ key: String) -> [FileCondition] {
      guard let node else { return [] }
      guard let sequence = node.sequence else {
        error(node, "'\(key)' must be a list of { file, regex } conditions")
        return []
      }
      var result: [FileCondition] = []
      for item in sequence {
        guard let fields = item.mapping, let file = fields["file"]?.string else {
          error(item, "each '\(key)' condition needs 'file' (a path or glob) and may have 'regex'")
          continue
        }
        checkKeys(fields, allowed: ["file", "regex"], what: "a '\(key)' condition")
        var regexTemplate: Template?
        if let regexNode = fields["regex"], let text = regexNode.string {
          regexTemplate = Template(text)
          // Check the pattern compiles with sample values in place of the names.
          let sample = regexTemplate!.render { _ in "x" }
          if (try? Regex(sample)) == nil { _ = regex(.scalar(.init(sample)), key: "\(key).regex") }
        }
        result.append(FileCondition(file: Template(file), regex: regexTemplate))
      }
      return result
    }

    func fixList(_ node: Node) -> [ConditionalFix] {
      guard let sequence = node.sequence else {
        error(node, "'fix' must be a list of actions")
        return []
      }
      var result: [ConditionalFix] = []
      for item in sequence {
        guard let mapping = item.mapping else {
          error(item, "each fix must be a mapping such as { env: { file: ..., set: {...} } }")
          continue
        }
        let kinds = ["env", "requirement", "create", "ensure_line", "python_block", "replace", "chmod", "command", "codemod"]
        checkKeys(mapping, allowed: Set(kinds + ["when"]), what: "a fix")
        let present = kinds.filter { mapping[$0] != nil }
        guard present.count == 1, let kind = present.first, let body = mapping[kind], let fields = body.mapping else {
          error(item, "each fix needs exactly one action, one of: \(kinds.joined(separator: ", ")), whose value is a mapping")
          continue
        }
        let when = mapping["when"]?.string
        func field(_ key: String, required: Bool = true) -> Template? {
          guard let text = string(fields, key, required: required, in: body) else { return nil }
          if key == "file" || key == "path" {
            // The literal parts of the path: placeholders stand for one harmless component here,
            // and the plan checks the filled-in path again.
            let shape = text.replacingOccurrences(of: #"\$\{[^}]*\}"#, with: "x", options: .regularExpression)
            if let problem = FixPath.problem(shape) { error(fields[key], problem.description) }
          }
          return Template(text)
        }
        var action: FixTemplate?
        switch kind {
        case "env":
          checkKeys(fields, allowed: ["file", "set"], what: "'env'")
          if let file = field("file"), let set = fields["set"]?.mapping {
            action = .env(
              file: file, set: set.compactMap { key, value in key.string.map { Assignment(key: Template($0), value: Template(value.string ?? "")) } })
          } else if fields["set"] != nil {
            error(fields["set"], "'set' must map names to values")
          } else if fields["file"] != nil {
            error(body, "missing required key 'set'")
          }
        case "requirement":
          checkKeys(fields, allowed: ["file", "package"], what: "'requirement'")
          if let file = field("file"), let package = field("package") { action = .requirement(file: file, package: package) }
        case "create":
          checkKeys(fields, allowed: ["path", "mode", "content"], what: "'create'")
          let mode = fileMode(fields, required: false, default: 0o644, in: body)
          if let path = field("path"), let content = field("content") {
            action = .create(path: path, mode: mode, content: content)
          }
        case "ensure_line":
          checkKeys(fields, allowed: ["file", "line"], what: "'ensure_line'")
          if let file = field("file"), let line = field("line") { action = .ensureLine(file: file, line: line) }
        case "python_block":
          checkKeys(fields, allowed: ["file", "unless_defined", "block"], what: "'python_block'")
          if let file = field("file"), let name = string(fields, "unless_defined", required: true, in: body),
            let block = field("block")
          {
            action = .pythonBlock(file: file, unlessDefined: name, block: block)
          }
        case "replace":
          checkKeys(fields, allowed: ["file", "regex", "with", "unless"], what: "'replace'")
          var groups: [String] = []
          if let regexNode = fields["regex"] { groups = regex(regexNode, key: "regex")?.captureNames ?? [] }
          if let unlessNode = fields["unless"] { _ = regex(unlessNode, key: "unless") }
          if let file = field("file"), let pattern = string(fields, "regex", required: true, in: body),
            let with = field("with")
          {
            for name in ReplacementGroups.names(in: with.source) where !groups.contains(name) {
              error(fields["with"], "'$<\(name)>' is not a named group of the replace regex")
            }
            action = .replace(file: file, regex: Template(pattern), with: with, unless: fields["unless"]?.string)
          }
        case "chmod":
          checkKeys(fields, allowed: ["file", "mode"], what: "'chmod'")
          let mode = fileMode(fields, required: true, default: 0o755, in: body)
          if let file = field("file") { action = .chmod(file: file, mode: mode) }
        case "command":
          checkKeys(fields, allowed: ["run", "why"], what: "'command'")
          if let run = field("run") { action = .command(run: run, why: field("why", required: false)) }
        case "codemod":
          checkKeys(fields, allowed: ["tool", "files"], what: "'codemod'")
          let tool = string(fields, "tool", required: true, in: body)
          if let tool, !ResolvedFix.codemodTools.contains(tool) {
            error(fields["tool"], "unknown codemod tool '\(tool)'; known: \(ResolvedFix.codemodTools.joined(separator: ", "))")
          }
          var globs: [String] = []
          if let filesNode = fields["files"] {
            if let items = filesNode.sequence {
              for item in items {
                guard let text = item.string, (try? Glob(text)) != nil, FixPath.problem(text.replacingOccurrences(of: "*", with: "x")) == nil else {
                  error(item, "each of 'files' must be a glob inside the tree, such as \"**/*.py\"")
                  continue
                }
                globs.append(text)
              }
            } else {
              error(filesNode, "'files' must be a list of globs, such as [\"**/*.py\"]")
            }
          } else {
            error(body, "missing required key 'files'")
          }
          if let tool, ResolvedFix.codemodTools.contains(tool), !globs.isEmpty { action = .codemod(tool: tool, files: globs) }
        default:
          break
        }
        if let action { result.append(ConditionalFix(action: action, when: when)) }
      }
      return result
    }

    func examples(_ node: Node?, in parent: Node) -> ([RuleExample], [RuleExample]) {
      guard let node, let mapping = node.mapping else {
        error(node ?? parent, "missing 'examples' with 'match' and 'nomatch' lists; every rule tests itself")
        return ([], [])
      }
      checkKeys(mapping, allowed: ["match", "nomatch"], what: "'examples'")
      func list(_ key: String) -> [RuleExample] {
        guard let listNode = mapping[key], let sequence = listNode.sequence, !sequence.isEmpty else {
          error(mapping[key] ?? node, "'examples.\(key)' must be a non-empty list")
          return []
        }
        var result: [RuleExample] = []
        for item in sequence {
          let location = self.location(item)
          switch item {
          case .scalar(let scalar):
            result.append(RuleExample(text: scalar.string, captures: [:], location: location))
          case .mapping(let fields):
            checkKeys(fields, allowed: ["text", "captures"], what: "an example")
            guard let text = string(fields, "text", required: true, in: item) else { continue }
            var captures: [String: String] = [:]
            if let capturesNode = fields["captures"] {
              if let capturesMapping = capturesNode.mapping {
                for (name, value) in capturesMapping {
                  if let name = name.string { captures[name] = value.string ?? "" }
                }
              } else {
                error(capturesNode, "'captures' must map capture names to expected values")
              }
            }
            if key == "nomatch", !captures.isEmpty { error(fields["captures"], "nomatch examples cannot expect captures") }
            result.append(RuleExample(text: text, captures: captures, location: location))
          default:
            error(item, "an example is a string or a mapping with 'text' and 'captures'")
          }
        }
        return result
      }
      return (list("match"), list("nomatch"))
    }
  }
}
