package agones_test

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/ecs/ecstest"
)

// A server under Agones: Ready once Steam logged it on, a player who joins
// directly is listed and allocates it, and a stop (here as on SIGTERM)
// shuts it down. The sidecar is agonestest's fake, the server the ecstest
// harness's; a real server finds the sidecar through AGONES_SDK_HTTP_PORT.
func ExampleAttach() {
	sidecar, err := agonestest.New(agonestest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sidecar.Close()
	h, err := ecstest.New(ecstest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()

	a, err := agones.Attach(h.Plugin, agones.Options{LookupEnv: sidecar.LookupEnv})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.Step(1)
	_ = sidecar.Wait(ctx, func() bool { return sidecar.State() == "Ready" })
	fmt.Println("state:", sidecar.State())

	_, alice := h.Join("alice")
	h.Step(2) // BeginAuthSession, then Steam's approval
	_ = sidecar.Wait(ctx, func() bool { l, _ := sidecar.List("players"); return len(l.Values) == 1 })
	l, _ := sidecar.List("players")
	fmt.Println("listed:", l.Values[0] == strconv.FormatUint(uint64(alice), 10), "capacity:", l.Capacity)
	_ = sidecar.Wait(ctx, func() bool { return sidecar.State() == "Allocated" })
	fmt.Println("state:", sidecar.State())

	a.Stop(agones.ReasonSignal, nil)
	h.Step(1) // removes the players, then hands Shutdown over
	select {
	case <-a.Done():
	case <-ctx.Done():
	}
	reason, err := a.Result()
	fmt.Println("done:", reason, err, sidecar.State())
	// Output:
	// state: Ready
	// listed: true capacity: 64
	// state: Allocated
	// done: Signal <nil> Shutdown
}

// The typed client, for calls of a dedicated server's own.
func ExampleClient() {
	sidecar, err := agonestest.New(agonestest.Options{Address: "203.0.113.7", Ports: []agonestest.Port{{Name: "game", Port: 7001}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sidecar.Close()
	c, ok, err := agones.ClientFromEnv(sidecar.LookupEnv, agones.ClientOptions{})
	if !ok || err != nil {
		fmt.Println("not under Agones", err)
		return
	}
	defer c.Close()
	ctx := context.Background()

	ep, err := c.Endpoint(ctx, "game") // advertise this, not the container port
	fmt.Println("endpoint:", ep.IP, ep.Port, err)
	fmt.Println("ready:", c.Ready(ctx))
	_ = c.AddListValue(ctx, "players", "76561197960265729")
	err = c.AddListValue(ctx, "players", "76561197960265729")
	fmt.Println("twice:", agones.IsAlreadyExists(err))
	fmt.Println(err)
	// Output:
	// endpoint: 203.0.113.7 7001 <nil>
	// ready: <nil>
	// twice: true
	// agones: AddListValue (POST /v1beta1/lists/players:addValue): sidecar answered 500, code 2: already exists. Value: 76561197960265729 already in List: players
}
