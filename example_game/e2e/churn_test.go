package e2e_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envCount is the count in the environment variable name, or def (short
// under -short).
func envCount(t *testing.T, name string, def, short int) int {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, name)
		require.Positive(t, n, name)
		return n
	}
	if testing.Short() {
		return short
	}
	return def
}

// joinTimes are the durations of joins: from the first Hello to the
// Welcome, which the server sends once Steam approved the ticket, and to
// the first snapshot that shows the player.
type joinTimes struct {
	mu       sync.Mutex
	welcome  []time.Duration
	snapshot []time.Duration
	failed   atomic.Int64
	firstErr atomic.Value
}

// join joins the server at addr once as a new account of u, waits for the
// first snapshot that shows it, leaves, and records the times.
func (j *joinTimes) join(ctx context.Context, u *local.Universe, addr netip.AddrPort, name string) {
	id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
	start := time.Now()
	c, err := client.Dial(ctx, client.Config{Server: addr, Name: name, SteamID: id, AppID: server.DefaultAppID, Tickets: u})
	if err != nil {
		j.failed.Add(1)
		j.firstErr.CompareAndSwap(nil, err)
		return
	}
	welcome := time.Since(start)
	var snap proto.Snapshot
	deadline := start.Add(client.DefaultTimeout)
	for c.Snapshot(&snap) == 0 || snap.Find(c.Welcome().PlayerID) == nil {
		if time.Now().After(deadline) {
			j.failed.Add(1)
			j.firstErr.CompareAndSwap(nil, fmt.Errorf("%s: no snapshot showing it within %v", name, client.DefaultTimeout))
			_ = c.Close()
			return
		}
		time.Sleep(200 * time.Microsecond)
	}
	shown := time.Since(start)
	_ = c.Close()
	j.mu.Lock()
	j.welcome = append(j.welcome, welcome)
	j.snapshot = append(j.snapshot, shown)
	j.mu.Unlock()
}

// quantiles describes the 50th and 99th percentiles and the maximum of d.
func quantiles(d []time.Duration) string {
	if len(d) == 0 {
		return "none"
	}
	s := slices.Clone(d)
	slices.Sort(s)
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	ms := func(v time.Duration) string { return fmt.Sprintf("%.1f ms", float64(v)/float64(time.Millisecond)) }
	return fmt.Sprintf("p50 %s  p99 %s  max %s", ms(q(0.50)), ms(q(0.99)), ms(s[len(s)-1]))
}

// TestJoinChurn measures joins to the dedicated server with and without
// hibernation, on loopback: a churn of joins and leaves by 8 clients at
// once (STEAMGS_CHURN_JOINS in all, 400 by default), then first players:
// joins one at a time, each after the server emptied and went back to
// sleep (STEAMGS_CHURN_FIRSTS, 40). Every join must succeed; the times are
// reported (they depend on the machine). The servers count each address
// and port as a source (-connect-by-port), since every client here shares
// 127.0.0.1.
func TestJoinChurn(t *testing.T) {
	joins := envCount(t, "STEAMGS_CHURN_JOINS", 400, 80)
	firsts := envCount(t, "STEAMGS_CHURN_FIRSTS", 40, 10)
	const workers = 8
	const universe = "churn universe"
	bins := build(t, "dedicated")
	type run struct {
		hibernate    string
		p            *proc
		addr         netip.AddrPort
		churn, first joinTimes
	}
	runs := []*run{{hibernate: "0"}, {hibernate: "1s"}}
	for _, r := range runs {
		r.p = start(t, "dedicated-hibernate-"+r.hibernate, bins["dedicated"], "-ip", "127.0.0.1", "-port", "0",
			"-max-players", "32", "-universe", universe, "-connect-by-port", "-hibernate", r.hibernate,
			"-log-format", "json", "-status-interval", "0")
	}
	for _, r := range runs {
		loggedOn(t, r.p)
		for _, rec := range r.p.records() {
			if rec["msg"] == "server started" {
				s, _ := rec["addr"].(string)
				r.addr = netip.MustParseAddrPort(s)
			}
		}
		require.True(t, r.addr.IsValid(), "%s logged no address", r.p.name)
	}
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(universe)})
	require.NoError(t, err)
	ctx := context.Background()

	var wg sync.WaitGroup
	began := time.Now()
	for _, r := range runs {
		var next atomic.Int64
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := next.Add(1); n <= int64(joins); n = next.Add(1) {
					r.churn.join(ctx, u, r.addr, fmt.Sprintf("churn-%s-%d-%d", r.hibernate, w, n))
				}
			}()
		}
	}
	wg.Wait()
	churnTime := time.Since(began)
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range firsts {
				time.Sleep(150 * time.Millisecond) // the leave reaches a tick, and the server sleeps again
				r.first.join(ctx, u, r.addr, fmt.Sprintf("first-%s-%d", r.hibernate, n))
			}
		}()
	}
	wg.Wait()

	var report []string
	for _, r := range runs {
		report = append(report,
			fmt.Sprintf("hibernate %-3s churn (%d joins, %d at once): welcome %s; first snapshot %s", r.hibernate, joins, workers,
				quantiles(r.churn.welcome), quantiles(r.churn.snapshot)),
			fmt.Sprintf("hibernate %-3s first players (%d): welcome %s; first snapshot %s", r.hibernate, firsts,
				quantiles(r.first.welcome), quantiles(r.first.snapshot)))
	}
	t.Logf("joins on loopback (churn of both servers at once took %v):\n%s", churnTime.Round(time.Millisecond), strings.Join(report, "\n"))
	for _, r := range runs {
		for _, j := range []*joinTimes{&r.churn, &r.first} {
			assert.Zero(t, j.failed.Load(), "%s: failed joins (first error: %v)", r.p.name, j.firstErr.Load())
		}
		assert.Len(t, r.churn.welcome, joins, "%s: churn joins", r.p.name)
		assert.Len(t, r.first.welcome, firsts, "%s: first players", r.p.name)
		require.NoError(t, r.p.cmd.Process.Signal(syscall.SIGTERM))
		assert.Equal(t, 0, r.p.wait(t, 30*time.Second), "%s's exit code", r.p.name)
	}
}
