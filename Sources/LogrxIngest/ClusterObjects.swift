import LogrxMatching
import LogrxVocabulary

/// The parts of the Kubernetes and OpenShift API objects that `scan --cluster` reads
/// (`kubectl get pods -o json` and friends).
struct ObjectMeta: Decodable {
  var name: String
  var namespace: String?
}

struct PodList: Decodable {
  var items: [Pod]
}

struct Pod: Decodable {
  var metadata: ObjectMeta
  var status: PodStatus

  struct PodStatus: Decodable {
    var phase: String?
    var reason: String?
    var message: String?
    var containerStatuses: [ContainerStatus]?
    var initContainerStatuses: [ContainerStatus]?
  }

  struct ContainerStatus: Decodable {
    var name: String
    var ready: Bool?
    var restartCount: Int
    var state: State?
    var lastState: State?
  }

  struct State: Decodable {
    var waiting: Waiting?
    var running: Running?
    var terminated: Terminated?
  }

  struct Waiting: Decodable {
    var reason: String?
    var message: String?
  }

  struct Running: Decodable {
    var startedAt: String?
  }

  struct Terminated: Decodable {
    var reason: String?
    var exitCode: Int?
    var message: String?
  }

  /// Not ready, restarting, waiting, failed or evicted; a completed pod (a finished build or
  /// job) is well.
  var isUnwell: Bool {
    let phase = status.phase ?? ""
    if phase == "Succeeded" { return false }
    if phase == "Failed" || status.reason != nil { return true }
    let containers = (status.initContainerStatuses ?? []) + (status.containerStatuses ?? [])
    if containers.isEmpty { return phase == "Pending" }
    return containers.contains { container in
      container.restartCount > 0 || container.state?.waiting != nil
        || (container.state?.terminated.map { ($0.exitCode ?? 0) != 0 } ?? false)
        || (container.state?.running != nil && container.ready == false)
    }
  }

  /// The status column of `oc get pods`.
  var statusColumn: String {
    if let reason = status.reason { return reason }
    for container in (status.initContainerStatuses ?? []) + (status.containerStatuses ?? []) {
      if let reason = container.state?.waiting?.reason { return reason }
      if let reason = container.state?.terminated?.reason, container.state?.terminated?.exitCode != 0 { return reason }
    }
    return status.phase ?? "Unknown"
  }

  /// The pod as `oc get pods` and `oc describe pod` show it, with its events.
  func describe(events: [Event]) -> String {
    let containers = status.containerStatuses ?? []
    let ready = containers.filter { $0.ready == true }.count
    let restarts = containers.map(\.restartCount).reduce(0, +)
    var out = "NAME   READY   STATUS   RESTARTS   AGE\n"
    out += "\(metadata.name)   \(ready)/\(containers.count)   \(statusColumn)   \(restarts)   -\n"
    out += "Name:         \(metadata.name)\nNamespace:    \(metadata.namespace ?? "")\nStatus:       \(status.phase ?? "Unknown")\n"
    if let reason = status.reason { out += "Reason:       \(reason)\n" }
    if let message = status.message { out += "Message:      \(message)\n" }
    out += "Containers:\n"
    for container in (status.initContainerStatuses ?? []) + containers {
      out += "  \(container.name):\n"
      out += Self.describe(container.state, title: "State")
      out += Self.describe(container.lastState, title: "Last State")
      out += "    Ready:          \(container.ready == true ? "True" : "False")\n    Restart Count:  \(container.restartCount)\n"
    }
    if !events.isEmpty {
      out += "Events:\n  Type     Reason   Age   From   Message\n"
      for event in events {
        out += "  \(event.type ?? "Normal")   \(event.reason ?? "")   -   -   \(event.message ?? "")\n"
      }
      // The `oc get events` form too, which names the pod.
      out += "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n"
      for event in events {
        out += "-   \(event.type ?? "Normal")   \(event.reason ?? "")   pod/\(metadata.name)   \(event.message ?? "")\n"
      }
    }
    return out
  }

  static func describe(_ state: State?, title: String) -> String {
    guard let state else { return "" }
    let label = (title + ":").padding(toLength: 16, withPad: " ", startingAt: 0)
    if let waiting = state.waiting {
      return "    \(label)Waiting\n      Reason:       \(waiting.reason ?? "")\n" + (waiting.message.map { "      Message:      \($0)\n" } ?? "")
    }
    if let terminated = state.terminated {
      return "    \(label)Terminated\n      Reason:       \(terminated.reason ?? "")\n      Exit Code:    \(terminated.exitCode ?? 0)\n"
        + (terminated.message.map { "      Message:      \($0)\n" } ?? "")
    }
    if state.running != nil { return "    \(label)Running\n" }
    return ""
  }
}

struct EventList: Decodable {
  var items: [Event]
}

struct Event: Decodable {
  var involvedObject: InvolvedObject
  var reason: String?
  var message: String?
  var type: String?

  struct InvolvedObject: Decodable {
    var kind: String?
    var name: String?
    var namespace: String?
  }
}

struct BuildList: Decodable {
  var items: [Build]
}

struct Build: Decodable {
  var metadata: ObjectMeta
  var status: BuildStatus

  struct BuildStatus: Decodable {
    var phase: String
    var reason: String?
    var message: String?

    var isFailed: Bool { phase == "Failed" || phase == "Error" }
  }
}
