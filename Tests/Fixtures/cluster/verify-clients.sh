#!/usr/bin/env bash
# Runs the exact client commands `logrx scan --cluster` relies on against the stand-in API
# server and the stand-in oc, with the real kubectl given as $1 (default: kubectl on PATH),
# and checks each exit code and a line of each output. Prints `N passed, N failed`.
#   Tests/Fixtures/cluster/verify-clients.sh /usr/bin/kubectl
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kubectl="${1:-kubectl}"
work="$(mktemp -d)"
python3 "$here/apiserver.py" --port 0 --kubeconfig "$work/kubeconfig" --lifetime 120 >"$work/out" 2>"$work/err" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/out" ] && break; sleep 0.1; done
K="$work/kubeconfig"
passed=0 failed=0
check() { # want-rc pattern client args...
  local rc_want="$1" pattern="$2"; shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"; local rc=$?
  if [ "$rc" -eq "$rc_want" ] && cat "$work/stdout" "$work/stderr" | grep -qE -- "$pattern"; then
    passed=$((passed + 1)); echo "ok   rc=$rc ${*#"$kubectl"}"
  else
    failed=$((failed + 1)); echo "FAIL rc=$rc (want $rc_want, /$pattern/) $*"; head -5 "$work/stdout" "$work/stderr"
  fi
}
ck() { check "$1" "$2" "$kubectl" --kubeconfig "$K" "${@:3}"; }
ck 0 '"restartCount": 5' get pods -n myproject -o json
ck 0 '"name": "api-4-zz9yx"' get pods --all-namespaces -o json
ck 0 '"reason": "ImagePullBackOff"' get pods -n myproject -o json
ck 0 '"reason": "OOMKilled"' get pods -n myproject -o json
ck 0 "KeyError: 'OPENSHIFT_REPO_DIR'" logs -n myproject django-1-abcde -c django
ck 0 "KeyError: 'OPENSHIFT_REPO_DIR'" logs -n myproject django-1-abcde -c django --previous
ck 0 "^2024-05-01T10:20:01\.[0-9]{9}Z ---> Running application" logs -n myproject django-1-abcde -c django --previous --timestamps
ck 0 'No matching distribution found' logs -n myproject django-1-build -c sti-build
ck 0 'database system is ready' logs -n myproject db-1-healthy -c postgresql
ck 1 'Error from server \(BadRequest\): container "web" in pod "web-2-xyz12" is waiting to start' logs -n myproject web-2-xyz12 -c web
ck 1 'Error from server \(BadRequest\): previous terminated container "postgresql"' logs -n myproject db-1-healthy -c postgresql --previous
ck 0 'Failed to pull image' get events -n myproject -o json
ck 0 'Back-off pulling image' get events --all-namespaces -o json
ck 1 '^Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:logrx:logrx" cannot list resource "pods" in API group "" in the namespace "secret-ns"' get pods -n secret-ns -o json
ck 1 '^Error from server \(Forbidden\): events is forbidden: .* cannot list resource "events"' get events -n secret-ns -o json
ck 1 '^Error from server \(Forbidden\): pods "app-1-aaaaa" is forbidden: .* cannot get resource "pods"' logs -n secret-ns app-1-aaaaa -c app
ck 0 "\"items\": \\[\\]" get pods -n nope -o json
ck 1 "Error from server \\(NotFound\\)" logs -n nope x -c y
oc="$here/bin/oc"
export KUBECTL="$kubectl"
check 0 '^developer$' "$oc" whoami
check 0 '"reason": "GenericBuildFailed"' "$oc" --kubeconfig "$K" get builds -n myproject -o json
check 0 'No matching distribution found for Django==1.4.22' "$oc" --kubeconfig "$K" logs -n myproject build/django-1
check 0 '"restartCount": 5' "$oc" --kubeconfig "$K" get pods -n myproject -o json
check 0 "KeyError: 'OPENSHIFT_REPO_DIR'" "$oc" --kubeconfig "$K" logs -n myproject django-1-abcde -c django --previous
check 1 'Error from server \(Forbidden\)' "$oc" --kubeconfig "$K" get builds -n secret-ns -o json
OC_STANDIN_NOT_LOGGED_IN=1 check 1 '^error: You must be logged in to the server \(Unauthorized\)$' "$oc" get pods -n myproject -o json
if [ -s "$work/err" ]; then echo "apiserver stderr:"; cat "$work/err"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
