package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAndReport(t *testing.T) {
	in := `goos: linux
pkg: github.com/steamgs/steamgs/steamgs/local
BenchmarkBeginAuthSession-2   	   20000	     60000 ns/op	     0 B/op	       0 allocs/op
BenchmarkEd25519Verify-2      	   20000	     51000 ns/op
pkg: github.com/steamgs/steamgs/ecs
BenchmarkTick/quiet/players=64-2   100  1000 ns/op
BenchmarkTick/onechange/players=64-2   100  1300 ns/op
BenchmarkUpdateUserData/players=64-2   100  100 ns/op
`
	r, err := parse(strings.NewReader(in))
	require.NoError(t, err)
	v, ok := r.value(pkgLocal+"BenchmarkEd25519Verify", "")
	require.True(t, ok, "Ed25519Verify measured")
	require.Equal(t, 51000.0, v, "Ed25519Verify")
	v, ok = r.value(pkgLocal+"BenchmarkBeginAuthSession", "allocs/op")
	require.True(t, ok, "allocs/op measured")
	require.Zero(t, v, "allocs/op")
	cases := []struct {
		target target
		want   string
	}{
		{targets[0], "0.85x  (target >= 0.80x: meets target)"},
		{targets[4], "3.00x  (target <= 1.50x: MISSES target)"},
		{targets[6], "not measured in this run"},
	}
	for _, c := range cases {
		assert.Contains(t, report(c.target, r), c.want, "report(%s)", c.target.what)
	}
}

// TestMetrics reads the metrics a benchmark reports itself: ratios of two
// metrics of one benchmark, of one metric across two, and a metric alone.
func TestMetrics(t *testing.T) {
	in := `pkg: github.com/steamgs/steamgs/example_game/server
BenchmarkSharedSocket/quiet-2 1 5678087943 ns/op 100.0 answered-% 99.00 inputs-% 100.0 own-answered-% 0.06 own-p50-ms 0.2000 own-p99-ms 0.07 p50-ms 0.3000 p99-ms 7933936 B/op 4017 allocs/op
BenchmarkSharedSocket/a2s-flood/sources=1-2 1 4686674908 ns/op 97.50 answered-% 106.4 flood-kpps 99.00 inputs-% 0.09 p50-ms 53.98 p99-ms
BenchmarkSharedSocket/a2s-flood/sources=200-2 1 5105080337 ns/op 90.00 answered-% 56.85 flood-kpps 74.25 inputs-% 97.03 p50-ms 341.6 p99-ms
`
	r, err := parse(strings.NewReader(in))
	require.NoError(t, err)
	want := map[string]string{
		"A2S p99: shared game socket / own query port":     "1.50x  (target <= 2.00x: meets target)",
		"A2S answered under a flood of 1 source (%)":       "97.50   (target >= 95.00: meets target)",
		"A2S answered under a flood of 200 sources (%)":    "90.00   (target >= 95.00: MISSES target)",
		"inputs received: A2S flood of 1 source / none":    "1.00x  (target >= 0.95x: meets target)",
		"inputs received: A2S flood of 200 sources / none": "0.75x  (target >= 0.95x: MISSES target)",
		"inputs received: junk flood of 1 source / none":   "not measured in this run",
	}
	seen := 0
	for _, tg := range targets {
		if w, ok := want[tg.what]; ok {
			seen++
			assert.Contains(t, report(tg, r), w, "report(%s)", tg.what)
		}
	}
	assert.Equal(t, len(want), seen, "targets found")
}

func TestMedianOfRuns(t *testing.T) {
	in := `pkg: github.com/steamgs/steamgs/ecs
BenchmarkUpdateUserData/players=64-2   100  100 ns/op
BenchmarkUpdateUserData/players=64-2   100  300 ns/op
BenchmarkUpdateUserData/players=64-2   100  110 ns/op
BenchmarkTick/quiet/players=64-2   100  10 ns/op
BenchmarkTick/quiet/players=64-2   100  30 ns/op
`
	r, err := parse(strings.NewReader(in))
	require.NoError(t, err)
	v, ok := r.value(pkgECS+"BenchmarkUpdateUserData/players=64", "")
	require.True(t, ok)
	assert.Equal(t, 110.0, v, "the median of three runs")
	v, ok = r.value(pkgECS+"BenchmarkTick/quiet/players=64", "")
	require.True(t, ok)
	assert.Equal(t, 20.0, v, "the median of two runs")
	_, ok = r.value(pkgECS+"BenchmarkTick/quiet/players=64", "B/op")
	assert.False(t, ok, "a unit not measured")
}
