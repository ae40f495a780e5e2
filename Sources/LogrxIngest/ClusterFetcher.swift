import Foundation
import LogrxMatching
import LogrxVocabulary

/// Fetches what `scan --cluster` reads, with the cluster's own client (`oc`, or `kubectl`)
/// from PATH: the pods that are not well (not ready, restarting, waiting, failed), their logs
/// and previous logs, their events, and failed builds (with `oc`). Everything is written under
/// a folder, one file per log, each with the namespace, pod and container it comes from, and
/// then scanned like any other file.
public struct ClusterFetcher {
  /// The client and how to call it.
  public var client: String
  /// Namespaces to read; empty with `allNamespaces`.
  public var namespaces: [String]
  public var allNamespaces: Bool
  /// `--since`, as seconds since 1970: passed to the client as `--since-time`.
  public var since: Double?
  /// Each client call gives up after this long (`--request-timeout`).
  public var requestTimeout = 30
  /// A kubeconfig file for the client (`--kubeconfig`); nil: the client's own default.
  public var kubeconfig: String?
  /// logrx's own limit on each client call, in seconds (`--client-timeout`): a client that
  /// neither answers nor gives up (a hung exec plugin, a proxy that holds the connection) is
  /// stopped (SIGTERM, then SIGKILL) and the scan ends with a message.
  public var clientTimeout: Double = 60
  /// Where the fetched files go.
  public let folder: URL

  public init(client: String, namespaces: [String], allNamespaces: Bool, folder: URL) {
    self.client = client
    self.namespaces = namespaces
    self.allNamespaces = allNamespaces
    self.folder = folder
  }

  /// What was fetched: the files to scan, and problems that did not stop the fetch (one
  /// forbidden namespace, one log that could not be read).
  public struct Fetched {
    public var files: [ScanFile] = []
    public var diagnostics: [Diagnostic] = []
    /// Pods looked at, and those picked as not well.
    public var podsListed = 0
    public var podsPicked: [String] = []
  }

  /// The client to use: `oc` when it is on PATH, else `kubectl`.
  public static func defaultClient(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
    for name in ["oc", "kubectl"] {
      for folder in (path ?? "").split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    return nil
  }

  public func fetch() throws(LogrxError) -> Fetched {
    var fetched = Fetched()
    let scopes: [String?] = allNamespaces ? [nil] : namespaces.map { Optional($0) }
    var isOC = (client as NSString).lastPathComponent == "oc"
    for namespace in scopes {
      let where_ = namespace.map { "namespace \($0)" } ?? "all namespaces"
      let pods: PodList
      do {
        pods = try json(PodList.self, ["get", "pods"] + scope(namespace) + ["-o", "json"], what: "list pods in \(where_)")
      } catch where error.description.contains("forbidden") && namespace != nil && scopes.count > 1 {
        fetched.diagnostics.append(Diagnostic(.error, at: nil, error.description, file: namespace))
        continue
      }
      fetched.podsListed += pods.items.count
      let picked = pods.items.filter(\.isUnwell)
      var events: [Event] = []
      if !picked.isEmpty {
        do {
          events = try json(EventList.self, ["get", "events"] + scope(namespace) + ["-o", "json"], what: "list events in \(where_)").items
        } catch {
          fetched.diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: namespace ?? "cluster"))
        }
      }
      for pod in picked {
        guard let namespace = Self.checkedNamespace(pod.metadata.namespace ?? namespace ?? namespaces.first ?? "default", into: &fetched),
          Self.check(pod.metadata.name, as: .subdomain, what: "pod", in: namespace, into: &fetched)
        else { continue }
        fetched.podsPicked.append("\(namespace)/\(pod.metadata.name)")
        fetch(pod, namespace: namespace, events: events, into: &fetched)
      }
      if isOC {
        do {
          let builds = try json(BuildList.self, ["get", "builds"] + scope(namespace) + ["-o", "json"], what: "list builds in \(where_)")
          // A failed build whose pod is still there was read with the pods: its log is the pod's.
          for build in builds.items where build.status.isFailed {
            guard let namespace = Self.checkedNamespace(build.metadata.namespace ?? namespace ?? namespaces.first ?? "default", into: &fetched),
              Self.check(build.metadata.name, as: .subdomain, what: "build", in: namespace, into: &fetched)
            else { continue }
            let buildPod = "\(namespace)/\(build.metadata.name)-build"
            if !fetched.podsPicked.contains(buildPod) { fetch(build, namespace: namespace, into: &fetched) }
          }
        } catch {
          // Not OpenShift (no builds resource), or not allowed: builds are an extra.
          fetched.diagnostics.append(Diagnostic(.warning, at: nil, "builds not read: \(error.description)", file: namespace ?? "cluster"))
          isOC = false
        }
      }
    }
    return fetched
  }

  /// The namespace of the client's current context (`oc project -q`).
  public func currentNamespace() throws(LogrxError) -> String {
    let target = folder.appendingPathComponent(".namespace")
    defer { try? FileManager.default.removeItem(at: target) }
    try run(["config", "view", "--minify", "-o", "jsonpath={..namespace}"], stdout: target, what: "find the current namespace", timeout: false)
    let name = ((try? String(contentsOf: target, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    return name.isEmpty ? "default" : name
  }

  func scope(_ namespace: String?) -> [String] { namespace.map { ["-n", $0] } ?? ["--all-namespaces"] }

  // MARK: Pods

  /// Reads one pod's status, events and logs; `namespace` and the pod's name are valid names.
  func fetch(_ pod: Pod, namespace: String, events: [Event], into fetched: inout Fetched) {
    let podFolder = folder.appendingPathComponent(namespace).appendingPathComponent(pod.metadata.name)
    try? FileManager.default.createDirectory(at: podFolder, withIntermediateDirectories: true)
    // The pod's status and events, as `oc get pods` and `oc describe pod` show them.
    let status = podFolder.appendingPathComponent("status.txt")
    let podEvents = events.filter { $0.involvedObject.kind == "Pod" && $0.involvedObject.name == pod.metadata.name }
    try? Data(pod.describe(events: podEvents).utf8).write(to: status)
    fetched.files.append(file(status, namespace: namespace, pod: pod.metadata.name, container: nil))
    for container in pod.status.containerStatuses ?? [] {
      guard Self.check(container.name, as: .label, what: "container", in: "\(namespace)/\(pod.metadata.name)", into: &fetched) else { continue }
      var runs = [false]
      if container.restartCount > 0 || container.lastState?.terminated != nil { runs.append(true) }
      for previous in runs {
        let name = container.name + (previous ? ".previous.log" : ".log")
        let target = podFolder.appendingPathComponent(name)
        var arguments = ["logs", "-n", namespace, pod.metadata.name, "-c", container.name]
        if previous { arguments.append("--previous") }
        if let since { arguments.append("--since-time=\(Self.rfc3339(since))") }
        do {
          try run(arguments, stdout: target, what: "read the \(previous ? "previous " : "")log of \(namespace)/\(pod.metadata.name)/\(container.name)")
          fetched.files.append(file(target, namespace: namespace, pod: pod.metadata.name, container: container.name))
        } catch {
          // A container that never started has no log: say so, go on.
          fetched.diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: "\(namespace)/\(pod.metadata.name)"))
        }
      }
    }
  }

  // MARK: Names

  /// The two grammars of Kubernetes object names (RFC 1123): a label (namespaces,
  /// containers) and a subdomain (pods, builds).
  enum NameGrammar {
    case label, subdomain
  }

  /// Whether `name` follows the Kubernetes grammar. Names from the client's output become
  /// folder and file names under the fetch folder and arguments of the client, so anything
  /// else (`..`, `/`, a leading `-`, control bytes) is refused: no real cluster has such a name.
  static func isValid(_ name: String, as grammar: NameGrammar) -> Bool {
    let bytes = Array(name.utf8)
    guard !bytes.isEmpty, bytes.count <= (grammar == .label ? 63 : 253) else { return false }
    func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
    let parts = grammar == .label ? [bytes[...]] : bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    for part in parts {
      guard let first = part.first, let last = part.last, alphanumeric(first), alphanumeric(last), part.count <= 63,
        part.allSatisfy({ alphanumeric($0) || $0 == UInt8(ascii: "-") })
      else { return false }
    }
    return true
  }

  /// True when `name` is a valid name; otherwise an error diagnostic that shows the name
  /// escaped, and false.
  static func check(_ name: String, as grammar: NameGrammar, what: String, in scope: String, into fetched: inout Fetched) -> Bool {
    if isValid(name, as: grammar) { return true }
    let shown = name.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
    fetched.diagnostics.append(
      Diagnostic(
        .error, at: nil,
        "the client named a \(what) \"\(shown)\", which is not a Kubernetes name; it was not read (a damaged or hostile client output?)",
        file: scope))
    return false
  }

  static func checkedNamespace(_ name: String, into fetched: inout Fetched) -> String? {
    check(name, as: .label, what: "namespace", in: "cluster", into: &fetched) ? name : nil
  }

  // MARK: Builds

  /// Reads one failed build's log; `namespace` and the build's name are valid names.
  func fetch(_ build: Build, namespace: String, into fetched: inout Fetched) {
    // `_builds` is no pod's name (names have no `_`), so a pod's files never meet a build's.
    let buildFolder = folder.appendingPathComponent(namespace).appendingPathComponent("_builds")
    try? FileManager.default.createDirectory(at: buildFolder, withIntermediateDirectories: true)
    let target = buildFolder.appendingPathComponent("\(build.metadata.name).log")
    let pod = "\(build.metadata.name)-build"
    do {
      try run(["logs", "-n", namespace, "build/\(build.metadata.name)"], stdout: target, what: "read the log of build \(namespace)/\(build.metadata.name)")
    } catch {
      fetched.diagnostics.append(Diagnostic(.warning, at: nil, error.description, file: "\(namespace)/\(build.metadata.name)"))
      try? Data().write(to: target)
    }
    // The build's status line, as `oc get builds` shows it.
    if let handle = try? FileHandle(forWritingTo: target) {
      handle.seekToEndOfFile()
      handle.write(Data("\n\(build.metadata.name)   Source   -   \(build.status.phase) (\(build.status.reason ?? "GenericBuildFailed"))\n".utf8))
      try? handle.close()
    }
    fetched.files.append(file(target, namespace: namespace, pod: pod, container: nil))
  }

  func file(_ url: URL, namespace: String, pod: String, container: String?) -> ScanFile {
    let name = "\(namespace)/\(pod)/\(url.lastPathComponent)"
    let origin = Origin(file: name, namespace: namespace, pod: pod, container: container)
    return ScanFile(path: url.path, name: name, key: name, origin: origin)
  }

  // MARK: Running the client

  func json<T: Decodable>(_ type: T.Type, _ arguments: [String], what: String) throws(LogrxError) -> T {
    let target = folder.appendingPathComponent(".\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: target) }
    try run(arguments, stdout: target, what: what)
    do {
      return try JSONDecoder().decode(T.self, from: Data(contentsOf: target))
    } catch {
      throw .cluster("cannot \(what): \((client as NSString).lastPathComponent) gave output that is not the JSON expected (\(error))")
    }
  }

  /// Runs the client with its output into `stdout`; a non-zero exit becomes a ClusterError
  /// that says what the client said and what to do.
  func run(_ arguments: [String], stdout: URL, what: String, timeout: Bool = true) throws(LogrxError) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: client)
    process.arguments =
      arguments + (timeout ? ["--request-timeout=\(requestTimeout)s"] : []) + (kubeconfig.map { ["--kubeconfig=\($0)"] } ?? [])
    let errorFile = folder.appendingPathComponent(".\(UUID().uuidString).err")
    defer { try? FileManager.default.removeItem(at: errorFile) }
    do {
      guard FileManager.default.createFile(atPath: stdout.path, contents: nil),
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
      else { throw LogrxError.cluster("cannot write under \(folder.path)") }
      process.standardOutput = try FileHandle(forWritingTo: stdout)
      process.standardError = try FileHandle(forWritingTo: errorFile)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    } catch {
      throw .cluster("cannot run \(client): \(error.localizedDescription)")
    }
    if !RunningChildren.shared.wait(for: process, seconds: clientTimeout) {
      let name = (client as NSString).lastPathComponent
      throw .cluster(
        "cannot \(what): \(name) did not answer within \(Self.seconds(clientTimeout)) and was stopped; check the cluster address and network, or raise --client-timeout")
    }
    guard process.terminationStatus != 0 else { return }
    let said = ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    throw .cluster("cannot \(what): \(Self.advice(said, client: (client as NSString).lastPathComponent))")
  }

  /// The client's message, with what to do for the usual ones.
  static func advice(_ said: String, client: String) -> String {
    let firstLine = said.split(separator: "\n").first.map(String.init) ?? "exit status non-zero, no message"
    if said.contains("current-context must exist") || said.contains("context was not found") || said.contains("no configuration has been provided") {
      let login = client == "oc" ? "`oc login https://api.YOUR-CLUSTER:6443`" : "`kubectl config use-context NAME` (or your provider's login)"
      return "\(firstLine) — no cluster is configured: log in first (\(login)), or point KUBECONFIG or --kubeconfig at a kubeconfig file"
    }
    if said.contains("You must be logged in") || said.contains("Unauthorized") {
      return "\(firstLine) — log in first (`\(client == "oc" ? "oc login" : "kubectl config use-context")`), or set KUBECONFIG"
    }
    if said.contains("Forbidden") || said.contains("forbidden") {
      return "\(firstLine) — the account may not read this (forbidden); ask for view access, or give -n NAMESPACE for a namespace you can read"
    }
    if said.contains("Unable to connect") || said.contains("i/o timeout") || said.contains("deadline exceeded") || said.contains("Timeout") {
      return "\(firstLine) — the API server did not answer in time; check the cluster address and network"
    }
    if said.contains("couldn't get current server API group list") || said.contains("connection refused") {
      return "\(firstLine) — the API server cannot be reached; check the cluster address (`\(client) cluster-info`)"
    }
    return firstLine
  }

  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }

  static func rfc3339(_ seconds: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: seconds))
  }
}

/// The client processes running now, so that a signal that ends logrx (SIGINT, SIGTERM) can
/// stop them too instead of leaving them orphaned.
public final class RunningChildren: @unchecked Sendable {
  public static let shared = RunningChildren()
  private let lock = NSLock()
  private var pids: Set<Int32> = []

  private func add(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
  private func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }

  /// Stops every running client: SIGTERM, and SIGKILL to those still there after a moment.
  public func stopAll() {
    let running = lock.withLock { pids }
    for pid in running { Self.stop(pid) }
  }

  /// Waits for a started `process`, stopped by Ctrl-C with the others meanwhile; one still
  /// running after `seconds` is stopped. Returns false when it had to be stopped.
  package func wait(for process: Process, seconds: Double) -> Bool {
    add(process.processIdentifier)
    defer { remove(process.processIdentifier) }
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { usleep(5_000) }
    let finished = !process.isRunning
    if !finished { Self.stop(process.processIdentifier) }
    process.waitUntilExit()
    return finished
  }

  /// SIGTERM, then SIGKILL after up to a second.
  private static func stop(_ pid: Int32) {
    kill(pid, SIGTERM)
    for _ in 0..<100 {
      // Foundation's Process reaps it; once reaped, the pid is gone.
      if kill(pid, 0) != 0 { return }
      usleep(10_000)
    }
    kill(pid, SIGKILL)
  }
}
