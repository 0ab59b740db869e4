package steamgs

import (
	"net/netip"
	"time"
)

// Callback is one answer from Steam, delivered by [Server.RunCallbacks].
// It is one of the types in this file; use a type switch:
//
//	srv.RunCallbacks(func(cb steamgs.Callback) {
//		switch cb := cb.(type) {
//		case steamgs.ValidateAuthTicketResponse:
//			...
//		}
//	})
type Callback interface {
	// CallbackID returns the SDK's callback ID (k_iCallback), such as 143.
	CallbackID() int
}

// APICall identifies an asynchronous call (the SDK's SteamAPICall_t); its
// result arrives as a callback that carries the same value. Zero is invalid.
type APICall uint64

// AuthTicket is the handle of an auth ticket the server issued (the SDK's
// HAuthTicket). Zero is invalid.
type AuthTicket uint32

// ServerConnected says the server has connected to Steam and is logged on
// (SteamServersConnected_t; GodotSteam's server_connected signal).
type ServerConnected struct{}

// ServerConnectFailure says log-on failed (SteamServerConnectFailure_t; GodotSteam's server_connect_failure signal).
type ServerConnectFailure struct {
	Result   Result // why
	Retrying bool   // whether Steam keeps trying on its own
}

// ServerDisconnected says the connection to Steam was lost or closed (SteamServersDisconnected_t;
// GodotSteam's server_disconnected signal).
type ServerDisconnected struct {
	Result Result // why
}

// PolicyResponse tells whether the server may show itself as secure (VAC)
// (GSPolicyResponse_t; GodotSteam's policy_response signal).
type PolicyResponse struct {
	Secure bool
}

// ValidateAuthTicketResponse is the verdict on a session begun with
// BeginAuthSession, and on any later change to it (ban, log-in elsewhere,
// ticket cancelled) (ValidateAuthTicketResponse_t).
type ValidateAuthTicketResponse struct {
	SteamID  SteamID             // the user whose ticket was checked
	Response AuthSessionResponse // the verdict
	Owner    SteamID             // the licence owner (differs under family sharing)
}

// GetAuthSessionTicketResponse says a ticket from GetAuthSessionTicket is
// ready (GetAuthSessionTicketResponse_t).
type GetAuthSessionTicketResponse struct {
	Ticket AuthTicket
	Result Result
}

// ClientApproved says a user of SendUserConnectAndAuthenticate may play (GSClientApprove_t;
// GodotSteam's client_approved signal).
type ClientApproved struct {
	SteamID SteamID
	Owner   SteamID
}

// ClientDenied says a user of SendUserConnectAndAuthenticate may not play
// (GSClientDeny_t; GodotSteam's client_denied signal).
type ClientDenied struct {
	SteamID SteamID
	Reason  DenyReason
	Message string // optional text, at most 127 bytes
}

// ClientKick asks the server to kick a user (GSClientKick_t; GodotSteam's client_kick signal).
type ClientKick struct {
	SteamID SteamID
	Reason  DenyReason
}

// ClientGroupStatus answers RequestUserGroupStatus (GSClientGroupStatus_t; GodotSteam's client_group_status signal).
type ClientGroupStatus struct {
	SteamID SteamID
	Group   SteamID
	Member  bool
	Officer bool // never true when Member is false
}

// GameplayStats answers GetGameplayStats (GSGameplayStats_t; GodotSteam's gameplay_stats signal).
type GameplayStats struct {
	Result             Result
	Rank               int32 // overall rank of the server, 0-based
	TotalConnects      uint32
	TotalMinutesPlayed uint32
}

// ClientAchievementStatus tells whether a user has unlocked an achievement
// (GSClientAchievementStatus_t, callback 206). Steam sends it to game
// servers; no ISteamGameServer call asks for it.
type ClientAchievementStatus struct {
	SteamID     SteamID
	Achievement string // the achievement's API name, at most 127 bytes
	Unlocked    bool
}

// AssociateClan answers AssociateWithClan (AssociateWithClanResult_t; GodotSteam's associate_clan signal).
type AssociateClan struct {
	Call   APICall // the value AssociateWithClan returned
	Result Result
}

// PlayerCompat answers ComputeNewPlayerCompatibility (ComputeNewPlayerCompatibilityResult_t; GodotSteam's player_compat signal).
type PlayerCompat struct {
	Call                             APICall // the value ComputeNewPlayerCompatibility returned
	Result                           Result
	PlayersThatDontLikeCandidate     int32
	PlayersThatCandidateDoesntLike   int32
	ClanPlayersThatDontLikeCandidate int32
	Candidate                        SteamID
}

// ServerReputation answers GetServerReputation (GSReputation_t).
type ServerReputation struct {
	Call         APICall // the value GetServerReputation returned
	Result       Result
	Score        uint32
	Banned       bool
	BannedAddr   netip.AddrPort // the banned address, when Banned
	BannedGameID uint64
	BanExpires   time.Time // zero when not banned
}

// Callback IDs of the SDK.
const (
	IDServerConnected              = 101
	IDServerConnectFailure         = 102
	IDServerDisconnected           = 103
	IDPolicyResponse               = 115
	IDValidateAuthTicketResponse   = 143
	IDGetAuthSessionTicketResponse = 163
	IDClientApproved               = 201
	IDClientDenied                 = 202
	IDClientKick                   = 203
	IDClientAchievementStatus      = 206
	IDGameplayStats                = 207
	IDClientGroupStatus            = 208
	IDServerReputation             = 209
	IDAssociateClan                = 210
	IDPlayerCompat                 = 211
)

// CallbackID returns 101.
func (ServerConnected) CallbackID() int { return IDServerConnected }

// CallbackID returns 102.
func (ServerConnectFailure) CallbackID() int { return IDServerConnectFailure }

// CallbackID returns 103.
func (ServerDisconnected) CallbackID() int { return IDServerDisconnected }

// CallbackID returns 115.
func (PolicyResponse) CallbackID() int { return IDPolicyResponse }

// CallbackID returns 143.
func (ValidateAuthTicketResponse) CallbackID() int { return IDValidateAuthTicketResponse }

// CallbackID returns 163.
func (GetAuthSessionTicketResponse) CallbackID() int { return IDGetAuthSessionTicketResponse }

// CallbackID returns 201.
func (ClientApproved) CallbackID() int { return IDClientApproved }

// CallbackID returns 202.
func (ClientDenied) CallbackID() int { return IDClientDenied }

// CallbackID returns 203.
func (ClientKick) CallbackID() int { return IDClientKick }

// CallbackID returns 206.
func (ClientAchievementStatus) CallbackID() int { return IDClientAchievementStatus }

// CallbackID returns 208.
func (ClientGroupStatus) CallbackID() int { return IDClientGroupStatus }

// CallbackID returns 207.
func (GameplayStats) CallbackID() int { return IDGameplayStats }

// CallbackID returns 210.
func (AssociateClan) CallbackID() int { return IDAssociateClan }

// CallbackID returns 211.
func (PlayerCompat) CallbackID() int { return IDPlayerCompat }

// CallbackID returns 209.
func (ServerReputation) CallbackID() int { return IDServerReputation }

// CallbackDrop counts the callbacks of one ID that a back end received from
// Steam but could not deliver as a [Callback].
type CallbackDrop struct {
	ID        int    // the SDK's callback ID
	Unknown   uint64 // callbacks of an ID the back end does not decode
	Malformed uint64 // callbacks of a known ID whose payload did not decode
}

// CallbackDropOther is the ID under which a back end that bounds its
// counters reports, in one CallbackDrop, the drops of every ID it has no
// counter of its own for (and of negative IDs).
const CallbackDropOther = -1

// CallbackDropCounter is an optional interface of a back end's connection:
// one that can receive callbacks it does not know (the real Steam sends
// more kinds than a game server uses) counts them, so that none is lost
// without a trace. The result is sorted by ID and holds only IDs with a
// count; the caller owns it.
type CallbackDropCounter interface {
	DroppedCallbacks() []CallbackDrop
}
