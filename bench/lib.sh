# Helpers shared by the benchmarks (bench/run, bench/ledger): the processes
# they start and stop, free ports, readiness, logins and wrk runs.  The
# sourcing script sets HOST, READY_TIMEOUT, THREADS, CONNS, WARMUP, DURATION
# and OUT_DIR before it calls them, and ROOT for cleanup's PostgreSQL
# cluster.  Sourced, never run.

PIDS=()
WORK=
PG_DIR=

die() {
	echo "bench: $*" >&2
	exit 1
}

# Prints the last lines of a log file, indented, for an error message.
log_tail() {
	if [[ -s $1 ]]; then
		echo "--- last lines of $(basename "$1"):" >&2
		tail -n 20 "$1" | sed 's/^/    /' >&2
	fi
}

# Stops one process this script started: TERM, up to 5 s, then KILL.
stop_pid() {
	local pid=$1 i

	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# Forgets a process that has already exited and been waited for.
forget_pid() {
	local keep=() p

	for p in "${PIDS[@]}"; do
		[[ $p == "$1" ]] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

cleanup() {
	local rc=$? pid

	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	if [[ -n $PG_DIR ]]; then
		"$ROOT/scripts/pg-cluster" stop "$PG_DIR" >/dev/null 2>&1 || true
	fi
	if [[ -n $WORK && -d $WORK ]]; then
		rm -rf -- "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Succeeds if something on this host listens on TCP port $1.
port_busy() {
	if command -v ss >/dev/null 2>&1; then
		[[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]
	else
		(exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
	fi
}

# Prints a TCP port that nothing listens on, below Linux's ephemeral range
# so that wrk's own client sockets cannot hold it.
pick_port() {
	local i p

	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 12000))
		if ! port_busy "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Prints the HTTP status of GET http://$HOST:$1$2 (000 if no answer).
http_status() {
	curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 2 \
		"http://$HOST:$1$2" 2>/dev/null || true
}

# Waits until process $1 answers 200 on port $2, path $3.  Fails at once if
# the process exits, or after READY_TIMEOUT seconds.
wait_ready() {
	local pid=$1 port=$2 path=$3 deadline=$((SECONDS + READY_TIMEOUT))

	while ((SECONDS < deadline)); do
		kill -0 "$pid" 2>/dev/null || return 1
		if [[ $(http_status "$port" "$path") == 200 ]]; then
			kill -0 "$pid" 2>/dev/null || return 1
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# launch NAME OUT ERR PATH CMD...: starts CMD, in which every @PORT@ becomes
# a free port, with stdout to OUT and stderr to ERR, and waits until it
# answers 200 on PATH.  A process that exits while starting may have lost a
# race for its port, so it is tried again on another one.  Sets LAUNCH_PID and
# LAUNCH_PORT.
launch() {
	local name=$1 out=$2 err=$3 path=$4 try port pid
	shift 4

	for ((try = 1; try <= 5; try++)); do
		port=$(pick_port) || die "$name: no free port found on $HOST"
		"${@//@PORT@/$port}" >>"$out" 2>>"$err" &
		pid=$!
		PIDS+=("$pid")
		if wait_ready "$pid" "$port" "$path"; then
			LAUNCH_PID=$pid
			LAUNCH_PORT=$port
			return 0
		fi
		if kill -0 "$pid" 2>/dev/null; then
			log_tail "$err"
			die "$name did not answer 200 on http://$HOST:$port$path" \
				"within ${READY_TIMEOUT}s"
		fi
		wait "$pid" 2>/dev/null || true
		forget_pid "$pid"
		echo "bench: $name exited while starting on port $port;" \
			"trying another port" >&2
	done
	log_tail "$out"
	log_tail "$err"
	die "$name failed to start 5 times"
}

# Runs CMD in the background and waits for it.  Bash defers traps while a
# foreground command runs, but not while it waits, so an interrupt stops the
# benchmark at once; cleanup() then stops CMD too.
run_tracked() {
	local pid rc=0

	"$@" &
	pid=$!
	PIDS+=("$pid")
	wait "$pid" || rc=$?
	forget_pid "$pid"
	return "$rc"
}

# Prints the CPU time, user plus system, in clock ticks that process $1 has
# used so far (fields 14 and 15 of /proc/PID/stat; the command name in field
# 2 may hold spaces, so the fields are counted after its closing parenthesis).
cpu_ticks() {
	local stat rest f

	stat=$(<"/proc/$1/stat") || return 1
	rest=${stat##*) }
	read -r -a f <<<"$rest"
	echo $((f[11] + f[12]))
}

# Converts a wrk duration such as 812.00us, 1.21ms, 1.05s or 1.50m to ms.
to_ms() {
	awk -v t="$1" 'BEGIN {
		if (match(t, /[a-z]+$/) == 0)
			exit 1
		v = substr(t, 1, RSTART - 1) + 0
		u = substr(t, RSTART)
		if (u == "us")
			v /= 1000
		else if (u == "s")
			v *= 1000
		else if (u == "m")
			v *= 60000
		else if (u == "h")
			v *= 3600000
		else if (u != "ms")
			exit 1
		printf "%.3f\n", v
	}'
}

# measure KEY PID URL: a warm-up run, then the measured run, of wrk against
# URL, with the session cookie on every request so that all targets parse the
# same headers.  Sets R_RPS, R_P99, R_CPU (µs per request), R_REQS, R_NON2XX
# and R_SOCKERR, and keeps wrk's output as $OUT_DIR/wrk-KEY.txt.  WRK_TIMEOUT
# (default wrk's own, 2s) is how long wrk waits for one answer; with
# MEASURE_SOFT=1 a run in which no request completed returns 1 instead of
# stopping the script.
measure() {
	local key=$1 pid=$2 url=$3 raw=$OUT_DIR/wrk-$1.txt c0 c1 p99
	local hdr=(-H "Cookie: zrz_session=${MEASURE_COOKIE:-$COOKIE}"
		--timeout "${WRK_TIMEOUT:-2s}")

	kill -0 "$pid" 2>/dev/null || die "$key: the server is no longer running"
	echo "bench: $key: warm-up ${WARMUP}s, then ${DURATION}s" >&2
	run_tracked timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" \
		"${hdr[@]}" "$url" >/dev/null ||
		die "$key: wrk warm-up against $url failed"

	c0=$(cpu_ticks "$pid") || die "$key: cannot read /proc/$pid/stat"
	run_tracked timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNS" \
		-d"${DURATION}s" --latency "${hdr[@]}" "$url" >"$raw" ||
		die "$key: wrk against $url failed"
	c1=$(cpu_ticks "$pid") ||
		die "$key: the server exited during the run (see $raw)"

	R_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$raw")
	R_REQS=$(awk '/ requests in / { print $1 }' "$raw")
	p99=$(awk '$1 == "99%" { print $2 }' "$raw")
	R_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$raw")
	R_SOCKERR=$(awk '/Socket errors:/ {
		gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$raw")
	R_NON2XX=${R_NON2XX:-0}
	R_SOCKERR=${R_SOCKERR:-0}
	[[ $R_RPS =~ ^[0-9.]+$ && $R_REQS =~ ^[0-9]+$ && -n $p99 ]] ||
		die "$key: cannot read wrk's output (see $raw)"
	if ((R_REQS == 0)) && [[ ${MEASURE_SOFT:-0} == 1 ]]; then
		echo "bench: $key: wrk completed no request (see $raw)" >&2
		return 1
	fi
	((R_REQS > 0)) || die "$key: wrk completed no request (see $raw)"
	R_P99=$(to_ms "$p99") || die "$key: cannot read wrk's p99 '$p99'"
	R_CPU=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$R_REQS" \
		'BEGIN { printf "%.2f\n", d * 1e6 / hz / n }')
	if ((R_NON2XX > 0 || R_SOCKERR > 0)); then
		echo "bench: warning: $key: $R_NON2XX non-2xx answers and" \
			"$R_SOCKERR socket errors in $R_REQS requests;" \
			"its numbers are suspect" >&2
	fi
	kill -0 "$pid" 2>/dev/null ||
		die "$key: the server exited during the run (see $raw)"
}

# login NAME PORT LOGIN PASSWORD: POST /api/v1/session on 127.0.0.1:PORT and
# set LOGIN_COOKIE to the zrz_session cookie it answers with; NAME says
# which server in an error.  The bodies go to $WORK.
login() {
	local name=$1 port=$2 status cookie

	status=$(curl --noproxy '*' -s --max-time 10 -o "$WORK/login.body" \
		-D "$WORK/login.headers" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		--data "{\"login\":\"$3\",\"password\":\"$4\"}" \
		"http://$HOST:$port/api/v1/session" || true)
	[[ $status == 2?? ]] ||
		die "$name login: POST /api/v1/session answered $status:" \
			"$(head -c 300 "$WORK/login.body" 2>/dev/null)"
	cookie=$(tr -d '\r' <"$WORK/login.headers" | awk '
		tolower($1) == "set-cookie:" && index($2, "zrz_session=") == 1 {
			v = substr($2, 13); sub(/;.*/, "", v); c = v }
		END { print c }')
	[[ -n $cookie ]] ||
		die "$name login: POST /api/v1/session answered $status but set no" \
			"zrz_session cookie"
	LOGIN_COOKIE=$cookie
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", (b > 0) ? a / b : 0 }'
}
pct() {
	awk -v r="$1" 'BEGIN { printf "%.1f\n", r * 100 }'
}
