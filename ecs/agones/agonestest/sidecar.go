// Package agonestest is a fake Agones SDK sidecar for tests: an HTTP server
// on 127.0.0.1 that follows the contract of the sidecar's HTTP/JSON gateway
// (as observed of Agones 1.57's local sidecar) as a client sees it: the routes
// and their bodies, int64 values as strings (accepted as strings or
// numbers), errors as {"code","message","details"} with 500 and code 2 for
// every business error, 400 for a body that is not JSON and for an empty
// body on /health, and the watch stream's one {"result":{GameServer}} line
// per change, the current state first. Counters and lists follow Agones'
// rules and, as in Agones, do not show on the watch stream; alpha player
// tracking answers "PlayerTracking not enabled" unless Options turn it on.
//
// A test drives what the cluster would do (Allocate, CheckHealth for the
// health controller, SetState) and the faults (start Down, SetDown, Restart,
// FailNext), and asserts on what the sidecar holds and was sent (State,
// Labels, List, Requests). Wait and Await block until a condition holds,
// woken by every change, never by a timer. Nothing here imports package
// agones: the sidecar knows only the wire.
package agonestest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvHTTPPort is the environment variable that carries the sidecar's port.
const EnvHTTPPort = "AGONES_SDK_HTTP_PORT"

// LabelPrefix is what the SDK puts before the key of a label or annotation.
const LabelPrefix = "agones.dev/sdk-"

// MaxListCapacity is the largest capacity Agones allows a list.
const MaxListCapacity = 1000

// DefaultWait bounds Await.
const DefaultWait = 10 * time.Second

// Port is a GameServer port: its name and host port.
type Port struct {
	Name string // the port's name in the Fleet
	Port int32  // the host port
}

// Health is the GameServer's health spec.
type Health struct {
	// Disabled turns the health checks off.
	Disabled bool
	// PeriodSeconds, FailureThreshold and InitialDelaySeconds are Agones'
	// fields; 0 means Agones' default (5, 3, 5).
	PeriodSeconds, FailureThreshold, InitialDelaySeconds int32
}

// List is a list of the Counters and Lists API.
type List struct {
	Capacity int64    // the most values it may hold (Agones allows 0 to 1000)
	Values   []string // the values, in the order added
}

// Counter is a counter of the Counters and Lists API.
type Counter struct {
	// Count is the count, Capacity its largest value.
	Count, Capacity int64
}

// Options configure a Sidecar. The zero value is a Scheduled GameServer
// "agonestest" at 127.0.0.1 with the port "default" on 7777, Agones' default
// health spec (5 s period, threshold 3, 5 s initial delay), a "players" list
// of capacity 1000, no counters, alpha player tracking off, up from the
// start, reading the system clock.
type Options struct {
	// Name, Namespace and UID are the GameServer's metadata; empty means
	// "agonestest", "default" and "agonestest-uid".
	Name, Namespace, UID string
	// State is the GameServer's state at start; empty means "Scheduled".
	State string
	// Address is status.address; empty means "127.0.0.1".
	Address string
	// Ports are status.ports; nil means [{default 7777}].
	Ports []Port
	// Health is spec.health; the zero value means Agones' defaults.
	Health Health
	// Lists are the lists the spec declares, by name; nil means a
	// "players" list of capacity 1000. Use an empty map for none.
	Lists map[string]List
	// Counters are the counters the spec declares, by name.
	Counters map[string]Counter
	// PlayerTracking turns on the PlayerTracking feature gate.
	PlayerTracking bool
	// Labels and Annotations are the GameServer's at start, full keys.
	Labels, Annotations map[string]string
	// Down starts the sidecar down: its port is chosen but refuses
	// connections until SetDown(false) (a sidecar that starts after the
	// game).
	Down bool
	// Now is the clock of reservations; nil means time.Now.
	Now func() time.Time
}

// Request is one request the sidecar answered.
type Request struct {
	// Method and Path are the request's, such as "POST" and "/ready".
	Method, Path string
	// Body is the request's body as sent.
	Body string
	// Status is the HTTP status of the answer.
	Status int
}

// Route returns "METHOD PATH", such as "POST /ready".
func (r Request) Route() string { return r.Method + " " + r.Path }

// Sidecar is a fake Agones SDK sidecar. Make it with New (or Start in a
// test) and Close it. Its methods are safe for concurrent use.
type Sidecar struct {
	opts Options
	now  func() time.Time
	addr string

	mu       sync.Mutex
	srv      *http.Server
	served   chan struct{}
	handlers sync.WaitGroup
	closed   bool

	state         string
	reservedUntil time.Time
	labels        map[string]string
	annotations   map[string]string
	lists         map[string]*List
	counters      map[string]*Counter
	playerCap     int64
	players       []string

	pings, pingsSinceCheck, failures int
	requests                         []Request
	inject                           map[string]int
	hooks                            map[string][]func()
	watchers                         map[*watcher]struct{}
	changed                          chan struct{}
}

// New starts a sidecar on 127.0.0.1 on a port of its own (down, with
// Options.Down, until SetDown(false)).
func New(opts Options) (*Sidecar, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("agonestest: listen: %w", err)
	}
	s := &Sidecar{opts: opts, now: opts.Now, addr: ln.Addr().String(),
		inject: make(map[string]int), hooks: make(map[string][]func()), watchers: make(map[*watcher]struct{}), changed: make(chan struct{})}
	if s.now == nil {
		s.now = time.Now
	}
	s.mu.Lock()
	s.resetLocked()
	s.mu.Unlock()
	if opts.Down {
		_ = ln.Close()
		return s, nil
	}
	s.mu.Lock()
	s.serveLocked(ln)
	s.mu.Unlock()
	return s, nil
}

// Start is New for a test: it fails tb on an error and closes the sidecar
// when the test ends.
func Start(tb testing.TB, opts Options) *Sidecar {
	tb.Helper()
	s, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// resetLocked sets the GameServer to its state at start.
func (s *Sidecar) resetLocked() {
	o := &s.opts
	s.state = o.State
	if s.state == "" {
		s.state = "Scheduled"
	}
	s.reservedUntil = time.Time{}
	s.labels = maps.Clone(o.Labels)
	if s.labels == nil {
		s.labels = make(map[string]string)
	}
	s.annotations = maps.Clone(o.Annotations)
	if s.annotations == nil {
		s.annotations = make(map[string]string)
	}
	s.lists = make(map[string]*List)
	if o.Lists == nil {
		s.lists["players"] = &List{Capacity: MaxListCapacity, Values: []string{}}
	}
	for name, l := range o.Lists {
		s.lists[name] = &List{Capacity: l.Capacity, Values: append([]string{}, l.Values...)}
	}
	s.counters = make(map[string]*Counter)
	for name, c := range o.Counters {
		s.counters[name] = &c
	}
	s.playerCap, s.players = 0, nil
	s.pingsSinceCheck, s.failures = 0, 0
}

// serveLocked serves on ln.
func (s *Sidecar) serveLocked(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	s.srv, s.served = srv, done
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
}

// downLocked stops serving: it closes the listener and every connection,
// ends the watch streams and waits for the handlers. s.mu is held and is
// released while waiting.
func (s *Sidecar) downLocked() {
	if s.srv == nil {
		return
	}
	srv, served := s.srv, s.served
	s.srv, s.served = nil, nil
	for w := range s.watchers {
		close(w.end)
		delete(s.watchers, w)
	}
	s.mu.Unlock()
	_ = srv.Close()
	<-served
	s.handlers.Wait()
	s.mu.Lock()
}

// Close stops the sidecar and waits for its goroutines.
func (s *Sidecar) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.downLocked()
	s.signalLocked()
}

// Addr returns the sidecar's address, "127.0.0.1:PORT".
func (s *Sidecar) Addr() string { return s.addr }

// URL returns the sidecar's base URL, "http://127.0.0.1:PORT".
func (s *Sidecar) URL() string { return "http://" + s.addr }

// Port returns the sidecar's port, as AGONES_SDK_HTTP_PORT carries it.
func (s *Sidecar) Port() string {
	_, p, _ := net.SplitHostPort(s.addr)
	return p
}

// LookupEnv is an environment with AGONES_SDK_HTTP_PORT set to the
// sidecar's port and nothing else, for agones.Options.LookupEnv.
func (s *Sidecar) LookupEnv(key string) (string, bool) {
	if key == EnvHTTPPort {
		return s.Port(), true
	}
	return "", false
}

// SetDown takes the sidecar down (its port refuses connections, its watch
// streams end) or brings it back up on the same port, keeping its state.
func (s *Sidecar) SetDown(down bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("agonestest: sidecar closed")
	}
	if down {
		s.downLocked()
		s.signalLocked()
		return nil
	}
	if s.srv != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("agonestest: listen again on %s: %w", s.addr, err)
	}
	s.serveLocked(ln)
	s.signalLocked()
	return nil
}

// Restart restarts the sidecar as Agones' local sidecar restarts: down, then
// up on the same port with the GameServer as at start (state, labels, list
// values, tracked players all lost).
func (s *Sidecar) Restart() error {
	if err := s.SetDown(true); err != nil {
		return err
	}
	s.mu.Lock()
	s.resetLocked()
	s.mu.Unlock()
	return s.SetDown(false)
}

// FailNext makes the next n requests of route ("POST /ready", "POST
// /v1beta1/lists/players:addValue") fail with a business error: 500, code
// 2, without effect.
func (s *Sidecar) FailNext(route string, n int) {
	s.mu.Lock()
	s.inject[route] += n
	s.mu.Unlock()
}

// OnNext makes fn run before the next request of route is answered (once),
// outside the sidecar's lock: fn may change the sidecar, as the cluster
// might while the request is in flight.
func (s *Sidecar) OnNext(route string, fn func()) {
	s.mu.Lock()
	s.hooks[route] = append(s.hooks[route], fn)
	s.mu.Unlock()
}

// Allocate allocates the GameServer as the cluster's allocator does: its
// state becomes Allocated, which the watch stream shows.
func (s *Sidecar) Allocate() { s.SetState("Allocated") }

// SetState sets the GameServer's state, as the cluster would.
func (s *Sidecar) SetState(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setStateLocked(state, true)
}

// setStateLocked changes the state; unless force, a terminal state
// (Shutdown, Unhealthy, Error) stays.
func (s *Sidecar) setStateLocked(state string, force bool) {
	switch s.state {
	case "Shutdown", "Unhealthy", "Error":
		if !force {
			return
		}
	}
	s.reservedUntil = time.Time{}
	if s.state != state {
		s.state = state
		s.pushLocked()
	}
}

// SetListValues replaces the values of the list name (creating it with
// capacity 1000 if the spec has none), as a previous process might have
// left them; it does not show on the watch stream.
func (s *Sidecar) SetListValues(name string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lists[name]
	if !ok {
		l = &List{Capacity: MaxListCapacity}
		s.lists[name] = l
	}
	l.Values = append([]string{}, values...)
	s.signalLocked()
}

// CheckHealth runs one check of Agones' health controller, which runs once
// per period_seconds: a period without a ping is a failure, a ping resets
// the failures, and failure_threshold failures in a row make the
// GameServer Unhealthy, for good. It returns the state afterwards. With
// health checks disabled it only returns the state.
func (s *Sidecar) CheckHealth() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.health()
	if h.Disabled {
		return s.state
	}
	if s.pingsSinceCheck == 0 {
		s.failures++
	} else {
		s.failures = 0
	}
	s.pingsSinceCheck = 0
	if s.failures >= int(h.FailureThreshold) && s.state != "Shutdown" {
		s.setStateLocked("Unhealthy", true)
	}
	s.signalLocked()
	return s.state
}

// health returns the health spec with Agones' defaults.
func (s *Sidecar) health() Health {
	h := s.opts.Health
	if h.PeriodSeconds <= 0 {
		h.PeriodSeconds = 5
	}
	if h.FailureThreshold <= 0 {
		h.FailureThreshold = 3
	}
	if h.InitialDelaySeconds <= 0 {
		h.InitialDelaySeconds = 5
	}
	return h
}

// State returns the GameServer's state.
func (s *Sidecar) State() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	return s.state
}

// Labels returns the GameServer's labels, full keys (agones.dev/sdk-KEY).
func (s *Sidecar) Labels() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.labels)
}

// Label returns the label the SDK set as key (agones.dev/sdk-KEY).
func (s *Sidecar) Label(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.labels[LabelPrefix+key]
	return v, ok
}

// Annotations returns the GameServer's annotations, full keys.
func (s *Sidecar) Annotations() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.annotations)
}

// List returns a copy of the list name, and whether the spec has it.
func (s *Sidecar) List(name string) (List, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lists[name]
	if !ok {
		return List{}, false
	}
	return List{Capacity: l.Capacity, Values: slices.Clone(l.Values)}, true
}

// Counter returns the counter name, and whether the spec has it.
func (s *Sidecar) Counter(name string) (Counter, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.counters[name]
	if !ok {
		return Counter{}, false
	}
	return *c, true
}

// Players returns the players alpha player tracking has connected, in the
// order they connected, and its capacity.
func (s *Sidecar) Players() ([]string, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.players), s.playerCap
}

// Pings returns the number of health pings received.
func (s *Sidecar) Pings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pings
}

// Requests returns the requests answered so far, in order.
func (s *Sidecar) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns the number of requests of route ("POST /ready") answered.
func (s *Sidecar) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Route() == route {
			n++
		}
	}
	return n
}

// Bodies returns the bodies of the requests of route, in order.
func (s *Sidecar) Bodies(route string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.requests {
		if r.Route() == route {
			out = append(out, r.Body)
		}
	}
	return out
}

// Watchers returns the number of open watch streams.
func (s *Sidecar) Watchers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.watchers)
}

// Wait blocks until cond returns true or ctx is done (then it returns ctx's
// error). cond is called at once and again after every change of the
// sidecar (a request answered, a state changed, a fault); it may call the
// sidecar's methods.
func (s *Sidecar) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Await is Wait for a test, bounded by DefaultWait: it fails tb, saying what
// it waited for and the last requests, when cond does not hold in time.
func (s *Sidecar) Await(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DefaultWait)
	defer cancel()
	if err := s.Wait(ctx, cond); err != nil {
		reqs := s.Requests()
		if len(reqs) > 60 {
			reqs = reqs[len(reqs)-60:]
		}
		var b strings.Builder
		for _, r := range reqs {
			fmt.Fprintf(&b, "\n\t%s %s -> %d", r.Route(), r.Body, r.Status)
		}
		tb.Fatalf("agonestest: waited %v for %s; state %s; last requests:%s", DefaultWait, what, s.State(), b.String())
	}
}

// signalLocked wakes Wait.
func (s *Sidecar) signalLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// pushLocked sends the GameServer to every watch stream.
func (s *Sidecar) pushLocked() {
	line := s.watchLineLocked()
	for w := range s.watchers {
		w.lines = append(w.lines, line)
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	s.signalLocked()
}

// expireLocked ends a reservation that has run out.
func (s *Sidecar) expireLocked() {
	if s.state == "Reserved" && !s.reservedUntil.IsZero() && !s.now().Before(s.reservedUntil) {
		s.setStateLocked("Ready", false)
	}
}

// watcher is one watch stream.
type watcher struct {
	lines [][]byte
	wake  chan struct{}
	end   chan struct{}
}

// Wire forms.
type (
	wireStatus struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Details []json.RawMessage `json:"details"`
	}
	wireList struct {
		Name     string   `json:"name"`
		Capacity string   `json:"capacity"`
		Values   []string `json:"values"`
	}
	wireCounter struct {
		Name     string `json:"name"`
		Count    string `json:"count"`
		Capacity string `json:"capacity"`
	}
)

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// gameServerLocked is the GameServer as the sidecar serves it: proto field
// names, every field present, int64 values as strings.
func (s *Sidecar) gameServerLocked() map[string]any {
	o := &s.opts
	name, ns, uid, addr := o.Name, o.Namespace, o.UID, o.Address
	if name == "" {
		name = "agonestest"
	}
	if ns == "" {
		ns = "default"
	}
	if uid == "" {
		uid = "agonestest-uid"
	}
	if addr == "" {
		addr = "127.0.0.1"
	}
	ports := []map[string]any{}
	if o.Ports == nil {
		ports = append(ports, map[string]any{"name": "default", "port": 7777})
	}
	for _, p := range o.Ports {
		ports = append(ports, map[string]any{"name": p.Name, "port": p.Port})
	}
	h := s.health()
	counters := map[string]any{}
	for n, c := range s.counters {
		counters[n] = map[string]any{"count": i64(c.Count), "capacity": i64(c.Capacity)}
	}
	lists := map[string]any{}
	for n, l := range s.lists {
		lists[n] = map[string]any{"capacity": i64(l.Capacity), "values": slices.Clone(l.Values)}
	}
	var players any
	if o.PlayerTracking {
		players = map[string]any{"count": i64(int64(len(s.players))), "capacity": i64(s.playerCap),
			"ids": append([]string{}, s.players...)}
	}
	return map[string]any{
		"object_meta": map[string]any{
			"name": name, "namespace": ns, "uid": uid, "resource_version": "1", "generation": "1",
			"creation_timestamp": "1767225600", "deletion_timestamp": "0",
			"labels": maps.Clone(s.labels), "annotations": maps.Clone(s.annotations),
		},
		"spec": map[string]any{"health": map[string]any{
			"disabled": h.Disabled, "period_seconds": h.PeriodSeconds,
			"failure_threshold": h.FailureThreshold, "initial_delay_seconds": h.InitialDelaySeconds,
		}},
		"status": map[string]any{
			"state": s.state, "address": addr, "ports": ports, "players": players,
			"counters": counters, "lists": lists,
		},
	}
}

func (s *Sidecar) watchLineLocked() []byte {
	b, _ := json.Marshal(map[string]any{"result": s.gameServerLocked()})
	return append(b, '\n')
}

// answer is a handler's result: an HTTP status and a body to encode.
type answer struct {
	status int
	body   any
}

func ok(body any) answer { return answer{http.StatusOK, body} }

// business is the error of a call Agones refuses: 500, code 2.
func business(format string, args ...any) answer {
	return answer{http.StatusInternalServerError, wireStatus{Code: 2, Message: fmt.Sprintf(format, args...), Details: []json.RawMessage{}}}
}

func badRequest(format string, args ...any) answer {
	return answer{http.StatusBadRequest, wireStatus{Code: 3, Message: fmt.Sprintf(format, args...), Details: []json.RawMessage{}}}
}

var (
	notFound   = answer{http.StatusNotFound, wireStatus{Code: 5, Message: "Not Found", Details: []json.RawMessage{}}}
	notAllowed = answer{http.StatusMethodNotAllowed, wireStatus{Code: 12, Message: "Method Not Allowed", Details: []json.RawMessage{}}}
)

func (s *Sidecar) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.srv == nil {
		s.mu.Unlock()
		return
	}
	s.handlers.Add(1)
	s.mu.Unlock()
	defer s.handlers.Done()
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	path := r.URL.Path
	route := r.Method + " " + path
	s.mu.Lock()
	var hook func()
	if hs := s.hooks[route]; len(hs) > 0 {
		hook, s.hooks[route] = hs[0], hs[1:]
	}
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	if path == "/watch/gameserver" && r.Method == http.MethodGet {
		s.mu.Lock()
		failed := s.inject[route] > 0
		if failed {
			s.inject[route]--
			s.requests = append(s.requests, Request{Method: r.Method, Path: path, Status: http.StatusInternalServerError})
			s.signalLocked()
		}
		s.mu.Unlock()
		if failed {
			write(w, business("agonestest: injected failure of %s", route))
			return
		}
		s.serveWatch(w, r)
		return
	}
	s.mu.Lock()
	a := s.handleLocked(r.Method, path, data)
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Body: string(data), Status: a.status})
	s.signalLocked()
	s.mu.Unlock()
	write(w, a)
}

// write sends an answer as JSON.
func write(w http.ResponseWriter, a answer) {
	out, _ := json.Marshal(a.body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_, _ = w.Write(out)
}

func (s *Sidecar) serveWatch(w http.ResponseWriter, r *http.Request) {
	wt := &watcher{wake: make(chan struct{}, 1), end: make(chan struct{})}
	s.mu.Lock()
	s.expireLocked()
	first := s.watchLineLocked()
	s.watchers[wt] = struct{}{}
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Status: http.StatusOK})
	s.signalLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.watchers, wt)
		s.signalLocked()
		s.mu.Unlock()
	}()
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	write := func(line []byte) bool {
		if _, err := w.Write(line); err != nil {
			return false
		}
		if fl != nil {
			fl.Flush()
		}
		return true
	}
	if !write(first) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-wt.end:
			return
		case <-wt.wake:
		}
		s.mu.Lock()
		lines := wt.lines
		wt.lines = nil
		s.mu.Unlock()
		for _, l := range lines {
			if !write(l) {
				return
			}
		}
	}
}

// body is a decoded request body.
type body map[string]json.RawMessage

// decode reads a request body as grpc-gateway does: an empty body is an
// empty message (except where the RPC is a stream, as /health is), anything
// else must be a JSON object.
func decode(data []byte, emptyOK bool) (body, *answer) {
	if len(strings.TrimSpace(string(data))) == 0 {
		if emptyOK {
			return body{}, nil
		}
		a := badRequest("unexpected EOF")
		return nil, &a
	}
	var b body
	if err := json.Unmarshal(data, &b); err != nil || b == nil {
		msg := "the body is not a JSON object"
		if err != nil {
			msg = err.Error()
		}
		a := badRequest("%s", msg)
		return nil, &a
	}
	return b, nil
}

// str reads the string field key ("" when absent).
func (b body) str(key string) (string, *answer) {
	raw, ok := b[key]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		a := badRequest("field %q: %v", key, err)
		return "", &a
	}
	return v, nil
}

// int reads the integer field key, a string or a number; present says
// whether it was there.
func (b body) int(key string) (v int64, present bool, bad *answer) {
	raw, ok := b[key]
	if !ok || string(raw) == "null" {
		return 0, false, nil
	}
	s := string(raw)
	if len(raw) >= 2 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			a := badRequest("field %q: %v", key, err)
			return 0, false, &a
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		a := badRequest("field %q: %q is not an int64", key, s)
		return 0, false, &a
	}
	return n, true, nil
}

// handleLocked answers one request other than the watch stream.
func (s *Sidecar) handleLocked(method, path string, data []byte) answer {
	s.expireLocked()
	h, known := s.route(method, path)
	if h == nil {
		if known {
			return notAllowed
		}
		return notFound
	}
	b, bad := decode(data, path != "/health")
	if bad != nil {
		return *bad
	}
	route := method + " " + path
	if n := s.inject[route]; n > 0 {
		s.inject[route] = n - 1
		return business("agonestest: injected failure of %s", route)
	}
	return h(b)
}

// route returns the handler of a request, nil when there is none, and
// whether the path is known (for any method).
func (s *Sidecar) route(method, path string) (func(body) answer, bool) {
	type routes map[string]func(body) answer
	lifecycle := func(state string) func(body) answer {
		return func(body) answer {
			s.setStateLocked(state, false)
			return ok(struct{}{})
		}
	}
	var rs routes
	switch path {
	case "/ready":
		rs = routes{http.MethodPost: lifecycle("Ready")}
	case "/allocate":
		rs = routes{http.MethodPost: lifecycle("Allocated")}
	case "/shutdown":
		rs = routes{http.MethodPost: lifecycle("Shutdown")}
	case "/reserve":
		rs = routes{http.MethodPost: s.reserve}
	case "/health":
		rs = routes{http.MethodPost: func(body) answer {
			s.pings++
			s.pingsSinceCheck++
			return ok(struct{}{})
		}}
	case "/gameserver":
		rs = routes{http.MethodGet: func(body) answer { return ok(s.gameServerLocked()) }}
	case "/metadata/label":
		rs = routes{http.MethodPut: func(b body) answer { return s.metadata(b, s.labels, true) }}
	case "/metadata/annotation":
		rs = routes{http.MethodPut: func(b body) answer { return s.metadata(b, s.annotations, false) }}
	case "/alpha/player/capacity":
		rs = routes{http.MethodPut: s.alpha(s.setPlayerCapacity), http.MethodGet: s.alpha(func(body) answer {
			return ok(map[string]string{"count": i64(s.playerCap)})
		})}
	case "/alpha/player/connect":
		rs = routes{http.MethodPost: s.alpha(s.playerConnect)}
	case "/alpha/player/disconnect":
		rs = routes{http.MethodPost: s.alpha(s.playerDisconnect)}
	case "/alpha/player/count":
		rs = routes{http.MethodGet: s.alpha(func(body) answer {
			return ok(map[string]string{"count": i64(int64(len(s.players)))})
		})}
	case "/alpha/player/connected":
		rs = routes{http.MethodGet: s.alpha(func(body) answer {
			return ok(map[string][]string{"list": append([]string{}, s.players...)})
		})}
	default:
		switch {
		case strings.HasPrefix(path, "/alpha/player/connected/") && len(path) > len("/alpha/player/connected/"):
			id := path[len("/alpha/player/connected/"):]
			rs = routes{http.MethodGet: s.alpha(func(body) answer {
				return ok(map[string]bool{"bool": slices.Contains(s.players, id)})
			})}
		case strings.HasPrefix(path, "/v1beta1/lists/") && len(path) > len("/v1beta1/lists/"):
			name := path[len("/v1beta1/lists/"):]
			if n, found := strings.CutSuffix(name, ":addValue"); found {
				rs = routes{http.MethodPost: func(b body) answer { return s.addValue(n, b) }}
			} else if n, found := strings.CutSuffix(name, ":removeValue"); found {
				rs = routes{http.MethodPost: func(b body) answer { return s.removeValue(n, b) }}
			} else {
				rs = routes{
					http.MethodGet:   func(body) answer { return s.getList(name) },
					http.MethodPatch: func(b body) answer { return s.updateList(name, b) },
				}
			}
		case strings.HasPrefix(path, "/v1beta1/counters/") && len(path) > len("/v1beta1/counters/"):
			name := path[len("/v1beta1/counters/"):]
			rs = routes{
				http.MethodGet:   func(body) answer { return s.getCounter(name) },
				http.MethodPatch: func(b body) answer { return s.updateCounter(name, b) },
			}
		}
	}
	if rs == nil {
		return nil, false
	}
	return rs[method], true
}

func (s *Sidecar) reserve(b body) answer {
	n, _, bad := b.int("seconds")
	if bad != nil {
		return *bad
	}
	if n < 0 {
		return business("seconds must be 0 or more, got %d", n)
	}
	s.setStateLocked("Reserved", false)
	if s.state == "Reserved" && n > 0 {
		s.reservedUntil = s.now().Add(time.Duration(n) * time.Second)
	}
	return ok(struct{}{})
}

// labelValueOK reports whether v follows Kubernetes' rules for a label
// value (and a key's name part): at most 63 characters of [a-zA-Z0-9._-],
// beginning and ending with a letter or digit, or empty.
func labelValueOK(v string) bool {
	if len(v) > 63 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '_' && c != '-' {
			return false
		}
		if (i == 0 || i == len(v)-1) && !alnum {
			return false
		}
	}
	return true
}

// metadata sets a label or annotation; labels follow Kubernetes' rules, as
// in a cluster.
func (s *Sidecar) metadata(b body, into map[string]string, label bool) answer {
	key, bad := b.str("key")
	if bad != nil {
		return *bad
	}
	value, bad := b.str("value")
	if bad != nil {
		return *bad
	}
	full := LabelPrefix + key
	if key == "" {
		return business("invalid key: the key is empty")
	}
	if label && (!labelValueOK(full[len("agones.dev/"):]) || !labelValueOK(value)) {
		return business("invalid label %q: %q: a label must be 63 characters or less of [a-zA-Z0-9._-], beginning and ending with a letter or digit", full, value)
	}
	if into[full] != value {
		into[full] = value
		s.pushLocked()
	}
	return ok(struct{}{})
}

func (s *Sidecar) wireListLocked(name string, l *List) wireList {
	return wireList{Name: name, Capacity: i64(l.Capacity), Values: append([]string{}, l.Values...)}
}

// list returns the list name, or the answer to a request of a list the
// spec lacks.
func (s *Sidecar) list(name string) (*List, *answer) {
	l, found := s.lists[name]
	if !found {
		a := business("not found. %s List not found", name)
		return nil, &a
	}
	return l, nil
}

// listValue returns the list name and the "value" field of b, or the
// answer to a request that has neither.
func (s *Sidecar) listValue(name string, b body) (*List, string, *answer) {
	l, bad := s.list(name)
	if bad != nil {
		return nil, "", bad
	}
	v, bad := b.str("value")
	return l, v, bad
}

func (s *Sidecar) getList(name string) answer {
	l, bad := s.list(name)
	if bad != nil {
		return *bad
	}
	return ok(s.wireListLocked(name, l))
}

func (s *Sidecar) updateList(name string, b body) answer {
	l, bad := s.list(name)
	if bad != nil {
		return *bad
	}
	c, present, bad := b.int("capacity")
	if bad != nil {
		return *bad
	}
	if present {
		if c < 0 || c > MaxListCapacity {
			return business("out of range. Capacity must be within range [0,%d]. Found Capacity: %d", MaxListCapacity, c)
		}
		l.Capacity = c
		if int64(len(l.Values)) > c {
			l.Values = l.Values[:c]
		}
	}
	return ok(s.wireListLocked(name, l))
}

func (s *Sidecar) addValue(name string, b body) answer {
	l, v, bad := s.listValue(name, b)
	if bad != nil {
		return *bad
	}
	if int64(len(l.Values)) >= l.Capacity {
		return business("out of range. No available capacity. Current Capacity: %d, List Size: %d", l.Capacity, len(l.Values))
	}
	if slices.Contains(l.Values, v) {
		return business("already exists. Value: %s already in List: %s", v, name)
	}
	l.Values = append(l.Values, v)
	return ok(s.wireListLocked(name, l))
}

func (s *Sidecar) removeValue(name string, b body) answer {
	l, v, bad := s.listValue(name, b)
	if bad != nil {
		return *bad
	}
	i := slices.Index(l.Values, v)
	if i < 0 {
		return business("not found. Value: %s not found in List: %s", v, name)
	}
	l.Values = slices.Delete(l.Values, i, i+1)
	return ok(s.wireListLocked(name, l))
}

func (s *Sidecar) getCounter(name string) answer {
	c, found := s.counters[name]
	if !found {
		return business("not found. %s Counter not found", name)
	}
	return ok(wireCounter{Name: name, Count: i64(c.Count), Capacity: i64(c.Capacity)})
}

func (s *Sidecar) updateCounter(name string, b body) answer {
	c, found := s.counters[name]
	if !found {
		return business("not found. %s Counter not found", name)
	}
	next := *c
	capacity, present, bad := b.int("capacity")
	if bad != nil {
		return *bad
	}
	if present {
		if capacity < 0 {
			return business("out of range. Capacity must be greater than or equal to 0. Found Capacity: %d", capacity)
		}
		next.Capacity = capacity
	}
	n, present, bad := b.int("count")
	if bad != nil {
		return *bad
	}
	if present {
		next.Count = n
	}
	diff, _, bad := b.int("countDiff")
	if bad != nil {
		return *bad
	}
	next.Count += diff
	if next.Count < 0 || next.Count > next.Capacity {
		return business("out of range. Count must be within range [0,Capacity]. Found Count: %d, Capacity: %d", next.Count, next.Capacity)
	}
	*c = next
	return ok(wireCounter{Name: name, Count: i64(c.Count), Capacity: i64(c.Capacity)})
}

// alpha guards a player tracking call with the feature gate.
func (s *Sidecar) alpha(h func(body) answer) func(body) answer {
	return func(b body) answer {
		if !s.opts.PlayerTracking {
			return business("PlayerTracking not enabled")
		}
		return h(b)
	}
}

func (s *Sidecar) setPlayerCapacity(b body) answer {
	n, _, bad := b.int("count")
	if bad != nil {
		return *bad
	}
	if n < 0 {
		return business("capacity must be 0 or more, got %d", n)
	}
	s.playerCap = n
	s.pushLocked()
	return ok(struct{}{})
}

func (s *Sidecar) playerConnect(b body) answer {
	id, bad := b.str("playerID")
	if bad != nil {
		return *bad
	}
	if slices.Contains(s.players, id) {
		return ok(map[string]bool{"bool": false})
	}
	if int64(len(s.players)) >= s.playerCap {
		return business("players are already at capacity")
	}
	s.players = append(s.players, id)
	s.pushLocked()
	return ok(map[string]bool{"bool": true})
}

func (s *Sidecar) playerDisconnect(b body) answer {
	id, bad := b.str("playerID")
	if bad != nil {
		return *bad
	}
	i := slices.Index(s.players, id)
	if i < 0 {
		return ok(map[string]bool{"bool": false})
	}
	s.players = slices.Delete(s.players, i, i+1)
	s.pushLocked()
	return ok(map[string]bool{"bool": true})
}
