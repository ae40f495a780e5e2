#!/usr/bin/env bash
# scripts/e2e.sh APP_DIR
#
# Builds APP_DIR with the real S2I Python builder scripts (assemble, run) of
# sclorg/s2i-python-container and checks that the result serves the Django
# admin login page and its CSS, without docker: the builder image is emulated
# on this machine just enough for the scripts to run unchanged.
#
#   sudo S2I_PYTHON_CONTAINER=/path/to/s2i-python-container scripts/e2e.sh APP_DIR
#
# What is emulated (as the sclorg images and S2I do it):
#   * /opt/app-root is a virtualenv made from the local python3 and is active
#     (BASH_ENV=ENV=/opt/app-root/bin/activate, as in the Dockerfiles);
#     HOME=/opt/app-root/src is the working directory; the image environment
#     (PYTHON_VERSION, PYTHONUNBUFFERED, PYTHONIOENCODING, LC_ALL, LANG,
#     PIP_NO_CACHE_DIR, STI_SCRIPTS_PATH, APP_ROOT, PATH) is set with env -i.
#   * STI_SCRIPTS_PATH=/usr/libexec/s2i holds a copy of <version>/s2i/bin and
#     /opt/app-root/etc/generate_container_user comes from <version>/root.
#     fix-permissions and cgroup-limits (from the s2i-core image) are small
#     stand-ins in /opt/s2i-core-emulation/bin.
#   * Sources are copied to /tmp/src as the build user (.git left out, like
#     S2I's default exclude); .s2i/bin/{assemble,run} are moved out of them to
#     /tmp/scripts and made executable, and used instead of the builder's, as
#     S2I does. .s2i/environment is parsed like S2I does (KEY=VALUE lines,
#     lines starting with '#' skipped, key and value trimmed, no quoting or
#     expansion) and exported to both the build and the running application.
#   * assemble runs as UID 1001 GID 0 (the image's USER); run runs as a random
#     UID in group 0, as OpenShift does (nss_wrapper via generate_container_user).
#
# Environment:
#   S2I_PYTHON_CONTAINER  checkout of sclorg/s2i-python-container (required)
#   E2E_BUILDER_VERSION   version directory to use, e.g. 3.12 (default: the one
#                         matching the python minor version, else the closest)
#   E2E_PYTHON            interpreter the virtualenv is made from
#                         (default /usr/bin/python3). One that other users
#                         cannot run (a pyenv build under /root) is copied
#                         once to /opt/e2e-python/<name> and made relocatable
#                         (patchelf, paths in _sysconfigdata rewritten).
#   E2E_RUN_AS            random (default) or root (mod_wsgi-express refuses
#                         to serve as root, so root is for debugging only)
#   E2E_WAIT              seconds to wait for port 8080 (default 180)
#   E2E_BUILD_TIMEOUT     seconds allowed for assemble (default 1800)
#   E2E_ROUTE_HOST        Host name the checks use, resolved to 127.0.0.1
#                         (default django-e2e.apps.example.test)
#   E2E_CHECK             admin (default: the Django admin login page and its
#                         CSS) or root (any app: GET / must answer, after
#                         redirects, with a status below 500 other than 400:
#                         a 400 is Django refusing the route's host, not serving)
#   E2E_ENV_FILE          KEY=VALUE lines added to the running app's
#                         environment, as `oc set env` would (a database's
#                         Service and Secret; see scripts/realapps/e2e)
#   E2E_SKIP_APT          1: do not install Debian packages
#   E2E_PIP_CACHE         a folder for pip's cache, kept across runs (the image
#                         sets PIP_NO_CACHE_DIR=off, which disables it; with this
#                         set, pip reuses the wheels it built before, such as
#                         mod_wsgi's, which only makes repeated runs faster)
#   E2E_CLEAN             1: remove /opt/app-root at the end (default: keep it
#                         for inspection; it is rebuilt at every start anyway)
#
# Output: everything goes to the terminal and to /tmp/logrx-e2e/<run>/e2e.log;
# build.log and pod.log there are the raw assemble and run outputs.
# Exit status: 0 PASS, 1 FAIL, 2 usage or environment error.

set -uo pipefail

PORT=8080
APP_ROOT=/opt/app-root
APP_HOME_DIR=$APP_ROOT/src
SCRIPTS_PATH=/usr/libexec/s2i
EMU_BIN=/opt/s2i-core-emulation/bin
BUILD_UID=1001
ROUTE_HOST=${E2E_ROUTE_HOST:-django-e2e.apps.example.test}
WAIT_SECS=${E2E_WAIT:-180}
BUILD_TIMEOUT=${E2E_BUILD_TIMEOUT:-1800}
RUN_AS=${E2E_RUN_AS:-random}
PYTHON_BIN=${E2E_PYTHON:-/usr/bin/python3}

START_TS=$(date +%s)
RUN_ID=$(date +%Y%m%d-%H%M%S)-$$
WORK=/tmp/logrx-e2e/$RUN_ID

say() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
usage_error() { printf 'e2e.sh: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------- arguments --
if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
[[ $(id -u) -eq 0 ]] || usage_error "must run as root (it installs Debian packages, creates /opt/app-root and switches to UID $BUILD_UID and a random UID); try: sudo -E $0 $*"
[[ -n ${S2I_PYTHON_CONTAINER:-} ]] || usage_error "S2I_PYTHON_CONTAINER is not set: point it at a checkout of https://github.com/sclorg/s2i-python-container"
[[ -d $S2I_PYTHON_CONTAINER ]] || usage_error "S2I_PYTHON_CONTAINER=$S2I_PYTHON_CONTAINER is not a directory"
[[ -d $1 ]] || usage_error "APP_DIR '$1' is not a directory"
APP_DIR=$(readlink -f "$1")
case $APP_DIR/ in
  /tmp/src/*|/tmp/scripts/*|$APP_ROOT/*) usage_error "APP_DIR must not be under /tmp/src, /tmp/scripts or $APP_ROOT (they are recreated)" ;;
esac
[[ $RUN_AS == random || $RUN_AS == root ]] || usage_error "E2E_RUN_AS must be 'random' or 'root'"

mkdir -p "$WORK"
# One run at a time: /opt/app-root, /tmp/src and port 8080 are shared.
exec 9>/tmp/logrx-e2e/.lock
flock -w 900 9 || usage_error "another e2e.sh run holds /tmp/logrx-e2e/.lock (waited 900s)"
LOG=$WORK/e2e.log
exec > >(tee -a "$LOG") 2>&1
TEE_PID=$!

# ----------------------------------------------------------- result keeping --
declare -A RESULT=()
CHECK=${E2E_CHECK:-admin}
case $CHECK in
  admin) STAGES=(setup build start admin css) ;;
  root) STAGES=(setup build start root) ;;
  *) usage_error "E2E_CHECK must be 'admin' or 'root'" ;;
esac
set_result() { RESULT[$1]=$2; }
RUN_PID=
RUN_UID=

stop_app() {
  [[ -n $RUN_PID ]] || return 0
  local pgid=$RUN_PID i pids
  if kill -0 -- "-$pgid" 2>/dev/null; then
    say "stopping the application (process group $pgid)"
    kill -TERM -- "-$pgid" 2>/dev/null
    for ((i = 0; i < 20; i++)); do
      kill -0 -- "-$pgid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$pgid" 2>/dev/null
  fi
  wait "$RUN_PID" 2>/dev/null
  # Anything that left the process group but still runs as the random UID
  # was started by this run: end it by pid.
  if [[ -n $RUN_UID && $RUN_UID != 0 ]]; then
    pids=$(ps -o pid= -u "$RUN_UID" 2>/dev/null | tr -s ' \n' ' ')
    if [[ -n ${pids// /} ]]; then
      say "ending leftover processes of UID $RUN_UID: $pids"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null
    fi
  fi
  RUN_PID=
}

cleanup() {
  local rc=$?
  stop_app
  rm -rf /tmp/src /tmp/scripts
  if [[ -n $RUN_UID ]]; then rm -rf "/tmp/mod_wsgi-localhost:$PORT:$RUN_UID"; fi
  if [[ ${E2E_CLEAN:-0} == 1 ]]; then rm -rf "$APP_ROOT"; fi
  # Let tee write out the last lines before the shell exits.
  exec 1>&- 2>&-
  wait "$TEE_PID" 2>/dev/null
  return $rc
}
trap cleanup EXIT
trap 'say "interrupted"; exit 1' INT TERM

summary() {
  local overall=PASS s
  for s in "${STAGES[@]}"; do
    [[ ${RESULT[$s]:-SKIPPED} == OK* ]] || overall=FAIL
  done
  echo
  echo "================ logrx e2e summary ================"
  printf '%-12s %s\n' "app:" "$APP_DIR"
  printf '%-12s %s\n' "builder:" "${BUILDER_DESC:-?}"
  printf '%-12s %s\n' "python:" "${PYTHON_DESC:-?}"
  printf '%-12s %s\n' "users:" "assemble as UID $BUILD_UID GID 0, run as ${RUN_DESC:-(not reached)}"
  for s in "${STAGES[@]}"; do
    printf '%-12s %s\n' "$s:" "${RESULT[$s]:-SKIPPED}"
  done
  printf '%-12s %s s\n' "time:" "$(($(date +%s) - START_TS))"
  printf '%-12s %s\n' "logs:" "$WORK/{e2e,build,pod}.log"
  printf '%-12s %s\n' "result:" "$overall"
  echo "==================================================="
  [[ $overall == PASS ]]
}

finish() {
  stop_app
  if summary; then exit 0; else exit 1; fi
}

fail_setup() {
  set_result setup "FAIL: $*"
  finish
}

say "logrx e2e run $RUN_ID: $APP_DIR"

# ----------------------------------------------------------- Debian packages --
# What the builder image has and the build of a mod_wsgi app needs: Apache
# httpd and its headers (httpd, httpd-devel -> apache2, apache2-dev), gcc,
# python3-devel (-> python3-dev), nss_wrapper (-> libnss-wrapper), an
# en_US.UTF-8 locale (glibc-langpack-en -> locales).
PKGS=(apache2 apache2-dev gcc libc6-dev python3-dev python3-venv libnss-wrapper locales curl util-linux procps)
if [[ ${E2E_SKIP_APT:-0} != 1 ]]; then
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    # Keep apt from starting the apache2 service on port 80.
    made_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
    fi
    timeout 600 apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1
    apt_rc=$?
    ((made_policy)) && rm -f /usr/sbin/policy-rc.d
    if ((apt_rc != 0)); then
      tail -20 "$WORK/apt.log"
      fail_setup "apt-get install ${missing[*]} failed (see $WORK/apt.log)"
    fi
  fi
fi
for tool in setpriv curl timeout ps; do
  command -v "$tool" >/dev/null || fail_setup "'$tool' not found"
done
APXS=$(command -v apxs || command -v apxs2 || true)
[[ -n $APXS ]] || fail_setup "apxs not found (Debian package apache2-dev)"

LOCALE=en_US.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'en_US\.utf-\{0,1\}8'; then
  say "generating the en_US.UTF-8 locale (localedef)"
  localedef -i en_US -f UTF-8 en_US.UTF-8 2>/dev/null || {
    LOCALE=C.UTF-8
    say "WARNING: could not generate en_US.UTF-8, using C.UTF-8 instead"
  }
fi

# ------------------------------------------------------------------- python --
[[ -x $PYTHON_BIN ]] || fail_setup "E2E_PYTHON=$PYTHON_BIN is not executable"
PYVER=$("$PYTHON_BIN" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || fail_setup "cannot run $PYTHON_BIN"
PYFULL=$("$PYTHON_BIN" -c 'import platform; print(platform.python_version())')
"$PYTHON_BIN" -c 'import venv' 2>/dev/null || fail_setup "$PYTHON_BIN has no venv module (Debian package python3-venv)"
PYTHON_DESC="$PYTHON_BIN ($PYFULL)"

relocate_python() { # copy an installation other users cannot reach
  local py=$1 prefix dest exe
  prefix=$("$py" -c 'import sys; print(sys.base_prefix)') || return 1
  exe=$(basename "$(readlink -f "$py")")
  dest=/opt/e2e-python/$(basename "$prefix")
  if [[ ! -f $dest/.e2e-relocated-from || $(cat "$dest/.e2e-relocated-from") != "$prefix" ]]; then
    command -v patchelf >/dev/null || {
      DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq patchelf >"$WORK/apt-patchelf.log" 2>&1 || return 1
    }
    say "copying $prefix to $dest so that UID $BUILD_UID and a random UID can run it"
    rm -rf "$dest" && mkdir -p "$dest" && cp -a "$prefix/." "$dest/" || return 1
    patchelf --set-rpath '$ORIGIN/../lib' "$dest/bin/$exe" || return 1
    grep -rlIZ -- "$prefix" "$dest/bin" "$dest"/lib/python*/_sysconfigdata*.py "$dest"/lib/python*/config-* "$dest/lib/pkgconfig" 2>/dev/null |
      xargs -0 -r sed -i "s#$prefix#$dest#g"
    chmod -R a+rX "$dest"
    echo "$prefix" > "$dest/.e2e-relocated-from"
  fi
  RELOCATED=$dest/bin/$exe
}
if [[ $RUN_AS == random ]]; then
  # UID 1001 and a random UID must be able to run the interpreter the venv
  # points at (pyenv builds under /root are not).
  if ! setpriv --reuid=65534 --regid=65534 --clear-groups "$PYTHON_BIN" -c pass 2>/dev/null; then
    if relocate_python "$PYTHON_BIN" &&
       setpriv --reuid=65534 --regid=65534 --clear-groups "$RELOCATED" -c pass 2>/dev/null; then
      PYTHON_DESC="$RELOCATED ($PYFULL, copy of $PYTHON_BIN)"
      PYTHON_BIN=$RELOCATED
    else
      say "WARNING: $PYTHON_BIN is not usable by other users and could not be copied; building and running as root"
      RUN_AS=root
    fi
  fi
fi
if [[ $RUN_AS == root ]]; then BUILD_UID=0; fi

# ---------------------------------------------------------- builder version --
mapfile -t VERSIONS < <(cd "$S2I_PYTHON_CONTAINER" && for d in [0-9]*.[0-9]*; do
  [[ $d =~ ^[0-9]+\.[0-9]+$ && -f $d/s2i/bin/assemble && -f $d/s2i/bin/run ]] && echo "$d"
done | sort -V)
((${#VERSIONS[@]})) || fail_setup "no <version>/s2i/bin/{assemble,run} under $S2I_PYTHON_CONTAINER"
if [[ -n ${E2E_BUILDER_VERSION:-} ]]; then
  BUILDER_VERSION=$E2E_BUILDER_VERSION
  [[ -f $S2I_PYTHON_CONTAINER/$BUILDER_VERSION/s2i/bin/assemble ]] || fail_setup "no $BUILDER_VERSION/s2i/bin/assemble (have: ${VERSIONS[*]})"
  why="E2E_BUILDER_VERSION"
else
  # Same major, smallest distance in minor version; on a tie the newer one.
  BUILDER_VERSION= best=
  for v in "${VERSIONS[@]}"; do
    [[ ${v%%.*} == "${PYVER%%.*}" ]] || continue
    d=$((${v#*.} - ${PYVER#*.})); d=${d#-}
    if [[ -z $best ]] || ((d <= best)); then best=$d BUILDER_VERSION=$v; fi
  done
  [[ -n $BUILDER_VERSION ]] || fail_setup "no builder version for python $PYVER (have: ${VERSIONS[*]})"
  if [[ $BUILDER_VERSION == "$PYVER" ]]; then why="matches python $PYVER"; else why="closest to python $PYVER (have: ${VERSIONS[*]})"; fi
fi
BUILDER_SRC=$S2I_PYTHON_CONTAINER/$BUILDER_VERSION
BUILDER_REV=$(git -C "$S2I_PYTHON_CONTAINER" rev-parse --short HEAD 2>/dev/null || echo "no git metadata")
BUILDER_DESC="$BUILDER_SRC/s2i/bin ($why; $BUILDER_REV)"
say "builder scripts: $BUILDER_DESC"

# ----------------------------------------------------- emulated image layers --
say "creating the emulated builder image ($APP_ROOT, $SCRIPTS_PATH)"
port_is_free() { # curl exit 7: connection refused
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"
  [[ $? -eq 7 ]]
}
port_is_free || fail_setup "something already listens on 127.0.0.1:$PORT; stop it first"

mkdir -p "$EMU_BIN"
# s2i-core's fix-permissions: group 0 owns, group may read/write, group may
# execute what the owner may execute and every directory.
if [[ -f $S2I_PYTHON_CONTAINER/common/shared-scripts/core/usr/bin/fix-permissions ]]; then
  cp "$S2I_PYTHON_CONTAINER/common/shared-scripts/core/usr/bin/fix-permissions" "$EMU_BIN/fix-permissions"
else
  cat > "$EMU_BIN/fix-permissions" <<'EOF'
#!/bin/sh
# Stand-in for s2i-core's /usr/bin/fix-permissions DIR [-P|-L]. Never fails.
opt=${2:--L}
[ -e "$1" ] || { echo "ERROR: File or directory $1 does not exist." >&2; exit 0; }
own=""; [ "$(id -u)" -ne 0 ] && own="-uid $(id -u)"
find $opt "$1" $own ! -gid 0 -exec chgrp 0 {} + 2>/dev/null
find $opt "$1" $own ! -perm -g+rw -exec chmod g+rw {} + 2>/dev/null
find $opt "$1" $own -perm /u+x ! -perm /g+x -exec chmod g+x {} + 2>/dev/null
find $opt "$1" $own -type d ! -perm /g+x -exec chmod g+x {} + 2>/dev/null
exit 0
EOF
fi
cat > "$EMU_BIN/cgroup-limits" <<'EOF'
#!/bin/sh
# Stand-in for s2i-core's /usr/bin/cgroup-limits (cgroup v2 or nproc).
echo MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807
m=$(cat /sys/fs/cgroup/memory.max 2>/dev/null)
case $m in
  ''|max) echo MEMORY_LIMIT_IN_BYTES=9223372036854775807; echo NO_MEMORY_LIMIT=true ;;
  *) echo MEMORY_LIMIT_IN_BYTES=$m ;;
esac
echo NUMBER_OF_CORES=$(nproc)
EOF
# assemble calls python$BUILDER_VERSION -m venv for pipenv/micropipenv only.
rm -f "$EMU_BIN"/python[0-9]*
if [[ $BUILDER_VERSION != "$PYVER" ]]; then
  ln -s "$PYTHON_BIN" "$EMU_BIN/python$BUILDER_VERSION"
fi
chmod 755 "$EMU_BIN"/*

rm -rf "$SCRIPTS_PATH"
mkdir -p "$SCRIPTS_PATH"
cp "$BUILDER_SRC"/s2i/bin/* "$SCRIPTS_PATH"/
chmod 755 "$SCRIPTS_PATH"/*

if [[ $BUILD_UID != 0 ]] && ! getent passwd "$BUILD_UID" >/dev/null; then
  useradd -K SYS_UID_MAX="$BUILD_UID" -u "$BUILD_UID" -r -g 0 -d "$APP_HOME_DIR" -M -s /sbin/nologin -c "Default Application User" default ||
    fail_setup "useradd $BUILD_UID failed"
fi

rm -rf "$APP_ROOT"
mkdir -p "$APP_HOME_DIR/.pki/nssdb" "$APP_ROOT/etc"
"$PYTHON_BIN" -m venv "$APP_ROOT" || fail_setup "python -m venv $APP_ROOT failed"
# The image installs a recent pip wheel into the venv; do the same from PyPI.
"$APP_ROOT/bin/python" -m pip install -q --disable-pip-version-check -U pip >"$WORK/pip-upgrade.log" 2>&1 ||
  say "WARNING: could not upgrade pip in $APP_ROOT (keeping $("$APP_ROOT/bin/python" -m pip --version | cut -d' ' -f2))"
echo "unset BASH_ENV PROMPT_COMMAND ENV" >> "$APP_ROOT/bin/activate"
gcu=$BUILDER_SRC/root/opt/app-root/etc/generate_container_user
[[ -f $gcu ]] || gcu=$S2I_PYTHON_CONTAINER/src/root/opt/app-root/etc/generate_container_user
[[ -f $gcu ]] || fail_setup "generate_container_user not found under $BUILDER_SRC/root"
cp "$gcu" "$APP_ROOT/etc/generate_container_user"
chown -R "$BUILD_UID:0" "$APP_ROOT"
"$EMU_BIN/fix-permissions" "$APP_ROOT" -P
set_result setup "OK (venv $("$APP_ROOT/bin/python" -c 'import sys; print(sys.version.split()[0])'), pip $("$APP_ROOT/bin/python" -m pip --version | cut -d' ' -f2))"

# ------------------------------------------------------------- environments --
IMAGE_ENV=(
  "STI_SCRIPTS_URL=image://$SCRIPTS_PATH"
  "STI_SCRIPTS_PATH=$SCRIPTS_PATH"
  "APP_ROOT=$APP_ROOT"
  "HOME=$APP_HOME_DIR"
  "PATH=$APP_HOME_DIR/.local/bin/:$APP_HOME_DIR/bin:$APP_ROOT/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$EMU_BIN"
  "PYTHON_VERSION=$PYVER"
  "PYTHONUNBUFFERED=1"
  "PYTHONIOENCODING=UTF-8"
  "LC_ALL=$LOCALE"
  "LANG=$LOCALE"
  "PIP_NO_CACHE_DIR=off"
  "BASH_ENV=$APP_ROOT/bin/activate"
  "ENV=$APP_ROOT/bin/activate"
  "PROMPT_COMMAND=. $APP_ROOT/bin/activate"
  "HOSTNAME=$(hostname)"
)
if [[ -n ${E2E_PIP_CACHE:-} ]]; then
  mkdir -p "$E2E_PIP_CACHE" && chown -R "$BUILD_UID:0" "$E2E_PIP_CACHE" && chmod -R g+rwX "$E2E_PIP_CACHE"
  for i in "${!IMAGE_ENV[@]}"; do
    [[ ${IMAGE_ENV[$i]} == PIP_NO_CACHE_DIR=* ]] && IMAGE_ENV[$i]="PIP_CACHE_DIR=$E2E_PIP_CACHE"
  done
fi
# Cluster-wide build settings (proxy, CA, package index) pass through, like
# OpenShift's build defaults do.
PASS_ENV=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
         PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_CERT \
         SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE PIP_DEFAULT_TIMEOUT; do
  [[ -n ${!v:-} ]] && PASS_ENV+=("$v=${!v}")
done

# .s2i/environment, read the way S2I reads it (pkg/scripts/environment.go).
USER_ENV=()
envfile=
if [[ -f $APP_DIR/.s2i/environment ]]; then envfile=$APP_DIR/.s2i/environment
elif [[ -f $APP_DIR/.sti/environment ]]; then envfile=$APP_DIR/.sti/environment; fi
if [[ -n $envfile ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line == '#'* ]] && continue
    [[ $line == *=* ]] || continue
    k=${line%%=*} val=${line#*=}
    k=${k#"${k%%[![:space:]]*}"} k=${k%"${k##*[![:space:]]}"}
    val=${val#"${val%%[![:space:]]*}"} val=${val%"${val##*[![:space:]]}"}
    [[ -n $k ]] || continue
    USER_ENV+=("$k=$val")
  done < "$envfile"
  say "${envfile#"$APP_DIR"/}: ${USER_ENV[*]:-(no variables)}"
fi

BUILD_ENV=("${IMAGE_ENV[@]}" "${PASS_ENV[@]}"
  "OPENSHIFT_BUILD_NAME=django-1" "OPENSHIFT_BUILD_NAMESPACE=logrx-e2e"
  "${USER_ENV[@]}")
RUN_ENV=("${IMAGE_ENV[@]}" "${USER_ENV[@]}")
# What the DeploymentConfig would add (oc set env), for the running app only.
if [[ -n ${E2E_ENV_FILE:-} ]]; then
  [[ -f $E2E_ENV_FILE ]] || fail_setup "E2E_ENV_FILE=$E2E_ENV_FILE is not a file"
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == *=* && $line != '#'* ]] && RUN_ENV+=("$line")
  done < "$E2E_ENV_FILE"
  say "added to the app's environment from $E2E_ENV_FILE: $(grep -c = "$E2E_ENV_FILE") variables"
fi

as_user() { # as_user UID CMD... (GID 0, no supplementary groups)
  local u=$1; shift
  if [[ $u == 0 ]]; then "$@"; else setpriv --reuid="$u" --regid=0 --clear-groups "$@"; fi
}

# -------------------------------------------------------------------- build --
say "uploading sources to /tmp/src"
rm -rf /tmp/src /tmp/scripts
mkdir -p /tmp/src /tmp/scripts
chown "$BUILD_UID:0" /tmp/src /tmp/scripts
(umask 022; tar -C "$APP_DIR" --exclude=./.git -cf - . | as_user "$BUILD_UID" tar -C /tmp/src -xf -) ||
  fail_setup "copying $APP_DIR to /tmp/src failed"
for s in assemble run save-artifacts; do
  if [[ -f /tmp/src/.s2i/bin/$s ]]; then
    mv "/tmp/src/.s2i/bin/$s" "/tmp/scripts/$s" && chmod 755 "/tmp/scripts/$s"
    say "using the application's .s2i/bin/$s (moved to /tmp/scripts/$s)"
  fi
done
ASSEMBLE=$SCRIPTS_PATH/assemble
[[ -f /tmp/scripts/assemble ]] && ASSEMBLE=/tmp/scripts/assemble

say "running $ASSEMBLE as UID $BUILD_UID (build log: $WORK/build.log)"
echo "----------------------------- build log -----------------------------"
t0=$(date +%s)
(cd "$APP_HOME_DIR" && umask 022 &&
  env -i "${BUILD_ENV[@]}" timeout -k 10 "$BUILD_TIMEOUT" \
    setpriv --reuid="$BUILD_UID" --regid=0 --clear-groups "$ASSEMBLE" </dev/null 2>&1 9>&-) | tee "$WORK/build.log"
build_rc=${PIPESTATUS[0]}
echo "---------------------------------------------------------------------"
build_secs=$(($(date +%s) - t0))
if ((build_rc == 124)); then
  set_result build "FAIL: assemble timed out after ${BUILD_TIMEOUT}s"
  finish
elif ((build_rc != 0)); then
  set_result build "FAIL: assemble exited with status $build_rc after ${build_secs}s"
  finish
fi
set_result build "OK (assemble exit 0, ${build_secs}s)"

# ---------------------------------------------------------------------- run --
RUN_SCRIPT=$SCRIPTS_PATH/run
[[ -f /tmp/scripts/run ]] && RUN_SCRIPT=/tmp/scripts/run
if [[ $RUN_AS == random ]]; then
  for _ in 1 2 3 4 5; do
    RUN_UID=$((1000000000 + (RANDOM % 1000 + 1) * 10000))
    getent passwd "$RUN_UID" >/dev/null || break
  done
  RUN_DESC="random UID $RUN_UID GID 0 (no passwd entry)"
else
  RUN_UID=0
  RUN_DESC="root"
fi
if ! port_is_free; then
  set_result start "FAIL: something already listens on 127.0.0.1:$PORT"
  finish
fi
say "starting $RUN_SCRIPT as $RUN_DESC (pod log: $WORK/pod.log)"
t0=$(date +%s)
(cd "$APP_HOME_DIR" && umask 022 &&
  exec setsid env -i "${RUN_ENV[@]}" \
    setpriv --reuid="$RUN_UID" --regid=0 --clear-groups "$RUN_SCRIPT" </dev/null >"$WORK/pod.log" 2>&1 9>&-) &
RUN_PID=$!

show_pod_log() {
  echo "------------------------------ pod log ------------------------------"
  cat "$WORK/pod.log"
  echo "---------------------------------------------------------------------"
}

listening=0
deadline=$((t0 + WAIT_SECS))
while (($(date +%s) < deadline)); do
  if ! kill -0 "$RUN_PID" 2>/dev/null; then
    wait "$RUN_PID"; run_rc=$?
    RUN_PID=
    show_pod_log
    set_result start "FAIL: run script exited with status $run_rc after $(($(date +%s) - t0))s, nothing listened on port $PORT"
    finish
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PORT/" 2>/dev/null)
  if [[ $code != 000 && -n $code ]]; then listening=1; break; fi
  sleep 1
done
if ((!listening)); then
  show_pod_log
  set_result start "FAIL: nothing answered on 127.0.0.1:$PORT within ${WAIT_SECS}s"
  finish
fi
set_result start "OK (answering on port $PORT after $(($(date +%s) - t0))s)"

# ------------------------------------------------------------------- checks --
BASE="http://$ROUTE_HOST:$PORT"
CURL=(curl -sS --max-time 20 --resolve "$ROUTE_HOST:$PORT:127.0.0.1")
if [[ $CHECK == root ]]; then
  say "GET $BASE/ (Host $ROUTE_HOST, resolved to 127.0.0.1)"
  out=$("${CURL[@]}" -L --max-redirs 5 -o "$WORK/root.html" -w '%{http_code} %{num_redirects} %{url_effective}' "$BASE/" 2>&1)
  read -r root_code root_redirs root_url <<<"$out"
  say "-> HTTP ${root_code:-?} after ${root_redirs:-?} redirect(s), final URL ${root_url:-?}"
  # 400 is what Django answers a host ALLOWED_HOSTS lacks (DisallowedHost): the route would get it too.
  if [[ $root_code =~ ^[1-4][0-9][0-9]$ && $root_code != 400 ]]; then
    set_result root "OK (HTTP $root_code at ${root_url#"$BASE"})"
  else
    set_result root "FAIL: HTTP ${root_code:-none} at ${root_url:-$BASE/}; body: $(head -c 300 "$WORK/root.html" 2>/dev/null | tr -s '\n\t ' ' ')"
  fi
  if ! kill -0 "$RUN_PID" 2>/dev/null; then set_result start "FAIL: the application exited during the checks"; fi
  stop_app
  show_pod_log
  finish
fi
say "GET $BASE/admin/ (Host $ROUTE_HOST, resolved to 127.0.0.1)"
out=$("${CURL[@]}" -L --max-redirs 5 -o "$WORK/admin.html" -w '%{http_code} %{num_redirects} %{url_effective}' "$BASE/admin/" 2>&1)
read -r admin_code admin_redirs admin_url <<<"$out"
say "-> HTTP ${admin_code:-?} after ${admin_redirs:-?} redirect(s), final URL ${admin_url:-?}"
if [[ $admin_code == 200 ]] && grep -q 'Django administration\|id="login-form"' "$WORK/admin.html"; then
  what=$(grep -o 'Django administration\|id="login-form"' "$WORK/admin.html" | sort -u | paste -sd, -)
  set_result admin "OK (200 at ${admin_url#"$BASE"}, page has: $what)"
else
  set_result admin "FAIL: HTTP ${admin_code:-none} at ${admin_url:-$BASE/admin/}${out:+ ($out)}; body: $(head -c 300 "$WORK/admin.html" 2>/dev/null | tr -s '\n\t ' ' ')"
fi

# The stylesheets the page links to, plus the one the guide names.
mapfile -t CSS < <({ echo /static/admin/css/base.css
  grep -o 'href="[^"]*\.css"' "$WORK/admin.html" 2>/dev/null | sed 's/^href="//; s/"$//'; } |
  sed "s#^$BASE##" | awk '!seen[$0]++')
css_ok=1 css_msgs=()
for path in "${CSS[@]}"; do
  [[ $path == /* ]] || continue
  out=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{content_type}' "$BASE$path" 2>&1)
  read -r c ctype _ <<<"$out"
  say "GET $path -> ${c:-?} ${ctype:-}"
  if [[ $c == 200 && $ctype == text/css* ]]; then css_msgs+=("$path 200 $ctype")
  else css_ok=0; css_msgs+=("$path ${c:-none} ${ctype:-no content type}"); fi
done
if ((css_ok)); then set_result css "OK (${css_msgs[*]})"
else set_result css "FAIL: ${css_msgs[*]}"; fi

if ! kill -0 "$RUN_PID" 2>/dev/null; then
  set_result start "FAIL: the application exited during the checks"
fi
stop_app
show_pod_log
finish
