# shellcheck shell=bash
# Finds the Python that runs drctl's test environment (boto3 + moto) and moto's server.
# Sourced by scripts/bootstrap and other scripts; defines functions only, sets no options.
#
#   find_python       prints the path of a python3 that can `import boto3, moto`;
#                     otherwise prints a clear message on stderr and returns 1.
#   find_moto_server  prints the path of moto_server (on PATH, or beside that python);
#                     otherwise returns 1 (silently: callers word their own message).
#
# Search order (tests/CMakeLists.txt does the same at configure time):
#   1. python3 on PATH, 2. $(pyenv root)/versions/*/bin/python3, 3. $HOME/.pyenv/versions/*/bin/python3.
# The real interpreter path (sys.executable) is printed, not a pyenv shim, so the answer does
# not depend on the caller's PYENV_VERSION or working directory.

_drctl_python_ok() {
  [ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || return 1
  "$1" -c 'import sys, boto3, moto; print(sys.executable)' 2>/dev/null
}

find_python() {
  local candidate found root
  if found=$(_drctl_python_ok python3); then
    printf '%s\n' "$found"
    return 0
  fi
  root=""
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null || true)
  fi
  # Newest version first (sort -V reversed), so 3.12 wins over 3.9 when both have moto.
  for candidate in $( { [ -n "$root" ] && ls -d "$root"/versions/*/bin/python3 2>/dev/null;
                         ls -d "$HOME"/.pyenv/versions/*/bin/python3 2>/dev/null; } | sort -Vr -u); do
    if found=$(_drctl_python_ok "$candidate"); then
      printf '%s\n' "$found"
      return 0
    fi
  done
  echo "find_python: no python3 with boto3 and moto found (tried python3 on PATH," \
       "\$(pyenv root)/versions/*/bin/python3 and \$HOME/.pyenv/versions/*/bin/python3);" \
       "install them with: pip install boto3 'moto[server]'" >&2
  return 1
}

find_moto_server() {
  local py dir
  if command -v moto_server >/dev/null 2>&1; then
    command -v moto_server
    return 0
  fi
  py=$(find_python 2>/dev/null) || return 1
  dir=$(dirname "$py")
  if [ -x "$dir/moto_server" ]; then
    printf '%s\n' "$dir/moto_server"
    return 0
  fi
  return 1
}
