package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"github.com/steamgs/steamgs/steamgs"
)

func callbackCases() []testCase {
	return []testCase{
		{"OnlyInRunCallbacks", anyBackEnd, cbOnlyInRunCallbacks},
		{"NilFunc", anyBackEnd, cbNilFunc},
		{"Reentrant", connected, cbReentrant},
		{"ShutdownInCallback", connected, cbShutdownInCallback},
	}
}

// cbOnlyInRunCallbacks: callbacks are delivered only during RunCallbacks, on
// its caller's goroutine, and are steamgs's callback values; a server that
// is not running delivers nothing. (Every case checks the same of every
// callback it receives; this one makes a server busy and runs its rounds.)
func cbOnlyInRunCallbacks(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatal(err)
	}
	if len(s.pending) != 0 {
		t.Fatalf("callbacks delivered before RunCallbacks: %s", fmtCallbacks(s.pending))
	}
	if e.steam != nil {
		s.await("ServerConnected", isType[steamgs.ServerConnected])
		if _, err := s.GetServerReputation(); err != nil {
			t.Fatal(err)
		}
		if err := s.GetGameplayStats(); err != nil {
			t.Fatal(err)
		}
	}
	// Run out the rounds: whatever arrives is checked by deliver.
	s.quiet("an unexpected callback", func(cb steamgs.Callback) bool { return false })
	if err := s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	s.pending = nil
	s.quiet("a callback to a server that is shut down", func(steamgs.Callback) bool { return true })
}

// cbNilFunc: RunCallbacks(nil) drops the callbacks that are due without
// failing.
func cbNilFunc(e *env) {
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		e.t.Fatal(err)
	}
	for range e.h.Rounds {
		s.RunCallbacks(nil)
		e.advance(e.h.Step)
	}
	if e.steam != nil && !s.LoggedOn() {
		e.t.Error("a log-on whose callbacks were dropped by RunCallbacks(nil) did not complete")
	}
}

// cbReentrant: the function RunCallbacks calls may call the server.
func cbReentrant(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatal(err)
	}
	seen := false
	for range e.h.Rounds {
		s.RunCallbacks(func(cb steamgs.Callback) {
			if _, ok := cb.(steamgs.ServerConnected); !ok {
				return
			}
			seen = true
			if !s.LoggedOn() {
				t.Error("LoggedOn() is false in the ServerConnected callback")
			}
			if id := s.SteamID(); !id.IsValid() {
				t.Errorf("SteamID() in the ServerConnected callback is %v", id)
			}
			if err := s.SetServerName("set in a callback"); err != nil {
				t.Errorf("SetServerName in a callback: %v", err)
			}
			if _, err := s.CreateUnauthenticatedUserConnection(); err != nil {
				t.Errorf("CreateUnauthenticatedUserConnection in a callback: %v", err)
			}
		})
		if seen {
			break
		}
		e.advance(e.h.Step)
	}
	if !seen {
		t.Fatalf("no ServerConnected in %d rounds", e.h.Rounds)
	}
}

// cbShutdownInCallback: the function RunCallbacks calls may shut the server
// down; RunCallbacks then returns without delivering more callbacks, and
// the server may be initialized again.
func cbShutdownInCallback(e *env) {
	t := e.t
	s := e.ready(steamgs.ModeAuthentication)
	if err := s.LogOnAnonymous(); err != nil {
		t.Fatal(err)
	}
	shut, after := false, []steamgs.Callback(nil)
	for range e.h.Rounds {
		s.RunCallbacks(func(cb steamgs.Callback) {
			if shut {
				after = append(after, cb)
				return
			}
			if _, ok := cb.(steamgs.ServerConnected); ok {
				shut = true
				if err := s.Shutdown(); err != nil {
					t.Errorf("Shutdown in a callback: %v", err)
				}
			}
		})
		if shut {
			break
		}
		e.advance(e.h.Step)
	}
	if !shut {
		t.Fatalf("no ServerConnected in %d rounds", e.h.Rounds)
	}
	if len(after) != 0 {
		t.Errorf("callbacks delivered after Shutdown in a callback: %s", fmtCallbacks(after))
	}
	if s.Running() {
		t.Fatal("server running after Shutdown in a callback")
	}
	if err := s.Init(e.config(steamgs.ModeAuthentication)); err != nil {
		t.Fatalf("Init after Shutdown in a callback: %v", err)
	}
	s.setRequired()
	s.logOnAnonymous()
}
