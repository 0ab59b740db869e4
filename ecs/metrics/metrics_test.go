package metrics_test

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/steamgs/steamgs/ecs/metrics"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// stepClock is a clock for Options.Now that moves by step at every read:
// a tick, read twice, lasts one step.
func stepClock(step time.Duration) func() time.Time {
	var n atomic.Int64
	start := ecstest.DefaultStart()
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * step) }
}

// value returns the value of the metric name with the given labels as c
// collects it, and whether it is there.
func value(t *testing.T, c prometheus.Collector, name string, labels ...string) (float64, bool) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if got[labels[i]] != labels[i+1] {
					continue metrics
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue(), true
			case m.Gauge != nil:
				return m.Gauge.GetValue(), true
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func TestRegister(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	reg := prometheus.NewPedanticRegistry()
	c, err := metrics.Register(reg, h.Plugin, metrics.Options{})
	require.NoError(t, err)
	h.Step(1)
	problems, err := testutil.CollectAndLint(c)
	require.NoError(t, err)
	assert.Empty(t, problems, "lint")
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		assert.True(t, strings.HasPrefix(mf.GetName(), "steamgs_"), "only steamgs metrics: %s", mf.GetName())
	}
	_, err = metrics.Register(reg, h.Plugin, metrics.Options{})
	assert.ErrorContains(t, err, "metrics: Register: ", "a second collector with the same metrics")
}

func TestNewRefuses(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	_, err := metrics.New(nil, metrics.Options{})
	assert.ErrorContains(t, err, "the plugin is nil")
	_, err = metrics.New(h.Plugin, metrics.Options{Buckets: []float64{0.1, 0.1}})
	assert.ErrorContains(t, err, "Options.Buckets[1] is 0.1, not above Buckets[0] = 0.1")
	for _, labels := range []prometheus.Labels{{"le": "x"}, {"__reserved": "x"}, {"call": "dup"}} {
		_, err = metrics.New(h.Plugin, metrics.Options{ConstLabels: labels})
		assert.Error(t, err, "const labels %v", labels)
	}
	ticks := h.Plugin.Ticks()
	h.Step(1)
	assert.Equal(t, ticks+1, h.Plugin.Ticks(), "refused collectors are not attached")
}

// TestPlayersAndVerdicts: the players gauge by auth state and the verdict
// counters follow joins, denials, kicks and departures.
func TestPlayersAndVerdicts(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{Latency: time.Second})
	c, err := metrics.New(h.Plugin, metrics.Options{})
	require.NoError(t, err)
	alice, _ := h.Join("alice")
	_, bobID := h.Join("bob")
	h.JoinUser(local.User{Name: "nolicense"}) // owns no app: denied
	h.Step(1)
	pending, _ := value(t, c, "steamgs_players", "auth", "pending")
	assert.Equal(t, 3.0, pending, "pending while Steam answers")
	h.Step(70) // a second and a bit
	require.True(t, h.Player(alice).Active())
	for state, want := range map[string]float64{"pending": 0, "approved": 2, "denied": 0, "kicked": 0} {
		got, ok := value(t, c, "steamgs_players", "auth", state)
		assert.True(t, ok)
		assert.Equal(t, want, got, "players %s", state)
	}
	h.Universe.BanUser(bobID)
	h.Step(70)
	h.Remove(alice)
	h.AddBot("bot")
	h.Step(1)
	for result, want := range map[string]float64{"approved": 3, "denied": 1, "kicked": 1} {
		got, _ := value(t, c, "steamgs_auth_results_total", "result", result)
		assert.Equal(t, want, got, "verdicts %s", result)
	}
	approved, _ := value(t, c, "steamgs_players", "auth", "approved")
	assert.Equal(t, 1.0, approved, "the bot is left")
}

// TestKeptRejected: with KeepRejected the denied and kicked players stay,
// and are counted as such.
func TestKeptRejected(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{Rejected: systems.KeepRejected})
	c, err := metrics.New(h.Plugin, metrics.Options{})
	require.NoError(t, err)
	_, id := h.Join("alice")
	h.JoinUser(local.User{Name: "nolicense"})
	h.Step(2)
	h.Universe.BanUser(id)
	h.Step(2)
	for state, want := range map[string]float64{"approved": 0, "denied": 1, "kicked": 1} {
		got, _ := value(t, c, "steamgs_players", "auth", state)
		assert.Equal(t, want, got, "players %s", state)
	}
}

func TestTickAndConnection(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	// 2^-9 s a tick, so that the sum is exact.
	const step = time.Second / 512
	c, err := metrics.New(h.Plugin, metrics.Options{Now: stepClock(step)})
	require.NoError(t, err)
	connected, _ := value(t, c, "steamgs_steam_connected")
	assert.Equal(t, 1.0, connected, "logged on before any tick")
	h.Step(10)
	n, _ := value(t, c, "steamgs_ticks_total")
	assert.Equal(t, 10.0, n)
	assert.Equal(t, 1, testutil.CollectAndCount(c, "steamgs_tick_duration_seconds"))

	custom, err := metrics.New(h.Plugin, metrics.Options{Now: stepClock(step), Buckets: []float64{.0001, .001, .005},
		ConstLabels: prometheus.Labels{"server": "b"}})
	require.NoError(t, err)
	h.Step(10)
	expected := `
# HELP steamgs_tick_duration_seconds Time one tick of the plugin takes.
# TYPE steamgs_tick_duration_seconds histogram
steamgs_tick_duration_seconds_bucket{server="b",le="0.0001"} 0
steamgs_tick_duration_seconds_bucket{server="b",le="0.001"} 0
steamgs_tick_duration_seconds_bucket{server="b",le="0.005"} 10
steamgs_tick_duration_seconds_bucket{server="b",le="+Inf"} 10
steamgs_tick_duration_seconds_sum{server="b"} 0.01953125
steamgs_tick_duration_seconds_count{server="b"} 10
`
	assert.NoError(t, testutil.CollectAndCompare(custom, strings.NewReader(expected), "steamgs_tick_duration_seconds"))

	h.Universe.DropConnection(time.Minute)
	h.Step(1)
	connected, _ = value(t, c, "steamgs_steam_connected")
	assert.Equal(t, 0.0, connected, "after the connection dropped")
}

func TestFailedCalls(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	c, err := metrics.New(h.Plugin, metrics.Options{})
	require.NoError(t, err)
	assert.Zero(t, testutil.CollectAndCount(c, "steamgs_steam_calls_failed_total"), "before any failure")
	h.Settings().SetServerName(strings.Repeat("x", 1000)) // longer than Steam allows
	h.Step(1)
	require.NotNil(t, h.Status().LastError)
	n, ok := value(t, c, "steamgs_steam_calls_failed_total", "call", "ApplySettings")
	assert.True(t, ok)
	assert.Equal(t, 1.0, n)
}

// TestQueryStats: on the embedded Steam the A2S counters are its
// Responder's; behind a wrapper that hides them they are absent.
func TestQueryStats(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoRecord: true})
	c, err := metrics.New(h.Plugin, metrics.Options{})
	require.NoError(t, err)
	from := netip.MustParseAddrPort("127.0.0.1:50000")
	require.True(t, h.Offer(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), from))
	h.Step(1)
	sent := h.Sent()
	require.Len(t, sent, 1, "the challenge")
	ch, err := query.ParseChallenge(sent[0].Data)
	require.NoError(t, err)
	require.True(t, h.Offer(query.AppendRequest(nil, query.Request{Kind: query.KindInfo, Challenge: ch, HasChallenge: true}), from))
	require.True(t, h.Offer([]byte{0xff, 0xff, 0xff, 0xff, 'Z'}, from)) // no such request
	h.Step(1)
	require.Len(t, h.Sent(), 1, "the info")

	var st query.Stats
	require.NoError(t, h.Server.Raw(func(conn any) error {
		st = conn.(*local.Server).QueryStats()
		return nil
	}))
	for _, tc := range []struct {
		kind, outcome string
		want          uint64
	}{
		{"info", "answered", st.Info}, {"players", "answered", st.Players}, {"rules", "answered", st.Rules},
		{"ping", "answered", st.Pings}, {"any", "challenged", st.Challenges},
		{"any", "rate_limited", st.DroppedRateLimit}, {"any", "dropped", st.DroppedBad + st.DroppedOff + st.DroppedSmall},
	} {
		got, ok := value(t, c, "steamgs_a2s_requests_total", "kind", tc.kind, "outcome", tc.outcome)
		assert.True(t, ok, "%s %s", tc.kind, tc.outcome)
		assert.Equal(t, float64(tc.want), got, "%s %s", tc.kind, tc.outcome)
	}
	assert.Equal(t, uint64(1), st.Info, "answered")
	assert.Equal(t, uint64(1), st.Challenges, "challenged")
	assert.Equal(t, uint64(1), st.DroppedBad, "dropped")
	packets, _ := value(t, c, "steamgs_a2s_sent_packets_total")
	assert.Equal(t, float64(st.Packets), packets)
	assert.Equal(t, 2.0, packets)

	wrapped := ecstest.Start(t, ecstest.Options{}) // its Conn is a recorder's
	cw, err := metrics.New(wrapped.Plugin, metrics.Options{})
	require.NoError(t, err)
	wrapped.Step(1)
	assert.Zero(t, testutil.CollectAndCount(cw, "steamgs_a2s_requests_total"), "without QueryStats")
	assert.Zero(t, testutil.CollectAndCount(cw, "steamgs_callbacks_dropped_total"), "without CallbackDropCounter")
}

// dropBackend opens connections that count dropped callbacks.
type dropBackend struct{ conn *dropConn }

func (b dropBackend) Open(steamgs.Config) (steamgs.Conn, error) { return b.conn, nil }
func (dropBackend) Capabilities() steamgs.Capabilities          { return steamgs.Capabilities{} }

type dropConn struct {
	steamgstest.NopConn
	reads atomic.Uint64
}

func (c *dropConn) DroppedCallbacks() []steamgs.CallbackDrop {
	n := c.reads.Add(1)
	return []steamgs.CallbackDrop{{ID: steamgs.CallbackDropOther, Malformed: 2}, {ID: 1101, Unknown: n}}
}

func TestDroppedCallbacks(t *testing.T) {
	conn := &dropConn{}
	srv := steamgs.NewServer(dropBackend{conn})
	require.NoError(t, srv.Init(steamgs.Config{Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480}))
	defer srv.Shutdown()
	p, err := ecs.Install(donburi.NewWorld(), srv, ecs.Options{})
	require.NoError(t, err)
	c, err := metrics.New(p, metrics.Options{DropsEvery: 5})
	require.NoError(t, err)
	assert.Equal(t, uint64(1), conn.reads.Load(), "read at New")
	for range 10 {
		p.Tick()
	}
	assert.Equal(t, uint64(3), conn.reads.Load(), "read every 5 ticks")
	expected := `
# HELP steamgs_callbacks_dropped_total Callbacks the back end received from Steam but could not deliver.
# TYPE steamgs_callbacks_dropped_total counter
steamgs_callbacks_dropped_total{callback="1101",reason="malformed"} 0
steamgs_callbacks_dropped_total{callback="1101",reason="unknown"} 3
steamgs_callbacks_dropped_total{callback="other",reason="malformed"} 2
steamgs_callbacks_dropped_total{callback="other",reason="unknown"} 0
`
	assert.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(expected), "steamgs_callbacks_dropped_total"))
	assert.Zero(t, testutil.CollectAndCount(c, "steamgs_a2s_requests_total"), "no QueryStats")

	require.NoError(t, srv.Shutdown())
	p.Tick() // the server is down: nothing to read, nothing fails
	assert.Zero(t, testutil.CollectAndCount(c, "steamgs_a2s_requests_total"))
}

// TestCollectWhileTicking: scrapes on other goroutines race with nothing.
func TestCollectWhileTicking(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoRecord: true})
	c, err := metrics.New(h.Plugin, metrics.Options{DropsEvery: 1})
	require.NoError(t, err)
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(c))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := reg.Gather(); err != nil {
					panic(fmt.Sprint("gather: ", err))
				}
			}
		}()
	}
	for i := range 200 {
		if i%20 == 0 {
			h.Join(fmt.Sprintf("p%d", i))
		}
		h.Step(1)
	}
	close(stop)
	wg.Wait()
	n, _ := value(t, c, "steamgs_ticks_total")
	assert.Equal(t, 200.0, n)
	approved, _ := value(t, c, "steamgs_players", "auth", "approved")
	assert.Equal(t, 10.0, approved)
}

// TestQuietTick: the collector's part of a quiet tick allocates nothing.
func TestQuietTick(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{NoRecord: true})
	_, err := metrics.New(h.Plugin, metrics.Options{})
	require.NoError(t, err)
	h.Join("alice")
	h.Step(3)
	bare := ecstest.Start(t, ecstest.Options{NoRecord: true})
	bare.Join("alice")
	bare.Step(3)
	// A quiet tick of the harness without the collector is the baseline.
	base := testing.AllocsPerRun(120, func() { bare.Step(1) })
	got := testing.AllocsPerRun(120, func() { h.Step(1) })
	assert.Equal(t, base, got, "allocations per tick with the collector, over %v without", base)
}
