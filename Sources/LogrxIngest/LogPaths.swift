import LogrxMatching
import LogrxVocabulary

/// What a log file's path says about where its lines come from, in the layouts that hold
/// container logs:
///
/// - a node: `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log` (also rotated:
///   `0.log.20240501-101500`, `1.log.20240430-090000.gz`), and the symlinks
///   `/var/log/containers/<pod>_<namespace>_<container>-<container id>.log`;
/// - `oc adm must-gather` and `oc adm inspect`:
///   `namespaces/<namespace>/pods/<pod>/<container>/<container>/logs/{current,previous}.log`,
///   the pod's `namespaces/<namespace>/pods/<pod>/<pod>.yaml` and the namespace's
///   `namespaces/<namespace>/core/events.yaml`.
///
/// Paths are split on `/` and read from the end, so a prefix (the mount point, a must-gather
/// image folder, a path inside an archive) does not matter.
public enum LogPaths {
  public static func origin(forPath path: String) -> Origin {
    var origin = Origin(file: path)
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    if let (namespace, pod, container) = nodePod(parts) ?? nodeContainerLink(parts) ?? mustGather(parts) {
      origin.namespace = namespace
      origin.pod = pod
      origin.container = container
    } else if let (namespace, pod) = mustGatherResource(parts) {
      origin.namespace = namespace
      origin.pod = pod
    }
    return origin
  }

  /// `…/<namespace>_<pod>_<uid>/<container>/<file>`.
  static func nodePod(_ parts: [String]) -> (String, String, String)? {
    guard parts.count >= 3 else { return nil }
    let folder = parts[parts.count - 3].split(separator: "_", omittingEmptySubsequences: false)
    guard folder.count == 3, isUID(folder[2]), !folder[0].isEmpty, !folder[1].isEmpty else { return nil }
    let file = parts[parts.count - 1]
    guard file.first?.isNumber == true, file.contains(".log") else { return nil }
    return (String(folder[0]), String(folder[1]), parts[parts.count - 2])
  }

  /// `…/containers/<pod>_<namespace>_<container>-<64 hex>.log`.
  static func nodeContainerLink(_ parts: [String]) -> (String, String, String)? {
    guard parts.count >= 2, parts[parts.count - 2] == "containers", let name = parts.last, name.hasSuffix(".log") else { return nil }
    let fields = name.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
    guard fields.count == 3, let dash = fields[2].lastIndex(of: "-") else { return nil }
    let id = fields[2][fields[2].index(after: dash)...]
    guard id.count == 64, id.allSatisfy(\.isHexDigit) else { return nil }
    return (String(fields[1]), String(fields[0]), String(fields[2][..<dash]))
  }

  /// `…/namespaces/<ns>/pods/<pod>/<container>/<container>/logs/<file>.log`.
  static func mustGather(_ parts: [String]) -> (String, String, String)? {
    guard parts.count >= 8, parts[parts.count - 2] == "logs", parts.last?.hasSuffix(".log") == true else { return nil }
    let n = parts.count
    guard parts[n - 8] == "namespaces", parts[n - 6] == "pods" else { return nil }
    return (parts[n - 7], parts[n - 5], parts[n - 4])
  }

  /// `…/namespaces/<ns>/pods/<pod>/<pod>.yaml` (the pod's status) and
  /// `…/namespaces/<ns>/core/events.yaml` (the namespace's events).
  static func mustGatherResource(_ parts: [String]) -> (String, String?)? {
    let n = parts.count
    if n >= 5, parts[n - 5] == "namespaces", parts[n - 3] == "pods", parts[n - 1] == "\(parts[n - 2]).yaml" {
      return (parts[n - 4], parts[n - 2])
    }
    if n >= 4, parts[n - 4] == "namespaces", parts[n - 2] == "core", parts[n - 1].hasSuffix(".yaml") {
      return (parts[n - 3], nil)
    }
    return nil
  }

  /// A pod UID: 36 characters, hex digits and dashes (8-4-4-4-12).
  static func isUID(_ text: Substring) -> Bool {
    text.count == 36 && text.allSatisfy { $0.isHexDigit || $0 == "-" } && text.filter { $0 == "-" }.count == 4
  }

  /// Whether a must-gather file is the log of the container's previous run.
  public static func isPreviousRun(_ path: String) -> Bool { path.hasSuffix("/logs/previous.log") }
}
