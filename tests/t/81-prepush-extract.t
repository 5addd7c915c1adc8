#!/bin/bash
# What the pre-push hook reads as commands in each kind of file
# (guard-git prepush --extract prints path:line:where: text for each piece).
. "$(dirname "$0")/../lib/tap.sh"

cd "$TMP" || exit 1
x() { "$GUARD_GIT" prepush --extract "$@" 2>&1; }

# --- shell scripts: by extension or shebang, the whole file ---
printf 'echo a\npm2 start x\n' > deploy.sh
is "$(x deploy.sh)" "deploy.sh:1:script: echo a
pm2 start x" "a .sh file is analysed whole from line 1"
printf '#!/usr/bin/env bash\npm2 logs\n' > run-it
is "$(x run-it)" "run-it:1:script: #!/usr/bin/env bash
pm2 logs" "a file with a bash shebang is a shell script"
printf '#!/usr/bin/python3\nprint(1)\n' > tool
is "$(x tool)" "" "a python script is not analysed as shell"

# --- package.json: each script, at the line of its key ---
cat > package.json <<'EOF'
{
  "name": "massage-shop",
  "scripts": {
    "start": "node server.js",
    "prod": "pm2 start server.js --name shop",
    "weird\"key": "echo hi"
  }
}
EOF
is "$(x package.json)" 'package.json:4:scripts.start (folded): node server.js
package.json:5:scripts.prod (folded): pm2 start server.js --name shop
package.json:6:scripts.weird"key (folded): echo hi' "package.json scripts with their lines"
mkdir bad && printf '{\n  "scripts": {\n    "a": "x",\n  }\n}\n' > bad/package.json
like "$(x bad/package.json)" '^guard: bad/package.json: line 4: not valid JSON' \
	"broken package.json is an error with its line"

# --- Makefile: recipes, make variables resolved, $$ -> $ ---
printf 'PM2 = pm2\nAPP := server.js\n\nall: build\n\t@echo building $(APP)\n\nrun: all ; $(PM2) start $(APP)\n\ndeploy:\n\t-rsync -a . host:/srv/app && \\\n\t  ssh host "cd /srv && $$HOME/bin/x"\n\t$(MAKE) -C sub $@\n\tcc $(shell pkg-config --cflags x) -o $@ $<\n' > Makefile
is "$(x Makefile)" 'Makefile:5:recipe: echo building server.js
Makefile:7:recipe:  pm2 start server.js
Makefile:10:recipe: rsync -a . host:/srv/app && \
  ssh host "cd /srv && $HOME/bin/x"
Makefile:12:recipe: make -C sub ${MAKEVAR}
Makefile:13:recipe: cc $(pkg-config --cflags x) -o ${MAKEVAR} ${MAKEVAR}' \
	"Makefile recipes, inline recipes, variables, continuation lines"

# --- systemd: Exec*= lines, prefixes stripped, continuation joined ---
cat > app.service <<'EOF'
[Service]
ExecStartPre=-/usr/bin/npm ci
ExecStart=/usr/bin/node \
   server.js
ExecReload=@/usr/bin/pm2 pm2 reload all
Environment=X=1
EOF
is "$(x app.service)" 'app.service:2:ExecStartPre (folded): /usr/bin/npm ci
app.service:3:ExecStart (folded): /usr/bin/node     server.js
app.service:5:ExecReload (folded): /usr/bin/pm2 reload all' "systemd Exec lines"

# --- Dockerfile: RUN (shell, exec form, flags, heredoc), CMD, ENTRYPOINT ---
cat > Dockerfile <<'EOF'
FROM node:20
# comment
RUN apt-get update && \
    # inline comment
    apt-get install -y curl
RUN --mount=type=cache,target=/root/.npm npm ci
run ["npm", "install", "-g", "pm2"]
RUN <<EOT
set -e
pm2 install x
EOT
CMD ["pm2-runtime", "server.js"]
ENTRYPOINT node server.js
EOF
is "$(x Dockerfile)" "Dockerfile:3:RUN: apt-get update && \\
\\
    apt-get install -y curl
Dockerfile:6:RUN: npm ci
Dockerfile:7:RUN (folded): 'npm' 'install' '-g' 'pm2'
Dockerfile:9:RUN: set -e
pm2 install x

Dockerfile:12:CMD (folded): 'pm2-runtime' 'server.js'
Dockerfile:13:ENTRYPOINT: node server.js" "Dockerfile instructions keep their lines"

# --- GitHub workflow: run: inline, |, >, quoted; shell: python skipped ---
mkdir -p .github/workflows
cat > .github/workflows/ci.yml <<'EOF'
name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: deploy
        run: |
          echo ${{ github.sha }}
          pm2 restart all

          echo done
      - name: py
        shell: python
        run: print("pm2")
      - run: >
          ssh host
          pm2 logs
      - run: 'echo ''quoted'''
EOF
is "$(x .github/workflows/ci.yml)" '.github/workflows/ci.yml:8:run: npm ci
.github/workflows/ci.yml:11:run: echo ${CI_EXPR}
pm2 restart all

echo done

.github/workflows/ci.yml:19:run (folded): ssh host pm2 logs 
.github/workflows/ci.yml:21:run: echo '"'"'quoted'"'" "GitHub workflow run steps"

# --- GitLab CI: script lists, block items, flow sequences ---
cat > .gitlab-ci.yml <<'EOF'
before_script:
  - npm ci
deploy:
  script:
    - echo one
    - |
      pm2 start server.js
      echo two
  after_script: [echo a, "echo b"]
EOF
is "$(x .gitlab-ci.yml)" '.gitlab-ci.yml:2:before_script: npm ci
.gitlab-ci.yml:5:script: echo one
.gitlab-ci.yml:7:script: pm2 start server.js
echo two

.gitlab-ci.yml:9:after_script (folded): echo a
.gitlab-ci.yml:9:after_script (folded): echo b' "GitLab CI script lists"

# --- files that run nothing ---
printf 'pm2 start x\n' > README.md
is "$(x README.md)" "" "a Markdown file is not a script"

done_testing
