// Command dedicated is the example game's headless dedicated server: the
// same rules and ECS as the listen server, at a fixed tick rate, with no
// window and no Ebiten (it builds with CGO_ENABLED=0).
//
//	dedicated [-port 27015] [-query-port -1] [-name "Coin Arena"] [-max-players 16]
//	          [-bots 0] [-token T] [-password P] [-tick-rate 30] [-universe steamgs-example]
//	          [-advertise=true] [-backend local|steamworks] [-log-format text|json]
//
// It logs in structured form (log/slog) to standard error. On SIGINT or
// SIGTERM it tells its clients, ends every auth session, logs off Steam,
// shuts down and exits 0. Exit codes:
//
//	0   clean shutdown after SIGINT or SIGTERM
//	1   the server could not start or failed
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
	"os"
	"os/signal"
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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the server until ctx ends or Steam asks for a restart, and
// returns the exit code.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("dedicated", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf cli.ServerFlags
	sf.Register(fs, true)
	logFormat := fs.String("log-format", "text", "log format: text or json")
	statusEvery := fs.Duration("status-interval", 30*time.Second, "log a status line this often; 0 never")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dedicated: unexpected arguments %q\n", fs.Args())
		return exitUsage
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
	srv, err := server.New(cfg)
	if err != nil {
		log.Error("cannot start the server", "err", err)
		return exitFailure
	}
	return serve(ctx, srv, *statusEvery, log)
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
		log.Info("status", "steam", st.State.String(), "steam_id", st.SteamID.String(), "players", len(st.Players),
			"max_players", st.MaxPlayers, "tick", st.Tick, "a2s_info", st.Queries.Info, "a2s_players", st.Queries.Players)
	}
}
