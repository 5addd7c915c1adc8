#!/bin/sh
# mkrepo.sh DIR - creates the bundled example repository (the massage-shop
# app of the incident report) as a git repository in DIR, with one commit.
set -eu
src=$(cd "$(dirname "$0")/massage-shop" && pwd)
dir=$1
mkdir -p "$dir"
cp -R "$src/." "$dir/"
cd "$dir"
git init -q -b main .
git config user.name "Example Dev"
git config user.email "dev@example.invalid"
git add -A
GIT_AUTHOR_DATE="2025-08-01T12:00:00Z" GIT_COMMITTER_DATE="2025-08-01T12:00:00Z" \
	git commit -q -m "massage-shop: booking site, systemd deployment"
