#!/bin/sh
# Regenerates the committed BPF objects from probes/src/main/bpf with Debian's clang.
#
#   probes/build-bpf.sh            rebuild every *.bpf.o into src/main/resources/io/ipcscope/probes/bpf/
#   probes/build-bpf.sh --check    rebuild into a temp dir; exit 1 when a committed object is stale
#   probes/build-bpf.sh --vmlinux  regenerate vmlinux.h from /sys/kernel/btf/vmlinux first
#
# Output is deterministic (relative paths, fixed debug dirs): two builds are byte-identical.
# DWARF is stripped; .BTF and .BTF.ext (what libbpf and the Java layout test need) are kept.
set -eu

CLANG=${CLANG:-clang}
STRIP=${LLVM_STRIP:-llvm-strip}
here=$(cd "$(dirname "$0")" && pwd)
src=src/main/bpf
out=src/main/resources/io/ipcscope/probes/bpf

check=0
for arg in "$@"; do
	case "$arg" in
	--check) check=1 ;;
	--vmlinux)
		bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$here/$src/vmlinux.h.tmp"
		mv "$here/$src/vmlinux.h.tmp" "$here/$src/vmlinux.h"
		;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) echo "build-bpf.sh: unknown argument $arg" >&2; exit 2 ;;
	esac
done

dest="$here/$out"
if [ "$check" = 1 ]; then
	dest=$(mktemp -d)
	trap 'rm -rf "$dest"' EXIT
fi
mkdir -p "$dest"

cd "$here/$src"
for c in *.bpf.c; do
	o="${c%.c}.o"
	"$CLANG" -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I. \
		-fdebug-compilation-dir=. -fdebug-prefix-map="$here/$src"=. \
		-Wall -Werror -c "$c" -o "$dest/$o.tmp"
	"$STRIP" -g "$dest/$o.tmp"
	mv "$dest/$o.tmp" "$dest/$o"
done

if [ "$check" = 1 ]; then
	status=0
	for o in "$dest"/*.bpf.o; do
		name=$(basename "$o")
		if ! cmp -s "$o" "$here/$out/$name"; then
			echo "probes/$out/$name is stale: run probes/build-bpf.sh and commit it" >&2
			status=1
		fi
	done
	for o in "$here/$out"/*.bpf.o; do
		[ -e "$o" ] || continue
		if [ ! -e "$dest/$(basename "$o")" ]; then
			echo "probes/$out/$(basename "$o") has no source in probes/$src: delete it" >&2
			status=1
		fi
	done
	exit $status
fi
