package systems

import (
	"fmt"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
)

// RunCallbacks is the system that pumps Steam's callbacks (the second of a
// tick): it runs Server.RunCallbacks, applies each callback to the
// components (the status for log-on, disconnection and policy; the player
// concerned for auth verdicts, denials and kicks), publishes it as an event,
// and polls WasRestartRequested, under the Steam lock. Events are processed
// at its end, without the lock; then, under RemoveRejected, the players
// Steam rejected are removed.
func (s *Systems) RunCallbacks(_ *decs.ECS) {
	if n := s.srv.Inits(); n != s.inits || !s.srv.Running() && s.Status().State != components.NotLoggedOn {
		s.inits = n
		s.restarted()
	}
	s.steamMu.Lock()
	s.srv.RunCallbacks(s.emitFn) // onCallback calls the server too, under the lock
	restart := s.srv.WasRestartRequested()
	s.steamMu.Unlock()
	if restart {
		st := s.Status()
		st.RestartRequested = true
		st.Restarts++
		publish(s.w, s.ev, s.ev.Restart, evRestart, RestartRequested{Count: st.Restarts})
	}
	if s.ev.pending != 0 || len(s.removals) != 0 {
		s.finish()
	}
}

// restarted forgets what the systems knew of a server that was shut down
// (and perhaps initialized again) since the last tick: it is not logged on
// and not advertised, and it knows no auth session, so the players waiting
// for a verdict are denied (their verdict will never come). Approved
// players keep their slots until the game removes them (see the package
// doc: a game that restarts its server lets its players join again).
func (s *Systems) restarted() {
	st := s.Status()
	st.State, st.LoggedOn, st.NextLogOn = components.NotLoggedOn, false, time.Time{}
	s.loggedOn = false
	s.advertised, st.Advertised = false, false
	clear(s.sessions)
	s.ends = s.ends[:0]
	s.denyPending(time.Time{}, components.Reason{Source: components.FromError, Deny: steamgs.DenyGeneric,
		Message: "the server shut down before Steam's verdict"})
	if s.ev.pending != 0 || len(s.removals) != 0 {
		s.finish()
	}
}

// onCallback applies one callback and publishes it.
func (s *Systems) onCallback(cb steamgs.Callback) {
	w, ev := s.w, s.ev
	switch cb := cb.(type) {
	case steamgs.ServerConnected:
		st := s.Status()
		st.State, st.LoggedOn = components.Connected, true
		s.loggedOn = true
		st.Connects++
		st.Retries, st.NextLogOn, st.GaveUp = 0, time.Time{}, false
		st.SteamID = s.srv.SteamID()
		st.PublicIP = s.srv.PublicIP()
		st.Secure = s.srv.Secure()
		publish(w, ev, ev.ServerConnected, evServerConnected, cb)
	case steamgs.ServerConnectFailure:
		st := s.Status()
		st.State, st.LoggedOn = components.Failed, false
		s.loggedOn = false
		st.LastFailure, st.Retrying = cb.Result, cb.Retrying
		st.Failures++
		st.NextLogOn = time.Time{}
		if !cb.Retrying {
			if s.cfg.LogOnRetry.Disabled || !LogOnRetryable(cb.Result) {
				st.GaveUp = true
			} else {
				st.NextLogOn = s.cfg.Now().Add(s.cfg.LogOnRetry.delay(st.Retries))
			}
		}
		publish(w, ev, ev.ServerConnectFailure, evServerConnectFailure, cb)
	case steamgs.ServerDisconnected:
		st := s.Status()
		st.State, st.LoggedOn = components.Disconnected, false
		s.loggedOn = false
		st.LastDisconnect = cb.Result
		st.Disconnects++
		publish(w, ev, ev.ServerDisconnected, evServerDisconnected, cb)
	case steamgs.PolicyResponse:
		s.Status().Secure = cb.Secure
		publish(w, ev, ev.PolicyResponse, evPolicyResponse, cb)
	case steamgs.ValidateAuthTicketResponse:
		// The event goes first, so that subscribers see Steam's answer
		// before the player's change it causes.
		publish(w, ev, ev.ValidateAuthTicketResponse, evValidateAuthTicketResponse, cb)
		if cb.Response == steamgs.AuthOK {
			s.approve(cb.SteamID)
		} else {
			s.refuse(cb.SteamID, components.Reason{Source: components.FromValidate,
				Response: cb.Response, Deny: denyForResponse(cb.Response)})
		}
	case steamgs.ClientApproved:
		publish(w, ev, ev.ClientApproved, evClientApproved, cb)
		s.approve(cb.SteamID)
	case steamgs.ClientDenied:
		publish(w, ev, ev.ClientDenied, evClientDenied, cb)
		s.refuse(cb.SteamID, components.Reason{Source: components.FromClient, Deny: cb.Reason, Message: cb.Message})
	case steamgs.ClientKick:
		publish(w, ev, ev.ClientKick, evClientKick, cb)
		s.refuse(cb.SteamID, components.Reason{Source: components.FromClient, Deny: cb.Reason})
	case steamgs.GetAuthSessionTicketResponse:
		publish(w, ev, ev.GetAuthSessionTicketResponse, evGetAuthSessionTicketResponse, cb)
	case steamgs.ClientGroupStatus:
		publish(w, ev, ev.ClientGroupStatus, evClientGroupStatus, cb)
	case steamgs.ClientAchievementStatus:
		publish(w, ev, ev.ClientAchievementStatus, evClientAchievementStatus, cb)
	case steamgs.GameplayStats:
		publish(w, ev, ev.GameplayStats, evGameplayStats, cb)
	case steamgs.AssociateClan:
		publish(w, ev, ev.AssociateClan, evAssociateClan, cb)
	case steamgs.PlayerCompat:
		publish(w, ev, ev.PlayerCompat, evPlayerCompat, cb)
	case steamgs.ServerReputation:
		publish(w, ev, ev.ServerReputation, evServerReputation, cb)
	}
}

// approve makes the pending player id active, unless approved players and
// bots fill every slot: then it denies it (FromServerFull).
func (s *Systems) approve(id steamgs.SteamID) {
	e, ok := s.sessions[id]
	if !ok {
		return
	}
	p := s.Player(e)
	if p == nil || p.Auth() != components.AuthPending {
		return
	}
	if limit := s.Settings().MaxPlayers(); limit > 0 && len(s.slots) >= limit {
		s.reject(e, p, components.AuthDenied, components.Reason{Source: components.FromServerFull,
			Deny: steamgs.DenyGeneric, Message: fmt.Sprintf("%d slots taken by players and bots, limit %d", len(s.slots), limit)})
		return
	}
	s.unpend(e)
	s.admit(e, p)
	publish(s.w, s.ev, s.ev.PlayerAuth, evPlayerAuth, PlayerAuthChanged{Entity: e, SteamID: id, State: components.AuthApproved})
}

// admit approves p, of entity e, which takes a player slot.
func (s *Systems) admit(e donburi.Entity, p *components.PlayerData) {
	p.SetAuth(components.AuthApproved, components.Reason{})
	s.slots[e] = struct{}{}
	s.counted()
}

// refuse denies a pending player id or kicks an approved one.
func (s *Systems) refuse(id steamgs.SteamID, r components.Reason) {
	e, ok := s.sessions[id]
	if !ok {
		return
	}
	p := s.Player(e)
	if p == nil {
		delete(s.sessions, id)
		s.ends = append(s.ends, id)
		return
	}
	state := components.AuthDenied
	if p.Auth() == components.AuthApproved {
		state = components.AuthKicked
	}
	s.reject(e, p, state, r)
}

// denyForResponse is the EDenyReason closest to a session's verdict.
func denyForResponse(r steamgs.AuthSessionResponse) steamgs.DenyReason {
	switch r {
	case steamgs.AuthUserNotConnectedToSteam:
		return steamgs.DenyNotLoggedOn
	case steamgs.AuthNoLicenseOrExpired:
		return steamgs.DenyNoLicense
	case steamgs.AuthVACBanned, steamgs.AuthPublisherIssuedBan:
		return steamgs.DenyCheater
	case steamgs.AuthLoggedInElseWhere:
		return steamgs.DenyLoggedInElseWhere
	case steamgs.AuthVACCheckTimedOut:
		return steamgs.DenySteamResponseTimedOut
	default:
		return steamgs.DenyGeneric
	}
}

// denyForBegin is the EDenyReason closest to a refusal of BeginAuthSession.
func denyForBegin(r steamgs.BeginAuthSessionResult) steamgs.DenyReason {
	switch r {
	case steamgs.BeginAuthInvalidVersion:
		return steamgs.DenyInvalidVersion
	case steamgs.BeginAuthGameMismatch:
		return steamgs.DenyNoLicense
	default:
		return steamgs.DenyGeneric
	}
}
