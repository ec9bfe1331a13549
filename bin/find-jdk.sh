# shellcheck shell=sh
# Finds a JDK 25 or newer for mm4j and exports JAVA_HOME to it. POSIX sh; source it:
#
#   . bin/find-jdk.sh || exit 1
#
# Order:
#   1. JAVA_HOME, if it is a JDK 25 or newer;
#   2. the newest JDK 25+ under /usr/lib/jvm/*, /opt/java/*, /opt/jdk*, ~/.sdkman/candidates/java/*
#      (MM4J_JDK_SEARCH_PATH, a colon-separated list of such globs, replaces this list);
#   3. the `java` on PATH, if it is 25 or newer.
# A JDK is a directory with bin/java and bin/javac. Its version is the JAVA_VERSION of its
# `release` file (what `java -version` prints, without starting a JVM), else `java -version`.
# With none found, prints what to do on stderr and returns 1, leaving JAVA_HOME as it was.

MM4J_MIN_JAVA=25

# Prints "<major> <sort key>" for the JDK at $1, or nothing when it is not a JDK.
mm4j_jdk_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  _mm4j_v=
  if [ -r "$1/release" ]; then
    _mm4j_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null | head -n 1)
  fi
  if [ -z "$_mm4j_v" ]; then
    _mm4j_v=$("$1/bin/java" -version 2>&1 | sed -n 's/^.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [ -n "$_mm4j_v" ] || return 0
  # "25", "25.0.3", "25-ea", "26.0.1+9" and the old "1.8.0_452" forms.
  case $_mm4j_v in 1.*) _mm4j_v=${_mm4j_v#1.} ;; esac
  printf '%s\n' "$_mm4j_v" | awk -F'[^0-9]+' '{ printf "%d %d\n", $1, $1 * 1000000 + $2 * 1000 + $3 }'
}

mm4j_find_jdk() {
  _mm4j_best=
  _mm4j_best_key=-1
  _mm4j_newest_seen=

  # 1. JAVA_HOME
  if [ -n "${JAVA_HOME-}" ]; then
    set -- $(mm4j_jdk_version "$JAVA_HOME")
    if [ $# -eq 2 ] && [ "$1" -ge "$MM4J_MIN_JAVA" ]; then
      export JAVA_HOME
      return 0
    fi
    [ $# -eq 2 ] && _mm4j_newest_seen="JDK $1 at $JAVA_HOME (JAVA_HOME)"
  fi

  # 2. the usual install places, newest first-found wins
  _mm4j_globs=${MM4J_JDK_SEARCH_PATH-"/usr/lib/jvm/*:/opt/java/*:/opt/jdk*:${HOME:-/nonexistent}/.sdkman/candidates/java/*"}
  _mm4j_ifs=$IFS
  IFS=:
  for _mm4j_glob in $_mm4j_globs; do
    IFS=$_mm4j_ifs
    for _mm4j_dir in $_mm4j_glob; do
      [ -d "$_mm4j_dir" ] || continue
      _mm4j_dir=${_mm4j_dir%/}
      set -- $(mm4j_jdk_version "$_mm4j_dir")
      [ $# -eq 2 ] || continue
      if [ "$2" -gt "$_mm4j_best_key" ]; then
        _mm4j_best_key=$2
        _mm4j_best=$_mm4j_dir
        _mm4j_best_major=$1
      fi
    done
    IFS=:
  done
  IFS=$_mm4j_ifs
  if [ -n "$_mm4j_best" ]; then
    if [ "$_mm4j_best_major" -ge "$MM4J_MIN_JAVA" ]; then
      JAVA_HOME=$_mm4j_best
      export JAVA_HOME
      return 0
    fi
    _mm4j_newest_seen="JDK $_mm4j_best_major at $_mm4j_best"
  fi

  # 3. java on PATH
  if _mm4j_java=$(command -v java 2>/dev/null) && [ -n "$_mm4j_java" ]; then
    _mm4j_java=$(readlink -f "$_mm4j_java" 2>/dev/null || printf '%s\n' "$_mm4j_java")
    _mm4j_dir=${_mm4j_java%/bin/java}
    set -- $(mm4j_jdk_version "$_mm4j_dir")
    if [ $# -eq 2 ] && [ "$1" -ge "$MM4J_MIN_JAVA" ]; then
      JAVA_HOME=$_mm4j_dir
      export JAVA_HOME
      return 0
    fi
    [ $# -eq 2 ] && [ -z "$_mm4j_newest_seen" ] && _mm4j_newest_seen="JDK $1 at $_mm4j_dir (PATH)"
  fi

  {
    echo "mm4j needs a JDK $MM4J_MIN_JAVA or newer. Install one (Eclipse Temurin $MM4J_MIN_JAVA or another OpenJDK $MM4J_MIN_JAVA build, e.g. under /usr/lib/jvm) or set JAVA_HOME to it."
    if [ -n "$_mm4j_newest_seen" ]; then
      echo "  Newest JDK found: $_mm4j_newest_seen."
    fi
    echo "  Looked at: JAVA_HOME, $(printf '%s' "$_mm4j_globs" | sed 's/:/, /g'), and java on PATH."
  } >&2
  return 1
}

# Globbing is needed above; a caller may have turned it off (set -f).
case $- in *f*) _mm4j_noglob=1; set +f ;; *) _mm4j_noglob= ;; esac
if mm4j_find_jdk; then _mm4j_status=0; else _mm4j_status=1; fi
[ -z "$_mm4j_noglob" ] || set -f
unset -f mm4j_jdk_version mm4j_find_jdk
unset _mm4j_v _mm4j_best _mm4j_best_key _mm4j_best_major _mm4j_newest_seen _mm4j_globs _mm4j_glob \
  _mm4j_ifs _mm4j_dir _mm4j_java _mm4j_noglob MM4J_MIN_JAVA
return $_mm4j_status
