package steamworks

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/internal/text"
)

// idAPICallCompleted is the ID of SteamAPICallCompleted_t, the callback that
// says the result of an asynchronous call is ready to fetch.
const idAPICallCompleted = 703

// Usable lengths of the SDK's char[128] fields: the 128th byte is the NUL
// terminator's place.
const (
	maxDenyMessage     = 127 // GSClientDeny_t's m_rgchOptionalText
	maxAchievementName = 127 // GSClientAchievementStatus_t's m_pchAchievement
)

// reader reads fields of a C struct from a byte slice, in host byte order
// like the C compiler lays them out. A read past the end
// sets bad instead of panicking, so a short payload is refused as a whole.
type reader struct {
	b   []byte
	bad bool
}

// span returns the n bytes at off, or nil (and marks r bad) when they are
// not all there.
func (r *reader) span(off, n int) []byte {
	if off < 0 || n < 0 || off > len(r.b) || n > len(r.b)-off {
		r.bad = true
		return nil
	}
	return r.b[off : off+n]
}

func (r *reader) u8(off int) uint8 {
	if b := r.span(off, 1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16(off int) uint16 {
	if b := r.span(off, 2); b != nil {
		return binary.NativeEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32(off int) uint32 {
	if b := r.span(off, 4); b != nil {
		return binary.NativeEndian.Uint32(b)
	}
	return 0
}

func (r *reader) i32(off int) int32 { return int32(r.u32(off)) }

func (r *reader) u64(off int) uint64 {
	if b := r.span(off, 8); b != nil {
		return binary.NativeEndian.Uint64(b)
	}
	return 0
}

// bool reads a C bool: any byte other than zero is true.
func (r *reader) bool(off int) bool { return r.u8(off) != 0 }

// text reads a char[128] field at off as Go text (see text.CString): up
// to the first NUL and at most limit bytes, valid UTF-8. It gives "" when r
// is already bad, so that a refused payload makes no string.
func (r *reader) text(off, limit int) string {
	if r.bad {
		return ""
	}
	b := r.span(off, 128)
	if b == nil {
		return ""
	}
	return text.CString(b, limit)
}

func (r *reader) id(off int) steamgs.SteamID        { return steamgs.SteamID(r.u64(off)) }
func (r *reader) result(off int) steamgs.Result     { return steamgs.Result(r.i32(off)) }
func (r *reader) reason(off int) steamgs.DenyReason { return steamgs.DenyReason(r.i32(off)) }

// align8 returns off for pack 4 and off rounded up to a multiple of 8 for
// pack 8: where a plain 64-bit field (uint64, SteamAPICall_t) that follows
// a 4-byte one lands. A CSteamID field never moves: the SDK declares
// CSteamID under pack 1, so its alignment is 1 under either packing.
func align8(off, pack int) int {
	if pack == 8 {
		return (off + 7) &^ 7
	}
	return off
}

// decodeCallback decodes the payload of callback id, laid out as the SDK's
// struct under #pragma pack(pack) (4 on Linux and macOS, 8 on Windows), into
// its steamgs type. call is the handle of the asynchronous call a call
// result answers (AssociateClan, PlayerCompat, ServerReputation), or 0. It
// reads the bytes one field at a time and never past data; it reports false
// for an unknown ID (see knownCallback), an unsupported pack or a payload
// too short for its struct. Bytes after the struct are ignored.
func decodeCallback(id int, data []byte, pack int, call steamgs.APICall) (steamgs.Callback, bool) {
	if pack != 4 && pack != 8 {
		return nil, false
	}
	r := &reader{b: data}
	switch id {
	case steamgs.IDServerConnected: // SteamServersConnected_t: empty
		return decoded(r, steamgs.ServerConnected{})
	case steamgs.IDServerConnectFailure: // SteamServerConnectFailure_t
		return decoded(r, steamgs.ServerConnectFailure{Result: r.result(0), Retrying: r.bool(4)})
	case steamgs.IDServerDisconnected: // SteamServersDisconnected_t
		return decoded(r, steamgs.ServerDisconnected{Result: r.result(0)})
	case steamgs.IDPolicyResponse: // GSPolicyResponse_t
		return decoded(r, steamgs.PolicyResponse{Secure: r.bool(0)})
	case steamgs.IDValidateAuthTicketResponse: // ValidateAuthTicketResponse_t: 20 bytes under either pack
		return decoded(r, steamgs.ValidateAuthTicketResponse{
			SteamID:  r.id(0),
			Response: steamgs.AuthSessionResponse(r.i32(8)),
			Owner:    r.id(12),
		})
	case steamgs.IDGetAuthSessionTicketResponse: // GetAuthSessionTicketResponse_t
		return decoded(r, steamgs.GetAuthSessionTicketResponse{Ticket: steamgs.AuthTicket(r.u32(0)), Result: r.result(4)})
	case steamgs.IDClientApproved: // GSClientApprove_t
		return decoded(r, steamgs.ClientApproved{SteamID: r.id(0), Owner: r.id(8)})
	case steamgs.IDClientDenied: // GSClientDeny_t
		user, reason := r.id(0), r.reason(8)
		return decoded(r, steamgs.ClientDenied{SteamID: user, Reason: reason, Message: r.text(12, maxDenyMessage)})
	case steamgs.IDClientKick: // GSClientKick_t
		return decoded(r, steamgs.ClientKick{SteamID: r.id(0), Reason: r.reason(8)})
	case steamgs.IDClientAchievementStatus: // GSClientAchievementStatus_t: 140 bytes under pack 4, 144 under pack 8
		user, unlocked := r.id(0), r.bool(136)
		return decoded(r, steamgs.ClientAchievementStatus{
			SteamID:     user,
			Achievement: r.text(8, maxAchievementName),
			Unlocked:    unlocked,
		})
	case steamgs.IDGameplayStats: // GSGameplayStats_t
		return decoded(r, steamgs.GameplayStats{Result: r.result(0), Rank: r.i32(4), TotalConnects: r.u32(8),
			TotalMinutesPlayed: r.u32(12)})
	case steamgs.IDClientGroupStatus: // GSClientGroupStatus_t: 18 bytes, CSteamID being 1-aligned
		member, officer := r.bool(16), r.bool(17)
		return decoded(r, steamgs.ClientGroupStatus{SteamID: r.id(0), Group: r.id(8), Member: member,
			Officer: member && officer})
	case steamgs.IDServerReputation: // GSReputation_t
		return decoded(r, decodeReputation(r, pack, call))
	case steamgs.IDAssociateClan: // AssociateWithClanResult_t
		return decoded(r, steamgs.AssociateClan{Call: call, Result: r.result(0)})
	case steamgs.IDPlayerCompat: // ComputeNewPlayerCompatibilityResult_t
		return decoded(r, steamgs.PlayerCompat{
			Call:                             call,
			Result:                           r.result(0),
			PlayersThatDontLikeCandidate:     r.i32(4),
			PlayersThatCandidateDoesntLike:   r.i32(8),
			ClanPlayersThatDontLikeCandidate: r.i32(12),
			Candidate:                        r.id(16),
		})
	}
	return nil, false
}

// decoded returns cb as a steamgs.Callback, or false when r read past its
// bytes; a refused payload is never boxed, so refusing one allocates
// nothing.
func decoded[T steamgs.Callback](r *reader, cb T) (steamgs.Callback, bool) {
	if r.bad {
		return nil, false
	}
	return cb, true
}

// knownCallback reports whether this package decodes callback id, the ID
// of a callback or of a call result; SteamAPICallCompleted_t, which
// announces call results, counts as known.
func knownCallback(id int) bool {
	switch id {
	case steamgs.IDServerConnected, steamgs.IDServerConnectFailure, steamgs.IDServerDisconnected,
		steamgs.IDPolicyResponse, steamgs.IDValidateAuthTicketResponse, steamgs.IDGetAuthSessionTicketResponse,
		steamgs.IDClientApproved, steamgs.IDClientDenied, steamgs.IDClientKick, steamgs.IDClientAchievementStatus,
		steamgs.IDGameplayStats, steamgs.IDClientGroupStatus, steamgs.IDServerReputation, steamgs.IDAssociateClan,
		steamgs.IDPlayerCompat, idAPICallCompleted:
		return true
	}
	return false
}

// decodeReputation decodes GSReputation_t: result @0, score @4, banned @8,
// banned IP @12, banned port @16, then the banned game ID (@20 under pack 4,
// @24 under pack 8) and the ban's expiry in Unix seconds after it.
func decodeReputation(r *reader, pack int, call steamgs.APICall) steamgs.ServerReputation {
	gameID := align8(20, pack)
	rep := steamgs.ServerReputation{
		Call:         call,
		Result:       r.result(0),
		Score:        r.u32(4),
		Banned:       r.bool(8),
		BannedGameID: r.u64(gameID),
	}
	ip, port, expires := r.u32(12), r.u16(16), r.u32(gameID+8)
	if rep.Banned {
		rep.BannedAddr = netip.AddrPortFrom(hostToIPv4(ip), port)
		if expires != 0 {
			rep.BanExpires = time.Unix(int64(expires), 0).UTC()
		}
	}
	return rep
}

// callCompleted is SteamAPICallCompleted_t: the call whose result is ready,
// the callback ID of the result and its size in bytes.
type callCompleted struct {
	call steamgs.APICall
	id   int
	size int
}

// decodeCallCompleted decodes SteamAPICallCompleted_t: call u64 @0,
// callback ID int32 @8, size u32 @12 (the same under both packs).
func decodeCallCompleted(data []byte) (callCompleted, bool) {
	r := reader{b: data}
	c := callCompleted{call: steamgs.APICall(r.u64(0)), id: int(r.i32(8)), size: int(r.u32(12))}
	return c, !r.bad
}

// failedCallResult is the callback delivered for a call result that
// libsteam_api reports as failed (an I/O failure: Steam never answered):
// the call's callback type with Result set to steamgs.ResultIOFailure, so
// that a game waiting for it hears of the failure.
func failedCallResult(id int, call steamgs.APICall) (steamgs.Callback, bool) {
	switch id {
	case steamgs.IDAssociateClan:
		return steamgs.AssociateClan{Call: call, Result: steamgs.ResultIOFailure}, true
	case steamgs.IDPlayerCompat:
		return steamgs.PlayerCompat{Call: call, Result: steamgs.ResultIOFailure}, true
	case steamgs.IDServerReputation:
		return steamgs.ServerReputation{Call: call, Result: steamgs.ResultIOFailure}, true
	}
	return nil, false
}
