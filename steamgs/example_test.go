package steamgs_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
)

// ExampleServer is the main flow of a game server: init, log on, authenticate
// a player, publish the player's score, shut down. It runs on the embedded
// Steam with a manual clock; a real game calls RunCallbacks once per tick.
func ExampleServer() {
	clock := local.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	universe, _ := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("example"), Clock: clock})
	bob := universe.AddUser(local.User{Name: "bob", Apps: []steamgs.AppID{480}})

	srv := steamgs.NewServer(universe)
	if err := srv.Init(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	srv.SetProduct("480")
	srv.SetGameDescription("Spacewar")
	srv.SetModDir("spacewar")
	srv.SetServerName("Example")
	srv.LogOnAnonymous()

	tick := func() {
		clock.Advance(50 * time.Millisecond)
		srv.RunCallbacks(func(cb steamgs.Callback) {
			switch cb := cb.(type) {
			case steamgs.ServerConnected:
				fmt.Println("connected as a", srv.SteamID().Type())
			case steamgs.ValidateAuthTicketResponse:
				fmt.Println("verdict for bob:", cb.SteamID == bob, cb.Response)
			}
		})
	}
	tick()

	// bob's client got a ticket from Steam and sent it over the network.
	_, ticket, _ := universe.GetAuthSessionTicket(bob, 480, steamgs.Identity{})
	res, err := srv.BeginAuthSession(ticket, bob)
	fmt.Println("BeginAuthSession:", res, err)
	tick()

	ok, err := srv.UpdateUserData(bob, "bob", 7)
	fmt.Println("score published:", ok, err)
	fmt.Println(srv.EndAuthSession(bob))
	// Output:
	// connected as a AnonGameServer
	// BeginAuthSession: OK <nil>
	// verdict for bob: true OK
	// score published: true <nil>
	// <nil>
}

// Bad input gets an error that names the value and the limit and matches an
// exported sentinel.
func ExampleServer_SetServerName() {
	universe, _ := local.NewUniverse(local.Options{})
	srv := steamgs.NewServer(universe)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeNoAuthentication,
		Version: "1.0"}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	err := srv.SetServerName(strings.Repeat("x", 80))
	fmt.Println(err)
	fmt.Println(errors.Is(err, steamgs.ErrTooLong))
	// Output:
	// steamgs: server name is 80 bytes, limit 63
	// true
}

func ExampleParseSteamID() {
	id, err := steamgs.ParseSteamID("[U:1:22202]")
	fmt.Println(id.AccountID(), id.Type(), id.Universe(), uint64(id), err)
	fmt.Println(steamgs.ClanID(103))
	// Output:
	// 22202 Individual Public 76561197960287930 <nil>
	// [g:1:103]
}
