import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct RuleLoaderTests {
  func problems(_ files: [String: String]) -> [String] {
    Fixtures.catalog(files).diagnostics.map(\.description)
  }

  @Test func aValidRuleLoads() {
    let catalog = Fixtures.catalog(["r/my-rule.yaml": Fixtures.ruleYAML(id: "my-rule", regex: "boom (?<what>\\w+)")])
    #expect(catalog.diagnostics.isEmpty)
    #expect(catalog.rule(withID: "my-rule")?.captureNames == ["what"])
  }

  @Test func aShortLiteralIsAWarning() {
    let yaml = Fixtures.ruleYAML(id: "short-literal", regex: "x(?<what>\\w+)").replacingOccurrences(
      of: "  - regex:", with: "  - literal: \"x\"\n    regex:")
    let catalog = Fixtures.catalog(["r/short-literal.yaml": yaml])
    #expect(catalog.rule(withID: "short-literal") != nil)
    #expect(catalog.diagnostics.map(\.description).contains { $0.contains("warning: literal \"x\" is shorter than 3 bytes") })
  }

  @Test func badYAMLIsReportedWithLineAndColumn() {
    let found = problems(["r/bad.yaml": "id: bad\ntitle: [unclosed\nseverity: error\n"])
    #expect(found.count == 1)
    #expect(found[0].hasPrefix("r/bad.yaml:"))
    #expect(found[0].contains("invalid YAML"))
  }

  @Test func everyProblemInAFileIsListedAtOnce() {
    let yaml = """
      id: Wrong_ID
      title: t
      severity: fatal
      stage: runtime
      colour: red
      match:
        - regex: 'abc(def'
        - regex: 'ok (?<name>x+)'
      message: "uses ${nothing}"
      explain: "e"
      examples:
        match: ["x"]
        nomatch: ["y"]

      """
    let found = problems(["rules/some-rule.yaml": yaml])
    let text = found.joined(separator: "\n")
    #expect(text.contains("rules/some-rule.yaml:1:5: error: id 'Wrong_ID' differs from the file name"))
    #expect(text.contains("rules/some-rule.yaml:3:11: error: 'severity' is 'fatal'; expected one of: info, warning, error"))
    #expect(text.contains("rules/some-rule.yaml:5:1: error: unknown key 'colour' in a rule"))
    #expect(text.contains("PCRE2 cannot compile 'regex': missing closing parenthesis at offset 7"))
    // The PCRE2 offset is turned into the column of the offending character.
    #expect(text.contains("rules/some-rule.yaml:7:20: error: PCRE2"))
    #expect(text.contains("'${nothing}' is not a capture of any signature"))
  }

  @Test func duplicateIdsAndUnknownExplainsAreErrors() {
    let a = Fixtures.ruleYAML(id: "dup", regex: "aaa")
    let b = Fixtures.ruleYAML(id: "other", regex: "bbb", extra: "explains: [no-such-rule]")
    let catalog = Fixtures.catalog(["one/dup.yaml": a, "two/dup.yaml": a, "two/other.yaml": b])
    let text = catalog.diagnostics.map(\.description).joined(separator: "\n")
    #expect(text.contains("duplicate rule id 'dup', also defined in one/dup.yaml"))
    #expect(text.contains("rule 'other' explains 'no-such-rule', which is not a rule"))
  }

  @Test func missingExamplesAreAnError() {
    let yaml = """
      id: no-examples
      title: t
      severity: info
      stage: build
      match:
        - regex: 'abc'
      message: m
      explain: e

      """
    #expect(problems(["no-examples.yaml": yaml]).contains { $0.contains("missing 'examples'") })
  }

  @Test func aSignatureWithoutALiteralIsAWarning() {
    let catalog = Fixtures.catalog(["x/any.yaml": Fixtures.ruleYAML(id: "any", regex: "[0-9]+")])
    #expect(catalog.diagnostics.map(\.level) == [.warning])
    #expect(catalog.rule(withID: "any") != nil)
  }

  @Test func packRulesOverrideBuiltInRulesById() {
    let override = Fixtures.ruleYAML(id: "s2i-no-app-to-run", regex: "custom signal")
    let catalog = RuleCatalog.load([
      RuleSource(files: [RuleFile(path: "builtin:a.yaml", text: Fixtures.ruleYAML(id: "s2i-no-app-to-run", regex: "original"))]),
      RuleSource(files: [RuleFile(path: "pack/s2i-no-app-to-run.yaml", text: override)]),
    ])
    // The built-in file name differs from the id; only that is reported, the override wins.
    #expect(catalog.rule(withID: "s2i-no-app-to-run")?.file == "pack/s2i-no-app-to-run.yaml")
  }

  @Test func codemodNamesAKnownToolAndGlobsInsideTheTree() {
    let yaml = """
      id: some-rule
      title: t
      severity: error
      stage: runtime
      match:
        - regex: 'abc'
      message: "m"
      explain: "e"
      fix:
        - codemod: { tool: futurize, files: ["**/*.py"] }
        - codemod: { tool: 2to3, files: ["../*.py"] }
        - codemod: { tool: 2to3, files: "**/*.py" }
        - codemod: { tool: django-upgrade, files: ["**/*.py"] }
      examples:
        match: ["abc"]
        nomatch: ["x"]

      """
    let text = problems(["rules/some-rule.yaml": yaml]).joined(separator: "\n")
    #expect(text.contains("unknown codemod tool 'futurize'; known: 2to3, logrx-django1, django-upgrade, pyupgrade"))
    #expect(text.contains("each of 'files' must be a glob inside the tree"))
    #expect(text.contains("'files' must be a list of globs"))
    #expect(text.components(separatedBy: "error:").count - 1 == 3, "\(text)")
  }
}

@Suite struct BuiltinRuleTests {
  /// The rules compiled into the binary must be what the loader makes of the files under
  /// Rules/ (run `make rules`). `LOGRX_RECORD=1` rewrites the generated file instead.
  @Test func embeddedRulesAreTheRulesFolderAsLoaded() throws {
    let catalog = RuleCatalog.load(builtin: false, directories: [Fixtures.path("Rules")])
    #expect(catalog.diagnostics.map(\.description) == [])
    let expected = BuiltinRulesEmitter.swiftSource(for: catalog, root: Fixtures.path("Rules"))
    let path = Fixtures.path(BuiltinRulesEmitter.path)
    if ProcessInfo.processInfo.environment["LOGRX_RECORD"] == "1" {
      try expected.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let embedded = try String(contentsOfFile: path, encoding: .utf8)
    #expect(embedded == expected, "stale \(BuiltinRulesEmitter.path): run `make rules`")
    // And the compiled-in values are those the file says.
    #expect(Fixtures.catalog.rules.map(\.id) == catalog.rules.map(\.id))
    #expect(Fixtures.catalog.tables == catalog.tables)
  }

  /// Built-in patterns compile on first use; each must compile with this PCRE2 and number its
  /// groups as the embedded values say.
  @Test func everyEmbeddedPatternCompilesWithItsGroups() throws {
    for rule in Fixtures.catalog.rules {
      let regexes = (rule.signatures + rule.unless + rule.sourceSignatures.compactMap(\.signature)).flatMap { [$0.regex] + ($0.within.map { [$0] } ?? []) }
      for regex in regexes {
        #expect(regex.isCompiled, "\(rule.id): \(regex.pattern)")
        #expect(try Regex(regex.pattern).captureNames == regex.captureNames, "\(rule.id): \(regex.pattern)")
      }
    }
  }

  @Test func theBuiltInCatalogLoadsCleanly() {
    #expect(Fixtures.catalog.diagnostics.map(\.description) == [])
  }

  static let guideRuleIDs = [
    "s2i-manage-py-missing", "s2i-no-app-to-run", "k8s-crashloop-backoff", "openshift-v2-env-missing",
    "django-500-unlogged", "django-allowed-hosts-none", "django-disallowed-host", "django-static-404",
    "django-db-not-initialized", "python-runtime-not-enabled", "k8s-pvc-multi-attach", "python-secrets-module-shadowed",
  ]

  /// The ids the rule-library issue names; renaming one breaks users' scan history.
  static let libraryRuleIDs = [
    "python-module-not-found", "django-improperly-configured", "python2-print-statement", "python-has-key-py3",
    "openshift-v2-python-template", "db-connection-refused", "django-sqlite-readonly", "django-csrf-origin",
    "s2i-pip-install-failed", "s2i-app-file-not-found", "s2i-collectstatic-failed", "s2i-script-not-executable",
    "s2i-script-crlf", "s2i-mod-wsgi-missing", "mod-wsgi-apxs-missing", "openshift-build-failed",
    "gunicorn-worker-timeout", "gunicorn-worker-boot-failed", "gunicorn-app-not-found", "app-listens-wrong-port",
    "openshift-arbitrary-uid-permission-denied", "k8s-port-bind-denied", "k8s-image-pull-backoff", "k8s-oom-killed",
    "k8s-probe-failed", "k8s-create-container-config-error", "k8s-failed-scheduling", "k8s-evicted",
    "openshift-route-no-endpoints",
  ]

  @Test func theLibraryHasSixtyRulesAndEveryNamedID() {
    #expect(Fixtures.catalog.rules.count >= 60)
    let missing = Self.libraryRuleIDs.filter { Fixtures.catalog.rule(withID: $0) == nil }
    #expect(missing.isEmpty, "missing rules: \(missing)")
  }

  @Test func sourceSignaturesTakeExecutableAndPathAs() throws {
    let source = """
      source:
        - files: ["app.sh"]
          executable: false
          path_as: what
      """
    let good = Fixtures.catalog(["r/good.yaml": Fixtures.ruleYAML(id: "good", regex: "boom (?<what>\\w+)", extra: source)])
    #expect(good.diagnostics.isEmpty, "\(good.diagnostics)")
    let signature = try #require(good.rule(withID: "good")?.sourceSignatures.first)
    #expect(signature.executable == false)
    #expect(signature.pathAs == "what")
    let bad = Fixtures.catalog(["r/bad.yaml": Fixtures.ruleYAML(id: "bad", regex: "boom", extra: "source:\n  - files: [\"app.sh\"]\n    executable: maybe")]).diagnostics.map(\.description)
    #expect(bad.contains { $0.contains("'executable' must be true or false") }, "\(bad)")
  }

  @Test(arguments: guideRuleIDs) func everyFailureOfTheGuideIsARule(id: String) throws {
    let rule = try #require(Fixtures.catalog.rule(withID: id))
    #expect(rule.matchExamples.count >= 3)
    #expect(rule.nomatchExamples.count >= 3)
    #expect(rule.file.hasSuffix("/\(id).yaml"))
  }
}

/// Every rule's examples, in every variant: adding a rule file is enough to get it tested.
@Suite struct RuleExampleTests {
  static let ruleIDs = Fixtures.catalog.rules.map(\.id)

  @Test(arguments: ruleIDs) func examplesBehave(id: String) throws {
    let rule = try #require(Fixtures.catalog.rule(withID: id))
    let result = RuleTester(catalog: Fixtures.catalog).test(rule)
    #expect(result.checks > 0)
    for failure in result.failures { Issue.record("\(failure)") }
  }


}
