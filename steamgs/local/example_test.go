package local_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
)

// ExampleUniverse runs a game server on the embedded Steam: it logs on with a
// token, authenticates a player who got a ticket from the universe (as a
// Steam client would), publishes the player's score and shuts down. A manual
// clock steps over the universe's latency.
func ExampleUniverse() {
	clock := local.NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	universe, err := local.NewUniverse(local.Options{
		Key:     local.KeyFromPassphrase("example"), // the same in every process of the game
		Clock:   clock,
		Latency: 50 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	universe.AddToken("EXAMPLE-TOKEN", local.TokenValid)
	alice := universe.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{480}})

	srv := steamgs.NewServer(universe)
	err = srv.Init(steamgs.Config{IP: netip.MustParseAddr("127.0.0.1"), GamePort: 27015,
		QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthenticationAndSecure, Version: "1.0.0.0", AppID: 480})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.SetProduct("480")
	srv.SetGameDescription("Spacewar")
	srv.SetModDir("spacewar")
	srv.SetServerName("Example")
	srv.SetAdvertiseServerActive(true)
	srv.LogOn("EXAMPLE-TOKEN")

	show := func(cb steamgs.Callback) { fmt.Printf("%T %+v\n", cb, cb) }
	clock.Advance(50 * time.Millisecond)
	srv.RunCallbacks(show)
	fmt.Println("logged on:", srv.LoggedOn(), srv.SteamID() == universe.TokenSteamID("EXAMPLE-TOKEN"))

	// The client side: alice gets a ticket made for this server.
	_, ticket, err := universe.GetAuthSessionTicket(alice, 480, steamgs.Identity{SteamID: srv.SteamID()})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := srv.BeginAuthSession(ticket, alice)
	fmt.Println("BeginAuthSession:", res)
	clock.Advance(50 * time.Millisecond)
	srv.RunCallbacks(show)

	ok, _ := srv.UpdateUserData(alice, "alice", 10)
	fmt.Println("active player:", ok)
	srv.EndAuthSession(alice)
	fmt.Println("shut down:", srv.Shutdown())
	// Output:
	// steamgs.ServerConnected {}
	// steamgs.PolicyResponse {Secure:true}
	// logged on: true true
	// BeginAuthSession: OK
	// steamgs.ValidateAuthTicketResponse {SteamID:[U:1:2037182817] Response:OK Owner:[U:1:2037182817]}
	// active player: true
	// shut down: <nil>
}
