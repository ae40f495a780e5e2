import Foundation
import GRDB
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend

/// The state a scheduled scan keeps between runs, in one SQLite file: how far each log file
/// was read, and the history of every finding (first and last seen, how often, its status).
///
/// A run happens inside one immediate transaction (``ScanState/run(_:)``): offsets and findings
/// are committed together at its end, so a run that is killed part-way leaves the state as it
/// was, and the next run reads the same bytes again: no finding is lost or counted twice. A
/// second run on the same state waits for the first (up to `busyTimeout`), then fails with a
/// clear error.
public final class ScanState {
  public let path: String
  let queue: DatabaseQueue


  public init(path: String, busyTimeout: TimeInterval = 30) throws(LogrxError) {
    self.path = path
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.label = "logrx-state"
    // A run writes every finding in one transaction: a page cache of 64 MiB keeps a large run
    // (tens of thousands of findings) from spilling pages to the file before its commit.
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      try Self.migrator.migrate(queue)
    } catch {
      throw .state("\(path): cannot use it as scan state: \(Self.explain(error))")
    }
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE file (
            path TEXT PRIMARY KEY NOT NULL,
            device INTEGER NOT NULL, inode INTEGER NOT NULL,
            head TEXT NOT NULL, headLength INTEGER NOT NULL,
            size INTEGER NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL,
            scannedAt REAL NOT NULL);
          CREATE TABLE finding (
            fingerprint TEXT PRIMARY KEY NOT NULL,
            rule TEXT NOT NULL, severity TEXT NOT NULL,
            namespace TEXT, pod TEXT, container TEXT, file TEXT NOT NULL, scope TEXT NOT NULL,
            message TEXT NOT NULL,
            firstSeen REAL NOT NULL, lastSeen REAL NOT NULL, count INTEGER NOT NULL,
            status TEXT NOT NULL, resolvedAt REAL);
          CREATE INDEX finding_status ON finding(status);
          CREATE TABLE run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            startedAt REAL NOT NULL, finishedAt REAL NOT NULL,
            files INTEGER NOT NULL, bytes INTEGER NOT NULL,
            findings INTEGER NOT NULL, new INTEGER NOT NULL, resolved INTEGER NOT NULL);
          """)
    }
    migrator.registerMigration("v2") { db in
      // `tail`: a hash of the bytes just before `offset`, so that a file truncated and written
      // again (copytruncate) past its old size, with the same first KiB, is not taken for the
      // same file grown. `token`: the run's delivery token (see ``OutputJournal``).
      try db.execute(
        sql: """
          ALTER TABLE file ADD COLUMN tail TEXT NOT NULL DEFAULT '';
          ALTER TABLE run ADD COLUMN token TEXT;
          CREATE INDEX run_token ON run(token);
          CREATE INDEX finding_scope ON finding(scope);
          """)
    }
    return migrator
  }

  static func explain(_ error: Error) -> String {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: return "another logrx run is using it (waited and gave up); try again when it ends"
      case .SQLITE_NOTADB: return "not an SQLite database (give a new file name, or remove it)"
      case .SQLITE_CORRUPT: return "the database is damaged; remove it to start afresh"
      case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
        return "cannot be written (\(error.message ?? "permission denied")); check the folder's permissions"
      default: return error.message ?? "\(error)"
      }
    }
    return "\(error)"
  }

  // MARK: A run

  /// Runs `body` in one immediate transaction; everything it records is committed together
  /// when it returns, and nothing when it throws or the process dies.
  public func run<T>(_ body: (StateRun) throws -> T) throws(LogrxError) -> T {
    try run(reportingTo: nil, body, deliver: { _ in })
  }

  /// Runs `body` in one immediate transaction, then `deliver`s its result before the commit,
  /// through an ``OutputJournal``: a delivery that throws rolls the run back (and its report
  /// file is cut back to where it was); a run killed before its commit has its report taken
  /// back from the file by the next run, which reports the same findings again.
  ///
  /// - Parameter fd: the descriptor the report goes to (its file, when it is one, is the one
  ///   the journal can cut back).
  public func run<T>(reportingTo fd: Int32?, _ body: (StateRun) throws -> T, deliver: (T) throws -> Void) throws(LogrxError) -> T {
    let journal = OutputJournal(statePath: path)
    let token = UUID().uuidString
    var entry: OutputJournal.Entry?
    do {
      var result: T?
      try queue.inTransaction(.immediate) { db in
        let run = StateRun(db: db, token: token)
        if let pending = journal.pending() {
          let committed = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM run WHERE token = ?)", arguments: [pending.token]) ?? false
          if !committed {
            let taken = OutputJournal.takeBack(pending)
            if pending.file == nil {
              run.notes.append("an earlier run was stopped before it committed; its findings are reported again (its report went to a pipe or terminal, which cannot be taken back)")
            } else if taken > 0 {
              run.notes.append("an earlier run was stopped before it committed: its partial report (\(taken) bytes) was taken back from \(pending.file!) and its findings are reported again")
            }
          }
          journal.end()
        }
        let value = try body(run)
        entry = try journal.begin(token: token, fd: fd)
        try deliver(value)
        result = value
        return .commit
      }
      journal.end()
      return result!
    } catch {
      // Not committed: what was delivered is taken back, as far as it can be.
      if let entry { OutputJournal.takeBack(entry) }
      journal.end()
      if let error = error as? LogrxError { throw error }
      throw .state("\(path): \(Self.explain(error))")
    }
  }

  /// Past findings, most recently seen first.
  public func history(limit: Int? = nil) throws(LogrxError) -> [FindingHistory] {
    do {
      return try queue.read { db in
        let rows = try Row.fetchAll(
          db, sql: "SELECT * FROM finding ORDER BY lastSeen DESC, rule" + (limit.map { " LIMIT \($0)" } ?? ""))
        return rows.map(FindingHistory.init(row:))
      }
    } catch {
      throw .state("\(path): \(Self.explain(error))")
    }
  }
}

/// A finding as the state remembers it.
public struct FindingHistory: Sendable, Codable, Equatable {
  public enum Status: String, Sendable, Codable {
    /// First seen in this run (or seen again after it was resolved).
    case new
    /// Seen in an earlier run and again now.
    case ongoing
    /// Not seen again although its source was read (or is gone).
    case resolved
  }

  public var fingerprint: String
  public var rule: String
  public var severity: String
  public var namespace: String?
  public var pod: String?
  public var container: String?
  public var file: String
  public var message: String
  public var firstSeen: Date
  public var lastSeen: Date
  public var count: Int
  public var status: Status
  public var resolvedAt: Date?

  enum CodingKeys: String, CodingKey {
    case fingerprint, rule, severity, namespace, pod, container, file, message
    case firstSeen = "first_seen"
    case lastSeen = "last_seen"
    case count, status
    case resolvedAt = "resolved_at"
  }

  init(row: Row) {
    fingerprint = row["fingerprint"]
    rule = row["rule"]
    severity = row["severity"]
    namespace = row["namespace"]
    pod = row["pod"]
    container = row["container"]
    file = row["file"]
    message = row["message"]
    firstSeen = Date(timeIntervalSince1970: row["firstSeen"])
    lastSeen = Date(timeIntervalSince1970: row["lastSeen"])
    count = row["count"]
    status = Status(rawValue: row["status"]) ?? .ongoing
    let resolved: Double? = row["resolvedAt"]
    resolvedAt = resolved.map(Date.init(timeIntervalSince1970:))
  }
}

/// How a file looked when it was read: enough to tell the same file grown, truncated,
/// rotated (renamed, same inode) or replaced.
public struct FileIdentity: Sendable, Equatable {
  public var device: Int64
  public var inode: Int64
  /// FNV-1a of the first `headLength` bytes.
  public var head: String
  public var headLength: Int
  public var size: Int64

  /// The first bytes hashed to recognise a file.
  public static let headBytes = 1024

  /// Reads the identity of an open file; `headLength` hashes that many bytes (a file read
  /// before, when it was shorter, is compared on what it had then).
  public static func of(fd: Int32, headLength: Int? = nil) -> FileIdentity? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    let size = Int64(info.st_size)
    let length = min(headLength ?? headBytes, Int(size))
    var bytes = [UInt8](repeating: 0, count: length)
    let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, 0) }
    guard got == length else { return nil }
    return FileIdentity(
      device: Int64(info.st_dev), inode: Int64(info.st_ino), head: StableHash.hex([String(decoding: bytes, as: UTF8.self), "\(length)"]),
      headLength: length, size: size)
  }

  /// A hash of the (up to) `headBytes` bytes just before `offset`: what was read last, to
  /// recognise on the next run that the bytes before the resume point are still the same.
  /// Nil when they cannot be read (the file is shorter now).
  public static func tail(fd: Int32, before offset: Int64) -> String? {
    let length = Int(min(Int64(headBytes), offset))
    var bytes = [UInt8](repeating: 0, count: length)
    let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset - Int64(length))) }
    guard got == length else { return nil }
    return StableHash.hex([String(decoding: bytes, as: UTF8.self), "\(length)"])
  }
}

/// What the state knows while a run is going on; every change is part of the run's
/// transaction.
public final class StateRun {
  let db: Database
  /// This run's delivery token, kept with the run when it commits.
  public let token: String
  /// What the state has to say about this run (an earlier run's report taken back).
  public var notes: [String] = []
  /// The files as the last run left them: a file renamed by rotation is looked up here, not
  /// in rows this run has already rewritten.
  private lazy var known: [KnownFile] = (try? Row.fetchAll(db, sql: "SELECT * FROM file").map(KnownFile.init)) ?? []
  /// ``known`` by path and by inode, so that each file is looked up in constant time.
  private lazy var knownByPath: [String: KnownFile] = Dictionary(known.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
  private lazy var knownByInode: [Int64: [KnownFile]] = Dictionary(grouping: known, by: \.inode)

  struct KnownFile {
    var path: String
    var device: Int64
    var inode: Int64
    var head: String
    var headLength: Int
    var offset: Int64
    var line: Int
    var size: Int64
    var tail: String

    init(row: Row) {
      path = row["path"]
      device = row["device"]
      inode = row["inode"]
      head = row["head"]
      headLength = row["headLength"]
      offset = row["offset"]
      line = row["line"]
      size = row["size"]
      tail = row["tail"]
    }
  }

  init(db: Database, token: String = UUID().uuidString) {
    self.db = db
    self.token = token
  }

  /// Where to start reading `path` now, and why (for people).
  public struct Resume: Sendable, Equatable {
    public var offset: Int64
    public var line: Int
    public var note: String?
  }

  /// Where reading `path` should start: after what an earlier run read of the same file (found
  /// under this path, or under the name it was rotated from), or at 0 for a new, replaced or
  /// truncated file.
  public func resume(path: String, fd: Int32) throws -> (Resume, FileIdentity?) {
    guard let current = FileIdentity.of(fd: fd) else { return (Resume(offset: 0, line: 1, note: nil), nil) }
    // This path first, then a file of the same inode under another name (rotated).
    let candidates = (knownByPath[path].map { [$0] } ?? []) + (knownByInode[current.inode] ?? []).filter { $0.path != path }
    for file in candidates where file.device == current.device && file.inode == current.inode {
      if current.size < file.offset || current.size < file.size {
        // Shorter than it was (copytruncate): whatever is there now is new.
        return (Resume(offset: 0, line: 1, note: "truncated since the last run; read again from the start"), current)
      }
      // The head is compared on as many bytes as were hashed then (the file may have grown).
      let head = file.headLength == current.headLength ? current.head : FileIdentity.of(fd: fd, headLength: file.headLength)?.head
      guard head == file.head else {
        if file.path == path {
          return (Resume(offset: 0, line: 1, note: "rewritten since the last run; read again from the start"), current)
        }
        continue
      }
      // The bytes before the resume point must be those read then: a file truncated and written
      // again past its old size, with the same banner, differs there.
      if !file.tail.isEmpty, FileIdentity.tail(fd: fd, before: file.offset) != file.tail {
        if file.path == path {
          return (Resume(offset: 0, line: 1, note: "truncated and written again since the last run; read again from the start"), current)
        }
        continue
      }
      return (Resume(offset: file.offset, line: file.line, note: file.path == path ? nil : "rotated from \(file.path)"), current)
    }
    let replaced = knownByPath[path] != nil
    return (Resume(offset: 0, line: 1, note: replaced ? "replaced since the last run; read from the start" : nil), current)
  }

  /// Records how far `path` has been read; `tail` is ``FileIdentity/tail(fd:before:)`` at `offset`.
  public func record(path: String, identity: FileIdentity, offset: Int64, line: Int, tail: String, at time: Date) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO file (path, device, inode, head, headLength, size, offset, line, scannedAt, tail)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(path) DO UPDATE SET device = excluded.device, inode = excluded.inode, head = excluded.head,
          headLength = excluded.headLength, size = excluded.size, offset = excluded.offset, line = excluded.line,
          scannedAt = excluded.scannedAt, tail = excluded.tail
        """
    ).execute(
      arguments: [
        path, identity.device, identity.inode, identity.head, identity.headLength, identity.size, offset, line,
        time.timeIntervalSince1970, tail,
      ])
  }

  /// Forgets files under `roots` that are no longer there (rotated away, pod deleted).
  public func forgetMissingFiles(under roots: [String], present: Set<String>) throws {
    let paths = try String.fetchAll(db, sql: "SELECT path FROM file")
    for path in paths where !present.contains(path) && roots.contains(where: { ScanJob.isUnder(path, $0) }) {
      try db.execute(sql: "DELETE FROM file WHERE path = ?", arguments: [path])
    }
  }

  /// Records this run's findings and decides each one's status; findings of earlier runs that
  /// did not come back although their scope was read again (or is gone) become resolved.
  ///
  /// - Parameters:
  ///   - findings: this run's findings.
  ///   - readScopes: the scopes (see ``StateRun/scope(of:)``) that had new lines in this run.
  ///   - isGone: whether a finding (its scope and file) is gone: its log file was deleted, or
  ///     its pod is no longer among the unwell ones of a cluster.
  /// - Returns: the history of each of this run's findings (by fingerprint), and those that
  ///   were resolved now.
  public func record(
    findings: [Finding], readScopes: Set<String>, isGone: (_ scope: String, _ file: String) -> Bool, at time: Date
  ) throws -> (seen: [String: FindingHistory], resolved: [FindingHistory]) {
    let now = time.timeIntervalSince1970
    var seen: [String: FindingHistory] = [:]
    for finding in findings {
      let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM finding WHERE fingerprint = ?"), arguments: [finding.fingerprint])
      let status: FindingHistory.Status
      if let existing, existing["status"] as String != FindingHistory.Status.resolved.rawValue {
        status = .ongoing
        // Where it was seen last (a newer pod of the same deployment) decides when it resolves.
        try db.cachedStatement(
          sql: """
            UPDATE finding SET lastSeen = ?, count = count + ?, status = ?, message = ?, resolvedAt = NULL,
              namespace = ?, pod = ?, container = ?, file = ?, scope = ?
            WHERE fingerprint = ?
            """
        ).execute(
          arguments: [
            now, finding.count, status.rawValue, finding.message, finding.source.namespace, finding.source.pod,
            finding.source.container, finding.source.file, Self.scope(of: finding.source), finding.fingerprint,
          ])
      } else {
        status = .new
        try db.cachedStatement(
          sql: """
            INSERT INTO finding (fingerprint, rule, severity, namespace, pod, container, file, scope, message,
              firstSeen, lastSeen, count, status, resolvedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            ON CONFLICT(fingerprint) DO UPDATE SET lastSeen = excluded.lastSeen, count = finding.count + excluded.count,
              status = excluded.status, message = excluded.message, resolvedAt = NULL, namespace = excluded.namespace,
              pod = excluded.pod, container = excluded.container, file = excluded.file, scope = excluded.scope
            """
        ).execute(
          arguments: [
            finding.fingerprint, finding.rule.id, finding.rule.severity.rawValue, finding.source.namespace,
            finding.source.pod, finding.source.container, finding.source.file, Self.scope(of: finding.source),
            finding.message, now, now, finding.count, status.rawValue,
          ])
      }
      if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM finding WHERE fingerprint = ?"), arguments: [finding.fingerprint]) {
        seen[finding.fingerprint] = FindingHistory(row: row)
      }
    }
    var resolved: [FindingHistory] = []
    let open = try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE status != 'resolved'")
    for row in open {
      let fingerprint: String = row["fingerprint"]
      let scope: String = row["scope"]
      let file: String = row["file"]
      guard seen[fingerprint] == nil, readScopes.contains(scope) || isGone(scope, file) else { continue }
      try db.cachedStatement(sql: "UPDATE finding SET status = 'resolved', resolvedAt = ? WHERE fingerprint = ?").execute(arguments: [now, fingerprint])
      if let updated = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM finding WHERE fingerprint = ?"), arguments: [fingerprint]) {
        resolved.append(FindingHistory(row: updated))
      }
    }
    return (seen, resolved)
  }

  /// The findings that are not resolved (new or ongoing), most recently seen first.
  public func openFindings() throws -> [FindingHistory] {
    try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE status != 'resolved' ORDER BY lastSeen DESC, rule").map(FindingHistory.init(row:))
  }

  /// How many findings all runs so far found new.
  public func newFindingsTotal() throws -> Int {
    try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(new), 0) FROM run") ?? 0
  }

  /// Records the run itself.
  public func recordRun(started: Date, finished: Date, files: Int, bytes: Int, findings: Int, new: Int, resolved: Int) throws {
    try db.execute(
      sql: "INSERT INTO run (startedAt, finishedAt, files, bytes, findings, new, resolved, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [started.timeIntervalSince1970, finished.timeIntervalSince1970, files, bytes, findings, new, resolved, token])
  }

  /// The part of the cluster a finding or an input belongs to, for deciding that it is
  /// resolved: its container when the log says which (`pod:<namespace>/<pod>/<container>`),
  /// else its file.
  public static func scope(of source: Origin) -> String {
    if let pod = source.pod { return "pod:\(source.namespace ?? "")/\(pod)/\(source.container ?? "")" }
    return "file:\(source.file)"
  }
}
