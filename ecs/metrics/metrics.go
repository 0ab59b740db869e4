// Package metrics exposes the state of an ecs.Plugin as Prometheus metrics:
// a prometheus.Collector that holds only steamgs metrics, attached to the
// plugin's tick and registered in one call:
//
//	c, err := metrics.Register(prometheus.DefaultRegisterer, p, metrics.Options{})
//	http.Handle("/metrics", promhttp.Handler())
//
// The tick copies what it knows into atomics (a quiet tick takes no lock and
// allocates nothing); Collect, on the scraper's goroutine, reads them, so
// collecting is safe while the tick runs. The metrics:
//
//	steamgs_players{auth}                      gauge: players by auth state (pending, approved, denied, kicked)
//	steamgs_auth_results_total{result}         counter: Steam's verdicts (approved, denied, kicked)
//	steamgs_steam_connected                    gauge: 1 while the server is logged on to Steam
//	steamgs_tick_duration_seconds              histogram: the time one tick takes
//	steamgs_ticks_total                        counter: ticks run
//	steamgs_steam_calls_failed_total{call}     counter: Steam calls of the systems that failed
//	steamgs_a2s_requests_total{kind,outcome}   counter: A2S queries answered (kind info, players,
//	                                           rules, ping), challenged, rate limited, dropped (kind any)
//	steamgs_a2s_sent_packets_total             counter: A2S datagrams sent
//	steamgs_a2s_sent_bytes_total               counter: their bytes
//	steamgs_callbacks_dropped_total{callback,reason}
//	                                           counter: callbacks the back end received but could not
//	                                           deliver (reason unknown or malformed; callback "other"
//	                                           for the back end's shared bucket)
//
// The A2S metrics exist on back ends whose connection counts queries
// (QueryStatsConn: the embedded Steam's *local.Server), the dropped
// callbacks on those that count them (steamgs.CallbackDropCounter: the real
// Steam's); both are absent otherwise. The package imports ecs, never the
// other way round, and builds with CGO_ENABLED=0.
package metrics

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/ecs"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
)

// QueryStatsConn is an optional interface of a back end's connection (found
// through steamgs.Server.Raw) that counts the A2S queries it answers; the
// embedded Steam's *local.Server implements it.
type QueryStatsConn interface {
	QueryStats() query.Stats
}

// DefaultBuckets are the tick duration histogram's buckets when
// Options.Buckets is nil: 100 µs to 250 ms, around a 60 Hz tick's 16.7 ms.
var DefaultBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .0167, .025, .05, .1, .25}

// DefaultDropsEvery is how many ticks apart the dropped callbacks are read
// when Options.DropsEvery is zero (reading them allocates).
const DefaultDropsEvery = 60

// recountEvery bounds how long a player whose auth state changed without an
// event (one taken on with Plugin.Track) goes uncounted.
const recountEvery = 60

// Options configure New. The zero value times ticks with the system clock
// into DefaultBuckets and reads dropped callbacks every DefaultDropsEvery
// ticks.
type Options struct {
	// Now is the clock ticks are timed by; nil means time.Now.
	Now func() time.Time
	// Buckets are the tick duration histogram's upper bounds, in seconds,
	// increasing; nil means DefaultBuckets.
	Buckets []float64
	// ConstLabels are added to every metric, such as {"server": "eu-1"} for
	// a process that runs several servers.
	ConstLabels prometheus.Labels
	// DropsEvery is how many ticks apart the dropped callbacks are read;
	// 0 means DefaultDropsEvery.
	DropsEvery int
}

// authNames are the auth label values, indexed by components.AuthState.
var authNames = [...]string{
	components.AuthPending:  "pending",
	components.AuthApproved: "approved",
	components.AuthDenied:   "denied",
	components.AuthKicked:   "kicked",
}

// a2sSeries are the labels of the A2S counters, in the order of a2sValues.
var a2sSeries = [...]struct{ kind, outcome string }{
	{"info", "answered"}, {"players", "answered"}, {"rules", "answered"}, {"ping", "answered"},
	{"any", "challenged"}, {"any", "rate_limited"}, {"any", "dropped"},
}

// a2sValues returns the values of the A2S counters, in the order of
// a2sSeries.
func a2sValues(s query.Stats) [len(a2sSeries)]uint64 {
	return [...]uint64{s.Info, s.Players, s.Rules, s.Pings, s.Challenges, s.DroppedRateLimit,
		s.DroppedBad + s.DroppedOff + s.DroppedSmall}
}

// Collector is the Prometheus collector of one plugin's metrics. Make it
// with New or Register. Describe and Collect are safe for concurrent use,
// also while the plugin ticks.
type Collector struct {
	p          *ecs.Plugin
	now        func() time.Time
	dropsEvery int

	// The tick's own state.
	start     time.Time
	dirty     bool
	sinceDrop int
	counts    [len(authNames)]int64
	countFn   func(*donburi.Entry)
	queryFn   func(any) error
	dropsFn   func(any) error

	// Written by the tick, read by Collect.
	players   [len(authNames)]atomic.Int64
	results   [len(authNames)]atomic.Uint64 // approved, denied, kicked (pending unused)
	connected atomic.Bool
	ticks     atomic.Uint64
	hasQuery  atomic.Bool
	a2s       [len(a2sSeries)]atomic.Uint64
	packets   atomic.Uint64
	bytes     atomic.Uint64
	dropsMu   sync.Mutex
	drops     []steamgs.CallbackDrop
	hasDrops  bool

	tick   prometheus.Histogram
	failed *prometheus.CounterVec

	playersDesc, resultsDesc, connectedDesc, ticksDesc *prometheus.Desc
	a2sDesc, packetsDesc, bytesDesc, dropsDesc         *prometheus.Desc
}

// New makes the collector of p's metrics and attaches it to p's tick
// (ecs.Plugin.AddHooks), on the tick's goroutine. Buckets that do not
// increase and constant labels Prometheus refuses are an error.
func New(p *ecs.Plugin, opts Options) (*Collector, error) {
	if p == nil {
		return nil, errors.New("metrics: New: the plugin is nil")
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = DefaultBuckets
	}
	for i := 1; i < len(buckets); i++ {
		if !(buckets[i] > buckets[i-1]) {
			return nil, fmt.Errorf("metrics: New: Options.Buckets[%d] is %v, not above Buckets[%d] = %v", i, buckets[i], i-1, buckets[i-1])
		}
	}
	if _, ok := opts.ConstLabels["le"]; ok {
		return nil, errors.New(`metrics: New: Options.ConstLabels has "le", which a histogram does not allow`)
	}
	c := &Collector{p: p, now: opts.Now, dropsEvery: opts.DropsEvery}
	if c.now == nil {
		c.now = time.Now
	}
	if c.dropsEvery <= 0 {
		c.dropsEvery = DefaultDropsEvery
	}
	cl := opts.ConstLabels
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, cl)
	}
	c.playersDesc = desc("steamgs_players", "Players of the server by auth state.", "auth")
	c.resultsDesc = desc("steamgs_auth_results_total", "Steam's auth verdicts on players (bots count as approved).", "result")
	c.connectedDesc = desc("steamgs_steam_connected", "1 while the server is logged on to Steam, else 0.")
	c.ticksDesc = desc("steamgs_ticks_total", "Ticks the plugin ran.")
	c.a2sDesc = desc("steamgs_a2s_requests_total", "A2S server queries by kind and outcome.", "kind", "outcome")
	c.packetsDesc = desc("steamgs_a2s_sent_packets_total", "A2S datagrams sent (each fragment of a split reply).")
	c.bytesDesc = desc("steamgs_a2s_sent_bytes_total", "Bytes of the A2S datagrams sent.")
	c.dropsDesc = desc("steamgs_callbacks_dropped_total", "Callbacks the back end received from Steam but could not deliver.", "callback", "reason")
	c.tick = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "steamgs_tick_duration_seconds", Help: "Time one tick of the plugin takes.",
		Buckets: slices.Clone(buckets), ConstLabels: cl,
	})
	c.failed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "steamgs_steam_calls_failed_total", Help: "Steam calls of the systems that returned an error, by call.",
		ConstLabels: cl,
	}, []string{"call"})

	// Registering with a registry of its own checks the names and labels
	// before the collector is attached to anything.
	if err := prometheus.NewRegistry().Register(c); err != nil {
		return nil, fmt.Errorf("metrics: New: %w", err)
	}

	c.countFn = c.count
	c.queryFn = c.readQuery
	c.dropsFn = c.readDrops
	w := p.World()
	p.Events().PlayerAuth.Subscribe(w, c.onAuth)
	p.Events().Failed.Subscribe(w, c.onFailed)
	w.OnCreate(c.onChange)
	w.OnRemove(c.onChange)
	p.AddHooks(c.before, c.after)
	c.dirty = true
	c.snapshot()
	return c, nil
}

// Register makes the collector of p's metrics (New) and registers it with
// reg.
func Register(reg prometheus.Registerer, p *ecs.Plugin, opts Options) (*Collector, error) {
	c, err := New(p, opts)
	if err != nil {
		return nil, err
	}
	if err := reg.Register(c); err != nil {
		return nil, fmt.Errorf("metrics: Register: %w", err)
	}
	return c, nil
}

func (c *Collector) onAuth(_ donburi.World, ev systems.PlayerAuthChanged) {
	if int(ev.State) < len(c.results) && ev.State != components.AuthPending {
		c.results[ev.State].Add(1)
	}
	c.dirty = true
}

func (c *Collector) onFailed(_ donburi.World, ev systems.CallFailed) {
	c.failed.WithLabelValues(ev.Call).Inc()
}

func (c *Collector) onChange(w donburi.World, e donburi.Entity) {
	if w.Entry(e).HasComponent(components.Player) {
		c.dirty = true
	}
}

// before starts timing the tick.
func (c *Collector) before() { c.start = c.now() }

// after ends timing the tick and copies its state for Collect.
func (c *Collector) after() {
	c.tick.Observe(c.now().Sub(c.start).Seconds())
	c.ticks.Add(1)
	c.snapshot()
}

// snapshot copies the plugin's state into the collector's atomics.
func (c *Collector) snapshot() {
	c.connected.Store(c.p.Status().LoggedOn)
	if c.dirty || c.ticks.Load()%recountEvery == 0 {
		c.dirty = false
		c.counts = [len(authNames)]int64{}
		c.p.Players().Each(c.p.World(), c.countFn)
		for i := range c.counts {
			c.players[i].Store(c.counts[i])
		}
	}
	srv := c.p.Server()
	if err := srv.Raw(c.queryFn); err != nil {
		c.hasQuery.Store(false)
	}
	if c.sinceDrop--; c.sinceDrop <= 0 {
		c.sinceDrop = c.dropsEvery
		_ = srv.Raw(c.dropsFn)
	}
}

func (c *Collector) count(e *donburi.Entry) {
	if a := components.Player.Get(e).Auth(); int(a) < len(c.counts) {
		c.counts[a]++
	}
}

// readQuery copies the A2S counters of a back end that has them.
func (c *Collector) readQuery(conn any) error {
	q, ok := conn.(QueryStatsConn)
	if !ok {
		c.hasQuery.Store(false)
		return nil
	}
	st := q.QueryStats()
	for i, v := range a2sValues(st) {
		c.a2s[i].Store(v)
	}
	c.packets.Store(st.Packets)
	c.bytes.Store(st.Bytes)
	c.hasQuery.Store(true)
	return nil
}

// readDrops copies the dropped callbacks of a back end that counts them.
func (c *Collector) readDrops(conn any) error {
	d, ok := conn.(steamgs.CallbackDropCounter)
	if !ok {
		return nil
	}
	drops := d.DroppedCallbacks()
	c.dropsMu.Lock()
	c.drops, c.hasDrops = drops, true
	c.dropsMu.Unlock()
	return nil
}

// Describe sends the descriptions of every metric the collector may
// collect.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.playersDesc, c.resultsDesc, c.connectedDesc, c.ticksDesc,
		c.a2sDesc, c.packetsDesc, c.bytesDesc, c.dropsDesc} {
		ch <- d
	}
	c.tick.Describe(ch)
	c.failed.Describe(ch)
}

// Collect sends the metrics as the last tick left them.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for i, name := range authNames {
		ch <- prometheus.MustNewConstMetric(c.playersDesc, prometheus.GaugeValue, float64(c.players[i].Load()), name)
	}
	for _, s := range [...]components.AuthState{components.AuthApproved, components.AuthDenied, components.AuthKicked} {
		ch <- prometheus.MustNewConstMetric(c.resultsDesc, prometheus.CounterValue, float64(c.results[s].Load()), authNames[s])
	}
	connected := 0.0
	if c.connected.Load() {
		connected = 1
	}
	ch <- prometheus.MustNewConstMetric(c.connectedDesc, prometheus.GaugeValue, connected)
	ch <- prometheus.MustNewConstMetric(c.ticksDesc, prometheus.CounterValue, float64(c.ticks.Load()))
	if c.hasQuery.Load() {
		for i, s := range a2sSeries {
			ch <- prometheus.MustNewConstMetric(c.a2sDesc, prometheus.CounterValue, float64(c.a2s[i].Load()), s.kind, s.outcome)
		}
		ch <- prometheus.MustNewConstMetric(c.packetsDesc, prometheus.CounterValue, float64(c.packets.Load()))
		ch <- prometheus.MustNewConstMetric(c.bytesDesc, prometheus.CounterValue, float64(c.bytes.Load()))
	}
	c.dropsMu.Lock()
	drops, has := c.drops, c.hasDrops
	c.dropsMu.Unlock()
	if has {
		for _, d := range drops {
			id := strconv.Itoa(d.ID)
			if d.ID == steamgs.CallbackDropOther {
				id = "other"
			}
			ch <- prometheus.MustNewConstMetric(c.dropsDesc, prometheus.CounterValue, float64(d.Unknown), id, "unknown")
			ch <- prometheus.MustNewConstMetric(c.dropsDesc, prometheus.CounterValue, float64(d.Malformed), id, "malformed")
		}
	}
	c.tick.Collect(ch)
	c.failed.Collect(ch)
}
