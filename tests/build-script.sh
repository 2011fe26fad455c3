#!/usr/bin/env bash
# build-script.sh — scripts/install-packages.sh (what build.sh runs first)
# as root, as a user with sudo and as a user without: stand-in id, dpkg-query,
# sudo and apt-get on PATH record what would have run.
source "$(dirname "$0")/lib.sh"
fake=$TMP/bin
mkdir -p "$fake"
cat > "$fake/dpkg-query" <<'STUB'
#!/bin/sh
# Only "present" is installed.
[ "$3" = present ] && printf 'install ok installed'
exit 0
STUB
cat > "$fake/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset}" >> "$LOG"
STUB
# sudo resets the environment, as the real one does by default.
cat > "$fake/sudo" <<'STUB'
#!/bin/sh
echo "sudo $1" >> "$LOG"
exec env -i PATH="$PATH" LOG="$LOG" "$@"
STUB
chmod +x "$fake"/*
# Only these commands are on PATH, so the machine's own sudo (if any) is not.
for tool in grep env sh; do ln -s "$(command -v $tool)" "$fake/$tool"; done
run_install() { # run_install UID sudo|nosudo PACKAGES...
  local uid=$1 sudo=$2; shift 2
  local dir=$TMP/path-$uid-$sudo
  mkdir -p "$dir"
  cp -P "$fake"/* "$dir/"
  [ "$sudo" = sudo ] || rm "$dir/sudo"
  printf '#!/bin/sh\necho %s\n' "$uid" > "$dir/id"
  chmod +x "$dir/id"
  : > "$TMP/log"
  LOG=$TMP/log PATH=$dir "$BASH" -c 'source scripts/install-packages.sh; install_packages "$@"' \
    _ "$@" 2>"$TMP/err"
}

# Nothing missing: nothing runs.
run_install 1000 nosudo present
check "nothing missing exits 0" "$?" "0"
check "nothing missing runs nothing" "$(cat "$TMP/log")" ""

# As root: apt-get directly, non-interactive.
run_install 0 sudo present libfoo-dev
check "as root exits 0" "$?" "0"
check "as root runs apt-get" "$(cat "$TMP/log")" "apt-get update -qq DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends libfoo-dev DEBIAN_FRONTEND=noninteractive"

# With sudo: DEBIAN_FRONTEND survives sudo's reset environment.
DEBIAN_FRONTEND=readline run_install 1000 sudo libfoo-dev
check "with sudo exits 0" "$?" "0"
check "with sudo passes DEBIAN_FRONTEND" "$(cat "$TMP/log")" "sudo env
apt-get update -qq DEBIAN_FRONTEND=readline
sudo env
apt-get install -y -qq --no-install-recommends libfoo-dev DEBIAN_FRONTEND=readline"

# Without sudo: the packages and the command, and a failure.
run_install 1000 nosudo present libfoo-dev libbar-dev
check "without sudo fails" "$?" "1"
check "without sudo lists the packages" "$(cat "$TMP/err")" "missing Debian packages: libfoo-dev libbar-dev
install them as root (there is no sudo here), then run this again:
  apt-get install libfoo-dev libbar-dev"
check "without sudo runs nothing" "$(cat "$TMP/log")" ""
finish
