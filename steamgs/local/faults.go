package local

import (
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// DropConnection cuts every server of the universe off Steam for outage,
// starting now. A server that is logged on gets ServerDisconnected
// {ResultNoConnection} (after the latency; LoggedOn turns false when it is
// delivered), then ServerConnectFailure{ResultNoConnection, Retrying: true}
// for each retry (every RetryInterval) that falls inside the outage, then
// ServerConnected and PolicyResponse at the first retry after it, which is
// made the moment the outage ends. Log-ons begun during the outage retry the
// same way. Another DropConnection during an outage extends it when it ends
// later. A negative outage counts as zero: the servers disconnect and
// reconnect at once.
func (u *Universe) DropConnection(outage time.Duration) {
	now := u.now()
	u.mu.Lock()
	defer u.mu.Unlock()
	if now >= u.outageEnd {
		u.outageStart = now
	}
	if end := now + max(outage, 0).Nanoseconds(); end > u.outageEnd {
		u.outageEnd = end
	}
	for _, s := range u.servers {
		s.dropLocked(now, nil)
	}
}

// RefuseLogOn makes later log-on attempts of every server (LogOn with a
// token or anonymous, and reconnections after DropConnection) fail with
// ServerConnectFailure{result, Retrying: false}. ResultOK (or ResultNone)
// lets them succeed again. Servers already logged on stay logged on.
func (u *Universe) RefuseLogOn(result steamgs.Result) {
	if result == steamgs.ResultNone {
		result = steamgs.ResultOK
	}
	u.mu.Lock()
	u.refuse = result
	u.mu.Unlock()
}

// SetLatency sets the delay of log-on answers, auth verdicts and call
// results queued from now on; a negative d counts as zero. Answers keep
// their order: one queued after another is never delivered before it.
func (u *Universe) SetLatency(d time.Duration) {
	u.mu.Lock()
	u.latency = max(d, 0)
	u.mu.Unlock()
}

// RequestRestart asks every running server of the universe to restart, as
// the master server does when a server is out of date: it adds one to the
// Restarts of each server's Status, so that steamgs.Server's
// WasRestartRequested returns true once for this request (twice for two
// requests). Servers opened later are not asked.
func (u *Universe) RequestRestart() {
	u.mu.Lock()
	for _, s := range u.servers {
		s.restarts++
	}
	u.mu.Unlock()
}

// BanUser VAC-bans user now. Every session of the user on a secure server
// (Config.Mode steamgs.ModeAuthenticationAndSecure) gets
// ValidateAuthTicketResponse{AuthVACBanned}; a player of the deprecated
// SendUserConnectAndAuthenticate flow on a secure server gets
// ClientKick{DenyCheater}. Later sessions on secure servers fail with
// AuthVACBanned, and tickets the universe makes for the user claim the ban.
// Servers that are not secure ignore VAC bans, as Steam does.
func (u *Universe) BanUser(user steamgs.SteamID) {
	now := u.now()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.vacBannedLocked(user, u.users[user]) {
		return
	}
	if a := u.users[user]; a != nil {
		a.vac = true
	} else {
		u.banned[user] = struct{}{}
	}
	for _, s := range u.servers {
		if s.cfg.Mode == steamgs.ModeAuthenticationAndSecure {
			s.userRevokedLocked(user, steamgs.AuthVACBanned, steamgs.DenyCheater, now)
		}
	}
}

// LogInElsewhere logs user on to Steam somewhere else, which ends their
// current log-on: every session of the user gets ValidateAuthTicketResponse
// {AuthLoggedInElseWhere}, a player of the deprecated flow gets
// ClientKick{DenyLoggedInElseWhere}, and tickets made before now fail with
// AuthLoggedInElseWhere.
func (u *Universe) LogInElsewhere(user steamgs.SteamID) {
	now := u.now()
	u.mu.Lock()
	defer u.mu.Unlock()
	u.elsewhere[user] = now
	for k, rec := range u.issued {
		if k.user == user && rec.state == issuedLive {
			rec.state = issuedElsewhere
			u.issued[k] = rec
		}
	}
	for _, s := range u.servers {
		s.userRevokedLocked(user, steamgs.AuthLoggedInElseWhere, steamgs.DenyLoggedInElseWhere, now)
	}
}
