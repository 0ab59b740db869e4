package metrics_test

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/ecs/metrics"
)

// A plugin's metrics in a registry of their own (promhttp.HandlerFor(reg,
// promhttp.HandlerOpts{}) serves it).
func ExampleRegister() {
	h, err := ecstest.New(ecstest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	reg := prometheus.NewRegistry()
	if _, err := metrics.Register(reg, h.Plugin, metrics.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	h.Join("alice")
	h.Join("bob")
	h.Step(2)

	mfs, err := reg.Gather()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, mf := range mfs {
		switch mf.GetName() {
		case "steamgs_players", "steamgs_steam_connected", "steamgs_ticks_total":
			for _, m := range mf.GetMetric() {
				v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
				labels := ""
				for _, l := range m.GetLabel() {
					labels += fmt.Sprintf("{%s=%q}", l.GetName(), l.GetValue())
				}
				fmt.Printf("%s%s %v\n", mf.GetName(), labels, v)
			}
		}
	}
	// Output:
	// steamgs_players{auth="approved"} 2
	// steamgs_players{auth="denied"} 0
	// steamgs_players{auth="kicked"} 0
	// steamgs_players{auth="pending"} 0
	// steamgs_steam_connected 1
	// steamgs_ticks_total 2
}
