package steamgstest

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// Defaults of [Harness].
const (
	// DefaultAppID is the app ID of the suite's servers when Harness.AppID is
	// zero: Valve's Spacewar.
	DefaultAppID steamgs.AppID = 480
	// DefaultStep is how far the suite advances Steam's clock between rounds
	// of RunCallbacks when Harness.Step is zero.
	DefaultStep = 100 * time.Millisecond
	// DefaultRounds is the number of rounds of RunCallbacks the suite runs
	// while it waits for a callback when Harness.Rounds is zero.
	DefaultRounds = 50
)

// Harness is what a back end supplies to [Run].
type Harness struct {
	// New returns a fresh back end for one case, and, when the back end's
	// Capabilities report SteamConnection, the Steam that controls it (nil
	// otherwise). Run calls it once at the start of every case and never
	// shares a back end between cases; New registers any clean-up with
	// t.Cleanup, which runs after the suite has shut the case's servers
	// down. Required.
	New func(t *testing.T) (steamgs.Backend, Steam)
	// AppID is the app ID the suite's servers run (Config.AppID) and that
	// their players own. The suite also uses AppID+1 as a DLC that some
	// players own and AppID+2 as an app nobody owns. Zero means
	// DefaultAppID.
	AppID steamgs.AppID
	// Step is how far the suite advances Steam's clock (Steam.Advance)
	// between rounds of RunCallbacks while it waits for a callback; zero
	// means DefaultStep. Back ends without a Steam are never advanced.
	Step time.Duration
	// Rounds bounds the rounds of RunCallbacks the suite runs while it waits
	// for a callback, and is the number of rounds it runs to make sure one
	// does not come; zero means DefaultRounds. Rounds×Step must exceed every
	// delay of the back end (its latency).
	Rounds int
}

// User describes an account that [Steam.NewUser] creates.
type User struct {
	// Apps are the apps the user holds licences for: the game and its DLC.
	Apps []steamgs.AppID
	// VACBanned marks a user banned by VAC: secure servers refuse them.
	VACBanned bool
	// PublisherBanned marks a user banned by the game's publisher: every
	// server refuses them.
	PublisherBanned bool
}

// Steam is what the suite needs of the Steam behind a back end with
// Capabilities().SteamConnection, to build the situations it tests: the
// client side of Steam (users, their tickets), its administration (licences,
// groups, bans, log-on tokens) and its clock. Methods may be called from the
// test's goroutine only; a method that cannot do what it is asked reports an
// error, which fails the case.
type Steam interface {
	// NewUser creates an individual account and returns its Steam ID.
	NewUser(u User) (steamgs.SteamID, error)
	// NewGroup creates a Steam group (a clan) and returns its Steam ID.
	NewGroup() (steamgs.SteamID, error)
	// SetGroupMember sets whether user is a member of group, and an officer.
	SetGroupMember(user, group steamgs.SteamID, member, officer bool) error
	// Ticket makes the auth session ticket that user's Steam client sends to
	// a server of app (ISteamUser::GetAuthSessionTicket), made for the remote
	// identity forID; the zero Identity makes a ticket any server accepts.
	// It returns the ticket's handle, which CancelTicket takes, and bytes.
	Ticket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error)
	// CancelTicket cancels a ticket Ticket made, as the client's
	// CancelAuthTicket does when the player leaves.
	CancelTicket(user steamgs.SteamID, ticket steamgs.AuthTicket) error
	// Ban VAC-bans user from now on.
	Ban(user steamgs.SteamID) error
	// NewToken returns a game server log-on token that Steam accepts; every
	// call returns a different one.
	NewToken() (string, error)
	// TicketLifetime is how long a ticket is accepted after Ticket made it.
	TicketLifetime() time.Duration
	// Advance moves Steam's clock forward by d: answers that are due by then
	// arrive on the next RunCallbacks, and tickets older than
	// TicketLifetime expire.
	Advance(d time.Duration)
}
