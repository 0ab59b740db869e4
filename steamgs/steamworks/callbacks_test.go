package steamworks

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packs are the SDK's callback packings: VALVE_CALLBACK_PACK_SMALL (Linux,
// macOS, FreeBSD) and VALVE_CALLBACK_PACK_LARGE (Windows).
var packs = []int{4, 8}

// i64 passes a negative value as a field; the C side truncates it to the
// field's width.
func i64(v int64) uint64 { return uint64(v) }

// cbCase is one callback: the values of its SDK struct's fields in
// declaration order, char arrays left out, the bytes of its char array (the
// deny text, the achievement name) and the steamgs value it must decode to.
type cbCase struct {
	name   string
	id     int
	fields []uint64
	text   []byte
	want   steamgs.Callback
}

func callbackCases() []cbCase {
	const maxID = math.MaxUint64
	user, owner := steamgs.IndividualID(42), steamgs.IndividualID(43)
	a127 := strings.Repeat("a", 127)
	return []cbCase{
		{"ServerConnected", 101, nil, nil, steamgs.ServerConnected{}},
		{"ServerConnectFailure", 102, []uint64{2, 1}, nil, steamgs.ServerConnectFailure{Result: steamgs.ResultFail, Retrying: true}},
		{"ServerConnectFailure/negative", 102, []uint64{i64(-5), 0}, nil, steamgs.ServerConnectFailure{Result: -5}},
		{"ServerDisconnected", 103, []uint64{3}, nil, steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection}},
		{"ServerDisconnected/min int32", 103, []uint64{i64(math.MinInt32)}, nil, steamgs.ServerDisconnected{Result: math.MinInt32}},
		{"PolicyResponse/secure", 115, []uint64{1}, nil, steamgs.PolicyResponse{Secure: true}},
		{"PolicyResponse/not secure", 115, []uint64{0}, nil, steamgs.PolicyResponse{}},
		{"ValidateAuthTicketResponse", 143, []uint64{uint64(user), 0, uint64(owner)}, nil,
			steamgs.ValidateAuthTicketResponse{SteamID: user, Response: steamgs.AuthOK, Owner: owner}},
		{"ValidateAuthTicketResponse/max IDs", 143, []uint64{maxID, i64(-1), maxID - 1}, nil,
			steamgs.ValidateAuthTicketResponse{SteamID: maxID, Response: -1, Owner: maxID - 1}},
		{"GetAuthSessionTicketResponse", 163, []uint64{math.MaxUint32, 1}, nil,
			steamgs.GetAuthSessionTicketResponse{Ticket: math.MaxUint32, Result: steamgs.ResultOK}},
		{"ClientApproved", 201, []uint64{maxID, uint64(owner)}, nil, steamgs.ClientApproved{SteamID: maxID, Owner: owner}},
		{"ClientDenied", 202, []uint64{uint64(user), 4}, []byte("no licence"), steamgs.ClientDenied{
			SteamID: user, Reason: steamgs.DenyNoLicense, Message: "no licence"}},
		{"ClientDenied/128 bytes without NUL", 202, []uint64{maxID, i64(-1)}, []byte(strings.Repeat("a", 128)),
			steamgs.ClientDenied{SteamID: maxID, Reason: -1, Message: a127}},
		{"ClientDenied/NUL inside", 202, []uint64{uint64(user), 7}, []byte("hi\x00there"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyUnknownText, Message: "hi"}},
		{"ClientDenied/not UTF-8", 202, []uint64{uint64(user), 2}, []byte("bad \xff\xfe end"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyGeneric, Message: "bad \uFFFD end"}},
		{"ClientDenied/UTF-8 cut at 127", 202, []uint64{uint64(user), 2}, []byte(strings.Repeat("a", 126) + "\u00e9"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyGeneric, Message: strings.Repeat("a", 126)}},
		{"ClientDenied/empty", 202, []uint64{uint64(user), 3}, nil,
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyNotLoggedOn}},
		{"ClientAchievementStatus/unlocked", 206, []uint64{uint64(user), 1}, []byte("ACH_WIN_ONE_GAME"),
			steamgs.ClientAchievementStatus{SteamID: user, Achievement: "ACH_WIN_ONE_GAME", Unlocked: true}},
		{"ClientAchievementStatus/locked", 206, []uint64{maxID, 0}, []byte("ACH_TRAVEL_FAR_ACCUM"),
			steamgs.ClientAchievementStatus{SteamID: maxID, Achievement: "ACH_TRAVEL_FAR_ACCUM"}},
		{"ClientAchievementStatus/128 bytes without NUL", 206, []uint64{uint64(user), 1}, []byte(strings.Repeat("a", 128)),
			steamgs.ClientAchievementStatus{SteamID: user, Achievement: a127, Unlocked: true}},
		{"ClientAchievementStatus/NUL inside", 206, []uint64{uint64(user), 0}, []byte("ACH\x00junk"),
			steamgs.ClientAchievementStatus{SteamID: user, Achievement: "ACH"}},
		{"ClientAchievementStatus/not UTF-8", 206, []uint64{uint64(user), 1}, []byte("ACH_\xff_\xc3"),
			steamgs.ClientAchievementStatus{SteamID: user, Achievement: "ACH_\uFFFD_\uFFFD", Unlocked: true}},
		{"ClientAchievementStatus/UTF-8 cut at 127", 206, []uint64{uint64(user), 1}, []byte(strings.Repeat("a", 126) + "\u00e9"),
			steamgs.ClientAchievementStatus{SteamID: user, Achievement: strings.Repeat("a", 126), Unlocked: true}},
		{"ClientAchievementStatus/empty", 206, []uint64{0, 0}, nil, steamgs.ClientAchievementStatus{}},
		{"ClientKick", 203, []uint64{maxID, 15}, nil, steamgs.ClientKick{SteamID: maxID, Reason: steamgs.DenySteamOwnerLeftGuestUser}},
		{"ClientKick/negative reason", 203, []uint64{uint64(user), i64(-9)}, nil, steamgs.ClientKick{SteamID: user, Reason: -9}},
		{"GameplayStats", 207, []uint64{1, i64(-1), math.MaxUint32, math.MaxUint32}, nil,
			steamgs.GameplayStats{Result: steamgs.ResultOK, Rank: -1, TotalConnects: math.MaxUint32, TotalMinutesPlayed: math.MaxUint32}},
		{"ClientGroupStatus/officer", 208, []uint64{uint64(user), uint64(steamgs.ClanID(9)), 1, 1}, nil,
			steamgs.ClientGroupStatus{SteamID: user, Group: steamgs.ClanID(9), Member: true, Officer: true}},
		{"ClientGroupStatus/officer but no member", 208, []uint64{maxID, maxID, 0, 1}, nil,
			steamgs.ClientGroupStatus{SteamID: maxID, Group: maxID}},
		{"ServerReputation/banned", 209, []uint64{1, math.MaxUint32, 1, 0x01020304, 65535, maxID, math.MaxUint32}, nil,
			steamgs.ServerReputation{Result: steamgs.ResultOK, Score: math.MaxUint32, Banned: true,
				BannedAddr: netip.MustParseAddrPort("1.2.3.4:65535"), BannedGameID: maxID,
				BanExpires: time.Unix(math.MaxUint32, 0).UTC()}},
		{"ServerReputation/not banned", 209, []uint64{1, 7, 0, 0x01020304, 5, 480, 99}, nil,
			steamgs.ServerReputation{Result: steamgs.ResultOK, Score: 7, BannedGameID: 480}},
		{"AssociateClan", 210, []uint64{i64(-2)}, nil, steamgs.AssociateClan{Result: -2}},
		{"PlayerCompat", 211, []uint64{1, i64(-1), math.MaxInt32, 0, maxID}, nil, steamgs.PlayerCompat{
			Result: steamgs.ResultOK, PlayersThatDontLikeCandidate: -1, PlayersThatCandidateDoesntLike: math.MaxInt32,
			Candidate: maxID}},
	}
}

// withCall sets the Call of a call result's callback.
func withCall(cb steamgs.Callback, call steamgs.APICall) steamgs.Callback {
	switch v := cb.(type) {
	case steamgs.AssociateClan:
		v.Call = call
		return v
	case steamgs.PlayerCompat:
		v.Call = call
		return v
	case steamgs.ServerReputation:
		v.Call = call
		return v
	}
	return cb
}

// sdkField is one field of a callback struct as the SDK declares it: its
// name, its offset under pack 4 and pack 8, and its size.
type sdkField struct {
	name       string
	off4, off8 int
	size       int
}

// sdkStruct is a callback struct: its size under pack 4 and pack 8 and
// its fields in declaration order.
type sdkStruct struct {
	size4, size8 int
	fields       []sdkField
}

// sdkLayouts are the SDK's callback structs, from the table of
// steam-gameserver.md and the SDK's rules: CSteamID is declared under
// pack 1 (alignment 1, so it never moves and a struct of Steam IDs and
// bools has no padding), a plain uint64 moves to an 8-byte boundary under
// pack 8, and a C++ empty struct takes one byte.
var sdkLayouts = map[int]sdkStruct{
	101: {1, 1, nil},
	102: {8, 8, []sdkField{{"m_eResult", 0, 0, 4}, {"m_bStillRetrying", 4, 4, 1}}},
	103: {4, 4, []sdkField{{"m_eResult", 0, 0, 4}}},
	115: {1, 1, []sdkField{{"m_bSecure", 0, 0, 1}}},
	143: {20, 20, []sdkField{{"m_SteamID", 0, 0, 8}, {"m_eAuthSessionResponse", 8, 8, 4}, {"m_OwnerSteamID", 12, 12, 8}}},
	163: {8, 8, []sdkField{{"m_hAuthTicket", 0, 0, 4}, {"m_eResult", 4, 4, 4}}},
	201: {16, 16, []sdkField{{"m_SteamID", 0, 0, 8}, {"m_OwnerSteamID", 8, 8, 8}}},
	202: {140, 140, []sdkField{{"m_SteamID", 0, 0, 8}, {"m_eDenyReason", 8, 8, 4}, {"m_rgchOptionalText", 12, 12, 128}}},
	203: {12, 12, []sdkField{{"m_SteamID", 0, 0, 8}, {"m_eDenyReason", 8, 8, 4}}},
	206: {140, 144, []sdkField{{"m_SteamID", 0, 0, 8}, {"m_pchAchievement", 8, 8, 128}, {"m_bUnlocked", 136, 136, 1}}},
	207: {16, 16, []sdkField{{"m_eResult", 0, 0, 4}, {"m_nRank", 4, 4, 4}, {"m_unTotalConnects", 8, 8, 4},
		{"m_unTotalMinutesPlayed", 12, 12, 4}}},
	208: {18, 18, []sdkField{{"m_SteamIDUser", 0, 0, 8}, {"m_SteamIDGroup", 8, 8, 8}, {"m_bMember", 16, 16, 1},
		{"m_bOfficer", 17, 17, 1}}},
	209: {32, 40, []sdkField{{"m_eResult", 0, 0, 4}, {"m_unReputationScore", 4, 4, 4}, {"m_bBanned", 8, 8, 1},
		{"m_unBannedIP", 12, 12, 4}, {"m_usBannedPort", 16, 16, 2}, {"m_ulBannedGameID", 20, 24, 8},
		{"m_unBanExpires", 28, 32, 4}}},
	210: {4, 4, []sdkField{{"m_eResult", 0, 0, 4}}},
	211: {24, 24, []sdkField{{"m_eResult", 0, 0, 4}, {"m_cPlayersThatDontLikeCandidate", 4, 4, 4},
		{"m_cPlayersThatCandidateDoesntLike", 8, 8, 4}, {"m_cClanPlayersThatDontLikeCandidate", 12, 12, 4},
		{"m_SteamIDCandidate", 16, 16, 8}}},
	703: {16, 16, []sdkField{{"m_hAsyncCall", 0, 0, 8}, {"m_iCallback", 8, 8, 4}, {"m_cubParam", 12, 12, 4}}},
}

// under returns s as the C compiler should lay it out under pack.
func (s sdkStruct) under(pack int) cStruct {
	c := cStruct{size: s.size4}
	if pack == 8 {
		c.size = s.size8
	}
	for _, f := range s.fields {
		off := f.off4
		if pack == 8 {
			off = f.off8
		}
		c.fields = append(c.fields, cField{name: f.name, offset: off, size: f.size})
	}
	return c
}

// packFakes opens the fake of each callback packing.
func packFakes(t *testing.T) map[int]*fake {
	t.Helper()
	fakes := make(map[int]*fake)
	for _, pack := range packs {
		f := openFake(t, fakePackLibrary(t, pack))
		require.Equal(t, pack, f.pack(), "the fake built for pack %d", pack)
		fakes[pack] = f
	}
	return fakes
}

// knownIDs returns the callback IDs knownCallback accepts, in order.
func knownIDs() []int {
	var ids []int
	for id := range 1 << 16 {
		if knownCallback(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestCallbackStructLayouts checks that the fake declares each callback
// struct the way the SDK does: the offsets and sizes the C compiler gives
// its declarations (fake_layout) are those of the SDK under both packs,
// and it declares a struct for every callback this package decodes.
func TestCallbackStructLayouts(t *testing.T) {
	for pack, f := range packFakes(t) {
		t.Run(fmt.Sprintf("pack%d", pack), func(t *testing.T) {
			got := f.layouts()
			want := make(map[int]cStruct)
			for id, s := range sdkLayouts {
				want[id] = s.under(pack)
			}
			assert.Equal(t, want, got)
			for _, id := range knownIDs() {
				assert.Contains(t, got, id, "no C struct for callback %d", id)
			}
			for id, s := range got {
				assert.Equal(t, s.size, f.layout(id, ""), "fake_layout(%d, NULL)", id)
				for _, fl := range s.fields {
					assert.Equal(t, fl.offset, f.layout(id, fl.name), "fake_layout(%d, %q)", id, fl.name)
				}
			}
			assert.Equal(t, -1, f.layout(143, "m_unknown"))
			assert.Equal(t, -1, f.layout(9999, ""))
		})
	}
	assert.Equal(t, platformPack(), openFake(t, fakeLibrary(t)).pack(), "the default fake packs like the platform")
}

// place lays vals and text out the way l says, in Go: each value at its
// field's offset in the field's size, the text in the char array, and
// every padding byte 0xA5, which the decoder must not read.
func place(t *testing.T, l cStruct, vals []uint64, text []byte) []byte {
	t.Helper()
	b := bytes.Repeat([]byte{0xA5}, l.size)
	next := 0
	for _, f := range l.fields {
		field := b[f.offset : f.offset+f.size]
		clear(field)
		if f.size == 128 { // char[128]
			copy(field, text)
			continue
		}
		require.Less(t, next, len(vals), "no value for %s", f.name)
		v := vals[next]
		next++
		switch f.size {
		case 1:
			field[0] = byte(v)
		case 2:
			binary.NativeEndian.PutUint16(field, uint16(v))
		case 4:
			binary.NativeEndian.PutUint32(field, uint32(v))
		case 8:
			binary.NativeEndian.PutUint64(field, v)
		default:
			require.Failf(t, "odd field", "%s has %d bytes", f.name, f.size)
		}
	}
	require.Equal(t, len(vals), next, "values left over")
	return b
}

// TestDecodeCallbackLayouts decodes each callback's struct as the C
// compiler lays out the SDK-equivalent declaration under pack 4 (Linux,
// macOS) and pack 8 (Windows): the bytes C fills in, the same values
// placed in Go at the offsets C reports with the padding poisoned, and
// payloads cut at the end of the last field that C reports.
func TestDecodeCallbackLayouts(t *testing.T) {
	fakes := packFakes(t)
	layouts := make(map[int]map[int]cStruct)
	for pack, f := range fakes {
		layouts[pack] = f.layouts()
	}
	covered := make(map[int]bool)
	for _, tc := range callbackCases() {
		covered[tc.id] = true
		for _, pack := range packs {
			t.Run(fmt.Sprintf("%s/pack%d", tc.name, pack), func(t *testing.T) {
				l, ok := layouts[pack][tc.id]
				require.True(t, ok, "the fake has no struct for callback %d", tc.id)
				data := fakes[pack].encode(tc.id, tc.fields, tc.text)
				require.Len(t, data, l.size, "the C struct's size")
				got, ok := decodeCallback(tc.id, data, pack, 77)
				require.True(t, ok, "decodeCallback(%d) refused %d bytes", tc.id, len(data))
				assert.Equal(t, withCall(tc.want, 77), got)
				assert.Equal(t, tc.id, got.CallbackID())

				got, ok = decodeCallback(tc.id, place(t, l, tc.fields, tc.text), pack, 77)
				require.True(t, ok, "decodeCallback(%d) refused the values placed at C's offsets", tc.id)
				assert.Equal(t, withCall(tc.want, 77), got, "the values placed at C's offsets")

				// Every byte of the fields is needed; trailing padding is not.
				if tc.id != steamgs.IDServerConnected {
					_, ok = decodeCallback(tc.id, data[:l.end()-1], pack, 0)
					assert.False(t, ok, "decoded a payload one byte short of the last field")
					_, ok = decodeCallback(tc.id, data[:l.end()], pack, 0)
					assert.True(t, ok, "refused a payload that ends with the last field")
				}
			})
		}
	}
	for _, id := range knownIDs() {
		if id != idAPICallCompleted {
			assert.True(t, covered[id], "callback %d has no case", id)
		}
	}
}

// TestDecodeCallCompletedLayout decodes SteamAPICallCompleted_t as the C
// compiler lays it out under both packs.
func TestDecodeCallCompletedLayout(t *testing.T) {
	for pack, f := range packFakes(t) {
		t.Run(fmt.Sprintf("pack%d", pack), func(t *testing.T) {
			l := f.layouts()[idAPICallCompleted]
			data := f.encode(idAPICallCompleted, []uint64{math.MaxUint64 - 1, steamgs.IDPlayerCompat, 24}, nil)
			require.Len(t, data, l.size)
			got, ok := decodeCallCompleted(data)
			require.True(t, ok)
			assert.Equal(t, callCompleted{call: math.MaxUint64 - 1, id: steamgs.IDPlayerCompat, size: 24}, got)
			_, ok = decodeCallCompleted(data[:l.end()-1])
			assert.False(t, ok, "decoded a payload one byte short")
		})
	}
}

// TestKnownCallback checks that knownCallback names exactly the IDs
// decodeCallback decodes, and SteamAPICallCompleted.
func TestKnownCallback(t *testing.T) {
	big := make([]byte, 512)
	var decoded []int
	for id := -1; id < 1<<16; id++ {
		if _, ok := decodeCallback(id, big, 4, 0); ok || id == idAPICallCompleted {
			decoded = append(decoded, id)
		}
	}
	assert.Equal(t, decoded, knownIDs())
	assert.False(t, knownCallback(-1))
}

// TestCallbacks delivers each callback through manual dispatch of the fake
// and steamgs.Server.RunCallbacks, with the callback structs packed by 4
// and by 8 (the Library told to decode that packing).
func TestCallbacks(t *testing.T) {
	for _, tc := range callbackCases() {
		t.Run(tc.name, func(t *testing.T) {
			for _, pack := range packs {
				t.Run(fmt.Sprintf("pack%d", pack), func(t *testing.T) {
					fx := newPackFixture(t, pack, Options{})
					fx.fake.queueEncoded(tc.id, tc.fields, tc.text)
					fx.fake.clearLog()
					got := collect(fx.srv)
					assert.Equal(t, []steamgs.Callback{tc.want}, got)
					calls := fx.fake.calls()
					require.NotEmpty(t, calls)
					assert.Equal(t, "SteamAPI_ManualDispatch_RunFrame(42)", calls[0])
					assert.Equal(t, 0, fx.fake.pending())
					assert.Empty(t, fx.drops(t), "a delivered callback counted as dropped")
				})
			}
		})
	}
}

// TestCallResults delivers call results: a SteamAPICallCompleted whose
// payload is fetched with GetAPICallResult, carrying the call's handle,
// under both packs. The size asked for is the C struct's.
func TestCallResults(t *testing.T) {
	for _, tc := range callbackCases() {
		if tc.id != steamgs.IDServerReputation && tc.id != steamgs.IDAssociateClan && tc.id != steamgs.IDPlayerCompat {
			continue
		}
		for _, failed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/failed=%v", tc.name, failed), func(t *testing.T) {
				for _, pack := range packs {
					t.Run(fmt.Sprintf("pack%d", pack), func(t *testing.T) {
						fx := newPackFixture(t, pack, Options{})
						const call = math.MaxUint64 - 3
						fx.fake.queueCallResult(call, tc.id, tc.fields, tc.text, failed)
						fx.fake.clearLog()
						got := collect(fx.srv)
						want := withCall(tc.want, call)
						if failed {
							want, _ = failedCallResult(tc.id, call)
						}
						assert.Equal(t, []steamgs.Callback{want}, got)
						calls := fx.fake.calls()
						require.Len(t, calls, 3) // RunFrame, GetNextCallback, GetAPICallResult
						assert.Equal(t, fmt.Sprintf("SteamAPI_ManualDispatch_GetAPICallResult(42, %d, %d, %d)", uint64(call),
							fx.fake.layout(tc.id, ""), tc.id), calls[2])
						assert.Empty(t, fx.drops(t))
					})
				}
			})
		}
	}
}

// TestCallbackEdges covers unknown and malformed callbacks, extra bytes,
// odd bools, order, and a game that calls the server (or shuts it down)
// from inside a callback.
func TestCallbackEdges(t *testing.T) {
	le32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	t.Run("unknown callbacks are skipped", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		fx.fake.queueRaw(9999, []byte{1, 2, 3})
		fx.fake.queueRaw(1201, nil)
		fx.fake.queueEncoded(103, []uint64{3}, nil)
		assert.Equal(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection}}, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 1201, Unknown: 1}, {ID: 9999, Unknown: 1}}, fx.drops(t))
	})
	t.Run("short payloads are skipped", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		fx.fake.queueRaw(143, make([]byte, 19))
		fx.fake.queueRaw(202, make([]byte, 139))
		fx.fake.queueRaw(206, make([]byte, 136))
		fx.fake.queueRaw(102, []byte{1, 0, 0, 0})
		fx.fake.queueRaw(115, nil)
		assert.Equal(t, []steamgs.Callback(nil), collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 102, Malformed: 1}, {ID: 115, Malformed: 1}, {ID: 143, Malformed: 1},
			{ID: 202, Malformed: 1}, {ID: 206, Malformed: 1}}, fx.drops(t))
	})
	t.Run("an empty payload suits an empty struct", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		fx.fake.queueRaw(101, nil)
		fx.fake.queueRaw(103, nil)
		assert.Equal(t, []steamgs.Callback{steamgs.ServerConnected{}}, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 103, Malformed: 1}}, fx.drops(t))
	})
	t.Run("extra bytes are ignored", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(103, append(le32(38), 0xEE, 0xEE, 0xEE, 0xEE))
		assert.Equal(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultRemoteDisconnect}}, collect(fx.srv))
	})
	t.Run("any non-zero bool byte is true", func(t *testing.T) {
		fx := newFixture(t, Options{})
		achievement := make([]byte, 140)
		achievement[136] = 0x02
		fx.fake.queueRaw(115, []byte{0x80})
		fx.fake.queueRaw(102, append(le32(3), 0xFF, 0, 0, 0))
		fx.fake.queueRaw(206, achievement)
		assert.Equal(t, []steamgs.Callback{steamgs.PolicyResponse{Secure: true},
			steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true},
			steamgs.ClientAchievementStatus{Unlocked: true}}, collect(fx.srv))
	})
	t.Run("order is kept", func(t *testing.T) {
		fx := newFixture(t, Options{})
		var want []steamgs.Callback
		for i := range 50 {
			fx.fake.queueEncoded(163, []uint64{uint64(i), 1}, nil)
			want = append(want, steamgs.GetAuthSessionTicketResponse{Ticket: steamgs.AuthTicket(i), Result: steamgs.ResultOK})
		}
		assert.Equal(t, want, collect(fx.srv))
		assert.Equal(t, []steamgs.Callback(nil), collect(fx.srv), "a second RunCallbacks")
	})
	t.Run("unknown call result is skipped", func(t *testing.T) {
		fx := newFixture(t, Options{Logger: discardLogger()})
		done := make([]byte, 16)
		binary.LittleEndian.PutUint64(done, 12345)
		binary.LittleEndian.PutUint32(done[8:], 210)
		binary.LittleEndian.PutUint32(done[12:], 4)
		fx.fake.queueRaw(idAPICallCompleted, done)
		fx.fake.queueEncoded(101, nil, nil)
		assert.Equal(t, []steamgs.Callback{steamgs.ServerConnected{}}, collect(fx.srv))
		assert.Equal(t, []steamgs.CallbackDrop{{ID: 210, Malformed: 1}}, fx.drops(t))
	})
	t.Run("callbacks may call the server", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.setReturn("BUpdateUserData", 1)
		fx.fake.queueEncoded(143, []uint64{uint64(steamgs.IndividualID(5)), 0, uint64(steamgs.IndividualID(5))}, nil)
		fx.fake.queueEncoded(101, nil, nil)
		var got []steamgs.Callback
		fx.srv.RunCallbacks(func(cb steamgs.Callback) {
			got = append(got, cb)
			if v, ok := cb.(steamgs.ValidateAuthTicketResponse); ok {
				ok, err := fx.srv.UpdateUserData(v.SteamID, "player", 1)
				require.NoError(t, err)
				assert.True(t, ok)
			}
		})
		assert.Len(t, got, 2)
	})
	t.Run("shutdown inside a callback stops the pump", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueEncoded(101, nil, nil)
		fx.fake.queueEncoded(101, nil, nil)
		n := 0
		fx.srv.RunCallbacks(func(steamgs.Callback) {
			n++
			require.NoError(t, fx.srv.Shutdown())
		})
		assert.Equal(t, 1, n)
		assert.False(t, fx.srv.Running())
	})
	t.Run("a nil function drains the queue", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueEncoded(101, nil, nil)
		fx.conn(t).RunCallbacks(nil)
		assert.Equal(t, 0, fx.fake.pending())
		assert.Empty(t, fx.drops(t), "callbacks drained by a nil function are not dropped ones")
	})
	t.Run("offline log-on fails with NoConnection", func(t *testing.T) {
		fx := newFixture(t, Options{Offline: true})
		logOnReady(t, fx.srv)
		require.NoError(t, fx.srv.LogOnAnonymous())
		assert.Equal(t, []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection}}, collect(fx.srv))
		assert.False(t, fx.srv.LoggedOn())
	})
}
