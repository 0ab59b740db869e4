package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDemoPrintsTables runs the demo until a status table shows both clients
// approved and the bot, then stops it as Ctrl-C would. The wait is bounded
// but generous, so a loaded machine slows the test down rather than failing it.
func TestDemoPrintsTables(t *testing.T) {
	wants := []string{"Coin Arena", "Steam Connected", "client-1", "client-2", "bot 1", "Approved", "players 3/32"}
	var out, errs testio.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-port", "0", "-every", "100ms", "-clients", "2", "-bots", "1",
			"-universe", "demo test"}, &out, &errs)
	}()

	lastTable := func() string {
		tables := strings.Split(out.String(), "Ctrl-C to stop")
		if len(tables) < 2 {
			return ""
		}
		return tables[len(tables)-2]
	}
	complete := func(table string) bool {
		for _, want := range wants {
			if !strings.Contains(table, want) {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(30 * time.Second)
	for !complete(lastTable()) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	require.Equal(t, 0, <-done, "exit code; stderr:\n%s", errs.String())
	last := lastTable()
	for _, want := range wants {
		assert.Contains(t, last, want, "no table within 30 s shows %q", want)
	}
	assert.GreaterOrEqual(t, strings.Count(out.String(), "Ctrl-C to stop"), 2, "status tables printed")
	assert.Empty(t, errs.String(), "warnings or errors logged")
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
		assert.Equal(t, 2, run(context.Background(), tt.args, &out, &errs), "run(%q)", tt.args)
		assert.Contains(t, errs.String(), tt.want, "run(%q) stderr", tt.args)
	}
}
