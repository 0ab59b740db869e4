package agones_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/agones"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newClient returns a client of s that the test closes.
func newClient(t *testing.T, s *agonestest.Sidecar, opts agones.ClientOptions) *agones.Client {
	t.Helper()
	c, err := agones.NewClient(s.Addr(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func start() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

func TestClientLifecycle(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	c := newClient(t, s, agones.ClientOptions{})
	ctx := context.Background()

	require.NoError(t, c.Ready(ctx))
	assert.Equal(t, "Ready", s.State())
	require.NoError(t, c.Health(ctx))
	require.NoError(t, c.Reserve(ctx, 0))
	assert.Equal(t, "Reserved", s.State())
	require.NoError(t, c.Reserve(ctx, 90*time.Second+time.Millisecond))
	require.NoError(t, c.Allocate(ctx))
	assert.Equal(t, "Allocated", s.State())
	require.NoError(t, c.Shutdown(ctx))
	assert.Equal(t, "Shutdown", s.State())

	assert.Equal(t, []string{"{}"}, s.Bodies("POST /health"), "health body")
	assert.Equal(t, []string{"{}"}, s.Bodies("POST /ready"), "ready body")
	assert.Equal(t, []string{`{"seconds":"0"}`, `{"seconds":"90"}`}, s.Bodies("POST /reserve"), "reserve bodies: int64 as strings, whole seconds")

	err := c.Reserve(ctx, -time.Second)
	require.Error(t, err, "a negative reservation")
	assert.Contains(t, err.Error(), "agones: Reserve (POST /reserve)")
	assert.Len(t, s.Bodies("POST /reserve"), 2, "a negative reservation is not sent")
}

func TestClientGameServer(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{
		Name: "gs-1", Address: "203.0.113.7", State: "Ready",
		Ports:          []agonestest.Port{{Name: "game", Port: 7001}, {Name: "query", Port: 7002}},
		Health:         agonestest.Health{PeriodSeconds: 2, FailureThreshold: 4, InitialDelaySeconds: 1},
		Counters:       map[string]agonestest.Counter{"rooms": {Count: 1, Capacity: 9}},
		Labels:         map[string]string{"app": "steamgs"},
		PlayerTracking: true,
	})
	c := newClient(t, s, agones.ClientOptions{})
	gs, err := c.GameServer(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "gs-1", gs.ObjectMeta.Name)
	assert.Equal(t, agones.Int64(1), gs.ObjectMeta.Generation, "an int64 read from a string")
	assert.Equal(t, map[string]string{"app": "steamgs"}, gs.ObjectMeta.Labels)
	assert.Equal(t, agones.HealthSpec{PeriodSeconds: 2, FailureThreshold: 4, InitialDelaySeconds: 1}, gs.Spec.Health)
	assert.Equal(t, 2*time.Second, gs.Spec.Health.Period())
	assert.Equal(t, agones.StateReady, gs.Status.State)
	assert.Equal(t, "203.0.113.7", gs.Status.Address)
	p, ok := gs.Port("query")
	assert.True(t, ok)
	assert.Equal(t, uint16(7002), p)
	_, ok = gs.Port("nope")
	assert.False(t, ok)
	assert.Equal(t, agones.CounterStatus{Count: 1, Capacity: 9}, gs.Status.Counters["rooms"])
	assert.Equal(t, agones.ListStatus{Capacity: 1000, Values: []string{}}, gs.Status.Lists["players"])
	require.NotNil(t, gs.Status.Players)
	assert.Equal(t, agones.Int64(0), gs.Status.Players.Capacity)
}

func TestClientMetadata(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	c := newClient(t, s, agones.ClientOptions{})
	ctx := context.Background()
	require.NoError(t, c.SetLabel(ctx, "map", "arena"))
	require.NoError(t, c.SetAnnotation(ctx, "motd", "hello, world"))
	assert.Equal(t, map[string]string{"agones.dev/sdk-map": "arena"}, s.Labels())
	assert.Equal(t, map[string]string{"agones.dev/sdk-motd": "hello, world"}, s.Annotations())
	assert.Equal(t, []string{`{"key":"map","value":"arena"}`}, s.Bodies("PUT /metadata/label"))
}

func TestClientLists(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	c := newClient(t, s, agones.ClientOptions{})
	ctx := context.Background()
	require.NoError(t, c.SetListCapacity(ctx, "players", 8))
	require.NoError(t, c.AddListValue(ctx, "players", "76561197960265729"))
	require.NoError(t, c.AddListValue(ctx, "players", "76561197960265730"))
	require.NoError(t, c.RemoveListValue(ctx, "players", "76561197960265729"))
	l, err := c.GetList(ctx, "players")
	require.NoError(t, err)
	assert.Equal(t, &agones.List{Name: "players", Capacity: 8, Values: []string{"76561197960265730"}}, l)
	assert.Equal(t, []string{`{"capacity":"8"}`}, s.Bodies("PATCH /v1beta1/lists/players"))
	assert.Equal(t, `{"value":"76561197960265729"}`, s.Bodies("POST /v1beta1/lists/players:addValue")[0])

	err = c.AddListValue(ctx, "players", "76561197960265730")
	assert.True(t, agones.IsAlreadyExists(err), "adding a value twice: %v", err)
	assert.False(t, agones.IsNotFound(err))
	assert.EqualError(t, err, "agones: AddListValue (POST /v1beta1/lists/players:addValue): sidecar answered 500, code 2: "+
		"already exists. Value: 76561197960265730 already in List: players")
	var e *agones.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, agones.Error{Call: "AddListValue", Method: "POST", Path: "/v1beta1/lists/players:addValue", Status: 500, Code: 2,
		Message: "already exists. Value: 76561197960265730 already in List: players"}, *e)
	assert.False(t, e.Unreachable())

	err = c.RemoveListValue(ctx, "players", "1")
	assert.True(t, agones.IsNotFound(err), "removing an absent value: %v", err)
	_, err = c.GetList(ctx, "spectators")
	assert.True(t, agones.IsNotFound(err), "a list the spec lacks: %v", err)
	assert.Contains(t, err.Error(), "GetList (GET /v1beta1/lists/spectators)")
}

func TestClientCounters(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Counters: map[string]agonestest.Counter{"rooms": {Count: 1, Capacity: 10}}})
	c := newClient(t, s, agones.ClientOptions{})
	ctx := context.Background()
	k, err := c.UpdateCounter(ctx, "rooms", agones.CounterUpdate{CountDiff: 2})
	require.NoError(t, err)
	assert.Equal(t, &agones.Counter{Name: "rooms", Count: 3, Capacity: 10}, k)
	seven, twenty := int64(7), int64(20)
	_, err = c.UpdateCounter(ctx, "rooms", agones.CounterUpdate{Count: &seven, Capacity: &twenty})
	require.NoError(t, err)
	k, err = c.GetCounter(ctx, "rooms")
	require.NoError(t, err)
	assert.Equal(t, &agones.Counter{Name: "rooms", Count: 7, Capacity: 20}, k)
	assert.Equal(t, []string{`{"countDiff":"2"}`, `{"count":"7","capacity":"20"}`}, s.Bodies("PATCH /v1beta1/counters/rooms"))
	_, err = c.UpdateCounter(ctx, "rooms", agones.CounterUpdate{CountDiff: 100})
	assert.ErrorContains(t, err, "out of range")
}

func TestClientPlayerTracking(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{PlayerTracking: true})
	c := newClient(t, s, agones.ClientOptions{})
	ctx := context.Background()
	require.NoError(t, c.SetPlayerCapacity(ctx, 4))
	n, err := c.PlayerCapacity(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	added, err := c.PlayerConnect(ctx, "1")
	require.NoError(t, err)
	assert.True(t, added)
	added, err = c.PlayerConnect(ctx, "1")
	require.NoError(t, err)
	assert.False(t, added, "connected twice")
	_, _ = c.PlayerConnect(ctx, "2")
	n, err = c.PlayerCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	ids, err := c.ConnectedPlayers(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, ids)
	on, err := c.IsPlayerConnected(ctx, "2")
	require.NoError(t, err)
	assert.True(t, on)
	gone, err := c.PlayerDisconnect(ctx, "2")
	require.NoError(t, err)
	assert.True(t, gone)
	gone, err = c.PlayerDisconnect(ctx, "2")
	require.NoError(t, err)
	assert.False(t, gone, "disconnected twice")
	assert.Equal(t, []string{`{"count":"4"}`}, s.Bodies("PUT /alpha/player/capacity"))
	assert.Equal(t, `{"playerID":"1"}`, s.Bodies("POST /alpha/player/connect")[0])

	off := agonestest.Start(t, agonestest.Options{})
	_, err = newClient(t, off, agones.ClientOptions{}).PlayerConnect(ctx, "1")
	assert.ErrorContains(t, err, "agones: PlayerConnect (POST /alpha/player/connect): sidecar answered 500, code 2: PlayerTracking not enabled")
}

// TestClientRetriesUntilTheSidecarIsUp: a sidecar that starts after the
// game is waited for with back-off; answers are never retried.
func TestClientRetriesUntilTheSidecarIsUp(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Down: true})
	clock := agonestest.NewClock(start())
	c := newClient(t, s, agones.ClientOptions{Clock: clock, Backoff: agones.Backoff{Initial: time.Second, Max: 4 * time.Second}})
	done := make(chan error, 1)
	go func() { done <- c.Ready(context.Background()) }()
	ctx := context.Background()
	require.NoError(t, clock.BlockUntil(ctx, 1), "waiting after the first attempt")
	clock.Advance(time.Second)
	require.NoError(t, clock.BlockUntil(ctx, 1), "waiting after the second attempt")
	require.NoError(t, s.SetDown(false))
	clock.Advance(2 * time.Second)
	require.NoError(t, <-done, "Ready once the sidecar is up")
	assert.Equal(t, "Ready", s.State())
	assert.Equal(t, 1, s.Count("POST /ready"), "requests that reached the sidecar")

	s.FailNext("POST /ready", 1)
	err := c.Ready(ctx)
	assert.ErrorContains(t, err, "injected failure", "a business error")
	assert.Equal(t, 2, s.Count("POST /ready"), "a business error is not retried")
}

func TestClientGivesUp(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Down: true})
	clock := agonestest.NewClock(start())
	c := newClient(t, s, agones.ClientOptions{Clock: clock, Backoff: agones.Backoff{Attempts: 2}})
	done := make(chan error, 1)
	go func() { done <- c.Allocate(context.Background()) }()
	require.NoError(t, clock.BlockUntil(context.Background(), 1))
	clock.Advance(time.Hour)
	err := <-done
	require.Error(t, err)
	assert.True(t, agones.IsUnreachable(err), "unreachable: %v", err)
	assert.Contains(t, err.Error(), "agones: Allocate (POST /allocate): no answer from the sidecar: ")

	c1 := newClient(t, s, agones.ClientOptions{Backoff: agones.Backoff{Attempts: 1}})
	assert.True(t, agones.IsUnreachable(c1.Health(context.Background())), "one attempt, no wait")

	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- c.Shutdown(ctx) }()
	require.NoError(t, clock.BlockUntil(context.Background(), 1))
	cancel()
	assert.True(t, agones.IsUnreachable(<-done), "a cancelled wait returns the last error")
}

func TestClientOddAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ready":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>bad gateway</html>")
		case "/gameserver":
			fmt.Fprint(w, `{"status":{"ports":[{"name":"game","port":"x"}]}}`)
		case "/v1beta1/lists/players":
			fmt.Fprint(w, `{"name":"players","capacity":"many"}`)
		default:
			fmt.Fprint(w, `{"extra":1,"object_meta":{"generation":3},"status":{"state":"Ready","ports":[{"name":"game","port":"7001"}]}}`)
		}
	}))
	defer srv.Close()
	c, err := agones.NewClient(srv.URL, agones.ClientOptions{})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	err = c.Ready(ctx)
	assert.EqualError(t, err, "agones: Ready (POST /ready): sidecar answered 502, code 0: <html>bad gateway</html>", "an answer that is not the error shape")
	_, err = c.GameServer(ctx)
	assert.ErrorContains(t, err, "agones: GameServer (GET /gameserver): sidecar answered 200 with a body that does not decode", "a port out of range")
	_, err = c.GetList(ctx, "players")
	assert.ErrorContains(t, err, `"many" is not an integer`)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"unknown":true,"object_meta":{"generation":3},"status":{"state":"Ready","ports":[{"name":"game","port":"7001"},{"name":"big","port":70000}]}}`)
	})
	gs, err := c.GameServer(ctx)
	require.NoError(t, err, "unknown fields are ignored; int64 and int32 as numbers or strings")
	assert.Equal(t, agones.Int64(3), gs.ObjectMeta.Generation)
	p, _ := gs.Port("game")
	assert.Equal(t, uint16(7001), p)
	_, ok := gs.Port("big")
	assert.False(t, ok, "a port number over 65535")
}

func TestNewClient(t *testing.T) {
	for _, addr := range []string{"", "ftp://x", "http://", "::"} {
		_, err := agones.NewClient(addr, agones.ClientOptions{})
		assert.Error(t, err, "address %q", addr)
	}
	c, err := agones.NewClient("http://127.0.0.1:9358/", agones.ClientOptions{})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9358", c.URL())
	_ = c.Close()

	env := func(v string, set bool) agones.LookupEnv {
		return func(k string) (string, bool) {
			if k == agones.EnvHTTPPort {
				return v, set
			}
			return "", false
		}
	}
	c, ok, err := agones.ClientFromEnv(env("", false), agones.ClientOptions{})
	assert.NoError(t, err, "unset: not under Agones")
	assert.False(t, ok)
	assert.Nil(t, c)
	for _, v := range []string{"", "abc", "0", "65536", "-1"} {
		_, ok, err = agones.ClientFromEnv(env(v, true), agones.ClientOptions{})
		assert.False(t, ok)
		assert.ErrorContains(t, err, fmt.Sprintf("AGONES_SDK_HTTP_PORT is %q, want a port number", v))
	}
	c, ok, err = agones.ClientFromEnv(env(" 9358 ", true), agones.ClientOptions{})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "http://127.0.0.1:9358", c.URL())
	_ = c.Close()
}

func TestWatch(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	c := newClient(t, s, agones.ClientOptions{})
	var states []agones.State
	stop := errors.New("stop")
	err := c.Watch(context.Background(), func(gs *agones.GameServer) error {
		states = append(states, gs.Status.State)
		if gs.Status.State == agones.StateScheduled {
			s.Allocate() // the cluster allocates the server
			return nil
		}
		return stop
	})
	assert.ErrorIs(t, err, stop, "fn's error")
	assert.Equal(t, []agones.State{agones.StateScheduled, agones.StateAllocated}, states, "the current state, then the allocation")

	err = c.Watch(context.Background(), func(gs *agones.GameServer) error {
		go func() { _ = s.Restart() }()
		return nil
	})
	assert.ErrorIs(t, err, agones.ErrStreamEnded, "a sidecar that restarts ends the stream: %v", err)
	assert.ErrorContains(t, err, "agones: WatchGameServer (GET /watch/gameserver)")

	ctx, cancel := context.WithCancel(context.Background())
	err = c.Watch(ctx, func(*agones.GameServer) error {
		cancel()
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestWatchOddStreams(t *testing.T) {
	for _, tc := range []struct{ name, stream, want string }{
		{"not JSON", "{\"result\":{}}\nnot json\n", "watch line does not decode"},
		{"neither result nor error", "{}\n", `neither "result" nor "error"`},
		{"an error line", `{"error":{"code":13,"message":"boom","details":[]}}` + "\n", "sidecar answered 200, code 13: boom"},
		{"a line too long", "{\"result\":{\"status\":{\"address\":\"" + string(make([]byte, 5<<20)) + "\"}}}\n", "token too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tc.stream) }))
			defer srv.Close()
			c, err := agones.NewClient(srv.URL, agones.ClientOptions{})
			require.NoError(t, err)
			defer c.Close()
			err = c.Watch(context.Background(), func(*agones.GameServer) error { return nil })
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestEndpoint(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Address: "203.0.113.7", Ports: []agonestest.Port{{Name: "game", Port: 7001}}})
	c := newClient(t, s, agones.ClientOptions{})
	ep, err := c.Endpoint(context.Background(), "game")
	require.NoError(t, err)
	assert.Equal(t, "203.0.113.7", ep.Address)
	assert.Equal(t, netip.MustParseAddr("203.0.113.7"), ep.IP)
	assert.Equal(t, uint16(7001), ep.Port)
	require.NotNil(t, ep.GameServer)

	named := agonestest.Start(t, agonestest.Options{Address: "gs.example.net"})
	ep, err = newClient(t, named, agones.ClientOptions{}).Endpoint(context.Background(), "default")
	require.NoError(t, err)
	assert.False(t, ep.IP.IsValid(), "a host name has no IP")
	assert.Equal(t, uint16(7777), ep.Port)

	ep, ok, err := agones.LookupEndpoint(context.Background(), s.LookupEnv, agones.ClientOptions{}, "game")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, uint16(7001), ep.Port)
	_, ok, err = agones.LookupEndpoint(context.Background(), func(string) (string, bool) { return "", false }, agones.ClientOptions{}, "game")
	assert.NoError(t, err)
	assert.False(t, ok, "not under Agones")
}

// TestEndpointWaits: the GameServer is fetched again, with back-off, until
// it has the port; a port that never comes is reported when the wait ends.
func TestEndpointWaits(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Down: true, Ports: []agonestest.Port{{Name: "game", Port: 7001}}})
	clock := agonestest.NewClock(start())
	c := newClient(t, s, agones.ClientOptions{Clock: clock, Backoff: agones.Backoff{Attempts: 1}})
	type result struct {
		ep  agones.Endpoint
		err error
	}
	done := make(chan result, 1)
	go func() {
		ep, err := c.Endpoint(context.Background(), "game")
		done <- result{ep, err}
	}()
	require.NoError(t, clock.BlockUntil(context.Background(), 1), "waiting for the sidecar")
	require.NoError(t, s.SetDown(false))
	clock.Advance(time.Minute)
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, uint16(7001), r.ep.Port)

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		ep, err := c.Endpoint(ctx, "query")
		done <- result{ep, err}
	}()
	require.NoError(t, clock.BlockUntil(context.Background(), 1))
	cancel()
	r = <-done
	assert.ErrorContains(t, r.err, `agones: endpoint of port "query": gave up waiting (context canceled): the GameServer has no port named "query" (it has "game")`)
}

func TestInt64JSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{`"2"`, 2, false}, {`2`, 2, false}, {`"-5"`, -5, false}, {`1e3`, 1000, false}, {`"9223372036854775807"`, 9223372036854775807, false},
		{`null`, 0, false}, {`"x"`, 0, true}, {`2.5`, 0, true}, {`"9223372036854775808"`, 0, true}, {`1e300`, 0, true}, {`true`, 0, true}, {`"`, 0, true},
	} {
		var n agones.Int64
		err := json.Unmarshal([]byte(tc.in), &n)
		if tc.bad {
			assert.Error(t, err, "%s", tc.in)
			continue
		}
		assert.NoError(t, err, "%s", tc.in)
		assert.Equal(t, agones.Int64(tc.want), n, "%s", tc.in)
	}
	b, err := json.Marshal(agones.Int64(-7))
	require.NoError(t, err)
	assert.Equal(t, `"-7"`, string(b), "written as a string")

	var p agones.Int32
	assert.NoError(t, json.Unmarshal([]byte(`"7001"`), &p))
	assert.Equal(t, agones.Int32(7001), p)
	assert.Error(t, json.Unmarshal([]byte(`2147483648`), &p), "out of int32")
	b, _ = json.Marshal(agones.Int32(5))
	assert.Equal(t, `5`, string(b), "int32 written as a number")

	b, err = json.Marshal(agones.CounterUpdate{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b), "an empty update")
	zero := int64(0)
	b, _ = json.Marshal(agones.CounterUpdate{Count: &zero, CountDiff: -1})
	assert.Equal(t, `{"count":"0","countDiff":"-1"}`, string(b))
}

func FuzzInt64JSON(f *testing.F) {
	for _, s := range []string{`"2"`, `2`, `1e3`, `null`, `"x"`, `"-0"`, `-1e18`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n agones.Int64
		if json.Unmarshal([]byte(s), &n) != nil {
			return
		}
		b, err := json.Marshal(n)
		require.NoError(t, err)
		var m agones.Int64
		require.NoError(t, json.Unmarshal(b, &m), "%s", b)
		assert.Equal(t, n, m, "round trip of %q", s)
	})
}
