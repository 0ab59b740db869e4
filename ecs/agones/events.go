package agones

import (
	"sync"
	"sync/atomic"

	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/features/events"
)

// Allocated is published when the GameServer becomes Allocated: the cluster's
// allocator assigned it to a match (seen on the watch stream), or it
// allocated itself because a player joined it directly (Self).
type Allocated struct {
	// GameServer is the GameServer as the watch stream showed it.
	GameServer *GameServer
	// Self is true when the server's own Allocate call did it.
	Self bool
}

// StateChanged is published when the watch stream shows the GameServer in
// a new state; From is empty for the first state seen.
type StateChanged struct {
	// From and To are the states before and after.
	From, To State
	// GameServer is the GameServer as the watch stream showed it.
	GameServer *GameServer
}

// CallFailed is published when a call of the Agent's goroutines failed; the
// Agent retries it with back-off. Err is an *Error.
type CallFailed struct {
	Call string // the SDK call, such as "Ready"
	Err  error  // an *Error
}

// ShuttingDown is published in the tick in which the Agent begins to shut
// the server down, after it removed every player (ending their auth
// sessions) and before it calls Shutdown; Agent.Done is closed once that
// call is made.
type ShuttingDown struct {
	// Reason is why.
	Reason Reason
	// Err is the error given to Stop or GiveUp.
	Err error
}

// Events are the donburi events of one Agent, published in the tick (never
// on the Agent's goroutines). Subscribe with the event type's Subscribe:
//
//	a.Events().Allocated.Subscribe(w, func(w donburi.World, ev agones.Allocated) { ... })
type Events struct {
	Allocated    *events.EventType[Allocated]    // the GameServer became Allocated
	StateChanged *events.EventType[StateChanged] // the watch stream showed a new state
	CallFailed   *events.EventType[CallFailed]   // a call failed and is retried
	ShuttingDown *events.EventType[ShuttingDown] // the server begins to shut down
}

func newEvents(w donburi.World) *Events {
	ev := &Events{
		Allocated:    events.NewEventType[Allocated](),
		StateChanged: events.NewEventType[StateChanged](),
		CallFailed:   events.NewEventType[CallFailed](),
		ShuttingDown: events.NewEventType[ShuttingDown](),
	}
	ev.process(w) // makes the event buses now, not in a tick
	return ev
}

func (ev *Events) process(w donburi.World) {
	ev.StateChanged.ProcessEvents(w)
	ev.Allocated.ProcessEvents(w)
	ev.CallFailed.ProcessEvents(w)
	ev.ShuttingDown.ProcessEvents(w)
}

// maxMail bounds the events waiting for a tick; more are counted and
// dropped.
const maxMail = 256

// mailbox carries events from the Agent's goroutines to the tick. The tick
// looks at pending only, unless something is there.
type mailbox struct {
	pending atomic.Bool
	mu      sync.Mutex
	items   []any
	spare   []any
	dropped uint64
	// notify receives a value when the mailbox goes from empty to not
	// empty (for tests).
	notify chan struct{}
}

func (m *mailbox) post(v any) {
	m.mu.Lock()
	if len(m.items) >= maxMail {
		m.dropped++
	} else {
		m.items = append(m.items, v)
	}
	m.pending.Store(true)
	m.mu.Unlock()
	nudge(m.notify)
}

// take returns the waiting events; the slice is valid until the next take.
func (m *mailbox) take() []any {
	m.mu.Lock()
	items := m.items
	clear(m.spare)
	m.items, m.spare = m.spare[:0], items
	m.pending.Store(false)
	m.mu.Unlock()
	return items
}

// nudge sends on c without blocking (c has a buffer of one).
func nudge(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
