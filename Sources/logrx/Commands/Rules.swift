import Foundation
import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List, show, check and test rules; compile a folder into a pack; export their patterns.",
    discussion: """
      Rules are YAML files, one per rule; see Docs/rule-format.md. Built-in rules are compiled \
      into logrx; --rules DIR adds a folder of rule files, --rules PACK a pack that \
      `logrx rules compile DIR -o PACK` made of one (it loads without parsing YAML).
      """,
    subcommands: [List.self, Show.self, Check.self, Test.self, New.self, Compile.self, Export.self, Embed.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rules in force: id, severity, stage, title.")
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let catalog = try rules.catalog()
      let width = catalog.rules.map(\.id.count).max() ?? 0
      for rule in catalog.rules {
        let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        let stage = rule.stage.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        StandardOutput.shared.write("\(id)  \(severity)  \(stage)  \(rule.title)\n")
      }
      if catalog.hasErrors { throw ExitCode(2) }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one rule: signatures, prefilter literals, explanation, fixes.")
    @Argument(help: "The rule id, as `logrx rules list` prints it.") var id: String
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let catalog = try rules.catalog(examples: true)
      guard let rule = catalog.rule(withID: id) else {
        let near = catalog.rules.map(\.id).filter { $0.contains(id) || id.contains($0) }
        throw ValidationError("No rule '\(id)'.\(near.isEmpty ? "" : " Did you mean: \(near.joined(separator: ", "))?") See `logrx rules list`.")
      }
      let out = StandardOutput.shared
      out.write("\(rule.id): \(rule.title)\n")
      out.write("severity: \(rule.severity.rawValue)   stage: \(rule.stage.rawValue)   tags: \(rule.tags.joined(separator: ", "))\n")
      out.write("file: \(rule.file)\n")
      if !rule.explains.isEmpty { out.write("explains: \(rule.explains.joined(separator: ", "))\n") }
      out.write("\nsignatures:\n")
      for signature in rule.signatures {
        out.write("  regex:   \(signature.regex.pattern)\n")
        let literals = signature.needles.map { $0.map { "\"\($0)\"" }.joined(separator: " | ") } ?? "(none: runs on every line)"
        out.write("  literal: \(literals)\(signature.declaredLiteral ? "" : signature.needles == nil ? "" : " (derived)")\n")
        if let within = signature.within { out.write("  within:  \(within.pattern)\n") }
      }
      for signature in rule.unless { out.write("  unless:  \(signature.regex.pattern)\n") }
      out.write("\nmessage:\n  \(rule.message.source)\n\nexplanation:\n")
      for line in rule.explanation.source.split(separator: "\n", omittingEmptySubsequences: false) { out.write("  \(line)\n") }
      if !rule.fixes.isEmpty {
        out.write("fix:\n")
        for fix in rule.fixes {
          let resolved = fix.action.resolved { "${\($0)}" }
          out.write("  - \(resolved.summary)\(fix.when.map { " (when ${\($0)} is set)" } ?? "")\n")
        }
      }
      out.write("\nexamples: \(rule.matchExamples.count) match, \(rule.nomatchExamples.count) nomatch\n")
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load rules and report every problem as file:line:column.",
      discussion: "With DIR, checks the rules in DIR (on top of the built-in ones, so that `explains` may name them); DIR may be a compiled pack. Exit 1 when there is an error; 2 when a pack cannot be used.")
    @Argument(help: ArgumentHelp("A folder of rule files, or a pack. Default: the built-in rules and any --rules.", valueName: "dir-or-pack")) var directory: String?
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let catalog = try rules.load(adding: directory.map { [$0] } ?? [])
      let out = StandardOutput.shared
      for diagnostic in catalog.diagnostics { out.write("\(diagnostic)\n") }
      let errors = catalog.diagnostics.filter { $0.level == .error }.count
      let warnings = catalog.diagnostics.count - errors
      out.write("\(catalog.rules.count) rules loaded; \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n")
      if errors > 0 { throw ExitCode(1) }
    }
  }

  struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draft a rule from a log's unclassified failure: a pattern with the variable parts generalised, ready for `rules test`.",
      discussion: """
        Analyses the logs as `explain` does, each file on its own. For the first file with an \
        unclassified finding (a failure no rule knows), writes a rule file: an id, a match \
        pattern made of the decisive line (numbers, paths, quoted values and ids generalised, \
        the first quoted value captured as `value`), that line as its first match example and a \
        healthy line of the same log as its first nomatch example. Title, message and \
        explanation are left for you to write.

        Examples:
          logrx rules new pod.log > my-rules/my-failure.yaml
          logrx rules new --id django-fixture-missing -o my-rules/ pod.log
          logrx rules test --rules my-rules/
        """)

    @Argument(help: ArgumentHelp("Log files or folders with the failure.", valueName: "file")) var files: [String]
    @Option(name: .long, help: ArgumentHelp("The rule's id (default: draft- and the line's first words).", valueName: "id")) var id: String?
    @Option(name: [.short, .long], help: ArgumentHelp("Write the file into this folder as <id>.yaml instead of to standard output.", valueName: "dir")) var output: String?
    @OptionGroup var rules: RuleOptions

    func validate() throws {
      if files.isEmpty { throw ValidationError("Give the log file that shows the failure.") }
      if let id, id.isEmpty || !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) || id.hasPrefix("-") {
        throw ValidationError("The id must be kebab-case (lower-case letters, digits and '-'); got '\(id)'.")
      }
    }

    func run() throws {
      let catalog = try rules.catalog()
      let analysis = Analysis(catalog: catalog, identity: .byFile)
      let (paths, problems) = InputFiles.expand(files)
      for problem in problems { Terminal.error("logrx: \(problem)") }
      for path in paths { analysis.analyze(path: path) }
      let unclassified = analysis.findings().filter { $0.rule.id == FailureSignals.rule.id }
      guard let finding = unclassified.first else {
        Terminal.error("logrx: no unclassified failure in \(files.joined(separator: ", ")): the rules know every failure these logs show (logrx explain shows them), or the logs show none.")
        throw ExitCode(1)
      }
      let text = (try? String(contentsOfFile: finding.source.file, encoding: .utf8)) ?? ""
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      guard let draft = RuleDraft(finding: finding, lines: lines, id: id) else { throw ExitCode(1) }
      if unclassified.count > 1 {
        Terminal.error("logrx: \(unclassified.count) files have unclassified failures; this draft is for \(finding.source.file)")
      }
      if let output {
        let path = (output as NSString).appendingPathComponent("\(draft.id).yaml")
        guard !FileManager.default.fileExists(atPath: path) else {
          throw ValidationError("\(path) exists; give another --id or folder.")
        }
        try Data(draft.yaml.utf8).write(to: URL(fileURLWithPath: path))
        Terminal.error("logrx: wrote \(path) (from \(finding.source.file):\(finding.firstLine)); next: logrx rules test --rules \(output)")
      } else {
        StandardOutput.shared.write(draft.yaml)
        StandardOutput.shared.flush()
      }
    }
  }

  struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run every rule's examples, also with CRLF endings, ANSI colours and a CRI prefix.",
      discussion: "With DIR, tests only the rules of DIR (a folder of rule files, or a compiled pack). Exit 1 when an example misbehaves; 2 when a pack cannot be used.")
    @Argument(help: ArgumentHelp("A folder of rule files, or a pack. Default: every rule in force.", valueName: "dir-or-pack")) var directory: String?
    @OptionGroup var rules: RuleOptions

    func run() throws {
      let (inputs, diagnostics) = try rules.inputs(adding: directory.map { [$0] } ?? [], examples: true)
      let catalog = RuleCatalog.load(builtin: !rules.noBuiltin, inputs: inputs, initialDiagnostics: diagnostics)
      let out = StandardOutput.shared
      for diagnostic in catalog.diagnostics where diagnostic.level == .error { out.write("\(diagnostic)\n") }
      // The rules that came from DIR: its files, or the rules of its pack.
      var files: Set<String>?
      if directory != nil {
        switch inputs.last {
        case .source(let source): files = Set(source.files.map(\.path))
        case .pack(let pack): files = Set(pack.rules.map(\.file))
        case nil: files = []
        }
      }
      let selected = catalog.rules.filter { rule in files.map { $0.contains(rule.file) } ?? true }
      let tester = RuleTester(catalog: catalog)
      var failures = 0
      var checks = 0
      for rule in selected {
        let result = tester.test(rule)
        checks += result.checks
        failures += result.failures.count
        for failure in result.failures { out.write("FAIL \(failure)\n") }
      }
      out.write("\(selected.count) rules, \(checks) example checks: \(checks - failures) passed, \(failures) failed\n")
      if failures > 0 || catalog.hasErrors { throw ExitCode(1) }
    }
  }

  struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compile a folder of rule files into one pack file that loads without parsing YAML.",
      discussion: """
        Loads DIR as --rules DIR does (checked on top of the built-in rules, so that `explains` \
        may name them; --no-builtin checks it alone) and writes its rules and data tables to \
        PACK. Every command's --rules takes PACK in place of DIR and loads it without parsing \
        YAML or compiling a pattern (2000 rules: about 50 ms for a whole start instead of seconds).

        PACK records the logrx and PCRE2 versions that wrote it, a checksum, and the size, \
        modification time and checksum of each .yaml file of DIR. A command refuses it (exit 2, \
        saying the command to run again) when it is truncated or damaged, when another logrx \
        or PCRE2 version wrote it, or when it is stale: DIR, found where it was relative to \
        PACK, has a .yaml file added, removed or changed since (a file touched without a change \
        is still fresh). A pack whose folder is not there (copied alone into an image) is used \
        as it is.

        PACK is written whole or not at all: a temporary file in the same folder, renamed over \
        PACK when complete. An existing PACK is replaced only when it is a pack; a folder, a \
        symbolic link or any other file is refused. Exit 1 when a rule has an error (nothing is \
        written); 2 when PACK cannot be written.

        Examples:
          logrx rules compile my-rules -o my-rules.pack
          logrx scan --rules my-rules.pack /var/log/pods
          logrx rules test my-rules.pack
        """)
    @Argument(help: ArgumentHelp("The folder of rule files.", valueName: "dir")) var directory: String
    @Option(name: [.short, .long], help: ArgumentHelp("The pack file to write (replaced only if it is a pack).", valueName: "pack"))
    var output: String
    @Flag(name: .customLong("no-builtin"), help: "Check the rules alone, not on top of the built-in ones.")
    var noBuiltin = false

    func validate() throws {
      if output.hasSuffix(".yaml") || output.hasSuffix(".yml") {
        throw ValidationError("A pack is not a rule file: give it another name than .yaml, such as my-rules.pack.")
      }
    }

    func run() throws {
      let compiled: RulePack.Compiled
      // Vectorscan's databases for a scan with the pack are compiled now and stored in it.
      do {
        compiled = try RulePack.compile(directory: directory, packPath: output, builtin: !noBuiltin) {
          Analysis.prefiltersToStore(for: $0)
        }
      } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
      for diagnostic in compiled.diagnostics { Terminal.error("\(diagnostic)") }
      guard let bytes = compiled.bytes else {
        Terminal.error("logrx: \(directory) has rule errors; nothing written (`logrx rules check \(directory)` lists them)")
        throw ExitCode(1)
      }
      do { try RulePack.write(bytes, to: output) } catch {
        Terminal.error("logrx: \(error)")
        throw ExitCode(2)
      }
      StandardOutput.shared.write("\(output): \(compiled.ruleCount) rules from \(directory) (\(bytes.count) bytes)\n")
    }
  }

  /// For `make rules`: writes the rules of a folder as the Swift source compiled into logrx.
  struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the rules in DIR as BuiltinRules.generated.swift (for `make rules`).",
      shouldDisplay: false)
    @Argument(help: "The folder of rule files to embed (the repository's Rules/).") var directory: String
    @Option(name: .shortAndLong, help: "Where to write the Swift source (replaced whole). Default: standard output.")
    var output: String?

    func run() throws {
      let catalog = RuleCatalog.load(builtin: false, directories: [directory])
      for diagnostic in catalog.diagnostics { Terminal.error("\(diagnostic)") }
      if !catalog.diagnostics.isEmpty {
        Terminal.error("logrx: the built-in rules must load without a problem; nothing written")
        throw ExitCode(1)
      }
      let source = BuiltinRulesEmitter.swiftSource(for: catalog, root: directory)
      guard let output else { return StandardOutput.shared.write(source) }
      do {
        try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        throw ValidationError("Cannot write \(output): \(error.localizedDescription)")
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write every signature's regex, one per line, for comparing with grep and ripgrep.",
      discussion: "Example: logrx rules export --patterns > patterns.txt && rg -c -f patterns.txt big.log")
    @Flag(name: .long, help: "Write the match patterns one per line (required; other export forms may follow).")
    var patterns = false
    @OptionGroup var rules: RuleOptions

    func validate() throws {
      if !patterns { throw ValidationError("Say what to export: --patterns.") }
    }

    func run() throws {
      for rule in try rules.catalog().rules {
        for signature in rule.signatures { StandardOutput.shared.write(signature.regex.pattern + "\n") }
      }
    }
  }
}
