// Command minimal is the smallest Ebiten game with a Steam game server, to
// copy from: a window, the Steam plugin on the embedded Steam, one player
// whose score goes up every second, and Steam's server queries answered on
// the query port, where A2S_PLAYER shows the score.
package main

import (
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/netip"
	"os"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
)

const app = steamgs.AppID(480) // Valve's test app; use your game's

type game struct {
	steam  *ecs.Plugin
	player donburi.Entity
	ticks  int
}

func (g *game) Update() error {
	if g.ticks++; g.ticks%60 == 0 {
		p := g.steam.Player(g.player)
		p.SetScore(p.Score() + 1) // this tick sends it to Steam (UpdateUserData)
	}
	return g.steam.Update() // one tick of the Steam systems
}

func (g *game) Draw(screen *ebiten.Image) {
	p := g.steam.Player(g.player)
	ebitenutil.DebugPrint(screen, fmt.Sprintf("Steam: %s\n%s: %d points (%s)", g.steam.Status().State, p.Name(), p.Score(), p.Auth()))
}

func (g *game) Layout(int, int) (int, int) { return 320, 240 }

func main() {
	if err := run(os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("minimal", flag.ExitOnError)
	query := fs.String("query", "0.0.0.0:27016", "address of Steam's server queries (A2S, UDP); port 0 picks a free one")
	_ = fs.Parse(args)
	addr, err := netip.ParseAddrPort(*query)
	if err != nil {
		return err
	}
	steam, err := local.NewUniverse(local.Options{}) // the embedded Steam; steamworks.Open("") is the real one
	if err != nil {
		return err
	}
	srv := steamgs.NewServer(steam)
	if err := srv.Init(steamgs.Config{IP: addr.Addr(), GamePort: 27015, QueryPort: addr.Port(), Mode: steamgs.ModeAuthentication,
		Version: "1.0.0.0", AppID: app, Product: "480", GameDescription: "Minimal steamgs game", ModDir: "minimal"}); err != nil {
		return err
	}
	defer srv.Shutdown()
	plugin, err := ecs.Install(donburi.NewWorld(), srv, ecs.Options{Logger: slog.Default(), Rejected: systems.KeepRejected})
	if err != nil {
		return err
	}
	set := plugin.Settings()
	set.SetServerName("Minimal")
	set.SetMaxPlayerCount(4)
	set.SetAdvertiseServerActive(true)
	set.LogOnAnonymous()
	// The player joins with an auth ticket from their Steam client (here the same universe).
	me := steam.AddUser(local.User{Name: "me", Apps: []steamgs.AppID{app}})
	_, ticket, err := steam.GetAuthSessionTicket(me, app, steamgs.Identity{})
	if err != nil {
		return err
	}
	slog.Info("answering A2S queries", "port", srv.QueryPort())
	return ebiten.RunGame(&game{steam: plugin, player: plugin.Join(me, "me", ticket)})
}
