import Foundation
import LogrxTestSupport
import Testing
import Yams

/// The files in deploy/ stay in step with the binary: they parse, and every flag they pass to
/// `logrx scan` is one that `logrx scan --help` lists.
@Suite struct DeployTests {
  static func documents(_ name: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: Fixtures.path("deploy/\(name)"), encoding: .utf8)
    return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
  }

  static func flags(in command: [String]) -> [String] {
    command.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }) }.map(String.init)
      .filter { $0.hasPrefix("--") }.map { String($0.prefix { $0 != "=" }) }
  }

  @Test func manifestsParseAndUseOnlyRealFlags() throws {
    let help = try CLI.run(["scan", "--help"]).stdout
    var kinds: [String] = []
    for file in ["namespace.yaml", "rbac.yaml", "cronjob.yaml", "daemonset.yaml"] {
      for document in try Self.documents(file) {
        #expect(document["apiVersion"] != nil, "\(file): a document without apiVersion")
        kinds.append(document["kind"] as? String ?? "?")
      }
    }
    #expect(kinds.sorted() == ["ClusterRole", "ClusterRoleBinding", "CronJob", "DaemonSet", "Namespace", "PersistentVolumeClaim", "ServiceAccount", "ServiceAccount"])

    let cron = try #require(Self.documents("cronjob.yaml").first { $0["kind"] as? String == "CronJob" })
    let cronSpec = (((cron["spec"] as? [String: Any])?["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])?["template"] as? [String: Any]
    let cronContainer = try #require(((cronSpec?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first)
    let cronArgs = try #require(cronContainer["args"] as? [String])
    #expect(cronArgs.prefix(2) == ["scan", "--cluster"])
    let daemon = try #require(Self.documents("daemonset.yaml").first { $0["kind"] as? String == "DaemonSet" })
    let podSpec = ((daemon["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
    let daemonContainer = try #require((podSpec?["containers"] as? [[String: Any]])?.first)
    let daemonArgs = try #require(daemonContainer["args"] as? [String])
    for flag in Self.flags(in: cronArgs) + Self.flags(in: daemonArgs) {
      #expect(help.contains(flag), "deploy/ passes \(flag), which logrx scan does not know")
    }
    // The node's logs are mounted read-only.
    let mounts = try #require(daemonContainer["volumeMounts"] as? [[String: Any]])
    #expect(mounts.contains { $0["mountPath"] as? String == "/var/log/pods" && $0["readOnly"] as? Bool == true })
    // The ClusterRole only reads.
    let role = try #require(Self.documents("rbac.yaml").first { $0["kind"] as? String == "ClusterRole" })
    let verbs = Set(((role["rules"] as? [[String: Any]]) ?? []).flatMap { $0["verbs"] as? [String] ?? [] })
    #expect(verbs.isSubset(of: ["get", "list", "watch"]))
  }
}
