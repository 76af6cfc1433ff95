# tui-lib.sh: drives a program in a private tmux server for end-to-end terminal tests (sourced, POSIX sh).
# Every tmux call uses its own socket and a generated config; exit statuses go through a file
# (tmux 3.3a does not always fill in #{pane_dead_status}); waits poll the screen, never sleep-and-hope.
unset TMUX
TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tui.XXXXXX") || exit 99
TUI_SOCK=$TUI_DIR/sock
TUI_CONF=$TUI_DIR/conf
TUI_SESSION=0
TUI_STATUS=$TUI_DIR/status.0
TUI_PID=$TUI_DIR/pid.0
: "${TUI_TIMEOUT:=30}"
printf '%s\n' 'set -g remain-on-exit on' 'set -g history-limit 0' 'set -g status off' >"$TUI_CONF"

tmx() { tmux -S "$TUI_SOCK" -f "$TUI_CONF" "$@"; }

# tui_quote WORD: WORD quoted for sh.
tui_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# tui_kill_server: ends the previous session's server and waits until it is really gone, so
# that the next new-session never talks to a dying server.
tui_kill_server() {
	tmx kill-server 2>/dev/null
	n=0
	while tmx list-sessions >/dev/null 2>&1 && [ "$n" -lt 200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	rm -f "$TUI_SOCK"
}

# tui_start COLS ROWS TERM LANG CMD...: runs CMD in a new session; its pid goes to $TUI_PID,
# its exit status to $TUI_STATUS, then the pane prints "shell back: status N". Each session
# has files of its own: the shell of the session before may still be writing its status
# while the server is killed, and that must never pass for this session's.
tui_start() {
	cols=$1 rows=$2 term=$3 lang=$4
	shift 4
	TUI_SESSION=$((TUI_SESSION + 1))
	TUI_STATUS=$TUI_DIR/status.$TUI_SESSION
	TUI_PID=$TUI_DIR/pid.$TUI_SESSION
	cmd=
	for a in "$@"; do cmd="$cmd $(tui_quote "$a")"; done
	tui_kill_server
	tmx new-session -d -s tui -x "$cols" -y "$rows" \
		"env TERM=$term LANG=$lang LC_ALL=$lang sh -c 'echo \$\$ > \"\$0\"; exec \"\$@\"' '$TUI_PID' $cmd; s=\$?; echo \$s > '$TUI_STATUS.tmp'; mv '$TUI_STATUS.tmp' '$TUI_STATUS'; echo \"shell back: status \$s\""
}

tui_screen() { tmx capture-pane -p -t tui; }

# tui_wait_for REGEX: until the screen matches (extended regex); on timeout the screen goes to stderr.
tui_wait_for() {
	end=$(($(date +%s) + TUI_TIMEOUT))
	until tui_screen | grep -Eq -- "$1"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			echo "timeout waiting for /$1/; screen was:" >&2
			tui_screen | sed 's/^/| /' >&2
			return 1
		fi
		sleep 0.05
	done
}

# tui_wait_gone REGEX: until the screen no longer matches.
tui_wait_gone() {
	end=$(($(date +%s) + TUI_TIMEOUT))
	while tui_screen | grep -Eq -- "$1"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			echo "timeout waiting for /$1/ to go; screen was:" >&2
			tui_screen | sed 's/^/| /' >&2
			return 1
		fi
		sleep 0.05
	done
}

# tui_wait_stable: two captures 100 ms apart are the same (the redraw is over).
tui_wait_stable() {
	end=$(($(date +%s) + TUI_TIMEOUT))
	a=$(tui_screen)
	while :; do
		sleep 0.1
		b=$(tui_screen)
		[ "$a" = "$b" ] && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		a=$b
	done
}

tui_keys() { tmx send-keys -t tui "$@"; }
tui_resize() { tmx resize-window -t tui -x "$1" -y "$2"; }

# tui_wait_exit: prints the exit status (128+N after signal N) once the program is gone.
tui_wait_exit() {
	end=$(($(date +%s) + TUI_TIMEOUT))
	until [ -s "$TUI_STATUS" ]; do
		if [ "$(date +%s)" -ge "$end" ]; then
			echo timeout
			return 1
		fi
		sleep 0.05
	done
	cat "$TUI_STATUS"
}

tui_stop() {
	tui_kill_server
	rm -rf "$TUI_DIR"
}
