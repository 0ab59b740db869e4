package ecs

import (
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
)

// maxLoggedCauses bounds the causes a steamLog remembers; when it is full
// it forgets them all, so a cause may then be logged again.
const maxLoggedCauses = 256

// steamLog writes what Options.Logger receives: failed Steam calls, changes
// of the log-on state and refused players, each cause once.
type steamLog struct {
	log *slog.Logger
	p   *Plugin
	// causes holds what was logged: a failed call's method, fields and
	// error, or a refused player's Steam ID, state and reason.
	causes map[cause]struct{}
	// state is the log-on state last logged, with Steam's result for a
	// failure or disconnection.
	state  components.Connection
	result steamgs.Result
	// restarts is the number of restart requests logged.
	restarts int
	// remote holds when each cause of a client's failure was last logged,
	// by cause and Steam ID; suppressed counts those not logged since.
	remote     map[cause]time.Time
	suppressed int
}

// remoteEvery is how often one cause of one client's failure is logged.
const remoteEvery = 10 * time.Second

// cause is one thing logged once.
type cause struct {
	call   string
	fields components.Field
	id     steamgs.SteamID
	text   string
}

// logTo subscribes a steamLog writing to log to the plugin's events.
func logTo(p *Plugin, log *slog.Logger) {
	l := &steamLog{log: log, p: p, causes: make(map[cause]struct{}), remote: make(map[cause]time.Time)}
	w, ev := p.World(), p.Events()
	ev.Failed.Subscribe(w, l.failed)
	ev.ServerConnected.Subscribe(w, l.connected)
	ev.ServerConnectFailure.Subscribe(w, l.connectFailure)
	ev.ServerDisconnected.Subscribe(w, l.disconnected)
	ev.PlayerAuth.Subscribe(w, l.playerAuth)
	ev.Restart.Subscribe(w, l.restart)
}

// first reports whether c has not been logged yet, and remembers it.
func (l *steamLog) first(c cause) bool {
	if _, ok := l.causes[c]; ok {
		return false
	}
	if len(l.causes) >= maxLoggedCauses {
		clear(l.causes)
	}
	l.causes[c] = struct{}{}
	return true
}

func (l *steamLog) failed(_ donburi.World, f systems.CallFailed) {
	if f.Remote {
		l.remoteFailed(f)
		return
	}
	if !l.first(cause{call: f.Call, fields: f.Fields, id: f.SteamID, text: f.Err.Error()}) {
		return
	}
	args := []any{"call", f.Call, "err", f.Err}
	if f.Fields != 0 {
		args = append(args, "fields", f.Fields.String())
	}
	if f.SteamID != 0 {
		args = append(args, "steam_id", f.SteamID)
	}
	l.log.Error("Steam call failed", args...)
}

// remoteFailed logs a failure caused by a client's input at DEBUG, at most
// once per cause and client every remoteEvery, with the number of such
// failures not logged since the last line.
func (l *steamLog) remoteFailed(f systems.CallFailed) {
	if l.remoteDue(cause{call: f.Call, id: f.SteamID, text: inputKind(f.Err)}) {
		l.log.Debug("client input refused by Steam call", l.withSuppressed("call", f.Call, "steam_id", f.SteamID, "err", f.Err)...)
	}
}

// remoteDue reports whether c, a cause of a client's failure, may be logged
// now (not logged in the last remoteEvery, and room to remember it), and
// counts it as suppressed when not.
func (l *steamLog) remoteDue(c cause) bool {
	now := l.p.now()
	if last, ok := l.remote[c]; ok && now.Sub(last) < remoteEvery {
		l.suppressed++
		return false
	}
	if len(l.remote) >= maxLoggedCauses {
		for k, t := range l.remote {
			if now.Sub(t) >= remoteEvery {
				delete(l.remote, k)
			}
		}
		if len(l.remote) >= maxLoggedCauses {
			l.suppressed++
			return false
		}
	}
	l.remote[c] = now
	return true
}

// withSuppressed returns args with the number of clients' failures not
// logged since the last line, when there are any, and resets it.
func (l *steamLog) withSuppressed(args ...any) []any {
	if l.suppressed > 0 {
		args = append(args, "not_logged_since", l.suppressed)
		l.suppressed = 0
	}
	return args
}

// inputKind names the kind of a client's input error, the same for every
// length of an oversized ticket.
func inputKind(err error) string {
	for _, k := range []error{steamgs.ErrEmpty, steamgs.ErrTooLong, steamgs.ErrTooLarge,
		steamgs.ErrInvalidString, steamgs.ErrInvalidSteamID} {
		if errors.Is(err, k) {
			return k.Error()
		}
	}
	return err.Error()
}

// changed reports whether the log-on state st with result r differs from
// the one last logged, and records it.
func (l *steamLog) changed(st components.Connection, r steamgs.Result) bool {
	if st == l.state && r == l.result {
		return false
	}
	l.state, l.result = st, r
	return true
}

func (l *steamLog) connected(donburi.World, steamgs.ServerConnected) {
	if !l.changed(components.Connected, 0) {
		return
	}
	st := l.p.Status()
	l.log.Info("logged on to Steam", "steam_id", st.SteamID, "public_ip", st.PublicIP.String())
	// A new session: what failed before may fail again, and is news.
	clear(l.causes)
}

func (l *steamLog) connectFailure(_ donburi.World, cb steamgs.ServerConnectFailure) {
	st := l.p.Status()
	if st.GaveUp {
		l.state, l.result = components.Failed, cb.Result
		l.log.Error("Steam log-on given up", "result", cb.Result.String(),
			"hint", "this result does not pass with the same log-on; fix the token or account and restart")
		return
	}
	if l.changed(components.Failed, cb.Result) {
		args := []any{"result", cb.Result.String(), "retrying", cb.Retrying || !st.NextLogOn.IsZero()}
		if !st.NextLogOn.IsZero() {
			args = append(args, "retry_in", st.NextLogOn.Sub(l.p.now()).String())
		}
		l.log.Warn("Steam log-on failed", args...)
	}
}

func (l *steamLog) disconnected(_ donburi.World, cb steamgs.ServerDisconnected) {
	if l.changed(components.Disconnected, cb.Result) {
		l.log.Warn("disconnected from Steam", "result", cb.Result.String())
	}
}

func (l *steamLog) playerAuth(_ donburi.World, a systems.PlayerAuthChanged) {
	if a.State == components.AuthApproved {
		return
	}
	r := a.Reason
	kind := a.State.String() + ": " + strconv.Itoa(int(r.Source)) + " " + r.Deny.String()
	if !l.remoteDue(cause{id: a.SteamID, text: kind}) {
		return
	}
	name := ""
	if p := l.p.Player(a.Entity); p != nil {
		name = p.Name()
	}
	msg := "player refused by Steam"
	if r.Source == components.FromServerFull || r.Source == components.FromTimeout {
		msg = "player refused" // by the plugin: the server filled, or Steam never answered
	}
	l.log.Info(msg, l.withSuppressed("name", name, "steam_id", a.SteamID,
		"state", a.State.String(), "reason", a.Reason.String())...)
}

func (l *steamLog) restart(_ donburi.World, r systems.RestartRequested) {
	if r.Count > l.restarts {
		l.restarts = r.Count
		l.log.Warn("Steam requested a restart", "count", r.Count)
	}
}
