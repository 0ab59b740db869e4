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
BenchmarkUpdateUserData-2   100  100 ns/op
`
	r, err := parse(strings.NewReader(in))
	require.NoError(t, err)
	require.Equal(t, 51000.0, r[pkgLocal+"BenchmarkEd25519Verify"], "Ed25519Verify")
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
