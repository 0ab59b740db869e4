package components

import (
	"strconv"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
)

// Player is the component type of a player: a person with a Steam account
// and an auth ticket, or a bot.
var Player = donburi.NewComponentType[PlayerData]()

// AuthState is where a player stands with Steam's authentication.
type AuthState uint8

// Auth states.
const (
	// AuthPending: the player waits for BeginAuthSession or for Steam's
	// verdict.
	AuthPending AuthState = iota
	// AuthApproved: Steam approved the player (bots are approved at once);
	// the player is active and listed on the server.
	AuthApproved
	// AuthDenied: Steam refused the player before approving it.
	AuthDenied
	// AuthKicked: Steam withdrew an approval (a ban, a log-in elsewhere, a
	// cancelled ticket).
	AuthKicked
)

var authNames = [...]string{"Pending", "Approved", "Denied", "Kicked"}

// String returns the state's name, such as "Approved".
func (a AuthState) String() string {
	if int(a) < len(authNames) {
		return authNames[a]
	}
	return "AuthState(" + itoa(int(a)) + ")"
}

func itoa(n int) string { return strconv.Itoa(n) }

// ReasonSource says which answer of Steam a [Reason] comes from.
type ReasonSource uint8

// Reason sources.
const (
	// NoReason: the player was not refused.
	NoReason ReasonSource = iota
	// FromBeginAuth: BeginAuthSession refused the ticket; see Reason.Begin.
	FromBeginAuth
	// FromValidate: a ValidateAuthTicketResponse refused the session; see
	// Reason.Response.
	FromValidate
	// FromClient: a ClientDenied or ClientKick; see Reason.Deny and
	// Reason.Message.
	FromClient
	// FromError: a call was refused before it reached Steam (a player
	// without a ticket, an invalid Steam ID); see Reason.Message.
	FromError
	// FromTimeout: Steam gave no verdict on the ticket in time (the
	// systems' PendingTimeout); Reason.Deny is DenySteamResponseTimedOut
	// and Reason.Message gives the time limit.
	FromTimeout
	// FromServerFull: Steam approved the player, but approved players and
	// bots had filled every slot meanwhile (players waiting for Steam's
	// verdict take none); Reason.Deny is DenyGeneric and Reason.Message
	// gives the count and the limit.
	FromServerFull
)

// Reason is why a player was denied or kicked. Deny is set in every case, so
// a game can show one kind of reason; the field of the source says exactly
// what Steam answered.
type Reason struct {
	Source   ReasonSource
	Deny     steamgs.DenyReason             // the reason in the SDK's EDenyReason terms
	Begin    steamgs.BeginAuthSessionResult // for FromBeginAuth
	Response steamgs.AuthSessionResponse    // for FromValidate
	Message  string                         // for FromClient, FromError, FromTimeout and FromServerFull; may be empty
}

// String describes the reason, such as "VACBanned (Cheater)".
func (r Reason) String() string {
	switch r.Source {
	case NoReason:
		return "none"
	case FromBeginAuth:
		return "BeginAuthSession: " + r.Begin.String() + " (" + r.Deny.String() + ")"
	case FromValidate:
		return r.Response.String() + " (" + r.Deny.String() + ")"
	case FromServerFull:
		return "server full: " + r.Message
	case FromClient, FromTimeout:
		if r.Message != "" {
			return r.Deny.String() + ": " + r.Message
		}
		return r.Deny.String()
	default:
		return "error: " + r.Message
	}
}

// PlayerData is one player of the server. Create it with [NewPlayer] or
// [NewBot]; read it through its getters; change its name and score through
// SetName and SetScore, which the scores system sends to Steam
// (UpdateUserData) on the next tick, once, while the player is approved. The
// zero value is a player without a Steam ID or ticket, which the auth system
// denies.
type PlayerData struct {
	id     steamgs.SteamID
	name   string
	score  uint32
	joined time.Time
	bot    bool
	ticket []byte
	auth   AuthState
	reason Reason

	// version counts name and score changes (and approvals); synced is the
	// version last sent to Steam.
	version, synced uint32
	// roster is the world's book of changed players, once the systems have
	// taken the player on; entity is the player's entity there.
	roster *Roster
	entity donburi.Entity
	queued bool
}

// NewPlayer returns a player who connected with an auth ticket (from the
// client's GetAuthSessionTicket); the ticket is copied. The auth system
// begins its auth session on the next tick.
func NewPlayer(id steamgs.SteamID, name string, ticket []byte, joined time.Time) PlayerData {
	return PlayerData{id: id, name: name, ticket: append([]byte(nil), ticket...), joined: joined, version: 1}
}

// NewBot returns a bot: the auth system registers it with
// CreateUnauthenticatedUserConnection, which gives it its Steam ID, and
// approves it at once.
func NewBot(name string, joined time.Time) PlayerData {
	return PlayerData{name: name, bot: true, joined: joined, version: 1}
}

// SteamID returns the player's Steam ID (a bot's once registered).
func (p *PlayerData) SteamID() steamgs.SteamID { return p.id }

// Name returns the player's name.
func (p *PlayerData) Name() string { return p.name }

// Score returns the player's score.
func (p *PlayerData) Score() uint32 { return p.score }

// Joined returns when the player joined.
func (p *PlayerData) Joined() time.Time { return p.joined }

// Bot reports whether the player is a bot.
func (p *PlayerData) Bot() bool { return p.bot }

// Ticket returns the auth ticket the player joined with; do not modify it.
func (p *PlayerData) Ticket() []byte { return p.ticket }

// Auth returns where the player stands with Steam's authentication.
func (p *PlayerData) Auth() AuthState { return p.auth }

// Active reports whether the player is approved.
func (p *PlayerData) Active() bool { return p.auth == AuthApproved }

// Reason returns why the player was denied or kicked.
func (p *PlayerData) Reason() Reason { return p.reason }

// Entity returns the player's entity once the systems have taken it on, and
// the zero Entity before.
func (p *PlayerData) Entity() donburi.Entity { return p.entity }

// SetName sets the name the server browser shows for the player (at most 127
// bytes).
func (p *PlayerData) SetName(name string) {
	if p.name != name {
		p.name = name
		p.changed()
	}
}

// SetScore sets the score the server browser shows for the player.
func (p *PlayerData) SetScore(score uint32) {
	if p.score != score {
		p.score = score
		p.changed()
	}
}

// changed records a change of name or score.
func (p *PlayerData) changed() {
	p.version++
	p.enqueue()
}

// enqueue puts the player on its roster's list of changed players, once.
func (p *PlayerData) enqueue() {
	if p.roster != nil && !p.queued {
		p.queued = true
		p.roster.changed = append(p.roster.changed, p)
	}
}

// SetAuth records Steam's verdict; an approval also marks the player's name
// and score to be sent. For the systems: the plugin's slot and pending
// counts follow the approvals and refusals the systems made, not this
// field, so a game that calls it changes what the player is shown as, not
// what slot it holds.
func (p *PlayerData) SetAuth(state AuthState, r Reason) {
	p.auth, p.reason = state, r
	if state == AuthApproved {
		p.changed()
	}
}

// SetBotID records the Steam ID that CreateUnauthenticatedUserConnection gave
// a bot. For the systems.
func (p *PlayerData) SetBotID(id steamgs.SteamID) { p.id = id }

// NeedsUpdate reports whether the name or score changed since MarkUpdated.
// For the systems.
func (p *PlayerData) NeedsUpdate() bool { return p.version != p.synced }

// MarkUpdated records that Steam has the current name and score. For the
// systems.
func (p *PlayerData) MarkUpdated() { p.synced = p.version }

// Roster is a world's book of players whose name, score or auth state changed
// since the scores system last looked, so that a tick in which no player
// changed costs nothing however many players there are. The systems keep one
// per world. A Roster is not safe for concurrent use; like its world, it
// belongs to the game's goroutine.
//
// The roster holds the players' components by pointer (donburi keeps each
// component at one address for the life of its entity); the systems detach a
// player when its entity is removed.
type Roster struct {
	changed []*PlayerData
}

// NewRoster returns an empty roster.
func NewRoster() *Roster {
	return &Roster{changed: make([]*PlayerData, 0, 64)}
}

// Attach takes on the player p of entity e: from now on its setters put it
// on r. It reports false when p was already attached to r. For the systems.
func (r *Roster) Attach(e donburi.Entity, p *PlayerData) bool {
	if p.roster == r && p.entity == e {
		return false
	}
	p.roster, p.entity, p.queued = r, e, false
	if p.auth == AuthApproved && p.NeedsUpdate() {
		p.enqueue()
	}
	return true
}

// Detach forgets p, whose entity is being removed: its setters no longer put
// it on r, and Drain skips it. For the systems.
func (r *Roster) Detach(p *PlayerData) {
	if p.roster == r {
		p.roster, p.queued = nil, false
	}
}

// Attached reports whether p is attached to r.
func (r *Roster) Attached(p *PlayerData) bool { return p.roster == r }

// Len returns the number of players listed as changed (some may have been
// removed since).
func (r *Roster) Len() int { return len(r.changed) }

// Drain calls fn for each changed player still attached, in the order they
// changed, and empties the list. Players changed by fn are listed again and
// visited in the same call. For the systems.
func (r *Roster) Drain(fn func(p *PlayerData)) {
	for i := 0; i < len(r.changed); i++ {
		p := r.changed[i]
		if p.roster != r || !p.queued {
			continue
		}
		p.queued = false
		fn(p)
	}
	clear(r.changed)
	r.changed = r.changed[:0]
}
