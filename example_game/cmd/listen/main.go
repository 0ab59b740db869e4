// Command listen is the example game's listen server: an Ebiten window
// whose player (the host) moves with the arrow keys or WASD and collects
// coins, while bots wander and collect too, and remote clients join over UDP
// on the same port (27015 by default). Tab shows or hides the server panel:
// the server's name, map, Steam status and Steam ID, every player's name,
// score, auth state and age, and the A2S query counters. Esc, SIGINT and
// SIGTERM quit the same way: every player's auth session ends, then the
// server logs off Steam.
//
//	listen [-port 27015] [-bots 3] [-player host] [-universe steamgs-example] [server flags]
//
// It takes the dedicated server's flags (see example_game/cmd/dedicated).
// The host's auth ticket comes from the same embedded Steam universe as the
// server's, and Steam approves it like any client's. With -screenshot FILE
// it runs -ticks ticks, writes the window's pixels to FILE as a PNG and
// exits.
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

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/window"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/render"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf cli.ServerFlags
	sf.Register(fs, false)
	player := fs.String("player", "host", "the host player's name")
	shot := fs.String("screenshot", "", "write the window's pixels to this PNG file after -ticks ticks, then exit")
	ticks := fs.Int("ticks", 120, "ticks to run before the screenshot")
	hidePanel := fs.Bool("hide-panel", false, "start with the server panel hidden")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	backend, universe, err := sf.OpenBackend()
	if err != nil {
		log.Error("cannot open the Steam back end", "err", err)
		return 2
	}
	if universe == nil {
		log.Error("the listen server's host needs the embedded Steam for its ticket; use -backend local")
		return 2
	}
	cfg, err := sf.Config(backend, false, log)
	if err != nil {
		log.Error("bad configuration", "err", err)
		return 2
	}
	srv, err := server.New(cfg)
	if err != nil {
		log.Error("cannot start the server", "err", err)
		return 1
	}
	// SIGINT and SIGTERM end the game as Esc does.
	sig, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	g := &listenGame{srv: srv, universe: universe, log: log, name: *player, panel: !*hidePanel,
		shotPath: *shot, shotTicks: *ticks, stop: sig.Done()}
	g.hostID = universe.AddUser(local.User{Name: *player, Apps: []steamgs.AppID{cfg.AppID}})
	code := 0
	if err := window.Run(g, fmt.Sprintf("%s - listen server on %s", cfg.Name, srv.Addr()), cfg.Rules.TickRate); err != nil {
		log.Error("game ended", "err", err)
		code = 1
	}
	if g.err != nil {
		log.Error("screenshot", "err", g.err)
		code = 1
	}
	g.close()
	return code
}

// listenGame is the listen server's ebiten.Game.
type listenGame struct {
	srv      *server.Server
	universe *local.Universe
	log      *slog.Logger
	r        *render.Renderer

	name   string
	hostID steamgs.SteamID
	ticket steamgs.AuthTicket
	joined bool
	panel  bool

	snap   proto.Snapshot
	status server.Status

	shotPath  string
	shotTicks int
	ticks     int
	done      bool
	err       error
	stop      <-chan struct{} // closed by SIGINT or SIGTERM
}

// Update runs one server tick with the host's keys.
func (g *listenGame) Update() error {
	select {
	case <-g.stop:
		g.log.Info("signal received: shutting down")
		return ebiten.Termination
	default:
	}
	if g.done || inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		return ebiten.Termination
	}
	if g.r == nil {
		r, err := render.New()
		if err != nil {
			return err
		}
		g.r = r
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		g.panel = !g.panel
	}
	g.join()
	g.srv.SetLocalInput(window.Buttons())
	g.srv.Tick()
	g.ticks++
	if g.srv.RestartRequested() {
		g.log.Warn("Steam asked for a restart; quitting")
		return ebiten.Termination
	}
	return nil
}

// join adds the host player once the server is logged on: its ticket is made
// for the server's Steam ID, as a client's is.
func (g *listenGame) join() {
	st := g.srv.Plugin().Status()
	if g.joined || !st.LoggedOn {
		return
	}
	g.joined = true
	cfg := g.srv.Config()
	h, ticket, err := g.universe.GetAuthSessionTicket(g.hostID, cfg.AppID, steamgs.Identity{SteamID: st.SteamID})
	if err != nil {
		g.log.Error("host ticket", "err", err)
		return
	}
	g.ticket = h
	if _, err := g.srv.AddLocal(g.hostID, g.name, ticket); err != nil {
		g.log.Error("host cannot join", "err", err)
	}
}

// Draw draws the arena, the bar and, when shown, the server panel.
func (g *listenGame) Draw(screen *ebiten.Image) {
	if g.r == nil {
		return
	}
	g.srv.Snapshot(&g.snap)
	rules := g.srv.Game().Rules()
	g.r.World(screen, &g.snap, int(rules.Width), int(rules.Height))
	score := uint32(0)
	if me := g.snap.Find(g.snap.You); me != nil {
		score = me.Score
	}
	cfg := g.srv.Config()
	g.r.HUD(screen, fmt.Sprintf("%s  %s: %d", cfg.Name, g.name, score), "Tab: server panel  Esc: quit")
	if g.panel {
		g.srv.Status(&g.status)
		g.r.ServerPanel(screen, &g.status)
	}
	if g.shotPath != "" && g.ticks >= g.shotTicks && !g.done {
		g.done = true
		g.err = window.Screenshot(screen, g.shotPath)
	}
}

// Layout fixes the logical screen size; the window scales it.
func (g *listenGame) Layout(int, int) (int, int) { return render.ScreenWidth, render.ScreenHeight }

// close shuts the server down and cancels the host's ticket.
func (g *listenGame) close() {
	if err := g.srv.Close(); err != nil && !errors.Is(err, server.ErrClosed) {
		g.log.Error("shutdown", "err", err)
	}
	if g.ticket != 0 {
		g.universe.CancelAuthTicket(g.hostID, g.ticket)
	}
}
