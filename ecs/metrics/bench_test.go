package metrics_test

import (
	"fmt"
	"testing"

	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/ecs/metrics"
)

// BenchmarkQuietTick measures a quiet tick of 64 players without and with
// the collector attached.
func BenchmarkQuietTick(b *testing.B) {
	for _, attached := range []bool{false, true} {
		name := "bare"
		if attached {
			name = "metrics"
		}
		b.Run(name, func(b *testing.B) {
			h := ecstest.Start(b, ecstest.Options{NoRecord: true})
			if attached {
				if _, err := metrics.New(h.Plugin, metrics.Options{}); err != nil {
					b.Fatal(err)
				}
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
