#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script for certharness.
#
# Called by the OSS-Fuzz build infrastructure (and locally by tools/cflite-build-test) with
#   $CC $CXX $CFLAGS $CXXFLAGS  compilers and flags, sanitizer + coverage flags included
#   $LIB_FUZZING_ENGINE         what links the fuzzing engine (e.g. -fsanitize=fuzzer)
#   $SRC                        holds the checkout at $SRC/certharness
#   $OUT                        receives the targets and their side files
#   $WORK                       scratch space (optional here)
# It puts in $OUT, for every fuzz/fuzz_*.cpp target: the binary, <target>_seed_corpus.zip (from
# corpus/fuzz/<target>/), <target>.dict (when a dictionary applies) and <target>.options.
set -o pipefail

src_dir="${CERTHARNESS_SRC_DIR:-$SRC/certharness}"
build_dir="${WORK:-$SRC}/certharness-cflite-build"
jobs="$(nproc 2>/dev/null || echo 2)"

generator=()
if command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
else
  generator=(-G "Unix Makefiles")
fi

# The sanitizers come from $CXXFLAGS (OSS-Fuzz chooses them), so CERTHARNESS_SANITIZE stays OFF.
# No CMAKE_BUILD_TYPE: the optimisation level is OSS-Fuzz's too (-O1 ... in $CXXFLAGS).
# CERTHARNESS_FUZZ_ENGINE=libfuzzer builds LLVMFuzzerTestOneInput targets without a replay main;
# CERTHARNESS_FUZZ_LINK_FLAGS makes them link $LIB_FUZZING_ENGINE instead of -fsanitize=fuzzer.
# The runner image has none of the build image's -dev packages' shared libraries: yaml-cpp
# (Debian/Ubuntu ship no libyaml-cpp.a) is copied into $OUT/lib, found through $ORIGIN/lib.
cmake -S "$src_dir" -B "$build_dir" "${generator[@]}" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_TYPE= \
  -DCERTHARNESS_BUILD_TESTS=OFF -DCERTHARNESS_BUILD_TOOLS=OFF -DCERTHARNESS_BUILD_BENCH=OFF \
  -DCERTHARNESS_BUILD_FUZZ=ON -DCERTHARNESS_SANITIZE=OFF \
  -DCERTHARNESS_FUZZ_ENGINE=libfuzzer \
  -DCERTHARNESS_FUZZ_LINK_FLAGS="$LIB_FUZZING_ENGINE" \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
  --no-warn-unused-cli
cmake --build "$build_dir" --parallel "$jobs"

# fuzz/targets.conf holds each target's dictionary, max_len, timeout and rss_limit_mb
# (tools/fuzz-campaign reads it too). conf_field <target> <column>: the target's row, else "*";
# the first row wins when a target (or "*") has more than one, as in tools/fuzz-campaign.
targets_conf="$src_dir/fuzz/targets.conf"
if [ ! -f "$targets_conf" ]; then
  echo "build.sh: $targets_conf missing" >&2
  exit 1
fi
conf_field() {
  awk -v t="$1" -v c="$2" '
    /^[[:space:]]*(#|$)/ { next }
    $1 == t { print $c; found = 1; exit }
    $1 == "*" && !have_fallback { fallback = $c; have_fallback = 1 }
    END { if (!found) print fallback }' "$targets_conf"
}

# Which dictionary a target uses when it has no fuzz/<target>.dict of its own.
dict_for() {
  local d
  d="$(conf_field "$1" 2)"
  [ "$d" = "-" ] && d=""
  echo "$d"
}

# max_len per target: at least this, and never below the largest seed (libFuzzer would
# otherwise truncate the seeds it starts from).
default_max_len() { conf_field "$1" 3; }

zip_dir() {  # zip_dir <dir> <zipfile>: the files of <dir>, flat
  local dir="$1" zipfile="$2"
  rm -f "$zipfile"
  if command -v zip >/dev/null 2>&1; then
    (cd "$dir" && find . -maxdepth 1 -type f -print0 | xargs -0 -r zip -q -j "$zipfile")
  else
    python3 - "$dir" "$zipfile" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if os.path.isfile(path):
            z.write(path, arcname=name)
PY
  fi
}

# The shared libraries a target needs that the runner image lacks, into $OUT/lib; fails unless
# the copied binary then finds them there (its RUNPATH is $ORIGIN/lib).
runner_libs_pattern='libyaml-cpp\.so'
runner_libs() {  # runner_libs <binary>: "<name> <resolved path>" per matching dependency
  ldd "$1" | awk -v p="$runner_libs_pattern" '$1 ~ p && $2 == "=>" { print $1, $3 }'
}
copy_runner_libs() {
  local binary="$1" name path
  mkdir -p "$OUT/lib"
  while read -r name path; do
    [ -f "$OUT/lib/$name" ] || cp -L "$path" "$OUT/lib/$name"
  done < <(runner_libs "$binary")
  while read -r name path; do
    if [ "$(realpath "$(dirname "$path")" 2>/dev/null)" != "$(realpath "$OUT/lib")" ]; then
      echo "build.sh: $binary finds $name at $path, not in $OUT/lib" >&2
      exit 1
    fi
  done < <(runner_libs "$binary")
}

mkdir -p "$OUT"
count=0
for cpp in "$src_dir"/fuzz/fuzz_*.cpp; do
  [ -e "$cpp" ] || continue
  target="$(basename "$cpp" .cpp)"
  binary="$build_dir/fuzz/$target"
  if [ ! -x "$binary" ]; then
    echo "build.sh: $target was not built ($binary missing)" >&2
    exit 1
  fi
  cp "$binary" "$OUT/$target"
  copy_runner_libs "$OUT/$target"

  max_len="$(default_max_len "$target")"
  corpus="$src_dir/corpus/fuzz/$target"
  if [ -d "$corpus" ] && [ -n "$(find "$corpus" -maxdepth 1 -type f -print -quit)" ]; then
    zip_dir "$corpus" "$OUT/${target}_seed_corpus.zip"
    largest="$(find "$corpus" -maxdepth 1 -type f -printf '%s\n' | sort -n | tail -n 1)"
    [ "${largest:-0}" -gt "$max_len" ] && max_len="$largest"
  fi

  dict="$src_dir/fuzz/$target.dict"
  if [ ! -f "$dict" ]; then
    shared="$(dict_for "$target")"
    dict="${shared:+$src_dir/fuzz/$shared}"
  fi
  if [ -n "$dict" ] && [ -f "$dict" ]; then
    cp "$dict" "$OUT/$target.dict"
  fi

  cat > "$OUT/$target.options" <<EOF
[libfuzzer]
max_len = $max_len
timeout = $(conf_field "$target" 4)
rss_limit_mb = $(conf_field "$target" 5)
EOF
  count=$((count + 1))
done

if [ "$count" -eq 0 ]; then
  echo "build.sh: no fuzz targets found in $src_dir/fuzz" >&2
  exit 1
fi
echo "build.sh: $count fuzz target(s) in $OUT"
