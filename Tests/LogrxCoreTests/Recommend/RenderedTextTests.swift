import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxTestSupport

/// Every template of every rule, rendered as a user sees it: with all its captures, and with
/// none (a prediction from a tree, an optional group that did not match). Nothing half-filled
/// may reach a person: no `<name>` or `${name}` left, no regex syntax in a fix's summary.
@Suite struct RenderedTextTests {
  static let rules = Fixtures.catalog.rules

  /// What a person reads of a finding: message, explanation, and each fix's summary and why.
  static func texts(of finding: Finding) -> [(what: String, text: String)] {
    var texts = [("message", finding.message), ("explanation", finding.explanation)]
    for (index, fix) in finding.fixes.enumerated() {
      texts.append(("fix \(index + 1) summary", fix.summary))
      if let why = fix.why { texts.append(("fix \(index + 1) why", why)) }
      if let run = fix.run { texts.append(("fix \(index + 1) command", run)) }
    }
    return texts
  }

  /// The leftovers found in `text`: placeholders of `names`, `${`, and regex syntax.
  static func leftovers(in text: String, names: [String], summary: Bool) -> [String] {
    var found = names.filter { text.contains("<\($0)>") }.map { "<\($0)>" }
    if text.contains("${") { found.append("${") }
    for syntax in ["$<", "(?<", "\\k<", "(?:", "(?="] where text.contains(syntax) { found.append(syntax) }
    if summary {
      for syntax in ["[ \\t]", "\\s*", "\\b", "\\d", "\\w", "\\z", "\\n"] where text.contains(syntax) { found.append(syntax) }
    }
    return found
  }

  static func names(of rule: Rule) -> [String] {
    var names = rule.message.names + rule.explanation.names
    for fix in rule.fixes { for value in fix.action.values { names += value.names } }
    return Array(Set(names)).sorted()
  }

  @Test(arguments: [true, false])
  func noTemplateIsLeftHalfFilled(withCaptures: Bool) {
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byPod)
    let renderer = FindingRenderer(catalog: Fixtures.catalog)
    var problems: [String] = []
    for rule in Self.rules {
      let names = Self.names(of: rule)
      var captures: [String: String] = [:]
      if withCaptures {
        for name in rule.captureNames { captures[name] = "value-of-\(name)" }
      }
      var finding = analysis.makeFinding(
        rule: rule, captures: captures, evidence: [EvidenceLine(line: 1, text: "x")], file: "input.log", predicted: !withCaptures)
      renderer.render(&finding)
      for (what, text) in Self.texts(of: finding) {
        let bad = Self.leftovers(in: text, names: names, summary: what.hasSuffix("summary"))
        if !bad.isEmpty { problems.append("\(rule.id) \(what): \(bad.joined(separator: " ")) in: \(text.prefix(160))") }
      }
    }
    #expect(problems.isEmpty, "\(problems.count) half-filled texts:\n\(problems.joined(separator: "\n"))")
  }

  @Test func textForPredictionsNeverAppearsInLogMode() {
    let analysis = Analysis(catalog: Fixtures.catalog, identity: .byPod)
    let renderer = FindingRenderer(catalog: Fixtures.catalog)
    var problems: [String] = []
    for rule in Self.rules {
      var captures: [String: String] = [:]
      for name in rule.captureNames { captures[name] = "value-of-\(name)" }
      var finding = analysis.makeFinding(rule: rule, captures: captures, evidence: [], file: "input.log", predicted: false)
      renderer.render(&finding)
      for (what, text) in Self.texts(of: finding) where text.lowercased().contains("predict") || text.contains("source tree") {
        problems.append("\(rule.id) \(what): \(text.prefix(160))")
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test func aNameTheInputsDoNotGiveIsSaidInWords() {
    #expect(Placeholder.words(for: "source.dc", after: "oc start-build ") == "YOUR-BUILD-CONFIG")
    #expect(Placeholder.words(for: "source.dc", after: "oc rsh dc/") == "YOUR-DEPLOYMENT-CONFIG")
    #expect(Placeholder.words(for: "source.dc", after: "oc annotate route/") == "YOUR-ROUTE")
    #expect(Placeholder.words(for: "source.pod", after: "oc logs --previous ") == "YOUR-POD")
    #expect(Template("oc rsh dc/${source.dc} x").render({ _ in nil }, missing: Placeholder.words) == "oc rsh dc/YOUR-DEPLOYMENT-CONFIG x")
  }

  @Test func aReplacementIsSummarisedWithoutItsRegex() {
    let fix = ResolvedFix.replace(file: "setup.py", regex: "^(?<indent>[ \\t]*)install_requires\\s*=", with: "$<indent>packages=[],\n$<indent>install_requires=", unless: nil)
    #expect(fix.summary == "in setup.py, rewrite the matching lines (the patch shows how)")
    #expect(ResolvedFix.replace(file: "urls.py", regex: "include\\(admin\\.site\\.urls\\)", with: "admin.site.urls", unless: nil).summary
      == "in urls.py, rewrite the matching text as `admin.site.urls`")
  }

  @Test func theLogsNameTheDeploymentConfig() {
    let session = Session(catalog: Fixtures.catalog, tree: nil)
    session.read([Fixtures.path("Corpus/logs/platform/16-failed-scheduling-insufficient-memory.txt")])
    #expect(session.analysis.deploymentConfigsSeen.last == "django")
    let runs = session.findings().flatMap(\.fixes).compactMap(\.run)
    #expect(runs.contains("oc set resources dc/django --requests=cpu=100m,memory=256Mi"))
  }
}
