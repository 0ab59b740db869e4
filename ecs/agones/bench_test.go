package agones_test

import (
	"fmt"
	"testing"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/ecs/ecstest"
)

// BenchmarkQuietTick measures a quiet tick of 64 players without and with
// an Agent attached (its part: the alive counter, a look at the status and
// settings, no call).
func BenchmarkQuietTick(b *testing.B) {
	for _, attached := range []bool{false, true} {
		name := "bare"
		if attached {
			name = "agones"
		}
		b.Run(name, func(b *testing.B) {
			s := agonestest.Start(b, agonestest.Options{})
			h := ecstest.Start(b, ecstest.Options{NoRecord: true})
			if attached {
				a, err := agones.Attach(h.Plugin, agones.Options{LookupEnv: s.LookupEnv, Client: agones.ClientOptions{Backoff: fast}})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _ = a.Close() })
			}
			for i := range 64 {
				h.Join(fmt.Sprintf("p%d", i))
			}
			h.Step(3)
			b.ReportAllocs()
			for b.Loop() {
				h.Step(1)
			}
		})
	}
}
