package agones_test

import (
	"fmt"
	"testing"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/ecs/ecstest"
)

// BenchmarkAgentTick measures the Agent's part of a quiet tick of 64
// players: the alive counter and a look at the status and settings.
func BenchmarkAgentTick(b *testing.B) {
	s := agonestest.Start(b, agonestest.Options{})
	h := ecstest.Start(b, ecstest.Options{NoRecord: true})
	a, err := agones.Attach(h.Plugin, agones.Options{LookupEnv: s.LookupEnv, Client: agones.ClientOptions{Backoff: fast}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = a.Close() })
	for i := range 64 {
		h.Join(fmt.Sprintf("p%d", i))
	}
	h.Step(3)
	b.ReportAllocs()
	for b.Loop() {
		a.Tick()
	}
}
