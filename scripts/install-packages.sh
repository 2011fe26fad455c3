# install-packages.sh — sourced by build.sh and the bench scripts:
# install_packages PKG... installs the Debian packages not yet installed
# with apt-get: directly as root, through sudo otherwise (DEBIAN_FRONTEND
# passed through, since sudo resets the environment). Without root or sudo
# it lists the missing packages and the command to install them, and fails.
# Set QUIET_INSTALL=1 to hide apt's output; failures are reported, not
# fatal, when INSTALL_MAY_FAIL=1.
install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local run=(env DEBIAN_FRONTEND="${DEBIAN_FRONTEND:-noninteractive}")
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "missing Debian packages: ${missing[*]}" >&2
      echo "install them as root (there is no sudo here), then run this again:" >&2
      echo "  apt-get install ${missing[*]}" >&2
      return 1
    fi
    run=(sudo "${run[@]}")
  fi
  echo "installing ${missing[*]}" >&2
  local log=/dev/stderr
  [ "${QUIET_INSTALL:-0}" = 1 ] && log=/dev/null
  "${run[@]}" apt-get update -qq >"$log" 2>&1
  if ! "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    [ "${INSTALL_MAY_FAIL:-0}" = 1 ] || return 1
    echo "could not install some of: ${missing[*]}" >&2
  fi
}
