package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDemoPrintsTables(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-port", "0", "-duration", "2s", "-every", "250ms",
		"-clients", "2", "-bots", "1", "-universe", "demo test"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errs.String())
	}
	tables := strings.Split(out.String(), "Ctrl-C to stop")
	if len(tables) < 3 {
		t.Fatalf("%d tables in 2 s, want several:\n%s", len(tables)-1, out.String())
	}
	last := tables[len(tables)-2]
	for _, want := range []string{"Coin Arena", "Steam Connected", "client-1", "client-2", "bot 1", "Approved", "players 3/32"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last table lacks %q:\n%s", want, last)
		}
	}
	if errs.Len() != 0 {
		t.Errorf("warnings or errors logged:\n%s", errs.String())
	}
}

func TestDemoBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-clients", "17"}, "-clients is 17, want 0 to 16"},
		{[]string{"-bots", "-1"}, "-bots is -1, want 0 to 16"},
		{[]string{"-port", "65536"}, "-port is 65536, limit 65535"},
		{[]string{"-every", "0s"}, "-every is 0s"},
	}
	for _, tt := range tests {
		var out, errs bytes.Buffer
		if code := run(context.Background(), tt.args, &out, &errs); code != 2 {
			t.Errorf("run(%q) = %d, want 2", tt.args, code)
		}
		if !strings.Contains(errs.String(), tt.want) {
			t.Errorf("run(%q) stderr %q lacks %q", tt.args, errs.String(), tt.want)
		}
	}
}
