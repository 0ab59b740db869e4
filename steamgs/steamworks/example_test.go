package steamworks_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/steamworks"
)

// A game picks its back end at start-up: the real Steam when it is given a
// libsteam_api (from a -steam-lib flag, say), else the embedded Steam. The
// rest of the code is the same for both. Here no library is given.
func Example_chooseBackend() {
	steamLib := "" // the path of libsteam_api, for a game that ships on Steam
	var backend steamgs.Backend
	if steamLib != "" {
		lib, err := steamworks.Open(steamLib)
		if err != nil {
			log.Fatal(err) // names the file, and matches ErrNotFound or ErrLoad
		}
		backend = lib
	} else {
		backend, _ = local.NewUniverse(local.Options{})
	}

	srv := steamgs.NewServer(backend)
	err := srv.Init(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480,
		Product: "480", GameDescription: "Spacewar", ModDir: "spacewar"})
	var initErr *steamgs.InitError
	if errors.As(err, &initErr) { // the real Steam refused, such as without steamclient.so
		log.Fatalf("Steam refused the server: %v: %s", initErr.Result, initErr.Message)
	} else if err != nil {
		log.Fatal(err)
	}
	defer srv.Shutdown()
	fmt.Println(srv.LogOnAnonymous())
	fmt.Println("reaches Steam:", srv.Capabilities().SteamConnection)
	// Output:
	// <nil>
	// reaches Steam: true
}

// A dedicated server on the real Steam: load libsteam_api, initialize,
// set the server up, log on with a game server log-on token and pump
// callbacks once per tick. (It needs Valve's library and steamclient, so
// it is compiled but not run.)
func Example() {
	lib, err := steamworks.Open("") // STEAM_API_LIB, next to the executable, or the working directory
	if err != nil {
		log.Fatal(err)
	}
	srv := steamgs.NewServer(lib)
	err = srv.Init(steamgs.Config{GamePort: 27015, QueryPort: 27016,
		Mode: steamgs.ModeAuthenticationAndSecure, Version: "1.0.0.0", AppID: 480})
	var initErr *steamgs.InitError
	if errors.As(err, &initErr) {
		log.Fatalf("Steam refused the server: %v: %s", initErr.Result, initErr.Message)
	} else if err != nil {
		log.Fatal(err)
	}
	defer srv.Shutdown()

	for _, set := range []error{
		srv.SetProduct("480"),
		srv.SetGameDescription("Spacewar"),
		srv.SetModDir("spacewar"),
		srv.SetDedicatedServer(true),
		srv.LogOn(os.Getenv("STEAM_GSLT")),
		srv.SetServerName("My server"),
		srv.SetMaxPlayerCount(16),
		srv.SetAdvertiseServerActive(true),
	} {
		if set != nil {
			log.Fatal(set)
		}
	}

	tick := time.NewTicker(time.Second / 30)
	defer tick.Stop()
	for range tick.C {
		srv.RunCallbacks(func(cb steamgs.Callback) {
			switch cb := cb.(type) {
			case steamgs.ServerConnected:
				log.Printf("logged on as %v", srv.SteamID())
			case steamgs.ServerConnectFailure:
				log.Printf("log-on failed: %v (retrying: %v)", cb.Result, cb.Retrying)
			case steamgs.ValidateAuthTicketResponse:
				log.Printf("%v: %v", cb.SteamID, cb.Response)
			}
		})
	}
}

// Open names the missing or unusable file in its error, which matches the
// package's sentinels.
func ExampleOpen() {
	_, err := steamworks.Open("/nonexistent/libsteam_api.so")
	fmt.Println(errors.Is(err, steamworks.ErrLoad))
	// Output: true
}
