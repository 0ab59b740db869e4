package agones

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// worker is the Agent's goroutine that makes the sidecar match the tick's
// intent: the life cycle, the players list and its capacity, alpha player
// tracking and the labels. Every step fetches the GameServer first, so that
// each decision is made on the state the sidecar has after the worker's own
// previous calls; what it believes the sidecar holds beyond that (list
// values, labels) it fetches again after any failure and after every new
// watch stream, since the sidecar may have restarted.
type worker struct {
	a *Agent
	c *Client

	// held: the worker reserved the server because Steam was
	// disconnected. hadPlayers: an allocated server has had players.
	held, hadPlayers bool
	stopped          bool
	stopFails        int

	list     valueSync
	tracking valueSync
	labels   map[string]string // what the sidecar has; nil: unknown
}

// valueSync is the worker's record of a set of values the sidecar keeps:
// the players list, or alpha player tracking.
type valueSync struct {
	off      bool            // the sidecar has none: run without
	known    bool            // values and capacity are what the sidecar has
	values   map[string]bool // the sidecar's values
	capacity int64
}

func newWorker(a *Agent) *worker {
	// A Reserved GameServer found at start is taken as held: this process
	// may be a restart of one that held it.
	return &worker{a: a, c: a.client.withAttempts(1), held: true}
}

// run steps whenever the intent or the GameServer changes, and again after
// a back-off while a step fails, until ctx is done.
func (w *worker) run(ctx context.Context) {
	var delay time.Duration
	for {
		ok := w.step(ctx)
		if ctx.Err() != nil {
			return
		}
		var retry <-chan time.Time
		stop := func() bool { return false }
		if ok {
			delay = 0
		} else {
			delay = w.a.backoff.next(delay)
			retry, stop = w.a.clock.Timer(delay)
		}
		select {
		case <-ctx.Done():
			stop()
			return
		case <-w.a.notify:
		case <-w.a.watched:
		case <-retry:
		}
		stop()
	}
}

// step makes one pass and reports whether every call went through.
func (w *worker) step(ctx context.Context) bool {
	in := w.a.want.Load()
	if in == nil || w.stopped {
		return true
	}
	if in.stop != nil {
		// Straight to Shutdown: a sidecar that cannot answer GET
		// /gameserver must not keep the process from exiting.
		if err := w.shutdown(ctx, in.stop); err != nil {
			w.failed(ctx, err)
			return w.stopped
		}
		return true
	}
	if w.a.resync.Swap(false) {
		w.forget()
	}
	gs, err := w.c.GameServer(ctx)
	if err != nil {
		w.failed(ctx, err)
		return false
	}
	w.a.observe(gs)
	ok := true
	if err := w.lifecycle(ctx, in, gs.Status.State); err != nil {
		w.failed(ctx, err)
		ok = false
	}
	if w.stopped {
		return ok
	}
	for _, sync := range [...]func(context.Context, *intent) error{w.syncList, w.syncTracking, w.syncLabels} {
		if err := sync(ctx, in); err != nil {
			w.failed(ctx, err)
			ok = false
		}
	}
	return ok
}

// forget drops what the worker believes the sidecar holds, so that the next
// step fetches it again.
func (w *worker) forget() {
	w.list.known, w.tracking.known, w.labels = false, false, nil
}

// failed reports a failed call to the tick and the log; a sidecar that did
// not answer may come back as a new one, holding nothing.
func (w *worker) failed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	if IsUnreachable(err) {
		w.forget()
	}
	call := ""
	var e *Error
	if errors.As(err, &e) {
		call = e.Call
	}
	w.a.log.Warn("agones: call failed; retrying", "call", call, "err", err)
	w.a.mail.post(CallFailed{Call: call, Err: err})
}

// lifecycle makes the life-cycle call the intent asks for, if any, given
// the GameServer's state st.
func (w *worker) lifecycle(ctx context.Context, in *intent, st State) error {
	if st.Terminal() {
		return nil
	}
	players := len(in.players)
	if st == StateAllocated {
		if players > 0 {
			w.hadPlayers = true
			return nil
		}
		if !w.hadPlayers {
			return nil // allocated, its players not here yet
		}
		w.hadPlayers = false
		if w.a.opts.WhenEmpty == ShutdownWhenEmpty {
			w.a.log.Info("agones: the last player left; shutting down")
			w.a.Stop(ReasonEmpty, nil)
			return nil
		}
		w.a.log.Info("agones: the last player left; ready again")
		return w.ready(ctx)
	}
	if players > 0 && !w.a.opts.NoSelfAllocate {
		w.a.selfAlloc.Store(true)
		if err := w.c.Allocate(ctx); err != nil {
			w.a.selfAlloc.Store(false)
			return err
		}
		w.a.log.Info("agones: a player joined directly; allocated")
		w.hadPlayers = true
		return nil
	}
	if !in.loggedOn {
		if st == StateReady && players == 0 {
			if err := w.c.Reserve(ctx, 0); err != nil {
				return err
			}
			w.a.log.Info("agones: Steam is not logged on; reserved until it is")
			w.held = true
		}
		return nil
	}
	switch st {
	case StateReady, StateRequestReady:
		return nil
	case StateReserved:
		if !w.held {
			return nil // someone else's reservation; it ends by itself
		}
	}
	return w.ready(ctx)
}

func (w *worker) ready(ctx context.Context) error {
	if err := w.c.Ready(ctx); err != nil {
		return err
	}
	w.a.log.Info("agones: ready")
	w.held = false
	return nil
}

// shutdown makes the Shutdown call, at most ShutdownAttempts times.
func (w *worker) shutdown(ctx context.Context, r *stopRequest) error {
	err := w.c.Shutdown(ctx)
	if err == nil {
		w.stopped = true
		w.a.log.Info("agones: shut down", "reason", r.reason)
		w.a.finish(r.reason, r.err)
		return nil
	}
	if w.stopFails++; w.stopFails >= w.a.opts.ShutdownAttempts {
		w.stopped = true
		w.a.finish(r.reason, errors.Join(r.err, fmt.Errorf("agones: gave up on Shutdown after %d attempts: %w", w.stopFails, err)))
	}
	return err
}

// capacity is the capacity to report: max players, or the number of
// players when there are more, so that the list never truncates them.
func capacity(in *intent) int64 { return max(in.capacity, int64(len(in.players))) }

// syncList keeps the players list and its capacity true.
func (w *worker) syncList(ctx context.Context, in *intent) error {
	s := &w.list
	if w.a.opts.NoList || s.off {
		return nil
	}
	name := w.a.list
	if !s.known {
		l, err := w.c.GetList(ctx, name)
		if IsNotFound(err) {
			s.off = true
			w.a.log.Warn("agones: the GameServer has no players list; running without it", "list", name, "err", err)
			return nil
		}
		if err != nil {
			return err
		}
		s.values, s.capacity, s.known = make(map[string]bool, len(l.Values)), int64(l.Capacity), true
		for _, v := range l.Values {
			s.values[v] = true
		}
	}
	want := wanted(in)
	for v := range s.values {
		if !want[v] {
			if err := w.c.RemoveListValue(ctx, name, v); err != nil && !IsNotFound(err) {
				return err
			}
			delete(s.values, v)
		}
	}
	if c := capacity(in); c != s.capacity {
		if err := w.c.SetListCapacity(ctx, name, c); err != nil {
			return err
		}
		s.capacity = c
	}
	for _, v := range in.players {
		if !s.values[v] {
			if err := w.c.AddListValue(ctx, name, v); err != nil && !IsAlreadyExists(err) {
				if IsNotFound(err) {
					s.known = false // the list itself is gone: find out on the next step
				}
				return err
			}
			s.values[v] = true
		}
	}
	return nil
}

// syncTracking keeps alpha player tracking true.
func (w *worker) syncTracking(ctx context.Context, in *intent) error {
	s := &w.tracking
	if !w.a.opts.PlayerTracking || s.off {
		return nil
	}
	off := func(err error) error {
		if isNotEnabled(err) {
			s.off = true
			w.a.log.Warn("agones: alpha player tracking is off in the cluster; running without it", "err", err)
			return nil
		}
		return err
	}
	if !s.known {
		ids, err := w.c.ConnectedPlayers(ctx)
		if err != nil {
			return off(err)
		}
		n, err := w.c.PlayerCapacity(ctx)
		if err != nil {
			return off(err)
		}
		s.values, s.capacity, s.known = make(map[string]bool, len(ids)), n, true
		for _, v := range ids {
			s.values[v] = true
		}
	}
	want := wanted(in)
	for v := range s.values {
		if !want[v] {
			if _, err := w.c.PlayerDisconnect(ctx, v); err != nil {
				return off(err)
			}
			delete(s.values, v)
		}
	}
	if c := capacity(in); c != s.capacity {
		if err := w.c.SetPlayerCapacity(ctx, c); err != nil {
			return off(err)
		}
		s.capacity = c
	}
	for _, v := range in.players {
		if !s.values[v] {
			if _, err := w.c.PlayerConnect(ctx, v); err != nil {
				return off(err)
			}
			s.values[v] = true
		}
	}
	return nil
}

func wanted(in *intent) map[string]bool {
	m := make(map[string]bool, len(in.players))
	for _, v := range in.players {
		m[v] = true
	}
	return m
}

// syncLabels sets the labels whose value changed.
func (w *worker) syncLabels(ctx context.Context, in *intent) error {
	if w.labels == nil {
		w.labels = make(map[string]string)
	}
	for k, v := range w.a.labels(in) {
		if old, ok := w.labels[k]; ok && old == v {
			continue
		}
		if err := w.c.SetLabel(ctx, k, v); err != nil {
			return err
		}
		w.labels[k] = v
	}
	return nil
}
