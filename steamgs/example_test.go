package steamgs_test

import (
	"errors"
	"fmt"
	"net/netip"
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

// Several settings change in one call, which the back end applies at once:
// the embedded Steam rebuilds its A2S replies once. The settings every
// server needs before log-on can come with the Config.
func ExampleServer_ApplySettings() {
	universe, _ := local.NewUniverse(local.Options{})
	srv := steamgs.NewServer(universe)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeNoAuthentication,
		Version: "1.0", Product: "480", GameDescription: "Spacewar"}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	err := srv.ApplySettings(steamgs.Settings{ServerName: "Example", MapName: "arena", MaxPlayers: 16, Advertise: true},
		steamgs.FieldServerName|steamgs.FieldMapName|steamgs.FieldMaxPlayers|steamgs.FieldAdvertise)
	fmt.Println(err)
	st := srv.Settings()
	fmt.Println(st.Product, st.ServerName, st.MapName, st.MaxPlayers, st.Advertise)

	// Nothing is set unless every field is valid; the error names each bad one.
	err = srv.ApplySettings(steamgs.Settings{ServerName: strings.Repeat("x", 80), MaxPlayers: -1},
		steamgs.FieldServerName|steamgs.FieldMaxPlayers)
	fmt.Println(err)
	fmt.Println(errors.Is(err, steamgs.ErrTooLong), errors.Is(err, steamgs.ErrOutOfRange), srv.Settings().ServerName)
	fmt.Println(srv.LogOnAnonymous())
	// Output:
	// <nil>
	// 480 Example arena 16 true
	// steamgs: server name is 80 bytes, limit 63
	// steamgs: max player count is -1, want 0 to 2147483647
	// true true Example
	// <nil>
}

// Raw reaches what only one back end offers: here the A2S counters of the
// embedded Steam, after it answered a query that came in on the game socket.
func ExampleServer_Raw() {
	universe, _ := local.NewUniverse(local.Options{})
	srv := steamgs.NewServer(universe)
	if err := srv.Init(steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeNoAuthentication,
		Version: "1.0", Product: "480", GameDescription: "Spacewar"}); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	srv.SetServerName("Example")
	srv.SetAdvertiseServerActive(true)

	// A client's A2S_INFO query, answered with a challenge, then sent again
	// with the challenge, answered with the server's info.
	query := []byte("\xFF\xFF\xFF\xFFTSource Engine Query\x00")
	client := netip.MustParseAddrPort("192.0.2.7:27005")
	buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
	for range 2 {
		if _, err := srv.HandleIncomingPacket(query, client); err != nil {
			fmt.Println(err)
			return
		}
		n, to, _ := srv.GetNextOutgoingPacket(buf)
		if n < 5 {
			fmt.Println("no reply")
			return
		}
		fmt.Printf("reply %q to %s\n", buf[4], to)
		if buf[4] == 'A' { // S2C_CHALLENGE: the query again, with the challenge
			query = append(query, buf[5:n]...)
		}
	}

	err := srv.Raw(func(conn any) error {
		ls, ok := conn.(*local.Server)
		if !ok {
			return fmt.Errorf("not the embedded Steam: %T", conn)
		}
		stats := ls.QueryStats()
		fmt.Println("info answered:", stats.Info, "challenges sent:", stats.Challenges)
		return nil
	})
	fmt.Println(err)
	// Output:
	// reply 'A' to 192.0.2.7:27005
	// reply 'I' to 192.0.2.7:27005
	// info answered: 1 challenges sent: 1
	// <nil>
}

func ExampleParseSteamID() {
	id, err := steamgs.ParseSteamID("[U:1:22202]")
	fmt.Println(id.AccountID(), id.Type(), id.Universe(), uint64(id), err)
	fmt.Println(steamgs.ClanID(103))
	// Output:
	// 22202 Individual Public 76561197960287930 <nil>
	// [g:1:103]
}
