/// A runtime failure, the one error type of logrx: what kind it is (``Code``), the message a
/// person reads (it names the file and says what happened and what was done about it), and
/// the file it concerns.
///
/// Problems in one input are reported as diagnostics and the run goes on; a ``LogrxError``
/// that ends a run gives exit status 2.
public struct LogrxError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Code: String, Sendable {
    /// An input could not be opened or read, or is damaged (gzip, tar).
    case cannotOpen, readFailed, truncatedGzip, corruptGzip, corruptArchive
    /// `--source` is not a folder; a fix's path leaves the tree or enters `.git`; a file
    /// changed under the plan; a write failed.
    case notADirectory, outsideTree, versionControl, conflict, writeFailed
    /// The scan state file cannot be used.
    case state
    /// The cluster client failed or could not be run.
    case cluster
  }

  public var code: Code
  public var message: String
  /// The file (or cluster object) the error concerns, when there is one.
  public var path: String?

  public init(_ code: Code, _ message: String, path: String? = nil) {
    self.code = code
    self.message = message
    self.path = path
  }

  public var description: String { message }

  // MARK: Inputs

  public static func cannotOpen(path: String, reason: String) -> LogrxError {
    LogrxError(.cannotOpen, "\(path): cannot open: \(reason)", path: path)
  }

  public static func readFailed(path: String, reason: String) -> LogrxError {
    LogrxError(.readFailed, "\(path): read failed: \(reason)", path: path)
  }

  public static func truncatedGzip(path: String, afterBytes bytes: Int) -> LogrxError {
    LogrxError(
      .truncatedGzip, "\(path): the gzip stream ends early (after \(bytes) decompressed bytes); analysed what was there", path: path)
  }

  public static func corruptGzip(path: String, reason: String) -> LogrxError {
    LogrxError(.corruptGzip, "\(path): corrupt gzip data (\(reason)); analysed what came before it", path: path)
  }

  public static func corruptArchive(path: String, reason: String) -> LogrxError {
    LogrxError(.corruptArchive, "\(path): damaged tar archive: \(reason); analysed the entries before it", path: path)
  }

  // MARK: Fixes

  public static func notADirectory(_ path: String) -> LogrxError {
    LogrxError(.notADirectory, "\(path): not a folder; --source takes the app's source folder", path: path)
  }

  public static func outsideTree(_ path: String) -> LogrxError {
    LogrxError(.outsideTree, "refusing '\(path)': it is outside the source tree", path: path)
  }

  /// The path is inside `.git` (or another version-control folder), also through a link.
  public static func versionControl(_ path: String) -> LogrxError {
    LogrxError(.versionControl, "refusing '\(path)': a fix never writes inside a version-control folder (.git, .hg, .svn, …)", path: path)
  }

  public static func conflict(path: String, reason: String) -> LogrxError {
    LogrxError(.conflict, "\(path): \(reason); left untouched", path: path)
  }

  public static func writeFailed(path: String, reason: String) -> LogrxError {
    LogrxError(.writeFailed, "\(path): cannot write: \(reason)", path: path)
  }

  // MARK: State and cluster

  public static func state(_ message: String, path: String? = nil) -> LogrxError { LogrxError(.state, message, path: path) }

  public static func cluster(_ message: String) -> LogrxError { LogrxError(.cluster, message) }
}
