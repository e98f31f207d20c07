#!/usr/bin/env bash
# npm run vm:setup [-- --kernel 6.1|6.12]: everything `klpcheck vm` needs, from Debian's packages.
# Host tools by apt (idempotent: apt skips what is installed); the kernel image, its headers and
# kbuild by `apt-get download` + `dpkg -x` into ${KLPCHECK_CACHE:-~/.cache/klpcheck}/kernel-<X.Y>,
# never into the host's /boot. The ABI comes from the cloud metapackage at set-up time, because the
# archive drops superseded ABIs (facts: /work/shared/reference/real-kernel.md). 6.12 comes from
# bookworm-backports through a private apt configuration, with qemu 10 from the same suite (6.12
# double-faults under bookworm's qemu 7.2). Warm cache: only the metapackage lookup runs.
set -euo pipefail

kernel=6.1
while [ $# -gt 0 ]; do
  case "$1" in
    --kernel) kernel="${2:-}"; shift 2 ;;
    --kernel=*) kernel="${1#--kernel=}"; shift ;;
    *) echo "vm:setup: unknown argument '$1' (usage: npm run vm:setup [-- --kernel 6.1|6.12])" >&2; exit 2 ;;
  esac
done
case "$kernel" in 6.1|6.12) ;; *) echo "vm:setup: --kernel must be 6.1 or 6.12, not '$kernel'" >&2; exit 2 ;; esac

cache="${KLPCHECK_CACHE:-$HOME/.cache/klpcheck}"
dest="$cache/kernel-$kernel"
mkdir -p "$cache"

fail() { echo "vm:setup: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Another process may hold the apt lock for a while: wait for it instead of failing.
apt_retry() {
  local i
  for i in $(seq 1 30); do
    if "$@"; then return 0; fi
    echo "vm:setup: '$*' failed, retrying in 5 s ($i/30)" >&2
    sleep 5
  done
  return 1
}

HOST_PACKAGES=(qemu-system-x86 busybox-static cpio kmod make gcc-12 libc6-dev)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "vm:setup: installing ${missing[*]}"
  apt_retry as_root apt-get update -qq || fail "apt-get update failed: is Debian's archive reachable?"
  apt_retry as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" ||
    fail "could not install ${missing[*]}"
fi

# apt options: the system's configuration for 6.1, a private one for bookworm-backports.
apt_opts=()
if [ "$kernel" = 6.12 ]; then
  priv="$cache/apt-backports"
  mkdir -p "$priv/lists/partial" "$priv/cache/archives/partial"
  mirror="$(grep -rhoE 'https?://[^ ]*debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -v security | head -n1 | tr -d ' ' || true)"
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  echo "deb $mirror bookworm-backports main" >"$priv/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$priv/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$priv/lists" -o "Dir::Cache=$priv/cache")
  if [ ! -e "$priv/updated" ] || [ -n "$(find "$priv/updated" -mmin +1440)" ]; then
    apt_retry as_root apt-get "${apt_opts[@]}" update -qq || fail "apt-get update of bookworm-backports failed"
    touch "$priv/updated"
  fi
fi

# The ABI (6.1.0-57, 6.12.95+deb12): from the metapackage's dependency, never hard-coded.
meta="$(apt-cache "${apt_opts[@]}" depends linux-image-cloud-amd64 2>/dev/null |
  grep -oE "linux-image-$kernel\.[^ ]*-cloud-amd64" | sort -V | tail -n1 || true)"
[ -n "$meta" ] || fail "no linux-image-$kernel.* in 'apt-cache depends linux-image-cloud-amd64' (is the package list current? try apt-get update)"
abi="${meta#linux-image-}"
abi="${abi%-cloud-amd64}"

if [ -f "$dest/kernel.env" ] && grep -qx "abi=$abi" "$dest/kernel.env"; then
  echo "vm:setup: kernel $(grep '^release=' "$dest/kernel.env" | cut -d= -f2) ready in $dest"
  exit 0
fi

work="$(mktemp -d "$cache/.download.XXXXXX")"
trap 'rm -rf "$work"' EXIT
headers_pkg="linux-headers-$abi-cloud-amd64"
# The common headers and kbuild packages, as the flavour's headers package names them.
deps="$(apt-cache "${apt_opts[@]}" depends "$headers_pkg" 2>/dev/null | grep -oE 'linux-(headers-[^ ]*-common|kbuild-[^ ]*)' | sort -u || true)"
[ -n "$deps" ] || fail "apt-cache depends $headers_pkg names no common headers or kbuild package"
pkgs=("linux-image-$abi-cloud-amd64-unsigned" "$headers_pkg" $deps)
[ "$kernel" = 6.12 ] && pkgs+=(qemu-system-x86 qemu-system-common qemu-system-data)
echo "vm:setup: downloading ${pkgs[*]}"
for p in "${pkgs[@]}"; do
  (cd "$work" && apt_retry apt-get "${apt_opts[@]}" download -qq "$p") || fail "apt-get download $p failed"
done
mkdir -p "$work/root"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/root"; done

vmlinuz="$(ls "$work"/root/boot/vmlinuz-* | head -n1)"
release="${vmlinuz##*/vmlinuz-}"
headers="$work/root/usr/src/linux-headers-$release"
[ -f "$headers/Makefile" ] || fail "no headers Makefile in linux-headers for $release"
# The flavour's Makefile includes the common one by its absolute /usr/src path: point it into the cache.
sed -i "s|/usr/src/|$dest/root/usr/src/|g" "$headers/Makefile"
# kbuild's scripts are symlinks to /usr/lib/linux-kbuild-X.Y: point them into the cache too.
find "$work/root/usr/src" -maxdepth 2 -type l | while read -r l; do
  t="$(readlink "$l")"
  case "$t" in /usr/*) ln -sfn "$dest/root$t" "$l" ;; esac
done
qemu=/usr/bin/qemu-system-x86_64
[ "$kernel" = 6.12 ] && qemu="$dest/root/usr/bin/qemu-system-x86_64"
{
  echo "abi=$abi"
  echo "release=$release"
  echo "version=$(dpkg-deb -f "$(ls "$work"/linux-image-*.deb | head -n1)" Version)"
  echo "vmlinuz=$dest/root/boot/vmlinuz-$release"
  echo "headers=$dest/root/usr/src/linux-headers-$release"
  echo "qemu=$qemu"
  [ "$kernel" = 6.12 ] && echo "qemu_datadir=$dest/root/usr/share/qemu"
  [ "$kernel" = 6.12 ] && echo "make_flags=CONFIG_DEBUG_INFO_BTF_MODULES="
} >"$work/kernel.env"
rm -f "$work"/*.deb
rm -rf "$dest"
mkdir -p "$dest"
mv "$work/root" "$dest/root"
mv "$work/kernel.env" "$dest/kernel.env"
echo "vm:setup: kernel $release ($abi) ready in $dest"
