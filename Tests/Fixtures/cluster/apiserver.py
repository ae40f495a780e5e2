#!/usr/bin/env python3
"""A stand-in Kubernetes API server for tests: serves the recorded responses under recorded/
to the real kubectl, on 127.0.0.1 only.

  apiserver.py --port 0 --kubeconfig /tmp/kubeconfig

prints `listening 127.0.0.1:PORT` on its first line and serves until killed (or until
--lifetime seconds have passed, 120 by default, so that a test that dies never leaves it
running). --healed POD serves that pod as running and ready, as a later scan would see it. Routes: discovery (/version, /api, /api/v1, /apis), pods, pod logs (container,
previous), events, each namespaced and across namespaces; every request for the namespace
`secret-ns` answers 403 with a real Status body. Unknown paths answer 404 and are logged to
stderr.
"""
import argparse, json, os, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDED = os.path.join(HERE, "recorded")
NAMESPACES = ["myproject", "other"]

HEALED = set()

def load(name):
    with open(os.path.join(RECORDED, name)) as f:
        data = json.load(f)
    # --healed POD: that pod runs again, ready and without restarts (a later run of a test).
    for item in data.get("items", []):
        if item.get("kind") == "Pod" and item["metadata"]["name"] in HEALED:
            for container in item["status"].get("containerStatuses", []):
                container.update(ready=True, restartCount=0, state={"running": {"startedAt": "2024-05-01T11:00:00Z"}}, lastState={})
            item["status"]["phase"] = "Running"
    return data

def as_list(data, kind):
    """A collection as the API server sends it (PodList, EventList); kubectl prints it as a List."""
    return {"apiVersion": "v1", "kind": kind, "metadata": {"resourceVersion": "48250"}, "items": data["items"]}

def with_timestamps(text, pod, container, previous):
    """`kubectl logs --timestamps`: the kubelet puts each line's RFC3339Nano receive time in
    front. The recordings keep no times, so the lines get one 37.5 ms apart from the start of
    the container run they belong to."""
    from datetime import datetime, timedelta
    started = "2024-05-01T10:00:00Z"
    for c in pod["status"].get("containerStatuses", []):
        if c["name"] == container:
            state = c.get("lastState" if previous else "state", {})
            for value in state.values():
                started = value.get("startedAt", started)
    t = datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ")
    out = []
    for i, line in enumerate(text.splitlines(keepends=True)):
        stamp = t + timedelta(microseconds=37500 * i + 118347)
        out.append(stamp.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z " + line)
    return "".join(out)

def status(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return code, body

RESOURCES = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": [
    {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
     "verbs": ["get", "list", "watch"], "shortNames": ["po"], "categories": ["all"]},
    {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
    {"name": "events", "singularName": "event", "namespaced": True, "kind": "Event",
     "verbs": ["get", "list", "watch"], "shortNames": ["ev"]},
    {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace",
     "verbs": ["get", "list"], "shortNames": ["ns"]},
]}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("APISERVER_VERBOSE"):
            sys.stderr.write("apiserver: " + (fmt % args) + "\n")

    def send(self, code, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        try:
            code, body = self.route(parts, query)
        except FileNotFoundError:
            code, body = status(404, "NotFound", f"the server could not find the requested resource")
        if isinstance(body, str):
            self.send(code, body.encode(), "text/plain")
        else:
            self.send(code, body)

    def route(self, parts, query):
        if parts == ["version"]:
            return 200, {"major": "1", "minor": "28", "gitVersion": "v1.28.6", "platform": "linux/amd64"}
        if parts == ["api"]:
            return 200, {"kind": "APIVersions", "versions": ["v1"],
                         "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
        if parts == ["apis"]:
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []}
        if parts == ["api", "v1"]:
            return 200, RESOURCES
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 4:
            ns = parts[3]
            if ns in NAMESPACES:
                return 200, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns},
                             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
            return status(404, "NotFound", f'namespaces "{ns}" not found', {"name": ns, "kind": "namespaces"})
        # /api/v1/namespaces/NS/...
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) >= 5:
            ns = parts[3]
            if ns == "secret-ns":
                # As the real API server words it: list for a collection, get for one object,
                # the subresource (pods/log) in the resource, the object's name in front.
                user = "system:serviceaccount:logrx:logrx"
                resource = parts[4]
                name = parts[5] if len(parts) >= 6 else None
                full = resource + ("/" + parts[6] if len(parts) >= 7 else "")
                verb = "get" if name else "list"
                subject = f'{resource} "{name}"' if name else resource
                details = {"kind": resource}
                if name:
                    details["name"] = name
                return status(403, "Forbidden",
                              f'{subject} is forbidden: User "{user}" cannot {verb} resource "{full}" in API group "" in the namespace "{ns}"',
                              details)
            if ns not in NAMESPACES:
                # As a real API server: listing in a namespace that does not exist is an empty
                # list; one object in it is NotFound.
                if len(parts) == 5 and parts[4] in ("pods", "events"):
                    return 200, as_list({"items": []}, "PodList" if parts[4] == "pods" else "EventList")
                return status(404, "NotFound", f'{parts[4]} "{parts[5]}" not found', {"name": parts[5], "kind": parts[4]})
            if parts[4:] == ["pods"]:
                return 200, as_list(load(f"pods-{ns}.json"), "PodList")
            if parts[4:] == ["events"]:
                return 200, as_list(load(f"events-{ns}.json"), "EventList")
            if len(parts) == 6 and parts[4] == "pods":
                pods = {p["metadata"]["name"]: p for p in load(f"pods-{ns}.json")["items"]}
                if parts[5] not in pods:
                    return status(404, "NotFound", f'pods "{parts[5]}" not found', {"name": parts[5], "kind": "pods"})
                return 200, pods[parts[5]]
            if len(parts) == 7 and parts[4] == "pods" and parts[6] == "log":
                pod = parts[5]
                container = query.get("container", [None])[0]
                previous = query.get("previous", ["false"])[0] == "true"
                pods = {p["metadata"]["name"]: p for p in load(f"pods-{ns}.json")["items"]}
                if pod not in pods:
                    return status(404, "NotFound", f'pods "{pod}" not found', {"name": pod, "kind": "pods"})
                if container is None:
                    container = pods[pod]["spec"]["containers"][0]["name"]
                name = f"{pod}.{container}{'.previous' if previous else ''}.log"
                path = os.path.join(RECORDED, "logs", ns, name)
                if not os.path.exists(path):
                    if previous:
                        return status(400, "BadRequest", f'previous terminated container "{container}" in pod "{pod}" not found')
                    return status(400, "BadRequest", f'container "{container}" in pod "{pod}" is waiting to start: trying and failing to pull image')
                with open(path) as f:
                    text = f.read()
                if query.get("timestamps", ["false"])[0] == "true":
                    text = with_timestamps(text, pods[pod], container, previous)
                return 200, text
        if parts == ["api", "v1", "pods"]:
            items = []
            for ns in NAMESPACES:
                items += load(f"pods-{ns}.json")["items"]
            return 200, as_list({"items": items}, "PodList")
        if parts == ["api", "v1", "events"]:
            items = []
            for ns in NAMESPACES:
                items += load(f"events-{ns}.json")["items"]
            return 200, as_list({"items": items}, "EventList")
        sys.stderr.write(f"apiserver: no route for {self.path}\n")
        return status(404, "NotFound", "the server could not find the requested resource")

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--kubeconfig")
    parser.add_argument("--namespace", default="myproject", help="the kubeconfig context's namespace")
    parser.add_argument("--lifetime", type=float, default=120)
    parser.add_argument("--healed", action="append", default=[], help="serve this pod as running and ready")
    args = parser.parse_args()
    HEALED.update(args.healed)
    # A test runner may start us with SIGTERM and SIGINT blocked: take them back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    port = server.server_address[1]
    if args.kubeconfig:
        with open(args.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters:
- name: standin
  cluster:
    server: http://127.0.0.1:{port}
contexts:
- name: standin
  context:
    cluster: standin
    namespace: {args.namespace}
    user: tester
current-context: standin
users:
- name: tester
  user:
    token: standin-token
""")
    print(f"listening 127.0.0.1:{port}", flush=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()

if __name__ == "__main__":
    main()
