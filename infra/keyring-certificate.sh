#!/usr/bin/env bash
# Creates infra/keyring.pfx, the certificate that encrypts the data-protection key ring at rest
# (DataProtection:CertificateFile), and appends its password to infra/.env as KEYRING_PASSWORD.
# Keep a copy of both outside the server: without them existing sign-ins and cookies cannot be read.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -e keyring.pfx ]]; then echo "keyring.pfx exists; not replacing it" >&2; exit 1; fi
password=$(openssl rand -hex 24)
key=$(mktemp) cert=$(mktemp)
trap 'rm -f "$key" "$cert"' EXIT
openssl req -x509 -newkey rsa:3072 -nodes -keyout "$key" -out "$cert" -days 3650 -subj "/CN=Webinars key ring" 2>/dev/null
openssl pkcs12 -export -inkey "$key" -in "$cert" -out keyring.pfx -passout "pass:$password"
chmod 600 keyring.pfx
echo "KEYRING_PASSWORD=$password" >> .env
echo "Created infra/keyring.pfx; KEYRING_PASSWORD added to infra/.env"
