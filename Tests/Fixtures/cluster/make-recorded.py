#!/usr/bin/env python3
"""Writes the recorded API responses the stand-in API server serves (run once; the output is
committed). Shapes follow `kubectl get pods -o json` of a real cluster, trimmed to what matters."""
import json, os

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "recorded")

def meta(name, ns, uid, owner=None):
    m = {"name": name, "namespace": ns, "uid": uid, "resourceVersion": "48211",
         "creationTimestamp": "2024-05-01T10:02:11Z",
         "labels": {"deploymentconfig": name.rsplit("-", 2)[0]} if owner else {}}
    if owner:
        m["ownerReferences"] = [{"apiVersion": "v1", "kind": "ReplicationController", "name": owner,
                                 "uid": uid[:-4] + "0000", "controller": True, "blockOwnerDeletion": True}]
    return m

def pod(name, ns, uid, phase, containers, owner=None, reason=None, message=None, conditions_ready=False):
    status = {"phase": phase, "hostIP": "10.0.131.7", "podIP": "10.128.2.41", "startTime": "2024-05-01T10:02:11Z",
              "qosClass": "Burstable",
              "conditions": [
                  {"type": "Initialized", "status": "True", "lastTransitionTime": "2024-05-01T10:02:11Z"},
                  {"type": "Ready", "status": "True" if conditions_ready else "False", "lastTransitionTime": "2024-05-01T10:02:40Z"},
                  {"type": "ContainersReady", "status": "True" if conditions_ready else "False", "lastTransitionTime": "2024-05-01T10:02:40Z"},
                  {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2024-05-01T10:02:11Z"}],
              "containerStatuses": containers}
    if reason: status["reason"] = reason
    if message: status["message"] = message
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(name, ns, uid, owner),
            "spec": {"containers": [{"name": c["name"], "image": c["image"]} for c in containers],
                     "restartPolicy": "Always", "serviceAccountName": "default", "nodeName": "worker-0"},
            "status": status}

def cstatus(name, image, ready, restarts, state, last=None):
    c = {"name": name, "image": image, "imageID": "", "ready": ready, "restartCount": restarts, "started": ready,
         "state": state, "lastState": last or {}, "containerID": "cri-o://" + "ab" * 32}
    return c

reg = "image-registry.openshift-image-registry.svc:5000"
myproject = [
    pod("django-1-abcde", "myproject", "5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50", "Running", [
        cstatus("django", f"{reg}/myproject/django@sha256:" + "1f" * 32, False, 5,
                {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s restarting failed container=django pod=django-1-abcde_myproject(5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50)"}},
                {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2024-05-01T10:20:01Z", "finishedAt": "2024-05-01T10:20:03Z", "containerID": "cri-o://" + "cd" * 32}})],
        owner="django-1"),
    pod("web-2-xyz12", "myproject", "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "Pending", [
        cstatus("web", "quay.io/acme/web:v2.1", False, 0,
                {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"quay.io/acme/web:v2.1\""}})],
        owner="web-2"),
    pod("worker-3-qwert", "myproject", "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "Running", [
        cstatus("worker", f"{reg}/myproject/worker@sha256:" + "2e" * 32, True, 2,
                {"running": {"startedAt": "2024-05-01T10:31:09Z"}},
                {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2024-05-01T10:25:00Z", "finishedAt": "2024-05-01T10:31:07Z", "containerID": "cri-o://" + "ef" * 32}})],
        owner="worker-3", conditions_ready=True),
    pod("db-1-healthy", "myproject", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "Running", [
        cstatus("postgresql", "registry.redhat.io/rhel9/postgresql-15:latest", True, 0,
                {"running": {"startedAt": "2024-05-01T09:58:00Z"}})],
        owner="db-1", conditions_ready=True),
    {**pod("django-1-build", "myproject", "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a", "Failed", [
        cstatus("sti-build", "quay.io/openshift/origin-docker-builder:4.14", False, 0,
                {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2024-05-01T10:00:02Z", "finishedAt": "2024-05-01T10:01:44Z", "containerID": "cri-o://" + "aa" * 32}})])},
]
other = [
    pod("api-4-zz9yx", "other", "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "Running", [
        cstatus("api", "quay.io/acme/api:1.0", True, 0, {"running": {"startedAt": "2024-05-01T08:00:00Z"}})],
        owner="api-4", conditions_ready=True),
]

def pod_list(items):
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}

def event(ns, name, reason, message, type_="Warning", count=1, kind="Pod"):
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{name}.17c9a{abs(hash(reason)) % 100000:05d}", "namespace": ns},
            "involvedObject": {"kind": kind, "namespace": ns, "name": name, "apiVersion": "v1"},
            "reason": reason, "message": message, "type": type_, "count": count,
            "firstTimestamp": "2024-05-01T10:05:00Z", "lastTimestamp": "2024-05-01T10:20:00Z",
            "source": {"component": "kubelet", "host": "worker-0"}}

events = [
    event("myproject", "web-2-xyz12", "Failed", 'Failed to pull image "quay.io/acme/web:v2.1": rpc error: code = Unknown desc = reading manifest v2.1 in quay.io/acme/web: manifest unknown', count=4),
    event("myproject", "web-2-xyz12", "BackOff", 'Back-off pulling image "quay.io/acme/web:v2.1"', count=40),
    event("myproject", "django-1-abcde", "BackOff", "Back-off restarting failed container django in pod django-1-abcde_myproject(5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50)", count=12),
    event("myproject", "db-1-healthy", "Started", "Started container postgresql", type_="Normal"),
]

builds = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
    {"apiVersion": "build.openshift.io/v1", "kind": "Build",
     "metadata": {"name": "django-1", "namespace": "myproject", "labels": {"buildconfig": "django"}},
     "spec": {"strategy": {"type": "Source"}},
     "status": {"phase": "Failed", "reason": "GenericBuildFailed", "message": "Generic Build failure - check logs for details.",
                "logSnippet": "ERROR: No matching distribution found for Django==1.4.22", "startTimestamp": "2024-05-01T10:00:02Z"}},
    {"apiVersion": "build.openshift.io/v1", "kind": "Build",
     "metadata": {"name": "django-2", "namespace": "myproject", "labels": {"buildconfig": "django"}},
     "spec": {"strategy": {"type": "Source"}}, "status": {"phase": "Complete"}},
]}

os.makedirs(os.path.join(out, "logs", "myproject"), exist_ok=True)
def dump(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
dump("pods-myproject.json", pod_list(myproject))
dump("pods-other.json", pod_list(other))
dump("events-myproject.json", {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": events})
dump("events-other.json", {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": []})
dump("builds-myproject.json", builds)
