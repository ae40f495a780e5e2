import LogrxMatching

/// How bad a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
  case info, warning, error

  var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Where in the life of an application a failure happens. Root causes are reported in this
/// order: a build problem comes before the deploy and runtime problems it leads to.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
  case build, deploy, runtime, platform

  var rank: Int {
    switch self {
    case .build: 0
    case .deploy: 1
    case .runtime: 2
    case .platform: 3
    }
  }

  public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rank < rhs.rank }
}

/// What a rule attaches to a hit as its evidence.
public enum RuleContext: String, Sendable, Codable {
  /// The hit line alone.
  case line
  /// The Python traceback that ends at the hit line.
  case pythonTraceback = "python-traceback"
}

/// One signature of a rule: a compiled regex and the needles that prefilter it.
public struct Signature: Sendable {
  package init(regex: Regex, needles: [String]? = nil, declaredLiteral: Bool, within: Regex? = nil, contributesOnly: Bool = false) {
    self.regex = regex
    self.needles = needles
    self.declaredLiteral = declaredLiteral
    self.within = within
    self.contributesOnly = contributesOnly
  }

  public var regex: Regex
  /// Strings that every match contains; `nil` means the regex runs on every line.
  public var needles: [String]?
  /// Whether the needles were declared in the rule rather than derived.
  public var declaredLiteral: Bool
  /// Regex that the assembled event must match as well.
  public var within: Regex?
  /// True for a signature that makes no finding: its captures (the last hit's, before a
  /// finding of the rule in the same input) fill the captures that finding lacks
  /// (`contributes: true`; pip's `Collecting X==1.0` names the package its error does not).
  public var contributesOnly = false
}

/// A file that must exist (or must not), optionally with a line matching a regex.
public struct FileCondition: Sendable {
  package init(file: Template, regex: Template? = nil) {
    self.file = file
    self.regex = regex
  }

  public var file: Template
  /// A regex template: `${name}` is replaced by the finding's capture, regex-escaped.
  public var regex: Template?
}

/// A signature over an app's source tree: the failure predicted before any log shows it.
public struct SourceSignature: Sendable {
  package init(files: [Glob], signature: Signature? = nil, unless: [FileCondition], requires: [FileCondition], executable: Bool? = nil, pathAs: String? = nil) {
    self.files = files
    self.signature = signature
    self.unless = unless
    self.requires = requires
    self.executable = executable
    self.pathAs = pathAs
  }

  /// Which files of the tree to read.
  public var files: [Glob]
  /// The regex run on each line of those files; nil: the file's presence is the hit.
  public var signature: Signature?
  /// The prediction is dropped when one of these holds (the fix is already in place).
  public var unless: [FileCondition]
  /// The prediction holds only when all of these hold.
  public var requires: [FileCondition]
  /// When set, only files whose execute bit is this are read (a start script without it).
  public var executable: Bool? = nil
  /// When set, the file's path in the tree becomes this capture (one finding per file).
  public var pathAs: String? = nil
}

/// A table lookup that turns a capture into more captures.
public struct Lookup: Sendable {
  package init(table: String, key: String, prefix: String) {
    self.table = table
    self.key = key
    self.prefix = prefix
  }

  public var table: String
  public var key: String
  public var prefix: String
}

/// What a rule's claim rests on beyond its own lines (`assumes:` in a rule file): the input
/// must show one of the named contexts (`Rules/data/contexts.yaml`: an OpenShift or
/// Kubernetes log, an S2I build or image) or a finding of a corroborating rule. Without either,
/// a finding takes the severity `otherwise`, or is dropped when that is nil.
public struct Assumption: Sendable {
  package init(contexts: [String], corroboratedBy: [String], otherwise: Severity?) {
    self.contexts = contexts
    self.corroboratedBy = corroboratedBy
    self.otherwise = otherwise
  }

  /// Context names; any one of them seen in the input holds the claim.
  public var contexts: [String]
  /// Rule ids whose findings in the same input hold the claim too.
  public var corroboratedBy: [String]
  /// The severity without context or corroboration; nil: no finding at all.
  public var otherwise: Severity?
}

/// A log example carried by a rule.
public struct RuleExample: Sendable {
  package init(text: String, captures: [String: String], location: SourceLocation) {
    self.text = text
    self.captures = captures
    self.location = location
  }

  public var text: String
  /// Captures the finding must carry (for match examples).
  public var captures: [String: String]
  /// Where the example is written in the rule file.
  public var location: SourceLocation
}

/// A known failure: signatures that recognise it, and what to say and do about it.
public struct Rule: Sendable, Identifiable {
  package init(id: String, title: String, severity: Severity, stage: Stage, tags: [String], signatures: [Signature], sourceSignatures: [SourceSignature] = [], unless: [Signature], context: RuleContext, explains: [String], fingerprint: [String]? = nil, lookup: Lookup? = nil, assumption: Assumption? = nil, message: Template, explanation: Template, fixes: [ConditionalFix], matchExamples: [RuleExample], nomatchExamples: [RuleExample], file: String) {
    self.id = id
    self.title = title
    self.severity = severity
    self.stage = stage
    self.tags = tags
    self.signatures = signatures
    self.sourceSignatures = sourceSignatures
    self.unless = unless
    self.context = context
    self.explains = explains
    self.fingerprint = fingerprint
    self.lookup = lookup
    self.assumption = assumption
    self.message = message
    self.explanation = explanation
    self.fixes = fixes
    self.matchExamples = matchExamples
    self.nomatchExamples = nomatchExamples
    self.file = file
  }

  public var id: String
  public var title: String
  public var severity: Severity
  public var stage: Stage
  public var tags: [String]
  public var signatures: [Signature]
  /// Signatures over a source tree (`--source`), for predicted findings.
  public var sourceSignatures: [SourceSignature] = []
  /// Regexes whose presence anywhere in the same input drops this rule's findings.
  public var unless: [Signature]
  public var context: RuleContext
  /// Ids of the symptom rules that this rule explains.
  public var explains: [String]
  /// Capture names that tell findings apart; `nil` means all captures.
  public var fingerprint: [String]?
  public var lookup: Lookup?
  /// What the claim needs from the input beyond the rule's own lines (`assumes:`).
  public var assumption: Assumption?
  public var message: Template
  public var explanation: Template
  public var fixes: [ConditionalFix]
  public var matchExamples: [RuleExample]
  public var nomatchExamples: [RuleExample]
  /// The file the rule came from (a path, or `builtin:<area>/<id>.yaml`).
  public var file: String

  /// Every capture name any signature defines.
  public var captureNames: Set<String> {
    var names = Set<String>()
    for signature in signatures { names.formUnion(signature.regex.captureNames) }
    for source in sourceSignatures { names.formUnion(source.signature?.regex.captureNames ?? []) }
    return names
  }

  /// True when this rule's findings can only be decided at the end of the input.
  public var isDeferred: Bool { !unless.isEmpty }
}

/// A position in a text file, 1-based.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// A problem found in an input or a rule file. The run goes on.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Level: String, Sendable { case warning, error }
  public var level: Level
  public var location: SourceLocation?
  /// A plain file name when there is no line (for example a truncated gzip file).
  public var file: String?
  public var message: String

  public init(_ level: Level, at location: SourceLocation?, _ message: String, file: String? = nil) {
    self.level = level
    self.location = location
    self.file = file ?? location?.file
    self.message = message
  }

  public var description: String {
    let place = location.map { "\($0): " } ?? file.map { "\($0): " } ?? ""
    return "\(place)\(level.rawValue): \(message)"
  }
}
