package systems

import (
	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
	"github.com/yohamta/donburi/features/events"
)

// PlayerAuthChanged is published when a player's auth state changes: Steam
// approved it (or a bot was registered), denied it, or kicked it. Subscribers
// run in the same system, before a rejected player's entity is removed, so
// the entity is still valid and its component shows State and Reason.
type PlayerAuthChanged struct {
	Entity  donburi.Entity
	SteamID steamgs.SteamID
	State   components.AuthState
	Reason  components.Reason
}

// RestartRequested is published once for each restart request Steam makes
// (WasRestartRequested turned true).
type RestartRequested struct {
	// Count is the number of restart requests so far, this one included.
	Count int
}

// CallFailed is published when a Steam call made by a system returns an
// error: a setting Steam's rules refuse, a log-on before the required
// settings, a player's name that is too long. The error is also kept in
// StatusData.LastError.
type CallFailed struct {
	Call    string          // the method, such as "ApplySettings" or "LogOn"
	SteamID steamgs.SteamID // the player concerned, or zero
	// Fields are the settings of a failed ApplySettings, one field: the
	// one Steam's rules refused.
	Fields components.Field
	Err    error
	// Remote is set when the call failed on what a client sent (its
	// ticket, its name): counted in StatusData.RemoteErrors, never in
	// LastError.
	Remote bool
}

// Events are the typed donburi events that the systems of one world publish:
// one per Steam callback type, carrying the callback as Steam sent it, and
// three of their own. Subscribe with the event type's Subscribe:
//
//	sys.Events().PlayerAuth.Subscribe(w, func(w donburi.World, ev systems.PlayerAuthChanged) { ... })
//
// Events published during a system are processed at the end of that system,
// on the game's goroutine, one at a time in the order they were published,
// whatever their types: Steam's callbacks reach subscribers in the order
// Steam produced them (a drop and a quick recovery in one tick is
// ServerDisconnected, then ServerConnected), and what a subscriber publishes
// comes after what was already queued. When they run, the status component
// already shows the state after the tick's last callback. A tick that
// publishes nothing processes nothing.
// The event types belong to one world: each [Systems] makes its own, so that
// worlds on different goroutines share no query.
type Events struct {
	ServerConnected              *events.EventType[steamgs.ServerConnected]
	ServerConnectFailure         *events.EventType[steamgs.ServerConnectFailure]
	ServerDisconnected           *events.EventType[steamgs.ServerDisconnected]
	PolicyResponse               *events.EventType[steamgs.PolicyResponse]
	ValidateAuthTicketResponse   *events.EventType[steamgs.ValidateAuthTicketResponse]
	GetAuthSessionTicketResponse *events.EventType[steamgs.GetAuthSessionTicketResponse]
	ClientApproved               *events.EventType[steamgs.ClientApproved]
	ClientDenied                 *events.EventType[steamgs.ClientDenied]
	ClientKick                   *events.EventType[steamgs.ClientKick]
	ClientGroupStatus            *events.EventType[steamgs.ClientGroupStatus]
	ClientAchievementStatus      *events.EventType[steamgs.ClientAchievementStatus]
	GameplayStats                *events.EventType[steamgs.GameplayStats]
	AssociateClan                *events.EventType[steamgs.AssociateClan]
	PlayerCompat                 *events.EventType[steamgs.PlayerCompat]
	ServerReputation             *events.EventType[steamgs.ServerReputation]

	// PlayerAuth: a player was approved, denied or kicked.
	PlayerAuth *events.EventType[PlayerAuthChanged]
	// Restart: Steam asked the server to restart.
	Restart *events.EventType[RestartRequested]
	// Failed: a Steam call of a system returned an error.
	Failed *events.EventType[CallFailed]

	// pending has bit i set when queues[i] has events queued; order lists
	// the queue of each event queued, in the order of publishing.
	pending uint32
	queues  []deliverer
	order   []uint8
	// flushing is set during flush: a flush that a subscriber causes
	// leaves what it would deliver to the running one.
	flushing bool
}

// deliverer is the queue of one event type.
type deliverer interface {
	// deliver hands the next queued event to the type's subscribers.
	deliver(w donburi.World)
	// reset empties the queue, keeping its memory.
	reset()
	// processEvents processes what the event type holds.
	processEvents(w donburi.World)
}

// queue holds the events of one type published and not yet delivered.
type queue[T any] struct {
	et   *events.EventType[T]
	q    []T
	next int
}

func (q *queue[T]) deliver(w donburi.World) {
	v := q.q[q.next]
	q.next++
	q.et.Publish(w, v)
	q.et.ProcessEvents(w)
}

func (q *queue[T]) reset() {
	clear(q.q)
	q.q, q.next = q.q[:0], 0
}

func (q *queue[T]) processEvents(w donburi.World) { q.et.ProcessEvents(w) }

func newQueue[T any](et *events.EventType[T]) *queue[T] {
	return &queue[T]{et: et, q: make([]T, 0, 4)}
}

// Event bits, the indexes into Events.processors.
const (
	evServerConnected = iota
	evServerConnectFailure
	evServerDisconnected
	evPolicyResponse
	evValidateAuthTicketResponse
	evGetAuthSessionTicketResponse
	evClientApproved
	evClientDenied
	evClientKick
	evClientGroupStatus
	evClientAchievementStatus
	evGameplayStats
	evAssociateClan
	evPlayerCompat
	evServerReputation
	evPlayerAuth
	evRestart
	evFailed
	evCount
)

// newEvents makes the event types of one world and their event buses.
func newEvents(w donburi.World) *Events {
	ev := &Events{
		ServerConnected:              events.NewEventType[steamgs.ServerConnected](),
		ServerConnectFailure:         events.NewEventType[steamgs.ServerConnectFailure](),
		ServerDisconnected:           events.NewEventType[steamgs.ServerDisconnected](),
		PolicyResponse:               events.NewEventType[steamgs.PolicyResponse](),
		ValidateAuthTicketResponse:   events.NewEventType[steamgs.ValidateAuthTicketResponse](),
		GetAuthSessionTicketResponse: events.NewEventType[steamgs.GetAuthSessionTicketResponse](),
		ClientApproved:               events.NewEventType[steamgs.ClientApproved](),
		ClientDenied:                 events.NewEventType[steamgs.ClientDenied](),
		ClientKick:                   events.NewEventType[steamgs.ClientKick](),
		ClientGroupStatus:            events.NewEventType[steamgs.ClientGroupStatus](),
		ClientAchievementStatus:      events.NewEventType[steamgs.ClientAchievementStatus](),
		GameplayStats:                events.NewEventType[steamgs.GameplayStats](),
		AssociateClan:                events.NewEventType[steamgs.AssociateClan](),
		PlayerCompat:                 events.NewEventType[steamgs.PlayerCompat](),
		ServerReputation:             events.NewEventType[steamgs.ServerReputation](),
		PlayerAuth:                   events.NewEventType[PlayerAuthChanged](),
		Restart:                      events.NewEventType[RestartRequested](),
		Failed:                       events.NewEventType[CallFailed](),
	}
	ev.queues = []deliverer{
		evServerConnected:              newQueue(ev.ServerConnected),
		evServerConnectFailure:         newQueue(ev.ServerConnectFailure),
		evServerDisconnected:           newQueue(ev.ServerDisconnected),
		evPolicyResponse:               newQueue(ev.PolicyResponse),
		evValidateAuthTicketResponse:   newQueue(ev.ValidateAuthTicketResponse),
		evGetAuthSessionTicketResponse: newQueue(ev.GetAuthSessionTicketResponse),
		evClientApproved:               newQueue(ev.ClientApproved),
		evClientDenied:                 newQueue(ev.ClientDenied),
		evClientKick:                   newQueue(ev.ClientKick),
		evClientGroupStatus:            newQueue(ev.ClientGroupStatus),
		evClientAchievementStatus:      newQueue(ev.ClientAchievementStatus),
		evGameplayStats:                newQueue(ev.GameplayStats),
		evAssociateClan:                newQueue(ev.AssociateClan),
		evPlayerCompat:                 newQueue(ev.PlayerCompat),
		evServerReputation:             newQueue(ev.ServerReputation),
		evPlayerAuth:                   newQueue(ev.PlayerAuth),
		evRestart:                      newQueue(ev.Restart),
		evFailed:                       newQueue(ev.Failed),
	}
	ev.order = make([]uint8, 0, 16)
	// Processing an empty queue creates the event bus entity now, so that
	// the first publish of a tick does not.
	for _, q := range ev.queues {
		q.processEvents(w)
	}
	return ev
}

// publish queues v, an event of et (whose index is bit), for the next flush.
func publish[T any](_ donburi.World, ev *Events, _ *events.EventType[T], bit int, v T) {
	q := ev.queues[bit].(*queue[T])
	q.q = append(q.q, v)
	ev.order = append(ev.order, uint8(bit))
	ev.pending |= 1 << bit
}

// flush delivers the queued events one at a time, in the order they were
// published. Subscribers may publish more; those are delivered after.
func (ev *Events) flush(w donburi.World) {
	if ev.flushing {
		return
	}
	ev.flushing = true
	defer func() { ev.flushing = false }()
	for i := 0; i < len(ev.order); i++ {
		ev.queues[ev.order[i]].deliver(w)
	}
	for i := 0; ev.pending != 0; i++ {
		if ev.pending&(1<<i) != 0 {
			ev.pending &^= 1 << i
			ev.queues[i].reset()
		}
	}
	ev.order = ev.order[:0]
}
