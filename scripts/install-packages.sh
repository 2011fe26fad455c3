# install-packages.sh — sourced by build.sh and the bench scripts:
# install_packages PKG... installs the Debian packages not yet installed
# (apt-get, through sudo when not root). Set QUIET_INSTALL=1 to hide apt's
# output; failures are reported, not fatal, when INSTALL_MAY_FAIL=1.
install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >&2
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2; then
    [ "${INSTALL_MAY_FAIL:-0}" = 1 ] || return 1
    echo "could not install some of: ${missing[*]}" >&2
  fi
}
