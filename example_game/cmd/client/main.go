// Command client is the example game's windowed client. It opens on a
// server browser that lists the servers on 127.0.0.1, ports 27015 to 27020,
// with their name, map, players and ping (A2S_INFO, as Steam's LAN browser
// does); Enter joins the selected one with an auth ticket of the embedded
// Steam universe. In the game the arrow keys or WASD move, Tab shows the
// scores and Esc leaves.
//
//	client [-name player] [-universe steamgs-example] [-host 127.0.0.1] [-ports 27015-27020]
//	       [-connect] [-server 127.0.0.1:27015] [-password P]
//
// -connect skips the browser and joins -server; when it cannot join (Steam
// refused its ticket, with Steam's reason; a ticket of another -universe;
// no answer) or the server ends the game, it says why on standard error and
// exits 1. With -screenshot FILE it writes the window's pixels to FILE and
// exits: after -ticks snapshots of play with -connect, else after -ticks
// frames of a browser that lists at least one server.
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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/window"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/render"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// options are the client's own flags.
type options struct {
	host      netip.Addr
	first     uint16
	last      uint16
	connect   bool
	shotPath  string
	shotTicks int
}

// parsePorts parses "first-last" or a single port.
func parsePorts(s string) (uint16, uint16, error) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		b = a
	}
	first, err1 := strconv.ParseUint(a, 10, 16)
	last, err2 := strconv.ParseUint(b, 10, 16)
	if err1 != nil || err2 != nil || first == 0 || last < first {
		return 0, 0, fmt.Errorf("-ports %q is not a range of ports like 27015-27020", s)
	}
	return uint16(first), uint16(last), nil
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf cli.ClientFlags
	cf.Register(fs, "player")
	host := fs.String("host", "127.0.0.1", "host whose ports the server browser scans")
	ports := fs.String("ports", "27015-27020", "ports the server browser scans")
	connect := fs.Bool("connect", false, "skip the browser and join -server")
	shot := fs.String("screenshot", "", "write the window's pixels to this PNG file after -ticks ticks, then exit")
	ticks := fs.Int("ticks", 60, "snapshots of play (with -connect) or browser frames before the screenshot")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var o options
	var err error
	if o.first, o.last, err = parsePorts(*ports); err != nil {
		log.Error("bad flag", "err", err)
		return 2
	}
	if o.host, err = netip.ParseAddr(*host); err != nil || !o.host.Is4() {
		log.Error("bad flag", "err", fmt.Sprintf("-host %q is not an IPv4 address", *host))
		return 2
	}
	if _, err := cf.ServerAddr(); err != nil {
		log.Error("bad flag", "err", err)
		return 2
	}
	o.connect, o.shotPath, o.shotTicks = *connect, *shot, *ticks
	u, err := cf.OpenUniverse()
	if err != nil {
		log.Error("embedded Steam", "err", err)
		return 1
	}
	g := newClientGame(&cf, o, u, log)
	code := 0
	if err := window.Run(g, "Coin Arena - client "+cf.Name, 0); err != nil {
		log.Error("game ended", "err", err)
		code = 1
	}
	if g.shotErr != nil {
		log.Error("screenshot", "err", g.shotErr)
		code = 1
	}
	g.close()
	if g.fatal != nil {
		fmt.Fprintf(stderr, "client: %s\n", g.fatal)
		code = 1
	}
	return code
}

// joinError explains why a client could not join the server at addr, or
// why the server ended its game.
type joinError struct {
	addr   netip.AddrPort
	err    error
	joined bool // the game had begun
}

func (e *joinError) Error() string {
	verb := "could not join " + e.addr.String()
	if e.joined {
		verb = "left " + e.addr.String()
	}
	var de *client.DeniedError
	switch {
	case errors.As(e.err, &de) && de.Reason == proto.ReasonAuthFailed:
		msg := verb + ": refused by Steam: " + strings.TrimPrefix(de.Message, "Steam: ")
		if strings.Contains(de.Message, steamgs.BeginAuthInvalidTicket.String()) {
			// The embedded Steam refuses tickets signed with another key.
			msg += " (the server's embedded Steam did not accept the ticket: is -universe the server's?)"
		}
		return msg
	case errors.As(e.err, &de):
		return verb + ": " + strings.TrimPrefix(de.Error(), "client: ")
	case errors.Is(e.err, client.ErrTimeout):
		return verb + ": no answer: " + strings.TrimPrefix(e.err.Error(), "client: ") + " (is a server running there?)"
	}
	return verb + ": " + e.err.Error()
}

func (e *joinError) Unwrap() error { return e.err }

// clientGame is the client's ebiten.Game: a server browser, then a game.
type clientGame struct {
	cf  *cli.ClientFlags
	o   options
	u   *local.Universe
	id  steamgs.SteamID // the player's account
	log *slog.Logger
	r   *render.Renderer

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// Shared with the browsing and dialing goroutines.
	mu       sync.Mutex
	servers  []client.ServerEntry
	browsing bool
	dialing  bool
	joined   *client.Client
	status   string

	// fatal, with -connect, is why the client could not join or left the
	// game: the program says so and exits 1.
	fatal error

	selected  int
	lastScan  time.Time
	conn      *client.Client
	snap      proto.Snapshot
	scores    bool
	played    int  // snapshots taken in the game
	approved  bool // a snapshot showed the player approved by Steam
	frames    int  // frames drawn in the browser
	shotDone  bool
	shotErr   error
	quitAfter bool
}

func newClientGame(cf *cli.ClientFlags, o options, u *local.Universe, log *slog.Logger) *clientGame {
	ctx, cancel := context.WithCancel(context.Background())
	g := &clientGame{cf: cf, o: o, u: u, id: cf.Account(u, cf.Name), log: log, ctx: ctx, cancel: cancel,
		status: "searching for servers..."}
	if o.connect {
		addr, _ := cf.ServerAddr()
		g.join(addr)
	}
	return g
}

// scan lists the servers in the background.
func (g *clientGame) scan() {
	g.mu.Lock()
	if g.browsing {
		g.mu.Unlock()
		return
	}
	g.browsing = true
	g.mu.Unlock()
	g.lastScan = time.Now()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		found, err := client.Browse(g.ctx, g.o.host, g.o.first, g.o.last, 500*time.Millisecond)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.browsing = false
		if err == nil {
			g.servers = found
			if strings.HasPrefix(g.status, "searching") || strings.HasPrefix(g.status, "found") {
				g.status = fmt.Sprintf("found %d servers on %s ports %d-%d", len(found), g.o.host, g.o.first, g.o.last)
			}
		}
	}()
}

// join dials addr in the background.
func (g *clientGame) join(addr netip.AddrPort) {
	g.mu.Lock()
	if g.dialing {
		g.mu.Unlock()
		return
	}
	g.dialing = true
	g.status = "joining " + addr.String() + "..."
	g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		c, err := g.cf.DialAs(g.ctx, g.u, addr, g.cf.Name, g.id)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.dialing = false
		if err != nil {
			je := &joinError{addr: addr, err: err}
			g.status = je.Error()
			if g.o.connect {
				g.fatal = je
			}
			return
		}
		g.joined = c
	}()
}

// Update runs the browser or the game for one tick.
func (g *clientGame) Update() error {
	g.mu.Lock()
	fatal := g.fatal
	g.mu.Unlock()
	if g.quitAfter || fatal != nil {
		return ebiten.Termination
	}
	if g.r == nil {
		r, err := render.New()
		if err != nil {
			return err
		}
		g.r = r
	}
	g.mu.Lock()
	if g.joined != nil {
		g.conn, g.joined = g.joined, nil
		g.snap = proto.Snapshot{}
		ebiten.SetTPS(int(g.conn.Welcome().TickRate))
	}
	g.mu.Unlock()
	if g.conn != nil {
		return g.play()
	}
	return g.browse()
}

// browse handles the server browser's keys.
func (g *clientGame) browse() error {
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		return ebiten.Termination
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyR) || time.Since(g.lastScan) > 3*time.Second {
		g.scan()
	}
	g.mu.Lock()
	n := len(g.servers)
	var sel netip.AddrPort
	if n > 0 {
		g.selected = min(max(g.selected, 0), n-1)
		sel = g.servers[g.selected].Addr
	}
	g.mu.Unlock()
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowDown):
		g.selected++
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowUp):
		g.selected--
	case inpututil.IsKeyJustPressed(ebiten.KeyEnter) && sel.IsValid():
		g.join(sel)
	}
	return nil
}

// play sends the keys and takes the newest snapshot; Esc leaves.
func (g *clientGame) play() error {
	select {
	case <-g.conn.Done():
		je := &joinError{addr: g.conn.Server(), err: g.conn.Err(), joined: g.approved}
		g.status = je.Error()
		g.leave()
		if g.o.connect {
			g.mu.Lock()
			g.fatal = je
			g.mu.Unlock()
			return ebiten.Termination
		}
		return nil
	default:
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		g.status = "left the game"
		g.leave()
		return nil
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		g.scores = !g.scores
	}
	if err := g.conn.SendInput(uint8(window.Buttons())); err != nil {
		g.log.Warn("send", "err", err)
	}
	if g.conn.Snapshot(&g.snap) > 0 {
		g.played++
		if me := g.snap.Find(g.snap.You); me != nil && me.Auth == proto.AuthApproved {
			g.approved = true
		}
	}
	return nil
}

// leave closes the connection and returns to the browser.
func (g *clientGame) leave() {
	_ = g.conn.Close()
	g.conn = nil
	ebiten.SetTPS(ebiten.DefaultTPS)
	g.approved = false
	g.scan()
}

// Draw draws the browser or the game.
func (g *clientGame) Draw(screen *ebiten.Image) {
	if g.r == nil {
		return
	}
	if g.conn == nil {
		screen.Fill(render.HUDBackground)
		g.r.HUD(screen, "Coin Arena  "+g.cf.Name, "server browser")
		g.mu.Lock()
		servers, status := append([]client.ServerEntry(nil), g.servers...), g.status
		g.mu.Unlock()
		g.r.Browser(screen, servers, g.selected, status)
		g.frames++
		if g.o.shotPath != "" && !g.o.connect && len(servers) > 0 && g.frames >= g.o.shotTicks && !g.shotDone {
			g.shotDone, g.quitAfter = true, true
			g.shotErr = window.Screenshot(screen, g.o.shotPath)
		}
		return
	}
	w := g.conn.Welcome()
	g.r.World(screen, &g.snap, int(w.Width), int(w.Height))
	score := uint32(0)
	if me := g.snap.Find(g.snap.You); me != nil {
		score = me.Score
	}
	age := time.Since(g.conn.LastHeard()).Milliseconds()
	g.r.HUD(screen, fmt.Sprintf("%s (%s)  %s: %d", w.ServerName, w.Map, g.cf.Name, score),
		fmt.Sprintf("age %dms  Tab: scores  Esc: leave", age))
	if g.scores {
		g.r.Scoreboard(screen, &g.snap, w.ServerName+" - scores")
	}
	if g.o.shotPath != "" && g.played >= g.o.shotTicks && !g.shotDone {
		g.shotDone, g.quitAfter = true, true
		g.shotErr = window.Screenshot(screen, g.o.shotPath)
	}
}

// Layout fixes the logical screen size; the window scales it.
func (g *clientGame) Layout(int, int) (int, int) { return render.ScreenWidth, render.ScreenHeight }

// close leaves the game and waits for the background work.
func (g *clientGame) close() {
	if g.conn != nil {
		_ = g.conn.Close()
	}
	g.cancel()
	g.wg.Wait()
	g.mu.Lock()
	if g.joined != nil {
		_ = g.joined.Close()
	}
	g.mu.Unlock()
}
