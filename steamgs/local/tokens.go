package local

import (
	"fmt"

	"github.com/steamgs/steamgs/steamgs"
)

// TokenState is what a universe thinks of a game server log-on token.
type TokenState int

// Token states.
const (
	// TokenValid tokens log on.
	TokenValid TokenState = iota
	// TokenExpired tokens fail with ServerConnectFailure{ResultGSLTExpired}.
	TokenExpired
	// TokenBanned tokens fail with ServerConnectFailure{ResultGSLTDenied}.
	TokenBanned
)

// String returns "Valid", "Expired" or "Banned".
func (s TokenState) String() string {
	switch s {
	case TokenValid:
		return "Valid"
	case TokenExpired:
		return "Expired"
	case TokenBanned:
		return "Banned"
	}
	return fmt.Sprintf("TokenState(%d)", int(s))
}

// AddToken records a game server log-on token and its state; adding it
// again changes the state for later log-ons. LogOn with a token the universe
// does not know fails with ServerConnectFailure{ResultInvalidParam}.
func (u *Universe) AddToken(token string, state TokenState) {
	u.mu.Lock()
	u.tokens[token] = state
	u.mu.Unlock()
}

// TokenSteamID returns the Steam ID a server logged on with token gets: a
// persistent game server [G:1:N], N derived from the key and the token, the
// same in every process that shares the key.
func (u *Universe) TokenSteamID(token string) steamgs.SteamID {
	return steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, u.deriveAccount("token", token))
}
