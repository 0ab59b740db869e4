package main

import (
	"strings"
	"testing"
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
	if err != nil {
		t.Fatal(err)
	}
	if got := r[pkgLocal+"BenchmarkEd25519Verify"]; got != 51000 {
		t.Fatalf("Ed25519Verify = %v, want 51000", got)
	}
	cases := []struct {
		target target
		want   string
	}{
		{targets[0], "0.85x  (target >= 0.80x: meets target)"},
		{targets[4], "3.00x  (target <= 1.50x: MISSES target)"},
		{targets[6], "not measured in this run"},
	}
	for _, c := range cases {
		if got := report(c.target, r); !strings.Contains(got, c.want) {
			t.Errorf("report(%s) = %q, want it to contain %q", c.target.what, got, c.want)
		}
	}
}
