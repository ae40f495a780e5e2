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

/// `logrx scan --cluster` with the real kubectl, against a stand-in API server on 127.0.0.1
/// that serves recorded responses (Tests/Fixtures/cluster), and a stand-in `oc` for builds.
@Suite(.serialized) struct ClusterScanTests {
  /// The stand-in API server and a kubeconfig that points at it.
  final class StandIn {
    let process = Process()
    let folder = Fixtures.temporaryDirectory()
    var kubeconfig: String { folder.appendingPathComponent("kubeconfig").path }

    init(healed: [String] = []) throws {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
      process.arguments =
        [Fixtures.path("Tests/Fixtures/cluster/apiserver.py"), "--port", "0", "--kubeconfig", kubeconfig, "--lifetime", "300"]
        + healed.flatMap { ["--healed", $0] }
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      try process.run()
      // The first line says the port once the server listens (and the kubeconfig is written).
      var line = Data()
      while !line.contains(0x0A) {
        let byte = pipe.fileHandleForReading.readData(ofLength: 1)
        if byte.isEmpty { break }
        line.append(byte)
      }
      #expect(String(decoding: line, as: UTF8.self).hasPrefix("listening 127.0.0.1:"))
    }

    deinit {
      // SIGKILL: a launcher may have blocked SIGTERM for everything it starts.
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      try? FileManager.default.removeItem(at: folder)
    }
  }

  /// The real kubectl from PATH (Debian's kubernetes-client, or another build).
  static var kubectl: String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/kubectl"
  }

  func scan(_ arguments: [String], _ standIn: StandIn, environment: [String: String] = [:]) throws -> CLI.Result {
    var env = ["KUBECONFIG": standIn.kubeconfig, "KUBECTL": Self.kubectl]
    env.merge(environment) { _, new in new }
    return try CLI.run(["scan", "--cluster", "--no-progress"] + arguments, environment: env)
  }

  static func found(_ jsonl: String) -> [String] {
    jsonl.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["type"] as? String == "finding", let source = object["source"] as? [String: Any]
      else { return nil }
      return "\(object["rule"] ?? "") \(source["namespace"] ?? "")/\(source["pod"] ?? "")"
    }.sorted()
  }

  @Test func theRealKubectlReadsTheUnwellPodsTheirLogsAndEvents() throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.kubectl), "kubectl is needed: apt-get install kubernetes-client")
    let standIn = try StandIn()
    let result = try scan(["--client", Self.kubectl, "-n", "myproject", "--format", "jsonl"], standIn)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      Self.found(result.stdout) == [
        "gunicorn-worker-oom-killed myproject/worker-3-qwert",
        "k8s-crashloop-backoff myproject/django-1-abcde",
        "k8s-image-pull-backoff myproject/web-2-xyz12",
        "k8s-oom-killed myproject/worker-3-qwert",
        // The app's mod_wsgi cannot load its script: the symptom of the KeyError, folded under it.
        "mod-wsgi-script-load-failed myproject/django-1-abcde",
        "openshift-build-failed myproject/django-1-build",
        "openshift-v2-env-missing myproject/django-1-abcde",
        "s2i-pip-install-failed myproject/django-1-build",
      ])
    // The healthy database is not read; the pod that never started says why it has no log.
    #expect(result.stderr.contains("4 of 5 pods need a look"))
    #expect(!result.stderr.contains("db-1-healthy"))
    #expect(result.stdout.contains(#"container \"web\" in pod \"web-2-xyz12\" is waiting to start"#))
    // The previous run's log was read: the KeyError is in both, the OOM only in the previous one.
    #expect(result.stdout.contains(#""file":"myproject/worker-3-qwert/worker.previous.log""#))
    #expect(result.stdout.contains(#""container":"django""#))
  }

  @Test func allNamespacesTheContextsNamespaceAndBuildsThroughOC() throws {
    let standIn = try StandIn()
    let all = try scan(["--client", Self.kubectl, "--all-namespaces", "--format", "jsonl"], standIn)
    #expect(all.stderr.contains("4 of 6 pods need a look"), "\(all.stderr)")
    // No -n: the kubeconfig context's namespace (myproject); with oc, failed builds are read too
    // (the build pod is already there, so its log is read once).
    let oc = try scan(["--client", Fixtures.path("Tests/Fixtures/cluster/bin/oc"), "--format", "jsonl"], standIn)
    #expect(oc.status == 1)
    #expect(Self.found(oc.stdout).filter { $0.hasPrefix("s2i-pip-install-failed") } == ["s2i-pip-install-failed myproject/django-1-build"])
  }

  @Test func aPodThatIsWellAgainHasItsFindingsResolved() throws {
    let state = Fixtures.temporaryDirectory().appendingPathComponent("state.sqlite").path
    defer { try? FileManager.default.removeItem(atPath: (state as NSString).deletingLastPathComponent) }
    let arguments = ["--client", Self.kubectl, "-n", "myproject", "--state", state, "--format", "jsonl"]
    let first = try scan(arguments, try StandIn())
    #expect(Self.found(first.stdout).count == 8)
    // The next run: the django pod was fixed and runs; the rest is as it was.
    let second = try scan(arguments, try StandIn(healed: ["django-1-abcde"]))
    #expect(second.stderr.contains("3 of 5 pods need a look"), "\(second.stderr)")
    #expect(Self.found(second.stdout).isEmpty, "nothing new")
    let resolved = second.stdout.split(separator: "\n").filter { $0.contains(#""type":"resolved""#) }
    #expect(resolved.count == 3)
    #expect(resolved.allSatisfy { $0.contains(#""pod":"django-1-abcde""#) })
    let history = try CLI.run(["history", "--state", state, "--status", "resolved"])
    #expect(history.stdout.contains("openshift-v2-env-missing") && history.stdout.contains("k8s-crashloop-backoff"))
  }

  @Test func errorsFromTheClientAreSaidClearly() throws {
    let standIn = try StandIn()
    let forbidden = try scan(["--client", Self.kubectl, "-n", "secret-ns"], standIn)
    #expect(forbidden.status == 2)
    #expect(forbidden.stderr.contains("Error from server (Forbidden)"))
    #expect(forbidden.stderr.contains("ask for view access"))
    // One forbidden namespace among others: said, and the others are read.
    let mixed = try scan(["--client", Self.kubectl, "-n", "secret-ns", "-n", "other"], standIn)
    #expect(mixed.status == 2)
    #expect(mixed.stderr.contains("0 of 1 pods need a look"))
    let loggedOut = try scan(["--client", Fixtures.path("Tests/Fixtures/cluster/bin/oc")], standIn, environment: ["OC_STANDIN_NOT_LOGGED_IN": "1"])
    #expect(loggedOut.status == 2)
    #expect(loggedOut.stderr.contains("You must be logged in to the server (Unauthorized) — log in first (`oc login`)"))
    // A server that is not there.
    let nowhere = standIn.folder.appendingPathComponent("nowhere").path
    try Data("apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n    server: http://127.0.0.1:9\ncontexts:\n- name: x\n  context: {cluster: x, user: u, namespace: myproject}\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n".utf8)
      .write(to: URL(fileURLWithPath: nowhere))
    let unreachable = try CLI.run(["scan", "--cluster", "--client", Self.kubectl], environment: ["KUBECONFIG": nowhere])
    #expect(unreachable.status == 2)
    #expect(unreachable.stderr.contains("cannot list pods in namespace myproject"))
    #expect(unreachable.stderr.contains("connection refused"))
  }

  /// No kube context at all (an empty kubeconfig, as on a fresh machine): say how to log in.
  @Test func withoutAContextItSaysHowToLogIn() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("kubeconfig").path
    try Data().write(to: URL(fileURLWithPath: empty))
    let result = try CLI.run(["scan", "--cluster", "--client", Self.kubectl, "--no-progress"], environment: ["KUBECONFIG": empty])
    #expect(result.status == 2)
    #expect(result.stderr.contains("no cluster is configured: log in first"), "\(result.stderr)")
    #expect(result.stderr.contains("KUBECONFIG or --kubeconfig"))
    // --kubeconfig hands the client a kubeconfig that has a context.
    let standIn = try StandIn()
    let given = try CLI.run(
      ["scan", "--cluster", "--client", Self.kubectl, "--kubeconfig", standIn.kubeconfig, "-n", "myproject", "--no-progress", "--format", "jsonl"],
      environment: ["KUBECONFIG": empty])
    #expect(given.status == 1, "\(given.stderr)")
    #expect(Self.found(given.stdout).contains("openshift-v2-env-missing myproject/django-1-abcde"))
  }
}
