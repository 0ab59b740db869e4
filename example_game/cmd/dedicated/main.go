// Command dedicated is the example game's headless dedicated server: the
// same rules and ECS as the listen server, at a fixed tick rate, with no
// window and no Ebiten (it builds with CGO_ENABLED=0).
//
//	dedicated [-port 27015] [-query-port -1] [-name "Coin Arena"] [-max-players 16]
//	          [-bots 0] [-token T | -token-file F | -anonymous] [-password P] [-tick-rate 30]
//	          [-universe steamgs-example] [-advertise=true] [-backend local|steamworks]
//	          [-log-format text|json] [-check]
//
// Every flag can also come from an environment variable: STEAMGS_ and the
// flag's name in upper case with '-' as '_' (STEAMGS_NAME, STEAMGS_MAX_PLAYERS,
// STEAMGS_TOKEN_FILE, ...); a flag on the command line wins. -h lists them.
//
// -check runs a preflight check of the deployment instead of the server:
// it prints a checklist (the back end loads, the app ID, free ports, the
// required settings, advertising, the log-on token, the embedded Steam's
// passphrase, and on the embedded Steam a log-on and an answer to its own
// A2S_INFO), each failure with its fix, and exits 0 when every check passes,
// 1 otherwise.
//
// Under Agones (AGONES_SDK_HTTP_PORT set) it advertises the GameServer's
// address and the host port of -agones-port, goes Ready once Steam logs it
// on, keeps the -agones-list players list true, allocates itself when a
// player joins it directly, and shuts down through the sidecar when the
// last player leaves (-agones-when-empty), Steam asks for a restart, or
// SIGTERM arrives, after ending every auth session; then it exits 0, or 1
// when the Shutdown call failed (fleet.go). An empty server ticks once per
// -hibernate and wakes on the first connection attempt; -metrics serves
// /metrics and /healthz.
//
// It logs in structured form (log/slog) to standard error, with a status
// line every -status-interval (players, Steam's state, the datagrams
// dropped, rate-limited and bad, goroutines and heap). On SIGINT, SIGTERM
// or SIGHUP (there is no reload: restart it to change its configuration)
// it tells its clients, ends every auth session, logs off Steam, shuts
// down and exits 0. On the embedded Steam with the public default
// passphrase on an address other machines reach, it warns at start. Exit
// codes:
//
//	0   clean shutdown after SIGINT, SIGTERM or SIGHUP
//	1   the server could not start or failed, or Steam refused its log-on
//	    for good (an invalid or revoked token, a ban)
//	2   bad flags
//	75  Steam asked for a restart (the server is out of date): a supervisor
//	    (systemd Restart=on-failure, a shell loop) should start it again
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/server"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	// exitRestart is the exit code after a restart request: EX_TEMPFAIL
	// of sysexits.h, "try again later".
	exitRestart = 75
)

// shutdownSignals end the server cleanly. SIGHUP is among them: a closed
// terminal or a supervisor's reload must still end the auth sessions and
// log off.
var shutdownSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the server until ctx ends or Steam asks for a restart, and
// returns the exit code. Flags not in args come from the environment
// variables that env finds; -check writes its checklist to stdout.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dedicated", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf cli.ServerFlags
	sf.Register(fs, true)
	logFormat := fs.String("log-format", "text", "log format: text or json")
	statusEvery := fs.Duration("status-interval", 30*time.Second, "log a status line this often; 0 never")
	checkOnly := fs.Bool("check", false, "check the deployment, print a checklist and exit: 0 when every check passes, 1 otherwise")
	var ff fleetFlags
	ff.register(fs)
	hibernate := registerHibernate(fs)
	metricsAddr := fs.String("metrics", "", "serve /metrics and /healthz on this address (host:port); empty for none")
	cli.DescribeEnv(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dedicated: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	if err := cli.SetFromEnv(fs, env); err != nil {
		fmt.Fprintln(stderr, "dedicated:", err)
		return exitUsage
	}
	if err := sf.LoadToken(); err != nil {
		fmt.Fprintln(stderr, "dedicated:", err)
		if errors.Is(err, cli.ErrUsage) {
			return exitUsage
		}
		return exitFailure
	}
	if *checkOnly {
		return check(ctx, &sf, stdout)
	}
	var h slog.Handler
	switch *logFormat {
	case "text":
		h = slog.NewTextHandler(stderr, nil)
	case "json":
		h = slog.NewJSONHandler(stderr, nil)
	default:
		fmt.Fprintf(stderr, "dedicated: -log-format is %q, want text or json\n", *logFormat)
		return exitUsage
	}
	log := slog.New(h)
	if sf.Backend == cli.BackendSteamworks && sf.Token == "" && !sf.Anonymous {
		log.Warn("no log-on token: logging on anonymously; give -token-file (or -token) for a persistent server, or -anonymous to choose this")
	}

	fl, err := lookupFleet(ctx, ff, env, log)
	if err != nil {
		log.Error("agones", "err", err)
		if errors.Is(err, cli.ErrUsage) {
			return exitUsage
		}
		return exitFailure
	}
	fl.configure(&sf)
	warnPublicPassphrase(log, &sf)

	backend, _, err := sf.OpenBackend()
	if err != nil {
		log.Error("cannot open the Steam back end", "backend", sf.Backend, "err", err)
		if errors.Is(err, cli.ErrUsage) {
			return exitUsage
		}
		return exitFailure
	}
	cfg, err := sf.Config(backend, true, log)
	if err != nil {
		log.Error("bad configuration", "err", err)
		return exitUsage
	}
	cfg.GamePort, cfg.IdleInterval = fl.gamePort(), fl.idleInterval(*hibernate)
	srv, err := server.New(cfg)
	if err != nil {
		log.Error("cannot start the server", "err", err)
		return exitFailure
	}
	ms, err := serveMetrics(*metricsAddr, srv, log)
	if err == nil {
		err = fl.attach(srv)
	}
	if err != nil {
		log.Error("cannot start the server", "err", err)
		_ = srv.Close()
		_ = ms.Close()
		return exitFailure
	}
	defer func() { _ = ms.Close() }()
	return fl.serve(ctx, srv, *statusEvery, log)
}

// serve runs srv until ctx ends or Steam asks for a restart, closes it, and
// returns the exit code.
func serve(ctx context.Context, srv *server.Server, statusEvery time.Duration, log *slog.Logger) int {
	err := runLoop(ctx, srv, statusEvery, log)
	code := exitOK
	switch {
	case errors.Is(err, server.ErrRestartRequested):
		log.Warn("exiting for a restart", "exit_code", exitRestart)
		code = exitRestart
	case err != nil:
		log.Error("server failed", "err", err)
		code = exitFailure
	}
	if err := srv.Close(); err != nil {
		log.Error("shutdown", "err", err)
		if code == exitOK {
			code = exitFailure
		}
	}
	return code
}

// runLoop runs the server, logging a status line every statusEvery.
func runLoop(ctx context.Context, srv *server.Server, statusEvery time.Duration, log *slog.Logger) error {
	if statusEvery <= 0 {
		return srv.Run(ctx)
	}
	for {
		sctx, cancel := context.WithTimeout(ctx, statusEvery)
		err := srv.Run(sctx)
		cancel()
		if err != nil || ctx.Err() != nil {
			return err
		}
		var st server.Status
		srv.Status(&st)
		log.Info("status", statusArgs(&st)...)
	}
}

// statusArgs returns the attributes of the status line: Steam's state, the
// players, the tick, the A2S queries answered, the game datagrams dropped
// (inbox full), rate-limited (Connects over a source's limit) and bad (not
// decoded), the goroutines and the heap in use.
func statusArgs(st *server.Status) []any {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	c := st.Counters
	return []any{"steam", st.State.String(), "steam_id", st.SteamID.String(), "players", len(st.Players),
		"max_players", st.MaxPlayers, "tick", st.Tick, "a2s_info", st.Queries.Info, "a2s_players", st.Queries.Players,
		"dropped", c.Dropped, "rate_limited", c.RateLimited, "bad", c.Bad,
		"goroutines", runtime.NumGoroutine(), "heap_bytes", ms.HeapAlloc}
}

// warnPublicPassphrase logs a warning when the server runs the embedded
// Steam with the example's public passphrase on an address that other
// machines reach: anyone who knows it can make tickets the server accepts.
func warnPublicPassphrase(log *slog.Logger, sf *cli.ServerFlags) {
	if sf.Backend != cli.BackendLocal || sf.Universe != cli.DefaultUniverse {
		return
	}
	if ip, err := netip.ParseAddr(sf.IP); err == nil && ip.Unmap().IsLoopback() {
		return
	}
	log.Warn("the embedded Steam uses the public default passphrase on an address other machines reach: "+
		"anyone can make tickets this server accepts; set -universe (STEAMGS_UNIVERSE) to a secret your clients share, "+
		"or bind -ip 127.0.0.1", "universe", cli.DefaultUniverse, "ip", sf.IP)
}
