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
}

// Events are the typed donburi events that the systems of one world publish:
// one per Steam callback type, carrying the callback as Steam sent it, and
// three of their own. Subscribe with the event type's Subscribe:
//
//	sys.Events().PlayerAuth.Subscribe(w, func(w donburi.World, ev systems.PlayerAuthChanged) { ... })
//
// Events published during a system are processed at the end of that system,
// on the game's goroutine; a tick that publishes nothing processes nothing.
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

	// pending has bit i set when processors[i] has events queued.
	pending    uint32
	processors []processor
}

// processor is what an event type does at the end of a system.
type processor interface{ ProcessEvents(w donburi.World) }

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
	ev.processors = []processor{
		evServerConnected:              ev.ServerConnected,
		evServerConnectFailure:         ev.ServerConnectFailure,
		evServerDisconnected:           ev.ServerDisconnected,
		evPolicyResponse:               ev.PolicyResponse,
		evValidateAuthTicketResponse:   ev.ValidateAuthTicketResponse,
		evGetAuthSessionTicketResponse: ev.GetAuthSessionTicketResponse,
		evClientApproved:               ev.ClientApproved,
		evClientDenied:                 ev.ClientDenied,
		evClientKick:                   ev.ClientKick,
		evClientGroupStatus:            ev.ClientGroupStatus,
		evClientAchievementStatus:      ev.ClientAchievementStatus,
		evGameplayStats:                ev.GameplayStats,
		evAssociateClan:                ev.AssociateClan,
		evPlayerCompat:                 ev.PlayerCompat,
		evServerReputation:             ev.ServerReputation,
		evPlayerAuth:                   ev.PlayerAuth,
		evRestart:                      ev.Restart,
		evFailed:                       ev.Failed,
	}
	// Processing an empty queue creates the event bus entity now, so that
	// the first publish of a tick does not.
	for _, p := range ev.processors {
		p.ProcessEvents(w)
	}
	return ev
}

// publish queues v on et and marks bit as pending.
func publish[T any](w donburi.World, ev *Events, et *events.EventType[T], bit int, v T) {
	et.Publish(w, v)
	ev.pending |= 1 << bit
}

// flush processes the event types with events queued. Subscribers may publish
// more; those are processed too.
func (ev *Events) flush(w donburi.World) {
	for ev.pending != 0 {
		pending := ev.pending
		ev.pending = 0
		for i := 0; pending != 0; i++ {
			if pending&(1<<i) != 0 {
				pending &^= 1 << i
				ev.processors[i].ProcessEvents(w)
			}
		}
	}
}
