#!/bin/sh
# Installs the systemd unit and restarts the service (see the deployment guide).
set -eu
cat > /etc/systemd/system/massage-shop.service <<UNIT
[Unit]
Description=Massage shop booking site
After=network.target

[Service]
User=deploy
WorkingDirectory=/srv/massage-shop
Environment=PORT=3000 NODE_ENV=production
ExecStart=/usr/bin/node /srv/massage-shop/server.js
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable massage-shop
systemctl restart massage-shop
