#!/usr/bin/env bash
# Set-up for the allocator benchmarks (./mm4j bench alloc runs it when something is missing):
#   1. installs the native allocators from Debian's packages: libjemalloc2, libmimalloc2.0,
#      libtcmalloc-minimal4 (and gcc if there is none) — apt-get, as root; otherwise says what to run;
#   2. builds src/main/c/allocbench.c with gcc, one binary per allocator, into target/c/;
#   3. writes target/c/peers.properties: for each native peer the library's path, or why it is missing.
# Idempotent: installed packages and up-to-date binaries are left alone.
set -uo pipefail

here=$(CDPATH= cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
source_file="$here/src/main/c/allocbench.c"
out="$here/target/c"
mkdir -p "$out"

# peer, Debian package, file name of the shared library
peers=(
  "jemalloc libjemalloc2 libjemalloc.so.2"
  "mimalloc libmimalloc2.0 libmimalloc.so.2"
  "tcmalloc libtcmalloc-minimal4 libtcmalloc_minimal.so.4"
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for entry in "${peers[@]}"; do
    read -r _ package _ <<< "$entry"
    installed "$package" || missing+=("$package")
  done
fi
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get install -y ${missing[*]}"
    if ! apt-get install -y -q "${missing[@]}" >"$out/apt.log" 2>&1; then
      echo "setup: apt-get update (the package lists are missing or old), then install again"
      { apt-get update -q && apt-get install -y -q "${missing[@]}"; } >>"$out/apt.log" 2>&1 \
        || echo "setup: apt-get failed (see $out/apt.log); the peers whose library is missing are skipped"
    fi
  else
    echo "setup: missing ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}"
  fi
fi

# Where each library is: the package's own file list, else the usual directories.
find_library() {
  local package=$1 file=$2 path=
  if command -v dpkg-query >/dev/null 2>&1 && installed "$package"; then
    path=$(dpkg -L "$package" 2>/dev/null | grep -E "/${file//./\\.}\$" | head -n 1)
  fi
  if [[ -z $path ]]; then
    for dir in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
      [[ -e $dir/$file ]] && { path=$dir/$file; break; }
    done
  fi
  printf '%s' "$path"
}

cflags=(-O2 -g0 -pthread -fno-builtin-malloc -fno-builtin-free -Wall)
build() { # name, extra arguments (the library to link)
  local binary="$out/allocbench-$1"
  if [[ -x $binary && $binary -nt $source_file && $binary -nt "$here/setup.sh" ]]; then
    return 0
  fi
  echo "setup: gcc: building ${binary#"$here"/}"
  gcc "${cflags[@]}" -DALLOCATOR="\"$1\"" -o "$binary" "$source_file" "${@:2}" -ldl -lm
}

properties="$out/peers.properties.tmp"
: > "$properties"
if ! command -v gcc >/dev/null 2>&1; then
  echo "c.missing=gcc is not installed" >> "$properties"
elif build glibc; then
  echo "c-glibc=$out/allocbench-glibc" >> "$properties"
else
  echo "c-glibc.missing=gcc failed to build allocbench" >> "$properties"
fi
for entry in "${peers[@]}"; do
  read -r name package file <<< "$entry"
  library=$(find_library "$package" "$file")
  if [[ -z $library ]]; then
    echo "$name.missing=$file not found (Debian package $package not installed)" >> "$properties"
    echo "c-$name.missing=$file not found (Debian package $package not installed)" >> "$properties"
    continue
  fi
  echo "$name=$library" >> "$properties"
  if ! command -v gcc >/dev/null 2>&1; then
    echo "c-$name.missing=gcc is not installed" >> "$properties"
  elif build "$name" -Wl,--no-as-needed "$library"; then
    echo "c-$name=$out/allocbench-$name" >> "$properties"
  else
    echo "c-$name.missing=gcc failed to build allocbench against $library" >> "$properties"
  fi
done
mv "$properties" "$out/peers.properties"
echo "setup: native peers ready ($out/peers.properties):"
sed 's/^/  /' "$out/peers.properties"
