import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// Runs the rules' `source` signatures over an app's source tree: the failures the logs have
/// not shown yet, each citing the file and line that will cause it.
///
/// It is the same engine as for logs: each file goes through an ``Analysis`` whose rules carry
/// the source signatures in place of the log signatures, so literals prefilter, captures,
/// lookups, fingerprints and templates behave the same. A prediction whose `unless` condition
/// holds (the fix is already in the tree), or whose `requires` condition does not, is dropped.
public struct Predictor {
  public let catalog: RuleCatalog
  public let tree: SourceTree

  public init(catalog: RuleCatalog, tree: SourceTree) {
    self.catalog = catalog
    self.tree = tree
  }

  /// The predicted findings, unrendered and uncorrelated, marked ``Finding/predicted``.
  public func findings() -> [Finding] {
    let rules = catalog.rules.filter { !$0.sourceSignatures.isEmpty }
    guard !rules.isEmpty else { return [] }
    var results: [Finding] = []
    // Vendored copies (static/, a committed virtualenv, node_modules) are not the app's code:
    // nothing predicted from them (the codemods leave them alone too).
    for file in tree.files where !Plan.vendored(file) {
      // Each source signature that reads this file runs as a rule of its own (id `rule#n`), so
      // that a hit is judged by its own signature's conditions.
      var fileRules: [Rule] = []
      var origins: [String: (Rule, SourceSignature)] = [:]
      var presence: [(Rule, SourceSignature)] = []
      for rule in rules {
        for (index, signature) in rule.sourceSignatures.enumerated()
        where signature.files.contains(where: { $0.matches(file) })
          && signature.executable.map({ $0 == tree.isExecutable(file) }) ?? true
        {
          guard let regexSignature = signature.signature else {
            presence.append((rule, signature))
            continue
          }
          var copy = rule
          copy.id = "\(rule.id)#\(index)"
          copy.signatures = [regexSignature]
          copy.unless = []
          copy.context = .line
          fileRules.append(copy)
          origins[copy.id] = (rule, signature)
        }
      }
      let analysis = Analysis(catalog: catalog.replacingRules(fileRules), identity: .byPod)
      analysis.verbatimLines = true
      if !fileRules.isEmpty {
        if tree.isPlanned(file) {
          var source = MemorySource(Array((tree.read(file) ?? "").utf8))
          analysis.analyze(&source, name: file)
        } else {
          analysis.analyze(path: tree.absolute(file), name: file)
        }
        for hit in analysis.findings() {
          guard let (rule, signature) = origins[hit.rule.id] else { continue }
          var captures = hit.captures
          if let name = signature.pathAs { captures[name] = file }
          guard holds(signature, captures: captures, file: file) else { continue }
          results.append(analysis.makeFinding(rule: rule, captures: captures, evidence: hit.evidence, file: file, predicted: true))
        }
      }
      for (rule, signature) in presence {
        let captures = signature.pathAs.map { [$0: file] } ?? [:]
        guard holds(signature, captures: captures, file: file) else { continue }
        let firstLine = tree.read(file).map { String($0.prefix { $0 != "\n" }) } ?? ""
        results.append(analysis.makeFinding(rule: rule, captures: captures, evidence: [EvidenceLine(line: 1, text: firstLine)], file: file, predicted: true))
      }
    }
    // One finding per rule and fingerprint captures: the first file that shows it.
    var seen: Set<String> = []
    return results.filter { seen.insert($0.fingerprint).inserted }
  }

  /// Whether the signature's `unless` conditions all fail and its `requires` all hold.
  func holds(_ signature: SourceSignature, captures: [String: String], file: String) -> Bool {
    for condition in signature.unless where satisfied(condition, captures: captures, file: file) { return false }
    for condition in signature.requires where !satisfied(condition, captures: captures, file: file) { return false }
    return true
  }

  func satisfied(_ condition: FileCondition, captures: [String: String], file: String) -> Bool {
    let folder = file.split(separator: "/").dropLast().joined(separator: "/")
    // `source.package`: the last folder name of the hit's file (the package it is a module of).
    let package = folder.split(separator: "/").last.map(String.init)
    func value(_ name: String) -> String? {
      name == "source.file" ? file : name == "source.package" ? package : captures[name] ?? treeValueFallback(name)
    }
    let pattern = condition.file.render { name in
      name == "source.dir" ? (folder.isEmpty ? "." : folder) : value(name)
    }
    guard let glob = try? Glob(pattern) else { return false }
    let candidates = tree.files.filter { glob.matches($0) }
    guard let regexTemplate = condition.regex else { return !candidates.isEmpty }
    let source = regexTemplate.render { name in
      value(name).map(regexEscaped)
    }
    guard let regex = try? Regex("(?m)" + source) else { return false }
    let matcher = RegexMatcher()
    for candidate in candidates {
      guard let text = tree.read(candidate) else { continue }
      if case .match = matcher.match(regex, in: text) { return true }
    }
    return false
  }

  func treeValueFallback(_ name: String) -> String? {
    name.hasPrefix("tree.") ? tree.value(for: name) : nil
  }
}

extension RuleCatalog {
  /// The same tables with other rules (for running source signatures as rules).
  func replacingRules(_ rules: [Rule]) -> RuleCatalog {
    var copy = self
    copy.replace(rules: rules)
    return copy
  }
}
