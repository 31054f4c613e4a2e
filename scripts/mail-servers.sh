#!/usr/bin/env bash
# Throw-away mail servers for the e-mail tests, like scripts/pg-cluster.sh for PostgreSQL: a
# Dovecot (IMAP, IMAPS, LMTP, SASL auth) and a Postfix (SMTP and an authenticated submission port)
# listening on free 127.0.0.1 ports, with every file — configuration, queue, mailboxes, logs,
# sockets, a self-signed certificate — in DIR. Nothing leaves the machine, nothing system-wide is
# read for configuration or written (/etc/postfix/main.cf and /etc/dovecot are not used), and two
# instances in two directories run side by side.
#   scripts/mail-servers.sh start DIR   prints the `export GAZELLE_TEST_MAIL_…=…` lines to eval
#   scripts/mail-servers.sh stop DIR    stops both servers and removes DIR
# When start fails, what did start is still running: call stop (logs: DIR/*.log).
#
# Mail for example.test (users sales, customer, support, other @example.test, password `secret`)
# goes SMTP -> Postfix -> LMTP -> Dovecot -> DIR/mail/<user>/Maildir; any other domain is refused
# at RCPT TO (never relayed), and an unknown local user (nobody@example.test) is refused by
# Dovecot's LMTP with 550, so Postfix sends a bounce (DSN) back to the sender's mailbox.
#
# How Postfix runs without /etc/postfix/main.cf: every Postfix program takes its configuration
# directory from `-c DIR` or the MAIL_CONFIG environment variable. `postfix -c DIR/postfix start`
# exports MAIL_CONFIG=DIR/postfix to postfix-script and to master(8), and master passes it on to
# every daemon it spawns because MAIL_CONFIG is in import_environment's default list. Postfix asks
# for a non-default directory to be listed in the default main.cf's alternate_config_directories
# only when an unprivileged user runs a set-gid program (postqueue, postdrop) with it; the tests
# run this as root and only speak SMTP, so the default main.cf is never read (it need not exist).
# Run as root: Postfix's master and Dovecot's start as root and drop to their own users
# (postfix, dovecot, dovenull); mail is stored as the `mail` user.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
users=(sales customer support other)
domain=example.test
password=secret

free_ports() {  # N distinct free loopback ports (all bound at once, so that they differ)
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

wait_ports() {  # until every port accepts a connection (20 s at most)
  python3 - "$@" <<'PY'
import socket, sys, time
deadline = time.time() + 20
for p in sys.argv[1:]:
    while True:
        try:
            socket.create_connection(("127.0.0.1", int(p)), timeout=1).close(); break
        except OSError:
            if time.time() > deadline: sys.exit(f"mail-servers: port {p} does not answer")
            time.sleep(0.1)
PY
}

stop() {
  if [ -f "$dir/dovecot/dovecot.conf" ]; then
    dovecot -c "$dir/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/postfix/main.cf" ]; then
    postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true
  fi
  # Wait for the masters to be gone before removing their files.
  for pidfile in "$dir/dovecot/run/master.pid" "$dir/postfix-queue/pid/master.pid"; do
    if [ -f "$pidfile" ]; then
      pid=$(tr -d ' \n' < "$pidfile" || true)
      for _ in $(seq 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
  done
}

case "$cmd" in
  start)
    [ "$(id -u)" -eq 0 ] || { echo "mail-servers: must run as root (Postfix's master and Dovecot start as root)" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # Postfix's daemons (user postfix) and Dovecot's (dovecot, mail) reach their sockets and
    # files under DIR.
    chmod 755 "$dir"
    read -r smtp_port submission_port imap_port imaps_port lmtp_port < <(free_ports 5)
    mkdir -p "$dir/tls" "$dir/dovecot/run" "$dir/dovecot/state" "$dir/mail" "$dir/postfix"

    # A self-signed certificate for STARTTLS and IMAPS (clients connect with verification off).
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mail.$domain" \
      -addext "subjectAltName=DNS:mail.$domain,IP:127.0.0.1" \
      -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" >"$dir/openssl.log" 2>&1
    chmod 600 "$dir/tls/key.pem"

    # Dovecot: users in a passwd-file (PLAIN passwords), maildirs owned by `mail`.
    : > "$dir/dovecot/users"
    for u in "${users[@]}"; do
      echo "$u@$domain:{PLAIN}$password::::$dir/mail/$u::" >> "$dir/dovecot/users"
      mkdir -p "$dir/mail/$u"
    done
    chown -R mail:mail "$dir/mail"
    chmod 644 "$dir/dovecot/users"
    # Diffie-Hellman parameters: Debian's (generating 2048-bit ones takes a while).
    dh=/usr/share/dovecot/dh.pem
    if [ ! -f "$dh" ]; then
      dh="$dir/tls/dh.pem"
      openssl dhparam -out "$dh" 2048 >>"$dir/openssl.log" 2>&1
    fi
    cat > "$dir/dovecot/dovecot.conf" <<CONF
# Throw-away Dovecot of scripts/mail-servers.sh: everything under $dir.
instance_name = gazelle-mail-$(basename "$dir")
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
log_path = $dir/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <$dir/tls/cert.pem
ssl_key = <$dir/tls/key.pem
ssl_dh = <$dh
disable_plaintext_auth = no
# A wrong password is answered at once (the tests try one on purpose).
auth_failure_delay = 0
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
mail_uid = mail
mail_gid = mail
first_valid_uid = $(id -u mail)
first_valid_gid = $(id -g mail)
postmaster_address = postmaster@$domain
hostname = mail.$domain
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $dir/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $dir/dovecot/users
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
# Postfix's smtpd (user postfix) authenticates submission clients through this socket.
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
CONF
    dovecot -c "$dir/dovecot/dovecot.conf" >"$dir/dovecot.start.log" 2>&1

    # Postfix: its own main.cf and master.cf in DIR/postfix; the queue and data directories
    # beside it (postfix-script wants the configuration tree owned by root, the queue's
    # subdirectories by postfix: `postfix start` creates them, post-install create-missing).
    pf="$dir/postfix"
    mkdir -p "$dir/postfix-queue" "$dir/postfix-data"
    chown postfix "$dir/postfix-data"
    touch "$pf/main.cf"
    postconf -c "$pf" -e \
      "compatibility_level = 3.6" \
      "queue_directory = $dir/postfix-queue" \
      "data_directory = $dir/postfix-data" \
      "mail_owner = postfix" \
      "setgid_group = postdrop" \
      "myhostname = mail.$domain" \
      "mydomain = $domain" \
      "myorigin = $domain" \
      "mydestination =" \
      "inet_interfaces = loopback-only" \
      "inet_protocols = ipv4" \
      "mynetworks = 127.0.0.1/32" \
      "relayhost =" \
      "relay_domains =" \
      "virtual_mailbox_domains = $domain" \
      "virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port" \
      "default_transport = error:no mail leaves this test machine" \
      "relay_transport = error:no mail leaves this test machine" \
      "local_transport = error:no local delivery on this test machine" \
      "alias_maps =" \
      "alias_database =" \
      "local_recipient_maps =" \
      "smtpd_relay_restrictions = reject_unauth_destination" \
      "smtpd_tls_cert_file = $dir/tls/cert.pem" \
      "smtpd_tls_key_file = $dir/tls/key.pem" \
      "smtpd_tls_security_level = may" \
      "smtpd_sasl_type = dovecot" \
      "smtpd_sasl_path = $dir/dovecot/run/auth-postfix" \
      "smtpd_error_sleep_time = 0" \
      "smtp_dns_support_level = disabled" \
      "lmtp_host_lookup = native" \
      "biff = no" \
      "delay_warning_time = 0" \
      "maximal_queue_lifetime = 1h" \
      "bounce_queue_lifetime = 1h" \
      "maillog_file = $dir/postfix.log" \
      "maillog_file_prefixes = $dir"
    # No chroot (the daemons read DIR directly); only the services these tests use.
    cat > "$pf/master.cf" <<CONF
# Throw-away Postfix of scripts/mail-servers.sh.
# service       type  private unpriv chroot wakeup maxproc command
127.0.0.1:$smtp_port inet n   -      n      -      -       smtpd
127.0.0.1:$submission_port inet n - n      -      -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
    postfix -c "$pf" start >"$dir/postfix.start.log" 2>&1

    wait_ports "$smtp_port" "$submission_port" "$imap_port" "$imaps_port" "$lmtp_port"
    cat <<OUT
export GAZELLE_TEST_MAIL_SMTP=smtp://127.0.0.1:$smtp_port
export GAZELLE_TEST_MAIL_SUBMISSION=smtp://127.0.0.1:$submission_port
export GAZELLE_TEST_MAIL_IMAP=imap://127.0.0.1:$imap_port
export GAZELLE_TEST_MAIL_IMAPS=imaps://127.0.0.1:$imaps_port
export GAZELLE_TEST_MAIL_PASSWORD=$password
export GAZELLE_TEST_MAIL_DOMAIN=$domain
export GAZELLE_TEST_MAIL_DOVECOT_CONF=$dir/dovecot/dovecot.conf
OUT
    ;;
  stop)
    if [ -d "$dir" ]; then
      dir=$(cd "$dir" && pwd)
      stop
      rm -rf "$dir"
    fi
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
