package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// loopback is the address the suite's servers bind: tests send traffic
// nowhere else.
var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// env is one case's world: a fresh back end, its Steam (nil without a
// connection) and the servers the case started.
type env struct {
	t     *testing.T
	h     Harness // defaults filled in
	b     steamgs.Backend
	steam Steam
	caps  steamgs.Capabilities
	// nextPort numbers the game ports of the case's servers.
	nextPort uint16
}

// newEnv opens a fresh back end for the case t.
func newEnv(t *testing.T, h Harness) *env {
	t.Helper()
	b, steam := h.New(t)
	if b == nil {
		t.Fatal("steamgstest: Harness.New returned a nil Backend")
	}
	caps := b.Capabilities()
	if caps.SteamConnection && steam == nil {
		t.Fatal("steamgstest: the back end reports SteamConnection but Harness.New returned no Steam to control it")
	}
	if !caps.SteamConnection {
		steam = nil
	}
	return &env{t: t, h: h, b: b, steam: steam, caps: caps, nextPort: 27015}
}

// game, dlc and otherApp are the apps the suite's players may own.
func (e *env) game() steamgs.AppID     { return e.h.AppID }
func (e *env) dlc() steamgs.AppID      { return e.h.AppID + 1 }
func (e *env) otherApp() steamgs.AppID { return e.h.AppID + 2 }

// config returns a Config for a server of mode on the loopback address, with
// a game port of its own and an ephemeral query port.
func (e *env) config(mode steamgs.ServerMode) steamgs.Config {
	port := e.nextPort
	e.nextPort++
	return steamgs.Config{IP: loopback, GamePort: port, Mode: mode, Version: "1.0.0.0", AppID: e.h.AppID}
}

// server is a steamgs.Server under test with the callbacks it delivered.
type server struct {
	*steamgs.Server
	e *env
	// pending are the callbacks delivered and not yet taken by await.
	pending []steamgs.Callback
	// calls are the APICalls this server's calls returned, by the callback ID
	// of their results.
	calls map[steamgs.APICall]int
	// inRun is set while RunCallbacks runs, to catch callbacks delivered
	// outside it; runner is the goroutine that runs it.
	inRun  atomic.Bool
	runner uint64
	// emit is the callback function, made once.
	emit func(steamgs.Callback)
}

// newServer returns a Server over the case's back end, not initialized. It is
// shut down at the end of the case if it is still running.
func (e *env) newServer() *server {
	s := &server{Server: steamgs.NewServer(e.b), e: e, calls: make(map[steamgs.APICall]int)}
	s.emit = s.deliver
	e.t.Cleanup(func() {
		if s.Running() {
			if err := s.Shutdown(); err != nil {
				e.t.Errorf("Shutdown at the end of the case: %v", err)
			}
		}
	})
	return s
}

// start returns a server initialized with cfg.
func (e *env) start(cfg steamgs.Config) *server {
	e.t.Helper()
	s := e.newServer()
	if err := s.Init(cfg); err != nil {
		e.t.Fatalf("Init(%+v): %v", cfg, err)
	}
	return s
}

// ready returns a server of mode whose required settings are set, so that it
// may log on.
func (e *env) ready(mode steamgs.ServerMode) *server {
	e.t.Helper()
	s := e.start(e.config(mode))
	s.setRequired()
	return s
}

// setRequired sets the settings every server needs before log-on.
func (s *server) setRequired() {
	s.e.t.Helper()
	if err := errors.Join(s.SetProduct(fmt.Sprint(s.e.h.AppID)), s.SetGameDescription("steamgstest"),
		s.SetModDir("steamgstest")); err != nil {
		s.e.t.Fatalf("required settings: %v", err)
	}
}

// loggedOn returns a server of mode logged on anonymously, its
// ServerConnected and PolicyResponse consumed.
func (e *env) loggedOn(mode steamgs.ServerMode) *server {
	e.t.Helper()
	s := e.ready(mode)
	s.logOnAnonymous()
	return s
}

// logOnAnonymous logs s on anonymously and waits for ServerConnected and
// PolicyResponse.
func (s *server) logOnAnonymous() {
	s.e.t.Helper()
	if err := s.LogOnAnonymous(); err != nil {
		s.e.t.Fatalf("LogOnAnonymous: %v", err)
	}
	s.awaitLogOn()
}

// awaitLogOn waits for the ServerConnected and PolicyResponse of a log-on.
func (s *server) awaitLogOn() {
	s.e.t.Helper()
	s.await("ServerConnected", isType[steamgs.ServerConnected])
	s.await("PolicyResponse", isType[steamgs.PolicyResponse])
	if !s.LoggedOn() {
		s.e.t.Fatal("LoggedOn() is false after ServerConnected")
	}
}

// isType reports whether cb is a T.
func isType[T steamgs.Callback](cb steamgs.Callback) bool {
	_, ok := cb.(T)
	return ok
}

// deliver is the function the server's RunCallbacks calls.
func (s *server) deliver(cb steamgs.Callback) {
	t := s.e.t
	if !s.inRun.Load() {
		t.Errorf("callback %T delivered outside RunCallbacks", cb)
		return
	}
	if g := goroutine(); g != s.runner {
		t.Errorf("callback %T delivered on goroutine %d, not on goroutine %d that called RunCallbacks", cb, g, s.runner)
		return
	}
	if cb == nil {
		t.Error("RunCallbacks delivered a nil Callback")
		return
	}
	if msg := checkShape(cb); msg != "" {
		t.Errorf("callback %#v: %s", cb, msg)
	}
	if call, id := callOf(cb); id != 0 {
		want, ok := s.calls[call]
		switch {
		case !ok:
			t.Errorf("%T carries APICall %d, which no call of this server returned", cb, call)
		case want != id:
			t.Errorf("%T carries APICall %d, which a call answered by callback %d returned", cb, call, want)
		default:
			delete(s.calls, call)
		}
	}
	s.pending = append(s.pending, cb)
}

// run runs one round of RunCallbacks.
func (s *server) run() {
	s.runner = goroutine()
	s.inRun.Store(true)
	s.RunCallbacks(s.emit)
	s.inRun.Store(false)
}

// goroutine returns the ID of the calling goroutine, read from the first
// line of its stack trace ("goroutine 7 [running]:").
func goroutine() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b, _ = bytes.CutPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

// take removes and returns the first pending callback that match accepts.
func (s *server) take(match func(steamgs.Callback) bool) (steamgs.Callback, bool) {
	for i, cb := range s.pending {
		if match(cb) {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			return cb, true
		}
	}
	return nil, false
}

// poll runs rounds of RunCallbacks, advancing Steam's clock by a step after
// each, until a callback that match accepts arrives (it is removed and
// returned) or the harness's rounds run out.
func (s *server) poll(match func(steamgs.Callback) bool) (steamgs.Callback, bool) {
	if cb, ok := s.take(match); ok {
		return cb, true
	}
	for range s.e.h.Rounds {
		s.run()
		if cb, ok := s.take(match); ok {
			return cb, true
		}
		s.e.advance(s.e.h.Step)
	}
	return nil, false
}

// await is poll that fails the case when no such callback arrives.
func (s *server) await(what string, match func(steamgs.Callback) bool) steamgs.Callback {
	s.e.t.Helper()
	cb, ok := s.poll(match)
	if !ok {
		s.e.t.Fatalf("no %s arrived in %d rounds of RunCallbacks %v apart; pending: %s",
			what, s.e.h.Rounds, s.e.stepText(), fmtCallbacks(s.pending))
	}
	return cb
}

// quiet runs the harness's rounds of RunCallbacks and fails the case if a
// callback that match accepts arrives.
func (s *server) quiet(what string, match func(steamgs.Callback) bool) {
	s.e.t.Helper()
	if cb, ok := s.poll(match); ok {
		s.e.t.Errorf("%s arrived: %#v", what, cb)
	}
}

// advance moves Steam's clock, when there is a Steam.
func (e *env) advance(d time.Duration) {
	if e.steam != nil {
		e.steam.Advance(d)
	}
}

// stepText describes how the suite waits.
func (e *env) stepText() string {
	if e.steam == nil {
		return "(no clock to advance)"
	}
	return e.h.Step.String()
}

// AssociateWithClan calls the server's AssociateWithClan and remembers the
// call, so that its result can be matched.
func (s *server) AssociateWithClan(clan steamgs.SteamID) (steamgs.APICall, error) {
	call, err := s.Server.AssociateWithClan(clan)
	s.remember(call, err, steamgs.IDAssociateClan)
	return call, err
}

// ComputeNewPlayerCompatibility calls the server's method and remembers the
// call.
func (s *server) ComputeNewPlayerCompatibility(user steamgs.SteamID) (steamgs.APICall, error) {
	call, err := s.Server.ComputeNewPlayerCompatibility(user)
	s.remember(call, err, steamgs.IDPlayerCompat)
	return call, err
}

// GetServerReputation calls the server's method and remembers the call.
func (s *server) GetServerReputation() (steamgs.APICall, error) {
	call, err := s.Server.GetServerReputation()
	s.remember(call, err, steamgs.IDServerReputation)
	return call, err
}

// remember records an APICall a call returned.
func (s *server) remember(call steamgs.APICall, err error, id int) {
	if err == nil && call != 0 {
		if _, dup := s.calls[call]; dup {
			s.e.t.Errorf("APICall %d returned twice while its first result is pending", call)
		}
		s.calls[call] = id
	}
}

// callOf returns the APICall a call result carries and its callback ID, or
// 0, 0 for other callbacks.
func callOf(cb steamgs.Callback) (steamgs.APICall, int) {
	switch cb := cb.(type) {
	case steamgs.AssociateClan:
		return cb.Call, cb.CallbackID()
	case steamgs.PlayerCompat:
		return cb.Call, cb.CallbackID()
	case steamgs.ServerReputation:
		return cb.Call, cb.CallbackID()
	}
	return 0, 0
}

// fmtCallbacks describes callbacks for a failure message.
func fmtCallbacks(cbs []steamgs.Callback) string {
	if len(cbs) == 0 {
		return "none"
	}
	parts := make([]string, len(cbs))
	for i, cb := range cbs {
		parts[i] = fmt.Sprintf("%#v", cb)
	}
	return strings.Join(parts, ", ")
}

// expectErr fails unless err matches sentinel, starts "steamgs: " and
// mentions each of mentions.
func expectErr(t *testing.T, err, sentinel error, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("no error; want one matching %v", sentinel)
		return
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %q does not match %v", err, sentinel)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "steamgs: ") {
		t.Errorf("error %q does not start with \"steamgs: \"", msg)
	}
	for _, m := range mentions {
		if !strings.Contains(msg, m) {
			t.Errorf("error %q does not mention %q", msg, m)
		}
	}
}
