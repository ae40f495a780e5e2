
import LogrxVocabulary

/// The sink at the end of the push pipeline: counts each new finding, hands it on rendered
/// (for `watch`, which prints it the moment it is seen), and stops the search once `limit`
/// findings have come (`--max-findings`).
public final class LiveFindings: FindingSink {
  /// At most this many findings are taken; nil: no limit.
  public let limit: Int?
  /// Findings taken so far.
  public private(set) var count = 0
  private let render: ((inout Finding) -> Void)?
  private let deliver: ((Finding) -> Void)?

  /// - Parameters:
  ///   - render: fills in a finding's texts before it is delivered.
  ///   - deliver: receives each finding as soon as it is seen; nil when only counting.
  public init(limit: Int? = nil, render: ((inout Finding) -> Void)? = nil, deliver: ((Finding) -> Void)? = nil) {
    self.limit = limit
    self.render = render
    self.deliver = deliver
  }

  /// Whether the limit stopped the search.
  public var reachedLimit: Bool { limit.map { count >= $0 } ?? false }

  public func accept(_ finding: Finding) -> Bool {
    count += 1
    if let deliver {
      var rendered = finding
      render?(&rendered)
      deliver(rendered)
    }
    return !reachedLimit
  }
}
