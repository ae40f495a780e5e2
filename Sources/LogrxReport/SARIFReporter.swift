import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// One SARIF 2.1.0 log for the whole run: one `run`, one `result` per finding, the rules that
/// fired as `reportingDescriptor`s, and the file edits of each root cause as a SARIF `fix`.
///
/// Where things go (the README has the table):
/// - a log finding is located in its log file (`first_line`…`last_line`), its evidence lines are
///   `relatedLocations` with their text as snippets; a finding predicted from the source tree is
///   located in the tree's file, relative to the `SRCROOT` base (`originalUriBaseIds`);
/// - `fixes` holds, for a root cause with a plan, one fix whose `artifactChanges` are the plan's
///   file changes as line replacements against the tree as it is (the same edits as the root
///   cause's part of the patch). Fixes are only as exact as the plan: give plans only when they
///   were made against a real source tree;
/// - what SARIF has no place for (commands to run, the edit list, counts, correlation, pod and
///   container) is in the result's `properties`.
///
/// Replacements delete and insert whole lines: a region starts at column 1 of a line and ends
/// at column 1 of the line after the last deleted one (or, for a last line without a newline,
/// at the end of that line), so no column is ever counted.
public struct SARIFReporter: Reporter {
  /// Each root cause's plan, by fingerprint (from ``Recommender/plans(for:)``).
  public var plans: [String: Plan]
  /// The source tree's root folder (absolute): the `SRCROOT` base of predicted findings and fixes.
  public var sourceRoot: String?
  public var toolVersion: String

  public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  /// The `uriBaseId` of files in the source tree.
  public static let sourceRootBase = "SRCROOT"
  /// The key of the finding's fingerprint in `partialFingerprints`.
  public static let fingerprintKey = "logrx/v1"

  public init(plans: [String: Plan] = [:], sourceRoot: String? = nil, toolVersion: String = LogrxVersion.current) {
    self.plans = plans
    self.sourceRoot = sourceRoot
    self.toolVersion = toolVersion
  }

  public func live(_ finding: Finding, to sink: TextSink) {}

  public func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(log(findings, summary: summary)) else { return }
    sink.write(String(decoding: data, as: UTF8.self) + "\n")
  }

  /// The SARIF log as a value.
  func log(_ findings: [Finding], summary: RunSummary) -> Log {
    // Rules sorted by id; the first finding of a rule gives its help text.
    var firstByRule: [String: Finding] = [:]
    for finding in findings where firstByRule[finding.rule.id] == nil { firstByRule[finding.rule.id] = finding }
    let ruleIDs = firstByRule.keys.sorted()
    let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
    let rules = ruleIDs.map { descriptor(firstByRule[$0]!) }
    let results =
      findings.map { result($0, ruleIndex: ruleIndex[$0.rule.id]!, help: firstByRule[$0.rule.id]!.explanation, history: summary.history[$0.fingerprint]) }
      + summary.resolved.map { absentResult($0, ruleIndex: ruleIndex[$0.rule]) }
    let counts = summary.counts(findings)
    let notifications = summary.diagnostics.map(notification)
    let run = Run(
      tool: Tool(driver: Driver(name: "logrx", version: toolVersion, semanticVersion: toolVersion, rules: rules)),
      invocations: [
        Invocation(
          executionSuccessful: !summary.diagnostics.contains { $0.level == .error },
          toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
      ],
      originalUriBaseIds: sourceRoot.map { [Self.sourceRootBase: ArtifactLocation(uri: Self.directoryURI($0))] },
      columnKind: "utf16CodeUnits",
      results: results,
      properties: RunProperties(
        inputs: summary.inputs, lines: summary.lines, bytes: summary.bytes, findings: findings.count, rootCauses: counts.roots,
        errors: counts.errors, warnings: counts.warnings, infos: counts.infos,
        resolved: summary.unchangedFiles == nil ? nil : summary.resolved.count, unchangedFiles: summary.unchangedFiles))
    return Log(schema: Self.schemaURI, version: "2.1.0", runs: [run])
  }

  func descriptor(_ finding: Finding) -> ReportingDescriptor {
    let rule = finding.rule
    let explanation = finding.explanation.trimmingTrailingNewlines()
    return ReportingDescriptor(
      id: rule.id, name: Self.ruleName(rule.id), shortDescription: Message(text: rule.title),
      fullDescription: Message(text: explanation), help: Message(text: explanation, markdown: explanation),
      defaultConfiguration: Configuration(level: Self.level(rule.severity)),
      properties: RuleProperties(stage: rule.stage.rawValue, tags: rule.tags))
  }

  func result(_ finding: Finding, ruleIndex: Int, help: String, history: FindingHistory?) -> Result {
    let artifact = artifactLocation(finding)
    // First to last line; the snippet only when that is one line (the evidence has its text).
    let snippet = finding.firstLine == finding.lastLine ? finding.evidence.first { $0.line == finding.firstLine } : nil
    let region =
      finding.firstLine >= 1
      ? Region(
        startLine: finding.firstLine, endLine: max(finding.firstLine, finding.lastLine), snippet: snippet.map { Snippet(text: $0.text) })
      : nil
    let related = finding.evidence.enumerated().filter { $0.element.line >= 1 }.map { index, line in
      Location(
        id: index,
        physicalLocation: PhysicalLocation(
          artifactLocation: artifact, region: Region(startLine: line.line, snippet: Snippet(text: line.text))),
        logicalLocations: nil)
    }
    let plan = plans[finding.fingerprint]
    var edits: [FixRecord] = []
    var commands: [CommandProperty] = []
    for fix in finding.fixes {
      if case .command(let run, let why) = fix { commands.append(CommandProperty(run: run, why: why)) } else { edits.append(FixRecord(fix)) }
    }
    let explanation = finding.explanation == help ? nil : finding.explanation.trimmingTrailingNewlines()
    let source = finding.source
    let hasPod = source.namespace != nil || source.pod != nil || source.container != nil
    return Result(
      ruleId: finding.rule.id, ruleIndex: ruleIndex, level: Self.level(finding.rule.severity), message: Message(text: finding.message),
      locations: [
        Location(
          id: nil, physicalLocation: PhysicalLocation(artifactLocation: artifact, region: region),
          logicalLocations: hasPod ? [logicalLocation(source)] : nil)
      ],
      relatedLocations: related.isEmpty ? nil : related,
      partialFingerprints: [Self.fingerprintKey: finding.fingerprint],
      baselineState: history.map { Self.baselineState($0.status) },
      fixes: plan.flatMap { fix($0, for: finding) }.map { [$0] },
      properties: ResultProperties(
        stage: finding.rule.stage.rawValue, count: finding.count, rootCause: finding.isRootCause, explains: finding.explains,
        explainedBy: finding.explainedBy, predicted: finding.predicted, captures: finding.captures,
        namespace: source.namespace, pod: source.pod, container: source.container, stream: source.stream,
        explanation: explanation, commands: commands.isEmpty ? nil : commands, edits: edits.isEmpty ? nil : edits,
        fixConflicts: plan.flatMap { $0.conflicts.isEmpty ? nil : $0.conflicts },
        fixNotes: plan.flatMap { $0.notes.isEmpty ? nil : $0.notes }, history: history.map(JSONLinesReporter.HistoryRecord.init)))
  }

  /// A finding of an earlier run that did not come back (`scan --state`): baseline state `absent`.
  func absentResult(_ history: FindingHistory, ruleIndex: Int?) -> Result {
    let source = Origin(file: history.file, namespace: history.namespace, pod: history.pod, container: history.container)
    let hasPod = source.namespace != nil || source.pod != nil || source.container != nil
    let artifact =
      history.file == "-" || history.file == "<stdin>"
      ? ArtifactLocation(description: Message(text: "standard input")) : ArtifactLocation(uri: Self.uriReference(history.file))
    return Result(
      ruleId: history.rule, ruleIndex: ruleIndex, level: Severity(rawValue: history.severity).map(Self.level),
      message: Message(text: history.message),
      locations: [
        Location(
          id: nil, physicalLocation: PhysicalLocation(artifactLocation: artifact, region: nil),
          logicalLocations: hasPod ? [logicalLocation(source)] : nil)
      ],
      relatedLocations: nil, partialFingerprints: [Self.fingerprintKey: history.fingerprint], baselineState: "absent", fixes: nil,
      properties: ResultProperties(
        stage: nil, count: nil, rootCause: nil, explains: nil, explainedBy: nil, predicted: nil, captures: nil,
        namespace: source.namespace, pod: source.pod, container: source.container, stream: nil, explanation: nil, commands: nil,
        edits: nil, fixConflicts: nil, fixNotes: nil, history: JSONLinesReporter.HistoryRecord(history)))
  }

  /// `scan --state` statuses as SARIF baseline states.
  static func baselineState(_ status: FindingHistory.Status) -> String {
    switch status {
    case .new: "new"
    case .ongoing: "unchanged"
    case .resolved: "absent"
    }
  }

  /// Where the finding was seen: its log file as given, a tree file below `SRCROOT`, or
  /// (standard input) only a description.
  func artifactLocation(_ finding: Finding) -> ArtifactLocation {
    let file = finding.source.file
    if finding.predicted { return ArtifactLocation(uri: Self.uriReference(file), uriBaseId: sourceRoot == nil ? nil : Self.sourceRootBase) }
    if file == "-" || file == "<stdin>" { return ArtifactLocation(description: Message(text: "standard input")) }
    return ArtifactLocation(uri: Self.uriReference(file))
  }

  func logicalLocation(_ source: Origin) -> LogicalLocation {
    let path = [source.namespace, source.pod, source.container].compactMap { $0 }
    return LogicalLocation(name: source.container ?? source.pod ?? source.namespace ?? "", fullyQualifiedName: path.joined(separator: "/"))
  }

  /// The plan's file changes as one SARIF fix; nil when the plan changes no file.
  func fix(_ plan: Plan, for finding: Finding) -> Fix? {
    let changes = plan.changes
    guard !changes.isEmpty else { return nil }
    let base = sourceRoot == nil ? nil : Self.sourceRootBase
    let artifactChanges = changes.map { change -> ArtifactChange in
      var replacements = Self.lineReplacements(change).map { replacement in
        Replacement(deletedRegion: Self.region(replacement, in: change), insertedContent: Snippet(text: replacement.inserted))
      }
      // A change of mode only: one replacement that changes nothing, the mode in properties.
      if replacements.isEmpty {
        replacements = [Replacement(deletedRegion: Region(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1), insertedContent: nil)]
      }
      let modeChanged = change.isNew ? change.mode & 0o111 != 0 : change.originalMode.map { $0 != change.mode } ?? false
      return ArtifactChange(
        artifactLocation: ArtifactLocation(uri: Self.uriReference(change.path), uriBaseId: base), replacements: replacements,
        properties: change.isNew || modeChanged
          ? ChangeProperties(newFile: change.isNew ? true : nil, mode: modeChanged ? UnifiedDiff.mode(change.mode) : nil) : nil)
    }
    let files = changes.map { ($0.isNew ? "create " : "edit ") + $0.path }.joined(separator: ", ")
    let others = finding.explains.count
    let scope = others == 0 ? finding.rule.id : "\(finding.rule.id) and the \(plural(others, "symptom")) it explains"
    return Fix(description: Message(text: "Fix \(scope): \(files)."), artifactChanges: artifactChanges)
  }

  // MARK: Replacements

  /// Old lines `[start, end)` (0-based) replaced by `inserted`.
  struct LineReplacement: Equatable {
    var start: Int
    var end: Int
    var inserted: String
  }

  /// The changed runs of lines of a file change, top to bottom, without context.
  static func lineReplacements(_ change: Plan.FileChange) -> [LineReplacement] {
    let old = Plan.lines(change.original ?? "")
    let new = Plan.lines(change.content)
    var result: [LineReplacement] = []
    var current: LineReplacement?
    var line = 0
    for operation in UnifiedDiff.operations(old, new) {
      switch operation {
      case .keep:
        if let done = current { result.append(done) }
        current = nil
        line += 1
      case .delete:
        if current == nil { current = LineReplacement(start: line, end: line, inserted: "") }
        current!.end += 1
        line += 1
      case .insert(let text):
        if current == nil { current = LineReplacement(start: line, end: line, inserted: "") }
        current!.inserted += text
      }
    }
    if let done = current { result.append(done) }
    return result
  }

  /// The deleted region of a replacement: from column 1 of its first line to column 1 of the
  /// line after its last; a last line without a newline ends where the line ends.
  static func region(_ replacement: LineReplacement, in change: Plan.FileChange) -> Region {
    let old = Plan.lines(change.original ?? "")
    let startLine = replacement.start + 1
    if replacement.end == old.count, replacement.end > replacement.start, let last = old.last, !Plan.endsWithNewline(last) {
      // endColumn absent: the end of endLine, newline excluded (SARIF 2.1.0 §3.30.2).
      return Region(startLine: startLine, startColumn: 1, endLine: replacement.end)
    }
    return Region(startLine: startLine, startColumn: 1, endLine: replacement.end + 1, endColumn: 1)
  }

  // MARK: Names

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }

  /// `s2i-no-app-to-run` → `S2iNoAppToRun`.
  static func ruleName(_ id: String) -> String {
    id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  /// A path as a URI reference: relative paths stay relative, absolute ones become `file://`.
  static func uriReference(_ path: String) -> String {
    let encoded = path.addingPercentEncoding(withAllowedCharacters: uriPathCharacters) ?? path
    return path.hasPrefix("/") ? "file://" + encoded : encoded
  }

  static func directoryURI(_ path: String) -> String {
    let uri = uriReference(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    return uri.hasSuffix("/") ? uri : uri + "/"
  }

  /// RFC 3986 path characters, less `:` (which would read as a scheme in a first segment).
  static let uriPathCharacters = CharacterSet(
    charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/!$&'()*+,;=@")

  func notification(_ diagnostic: Diagnostic) -> Notification {
    var location: Location?
    if let file = diagnostic.file ?? diagnostic.location?.file {
      let region = diagnostic.location.flatMap { $0.line >= 1 ? Region(startLine: $0.line, startColumn: max(1, $0.column)) : nil }
      let artifact =
        file == "-" || file == "<stdin>"
        ? ArtifactLocation(description: Message(text: "standard input")) : ArtifactLocation(uri: Self.uriReference(file))
      location = Location(id: nil, physicalLocation: PhysicalLocation(artifactLocation: artifact, region: region), logicalLocations: nil)
    }
    return Notification(
      level: diagnostic.level == .error ? "error" : "warning", message: Message(text: diagnostic.message), locations: location.map { [$0] })
  }

  // MARK: The SARIF objects logrx writes (a subset of the schema)

  struct Log: Encodable {
    let schema: String
    let version: String
    let runs: [Run]
    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable {
    let tool: Tool
    let invocations: [Invocation]
    let originalUriBaseIds: [String: ArtifactLocation]?
    let columnKind: String
    let results: [Result]
    let properties: RunProperties
  }

  struct Tool: Encodable { let driver: Driver }

  struct Driver: Encodable {
    let name: String
    let version: String
    let semanticVersion: String
    let rules: [ReportingDescriptor]
  }

  struct Invocation: Encodable {
    let executionSuccessful: Bool
    let toolExecutionNotifications: [Notification]?
  }

  struct Notification: Encodable {
    let level: String
    let message: Message
    let locations: [Location]?
  }

  struct RunProperties: Encodable {
    let inputs: [String]
    let lines: Int
    let bytes: Int
    let findings: Int
    let rootCauses: Int
    let errors: Int
    let warnings: Int
    let infos: Int
    /// With `scan --state`: findings of earlier runs resolved now, files that had nothing new.
    let resolved: Int?
    let unchangedFiles: Int?
  }

  struct ReportingDescriptor: Encodable {
    let id: String
    let name: String
    let shortDescription: Message
    let fullDescription: Message
    let help: Message
    let defaultConfiguration: Configuration
    let properties: RuleProperties
  }

  struct Configuration: Encodable { let level: String }

  struct RuleProperties: Encodable {
    let stage: String
    let tags: [String]
  }

  struct Message: Encodable {
    var text: String
    var markdown: String?
  }

  struct Result: Encodable {
    let ruleId: String
    let ruleIndex: Int?
    let level: String?
    let message: Message
    let locations: [Location]
    let relatedLocations: [Location]?
    let partialFingerprints: [String: String]
    let baselineState: String?
    let fixes: [Fix]?
    let properties: ResultProperties
  }

  struct Location: Encodable {
    let id: Int?
    let physicalLocation: PhysicalLocation
    let logicalLocations: [LogicalLocation]?
  }

  struct PhysicalLocation: Encodable {
    let artifactLocation: ArtifactLocation
    let region: Region?
  }

  struct ArtifactLocation: Encodable {
    var uri: String?
    var uriBaseId: String?
    var description: Message?
  }

  struct Region: Encodable {
    var startLine: Int
    var startColumn: Int?
    var endLine: Int?
    var endColumn: Int?
    var snippet: Snippet?
  }

  struct Snippet: Encodable { let text: String }

  struct LogicalLocation: Encodable {
    let name: String
    let fullyQualifiedName: String
  }

  struct Fix: Encodable {
    let description: Message
    let artifactChanges: [ArtifactChange]
  }

  struct ArtifactChange: Encodable {
    let artifactLocation: ArtifactLocation
    let replacements: [Replacement]
    let properties: ChangeProperties?
  }

  struct ChangeProperties: Encodable {
    /// The file does not exist yet: the one replacement inserts its whole content.
    let newFile: Bool?
    /// The git mode the file must have (`100755`), when it is new and executable or its mode changes.
    let mode: String?
  }

  struct Replacement: Encodable {
    let deletedRegion: Region
    let insertedContent: Snippet?
  }

  struct CommandProperty: Encodable {
    let run: String
    let why: String?
  }

  /// Every field is set for a finding of this run; a resolved one has only its source and history.
  struct ResultProperties: Encodable {
    let stage: String?
    let count: Int?
    let rootCause: Bool?
    let explains: [String]?
    let explainedBy: [String]?
    let predicted: Bool?
    let captures: [String: String]?
    let namespace: String?
    let pod: String?
    let container: String?
    let stream: String?
    /// The explanation, when it differs from the rule's help (other captures).
    let explanation: String?
    let commands: [CommandProperty]?
    /// The fix actions (as in JSON Lines), file edits only.
    let edits: [FixRecord]?
    let fixConflicts: [String]?
    let fixNotes: [String]?
    /// With `scan --state`: as in JSON Lines.
    let history: JSONLinesReporter.HistoryRecord?
  }
}
