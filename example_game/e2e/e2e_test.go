package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	a2s "github.com/rumblefrog/go-a2s"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const module = "github.com/steamgs/steamgs/example_game/cmd/"

// build compiles the named commands without cgo into a temporary directory
// and returns their paths by name.
func build(t *testing.T, names ...string) map[string]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go tool is needed to build the binaries")
	dir := t.TempDir()
	out := make(map[string]string)
	for _, name := range names {
		bin := filepath.Join(dir, name)
		cmd := exec.Command(goTool, "build", "-o", bin, module+name)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "go build %s:\n%s", name, b)
		out[name] = bin
	}
	return out
}

// proc is a child process whose standard error is read line by line.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process exited and its output is read
	err  error         // Wait's error, once done

	mu    sync.Mutex
	lines []string
}

// start starts bin with args; the process is killed at the end of the test
// if it is still running.
func start(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	return startEnv(t, name, bin, nil, args...)
}

// output returns the lines written so far.
func (p *proc) output() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.lines)
}

// records returns the JSON log records written so far.
func (p *proc) records() []map[string]any {
	var out []map[string]any
	for _, l := range p.output() {
		var rec map[string]any
		if json.Unmarshal([]byte(l), &rec) == nil {
			out = append(out, rec)
		}
	}
	return out
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		require.Fail(t, fmt.Sprintf("%s did not exit within %v", p.name, timeout))
	}
	return p.cmd.ProcessState.ExitCode()
}

// eventually calls cond every 100 ms until it returns "" or timeout passes,
// then fails with cond's last complaint.
func eventually(t *testing.T, timeout time.Duration, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		require.False(t, time.Now().After(deadline), "after %v: %s", timeout, msg)
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDedicatedServerWithBotClients runs the dedicated server and three bot
// clients as separate processes sharing an embedded Steam universe, and
// checks them from outside with an independent A2S client.
func TestDedicatedServerWithBotClients(t *testing.T) {
	bins := build(t, "dedicated", "bot")
	const universe = "e2e universe"
	srv := start(t, "dedicated", bins["dedicated"], "-ip", "127.0.0.1", "-port", "0", "-bots", "0",
		"-name", "E2E Arena", "-map", "e2e", "-max-players", "8", "-universe", universe,
		"-log-format", "json", "-status-interval", "0")

	// The server logs the address it bound.
	var addr string
	eventually(t, 20*time.Second, func() string {
		for _, r := range srv.records() {
			if r["msg"] == "server started" {
				addr, _ = r["addr"].(string)
				return ""
			}
		}
		return "the server did not log its address"
	})

	names := []string{"alpha", "bravo", "charlie"}
	var bots []*proc
	for _, n := range names {
		bots = append(bots, start(t, n, bins["bot"], "-server", addr, "-name", n, "-universe", universe))
	}

	// Steam approves all three.
	eventually(t, 30*time.Second, func() string {
		var approved []string
		for _, r := range srv.records() {
			if r["msg"] == "player approved" {
				approved = append(approved, fmt.Sprint(r["name"]))
			}
		}
		slices.Sort(approved)
		if !slices.Equal(approved, names) {
			return fmt.Sprintf("approved players %v, want %v", approved, names)
		}
		return ""
	})

	q, err := a2s.NewClient(addr, a2s.TimeoutOption(2*time.Second))
	require.NoError(t, err)
	defer q.Close()

	info, err := q.QueryInfo()
	require.NoError(t, err)
	assert.Equal(t, "E2E Arena", info.Name, "A2S_INFO name")
	assert.Equal(t, "e2e", info.Map, "A2S_INFO map")
	assert.Equal(t, uint8(3), info.Players, "A2S_INFO players")
	assert.Equal(t, uint8(8), info.MaxPlayers, "A2S_INFO max players")
	assert.Zero(t, info.Bots, "A2S_INFO bots")
	assert.True(t, info.ServerType.String() == "Dedicated" || byte(info.ServerType) == 'd',
		"A2S_INFO server type %v, want dedicated", info.ServerType)

	// The bots collect coins: scores change, and A2S_PLAYER shows them.
	a2sScores := map[string]uint32{}
	eventually(t, 60*time.Second, func() string {
		pi, err := q.QueryPlayer()
		if err != nil {
			return err.Error()
		}
		var got []string
		total := uint32(0)
		for _, p := range pi.Players {
			got = append(got, p.Name)
			total += p.Score
			a2sScores[p.Name] = p.Score
		}
		slices.Sort(got)
		if !slices.Equal(got, names) {
			return fmt.Sprintf("A2S_PLAYER lists %v, want %v", got, names)
		}
		if total == 0 {
			return "no bot scored yet"
		}
		return ""
	})

	// SIGTERM: the server tells the bots, ends every session, logs off and
	// exits 0; the bots leave and exit 0 too.
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 0, srv.wait(t, 20*time.Second), "dedicated's exit code")
	ended := -1.0
	for _, r := range srv.records() {
		if r["msg"] == "server shut down" {
			ended, _ = r["sessions_ended"].(float64)
		}
	}
	assert.Equal(t, 3.0, ended, "auth sessions the server ended at shutdown")
	for _, b := range bots {
		assert.Equal(t, 0, b.wait(t, 20*time.Second), "%s's exit code", b.name)
		// Each bot logs its score as its last snapshot showed it; the
		// A2S score, read earlier, is at most that (scores only grow).
		final := -1
		for _, l := range b.output() {
			if strings.Contains(l, "msg=\"server shut down\"") {
				_, after, _ := strings.Cut(l, " score=")
				final, _ = strconv.Atoi(strings.Fields(after + " x")[0])
			}
		}
		t.Logf("%s: A2S score %d, final score %d", b.name, a2sScores[b.name], final)
		if assert.GreaterOrEqual(t, final, 0, "%s's final score", b.name) {
			assert.GreaterOrEqual(t, uint32(final), a2sScores[b.name], "%s's final score, A2S showed %d before", b.name, a2sScores[b.name])
		}
	}
	for _, p := range append([]*proc{srv}, bots...) {
		assert.Error(t, p.cmd.Process.Signal(syscall.Signal(0)), "%s (pid %d) is still alive", p.name, p.cmd.Process.Pid)
	}
}

// TestDedicatedFlags checks that bad flags of the headless programs exit 2
// with a message naming the value and its limit.
func TestDedicatedFlags(t *testing.T) {
	bins := build(t, "dedicated", "bot")
	tests := []struct {
		bin  string
		args []string
		code int
		want string
	}{
		{"dedicated", []string{"-max-players", "40"}, 2, "max players is 40, want 1 to 32"},
		{"dedicated", []string{"-backend", "cloud"}, 2, `-backend is \"cloud\"`},
		{"dedicated", []string{"-ip", "::1"}, 2, "is not an IPv4 address"},
		{"dedicated", []string{"-log-format", "xml"}, 2, "-log-format is \"xml\""},
		{"dedicated", []string{"stray"}, 2, "unexpected arguments"},
		{"bot", []string{"-n", "0"}, 2, "-n is 0, want 1 to 32"},
		{"bot", []string{"-server", "nowhere"}, 2, "is not an IPv4 host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.bin+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, bins[tt.bin], tt.args...).CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.code, code, "exit code; output:\n%s", out)
			assert.Contains(t, string(out), tt.want, "output")
		})
	}
}
