#!/bin/bash
# (Copied from the team's shared containers/ folder, so a clean clone can build the image in CI.)
# build-image.sh: build a local PostgreSQL container image for podman, with no
# container registry (only Debian's apt mirror), on Debian 12 as root.
#
#   build-image.sh [--pg=15|17] [--from-host] [--no-smoke] [TAG]
#                                      (TAG default: localhost/pgmig-postgres:<pg major>)
#
#   default      mmdebstrap a minimal Debian rootfs with postgresql-<pg> from the
#                mirror this host's apt uses; ~30-50 s, ~210 MB, en_US.utf8 like upstream
#   --pg=15      Debian 12 bookworm's PostgreSQL 15 (default); --pg=17: Debian 13 trixie's 17.
#                Debian has no 16: real users' postgres:16 lies between the two.
#   --from-host  FROM-scratch image made of this host's installed postgresql-15
#                files + their ldd closure + busybox-static; ~5 s, ~90 MB, no network,
#                C.UTF-8 only; needs postgresql-15 installed on the host
#   --no-smoke   skip the final start/connect/remove check
#
# The image follows the official postgres image's contract (POSTGRES_PASSWORD,
# POSTGRES_USER, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, PGDATA,
# /docker-entrypoint-initdb.d, "IMAGE -c key=value" arguments).
#
# Podman on this kind of machine only runs containers with runc and no default
# ulimits; this script writes such a containers.conf (path: $PGMIG_CONTAINERS_CONF,
# default /etc/containers/pgmig-containers.conf) and every podman/docker user must
# see it:  export CONTAINERS_CONF=/etc/containers/pgmig-containers.conf
set -euo pipefail

METHOD=debian
SMOKE=1
TAG=
PGV=15
for arg in "$@"; do
	case "$arg" in
	--pg=15 | --pg=17) PGV=${arg#--pg=} ;;
	--from-host) METHOD=host ;;
	--no-smoke) SMOKE=0 ;;
	-h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	-*) echo "unknown option $arg" >&2; exit 2 ;;
	*) TAG=$arg ;;
	esac
done
[ "$METHOD" = debian ] || [ "$PGV" = 15 ] || { echo "--from-host: only the host's postgresql-15" >&2; exit 2; }
: "${TAG:=localhost/pgmig-postgres:$PGV}"
CONF=${PGMIG_CONTAINERS_CONF:-/etc/containers/pgmig-containers.conf}

log() { printf '[build-image] %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# --- tools -----------------------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
if [ "$METHOD" = debian ]; then
	command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
else
	dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)   # static: no libs needed
fi
if [ "${#need[@]}" -gt 0 ]; then
	log "apt-get install ${need[*]}"
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- podman configuration (crun fails here: cgroups hybrid mode; runc fails on the
#     default nofile ulimit: "error setting rlimit type 7: operation not permitted")
mkdir -p "$(dirname "$CONF")"
cat >"$CONF" <<'CONFEOF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONFEOF
export CONTAINERS_CONF=$CONF

WORK=$(mktemp -d /tmp/pgmig-image.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- entrypoint (POSIX sh: runs under bash/dash and busybox ash) --------------
cat >"$WORK/docker-entrypoint.sh" <<'ENTRYEOF'
#!/bin/sh
# Minimal stand-in for the official postgres image's docker-entrypoint.sh.
# Kept: POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD,
# POSTGRES_INITDB_ARGS, PGDATA, /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz,
# "run IMAGE -c k=v", and TCP is only opened once initialisation is finished.
set -eu

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# "run IMAGE -c fsync=off" means "postgres -c fsync=off", as in the official image.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	set -- postgres "$@"
fi
pg_want_help() {   # "postgres --version" etc. must not initialise anything (as upstream)
	for a in "$@"; do
		case "$a" in -'?' | --help | --describe-config | -V | --version) return 0 ;; esac
	done
	return 1
}
if [ "$1" != postgres ] || pg_want_help "$@"; then
	exec "$@"
fi

# Started as root: fix ownership, then run this script again as postgres.
# (full path: busybox sh would otherwise pick its own setpriv applet, which lacks --reuid)
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	find "$PGDATA" ! -user postgres -exec chown postgres:postgres '{}' +
	chmod 700 "$PGDATA"
	chown postgres:postgres /var/run/postgresql
	chmod 3777 /var/run/postgresql
	exec /usr/bin/setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

pgmig_init() {
	: "${POSTGRES_USER:=postgres}"
	: "${POSTGRES_DB:=$POSTGRES_USER}"
	: "${POSTGRES_PASSWORD:=}"
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
	: "${POSTGRES_INITDB_ARGS:=}"
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
		echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
		echo '       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust.' >&2
		exit 1
	fi
	[ -n "$POSTGRES_HOST_AUTH_METHOD" ] || POSTGRES_HOST_AUTH_METHOD=scram-sha-256

	mkdir -p "$PGDATA"
	chmod 700 "$PGDATA" 2>/dev/null || :
	pwfile=
	if [ -n "$POSTGRES_PASSWORD" ]; then
		pwfile=$(mktemp)
		printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	fi
	# POSTGRES_INITDB_ARGS is word-split on purpose, as upstream does
	# shellcheck disable=SC2086
	initdb --username="$POSTGRES_USER" ${pwfile:+"--pwfile=$pwfile"} \
		--auth-local=trust --auth-host=trust $POSTGRES_INITDB_ARGS >/dev/null
	[ -z "$pwfile" ] || rm -f "$pwfile"

	# As upstream: listen everywhere; other hosts get POSTGRES_HOST_AUTH_METHOD,
	# the container's own socket and loopback stay "trust".
	printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

	if [ "$POSTGRES_DB" != postgres ]; then
		dbq=$(printf '%s' "$POSTGRES_DB" | sed 's/"/""/g')
		# single-user backend: opens no listener and is quicker than a temporary server
		out=$(printf 'CREATE DATABASE "%s";\n' "$dbq" |
			postgres --single -D "$PGDATA" postgres 2>&1)
		case "$out" in *ERROR*) echo "$out" >&2; exit 1 ;; esac
	fi

	set -- /docker-entrypoint-initdb.d/*
	if [ -e "$1" ]; then
		pg_ctl -D "$PGDATA" -o "-c listen_addresses= -p ${PGPORT:-5432}" -w -s start
		export PGHOST=/var/run/postgresql PGPORT="${PGPORT:-5432}"
		for f in "$@"; do
			case "$f" in
			*.sh)
				# shellcheck disable=SC1090
				if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
			*.sql)
				psql -v ON_ERROR_STOP=1 --no-psqlrc -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz)
				gunzip -c "$f" | psql -v ON_ERROR_STOP=1 --no-psqlrc -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" ;;
			*)
				echo "$0: ignoring $f" >&2 ;;
			esac
		done
		pg_ctl -D "$PGDATA" -m fast -w -s stop
		unset PGHOST
	fi
	echo 'PostgreSQL init process complete; ready for start up.' >&2
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	pgmig_init
fi
exec "$@"
ENTRYEOF
chmod 755 "$WORK/docker-entrypoint.sh"

OLD_ID=$(podman image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)
IMPORT_CHANGES=(
	--change "ENV PATH=/usr/lib/postgresql/$PGV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	--change 'ENV PGDATA=/var/lib/postgresql/data'
	--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
	--change 'CMD ["postgres"]'
	--change 'EXPOSE 5432'
	--change 'STOPSIGNAL SIGINT'
)
# No VOLUME on purpose: an anonymous volume outlives "rm -f" (needs "rm -fv").

if [ "$METHOD" = debian ]; then
	# Same mirrors (for bookworm: the very same sources file, so the same versions) as this host's apt.
	SOURCES=/etc/apt/sources.list.d/debian.sources
	[ -f "$SOURCES" ] || SOURCES=/etc/apt/sources.list
	SUITE=bookworm
	if [ "$PGV" = 17 ]; then
		SUITE=trixie
		MIRROR=$(sed -n 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p; s|^deb \(\[[^]]*\] \)\{0,1\}\(http[^ ]*/debian\)/* .*|\2|p' "$SOURCES" | head -1)
		MIRROR=${MIRROR:-http://deb.debian.org/debian}
		printf 'deb %s trixie main\ndeb %s trixie-updates main\ndeb %s-security trixie-security main\n' \
			"$MIRROR" "$MIRROR" "$MIRROR" >"$WORK/trixie.list"
		SOURCES=$WORK/trixie.list
	fi
	log "mmdebstrap $SUITE + postgresql-$PGV from $SOURCES -> podman import $TAG"
	mmdebstrap --quiet --mode=root --variant=essential --include="postgresql-$PGV" \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--essential-hook='echo "postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >>"$1/etc/passwd"' \
		--essential-hook='echo "postgres:x:999:" >>"$1/etc/group"' \
		--essential-hook='echo "postgres:*:19000:0:99999:7:::" >>"$1/etc/shadow"' \
		--essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/pgmig.conf"' \
		--customize-hook='sed -i "s/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/" "$1/etc/locale.gen" && chroot "$1" locale-gen >/dev/null' \
		--customize-hook="copy-in $WORK/docker-entrypoint.sh /usr/local/bin/" \
		--customize-hook='rm -rf "$1"/usr/lib/postgresql/*/lib/llvmjit* "$1"/usr/lib/postgresql/*/lib/bitcode "$1"/usr/lib/x86_64-linux-gnu/libLLVM*.so* "$1"/usr/lib/x86_64-linux-gnu/libz3.so*' \
		--skip=cleanup/run \
		--customize-hook='rm -rf "$1"/run/* && mkdir -p "$1/run/postgresql" "$1/var/lib/postgresql/data" "$1/docker-entrypoint-initdb.d" && chown 999:999 "$1/run/postgresql" "$1/var/lib/postgresql" "$1/var/lib/postgresql/data" && chmod 3777 "$1/run/postgresql" && chmod 700 "$1/var/lib/postgresql/data"' \
		"$SUITE" - "$SOURCES" |
		podman import "${IMPORT_CHANGES[@]}" --change 'ENV LANG=en_US.utf8' - "$TAG" >/dev/null
else
	[ -x /usr/lib/postgresql/$PGV/bin/postgres ] || {
		echo "--from-host needs postgresql-$PGV installed on this host" >&2; exit 1; }
	log "assembling a FROM-scratch rootfs from the host's postgresql-$PGV -> podman import $TAG"
	S=$WORK/rootfs
	mkdir -p "$S"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64,local/bin,share/postgresql,lib/postgresql,lib/locale} \
		"$S"/{etc,tmp,run/postgresql,var/lib/postgresql/data,docker-entrypoint-initdb.d}
	ln -s usr/bin "$S/bin"; ln -s usr/sbin "$S/sbin"; ln -s usr/lib "$S/lib"; ln -s usr/lib64 "$S/lib64"
	ln -s ../run "$S/var/run"
	chmod 1777 "$S/tmp"
	cp -a /usr/lib/postgresql/$PGV "$S/usr/lib/postgresql/"
	rm -rf "$S/usr/lib/postgresql/$PGV/lib/"{llvmjit*,bitcode,pgxs}   # no JIT, no PGXS
	cp -a /usr/share/postgresql/$PGV "$S/usr/share/postgresql/"
	rm -rf "$S/usr/share/postgresql/$PGV/man"
	cp -a /usr/share/zoneinfo "$S/usr/share/"       # Debian's PostgreSQL uses the system tzdata
	ln -s /usr/share/zoneinfo/Etc/UTC "$S/etc/localtime"   # else initdb probes every zone file
	echo Etc/UTC >"$S/etc/timezone"
	cp -a /usr/lib/locale/C.utf8 "$S/usr/lib/locale/"
	cp /bin/busybox "$S/usr/bin/busybox"
	for a in $(/bin/busybox --list); do [ -e "$S/usr/bin/$a" ] || ln -s busybox "$S/usr/bin/$a"; done
	rm -f "$S/usr/bin/setpriv"
	cp /usr/bin/setpriv /usr/bin/locale "$S/usr/bin/"   # util-linux setpriv; locale -a for initdb
	{ find "$S/usr/lib/postgresql/$PGV" -type f \( -perm -u+x -o -name '*.so' \)
	  echo "$S/usr/bin/setpriv"; echo "$S/usr/bin/locale"; } |
		while read -r f; do ldd "$f" 2>/dev/null || true; done |
		awk '/=> \//{print $3} /^[ \t]*\/lib64\//{print $1}' | sort -u |
		while read -r lib; do
			case "$lib" in /lib/* | /lib64/*) dst=$S/usr$lib ;; *) dst=$S$lib ;; esac
			mkdir -p "$(dirname "$dst")"
			cp -L "$lib" "$dst"
		done
	printf '/usr/lib/x86_64-linux-gnu\n' >"$S/etc/ld.so.conf"
	ldconfig -r "$S"
	cat >"$S/etc/passwd" <<'PWEOF'
root:x:0:0:root:/root:/bin/sh
postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PWEOF
	printf 'root:x:0:\npostgres:x:999:\nnogroup:x:65534:\n' >"$S/etc/group"
	printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$S/etc/nsswitch.conf"
	install -m 755 "$WORK/docker-entrypoint.sh" "$S/usr/local/bin/docker-entrypoint.sh"
	chown 999:999 "$S/run/postgresql" "$S/var/lib/postgresql" "$S/var/lib/postgresql/data"
	chmod 3777 "$S/run/postgresql"; chmod 700 "$S/var/lib/postgresql/data"
	tar -C "$S" --numeric-owner -cf - . |
		podman import "${IMPORT_CHANGES[@]}" --change 'ENV LANG=C.UTF-8' - "$TAG" >/dev/null
fi

NEW_ID=$(podman image inspect --format '{{.Id}}' "$TAG")
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ] &&
	[ -z "$(podman image inspect --format '{{.RepoTags}}' "$OLD_ID" 2>/dev/null | tr -d '[]')" ]; then
	podman rmi "$OLD_ID" >/dev/null 2>&1 || true   # the replaced, now untagged, build
fi
log "built $TAG ($(podman image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"

# --- smoke test: start, connect over 127.0.0.1:<random port>, remove --------
if [ "$SMOKE" = 1 ]; then
	name=pgmig-smoke-$$
	podman run -d --name "$name" --pull=never -p 127.0.0.1::5432 --tmpfs /var/lib/postgresql/data \
		-e POSTGRES_PASSWORD=smoke -e POSTGRES_USER=smoke -e POSTGRES_DB=smoke "$TAG" >/dev/null
	trap 'podman rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
	port=$(podman port "$name" 5432/tcp | sed 's/.*://')
	ok=0
	for _ in $(seq 1 300); do
		if command -v pg_isready >/dev/null; then
			pg_isready -q -h 127.0.0.1 -p "$port" -U smoke -d smoke && { ok=1; break; }
		else
			podman exec "$name" pg_isready -q -h 127.0.0.1 -U smoke -d smoke 2>/dev/null && { ok=1; break; }
		fi
		sleep 0.05
	done
	if [ "$ok" = 1 ] && command -v psql >/dev/null; then
		PGPASSWORD=smoke psql -h 127.0.0.1 -p "$port" -U smoke -d smoke -Atqc 'select 1' | grep -qx 1 || ok=0
	fi
	podman rm -f "$name" >/dev/null
	[ "$ok" = 1 ] || { echo "smoke test failed" >&2; exit 1; }
	log "smoke test ok (127.0.0.1:$port)"
fi
log "use it with: export CONTAINERS_CONF=$CONF; podman run -d -p 127.0.0.1::5432 -e POSTGRES_PASSWORD=... $TAG"
