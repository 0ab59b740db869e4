package agonestest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call makes one raw request and returns the status and the body.
func call(t *testing.T, hc *http.Client, method, url, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err, "%s %s", method, url)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func client(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// errorShape checks an error body: {"code":N,"message":"...","details":[]}.
func errorShape(t *testing.T, body string, code int, contains string) {
	t.Helper()
	var e struct {
		Code    *int             `json:"code"`
		Message *string          `json:"message"`
		Details *json.RawMessage `json:"details"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &e), "error body %s", body)
	require.NotNil(t, e.Code, "code in %s", body)
	require.NotNil(t, e.Message, "message in %s", body)
	require.NotNil(t, e.Details, "details in %s", body)
	assert.Equal(t, code, *e.Code, "code in %s", body)
	assert.Contains(t, *e.Message, contains, "message")
	assert.JSONEq(t, "[]", string(*e.Details), "details")
}

func TestLifecycleRoutes(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	hc, u := client(t), s.URL()
	assert.Equal(t, "Scheduled", s.State(), "state at start")

	code, body := call(t, hc, "POST", u+"/health", "")
	assert.Equal(t, http.StatusBadRequest, code, "empty /health body")
	errorShape(t, body, 3, "")
	code, body = call(t, hc, "POST", u+"/health", "{}")
	assert.Equal(t, http.StatusOK, code, "/health {}")
	assert.JSONEq(t, "{}", body)
	assert.Equal(t, 1, s.Pings(), "pings")

	code, body = call(t, hc, "POST", u+"/ready", "not json")
	assert.Equal(t, http.StatusBadRequest, code, "a body that is not JSON")
	errorShape(t, body, 3, "")
	assert.Equal(t, "Scheduled", s.State(), "state after a refused Ready")
	code, _ = call(t, hc, "POST", u+"/ready", "")
	assert.Equal(t, http.StatusOK, code, "Ready with no body (an empty message)")
	assert.Equal(t, "Ready", s.State())

	code, _ = call(t, hc, "POST", u+"/reserve", `{"seconds":"0"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Reserved", s.State())
	assert.Equal(t, []string{`{"seconds":"0"}`}, s.Bodies("POST /reserve"), "bodies as sent")
	code, _ = call(t, hc, "POST", u+"/allocate", "{}")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Allocated", s.State())
	code, _ = call(t, hc, "POST", u+"/shutdown", "{}")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Shutdown", s.State())
	call(t, hc, "POST", u+"/ready", "{}")
	assert.Equal(t, "Shutdown", s.State(), "Ready after Shutdown")

	code, body = call(t, hc, "GET", u+"/ready", "")
	assert.Equal(t, http.StatusMethodNotAllowed, code, "GET /ready")
	errorShape(t, body, 12, "Method Not Allowed")
	code, body = call(t, hc, "POST", u+"/nowhere", "{}")
	assert.Equal(t, http.StatusNotFound, code, "unknown route")
	errorShape(t, body, 5, "Not Found")
	assert.Equal(t, 3, s.Count("POST /ready"), "POST /ready requests, refused ones included")
	assert.Equal(t, 1, s.Count("GET /ready"), "GET /ready requests")
}

func TestReservationRunsOut(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := agonestest.Start(t, agonestest.Options{State: "Ready", Now: clock})
	code, _ := call(t, client(t), "POST", s.URL()+"/reserve", `{"seconds":5}`)
	assert.Equal(t, http.StatusOK, code, "seconds as a number")
	assert.Equal(t, "Reserved", s.State())
	now = now.Add(5 * time.Second)
	assert.Equal(t, "Ready", s.State(), "after the reservation")
}

func TestGameServerJSON(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{
		Address: "203.0.113.7", Ports: []agonestest.Port{{Name: "game", Port: 7001}},
		Health:   agonestest.Health{PeriodSeconds: 2},
		Counters: map[string]agonestest.Counter{"rooms": {Count: 1, Capacity: 10}},
	})
	code, body := call(t, client(t), "GET", s.URL()+"/gameserver", "")
	require.Equal(t, http.StatusOK, code)
	var gs map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &gs))
	assert.Equal(t, "1", gs["object_meta"]["generation"], "int64 as a string")
	health := gs["spec"]["health"].(map[string]any)
	assert.Equal(t, 2.0, health["period_seconds"], "int32 as a number")
	assert.Equal(t, 3.0, health["failure_threshold"], "default threshold")
	st := gs["status"]
	assert.Equal(t, "Scheduled", st["state"])
	assert.Equal(t, "203.0.113.7", st["address"])
	assert.Equal(t, []any{map[string]any{"name": "game", "port": 7001.0}}, st["ports"])
	assert.Equal(t, map[string]any{"rooms": map[string]any{"count": "1", "capacity": "10"}}, st["counters"])
	assert.Equal(t, map[string]any{"players": map[string]any{"capacity": "1000", "values": []any{}}}, st["lists"])
	assert.Nil(t, st["players"], "players without the feature gate")
}

func TestLists(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	hc, u := client(t), s.URL()+"/v1beta1/lists/players"
	code, body := call(t, hc, "GET", u, "")
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"name":"players","capacity":"1000","values":[]}`, body)

	code, body = call(t, hc, "PATCH", u, `{"capacity":"2"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"name":"players","capacity":"2","values":[]}`, body)
	code, _ = call(t, hc, "POST", u+":addValue", `{"value":"1"}`)
	assert.Equal(t, http.StatusOK, code)
	code, body = call(t, hc, "POST", u+":addValue", `{"value":"1"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "adding a value twice")
	errorShape(t, body, 2, "already exists")
	call(t, hc, "POST", u+":addValue", `{"value":"2"}`)
	code, body = call(t, hc, "POST", u+":addValue", `{"value":"3"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "over capacity")
	errorShape(t, body, 2, "out of range")
	code, body = call(t, hc, "POST", u+":removeValue", `{"value":"9"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "removing an absent value")
	errorShape(t, body, 2, "not found")
	code, body = call(t, hc, "PATCH", u, `{"capacity":1}`)
	assert.Equal(t, http.StatusOK, code, "capacity as a number")
	assert.JSONEq(t, `{"name":"players","capacity":"1","values":["1"]}`, body, "lowering the capacity truncates")
	code, body = call(t, hc, "PATCH", u, `{"capacity":"1001"}`)
	assert.Equal(t, http.StatusInternalServerError, code)
	errorShape(t, body, 2, "out of range")

	code, body = call(t, hc, "GET", s.URL()+"/v1beta1/lists/nope", "")
	assert.Equal(t, http.StatusInternalServerError, code, "a list the spec lacks")
	errorShape(t, body, 2, "not found")
	l, ok := s.List("players")
	assert.True(t, ok)
	assert.Equal(t, agonestest.List{Capacity: 1, Values: []string{"1"}}, l)
}

func TestCounters(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Counters: map[string]agonestest.Counter{"rooms": {Capacity: 5}}})
	hc, u := client(t), s.URL()+"/v1beta1/counters/rooms"
	code, body := call(t, hc, "PATCH", u, `{"countDiff":"2"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"name":"rooms","count":"2","capacity":"5"}`, body)
	code, body = call(t, hc, "PATCH", u, `{"count":"7"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "count over capacity")
	errorShape(t, body, 2, "out of range")
	code, body = call(t, hc, "PATCH", u, `{"capacity":"20"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"name":"rooms","count":"2","capacity":"20"}`, body)
	code, body = call(t, hc, "PATCH", u, `{"countDiff":"x"}`)
	assert.Equal(t, http.StatusBadRequest, code, "an int64 that is not one")
	errorShape(t, body, 3, "countDiff")
	code, _ = call(t, hc, "GET", s.URL()+"/v1beta1/counters/nope", "")
	assert.Equal(t, http.StatusInternalServerError, code)
	c, _ := s.Counter("rooms")
	assert.Equal(t, agonestest.Counter{Count: 2, Capacity: 20}, c)
}

func TestPlayerTracking(t *testing.T) {
	off := agonestest.Start(t, agonestest.Options{})
	code, body := call(t, client(t), "POST", off.URL()+"/alpha/player/connect", `{"playerID":"1"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "with the gate off")
	errorShape(t, body, 2, "PlayerTracking not enabled")

	s := agonestest.Start(t, agonestest.Options{PlayerTracking: true})
	hc, u := client(t), s.URL()+"/alpha/player"
	code, body = call(t, hc, "POST", u+"/connect", `{"playerID":"1"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "capacity starts at 0")
	errorShape(t, body, 2, "capacity")
	code, _ = call(t, hc, "PUT", u+"/capacity", `{"count":"2"}`)
	assert.Equal(t, http.StatusOK, code)
	_, body = call(t, hc, "POST", u+"/connect", `{"playerID":"1"}`)
	assert.JSONEq(t, `{"bool":true}`, body)
	_, body = call(t, hc, "POST", u+"/connect", `{"playerID":"1"}`)
	assert.JSONEq(t, `{"bool":false}`, body, "connected twice")
	_, body = call(t, hc, "GET", u+"/count", "")
	assert.JSONEq(t, `{"count":"1"}`, body)
	_, body = call(t, hc, "GET", u+"/capacity", "")
	assert.JSONEq(t, `{"count":"2"}`, body)
	_, body = call(t, hc, "GET", u+"/connected", "")
	assert.JSONEq(t, `{"list":["1"]}`, body)
	_, body = call(t, hc, "GET", u+"/connected/1", "")
	assert.JSONEq(t, `{"bool":true}`, body)
	_, body = call(t, hc, "POST", u+"/disconnect", `{"playerID":"2"}`)
	assert.JSONEq(t, `{"bool":false}`, body, "disconnecting a stranger")
	ids, capacity := s.Players()
	assert.Equal(t, []string{"1"}, ids)
	assert.Equal(t, int64(2), capacity)
}

func TestMetadata(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	hc := client(t)
	code, _ := call(t, hc, "PUT", s.URL()+"/metadata/label", `{"key":"map","value":"arena"}`)
	assert.Equal(t, http.StatusOK, code)
	code, body := call(t, hc, "PUT", s.URL()+"/metadata/label", `{"key":"map","value":"de dust"}`)
	assert.Equal(t, http.StatusInternalServerError, code, "a value Kubernetes refuses")
	errorShape(t, body, 2, "invalid label")
	code, _ = call(t, hc, "PUT", s.URL()+"/metadata/annotation", `{"key":"motd","value":"hello, world"}`)
	assert.Equal(t, http.StatusOK, code)
	v, ok := s.Label("map")
	assert.True(t, ok)
	assert.Equal(t, "arena", v)
	assert.Equal(t, map[string]string{"agones.dev/sdk-motd": "hello, world"}, s.Annotations())
}

func TestFailNext(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	hc := client(t)
	for _, r := range []struct{ method, path, body string }{{"POST", "/ready", "{}"}, {"GET", "/watch/gameserver", ""}} {
		route := r.method + " " + r.path
		s.FailNext(route, 1)
		code, body := call(t, hc, r.method, s.URL()+r.path, r.body)
		assert.Equal(t, http.StatusInternalServerError, code, route)
		errorShape(t, body, 2, "injected failure of "+route)
	}
	assert.Equal(t, "Scheduled", s.State(), "an injected failure has no effect")
	assert.Zero(t, s.Watchers(), "no watch stream after a failure")
	code, _ := call(t, hc, "POST", s.URL()+"/ready", "{}")
	assert.Equal(t, http.StatusOK, code, "the next call")
}

// readLine reads one watch line and returns its GameServer's state.
func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	var l struct {
		Result struct {
			Status struct {
				State string `json:"state"`
			} `json:"status"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &l), "line %q", line)
	return l.Result.Status.State
}

func TestWatchStream(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL()+"/watch/gameserver", nil)
	require.NoError(t, err)
	resp, err := client(t).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	assert.Equal(t, "Scheduled", readLine(t, r), "the current state first")
	s.Allocate()
	assert.Equal(t, "Allocated", readLine(t, r), "a cluster allocation")
	code, _ := call(t, client(t), "POST", s.URL()+"/v1beta1/lists/players:addValue", `{"value":"1"}`)
	require.Equal(t, http.StatusOK, code)
	s.SetState("Reserved")
	assert.Equal(t, "Reserved", readLine(t, r), "the next line: list changes are not on the stream")
	assert.Equal(t, 1, s.Watchers())

	require.NoError(t, s.Restart())
	_, err = r.ReadString('\n')
	assert.Error(t, err, "the stream ends when the sidecar restarts")
	assert.Equal(t, "Scheduled", s.State(), "state after a restart")
	l, _ := s.List("players")
	assert.Empty(t, l.Values, "list values after a restart")
}

func TestDown(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{Down: true})
	hc := client(t)
	_, err := hc.Post(s.URL()+"/ready", "application/json", strings.NewReader("{}"))
	assert.Error(t, err, "a sidecar that is down refuses connections")
	require.NoError(t, s.SetDown(false))
	code, _ := call(t, hc, "POST", s.URL()+"/ready", "{}")
	assert.Equal(t, http.StatusOK, code, "once up")
	require.NoError(t, s.SetDown(true))
	_, err = hc.Post(s.URL()+"/ready", "application/json", strings.NewReader("{}"))
	assert.Error(t, err, "down again")
	v, ok := s.LookupEnv("AGONES_SDK_HTTP_PORT")
	assert.True(t, ok)
	assert.Equal(t, s.Port(), v)
	_, ok = s.LookupEnv("HOME")
	assert.False(t, ok, "other variables")
}

func TestCheckHealth(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{State: "Ready", Health: agonestest.Health{FailureThreshold: 2}})
	hc := client(t)
	call(t, hc, "POST", s.URL()+"/health", "{}")
	assert.Equal(t, "Ready", s.CheckHealth(), "a period with a ping")
	assert.Equal(t, "Ready", s.CheckHealth(), "one period without")
	call(t, hc, "POST", s.URL()+"/health", "{}")
	assert.Equal(t, "Ready", s.CheckHealth(), "a ping resets the failures")
	assert.Equal(t, "Ready", s.CheckHealth())
	assert.Equal(t, "Unhealthy", s.CheckHealth(), "two periods without a ping")
	call(t, hc, "POST", s.URL()+"/ready", "{}")
	assert.Equal(t, "Unhealthy", s.State(), "nothing moves a GameServer out of Unhealthy")

	off := agonestest.Start(t, agonestest.Options{State: "Ready", Health: agonestest.Health{Disabled: true}})
	for range 5 {
		off.CheckHealth()
	}
	assert.Equal(t, "Ready", off.State(), "with health checks disabled")
}

func TestWaitEndsWithContext(t *testing.T) {
	s := agonestest.Start(t, agonestest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, s.Wait(ctx, func() bool { return false }), context.Canceled)
	assert.NoError(t, s.Wait(context.Background(), func() bool { return true }))
}

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := agonestest.NewClock(start)
	a, _ := c.Timer(2 * time.Second)
	b, stopB := c.Timer(time.Second)
	_, stopC := c.Timer(time.Hour)
	assert.Equal(t, 3, c.Timers())
	assert.True(t, stopC(), "stopping a pending timer")
	assert.False(t, stopC(), "stopping it twice")
	c.Advance(time.Second)
	assert.Equal(t, start.Add(time.Second), <-b, "the first timer")
	assert.False(t, stopB(), "stopping a fired timer")
	select {
	case <-a:
		t.Fatal("the 2 s timer fired after 1 s")
	default:
	}
	c.Advance(time.Second)
	assert.Equal(t, start.Add(2*time.Second), <-a)
	z, _ := c.Timer(0)
	assert.Equal(t, start.Add(2*time.Second), <-z, "a timer of 0 fires at once")

	done := make(chan error, 1)
	go func() { done <- c.BlockUntil(context.Background(), 1) }()
	c.Timer(time.Minute)
	assert.NoError(t, <-done, "BlockUntil sees the new timer")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.BlockUntil(ctx, 5), context.Canceled)
}
