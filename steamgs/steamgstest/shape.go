package steamgstest

import (
	"strings"

	"github.com/steamgs/steamgs/steamgs"
)

// checkShape checks what every callback of its type must satisfy, whatever
// the situation, and returns what is wrong, or "".
func checkShape(cb steamgs.Callback) string {
	switch cb := cb.(type) {
	case steamgs.ServerConnected:
		return wantID(cb, steamgs.IDServerConnected)
	case steamgs.ServerConnectFailure:
		if cb.Result == steamgs.ResultOK {
			return "a log-on failure with ResultOK"
		}
		return wantID(cb, steamgs.IDServerConnectFailure)
	case steamgs.ServerDisconnected:
		return wantID(cb, steamgs.IDServerDisconnected)
	case steamgs.PolicyResponse:
		return wantID(cb, steamgs.IDPolicyResponse)
	case steamgs.ValidateAuthTicketResponse:
		if msg := ticketSource("SteamID", cb.SteamID); msg != "" {
			return msg
		}
		if cb.Response < steamgs.AuthOK || cb.Response > steamgs.AuthTicketNetworkIdentityFailure {
			return "Response " + cb.Response.String() + " is not one of the SDK's"
		}
		if cb.Response == steamgs.AuthOK {
			if msg := ticketSource("Owner", cb.Owner); msg != "" {
				return msg
			}
		}
		return wantID(cb, steamgs.IDValidateAuthTicketResponse)
	case steamgs.GetAuthSessionTicketResponse:
		if cb.Ticket == 0 {
			return "Ticket is 0, which no ticket has"
		}
		return wantID(cb, steamgs.IDGetAuthSessionTicketResponse)
	case steamgs.ClientApproved:
		if msg := individual("SteamID", cb.SteamID); msg != "" {
			return msg
		}
		if msg := individual("Owner", cb.Owner); msg != "" {
			return msg
		}
		return wantID(cb, steamgs.IDClientApproved)
	case steamgs.ClientDenied:
		if msg := individual("SteamID", cb.SteamID); msg != "" {
			return msg
		}
		if msg := denyReason(cb.Reason); msg != "" {
			return msg
		}
		if len(cb.Message) > 127 || strings.IndexByte(cb.Message, 0) >= 0 {
			return "Message is longer than 127 bytes or holds a NUL byte"
		}
		return wantID(cb, steamgs.IDClientDenied)
	case steamgs.ClientKick:
		if msg := individual("SteamID", cb.SteamID); msg != "" {
			return msg
		}
		if msg := denyReason(cb.Reason); msg != "" {
			return msg
		}
		return wantID(cb, steamgs.IDClientKick)
	case steamgs.ClientGroupStatus:
		if msg := individual("SteamID", cb.SteamID); msg != "" {
			return msg
		}
		if !cb.Group.IsValid() || cb.Group.Type() != steamgs.AccountTypeClan {
			return "Group " + cb.Group.String() + " is not a valid clan"
		}
		if cb.Officer && !cb.Member {
			return "an officer who is not a member"
		}
		return wantID(cb, steamgs.IDClientGroupStatus)
	case steamgs.GameplayStats:
		return wantID(cb, steamgs.IDGameplayStats)
	case steamgs.ServerReputation:
		if cb.Call == 0 {
			return "Call is 0"
		}
		if !cb.Banned && (cb.BannedAddr.IsValid() || !cb.BanExpires.IsZero()) {
			return "not banned, but with a banned address or a ban expiry"
		}
		return wantID(cb, steamgs.IDServerReputation)
	case steamgs.AssociateClan:
		if cb.Call == 0 {
			return "Call is 0"
		}
		return wantID(cb, steamgs.IDAssociateClan)
	case steamgs.PlayerCompat:
		if cb.Call == 0 {
			return "Call is 0"
		}
		if cb.PlayersThatDontLikeCandidate < 0 || cb.PlayersThatCandidateDoesntLike < 0 ||
			cb.ClanPlayersThatDontLikeCandidate < 0 || cb.ClanPlayersThatDontLikeCandidate > cb.PlayersThatDontLikeCandidate {
			return "player counts are negative, or more clan players than players dislike the candidate"
		}
		if cb.Result == steamgs.ResultOK {
			if msg := individual("Candidate", cb.Candidate); msg != "" {
				return msg
			}
		}
		return wantID(cb, steamgs.IDPlayerCompat)
	}
	return "not one of steamgs's callback types (a back end delivers those values, never pointers or types of its own)"
}

// wantID checks a callback's ID.
func wantID(cb steamgs.Callback, id int) string {
	if got := cb.CallbackID(); got != id {
		return "CallbackID() is not the SDK's"
	}
	return ""
}

// individual checks that id is a valid individual account.
func individual(field string, id steamgs.SteamID) string {
	if !id.IsValid() || id.Type() != steamgs.AccountTypeIndividual {
		return field + " " + id.String() + " is not a valid individual account"
	}
	return ""
}

// ticketSource checks that id is a valid Steam ID of a kind that owns auth
// tickets: an individual, a game server or an anonymous user.
func ticketSource(field string, id steamgs.SteamID) string {
	switch id.Type() {
	case steamgs.AccountTypeIndividual, steamgs.AccountTypeGameServer, steamgs.AccountTypeAnonGameServer, steamgs.AccountTypeAnonUser:
		if id.IsValid() {
			return ""
		}
	}
	return field + " " + id.String() + " is not a valid Steam ID of an individual, game server or anonymous user"
}

// denyReason checks that r is one of the SDK's deny reasons.
func denyReason(r steamgs.DenyReason) string {
	if r < steamgs.DenyInvalid || r > steamgs.DenySteamOwnerLeftGuestUser {
		return "Reason " + r.String() + " is not one of the SDK's"
	}
	return ""
}
