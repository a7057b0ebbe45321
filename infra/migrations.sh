#!/usr/bin/env bash
# Regenerates the migrations of both providers after a model change: ./infra/migrations.sh [Name]
# Before the first release the schema is one "Initial" migration, rebuilt whole (no database holds it yet).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-Initial}
dotnet tool restore >/dev/null
project=src/Webinars.Web
if [ "$name" = Initial ]; then rm -rf "$project/Data/Migrations"; fi
dotnet build "$project" -v q -nologo >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --project "$project" --context "${provider}WebinarsDbContext" \
    --output-dir "Data/Migrations/$provider" >/dev/null
done
echo "migrations: $name regenerated for Sqlite and Postgres"
