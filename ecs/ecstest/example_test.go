package ecstest_test

import (
	"fmt"

	"github.com/steamgs/steamgs/ecs/ecstest"
)

func Example() {
	h, err := ecstest.New(ecstest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	fmt.Println("logged on:", h.Status().LoggedOn, h.Status().SteamID.Type())

	e, id := h.Join("alice")
	h.Step(1) // BeginAuthSession
	h.Step(1) // Steam's verdict, then UpdateUserData
	p := h.Player(e)
	fmt.Println(p.Name(), p.Auth(), p.SteamID() == id)
	for _, c := range h.Recorder.SteamCalls() {
		fmt.Println(" ", c.Method)
	}

	h.Recorder.Reset()
	p.SetScore(10)
	h.Step(1)
	h.Step(1) // quiet
	fmt.Println("UpdateUserData calls:", h.Recorder.Count("UpdateUserData"))
	fmt.Println("other calls:", len(h.Recorder.SteamCalls())-1)

	h.Recorder.Reset()
	h.Universe.BanUser(id)
	h.Step(1)
	fmt.Println("banned:", h.Valid(e), h.Recorder.Count("EndAuthSession"))
	// Output:
	// logged on: true AnonGameServer
	// alice Approved true
	//   BeginAuthSession
	//   UpdateUserData
	// UpdateUserData calls: 1
	// other calls: 0
	// banned: false 1
}
