#!/bin/bash
# guard derive on five deployment guides in different styles, each with a
# table of commands and the verdicts its derived policy must give (checked
# with guard check after the guide's sections have been acknowledged).
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || skip_all "git not installed"
export XDG_STATE_HOME=$TMP/state HOME=$TMP/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"

# newrepo NAME: an empty repository in $TMP/NAME; files are written by the caller.
newrepo() {
	R=$TMP/$1
	mkdir -p "$R"
	git -C "$R" init -q -b main
	git -C "$R" config user.name t
	git -C "$R" config user.email t@example.invalid
}
commit() { git -C "$R" add -A && git -C "$R" commit -q -m "$1"; }
derive() {
	P=$R/.guard/policy.ini
	out=$(cd "$R" && $GUARD derive 2>&1)
	ok $? "$1: guard derive exits 0"
	# acknowledge every [ack NAME] of the policy, reading it as guard ack prints it
	for a in $(sed -n 's/^\[ack \(.*\)\]$/\1/p' "$P"); do
		tok=$($GUARD ack --policy "$P" "$a" | sed -n 's/^    guard ack [^ ]* //p')
		$GUARD ack --policy "$P" "$a" "$tok" >/dev/null
		ok $? "$1: acknowledged [ack $a]"
	done
}
table() { # lines "verdict<TAB>command[<TAB>regex the message must contain]"
	local v c re out rc got
	while IFS=$'\t' read -r v c re; do
		[ -z "$v" ] && continue
		out=$($GUARD check --policy "$P" -- "$c" 2>&1)
		rc=$?
		case $rc in 0) got=allow ;; 1) got=warn ;; 2) got=deny ;; *) got="error($rc)" ;; esac
		is "$got" "$v" "$NAME: $c -> $v"
		[ -n "$re" ] && like "$out" "$re" "$NAME:   ... names $re"
	done
}

# ---------------------------------------------------------------- 1. supervisord
NAME=supervisord
newrepo sup
mkdir -p "$R/deploy/supervisor"
cat >"$R/deploy/supervisor/shop.conf" <<'EOF'
[program:shop-worker]
command=/srv/shop/venv/bin/python3 /srv/shop/worker.py
user=shop
autorestart=true
EOF
cat >"$R/RUNBOOK.md" <<'EOF'
# Shop operations runbook

## Processes

The booking API and its queue worker are supervised by supervisord. The
programs are defined in `deploy/supervisor/shop.conf` as `shop-api` and
`shop-worker`.

Restart the API with `sudo supervisorctl restart shop-api` and the worker with
`sudo supervisorctl restart shop-worker`.

Never start the worker by hand with `python3 worker.py`: supervisord would
then run a second copy and both would consume the queue.
EOF
commit "supervisord guide"
derive $NAME
line=$(grep -n 'Never start the worker' "$R/RUNBOOK.md" | cut -d: -f1)
table <<EOF
deny	python3 worker.py	RUNBOOK.md:$line
deny	nohup python3 /srv/shop/worker.py &	Never start the worker by hand
allow	sudo supervisorctl restart shop-worker
allow	supervisorctl status shop-api
allow	ls -la
allow	python3 -m pip list
EOF

# ---------------------------------------------------------- 2. docker compose
NAME=compose
newrepo compose
cat >"$R/docker-compose.yml" <<'EOF'
services:
  web:
    image: shop/web
  db:
    image: postgres:16
    volumes: [db:/var/lib/postgresql/data]
volumes:
  db: {}
EOF
cat >"$R/DEPLOY.md" <<'EOF'
Deploying the shop
==================

The shop runs as a Docker Compose stack on the host: the `web` and `db`
services are defined in `docker-compose.yml`.

Deploy a new version:

```sh
docker compose pull
docker compose up -d
```

Follow the logs with `docker compose logs -f web`.

`docker compose down -v` deletes the database volume and every booking with it;
run it only in a maintenance window.

Do not start containers by hand with `docker run`, they would not join the
stack's network.
EOF
commit "compose guide"
derive $NAME
table <<EOF
allow	docker compose up -d
allow	docker compose logs -f web
warn	docker compose down -v	deletes the database volume
allow	docker compose down
deny	docker run -d shop/web	Do not start containers by hand
allow	docker ps
EOF

# ------------------------------------------------ 3. PM2 is the intended manager
NAME=pm2-intended
newrepo pm2
printf '{ "name": "api", "scripts": { "start": "node dist/server.js" } }\n' >"$R/package.json"
cat >"$R/README.md" <<'EOF'
# API

## Production

The API runs under PM2 in cluster mode, configured by `ecosystem.config.js`.

- Deploy: `pm2 reload ecosystem.config.js --env production`
- Logs: `pm2 logs api`
- Status: `pm2 status`

Do not start the API with `node dist/server.js` directly; PM2 would not know
about that copy and port 8080 would be taken twice.

PM2 must not run as root: use the `deploy` user.
EOF
commit "pm2 guide"
derive $NAME
denies=$(awk '/^\[rule /{m="";a=""} /^match = /{m=$0} /^action = /{a=$0; if (m ~ /= (npx )?pm2( |$)/ && a ~ /deny|warn/) print m}' "$P")
is "$denies" "" "$NAME: no rule denies or warns about pm2 itself"
table <<EOF
allow	pm2 reload ecosystem.config.js --env production
allow	pm2 logs api
allow	npx pm2 status
allow	pm2 restart all
deny	node dist/server.js	Do not start the API
deny	forever start dist/server.js	runs under PM2
allow	node --version
EOF

# -------------------------------- 4. systemd, plain text, a destructive command
NAME=systemd-destructive
newrepo sysd
cat >"$R/OPERATIONS.txt" <<'EOF'
OPERATIONS
==========

The shop is a systemd service: systemd starts it at boot and restarts it
when it dies.

Restarting
----------

    sudo systemctl restart shop

Stopping the service takes the site down, so do it only in a maintenance
window:

    sudo systemctl stop shop

Resetting the database deletes all bookings and cannot be undone:

    sudo -u postgres dropdb shop
EOF
commit "systemd guide"
derive $NAME
table <<EOF
allow	sudo systemctl restart shop
allow	systemctl status shop
warn	sudo systemctl stop shop	takes the site down
warn	sudo -u postgres dropdb shop	cannot be undone
allow	ls
EOF

# ------------------------------------------------------- 5. explicit directives
NAME=directives
newrepo directives
cat >"$R/RUNBOOK.md" <<'EOF'
# Runbook

The rules below are enforced by guard on the production host.

```guard
[rule no-db-reset]
match = rake db:reset
action = deny
reason = Resetting the database deletes every customer record.
instead = rake db:migrate
see = RUNBOOK.md:5
example.deny = rake db:reset
```

Never use PM2 here (this sentence is prose: a doc with guard blocks states
its policy exactly, so guard derive does not second-guess it).
EOF
commit "directives"
derive $NAME
pol=$(cat "$P")
like "$pol" "; \`\`\`guard block at RUNBOOK.md:5, copied verbatim" "$NAME: the block's source line"
like "$pol" "reason = Resetting the database deletes every customer record\." "$NAME: copied"
table <<EOF
deny	rake db:reset	Resetting the database
deny	sudo rake db:reset
allow	rake db:migrate
allow	pm2 list
EOF

# ------------------------------------------- 6. reStructuredText, supervisord
NAME=rst
newrepo rst
cat >"$R/operations.rst" <<'EOF'
==========
Operations
==========

Process management
==================

The shop is managed by supervisord; its program is ``shop-web``.

Restart it like this:

.. code-block:: bash

   sudo supervisorctl restart shop-web

.. warning:: Never run ``gunicorn shop.wsgi`` by hand on the server: it would
   bind port 8000 twice.

.. code-block:: ini

   [program:shop-web]
   command=/srv/shop/venv/bin/gunicorn shop.wsgi
EOF
commit "rst guide"
derive $NAME
like "$(cat "$P")" "instead = sudo supervisorctl restart shop-web" "$NAME: instead from the code-block"
table <<EOF
deny	gunicorn shop.wsgi --bind :8000	Never run \`\`gunicorn shop.wsgi\`\` by hand
allow	sudo supervisorctl restart shop-web
allow	supervisorctl status
EOF

# Every derived policy passes guard policy check (its examples hold).
for d in sup compose pm2 sysd directives rst; do
	out=$($GUARD policy check "$TMP/$d/.guard/policy.ini" 2>&1)
	ok $? "guard policy check $d/.guard/policy.ini"
done
done_testing
