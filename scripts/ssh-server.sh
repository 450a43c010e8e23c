#!/usr/bin/env bash
# Installs (if missing) Debian's OpenSSH server for the remote-engine tests. The tests start their own sshd
# on 127.0.0.1 with a throwaway host key and client key (test/helpers/ssh-server.ts); nothing here starts one
# or touches ~/.ssh.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null 2>&1; then
  echo "ssh-server: installing openssh-server"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
fi
echo "ssh-server: $(/usr/sbin/sshd -V 2>&1 | head -n 1 || true)"
