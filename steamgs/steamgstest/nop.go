package steamgstest

import "github.com/steamgs/steamgs/steamgs"

// NopConn is a steamgs.Conn whose methods do nothing and return zero values:
// no callbacks, a zero Status, no tickets, BeginAuthInvalidTicket, NoAuth,
// false. A test double embeds it and writes only the methods its test cares
// about:
//
//	type fakeConn struct {
//		steamgstest.NopConn
//		applied steamgs.Field
//	}
//
//	func (c *fakeConn) Apply(s *steamgs.Settings, changed steamgs.Field) { c.applied |= changed }
//
// The zero value is ready to use.
type NopConn struct{}

var _ steamgs.Conn = NopConn{}

// Close returns nil.
func (NopConn) Close() error { return nil }

// RunCallbacks delivers nothing.
func (NopConn) RunCallbacks(func(steamgs.Callback)) {}

// ReleaseThreadMemory does nothing.
func (NopConn) ReleaseThreadMemory() {}

// Apply ignores the settings.
func (NopConn) Apply(*steamgs.Settings, steamgs.Field) {}

// LogOn does nothing: no log-on follows.
func (NopConn) LogOn(string) {}

// LogOff does nothing.
func (NopConn) LogOff() {}

// Status returns the zero Status: not logged on, no Steam ID.
func (NopConn) Status() steamgs.Status { return steamgs.Status{} }

// GetAuthSessionTicket makes no ticket (handle 0).
func (NopConn) GetAuthSessionTicket([]byte, steamgs.Identity) (steamgs.AuthTicket, int) { return 0, 0 }

// CancelAuthTicket does nothing.
func (NopConn) CancelAuthTicket(steamgs.AuthTicket) {}

// BeginAuthSession answers BeginAuthInvalidTicket.
func (NopConn) BeginAuthSession([]byte, steamgs.SteamID) steamgs.BeginAuthSessionResult {
	return steamgs.BeginAuthInvalidTicket
}

// EndAuthSession does nothing.
func (NopConn) EndAuthSession(steamgs.SteamID) {}

// UserHasLicenseForApp answers NoAuth.
func (NopConn) UserHasLicenseForApp(steamgs.SteamID, steamgs.AppID) steamgs.LicenseResult {
	return steamgs.NoAuth
}

// UpdateUserData answers false: no user is an active player.
func (NopConn) UpdateUserData(steamgs.SteamID, string, uint32) bool { return false }

// CreateUnauthenticatedUserConnection returns the invalid Steam ID 0.
func (NopConn) CreateUnauthenticatedUserConnection() steamgs.SteamID { return 0 }

// Request makes no request: APICall 0 and false.
func (NopConn) Request(steamgs.Request) (steamgs.APICall, bool) { return 0, false }
