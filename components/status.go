package components

import (
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
)

// Status is the component type of the server's status; the systems keep one
// entity with it per world.
var Status = donburi.NewComponentType[StatusData]()

// Connection is where the server stands with Steam.
type Connection uint8

// Connection states.
const (
	// NotLoggedOn: no log-on was asked for yet.
	NotLoggedOn Connection = iota
	// LoggingOn: LogOn or LogOnAnonymous was called; no answer yet.
	LoggingOn
	// Connected: a ServerConnected arrived; the server is logged on.
	Connected
	// Disconnected: the connection was lost or closed (ServerDisconnected);
	// Steam reconnects on its own after a lost connection.
	Disconnected
	// Failed: the last log-on attempt failed (ServerConnectFailure); see
	// StatusData.LastFailure and StatusData.Retrying.
	Failed
)

var connectionNames = [...]string{"NotLoggedOn", "LoggingOn", "Connected", "Disconnected", "Failed"}

// String returns the state's name, such as "Connected".
func (c Connection) String() string {
	if int(c) < len(connectionNames) {
		return connectionNames[c]
	}
	return "Connection(" + itoa(int(c)) + ")"
}

// StatusData is what the systems know of the server: its connection to
// Steam, its identity, restart requests, its player counts and the last
// error of a Steam call.
// The systems write it from Steam's callbacks; a game reads it, and may clear
// RestartRequested once it has acted on a request. The zero value is a server
// that never logged on.
type StatusData struct {
	// State is where the server stands with Steam.
	State Connection
	// LoggedOn is true between a ServerConnected and the next
	// ServerDisconnected or ServerConnectFailure.
	LoggedOn bool
	// Secure is the last policy Steam sent (PolicyResponse): whether the
	// server may show itself as VAC secure.
	Secure bool
	// SteamID is the server's Steam ID, read when it connected.
	SteamID steamgs.SteamID
	// PublicIP is the server's public address as Steam saw it when it
	// connected; the zero Addr when Steam does not know it.
	PublicIP netip.Addr
	// LastFailure is the Result of the last ServerConnectFailure, ResultNone
	// before any; it is kept after a later success, for the record.
	LastFailure steamgs.Result
	// Retrying is whether Steam keeps trying on its own after LastFailure.
	Retrying bool
	// NextLogOn is when the settings system tries the log-on again after a
	// failure that may pass (Steam unavailable, a time-out, a failed
	// connection); the zero time when no retry is due.
	NextLogOn time.Time
	// Retries counts the log-on retries since the last log-on the game
	// asked for or the last ServerConnected.
	Retries int
	// GaveUp is set when the last log-on failed with a result that never
	// passes with the same log-on (an invalid or revoked token, a ban,
	// access denied), or failed with retries disabled: nothing retries it
	// until the game asks for a log-on again. A dedicated server exits.
	GaveUp bool
	// LastDisconnect is the Result of the last ServerDisconnected.
	LastDisconnect steamgs.Result
	// Connects, Failures and Disconnects count ServerConnected,
	// ServerConnectFailure and ServerDisconnected callbacks.
	Connects, Failures, Disconnects int
	// RestartRequested is set when Steam asks the server to restart (the
	// server is out of date) and stays set until the game clears it.
	RestartRequested bool
	// Restarts counts restart requests.
	Restarts int
	// LastError is the last error a Steam call of the systems returned (a
	// setting Steam refused, a log-on before the required settings, ...),
	// nil when none did; Errors counts them. Failures caused by a client's
	// input are not among them (see RemoteErrors).
	LastError error
	// Errors counts the errors of Steam calls made by the systems.
	Errors int
	// Advertised is whether the server last told Steam to advertise it
	// (SetAdvertiseServerActive): the settings' Advertise while the server
	// is logged on, false while it is not (but in ModeNoAuthentication).
	Advertised bool
	// Players counts the approved players and bots: those that take a
	// player slot (Settings' MaxPlayers).
	Players int
	// Pending counts the players whose auth session began and whose
	// verdict has not come: they take no player slot and are shown nothing
	// until Steam approves them.
	Pending int
	// RemoteErrors counts the Steam calls that failed on what a client sent
	// (an empty or oversized ticket, a name Steam refuses): the client's
	// fault, not the server's, so they never set LastError or Errors.
	RemoteErrors int
}
