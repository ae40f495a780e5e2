import LogrxMatching

/// Where a line, and so a finding, came from: its file and, when the log format or the
/// file's path says so, the namespace, pod, container and stream.
public struct Origin: Sendable, Hashable, Codable {
  /// The file, or `-` for standard input.
  public var file: String
  public var namespace: String?
  public var pod: String?
  public var container: String?
  public var stream: String?

  // Written out and inlinable: the log decoder compares and hashes an origin for every line
  // it reads, from another module.
  @inlinable public static func == (lhs: Origin, rhs: Origin) -> Bool {
    lhs.file == rhs.file && lhs.pod == rhs.pod && lhs.container == rhs.container && lhs.stream == rhs.stream
      && lhs.namespace == rhs.namespace
  }

  @inlinable public func hash(into hasher: inout Hasher) {
    hasher.combine(file)
    hasher.combine(namespace)
    hasher.combine(pod)
    hasher.combine(container)
    hasher.combine(stream)
  }

  public init(file: String, namespace: String? = nil, pod: String? = nil, container: String? = nil, stream: String? = nil) {
    self.file = file
    self.namespace = namespace
    self.pod = pod
    self.container = container
    self.stream = stream
  }

  /// The deployment config (or deployment, or build config) that owns the pod:
  /// `django-1-jfknz` → `django`, `django-5d9c8b7f6-x2k4p` → `django`, `django-1-build` → `django`.
  public var deploymentName: String? { pod.map(Self.owner(ofPod:)) }

  /// The build config of a build: `django-5` → `django`, `myproject/django-5` → `django`.
  public static func owner(ofBuild build: String) -> String {
    let name = build.split(separator: "/").last.map(String.init) ?? build
    guard let dash = name.lastIndex(of: "-"), Int(name[name.index(after: dash)...]) != nil else { return name }
    return String(name[..<dash])
  }

  public static func owner(ofPod pod: String) -> String {
    var parts = pod.split(separator: "-").map(String.init)
    guard parts.count >= 2 else { return pod }
    if parts.last == "build" || parts.last == "deploy" {
      parts.removeLast()
      if parts.count >= 2, Int(parts.last!) != nil { parts.removeLast() }
      return parts.joined(separator: "-")
    }
    let suffix = parts.last!
    if suffix.count == 5, suffix.allSatisfy({ $0.isLowercase || $0.isNumber }) {
      parts.removeLast()
      if parts.count >= 2, let last = parts.last,
        Int(last) != nil || (last.count >= 8 && last.count <= 10 && last.allSatisfy { $0.isHexDigit })
      {
        parts.removeLast()
      }
    }
    return parts.joined(separator: "-")
  }
}

/// One line of evidence.
public struct EvidenceLine: Sendable, Hashable, Codable {
  package init(line: Int, text: String) {
    self.line = line
    self.text = text
  }

  public var line: Int
  public var text: String
}

/// A rule recognised in the input: deduplicated, with its evidence and what to do.
public struct Finding: Sendable {
  package init(rule: Rule, source: Origin, firstLine: Int, lastLine: Int, count: Int, captures: [String: String], evidence: [EvidenceLine], fingerprint: String, message: String, explanation: String, fixes: [ResolvedFix], explains: [String] = [], explainedBy: [String] = [], sequence: Int) {
    self.rule = rule
    self.source = source
    self.firstLine = firstLine
    self.lastLine = lastLine
    self.count = count
    self.captures = captures
    self.evidence = evidence
    self.fingerprint = fingerprint
    self.message = message
    self.explanation = explanation
    self.fixes = fixes
    self.explains = explains
    self.explainedBy = explainedBy
    self.sequence = sequence
  }

  public var rule: Rule
  public var source: Origin
  public var firstLine: Int
  public var lastLine: Int
  public var count: Int
  public var captures: [String: String]
  /// The lines that show the failure: the traceback for traceback rules, the first few hit
  /// lines for others.
  public var evidence: [EvidenceLine]
  /// Stable across runs: rule id, fingerprint captures and the source's identity.
  public var fingerprint: String
  /// One line: the problem, then the remedy, with captures filled in.
  public var message: String
  public var explanation: String
  public var fixes: [ResolvedFix]
  /// Fingerprints of the symptoms this finding explains.
  public var explains: [String] = []
  /// Fingerprints of the causes that explain this finding.
  public var explainedBy: [String] = []
  /// The order in which findings were first seen in the run.
  public var sequence: Int
  /// True for a failure predicted from the source tree rather than seen in a log.
  public var predicted = false

  /// A root cause is a finding that nothing else in the input explains.
  public var isRootCause: Bool { explainedBy.isEmpty }
}

extension Character {
  fileprivate var isHexDigit: Bool { isNumber || ("a"..."f").contains(self) }
}

/// FNV-1a, 64 bits: a stable hash for fingerprints (Swift's `Hasher` is seeded per process).
package enum StableHash {
  package static func hex(_ parts: [String]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in parts {
      for byte in part.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
      }
      hash ^= 0xff
      hash = hash &* 0x100_0000_01b3
    }
    let text = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - text.count) + text
  }
}
