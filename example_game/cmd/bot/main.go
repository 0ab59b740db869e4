// Command bot runs headless bot clients of the example game: each joins the
// server over UDP with an auth ticket of the embedded Steam universe, like a
// player, and heads for the nearest coin. It imports no Ebiten (it builds
// with CGO_ENABLED=0), for load tests and end-to-end tests.
//
//	bot [-server 127.0.0.1:27015] [-n 1] [-name bot-<pid>] [-universe steamgs-example]
//	    [-password P] [-duration 0]
//
// Bot i is named "<name>-<i>" (just <name> when -n is 1); names pick the
// Steam accounts, so give bots of different processes different names. It
// logs to standard error and exits 0 after -duration or on SIGINT/SIGTERM,
// or when the server shuts down, 1 when a bot could not join or was
// disconnected otherwise, 2 for bad flags.
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
	"strconv"
	"sync"
	"syscall"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs/local"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the bots until ctx ends, -duration passes or every bot is gone,
// and returns the exit code.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("bot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf cli.ClientFlags
	cf.Register(fs, "bot-"+strconv.Itoa(os.Getpid()))
	n := fs.Int("n", 1, "number of bots (1 to 32)")
	duration := fs.Duration("duration", 0, "play this long, then leave; 0 plays until interrupted")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if *n < 1 || *n > 32 {
		log.Error("bad flag", "err", fmt.Sprintf("-n is %d, want 1 to 32", *n))
		return 2
	}
	if _, err := cf.ServerAddr(); err != nil {
		log.Error("bad flag", "err", err)
		return 2
	}
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	u, err := cf.OpenUniverse()
	if err != nil {
		log.Error("embedded Steam", "err", err)
		return 1
	}
	var wg sync.WaitGroup
	errs := make([]error, *n)
	for i := range *n {
		name := cf.Name
		if *n > 1 {
			name = fmt.Sprintf("%s-%d", cf.Name, i+1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = play(ctx, &cf, u, name, log)
		}()
	}
	wg.Wait()
	code := 0
	for _, err := range errs {
		if err != nil {
			code = 1
		}
	}
	return code
}

// play joins as name and plays until ctx ends or the server lets go.
func play(ctx context.Context, cf *cli.ClientFlags, u *local.Universe, name string, log *slog.Logger) error {
	c, err := cf.Dial(ctx, u, name)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		log.Error("cannot join", "name", name, "server", cf.Server, "err", err)
		return err
	}
	log.Info("joined", "name", name, "steam_id", c.SteamID().String(), "player_id", c.Welcome().PlayerID,
		"server_name", c.Welcome().ServerName)
	err = client.RunBot(ctx, c)
	score := lastScore(c)
	var de *client.DeniedError
	if errors.As(err, &de) && de.Reason == proto.ReasonShutdown {
		log.Info("server shut down", "name", name, "score", score)
		return nil
	}
	if err != nil {
		log.Error("disconnected", "name", name, "score", score, "err", err)
		return err
	}
	log.Info("left", "name", name, "score", score)
	return nil
}

// lastScore returns the player's score in the newest snapshot c received.
func lastScore(c *client.Client) uint32 {
	var s proto.Snapshot
	c.Snapshot(&s)
	if me := s.Find(s.You); me != nil {
		return me.Score
	}
	return 0
}
