#!/usr/bin/env bash
# Builds the services' container images on a machine that cannot reach mcr.microsoft.com, and starts each one
# from its own layers the way ECS would (read-only root file system, /tmp writable, the image's non-root user,
# its entry point), checking /health against a local redis-server. Needs root (chroot, mounts) and Debian's
# debootstrap, umoci, skopeo, docker-registry and redis-server (installed when missing).
#
# The base is a STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra: Debian minbase with ICU,
# tzdata, CA certificates, this SDK's own ASP.NET Core runtime and an "app" user (UID 1654), served by a registry
# on 127.0.0.1. It proves the images' layers, entry point, user and read-only start; `scripts/deploy.sh build`
# uses the real chiseled base. Not part of CI (debootstrap alone takes minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${INCIDENTOPS_IMAGE_CHECK_DIR:-/tmp/incidentops-image-check}"
PORT_REGISTRY=5000; PORT_REDIS=7401
BASE="127.0.0.1:$PORT_REGISTRY/incidentops-base/aspnet:10.0"

missing=()
for tool in debootstrap umoci skopeo docker-registry redis-server; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} -eq 0 ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
mkdir -p "$WORK"; cd "$WORK"

pids=()
# The services' own pids (written before the exec chain that ends in dotnet), then the unshare and registry processes
# (unshare ignores SIGTERM while it waits for its child).
cleanup() {
  for file in "$WORK"/run-*.pid; do [ -f "$file" ] && kill "$(cat "$file")" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  redis-cli -p $PORT_REDIS shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ ! -d rootfs/usr/share/dotnet ]; then
  echo "==> stand-in base: Debian minbase + ICU, tzdata, CA certificates + the SDK's ASP.NET Core runtime"
  rm -rf rootfs
  debootstrap --variant=minbase --include=ca-certificates,libicu72,tzdata,libssl3 bookworm rootfs http://deb.debian.org/debian >/dev/null
  rm -rf rootfs/var/cache/apt/* rootfs/var/lib/apt/lists/* rootfs/usr/share/doc/* rootfs/usr/share/man/*
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  mkdir -p rootfs/usr/share/dotnet/shared
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" rootfs/usr/share/dotnet/
  for fw in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    v="$(ls "$dotnet_root/shared/$fw" | sort -V | tail -n 1)"
    mkdir -p "rootfs/usr/share/dotnet/shared/$fw" && cp -a "$dotnet_root/shared/$fw/$v" "rootfs/usr/share/dotnet/shared/$fw/"
  done
  ln -sf /usr/share/dotnet/dotnet rootfs/usr/bin/dotnet
  chroot rootfs groupadd -g 1654 app && chroot rootfs useradd -u 1654 -g 1654 -M -d /home/app -s /usr/sbin/nologin app
fi

rm -rf oci bundle && umoci init --layout oci && umoci new --image oci:base && umoci unpack --image oci:base bundle >/dev/null
rm -rf bundle/rootfs && cp -a rootfs bundle/rootfs && umoci repack --image oci:base bundle
umoci config --image oci:base --architecture amd64 --os linux --config.user 1654 \
  --config.env DOTNET_RUNNING_IN_CONTAINER=true --config.env ASPNETCORE_HTTP_PORTS=8080 --config.env APP_UID=1654 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\nhttp:\n  addr: 127.0.0.1:%s\n' "$WORK" $PORT_REGISTRY > registry.yml
docker-registry serve registry.yml > registry.log 2>&1 & pids+=($!)
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT_REGISTRY/v2/" >/dev/null && break; sleep 0.2; done
skopeo copy --quiet --dest-tls-verify=false oci:oci:base "docker://$BASE"

redis-server --port $PORT_REDIS --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
status=0; port=5981
for service in Api Agents Metrics; do
  name="$(echo "$service" | tr '[:upper:]' '[:lower:]')"
  echo "==> image $name"
  DOTNET_CONTAINER_INSECURE_REGISTRIES="127.0.0.1:$PORT_REGISTRY" dotnet publish "$ROOT/IncidentOps.$service" -c Release -nologo -v q \
    -t:PublishContainer -p:ContainerBaseImage="$BASE" -p:ContainerImageTag=check -p:ContainerArchiveOutputPath="$WORK/$name.tar.gz"
  rm -rf "img-$name" "run-$name" "run-$name.pid" && mkdir "img-$name" && tar -xf "$name.tar.gz" -C "img-$name"
  umoci unpack --image "img-$name:check" "run-$name" >/dev/null
  echo "    layers (bytes, compressed): $(find "img-$name/blobs" -type f -size +100k -printf '%s ' )"
  root="$WORK/run-$name/rootfs"
  # The rootfs read-only, /tmp a tmpfs, the image's user and entry point; the environment ECS gives (secrets made local).
  unshare --mount --fork --kill-child bash -c "
    mount --bind '$root' '$root' && mount -o remount,ro,bind '$root' && mount -t tmpfs tmpfs '$root/tmp' && mount -t proc proc '$root/proc' && cd / && echo \$\$ > '$WORK/run-$name.pid' &&
    exec chroot --userspec=1654:1654 '$root' /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp DOTNET_RUNNING_IN_CONTAINER=true \
      HTTP_PORTS=$port ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__redis=127.0.0.1:$PORT_REDIS \
      Ingest__Tokens__Events=t1 Ingest__Tokens__Alertmanager=t2 Ingest__Tokens__Grafana=t3 Ingest__Tokens__CloudWatch=t4 \
      Auth__Authority=https://deploy-time.example Ingest__CloudWatch__TopicArns__0=arn:aws:sns:us-east-1:123456789012:incidentops-alarms \
      /bin/sh -c 'cd /app && exec dotnet /app/IncidentOps.$service.dll'" > "run-$name.log" 2>&1 & pids+=($!)
  code=000
  for _ in $(seq 1 120); do code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)"; [ "$code" = 200 ] && break; sleep 0.5; done
  if [ "$code" = 200 ]; then echo "    started read-only as UID 1654: /health 200"; else echo "    /health: $code (log: $WORK/run-$name.log)"; status=1; fi
  port=$((port + 1))
done
exit $status
