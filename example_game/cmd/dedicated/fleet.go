package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/server"
)

// Values of -agones-when-empty.
const (
	whenEmptyShutdown = "shutdown"
	whenEmptyReady    = "ready"
)

// shutdownWait bounds how long the server keeps running after SIGTERM,
// or after it stopped for a restart, for the Agent's Shutdown call: well
// inside Kubernetes' default grace period of 30 s.
const shutdownWait = 20 * time.Second

// fleetFlags are the flags of a server under Agones; they do nothing when
// AGONES_SDK_HTTP_PORT is unset.
type fleetFlags struct {
	port           string
	whenEmpty      string
	list           string
	playerTracking bool
	wait           time.Duration
}

// register defines the flags on fs.
func (f *fleetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.port, "agones-port", "default", "under Agones: the GameServer port whose host port the server advertises")
	fs.StringVar(&f.whenEmpty, "agones-when-empty", whenEmptyShutdown, "under Agones: what an allocated server does when its last player leaves: shutdown or ready")
	fs.StringVar(&f.list, "agones-list", agones.DefaultList, "under Agones: the Counters and Lists list of the players; empty for none")
	fs.BoolVar(&f.playerTracking, "agones-player-tracking", false, "under Agones: also report players to alpha player tracking")
	fs.DurationVar(&f.wait, "agones-wait", agones.DefaultEndpointTimeout, "under Agones: how long to wait for the GameServer's address and port at start-up")
}

// check reports a bad flag value; the error wraps cli.ErrUsage.
func (f *fleetFlags) check() error {
	if f.whenEmpty != whenEmptyShutdown && f.whenEmpty != whenEmptyReady {
		return fmt.Errorf("-agones-when-empty is %q, want %s or %s: %w", f.whenEmpty, whenEmptyShutdown, whenEmptyReady, cli.ErrUsage)
	}
	if f.port == "" {
		return fmt.Errorf("-agones-port is empty, want the name of a GameServer port: %w", cli.ErrUsage)
	}
	if f.wait <= 0 {
		return fmt.Errorf("-agones-wait is %v, want more than 0: %w", f.wait, cli.ErrUsage)
	}
	return nil
}

// fleet is the dedicated server's part under Agones. A nil *fleet is a
// server not under Agones: its methods do nothing, and serve runs the
// server as usual.
type fleet struct {
	flags fleetFlags
	env   func(string) (string, bool)
	log   *slog.Logger
	ep    agones.Endpoint
	agent *agones.Agent
}

// lookupFleet finds the sidecar through AGONES_SDK_HTTP_PORT (in env) and
// waits, at most -agones-wait, for the address and host port to advertise.
// It returns nil when the server is not under Agones.
func lookupFleet(ctx context.Context, f fleetFlags, env func(string) (string, bool), log *slog.Logger) (*fleet, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.wait)
	defer cancel()
	ep, ok, err := agones.LookupEndpoint(ctx, env, agones.ClientOptions{}, f.port)
	if !ok {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	log.Info("under Agones", "gameserver", ep.GameServer.ObjectMeta.Name, "address", ep.Address, "port", ep.Port, "port_name", f.port)
	return &fleet{flags: f, env: env, log: log, ep: ep}, nil
}

// configure makes the server advertise the GameServer's address and host
// port: the game socket stays on the container port of -port, Steam is
// told the host port (GameSocketShare mode), and the embedded Steam
// reports status.address as its public IP. Call it before the back end is
// opened.
func (fl *fleet) configure(sf *cli.ServerFlags) {
	if fl == nil {
		return
	}
	if sf.QueryPort >= 0 {
		fl.log.Warn("under Agones the query port is the game port's: -query-port is ignored", "query_port", sf.QueryPort)
		sf.QueryPort = -1
	}
	if fl.ep.IP.Is4() {
		sf.PublicIP = fl.ep.IP
	}
}

// gamePort returns the port to give server.Config.GamePort: the host port
// under Agones, 0 otherwise.
func (fl *fleet) gamePort() uint16 {
	if fl == nil {
		return 0
	}
	return fl.ep.Port
}

// attach attaches the Agent to srv's plugin. Call it on the tick's
// goroutine after server.New.
func (fl *fleet) attach(srv *server.Server) error {
	if fl == nil {
		return nil
	}
	opts := agones.Options{LookupEnv: fl.env, Logger: fl.log, List: fl.flags.list, NoList: fl.flags.list == "",
		PlayerTracking: fl.flags.playerTracking}
	if fl.flags.whenEmpty == whenEmptyReady {
		opts.WhenEmpty = agones.ReadyWhenEmpty
	}
	a, err := agones.Attach(srv.Plugin(), opts)
	if err != nil {
		return err
	}
	fl.agent = a
	return nil
}

// stop asks the Agent to shut the server down for reason (SIGTERM:
// agones.ReasonSignal). Safe from any goroutine, and on a nil *fleet.
func (fl *fleet) stop(reason agones.Reason) {
	if fl == nil || fl.agent == nil {
		return
	}
	fl.agent.Stop(reason, nil)
}

// serve runs srv as serve does; under Agones the server runs until the
// Agent has made its Shutdown call (the last player left, Steam asked for
// a restart, or ctx ended: SIGTERM, which ends every auth session before
// Shutdown), and the exit code is 0 unless the Agent's result is an error.
func (fl *fleet) serve(ctx context.Context, srv *server.Server, statusEvery time.Duration, log *slog.Logger) int {
	if fl == nil || fl.agent == nil {
		return serve(ctx, srv, statusEvery, log)
	}
	a := fl.agent
	runCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-a.Done():
			cancel()
			return
		case <-runCtx.Done():
			return
		case <-ctx.Done():
		}
		fl.stop(agones.ReasonSignal)
		t := time.NewTimer(shutdownWait)
		defer t.Stop()
		select {
		case <-a.Done():
		case <-runCtx.Done():
		case <-t.C:
			log.Error("agones: no Shutdown in time; exiting anyway", "waited", shutdownWait)
		}
		cancel()
	}()
	code := serve(runCtx, srv, statusEvery, log)
	if code == exitFailure && !closed(a.Done()) {
		// The server stopped by itself (Steam refused its log-on for good,
		// or it failed): no tick runs for the Agent any more, and Close
		// has ended every auth session, so ask the sidecar for Shutdown
		// here.
		sctx, stop := context.WithTimeout(context.Background(), shutdownWait)
		err := a.Client().Shutdown(sctx)
		stop()
		cancel()
		<-watched
		_ = a.Close()
		if err != nil {
			log.Error("agones: Shutdown after the server failed", "err", err)
		} else {
			log.Info("agones: shut down", "reason", "failure")
		}
		return exitFailure
	}
	if code == exitRestart {
		// The Agent saw the restart request in the server's last tick
		// and hands Shutdown to its goroutine.
		t := time.NewTimer(shutdownWait)
		select {
		case <-a.Done():
		case <-t.C:
			log.Error("agones: no Shutdown in time after the restart request", "waited", shutdownWait)
		}
		t.Stop()
	}
	cancel()
	<-watched
	reason, err := a.Result()
	_ = a.Close()
	switch {
	case errors.Is(err, agones.ErrClosed):
		log.Error("agones: exiting without Shutdown", "err", err)
		return exitFailure
	case err != nil:
		log.Error("agones: shut down on failure", "reason", reason.String(), "err", err)
		return exitFailure
	}
	log.Info("agones: shut down", "reason", reason.String())
	if code == exitRestart {
		return exitOK // Agones replaces the GameServer
	}
	return code
}

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
