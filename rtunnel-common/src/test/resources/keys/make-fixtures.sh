#!/bin/sh
# Regenerates every key fixture in this directory with the real ssh-keygen (OpenSSH 9.2 made the
# committed ones). Afterwards rerun `ssh-keygen -lf` on each key and update the fingerprints in
# rtunnel/auth/Fixtures.java, since every key changes.
#
#   sh make-fixtures.sh
set -eu
cd "$(dirname "$0")"
PASS='correct horse'

for f in *; do
    case "$f" in make-fixtures.sh | README.txt) ;; *) rm -f "$f" ;; esac
done

# gen NAME ssh-keygen-options...: writes NAME and NAME.pub with the comment fixture-NAME.
gen() {
    name=$1
    shift
    ssh-keygen -q "$@" -C "fixture-$name" -f "$name"
}

# OpenSSH format, unencrypted.
gen ed25519 -t ed25519 -N ''
gen ecdsa256 -t ecdsa -b 256 -N ''
gen ecdsa384 -t ecdsa -b 384 -N ''
gen ecdsa521 -t ecdsa -b 521 -N ''
gen rsa2048 -t rsa -b 2048 -N ''
gen rsa3072 -t rsa -b 3072 -N ''
# PEM (BEGIN RSA / EC PRIVATE KEY) and PKCS#8 (BEGIN PRIVATE KEY).
gen rsa-pem -t rsa -b 2048 -m PEM -N ''
gen ecdsa-pem -t ecdsa -b 256 -m PEM -N ''
gen rsa-pkcs8 -t rsa -b 2048 -m PKCS8 -N ''
gen ecdsa-pkcs8 -t ecdsa -b 384 -m PKCS8 -N ''
# Encrypted with the passphrase "correct horse".
gen ed25519-encrypted -t ed25519 -N "$PASS"
gen rsa-encrypted -t rsa -b 2048 -N "$PASS"
gen ed25519-chacha -t ed25519 -N "$PASS" -Z chacha20-poly1305@openssh.com
gen rsa-pem-encrypted -t rsa -b 2048 -m PEM -N "$PASS"
gen ecdsa-pkcs8-encrypted -t ecdsa -b 256 -m PKCS8 -N "$PASS"
# Keys rtunnel must refuse.
gen rsa1024 -t rsa -b 1024 -N ''
gen dsa -t dsa -N ''

# Signatures in OpenSSH's SSHSIG format over message.txt, to prove that our verify() accepts what
# OpenSSH signs (RSA signs with rsa-sha2-512 there).
printf 'rtunnel fixture message\n' > message.txt
for k in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa2048; do
    ssh-keygen -q -Y sign -f "$k" -n rtunnel-test message.txt
    mv message.txt.sig "message.$k.sig"
done

# authorized_keys: options, comments, blank lines and exactly one malformed line (line 12).
{
    echo '# rtunnel authorized_keys fixture, written by make-fixtures.sh'
    echo
    printf 'permitlisten="4000",permitlisten="4005-4010",no-pty,command="echo a, b" %s\n' "$(cat ed25519.pub)"
    cat ecdsa256.pub
    echo
    echo '# OpenSSH host:port form; this key may listen on port 5000 of localhost only'
    printf 'no-agent-forwarding,permitlisten="localhost:5000" %s\n' "$(cat rsa2048.pub)"
    printf 'permitlisten="*" %s\n' "$(cat ecdsa384.pub)"
    echo '   # an indented comment'
    printf '%s\n' "$(cat rsa-pem.pub)"
    echo
    echo 'ssh-ed25519 AAAA!!!not-base64 fixture-broken'
    printf 'environment="A=1,2" %s\n' "$(cat ecdsa521.pub)"
} > authorized_keys

# known_hosts: a plain line, a hashed |1| line, an @revoked line and an @cert-authority line.
printf 'tunnel.example.org,192.0.2.7 %s\n' "$(cut -d' ' -f1,2 ecdsa521.pub)" > known_hosts.plain
printf 'hashed.example.org %s\n' "$(cut -d' ' -f1,2 ed25519.pub)" > known_hosts.hashed
ssh-keygen -q -H -f known_hosts.hashed > /dev/null 2>&1
rm -f known_hosts.hashed.old
{
    echo '# rtunnel known_hosts fixture, written by make-fixtures.sh'
    cat known_hosts.plain
    cat known_hosts.hashed
    printf '[tunnel.example.org]:2222 %s\n' "$(cut -d' ' -f1,2 rsa3072.pub)"
    printf '@revoked * %s\n' "$(cat rsa3072.pub)"
    printf '@cert-authority *.example.org %s\n' "$(cut -d' ' -f1,2 ecdsa-pem.pub)"
} > known_hosts
rm -f known_hosts.plain known_hosts.hashed

for f in *.pub; do
    ssh-keygen -lf "$f"
done
