// Command demo shows the example game without a window: it runs the
// dedicated server and a few headless bot clients in one process, on the
// embedded Steam, and prints a live status table to the terminal every
// second until Ctrl-C. It is what `make run` starts on a machine without a
// display, and it imports no Ebiten.
//
//	demo [-port 27015] [-clients 3] [-bots 2] [-duration 0] [-universe steamgs-example]
//
// The clients join over UDP on 127.0.0.1 with auth tickets of their own
// universe object (the same key, as another process would), like the bot
// command; other programs can join too: run `go run ./example_game/cmd/bot
// -server 127.0.0.1:27015` or the windowed client next to it.
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
	"sync"
	"syscall"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the demo's flags.
type options struct {
	port     uint
	clients  int
	bots     int
	duration time.Duration
	universe string
	every    time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.UintVar(&o.port, "port", server.DefaultGamePort, "game port on 127.0.0.1 (0 picks a free one)")
	fs.IntVar(&o.clients, "clients", 3, "headless bot clients that join over UDP (0 to 16)")
	fs.IntVar(&o.bots, "bots", 2, "server-side bots (0 to 16)")
	fs.DurationVar(&o.duration, "duration", 0, "stop after this long; 0 runs until Ctrl-C")
	fs.StringVar(&o.universe, "universe", "steamgs-example", "passphrase of the embedded Steam universe")
	fs.DurationVar(&o.every, "every", time.Second, "time between two status tables")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := o.check(); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 2
	}
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	if err := demo(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	return 0
}

func (o options) check() error {
	switch {
	case o.port > 65535:
		return fmt.Errorf("-port is %d, limit 65535", o.port)
	case o.clients < 0 || o.clients > 16:
		return fmt.Errorf("-clients is %d, want 0 to 16", o.clients)
	case o.bots < 0 || o.bots > 16:
		return fmt.Errorf("-bots is %d, want 0 to 16", o.bots)
	case o.every <= 0:
		return fmt.Errorf("-every is %v, want more than 0", o.every)
	}
	return nil
}

// demo runs the server on this goroutine and the clients on their own until
// ctx ends, printing the status table every o.every.
func demo(ctx context.Context, o options, stdout, stderr io.Writer) error {
	key := local.KeyFromPassphrase(o.universe)
	su, err := local.NewUniverse(local.Options{Key: key})
	if err != nil {
		return err
	}
	// The server logs to stderr, warnings only, so the table stays readable.
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(server.Config{Backend: su, Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(o.port)),
		Bots: o.bots, MaxPlayers: 32, Dedicated: true, Advertise: true, Logger: log})
	if err != nil {
		return err
	}

	// The clients: each its own account of another universe object with the
	// same key, as separate processes would be.
	cu, err := local.NewUniverse(local.Options{Key: key})
	if err != nil {
		_ = srv.Close()
		return err
	}
	cctx, stopClients := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range o.clients {
		name := fmt.Sprintf("client-%d", i+1)
		id := cu.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := client.Dial(cctx, client.Config{Server: srv.Addr(), Name: name, SteamID: id,
				AppID: server.DefaultAppID, Tickets: cu})
			if err != nil {
				if cctx.Err() == nil {
					log.Error("client could not join", "name", name, "err", err)
				}
				return
			}
			err = client.RunBot(cctx, c)
			var de *client.DeniedError
			if err != nil && !(errors.As(err, &de) && de.Reason == proto.ReasonShutdown) {
				log.Error("client disconnected", "name", name, "err", err)
			}
		}()
	}

	tty := isTerminal(stdout)
	tick := time.NewTicker(time.Second / time.Duration(srv.Config().Rules.TickRate))
	defer tick.Stop()
	next := time.Now()
	var st server.Status
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
			srv.Tick()
		}
		if now := time.Now(); !now.Before(next) {
			next = now.Add(o.every)
			srv.Status(&st)
			if tty {
				fmt.Fprint(stdout, "\033[H\033[2J") // home and clear
			}
			_ = st.WriteTable(stdout)
			fmt.Fprintln(stdout, "Ctrl-C to stop")
		}
	}
	// The server says goodbye first, so the clients end on a Disconnect.
	err = srv.Close()
	stopClients()
	wg.Wait()
	return err
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
